package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// exRun runs the CLI in-process with captured streams (main_test.go
// has its own helper; this one keeps the export and serve tests apart
// from changes to it).
func exRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, Getenv: func(string) string { return "" }}
	code = run(context.Background(), ios, args)
	return code, out.String(), errb.String()
}

// exSeeded ingests the seed articles into a fresh bbolt store (0.1 s).
func exSeeded(t *testing.T) string {
	t.Helper()
	store := filepath.Join(t.TempDir(), "g.db")
	if code, _, e := exRun(t, "--store", store, "ingest", "../../seeds"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, e)
	}
	return store
}

// storeCounts reads the entity and fact counts from kg stats, so the
// export tests do not pin what the extractor finds in the seed today.
func storeCounts(t *testing.T, store string) (entities, facts int) {
	t.Helper()
	code, out, e := exRun(t, "--store", store, "stats", "--format", "json")
	if code != 0 {
		t.Fatalf("stats: %s", e)
	}
	var s struct{ Entities, Facts int }
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Facts == 0 {
		t.Fatal("the seed gave no facts")
	}
	return s.Entities, s.Facts
}

func TestExportNQuads(t *testing.T) {
	store := exSeeded(t)
	_, nFacts := storeCounts(t, store)
	code, out, e := exRun(t, "--store", store, "stats", "--format", "json")
	var st struct{ Quads int }
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("stats: %s", e)
	}
	code, out, e = exRun(t, "--store", store, "export", "--format", "nquads")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	r := nquads.NewReader(strings.NewReader(out), false)
	facts, total := 0, 0
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if q.Label == nil && strings.HasPrefix(q.Subject.String(), "<https://kg-news.github.io/fact/") {
			t.Errorf("fact quad without article label: %v", q)
		}
		if q.Object == quad.IRI("https://kg-news.github.io/vocab#Fact") {
			facts++
		}
		total++
	}
	// one article: the export holds exactly the store's quads (an entity
	// no fact names loses its article label, not its quads)
	if total != st.Quads {
		t.Errorf("%d quads exported, the store holds %d", total, st.Quads)
	}
	if facts != nFacts {
		t.Errorf("%d fact nodes, the store has %d", facts, nFacts)
	}
}

func TestExportJSONLDFile(t *testing.T) {
	store := exSeeded(t)
	p := filepath.Join(t.TempDir(), "sub", "g.jsonld")
	code, _, e := exRun(t, "--store", store, "export", "-o", p) // format from the extension
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context map[string]any   `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Context["@vocab"] == nil || len(doc.Graph) == 0 {
		t.Errorf("context %v, %d nodes", doc.Context, len(doc.Graph))
	}
	if !strings.Contains(e, "wrote "+p) {
		t.Errorf("stderr: %q", e)
	}
}

func TestExportGraphML(t *testing.T) {
	store := exSeeded(t)
	nEnt, nFacts := storeCounts(t, store)
	code, out, e := exRun(t, "--store", store, "export", "--format", "graphml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	var doc struct {
		Graph struct {
			Nodes []struct{} `xml:"node"`
			Edges []struct{} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Graph.Nodes) != nEnt || len(doc.Graph.Edges) != nFacts {
		t.Errorf("%d nodes %d edges, store has %d entities %d facts", len(doc.Graph.Nodes), len(doc.Graph.Edges), nEnt, nFacts)
	}
	// a selection, as kg render takes it
	code, out, e = exRun(t, "--store", store, "export", "--format", "graphml", "--entity", "Russie", "--depth", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	doc.Graph.Nodes, doc.Graph.Edges = nil, nil // Unmarshal appends
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc.Graph.Nodes); n == 0 || n >= nEnt || !strings.Contains(out, `<node id="Q159">`) {
		t.Errorf("--entity Russie --depth 1: %d nodes", n)
	}
}

func TestExportCSV(t *testing.T) {
	store := exSeeded(t)
	nEnt, nFacts := storeCounts(t, store)
	prefix := filepath.Join(t.TempDir(), "kg")
	code, _, e := exRun(t, "--store", store, "export", "--format", "csv", "-o", prefix)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	for _, c := range []struct {
		file string
		rows int
	}{{prefix + "-nodes.csv", nEnt}, {prefix + "-edges.csv", nFacts}} {
		f, err := os.Open(c.file)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs)-1 != c.rows {
			t.Errorf("%s: %d rows, want %d", c.file, len(recs)-1, c.rows)
		}
	}
	// the fact filters select edges
	code, _, e = exRun(t, "--store", store, "export", "--format", "csv", "-o", prefix+"2", "--event", "ACCUSE")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	b, _ := os.ReadFile(prefix + "2-edges.csv")
	recs, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if len(recs) < 2 || len(recs)-1 >= nFacts {
		t.Errorf("--event ACCUSE: %d edges", len(recs)-1)
	}
	for _, r := range recs[1:] {
		if r[6] != "ACCUSE" {
			t.Errorf("event %q in an ACCUSE export", r[6])
		}
	}
}

func TestExportPLOVER(t *testing.T) {
	store := exSeeded(t)
	code, out, e := exRun(t, "--store", store, "export", "--format", "plover")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	merged := false
	for _, l := range lines {
		var r struct {
			EventType string           `json:"event_type"`
			Actor     []map[string]any `json:"actor"`
			Recipient []map[string]any `json:"recipient"`
			Text      string           `json:"text"`
			Source    string           `json:"source"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		if r.EventType == "" || len(r.Actor) == 0 || len(r.Recipient) == 0 || r.Text == "" || r.Source != "kg" {
			t.Errorf("incomplete record %s", l)
		}
		if len(r.Actor) > 1 {
			merged = true
		}
	}
	if !merged {
		t.Error("no record with a compound actor; the seed has 'L'Union européenne et les États-Unis ont dénoncé'")
	}
}

func TestExportUsage(t *testing.T) {
	store := exSeeded(t)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"export"}, exitUsage, "--format is required"},
		{[]string{"export", "--format", "rdfxml"}, exitUsage, "format"},
		{[]string{"export", "--format", "csv"}, exitUsage, "-o PREFIX"},
		{[]string{"export", "--format", "nquads", "--entity", "Atlantide"}, exitNotFound, "no entity"},
		{[]string{"export", "--format", "nquads", "--since", "2099"}, exitNotFound, "empty"},
	} {
		code, _, e := exRun(t, append([]string{"--store", store}, c.args...)...)
		if code != c.code || !strings.Contains(e, c.msg) {
			t.Errorf("%v: exit %d %q, want %d and %q", c.args, code, e, c.code, c.msg)
		}
	}
}
