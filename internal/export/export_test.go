package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/kg-news/kg/schema"
)

// hostile is text a news article could carry and every format must
// survive: markup, quotes of both kinds, an ampersand, control characters
// (NUL, BEL, ESC, vertical tab, DEL), newlines, a CDATA end, N-Quads and
// JSON terminators, a formula, invalid UTF-8 and a line separator.
const hostile = "<script>alert('x')</script> \"quoted\" & 'single' \x00\x07\x1b\x0b\x7f\nline2\r\n]]> \"]; } . > @ \xff\xfe \u2028 fin"

func fixture() schema.Graph {
	kp := schema.EntityRef{ID: "Q423", Name: "Corée du Nord", Type: "country"}
	ru := schema.EntityRef{ID: "Q159", Name: "Russie", Type: "country"}
	eu := schema.EntityRef{ID: "Q458", Name: "Union européenne", Type: "organization/igo"}
	us := schema.EntityRef{ID: "Q30", Name: "États-Unis", Type: "country"}
	bad := schema.EntityRef{ID: "person/x y<z>", Name: hostile, Type: "person"}
	s1 := "L'Union européenne et les États-Unis ont dénoncé la Corée du Nord pour avoir fourni des missiles à la Russie."
	return schema.Graph{
		Nodes: []schema.Entity{
			{EntityRef: kp, Aliases: []string{"RPDC", "DPRK"}},
			{EntityRef: ru, Aliases: []string{"=HYPERLINK(\"http://evil\")"}},
			{EntityRef: eu, Country: ""},
			{EntityRef: us},
			{EntityRef: bad, Role: "@role", Country: "Q423"},
			{EntityRef: schema.EntityRef{ID: "Q17", Name: "Japon", Type: "country"}}, // no facts
		},
		Edges: []schema.Fact{
			{Doc: "dprk-1", Subject: eu, Relation: "condemns", Event: "ACCUSE", Mode: "disapprove", Object: kp, Date: "2024-01", Published: "2024-01-10",
				Modality: schema.Asserted, Confidence: 0.9, Evidence: schema.Evidence{Sentence: s1, Span: schema.Span{Start: 0, End: len(s1)}}},
			{Doc: "dprk-1", Subject: us, Relation: "condemns", Event: "ACCUSE", Mode: "disapprove", Object: kp, Date: "2024-01", Published: "2024-01-10",
				Modality: schema.Asserted, Confidence: 0.8, Evidence: schema.Evidence{Sentence: s1, Span: schema.Span{Start: 0, End: len(s1)}}},
			{Doc: "dprk-1", Subject: kp, Relation: "supplies", Event: "AID", Mode: "military", Object: ru, Published: "2024-01-10",
				Modality: schema.Asserted, Confidence: 0.7, Instrument: "missiles", Evidence: schema.Evidence{Sentence: s1, Span: schema.Span{Start: 0, End: len(s1)}}},
			{Doc: "dir/a b\"<c>.txt", Subject: bad, Relation: "threatens", Event: "THREATEN", Object: ru,
				Modality: schema.Hypothetical, Confidence: 0.5, Speaker: hostile, Evidence: schema.Evidence{Sentence: "=1+1 " + hostile}},
			{Doc: "dprk-2", Subject: kp, Relation: "member_of", Object: ru, Modality: schema.Negated, Confidence: 0.6,
				Evidence: schema.Evidence{Sentence: "-not an event"}},
		},
	}
}

// native turns the values the reader returns into the ones the builder
// used: Cayley's reader gives quad.String for plain literals and
// quad.Float / quad.Int for typed ones.
func readNQuads(t *testing.T, b []byte) []quad.Quad {
	t.Helper()
	r := nquads.NewReader(bytes.NewReader(b), false)
	var out []quad.Quad
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("cayley n-quads reader: %v (after %d quads)", err, len(out))
		}
		out = append(out, q)
	}
	return out
}

// want is what the reader should give back for a built quad: IRIs are
// percent-escaped where the grammar forbids bytes, strings made valid
// UTF-8.
func want(q quad.Quad) quad.Quad {
	fix := func(v quad.Value) quad.Value {
		switch v := v.(type) {
		case quad.IRI:
			return quad.IRI(safeIRI(validUTF8(string(v))))
		case quad.String:
			return quad.String(validUTF8(string(v)))
		}
		return v
	}
	q.Subject, q.Predicate, q.Object = fix(q.Subject), fix(q.Predicate), fix(q.Object)
	if q.Label != nil {
		q.Label = fix(q.Label)
	}
	return q
}

func TestNQuadsRoundTrip(t *testing.T) {
	g := fixture()
	var buf bytes.Buffer
	if err := NQuads(&buf, g); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if !strings.HasSuffix(line, " .") {
			t.Fatalf("line %d is not one statement: %q", i+1, line)
		}
	}
	got := readNQuads(t, buf.Bytes())
	built := quads(g, nil)
	if len(got) != len(built) {
		t.Fatalf("read %d quads, wrote %d", len(got), len(built))
	}
	for i := range built {
		if w := want(built[i]); !reflect.DeepEqual(got[i], w) {
			t.Errorf("quad %d:\n got %#v\nwant %#v", i, got[i], w)
		}
	}
}

// TestNQuadsModel pins the data model against internal/graph/write.go's
// articleQuads: the direct edge and the fact node's properties, labelled
// with the article IRI.
func TestNQuadsModel(t *testing.T) {
	g := fixture()
	qs := quads(g, nil)
	has := func(s, p string, o quad.Value, label string) {
		t.Helper()
		q := quad.Quad{Subject: quad.IRI(s), Predicate: quad.IRI(p), Object: o, Label: quad.IRI(label)}
		for _, x := range qs {
			if x == q {
				return
			}
		}
		t.Errorf("missing %v", q)
	}
	art := schema.ArticleIRI("dprk-1")
	f := g.Edges[0]
	fact := schema.FactIRI(f)
	has(schema.EntityIRI("Q458"), schema.Vocab("condemns"), quad.IRI(schema.EntityIRI("Q423")), art)
	has(fact, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", quad.IRI(schema.Vocab("Fact")), art)
	has(fact, schema.Vocab("subject"), quad.IRI(schema.EntityIRI("Q458")), art)
	has(fact, schema.Vocab("event"), quad.String("ACCUSE"), art)
	has(fact, schema.Vocab("confidence"), quad.Float(0.9), art)
	has(fact, schema.Vocab("end"), quad.Int(len(f.Evidence.Sentence)), art)
	has(fact, schema.Vocab("article"), quad.IRI(art), art)
	has(art, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", quad.IRI(schema.Vocab("Article")), art)
	has(schema.EntityIRI("Q423"), schema.Vocab("key"), quad.String("rpdc"), art)
	has(schema.EntityIRI("Q423"), schema.Vocab("wikidata"), quad.String("Q423"), art)
	// the entity without facts is still exported, in the default graph
	found := false
	for _, q := range qs {
		if q.Subject == quad.IRI(schema.EntityIRI("Q17")) && q.Label == nil {
			found = true
		}
	}
	if !found {
		t.Error("entity without facts missing")
	}
}

func TestNQuadsHostileLines(t *testing.T) {
	var buf bytes.Buffer
	if err := NQuads(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, c := range []string{"\x00", "\x07", "\x1b", "\x0b", "\r", "\u2028", "\xff"} {
		if strings.Contains(out, c) {
			t.Errorf("raw %q in N-Quads output", c)
		}
	}
	if !strings.Contains(out, `<https://kg-news.github.io/entity/person/x%20y%3Cz%3E>`) {
		t.Error("entity IRI with space and <> not percent-encoded")
	}
}

// python returns a Python 3 that can import module, or skips: the
// system one (Debian packages) first, then whatever python3 is on PATH.
func python(t *testing.T, module string) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if err := exec.Command(p, "-c", "import "+module).Run(); err == nil {
			return p
		}
	}
	t.Skipf("no python3 with %s (Debian: apt-get install python3-%s): the export was not read back with it", module, module)
	return ""
}

func runPython(t *testing.T, py, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command(py, append([]string{"-c", script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	timer := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

func writeTemp(t *testing.T, name string, fn func(io.Writer) error) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := fn(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRDFLib has rdflib parse the N-Quads and the JSON-LD: the quad count
// must be ours, and both must hold the same triples.
func TestRDFLib(t *testing.T) {
	py := python(t, "rdflib")
	g := fixture()
	nq := writeTemp(t, "g.nq", func(w io.Writer) error { return NQuads(w, g) })
	jl := writeTemp(t, "g.jsonld", func(w io.Writer) error { return JSONLD(w, g) })
	out := runPython(t, py, `
import sys, rdflib
ds = rdflib.ConjunctiveGraph()
ds.parse(sys.argv[1], format="nquads")
quads = len(list(ds.quads((None, None, None, None))))
def norm(g):
    out = set()
    for s, p, o in g:
        if isinstance(o, rdflib.Literal) and o.datatype is not None:
            o = (str(o.datatype), o.toPython())
        out.add((s, p, o))
    return out
t1 = norm(ds.triples((None, None, None)))
jg = rdflib.Graph()
jg.parse(sys.argv[2], format="json-ld")
t2 = norm(jg)
print(quads, len(t1), len(t2), len(t1 - t2), len(t2 - t1))
for x in list(t1 ^ t2)[:5]: print(x, file=sys.stderr)
`, nq, jl)
	f := strings.Fields(out)
	if len(f) != 5 {
		t.Fatalf("rdflib said %q", out)
	}
	if n, _ := strconv.Atoi(f[0]); n != len(quads(g, nil)) {
		t.Errorf("rdflib read %s quads, we wrote %d", f[0], len(quads(g, nil)))
	}
	if f[1] != f[2] || f[3] != "0" || f[4] != "0" {
		t.Errorf("N-Quads and JSON-LD triples differ: %s", out)
	}
	t.Logf("rdflib: %s quads, %s triples in both N-Quads and JSON-LD", f[0], f[1])
}

func TestJSONLD(t *testing.T) {
	var buf bytes.Buffer
	if err := JSONLD(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("<script>")) {
		t.Error("raw <script> in JSON-LD: not safe to embed in HTML")
	}
	var doc struct {
		Context map[string]any   `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Context["@vocab"] != schema.VocabBase {
		t.Errorf("@vocab = %v", doc.Context["@vocab"])
	}
	var facts, ents int
	for _, n := range doc.Graph {
		switch n["@type"] {
		case "Fact":
			facts++
		case "Entity":
			ents++
		}
		if n["@id"] == schema.EntityIRI("Q458") {
			if ref, ok := n["condemns"].(map[string]any); !ok || ref["@id"] != schema.EntityIRI("Q423") {
				t.Errorf("direct edge missing on the EU node: %v", n)
			}
		}
	}
	if facts != 5 || ents != 6 {
		t.Errorf("facts %d entities %d, want 5 and 6", facts, ents)
	}
}

func TestContext(t *testing.T) {
	var c struct {
		Context map[string]any `json:"@context"`
	}
	if err := json.Unmarshal(Context, &c); err != nil {
		t.Fatal(err)
	}
	if c.Context["kg"] != schema.VocabBase || c.Context["wd"] != schema.WikidataBase {
		t.Errorf("prefixes: %v", c.Context)
	}
}

type gmlData struct {
	Key string `xml:"key,attr"`
	Val string `xml:",chardata"`
}

type gmlDoc struct {
	Keys []struct {
		ID  string `xml:"id,attr"`
		For string `xml:"for,attr"`
	} `xml:"key"`
	Graph struct {
		Nodes []struct {
			ID   string    `xml:"id,attr"`
			Data []gmlData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string    `xml:"id,attr"`
			Source string    `xml:"source,attr"`
			Target string    `xml:"target,attr"`
			Data   []gmlData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

// xmlSafe is what an XML parser gives back for s: characters XML 1.0
// cannot hold come back as U+FFFD, and CR LF is not normalised because we
// write CR as a character reference.
func xmlSafe(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(validUTF8(s)))
	var out string
	xml.Unmarshal([]byte("<a>"+b.String()+"</a>"), &out)
	return out
}

func TestGraphML(t *testing.T) {
	g := fixture()
	var buf bytes.Buffer
	if err := GraphML(&buf, g); err != nil {
		t.Fatal(err)
	}
	var doc gmlDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	if len(doc.Graph.Nodes) != 6 || len(doc.Graph.Edges) != 5 {
		t.Fatalf("%d nodes %d edges, want 6 and 5", len(doc.Graph.Nodes), len(doc.Graph.Edges))
	}
	declared := map[string]bool{}
	for _, k := range doc.Keys {
		declared[k.ID] = true
	}
	var evidence string
	for _, e := range doc.Graph.Edges {
		for _, d := range e.Data {
			if !declared[d.Key] {
				t.Errorf("undeclared key %s", d.Key)
			}
			if d.Key == "e_evidence" && e.Source == "person/x y<z>" {
				evidence = d.Val
			}
		}
	}
	if w := xmlSafe("=1+1 " + hostile); evidence != w {
		t.Errorf("evidence read back as %q, want %q", evidence, w)
	}
	if !strings.Contains(evidence, "<script>") || !strings.Contains(evidence, "\r\n") {
		t.Errorf("evidence lost characters: %q", evidence)
	}
}

// TestGraphMLNetworkx has networkx load the file, as a notebook would.
func TestGraphMLNetworkx(t *testing.T) {
	py := python(t, "networkx")
	p := writeTemp(t, "g.graphml", func(w io.Writer) error { return GraphML(w, fixture()) })
	out := runPython(t, py, `
import sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
e = [d for _, _, d in g.edges(data=True) if d.get("relation") == "threatens"][0]
print(g.number_of_nodes(), g.number_of_edges(), type(g).__name__, g.nodes["Q423"]["name"], repr(e["confidence"]), "<script>" in e["evidence"])
`, p)
	if want := "6 5 MultiDiGraph Corée du Nord 0.5 True"; out != want {
		t.Errorf("networkx: %q, want %q", out, want)
	}
}

func TestCSV(t *testing.T) {
	g := fixture()
	var nb, eb bytes.Buffer
	if err := CSV(&nb, &eb, g); err != nil {
		t.Fatal(err)
	}
	nodes, err := csv.NewReader(&nb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	edges, err := csv.NewReader(&eb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 7 || len(edges) != 6 {
		t.Fatalf("%d node rows, %d edge rows (with headers), want 7 and 6", len(nodes), len(edges))
	}
	for _, rows := range [][][]string{nodes, edges} {
		for _, row := range rows {
			for _, c := range row {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("formula cell %q", c)
				}
			}
		}
	}
	last := edges[4]
	// encoding/csv reads CR LF inside a quoted field as LF
	if ev := last[len(last)-1]; ev != strings.ReplaceAll("'"+validUTF8("=1+1 "+hostile), "\r\n", "\n") {
		t.Errorf("evidence = %q", ev)
	}
	if nodes[5][5] != "'@role" {
		t.Errorf("role = %q", nodes[5][5])
	}
}

func TestCSVPandas(t *testing.T) {
	py := python(t, "pandas")
	g := fixture()
	dir := t.TempDir()
	nf, _ := os.Create(filepath.Join(dir, "n.csv"))
	ef, _ := os.Create(filepath.Join(dir, "e.csv"))
	if err := CSV(nf, ef, g); err != nil {
		t.Fatal(err)
	}
	nf.Close()
	ef.Close()
	out := runPython(t, py, `
import sys, pandas as pd
n = pd.read_csv(sys.argv[1]); e = pd.read_csv(sys.argv[2])
print(len(n), len(e), list(e.columns)[:3], e["evidence"].str.contains("<script>").sum())
`, filepath.Join(dir, "n.csv"), filepath.Join(dir, "e.csv"))
	if want := "6 5 ['id', 'source', 'target'] 1"; out != want {
		t.Errorf("pandas: %q, want %q", out, want)
	}
}

func TestPLOVER(t *testing.T) {
	var buf bytes.Buffer
	if err := PLOVER(&buf, fixture().Edges); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	var recs []PloverRecord
	for _, l := range lines {
		var r PloverRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		recs = append(recs, r)
	}
	// condemns by EU and US merge; supplies separate; threatens kept;
	// member_of (no event) skipped
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3:\n%s", len(recs), buf.String())
	}
	var accuse *PloverRecord
	for i := range recs {
		if recs[i].EventType == "ACCUSE" {
			accuse = &recs[i]
		}
		if recs[i].Source != "kg" || recs[i].Coder != "kg" || recs[i].ID == "" || recs[i].Context == nil || recs[i].Mode == nil {
			t.Errorf("record %d: %+v", i, recs[i])
		}
	}
	if accuse == nil || len(accuse.Actor) != 2 || accuse.Actor[0].Wikidata != "Q458" || accuse.Actor[1].Wikidata != "Q30" ||
		len(accuse.Recipient) != 1 || accuse.Recipient[0].IdentifierID != "Q423" || *accuse.Date != "2024-01" ||
		len(accuse.Mode) != 1 || accuse.Mode[0] != "disapprove" || accuse.Event[0] != "ACCUSE" || accuse.TextInfo == nil {
		t.Errorf("ACCUSE record: %+v", accuse)
	}
	last := recs[len(recs)-1]
	if last.Date != nil || last.Modality != "hypothetical" || last.Comment == "" || last.Citation != "dir/a b\"<c>.txt" ||
		last.CiteInfo.Citation != last.Citation || last.Text != validUTF8("=1+1 "+hostile) {
		t.Errorf("undated hypothetical record: %+v", last)
	}
}

// TestPLOVERRecipients merges one actor's same event on two recipients.
func TestPLOVERRecipients(t *testing.T) {
	a := schema.EntityRef{ID: "Q458", Name: "UE"}
	f1 := schema.Fact{Doc: "d", Subject: a, Relation: "sanctions", Event: "SANCTION", Object: schema.EntityRef{ID: "Q423"}, Evidence: schema.Evidence{Sentence: "s"}}
	f2 := f1
	f2.Object = schema.EntityRef{ID: "Q159"}
	var buf bytes.Buffer
	if err := PLOVER(&buf, []schema.Fact{f1, f2}); err != nil {
		t.Fatal(err)
	}
	var r PloverRecord
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Recipient) != 2 || len(r.Facts) != 2 || r.Modality != "asserted" {
		t.Errorf("%+v", r)
	}
}

// TestArticleMeta: metadata passed in lands on the article node, in
// N-Quads and JSON-LD, and in PLOVER's cite_info; articles no fact cites
// are left out.
func TestArticleMeta(t *testing.T) {
	g := fixture()
	arts := []ArticleMeta{
		{Article: schema.Article{ID: "dprk-1", Title: "Missiles <b>", Date: "2024-01-05", Lang: "fr", URL: "https://example.org/a?x=1&y=2", Source: "seeds/a.txt:1"}, Hash: "abc"},
		{Article: schema.Article{ID: "unrelated", Title: "not cited"}},
	}
	qs := quads(g, arts)
	art := quad.IRI(schema.ArticleIRI("dprk-1"))
	found := map[string]bool{}
	for _, q := range qs {
		if q.Subject == art && q.Label == art {
			found[strings.TrimPrefix(string(q.Predicate.(quad.IRI)), schema.VocabBase)] = true
		}
		if q.Subject == quad.IRI(schema.ArticleIRI("unrelated")) {
			t.Errorf("uncited article exported: %v", q)
		}
	}
	for _, p := range []string{"title", "date", "lang", "source", "url", "hash"} {
		if !found[p] {
			t.Errorf("article %s missing", p)
		}
	}
	var buf bytes.Buffer
	if err := PLOVER(&buf, g.Edges, arts...); err != nil {
		t.Fatal(err)
	}
	var r PloverRecord
	if err := json.Unmarshal([]byte(strings.SplitN(buf.String(), "\n", 2)[0]), &r); err != nil {
		t.Fatal(err)
	}
	if r.CiteInfo.URL != "https://example.org/a?x=1&y=2" || r.CiteInfo.Language != "fr" || r.CiteInfo.Codebook == "" {
		t.Errorf("cite_info %+v", r.CiteInfo)
	}
	buf.Reset()
	if err := JSONLD(&buf, g, arts...); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"title": "Missiles \u003cb\u003e"`) {
		t.Error("JSON-LD lacks the escaped article title")
	}
}

func TestDateValue(t *testing.T) {
	for _, c := range []struct {
		in   string
		want quad.Value
	}{
		{"2024-01-10", quad.TypedString{Value: "2024-01-10", Type: xsd + "date"}},
		{"2024-01", quad.TypedString{Value: "2024-01", Type: xsd + "gYearMonth"}},
		{"2024", quad.TypedString{Value: "2024", Type: xsd + "gYear"}},
		{"soon", quad.String("soon")},
		{"2024/01", quad.String("2024/01")},
	} {
		t.Run(c.in, func(t *testing.T) {
			got := DateValue(c.in)
			if got != c.want {
				t.Errorf("DateValue(%q) = %#v, want %#v", c.in, got, c.want)
			}
			if back := UntypeDate(got); back != quad.String(c.in) {
				t.Errorf("UntypeDate(%#v) = %#v", got, back)
			}
		})
	}
}

// TestExportDates: every format carries a fact's event date and its
// article's publication date, typed in RDF.
func TestExportDates(t *testing.T) {
	g := fixture()
	arts := []ArticleMeta{{Article: schema.Article{ID: "dprk-1", Title: "Missiles", URL: "https://example.org/dprk", Date: "2024-01-10"}},
		{Article: schema.Article{ID: "dprk-2", Date: "2023"}}}
	var nq, jl, gm, nodes, edges, pl bytes.Buffer
	if err := NQuads(&nq, g, arts...); err != nil {
		t.Fatal(err)
	}
	if err := JSONLD(&jl, g, arts...); err != nil {
		t.Fatal(err)
	}
	if err := GraphML(&gm, g, arts...); err != nil {
		t.Fatal(err)
	}
	if err := CSV(&nodes, &edges, g, arts...); err != nil {
		t.Fatal(err)
	}
	if err := PLOVER(&pl, g.Edges, arts...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		format string
		out    *bytes.Buffer
		want   []string
	}{
		{"nquads", &nq, []string{
			`<` + schema.Vocab("date") + `> "2024-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>`,
			`<` + schema.Vocab("published") + `> "2024-01-10"^^<http://www.w3.org/2001/XMLSchema#date>`,
			`<` + schema.Vocab("date") + `> "2023"^^<http://www.w3.org/2001/XMLSchema#gYear>`}},
		{"jsonld", &jl, []string{`"published": {`, `"@type": "xsd:date"`, `"@value": "2024-01-10"`, `"@type": "xsd:gYearMonth"`}},
		{"graphml", &gm, []string{`attr.name="published"`, `<data key="e_published">2024-01-10</data>`, `<data key="e_date">2024-01</data>`}},
		{"csv", &edges, []string{"date,published,modality,confidence,article,article_title,article_url", ",2024-01,2024-01-10,asserted,", ",dprk-1,Missiles,https://example.org/dprk,", ",2023,negated,"}},
		{"plover", &pl, []string{`"date":"2024-01","published":"2024-01-10"`, `"date":null,"published":"2024-01-10"`}},
	} {
		t.Run(c.format, func(t *testing.T) {
			for _, w := range c.want {
				if !strings.Contains(c.out.String(), w) {
					t.Errorf("no %s in:\n%s", w, c.out.String())
				}
			}
		})
	}
}

// TestReadNQuads: what NQuadsWriter writes, ReadNQuads reads back as the
// store's values (numbers native, dates plain strings), article by
// article; files that are not a whole-store export are refused with the
// line at fault.
func TestReadNQuads(t *testing.T) {
	arts := []ArticleMeta{{Article: schema.Article{ID: "dprk-1", Date: "2024-01-10"}, Hash: "abc"}}
	var labelled []quad.Quad
	for _, q := range quads(fixture(), arts) {
		if q.Label != nil {
			labelled = append(labelled, q)
		}
	}
	var buf bytes.Buffer
	nw := NewNQuadsWriter(&buf)
	for _, q := range labelled {
		if err := nw.Write(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := nw.Close(); err != nil {
		t.Fatal(err)
	}
	if nw.Count() != int64(len(labelled)) {
		t.Errorf("Count %d, wrote %d", nw.Count(), len(labelled))
	}
	file := buf.String()
	var got []ArticleQuads
	if err := ReadNQuads(strings.NewReader(file), "g.nq", func(a ArticleQuads) error { got = append(got, a); return nil }); err != nil {
		t.Fatal(err)
	}
	var ids []string
	var back []quad.Quad
	for _, a := range got {
		ids = append(ids, a.ID)
		back = append(back, a.Quads...)
	}
	if want := []string{"dir/a b\"<c>.txt", "dprk-1", "dprk-2"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("articles %q, want %q", ids, want)
	}
	if len(back) != len(labelled) {
		t.Fatalf("read %d quads, wrote %d", len(back), len(labelled))
	}
	for i, q := range labelled {
		if datePredicates[q.Predicate] {
			q.Object = UntypeDate(q.Object)
		}
		if w := want(q); !reflect.DeepEqual(back[i], w) {
			t.Errorf("quad %d:\n got %#v\nwant %#v", i, back[i], w)
		}
	}
	lines := strings.Split(strings.TrimSuffix(file, "\n"), "\n")
	first := lines[0]
	for _, c := range []struct {
		name, file, want string
	}{
		{"not N-Quads", first + "\n\n<a> <b> .\n", "g.nq:3: not N-Quads"},
		{"no label", first + "\n<https://x/a> <https://x/b> <https://x/c> .\n", "g.nq:2: a quad without a graph label"},
		{"foreign label", "<https://x/a> <https://x/b> <https://x/c> <https://x/g> .\n", "g.nq:1: graph label <https://x/g> is not a kg article IRI"},
		{"article split", first + "\n" + lines[len(lines)-1] + "\n" + first + "\n", `g.nq:3: quads of article "dir/a b\"<c>.txt" again after other articles`},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := ReadNQuads(strings.NewReader(c.file), "g.nq", func(ArticleQuads) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}
