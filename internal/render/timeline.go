package render

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kg-news/kg/schema"
)

// Timeline layout, in SVG user units (px).
const (
	tlLeft     = 190.0 // room for actor names
	tlRight    = 40.0
	tlTop      = 70.0 // title and axis
	tlLane     = 34.0 // lane height
	tlMark     = 6.0  // mark radius
	tlMinWidth = 900.0
	tlPerEvent = 14.0 // horizontal room wanted per dated event
	tlMaxWidth = 4000.0
	tlUndated  = 16.0 // line height of the undated list
	tlMaxList  = 200  // undated facts listed before "… and N more"
)

// tlFact is a fact placed on the time axis.
type tlFact struct {
	schema.Fact
	t    time.Time
	prec int    // 1 year, 2 month, 3 day: how much of the date is known
	date string // the date it is placed by
	by   string // which date that is: schema.ByEvent or schema.ByPublished
}

// parseDate reads kg's fact dates: YYYY, YYYY-MM or YYYY-MM-DD. A partial
// date is placed at the middle of its year or month so that a fact dated
// "2024" does not look like it happened on 1 January.
func parseDate(s string) (time.Time, int, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []struct {
		layout string
		prec   int
	}{{"2006-01-02", 3}, {"2006-01", 2}, {"2006", 1}} {
		if len(s) != len(p.layout) {
			continue
		}
		t, err := time.Parse(p.layout, s)
		if err != nil {
			continue
		}
		switch p.prec {
		case 1:
			t = t.AddDate(0, 6, 0)
		case 2:
			t = t.AddDate(0, 0, 14)
		}
		return t, p.prec, true
	}
	return time.Time{}, 0, false
}

// Timeline renders facts on a time axis as a standalone SVG: one lane per
// actor (the fact's subject), lanes ordered by each actor's first event,
// every dated fact a mark coloured by its PLOVER event type (hollow when
// negated, dashed outline when hypothetical) whose tooltip (<title>)
// carries the relation, the date, the article and the evidence sentence.
// Facts are placed by the date Options.DateBy chooses; a fact placed by
// its article's publication date (the text gives no event date) is a
// square, not a circle, so a reader sees which dates are estimates.
// Facts without a usable date are listed apart below the axis. The SVG is
// written by hand, every user string escaped with encoding/xml, so it needs
// no Graphviz. Options.Title is shown on top; Options.MaxNodes caps the
// number of lanes (ErrTooLarge), Layout and Focus are ignored except that
// the Focus actor's lane is highlighted.
func Timeline(w io.Writer, facts []schema.Fact, o Options) error {
	var dated []tlFact
	var undated []schema.Fact
	published := false // some fact is placed by its publication date
	for _, f := range facts {
		d, by := f.When(o.DateBy)
		if t, prec, ok := parseDate(d); ok {
			dated = append(dated, tlFact{f, t, prec, d, by})
			published = published || by == schema.ByPublished
		} else {
			undated = append(undated, f)
		}
	}
	sort.SliceStable(dated, func(i, j int) bool { return dated[i].t.Before(dated[j].t) })

	// Lanes: one per subject, in order of first appearance on the axis.
	type lane struct {
		id, name string
		n        int
	}
	var lanes []*lane
	laneOf := map[string]*lane{}
	for _, f := range dated {
		l := laneOf[f.Subject.ID]
		if l == nil {
			l = &lane{id: f.Subject.ID, name: f.Subject.Name}
			laneOf[f.Subject.ID] = l
			lanes = append(lanes, l)
		}
		l.n++
	}
	if max := o.maxNodes(); len(lanes) > max {
		return fmt.Errorf("%w: %d actors on the timeline, the limit is %d; narrow the selection with --entity, --depth or --relation", ErrTooLarge, len(lanes), max)
	}

	// Time axis bounds, padded so marks at the ends stay inside.
	var t0, t1 time.Time
	if len(dated) > 0 {
		t0, t1 = dated[0].t, dated[len(dated)-1].t
	}
	span := t1.Sub(t0)
	if span < 24*time.Hour {
		span = 24 * time.Hour
		t0 = t0.Add(-12 * time.Hour)
		t1 = t0.Add(span)
	}
	pad := span / 20
	t0, t1 = t0.Add(-pad), t1.Add(pad)

	plotW := min(max(tlMinWidth, float64(len(dated))*tlPerEvent), tlMaxWidth)
	width := tlLeft + plotW + tlRight
	axisY := tlTop
	lanesH := float64(len(lanes)) * tlLane
	if len(lanes) == 0 {
		lanesH = tlLane
	}
	listTop := axisY + lanesH + 50
	nList := min(len(undated), tlMaxList)
	height := listTop + 30
	if len(undated) > 0 {
		height = listTop + 30 + float64(nList+1)*tlUndated
	}
	height += tlLegendHeight(facts, width, published)

	x := func(t time.Time) float64 {
		return tlLeft + plotW*float64(t.Sub(t0))/float64(t1.Sub(t0))
	}
	f2 := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" font-size="11">`+"\n",
		f2(width), f2(height), f2(width), f2(height), font)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%s" height="%s" fill="white"/>`+"\n", f2(width), f2(height))
	title := clean(o.Title, 200)
	if title == "" {
		title = "Timeline"
	}
	fmt.Fprintf(&b, `<text class="title" x="%s" y="28" text-anchor="middle" font-size="16">%s</text>`+"\n", f2(width/2), xmlText(title))

	// Axis with ticks.
	fmt.Fprintf(&b, `<g class="axis"><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#4a5568"/>`+"\n", f2(tlLeft), f2(axisY), f2(tlLeft+plotW), f2(axisY))
	for _, tk := range ticks(t0, t1) {
		tx := x(tk.t)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e2e8f0"/>`, f2(tx), f2(axisY), f2(tx), f2(axisY+lanesH))
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#4a5568">%s</text>`+"\n", f2(tx), f2(axisY-8), xmlText(tk.label))
	}
	b.WriteString("</g>\n")

	// Lanes and marks.
	for i, l := range lanes {
		y := axisY + float64(i)*tlLane + tlLane/2
		fill := "none"
		if i%2 == 1 {
			fill = "#f7fafc"
		}
		weight := ""
		if o.Focus != "" && l.id == o.Focus {
			fill, weight = "#ebf4ff", ` font-weight="bold"`
		}
		fmt.Fprintf(&b, `<g class="lane" data-actor="%s">`+"\n", xmlText(clean(l.id, 120)))
		fmt.Fprintf(&b, `<rect x="0" y="%s" width="%s" height="%s" fill="%s"/>`+"\n", f2(y-tlLane/2), f2(width), f2(tlLane), fill)
		name := clean(l.name, 30)
		if name == "" {
			name = clean(l.id, 30)
		}
		fmt.Fprintf(&b, `<text class="actor" x="%s" y="%s" text-anchor="end"%s><title>%s</title>%s</text>`+"\n",
			f2(tlLeft-12), f2(y+4), weight, xmlText(clean(l.name, 200)+" ("+clean(l.id, 120)+"), "+strconv.Itoa(l.n)+" dated facts"), xmlText(name))
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#cbd5e0"/>`+"\n", f2(tlLeft), f2(y), f2(tlLeft+plotW), f2(y))
		b.WriteString("</g>\n")
	}
	// Marks after all lanes so no lane background covers them. Facts on the
	// same day in the same lane are nudged apart vertically.
	slot := map[string]int{}
	laneIndex := map[string]int{}
	for i, l := range lanes {
		laneIndex[l.id] = i
	}
	labelEnd := make([]float64, len(lanes)) // right end of each lane's last mark label
	for _, f := range dated {
		li := laneIndex[f.Subject.ID]
		key := strconv.Itoa(li) + "|" + f.t.Format("2006-01-02")
		k := slot[key]
		slot[key]++
		y := axisY + float64(li)*tlLane + tlLane/2
		if k > 0 {
			y += float64((k+1)/2*[]int{1, -1}[k%2]) * 5
		}
		cx := x(f.t)
		color := eventColor(f.Event)
		fill, dash := color, ""
		switch f.Modality {
		case schema.Negated:
			fill = "white"
		case schema.Hypothetical:
			fill, dash = "white", ` stroke-dasharray="2,2"`
		}
		fmt.Fprintf(&b, `<g class="event" data-date="%s" data-date-by="%s" data-event="%s" data-actor="%s">`,
			xmlText(clean(f.date, 20)), f.by, ploverOrEmpty(f.Event), xmlText(clean(f.Subject.ID, 120)))
		fmt.Fprintf(&b, `<title>%s</title>`, xmlText(factTip(f.Fact, o.DateBy)))
		if f.prec < 3 {
			// A month or year: a bar over the period, so the imprecision shows.
			var from, to time.Time
			if f.prec == 1 {
				from = time.Date(f.t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
				to = from.AddDate(1, 0, 0)
			} else {
				from = time.Date(f.t.Year(), f.t.Month(), 1, 0, 0, 0, 0, time.UTC)
				to = from.AddDate(0, 1, 0)
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="4" fill="%s" opacity="0.35"/>`, f2(x(from)), f2(y-2), f2(max(x(to)-x(from), 2)), color)
		}
		if f.by == schema.ByPublished {
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="%s" stroke-width="1.5"%s/>`,
				f2(cx-tlMark*0.85), f2(y-tlMark*0.85), f2(tlMark*1.7), f2(tlMark*1.7), fill, color, dash)
		} else {
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="1.5"%s/>`, f2(cx), f2(y), f2(tlMark), fill, color, dash)
		}
		// A short label ("condemns Corée du Nord") when it fits before the
		// lane's next mark, so the timeline reads without hovering.
		if k == 0 {
			text := markLabel(f.Fact)
			tw := textWidth(text, 9)
			switch {
			case cx+tlMark+3+tw < width-4 && cx-tlMark > labelEnd[li]:
				fmt.Fprintf(&b, `<text class="mark-label" x="%s" y="%s" font-size="9" fill="#4a5568">%s</text>`, f2(cx+tlMark+3), f2(y-tlMark-1), xmlText(text))
				labelEnd[li] = cx + tlMark + 3 + tw
			case cx-tlMark-3-tw > max(labelEnd[li], tlLeft):
				// No room on the right edge: put the label on the left.
				fmt.Fprintf(&b, `<text class="mark-label" x="%s" y="%s" font-size="9" fill="#4a5568" text-anchor="end">%s</text>`, f2(cx-tlMark-3), f2(y-tlMark-1), xmlText(text))
				labelEnd[li] = cx + tlMark
			}
		}
		b.WriteString("</g>\n")
	}

	// Undated facts, listed.
	if len(undated) > 0 {
		fmt.Fprintf(&b, `<g class="undated"><text x="20" y="%s" font-size="12" font-weight="bold">Undated facts (%d)</text>`+"\n", f2(listTop), len(undated))
		for i, f := range undated[:nList] {
			y := listTop + 20 + float64(i)*tlUndated
			fmt.Fprintf(&b, `<g class="event undated-event" data-event="%s"><title>%s</title>`, ploverOrEmpty(f.Event), xmlText(factTip(f, o.DateBy)))
			color, fill, dash := eventColor(f.Event), eventColor(f.Event), ""
			switch f.Modality {
			case schema.Negated:
				fill = "white"
			case schema.Hypothetical:
				fill, dash = "white", ` stroke-dasharray="2,2"`
			}
			fmt.Fprintf(&b, `<circle cx="26" cy="%s" r="4" fill="%s" stroke="%s" stroke-width="1.5"%s/>`, f2(y-4), fill, color, dash)
			fmt.Fprintf(&b, `<text x="38" y="%s">%s</text></g>`+"\n", f2(y), xmlText(factLine(f, 140)))
		}
		if len(undated) > nList {
			fmt.Fprintf(&b, `<text x="38" y="%s" fill="#4a5568">… and %d more</text>`+"\n", f2(listTop+20+float64(nList)*tlUndated), len(undated)-nList)
		}
		b.WriteString("</g>\n")
	}
	tlLegend(&b, facts, width, height-tlLegendHeight(facts, width, published), published)
	b.WriteString("</svg>\n")
	_, err := w.Write(defuseSchemes([]byte(b.String())))
	return err
}

// ploverOrEmpty returns event when it is a PLOVER type, else "": the
// data-event attribute is for scripts and styles, so only known values.
func ploverOrEmpty(event string) string {
	if _, ok := eventColors[event]; ok {
		return event
	}
	return ""
}

// markLabel is the short text next to a timeline mark.
func markLabel(f schema.Fact) string {
	s := clean(f.Relation, 30) + " " + clean(f.Object.Name, 30)
	if f.Modality == schema.Negated {
		s = "not " + s
	} else if f.Modality == schema.Hypothetical {
		s += "?"
	}
	return s
}

// factLine is a one-line summary: "France condemns Corée du Nord (not)".
func factLine(f schema.Fact, max int) string {
	s := clean(f.Subject.Name, 60) + " " + clean(f.Relation, 40) + " " + clean(f.Object.Name, 60)
	switch f.Modality {
	case schema.Negated:
		s += " (negated)"
	case schema.Hypothetical:
		s += " (hypothetical)"
	}
	if ev := clean(f.Evidence.Sentence, max); ev != "" {
		s += " — “" + ev + "”"
	}
	return clean(s, max+60)
}

// factTip is a mark's tooltip: what, when (and by which date, see
// Options.DateBy), where from, and the evidence.
func factTip(f schema.Fact, by string) string {
	lines := []string{factLine(schema.Fact{Subject: f.Subject, Relation: f.Relation, Object: f.Object, Modality: f.Modality}, 0)}
	d, used := f.When(by)
	meta := clean(d, 20)
	switch {
	case meta == "":
		meta = "undated"
	case used == schema.ByPublished:
		meta += " (publication date; the text gives no event date)"
		if by == schema.ByPublished {
			meta = clean(d, 20) + " (publication date)"
		}
	}
	if ev := clean(f.Event, 20); ev != "" {
		meta += " · " + ev
	}
	meta += " · " + clean(f.Doc, 80)
	lines = append(lines, meta)
	if s := clean(f.Evidence.Sentence, maxSentence); s != "" {
		lines = append(lines, "“"+s+"”")
	}
	return strings.Join(lines, "\n")
}

type tick struct {
	t     time.Time
	label string
}

// ticks picks calendar-aligned ticks (days, months, quarters, years) so
// that there are roughly 5–15 of them between t0 and t1.
func ticks(t0, t1 time.Time) []tick {
	days := t1.Sub(t0).Hours() / 24
	var step func(time.Time) time.Time
	var start time.Time
	var layout string
	switch {
	case days <= 20:
		start = time.Date(t0.Year(), t0.Month(), t0.Day(), 0, 0, 0, 0, time.UTC)
		step, layout = func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, "2 Jan"
	case days <= 120:
		start = time.Date(t0.Year(), t0.Month(), t0.Day(), 0, 0, 0, 0, time.UTC)
		for start.Weekday() != time.Monday {
			start = start.AddDate(0, 0, 1)
		}
		step, layout = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }, "2 Jan"
	case days <= 500:
		start = time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
		step, layout = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, "Jan 2006"
	case days <= 1500:
		start = time.Date(t0.Year(), (t0.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
		step, layout = func(t time.Time) time.Time { return t.AddDate(0, 3, 0) }, "Jan 2006"
	default:
		n := int(days/365/10) + 1
		start = time.Date(t0.Year()/n*n, 1, 1, 0, 0, 0, 0, time.UTC)
		step, layout = func(t time.Time) time.Time { return t.AddDate(n, 0, 0) }, "2006"
	}
	var out []tick
	for t := start; !t.After(t1) && len(out) < 60; t = step(t) {
		if !t.Before(t0) {
			out = append(out, tick{t, t.Format(layout)})
		}
	}
	return out
}

// tlLegendTypes returns the PLOVER types present among the facts, in
// PLOVER's order, plus "" for non-events.
func tlLegendTypes(facts []schema.Fact) []string {
	seen := map[string]bool{}
	for _, f := range facts {
		if _, ok := eventColors[f.Event]; ok {
			seen[f.Event] = true
		} else {
			seen[""] = true
		}
	}
	var out []string
	for _, p := range schema.PLOVER {
		if seen[p.Name] {
			out = append(out, p.Name)
		}
	}
	if seen[""] {
		out = append(out, "")
	}
	return out
}

const tlLegendItem = 120.0

func tlLegendHeight(facts []schema.Fact, width float64, published bool) float64 {
	n := len(tlLegendTypes(facts)) + 2 // + negated, hypothetical
	if published {
		n++ // + placed by publication date
	}
	cols := max(1, int((width-40)/tlLegendItem))
	return 30 + float64((n+cols-1)/cols)*18
}

// tlLegend draws the colours of the event types present and the modality
// marks, and the square of facts placed by publication date when there
// are some, in rows at the bottom.
func tlLegend(b *strings.Builder, facts []schema.Fact, width, top float64, published bool) {
	f2 := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	cols := max(1, int((width-40)/tlLegendItem))
	fmt.Fprintf(b, `<g id="legend" class="legend"><text x="20" y="%s" font-size="12" font-weight="bold">Legend</text>`+"\n", f2(top+14))
	items := tlLegendTypes(facts)
	items = append(items, "negated", "hypothetical")
	if published {
		items = append(items, "published")
	}
	for i, it := range items {
		x := 20 + float64(i%cols)*tlLegendItem
		y := top + 34 + float64(i/cols)*18
		color, fill, dash, text := eventColor(it), eventColor(it), "", it
		switch it {
		case "":
			text = "non-event"
		case "negated":
			color, fill = "#4a5568", "white"
		case "hypothetical":
			color, fill, dash = "#4a5568", "white", ` stroke-dasharray="2,2"`
		case "published":
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="9" height="9" fill="#a0aec0" stroke="#4a5568" stroke-width="1.5"/><text x="%s" y="%s" font-size="10">%s</text>`+"\n",
				f2(x+1.5), f2(y-8.5), f2(x+16), f2(y), xmlText("by publication date"))
			continue
		}
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="5" fill="%s" stroke="%s" stroke-width="1.5"%s/><text x="%s" y="%s" font-size="10">%s</text>`+"\n",
			f2(x+6), f2(y-4), fill, color, dash, f2(x+16), f2(y), xmlText(text))
	}
	b.WriteString("</g>\n")
}
