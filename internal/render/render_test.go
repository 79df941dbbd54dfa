package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

// svgDoc walks an SVG with encoding/xml, failing the test if it is not
// well-formed, and collects what the assertions need.
type svgDoc struct {
	texts    []string          // character data of <text> elements
	titles   []string          // xlink:title attributes (tooltips)
	hrefs    []string          // every href / xlink:href attribute value
	elements map[string]int    // local element names seen
	attrs    map[string]string // every attribute "elem@name" -> last value
	ids      map[string]bool
	all      []xml.StartElement
}

func parseSVG(t *testing.T, b []byte) *svgDoc {
	t.Helper()
	d := &svgDoc{elements: map[string]int{}, attrs: map[string]string{}, ids: map[string]bool{}}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			stack = append(stack, x.Name.Local)
			d.elements[x.Name.Local]++
			d.all = append(d.all, x.Copy())
			for _, a := range x.Attr {
				d.attrs[x.Name.Local+"@"+a.Name.Local] = a.Value
				if a.Name.Local == "title" {
					d.titles = append(d.titles, a.Value)
				}
				if a.Name.Local == "href" {
					d.hrefs = append(d.hrefs, a.Value)
				}
				if a.Name.Local == "id" {
					d.ids[a.Value] = true
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "text" {
				d.texts = append(d.texts, string(x))
			}
		case xml.Directive:
			t.Errorf("SVG has a directive <!%s>", x)
		}
	}
	if len(d.elements) == 0 || d.elements["svg"] != 1 {
		t.Fatalf("no single <svg> root: %v", d.elements)
	}
	return d
}

func (d *svgDoc) hasText(s string) bool {
	for _, t := range d.texts {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func (d *svgDoc) hasTitle(s string) bool {
	for _, t := range d.titles {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

func renderSVG(t *testing.T, g schema.Graph, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := SVG(context.Background(), &buf, g, o); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSVGSmallGraph(t *testing.T) {
	b := renderSVG(t, testGraph(), Options{Title: "Corée du Nord : missiles", Focus: "Q423"})
	if dir := os.Getenv("RENDER_OUT"); dir != "" {
		os.WriteFile(dir+"/render-test.svg", b, 0o644)
	}
	d := parseSVG(t, b)
	for _, s := range []string{"France", "Corée du Nord", "Q423", "Conseil de sécurité des Nations unies", "Résolution 2397", "Kim Jong-un",
		"condemns ×2", "supplies", "not supplies", "sanctions?", "signs", "Corée du Nord : missiles"} {
		if !d.hasText(s) {
			t.Errorf("no text %q in SVG; texts: %q", s, d.texts)
		}
	}
	for _, s := range []string{
		"La France condamne fermement le tir de missile balistique",
		"Paris a de nouveau condamné",
		"2024-01-15", "afp-2024-01-15",
		"Moscou dément avoir livré du pétrole", "(negated)",
		"Washington pourrait imposer", "(hypothetical)",
	} {
		if !d.hasTitle(s) {
			t.Errorf("no tooltip containing %q", s)
		}
	}
	if !d.hasText("Legend") {
		t.Error("no legend")
	}
	for _, s := range []string{"country", "organization", "person", "document", "verbal conflict", "material cooperation", "non-event"} {
		if !d.hasText(s) {
			t.Errorf("legend lacks %q", s)
		}
	}
	if d.hasText("group") || d.hasText("location") {
		t.Error("legend lists entity types that are not in the graph")
	}
	if bytes.Contains(b, []byte("<!DOCTYPE")) {
		t.Error("DOCTYPE left in")
	}
	for _, h := range d.hrefs {
		if !strings.HasPrefix(h, "https://www.wikidata.org/wiki/Q") {
			t.Errorf("unexpected link %q", h)
		}
	}
	// Dashed hypothetical, dotted negated edges.
	if !bytes.Contains(b, []byte(`stroke-dasharray="5,2"`)) || !bytes.Contains(b, []byte(`stroke-dasharray="1,5"`)) {
		t.Error("no dashed or dotted edge")
	}
}

func TestTooLarge(t *testing.T) {
	g := bigGraph(11)
	err := SVG(context.Background(), io.Discard, g, Options{MaxNodes: 10})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	for _, s := range []string{"11 nodes", "10", "--entity", "--depth", "--relation"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
	if err := DOT(context.Background(), io.Discard, g, Options{MaxNodes: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("DOT: err = %v", err)
	}
	if err := PNG(context.Background(), io.Discard, g, Options{MaxNodes: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("PNG: err = %v", err)
	}
	// Exactly at the limit is fine.
	if err := DOT(context.Background(), io.Discard, bigGraph(10), Options{MaxNodes: 10}); err != nil {
		t.Errorf("10 nodes with MaxNodes 10: %v", err)
	}
	// The default limit is 300.
	if err := DOT(context.Background(), io.Discard, bigGraph(301), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("301 nodes with the default limit: %v", err)
	}
}

func TestFormat(t *testing.T) {
	for in, want := range map[string]string{"x.svg": "svg", "x.PNG": "png", "x.dot": "dot", "dir.v2/map.gv": "dot", "A.Svg": "svg"} {
		got, err := Format(in)
		if err != nil || got != want {
			t.Errorf("Format(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"x.pdf", "x", "x.svg.gz"} {
		_, err := Format(in)
		if err == nil {
			t.Errorf("Format(%q) succeeded", in)
			continue
		}
		for _, s := range []string{".svg", ".png", ".dot"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("Format(%q) error %q does not name %s", in, err, s)
			}
		}
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := SVG(ctx, io.Discard, testGraph(), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// The shared Graphviz instance still works afterwards.
	renderSVG(t, testGraph(), Options{})
}

func TestDOT(t *testing.T) {
	var buf bytes.Buffer
	if err := DOT(context.Background(), &buf, testGraph(), Options{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{"digraph", "rankdir=LR", `"Corée du Nord\nQ423"`, "condemns ×2", "style=dotted", "style=dashed", "layout=dot"} {
		if !strings.Contains(s, want) {
			t.Errorf("DOT lacks %q", want)
		}
	}
	// No positions: the DOT is source to edit and lay out again.
	for _, no := range []string{"bb=", "pos=", "lp="} {
		if strings.Contains(s, no) {
			t.Errorf("DOT has %q", no)
		}
	}
}

func TestLayouts(t *testing.T) {
	for _, l := range []string{"dot", "sfdp", "neato", "auto", ""} {
		d := parseSVG(t, renderSVG(t, testGraph(), Options{Layout: l}))
		if !d.hasText("Résolution 2397") {
			t.Errorf("layout %q: label missing", l)
		}
	}
	if err := SVG(context.Background(), io.Discard, testGraph(), Options{Layout: "circo"}); err == nil {
		t.Error("unknown layout accepted")
	}
}

func TestEdgeCases(t *testing.T) {
	// Empty graph, a lone node, a self-loop, an entity only named by a fact,
	// duplicate ids, an unknown type and an empty relation.
	parseSVG(t, renderSVG(t, schema.Graph{}, Options{Title: "empty"}))
	a := ent("Q1", "A", "country")
	b := ent("x/b", "", "weird/type")
	g := schema.Graph{
		Nodes: []schema.Entity{a, a, b},
		Edges: []schema.Fact{
			fact("d1", a, a, "meets", "CONSULT", "2024", schema.Asserted, "self"),
			fact("d2", a, ent("Q9", "Only in a fact", "person"), "", "", "", "", ""),
		},
	}
	d := parseSVG(t, renderSVG(t, g, Options{}))
	for _, s := range []string{"A", "x/b", "Only in a fact", "related to", "other"} {
		if !d.hasText(s) {
			t.Errorf("no text %q: %q", s, d.texts)
		}
	}
	m := buildModel(g)
	if len(m.nodes) != 3 || len(m.edges) != 2 {
		t.Errorf("model has %d nodes and %d edges, want 3 and 2", len(m.nodes), len(m.edges))
	}
}

func TestMerge(t *testing.T) {
	g := testGraph()
	m := buildModel(g)
	// France condemns North Korea twice (merged), Russia supplies North
	// Korea denied (kept apart from North Korea supplies Russia).
	var condemns, supplies int
	for _, e := range m.edges {
		if e.relation == "condemns" && m.nodes[e.from].ID == "Q142" {
			condemns = len(e.facts)
			if l := e.label(); l != "condemns ×2" {
				t.Errorf("label %q", l)
			}
			tip := e.tooltip(m)
			if strings.Index(tip, "2024-02-02") > strings.Index(tip, "2024-01-15") {
				t.Error("evidence not newest first")
			}
		}
		if e.relation == "supplies" {
			supplies++
		}
	}
	if condemns != 2 || supplies != 2 {
		t.Errorf("condemns merged %d, supplies edges %d", condemns, supplies)
	}
	// Many facts on one edge: the tooltip stays bounded.
	var many schema.Graph
	for i := 0; i < 50; i++ {
		many.Edges = append(many.Edges, fact("doc"+strings.Repeat("x", i), g.Nodes[0], g.Nodes[1], "condemns", "ACCUSE", "2024-01-01", schema.Asserted, strings.Repeat("word ", 200)))
	}
	mm := buildModel(many)
	if l := mm.edges[0].label(); l != "condemns ×50" {
		t.Errorf("label %q", l)
	}
	if tip := mm.edges[0].tooltip(mm); len(tip) > 4000 || !strings.Contains(tip, "and 44 more") {
		t.Errorf("tooltip of %d bytes: %q", len(tip), tip[len(tip)-40:])
	}
}

func TestConcurrentRenders(t *testing.T) {
	// go-graphviz runs one wasm module; without the package mutex most
	// concurrent renders fail. All must succeed, in every format.
	errs := make(chan error, 24)
	for i := 0; i < 24; i++ {
		go func(i int) {
			var buf bytes.Buffer
			var err error
			switch i % 3 {
			case 0:
				err = SVG(context.Background(), &buf, testGraph(), Options{Layout: []string{"dot", "sfdp", "neato"}[i%9/3]})
			case 1:
				err = DOT(context.Background(), &buf, testGraph(), Options{})
			default:
				err = Timeline(&buf, testGraph().Edges, Options{})
			}
			if err == nil && buf.Len() < 500 {
				err = errors.New("short output")
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 24; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
