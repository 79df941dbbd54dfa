package render

import (
	"fmt"
	"math"

	"github.com/goccy/go-graphviz/cgraph"
	"github.com/kg-news/kg/schema"
)

// font is the font list for every label. Graphviz's wasm build has no fonts
// and estimates text widths with Helvetica/Arial metrics when the name
// starts with "Helvetica"; browsers and rsvg fall back along the list.
const font = "Helvetica,Arial,sans-serif"

// attrs is an ordered attribute list (order only matters for reproducible
// output).
type attrs [][2]string

// declare sets root-graph defaults for one kind of object (graph, node or
// edge) via agattr, so per-object values need only be set where they differ.
func declare(g *cgraph.Graph, kind cgraph.ObjectTag, as attrs) error {
	for _, a := range as {
		if _, err := g.Attr(int(kind), a[0], dotValue(a[1])); err != nil {
			return fmt.Errorf("attribute %s: %w", a[0], err)
		}
	}
	return nil
}

type setter interface {
	SafeSet(name, value, def string) error
}

// set assigns attributes on one object. SafeSet declares an attribute that
// has no default yet with an empty default, which Graphviz treats as unset.
func set(o setter, as attrs) error {
	for _, a := range as {
		if err := o.SafeSet(a[0], dotValue(a[1]), ""); err != nil {
			return fmt.Errorf("attribute %s: %w", a[0], err)
		}
	}
	return nil
}

// splines picks edge routing for sfdp and neato. Curved edges routed
// around nodes (splines=true) read best but cost the most: measured here,
// sfdp with splines=true took 6 s for 200 nodes / 300 edges and 32 s for
// 300 nodes, against 0.1 s with straight lines.
func splines(nodes, edges int) string {
	if nodes <= 80 && edges <= 150 {
		return "true"
	}
	return "false"
}

// populate turns the model into Graphviz objects with their styles.
func (m *model) populate(g *cgraph.Graph, o Options, layout string) error {
	size := len(m.nodes)
	nodeFont, edgeFont := 11.0, 9.0
	if size > 120 {
		// Big maps are zoomed, not read at 100%; smaller text keeps the
		// layout (and the SVG) compact.
		nodeFont, edgeFont = 10, 8
	}
	fontSize := ftoa(nodeFont)
	ga := attrs{
		{"charset", "UTF-8"},
		{"fontname", font},
		{"fontsize", "16"},
		{"labelloc", "t"},
		{"bgcolor", "white"},
		{"pad", "0.3"},
		// Edges under nodes: a label box is never crossed by a line drawn
		// after it.
		{"outputorder", "edgesfirst"},
		// Recorded so that `dot -Tsvg map.dot` picks the same engine.
		{"layout", layout},
	}
	switch layout {
	case "dot":
		ga = append(ga, attrs{
			// Left-to-right reads like "subject relation object".
			{"rankdir", "LR"},
			{"nodesep", "0.3"},
			{"ranksep", "0.8"},
			{"newrank", "true"},
		}...)

	default:
		// sfdp and neato in this Graphviz build lack GTS: overlap=false or
		// prism falls back to Voronoi (minutes at 1,000 nodes); scale is
		// fast and removes overlaps by spreading the layout.
		ga = append(ga, attrs{
			{"overlap", "scale"},
			{"splines", splines(len(m.nodes), len(m.edges))},
			{"sep", "+4"},
			{"esep", "+2"},
		}...)
	}
	if t := clean(o.Title, 200); t != "" {
		ga = append(ga, [2]string{"label", dotText(t)})
	}
	if err := declare(g, cgraph.GRAPH, ga); err != nil {
		return err
	}
	if err := declare(g, cgraph.NODE, attrs{
		{"label", `\N`}, {"fontname", font}, {"fontsize", fontSize},
		{"shape", "ellipse"}, {"style", "filled"}, {"fillcolor", "white"},
		{"color", "black"}, {"penwidth", "1.2"}, {"margin", "0.12,0.05"},
		{"tooltip", ""}, {"URL", ""}, {"target", ""},
		{"width", "0.75"}, {"height", "0.5"}, {"fontcolor", "black"},
	}); err != nil {
		return err
	}
	if err := declare(g, cgraph.EDGE, attrs{
		{"label", ""}, {"fontname", font}, {"fontsize", ftoa(edgeFont)},
		{"color", "black"}, {"fontcolor", "black"}, {"style", "solid"},
		{"penwidth", "1.2"}, {"arrowsize", "0.7"}, {"tooltip", ""},
		{"labeltooltip", ""}, {"dir", "forward"}, {"arrowhead", "normal"},
		{"constraint", "true"}, {"minlen", "1"},
	}); err != nil {
		return err
	}

	gn := make([]*cgraph.Node, len(m.nodes))
	for i, n := range m.nodes {
		v, err := g.CreateNodeByName(n.name)
		if err != nil {
			return err
		}
		gn[i] = v
		st := styleOf(n.Type)
		as := attrs{
			{"label", nodeLabel(n.Entity)},
			{"shape", st.Shape},
			{"style", st.Style},
			{"fillcolor", st.Fill},
			{"color", st.Border},
			{"tooltip", nodeTooltip(n.Entity)},
		}
		if w, ok := labelWidth(n.Entity, nodeFont); ok {
			as = append(as, [2]string{"width", w})
		}
		if schema.IsQID(n.ID) {
			// Built from a validated QID, so always a plain https URL; the
			// check is for whoever adds other links later.
			if u := safeURL("https://www.wikidata.org/wiki/" + n.ID); u != "" {
				as = append(as, [2]string{"URL", u}, [2]string{"target", "_blank"})
			}
		}
		if o.Focus != "" && n.ID == o.Focus {
			// Bold text and a double border need more room than Graphviz
			// estimates for the plain font.
			as = append(as, [2]string{"penwidth", "3.5"}, [2]string{"peripheries", "2"}, [2]string{"margin", "0.22,0.08"}, [2]string{"fontname", "Helvetica-Bold,Arial Bold,sans-serif"})
		}
		if err := set(v, as); err != nil {
			return err
		}
	}
	for i, e := range m.edges {
		v, err := g.CreateEdgeByName(fmt.Sprintf("e%d", i), gn[e.from], gn[e.to])
		if err != nil {
			return err
		}
		fam := familyOf(e.event)
		tip := e.tooltip(m)
		as := attrs{
			{"label", e.label()},
			{"color", fam.Color},
			{"fontcolor", fam.Color},
			{"tooltip", tip},
			// Hovering the label shows the evidence too, not only the line.
			{"labeltooltip", tip},
		}
		switch e.modality {
		case schema.Hypothetical:
			as = append(as, [2]string{"style", "dashed"})
		case schema.Negated:
			as = append(as, [2]string{"style", "dotted"}, [2]string{"arrowhead", "tee"})
		}
		if n := len(e.facts); n > 1 {
			// Thicker for more evidence, logarithmic so hubs stay legible.
			as = append(as, [2]string{"penwidth", ftoa(math.Round((1.2+math.Log2(float64(n)))*10) / 10)})
		}
		if err := set(v, as); err != nil {
			return err
		}
	}
	// A sector actor ("Kenyan police") is drawn beside its country when
	// both are on the map: a light undirected line, no fact of its own.
	for i, n := range m.nodes {
		c, ok := m.byID[schema.SectorCountry(n.ID)]
		if !ok {
			continue
		}
		v, err := g.CreateEdgeByName(fmt.Sprintf("s%d", i), gn[i], gn[c])
		if err != nil {
			return err
		}
		if err := set(v, attrs{{"style", "dotted"}, {"color", "#9a9a9a"}, {"arrowhead", "none"}, {"weight", "4"},
			{"tooltip", clean(n.Name, 120) + ": a sector of " + clean(m.nodes[c].Name, 120)}}); err != nil {
			return err
		}
	}
	return nil
}
