package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kg-news/kg/schema"
)

// The legend is drawn into Graphviz's SVG afterwards rather than laid out by
// Graphviz. As a cluster it was placed by the layout like any other nodes:
// with rankdir=LR its edge samples spanned the widest rank and doubled the
// map's height, and sfdp/neato ignore clusters altogether. Drawing it
// ourselves also keeps it clear of the StrdupHTML trap (an HTML-like table
// would turn identical plain user strings into HTML).

// legendEntry is one row: a node shape or an edge sample, and its text.
type legendEntry struct {
	text  string
	node  *nodeStyle // nil for an edge sample
	color string     // edge colour
	dash  string     // SVG stroke-dasharray, "" for solid
	tee   bool       // negated: tee arrowhead
}

// legendEntries lists the node types and edge styles present in m.
func (m *model) legendEntries() []legendEntry {
	types := map[string]bool{}
	for _, n := range m.nodes {
		types[styleOf(n.Type).Label] = true
	}
	fams := map[string]bool{}
	mods := map[schema.Modality]bool{}
	for _, e := range m.edges {
		fams[familyOf(e.event).Name] = true
		mods[e.modality] = true
	}
	var out []legendEntry
	for i := range nodeStyles {
		if types[nodeStyles[i].Label] {
			out = append(out, legendEntry{text: nodeStyles[i].Label, node: &nodeStyles[i]})
		}
	}
	for _, f := range families {
		if fams[f.Name] {
			out = append(out, legendEntry{text: f.Name, color: f.Color})
		}
	}
	if mods[schema.Hypothetical] {
		out = append(out, legendEntry{text: "hypothetical (?)", color: "#4a5568", dash: "5,2"})
	}
	if mods[schema.Negated] {
		out = append(out, legendEntry{text: "negated (not)", color: "#4a5568", dash: "1,3", tee: true})
	}
	return out
}

var svgHeadRE = regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="([-0-9. ]+)"`)

const (
	legendRow    = 18.0 // row height, pt
	legendIcon   = 34.0 // width of a shape or edge sample, pt
	legendFont   = 10.0
	legendMargin = 10.0
)

// textWidth estimates the width in points of ASCII legend text at size pt
// (Helvetica averages about 0.55 em per character).
func textWidth(s string, size float64) float64 { return float64(len([]rune(s))) * size * 0.58 }

// addLegend draws the legend into a Graphviz SVG document: to the right of
// a tall map, below a wide one, so the picture stays near 4:3. The root
// element's size and viewBox are enlarged to make room. If the document's
// header is not Graphviz's, svg is returned unchanged.
func addLegend(svg []byte, entries []legendEntry) []byte {
	if len(entries) == 0 {
		return svg
	}
	loc := svgHeadRE.FindSubmatchIndex(svg)
	if loc == nil {
		return svg
	}
	w, err1 := strconv.ParseFloat(string(svg[loc[2]:loc[3]]), 64)
	h, err2 := strconv.ParseFloat(string(svg[loc[4]:loc[5]]), 64)
	vb := strings.Fields(string(svg[loc[6]:loc[7]]))
	if err1 != nil || err2 != nil || len(vb) != 4 {
		return svg
	}
	vx, _ := strconv.ParseFloat(vb[0], 64)
	vy, _ := strconv.ParseFloat(vb[1], 64)
	vw, _ := strconv.ParseFloat(vb[2], 64)
	vh, _ := strconv.ParseFloat(vb[3], 64)
	if vw <= 0 || vh <= 0 {
		return svg
	}

	// Lay the entries out: one column on the right, or rows that wrap at
	// the map's width below it.
	itemW := 0.0
	for _, e := range entries {
		itemW = max(itemW, legendIcon+6+textWidth(e.text, legendFont))
	}
	itemW += 12
	right := vh > vw*0.75
	cols := 1
	if !right {
		cols = max(1, int((vw-2*legendMargin)/itemW))
	}
	rows := (len(entries) + cols - 1) / cols
	boxW := float64(cols)*itemW + 2*legendMargin
	boxH := 22 + float64(rows)*legendRow + legendMargin
	var ox, oy, nw, nh float64 // legend origin and new viewBox size
	if right {
		ox, oy = vx+vw, vy+legendMargin
		nw, nh = vw+boxW+legendMargin, max(vh, boxH+2*legendMargin)
	} else {
		ox, oy = vx+legendMargin, vy+vh
		nw, nh = max(vw, boxW+2*legendMargin), vh+boxH+legendMargin
	}

	var g bytes.Buffer
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	fmt.Fprintf(&g, "<g id=\"legend\" class=\"legend\">\n<title>Legend</title>\n")
	// White under the whole added strip: Graphviz's background only covers
	// its own area.
	if right {
		fmt.Fprintf(&g, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"white\" stroke=\"none\"/>\n", f(vx+vw), f(vy), f(nw-vw), f(nh))
	} else {
		fmt.Fprintf(&g, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"white\" stroke=\"none\"/>\n", f(vx), f(vy+vh), f(nw), f(nh-vh))
	}
	fmt.Fprintf(&g, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" rx=\"6\" fill=\"white\" stroke=\"#a0aec0\"/>\n", f(ox), f(oy), f(boxW), f(boxH))
	fmt.Fprintf(&g, "<text x=\"%s\" y=\"%s\" font-family=\"%s\" font-size=\"12.00\" font-weight=\"bold\">Legend</text>\n", f(ox+legendMargin), f(oy+16), font)
	for i, e := range entries {
		c, r := i/rows, i%rows
		if !right {
			c, r = i%cols, i/cols
		}
		x := ox + legendMargin + float64(c)*itemW
		y := oy + 22 + float64(r)*legendRow + legendRow/2 // vertical centre of the row
		if e.node != nil {
			g.WriteString(legendShape(*e.node, x, y))
		} else {
			dash := ""
			if e.dash != "" {
				dash = fmt.Sprintf(" stroke-dasharray=\"%s\"", e.dash)
			}
			fmt.Fprintf(&g, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s d=\"M%s,%sL%s,%s\"/>\n", e.color, dash, f(x+2), f(y), f(x+legendIcon-8), f(y))
			if e.tee {
				fmt.Fprintf(&g, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"M%s,%sL%s,%s\"/>\n", e.color, f(x+legendIcon-7), f(y-4), f(x+legendIcon-7), f(y+4))
			} else {
				fmt.Fprintf(&g, "<polygon fill=\"%s\" stroke=\"%s\" points=\"%s,%s %s,%s %s,%s\"/>\n", e.color, e.color,
					f(x+legendIcon-9), f(y-3), f(x+legendIcon-2), f(y), f(x+legendIcon-9), f(y+3))
			}
		}
		color := "black"
		if e.node == nil {
			color = e.color
		}
		fmt.Fprintf(&g, "<text x=\"%s\" y=\"%s\" font-family=\"%s\" font-size=\"%s\" fill=\"%s\">%s</text>\n",
			f(x+legendIcon+6), f(y+3.5), font, f(legendFont), color, xmlText(e.text))
	}
	g.WriteString("</g>\n")

	end := bytes.LastIndex(svg, []byte("</svg>"))
	if end < 0 {
		return svg
	}
	var out bytes.Buffer
	out.Grow(len(svg) + g.Len() + 64)
	out.Write(svg[:loc[0]])
	fmt.Fprintf(&out, `<svg width="%spt" height="%spt" viewBox="%s %s %s %s"`,
		f(w*nw/vw), f(h*nh/vh), f(vx), f(vy), f(nw), f(nh))
	out.Write(svg[loc[1]:end])
	out.Write(g.Bytes())
	out.Write(svg[end:])
	return out.Bytes()
}

// legendShape draws a small version of a node shape centred vertically on y.
func legendShape(st nodeStyle, x, y float64) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	w, h := legendIcon-6, 12.0
	l, t, r, b := x+1, y-h/2, x+1+w, y+h/2
	paint := fmt.Sprintf(`fill="%s" stroke="%s" stroke-width="1.2"`, st.Fill, st.Border)
	pts := func(p ...float64) string {
		var s []string
		for i := 0; i+1 < len(p); i += 2 {
			s = append(s, f(p[i])+","+f(p[i+1]))
		}
		return fmt.Sprintf("<polygon %s points=\"%s\"/>\n", paint, strings.Join(s, " "))
	}
	switch st.Shape {
	case "box":
		return fmt.Sprintf("<rect %s x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" rx=\"3\"/>\n", paint, f(l), f(t), f(w), f(h))
	case "hexagon":
		return pts(l, y, l+5, t, r-5, t, r, y, r-5, b, l+5, b)
	case "octagon":
		return pts(l+4, t, r-4, t, r, t+4, r, b-4, r-4, b, l+4, b, l, b-4, l, t+4)
	case "house":
		return pts(l, b, l, t+4, l+w/2, t-1, r, t+4, r, b)
	case "note":
		return pts(l, t, r-4, t, r, t+4, r, b, l, b)
	default:
		return fmt.Sprintf("<ellipse %s cx=\"%s\" cy=\"%s\" rx=\"%s\" ry=\"%s\"/>\n", paint, f(l+w/2), f(y), f(w/2), f(h/2))
	}
}

// xmlText escapes s for XML character data.
func xmlText(s string) string {
	var b strings.Builder
	xmlEscape(&b, s)
	return b.String()
}
