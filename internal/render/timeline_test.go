package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

// tlDoc is what the timeline tests read back from the SVG.
type tlDoc struct {
	lanes  []string // data-actor of lanes, in document order (top to bottom)
	events []tlEvent
	texts  []string
	titles []string
}

type tlEvent struct {
	actor, date, event, title string
	cx, cy                    float64
	undated                   bool
}

func parseTimeline(t *testing.T, b []byte) tlDoc {
	t.Helper()
	var d tlDoc
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var cur *tlEvent
	var inTitle, inText bool
	depth, evDepth := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("timeline SVG not well-formed: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			depth++
			attr := map[string]string{}
			for _, a := range x.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch x.Name.Local {
			case "g":
				if strings.Contains(attr["class"], "lane") {
					d.lanes = append(d.lanes, attr["data-actor"])
				}
				if strings.Contains(attr["class"], "event") {
					cur = &tlEvent{actor: attr["data-actor"], date: attr["data-date"], event: attr["data-event"], undated: strings.Contains(attr["class"], "undated")}
					evDepth = depth
				}
			case "circle":
				if cur != nil {
					cur.cx = atof(attr["cx"])
					cur.cy = atof(attr["cy"])
				}
			case "title":
				inTitle = true
			case "text":
				inText = true
			case "script", "foreignObject", "image", "a", "use":
				t.Errorf("timeline has a <%s> element", x.Name.Local)
			}
			for k, v := range attr {
				if strings.HasPrefix(strings.ToLower(k), "on") || strings.Contains(strings.ToLower(v), "javascript:") && k != "data-actor" && k != "data-date" {
					t.Errorf("suspicious attribute %s=%q", k, v)
				}
			}
		case xml.EndElement:
			if x.Name.Local == "g" && cur != nil && depth == evDepth {
				d.events = append(d.events, *cur)
				cur = nil
			}
			if x.Name.Local == "title" {
				inTitle = false
			}
			if x.Name.Local == "text" {
				inText = false
			}
			depth--
		case xml.CharData:
			if inTitle {
				d.titles = append(d.titles, string(x))
				if cur != nil {
					cur.title += string(x)
				}
			} else if inText {
				d.texts = append(d.texts, string(x))
			}
		}
	}
	return d
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func TestTimeline(t *testing.T) {
	g := testGraph()
	var buf bytes.Buffer
	if err := Timeline(&buf, g.Edges, Options{Title: "Corée du Nord, 2017–2024", Focus: "Q423"}); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("RENDER_OUT"); dir != "" {
		os.WriteFile(dir+"/render-timeline.svg", buf.Bytes(), 0o644)
	}
	d := parseTimeline(t, buf.Bytes())
	// One lane per subject with a dated fact, ordered by first event:
	// France and the UNSC (2017-12-22), Kim (2023-09-13), North Korea
	// (2024-01-20), Russia (2024-01-21), the US (2024-03-01).
	want := []string{"Q142", "Q37470", "person/kim-jong-un", "Q423", "Q159", "Q30"}
	if strings.Join(d.lanes, ",") != strings.Join(want, ",") {
		t.Errorf("lanes = %q, want %q", d.lanes, want)
	}
	var dated, undated []tlEvent
	for _, e := range d.events {
		if e.undated {
			undated = append(undated, e)
		} else {
			dated = append(dated, e)
		}
	}
	if len(dated) != 9 || len(undated) != 2 {
		t.Fatalf("%d dated and %d undated events, want 9 and 2", len(dated), len(undated))
	}
	// Time order: x grows with the date, across and within lanes.
	for i := range dated {
		for j := range dated {
			if dated[i].date < dated[j].date && !(dated[i].cx < dated[j].cx) {
				t.Errorf("%s at x=%v is not left of %s at x=%v", dated[i].date, dated[i].cx, dated[j].date, dated[j].cx)
			}
		}
	}
	// Each mark sits in its actor's lane, lanes top to bottom.
	laneY := map[string]float64{}
	for _, e := range dated {
		if y, ok := laneY[e.actor]; ok && (e.cy-y > 10 || y-e.cy > 10) {
			t.Errorf("marks of %s at y=%v and %v", e.actor, y, e.cy)
		}
		laneY[e.actor] = e.cy
	}
	for i := 1; i < len(want); i++ {
		if !(laneY[want[i-1]] < laneY[want[i]]) {
			t.Errorf("lane %s not above %s", want[i-1], want[i])
		}
	}
	// Tooltips carry the evidence, date and article.
	found := false
	for _, e := range dated {
		if e.actor == "Q142" && e.date == "2024-01-15" {
			found = true
			for _, s := range []string{"France condemns Corée du Nord", "2024-01-15", "ACCUSE", "afp-2024-01-15", "La France condamne fermement"} {
				if !strings.Contains(e.title, s) {
					t.Errorf("tooltip %q lacks %q", e.title, s)
				}
			}
		}
	}
	if !found {
		t.Error("no mark for France's 2024-01-15 condemnation")
	}
	for _, s := range []string{"Undated facts (2)", "Legend", "ACCUSE", "AID", "CONSULT", "non-event", "Kim Jong-un", "Corée du Nord, 2017–2024"} {
		ok := false
		for _, x := range d.texts {
			if strings.Contains(x, s) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("no text %q", s)
		}
	}
}

func TestTimelineHostile(t *testing.T) {
	var facts []schema.Fact
	prev := ent("Q1", "Anchor", "country")
	for i, h := range hostileStrings() {
		e := ent(h, h, "country")
		f := fact(h, e, prev, h, h, "2024-01-0"+string(rune('1'+i%9)), schema.Modality(h), h)
		facts = append(facts, f)
		f.Date = h
		facts = append(facts, f)
	}
	var buf bytes.Buffer
	if err := Timeline(&buf, facts, Options{Title: hostileStrings()[0]}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	d := parseTimeline(t, b)
	if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
		t.Error("<script in timeline")
	}
	ok := false
	for _, s := range d.titles {
		if strings.Contains(s, "<script>alert(1)</script>") {
			ok = true
		}
		for _, r := range s {
			if r < 0x20 && r != '\n' || r == 0x202E {
				t.Errorf("control character %U in tooltip", r)
			}
		}
	}
	if !ok {
		t.Error("hostile text not shown as text")
	}
	if len(d.lanes) != len(hostileStrings()) {
		t.Errorf("%d lanes, want %d", len(d.lanes), len(hostileStrings()))
	}
}

func TestTimelineEdgeCases(t *testing.T) {
	// Empty, single fact, year-only dates, too many actors.
	for _, facts := range [][]schema.Fact{nil, testGraph().Edges[:1]} {
		var buf bytes.Buffer
		if err := Timeline(&buf, facts, Options{}); err != nil {
			t.Fatal(err)
		}
		parseTimeline(t, buf.Bytes())
	}
	fs := testGraph().Edges
	fs[0].Date, fs[1].Date = "2023", "2023-06"
	var buf bytes.Buffer
	if err := Timeline(&buf, fs, Options{}); err != nil {
		t.Fatal(err)
	}
	parseTimeline(t, buf.Bytes())
	big := bigGraph(50)
	err := Timeline(io.Discard, big.Edges, Options{MaxNodes: 5})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	for _, c := range []struct {
		in string
		ok bool
	}{{"2024", true}, {"2024-02", true}, {"2024-02-30", false}, {"24-02-01", false}, {"", false}, {"2024-02-01T10:00", false}} {
		if _, _, ok := parseDate(c.in); ok != c.ok {
			t.Errorf("parseDate(%q) ok = %v", c.in, ok)
		}
	}
}

// TestTimelineByPublication: a fact the text gives no date for is placed
// by its article's publication date, drawn as a square and said so in its
// tooltip; --by event lists it as undated, --by published places every
// fact by its article's date.
func TestTimelineByPublication(t *testing.T) {
	nk := schema.EntityRef{ID: "Q423", Name: "Corée du Nord", Type: "country"}
	ru := schema.EntityRef{ID: "Q159", Name: "Russie", Type: "country"}
	facts := []schema.Fact{
		{Doc: "a", Subject: nk, Relation: "supplies", Event: "AID", Object: ru, Date: "2023-12-30", Published: "2024-01", Modality: schema.Asserted},
		{Doc: "a", Subject: ru, Relation: "attacks", Event: "ASSAULT", Object: nk, Published: "2024-01", Modality: schema.Asserted},
		{Doc: "b", Subject: ru, Relation: "condemns", Event: "ACCUSE", Object: nk, Modality: schema.Asserted},
	}
	for _, c := range []struct {
		by                        string
		event, published, undated int
	}{
		{"", 1, 1, 1},
		{schema.ByEvent, 1, 0, 2},
		{schema.ByPublished, 0, 2, 1},
	} {
		t.Run("by "+c.by, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Timeline(&buf, facts, Options{DateBy: c.by}); err != nil {
				t.Fatal(err)
			}
			svg := buf.String()
			d := parseTimeline(t, buf.Bytes())
			undated := 0
			for _, e := range d.events {
				if e.undated {
					undated++
				}
			}
			got := [3]int{strings.Count(svg, `data-date-by="event"`), strings.Count(svg, `data-date-by="published"`), undated}
			if got != [3]int{c.event, c.published, c.undated} {
				t.Errorf("by event, by publication, undated = %v, want %v", got, [3]int{c.event, c.published, c.undated})
			}
			if c.published > 0 && (!strings.Contains(svg, "(publication date") || !strings.Contains(svg, "by publication date")) {
				t.Error("a fact placed by its publication date is not said to be")
			}
		})
	}
}
