package graph

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// Fixture: two articles that share the edge Q423 condemns Q884.

var (
	nk    = schema.EntityRef{ID: "Q423", Name: "Corée du Nord", Type: schema.Country}
	sk    = schema.EntityRef{ID: "Q884", Name: "Corée du Sud", Type: schema.Country}
	us    = schema.EntityRef{ID: "Q30", Name: "États-Unis", Type: schema.Country}
	jp    = schema.EntityRef{ID: "Q17", Name: "Japan", Type: schema.Country}
	kim   = schema.EntityRef{ID: "person/kim-jong-un", Name: "Kim Jong-un", Type: schema.Person}
	nkEN  = schema.EntityRef{ID: "Q423", Name: "North Korea", Type: schema.Country}
	artA1 = schema.Article{ID: "a1", Title: "Pyongyang condamne Séoul", Text: "texte un", Date: "2023-12-05",
		Lang: "fr", URL: "https://example.org/a1", Source: "corpus.jsonl:1"}
	artA2 = schema.Article{ID: "a2", Title: "North Korea threatens Japan", Text: "text two", Date: "2024-01-10",
		Lang: "en", Source: "corpus.jsonl:2"}
)

func entsA1() []schema.Entity {
	return []schema.Entity{
		{EntityRef: nk, Aliases: []string{"RPDC", "DPRK"}},
		{EntityRef: sk},
		{EntityRef: us},
		{EntityRef: kim, Country: "Q423", Role: "leader"},
	}
}

func factsA1() []schema.Fact {
	return []schema.Fact{
		{Subject: nk, Relation: "condemns", Event: "DISAPPROVE", Mode: "criticize", Object: sk, Date: "2023-12",
			Modality: schema.Asserted, Confidence: 0.9,
			Evidence: schema.Evidence{Sentence: "La Corée du Nord a condamné la Corée du Sud.", Span: schema.Span{Start: 0, End: 44}},
			Speaker:  "KCNA", Rule: "r-condemn", Path: "nsubj>obj"},
		{Subject: us, Relation: "sanctions", Event: "SANCTION", Object: nk, Date: "2023-12-04",
			Modality: schema.Hypothetical, Confidence: 0.75, Instrument: "gel des avoirs",
			Evidence: schema.Evidence{Sentence: "Washington pourrait sanctionner Pyongyang.", Span: schema.Span{Start: 45, End: 87}}},
	}
}

func entsA2() []schema.Entity {
	return []schema.Entity{{EntityRef: nkEN, Aliases: []string{"DPRK"}}, {EntityRef: jp}, {EntityRef: sk}}
}

func factsA2() []schema.Fact {
	return []schema.Fact{
		{Subject: nkEN, Relation: "condemns", Event: "DISAPPROVE", Object: sk, Date: "2024-01-09",
			Modality: schema.Asserted, Confidence: 0.8, Evidence: schema.Evidence{Sentence: "North Korea condemned Seoul.", Span: schema.Span{Start: 3, End: 31}}},
		{Subject: nkEN, Relation: "threatens", Event: "THREATEN", Object: jp, Date: "2024-01-10",
			Modality: schema.Negated, Confidence: 0.6, Evidence: schema.Evidence{Sentence: "It did not threaten Japan.", Span: schema.Span{Start: 32, End: 58}}},
	}
}

// withDoc returns the facts as Facts should read them back.
func withDoc(doc string, fs []schema.Fact) []schema.Fact {
	out := append([]schema.Fact(nil), fs...)
	for i := range out {
		out[i].Doc = doc
	}
	return out
}

func put(t *testing.T, s *Store, a schema.Article, ents []schema.Entity, facts []schema.Fact) bool {
	t.Helper()
	ch, err := s.PutArticle(context.Background(), a, ents, facts)
	if err != nil {
		t.Fatalf("PutArticle(%s): %v", a.ID, err)
	}
	return ch
}

func facts(t *testing.T, s *Store, f FactFilter) []schema.Fact {
	t.Helper()
	fs, err := s.Facts(context.Background(), f)
	if err != nil {
		t.Fatalf("Facts(%+v): %v", f, err)
	}
	return fs
}

func stats(t *testing.T, s *Store) Stats {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

// keys lists facts compactly for failure messages and comparisons.
func keys(fs []schema.Fact) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Doc + ":" + f.Subject.ID + " " + f.Relation + " " + f.Object.ID + " " + f.Date
	}
	return out
}

func eqFacts(t *testing.T, what string, got, want []schema.Fact) {
	t.Helper()
	sortFacts(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, keys(got), keys(want))
		for i := range got {
			if i < len(want) && !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("fact %d:\n got %+v\nwant %+v", i, got[i], want[i])
			}
		}
	}
}

// checkQuads fails on any quad with a nil or empty direction (Cayley KV bug
// #885 writes such quads when a transaction mixes deletes and adds).
func checkQuads(t *testing.T, s *Store) int {
	t.Helper()
	ctx := context.Background()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.enter(); err != nil {
		t.Fatal(err)
	}
	defer s.leave()
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	n := 0
	for it.Next(ctx) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			t.Fatalf("Quad: %v", err)
		}
		n++
		for _, d := range quad.Directions {
			v := q.Get(d)
			if v == nil || strings.TrimSpace(str(v)) == "" {
				t.Errorf("quad with empty %v: %v", d, q)
			}
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

// testStore is the conformance suite every backend must pass. Steps share
// one store and build on each other, so they run in order.
func testStore(t *testing.T, open func(t *testing.T) *Store) {
	ctx := context.Background()
	s := open(t)
	t.Cleanup(func() { s.Close() })

	t.Run("PutReadBack", func(t *testing.T) {
		if !put(t, s, artA1, entsA1(), factsA1()) {
			t.Fatal("first put: changed=false")
		}
		eqFacts(t, "a1 facts", facts(t, s, FactFilter{}), withDoc("a1", factsA1()))
		h, ok, err := s.ArticleHash(ctx, "a1")
		if err != nil || !ok || h != artA1.Hash() {
			t.Errorf("ArticleHash = %q %v %v, want %q", h, ok, err, artA1.Hash())
		}
		if _, ok, _ := s.ArticleHash(ctx, "nope"); ok {
			t.Error("ArticleHash(nope) found")
		}
		arts, err := s.Articles(ctx)
		want := artA1
		want.Text = ""
		if err != nil || len(arts) != 1 || arts[0] != want {
			t.Errorf("Articles = %+v, %v; want [%+v]", arts, err, want)
		}
	})

	t.Run("IdempotentReput", func(t *testing.T) {
		before := stats(t, s).Quads
		if put(t, s, artA1, entsA1(), factsA1()) {
			t.Error("re-put of the same article: changed=true")
		}
		if after := stats(t, s).Quads; after != before {
			t.Errorf("re-put changed quad count %d -> %d", before, after)
		}
	})

	t.Run("SharedEdgeAndStats", func(t *testing.T) {
		if !put(t, s, artA2, entsA2(), factsA2()) {
			t.Fatal("put a2: changed=false")
		}
		all := facts(t, s, FactFilter{})
		eqFacts(t, "all facts", all, append(withDoc("a1", factsA1()), withDoc("a2", factsA2())...))
		st := stats(t, s)
		if st.Articles != 2 || st.Entities != 5 || st.Facts != 4 || st.Quads == 0 {
			t.Errorf("Stats = %+v", st)
		}
		if st.ByRelation["condemns"] != 2 || st.ByRelation["sanctions"] != 1 || st.ByRelation["threatens"] != 1 ||
			st.ByEvent["DISAPPROVE"] != 2 || st.ByType[schema.Country] != 4 || st.ByType[schema.Person] != 1 {
			t.Errorf("Stats maps = %v %v %v", st.ByRelation, st.ByEvent, st.ByType)
		}
		if n := checkQuads(t, s); int64(n) != st.Quads {
			t.Errorf("iterated %d quads, Stats says %d", n, st.Quads)
		}
	})

	t.Run("Entities", func(t *testing.T) {
		ents, err := s.Entities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]EntityInfo{}
		for _, e := range ents {
			byID[e.ID] = e
		}
		n := byID["Q423"]
		if n.Facts != 4 || n.Articles != 2 || n.Type != schema.Country {
			t.Errorf("Q423 = %+v", n)
		}
		// Both articles name it once each: tie broken by the smaller string.
		if n.Name != "Corée du Nord" || !reflect.DeepEqual(n.Aliases, []string{"DPRK", "North Korea", "RPDC"}) {
			t.Errorf("Q423 names = %q %q", n.Name, n.Aliases)
		}
		if k := byID["person/kim-jong-un"]; k.Country != "Q423" || k.Role != "leader" || k.Facts != 0 || k.Articles != 1 {
			t.Errorf("kim = %+v", k)
		}
		if len(ents) != 5 || ents[0].ID != "Q423" {
			t.Errorf("Entities order/count: %v", ents)
		}
	})

	t.Run("FindEntities", func(t *testing.T) {
		for _, q := range []string{"Q423", "q423", "corée du nord", "COREE  DU NORD", "DPRK", "north korea"} {
			refs, err := s.FindEntities(ctx, q)
			if err != nil || len(refs) != 1 || refs[0].ID != "Q423" {
				t.Errorf("FindEntities(%q) = %v, %v", q, refs, err)
			}
		}
		if refs, err := s.FindEntities(ctx, "kim jong-un"); err != nil || len(refs) != 1 || refs[0].ID != "person/kim-jong-un" {
			t.Errorf("FindEntities(kim) = %v %v", refs, err)
		}
		if refs, err := s.FindEntities(ctx, "Atlantis"); err != nil || len(refs) != 0 {
			t.Errorf("FindEntities(Atlantis) = %v %v", refs, err)
		}
	})

	t.Run("Filters", func(t *testing.T) {
		for _, c := range []struct {
			f    FactFilter
			want []string
		}{
			{FactFilter{Subjects: []string{"Q423"}}, []string{"a1:Q423 condemns Q884 2023-12", "a2:Q423 condemns Q884 2024-01-09", "a2:Q423 threatens Q17 2024-01-10"}},
			{FactFilter{Objects: []string{"Q423"}}, []string{"a1:Q30 sanctions Q423 2023-12-04"}},
			{FactFilter{Subjects: []string{"Q423", "Q30"}, Relations: []string{"sanctions", "threatens"}}, []string{"a1:Q30 sanctions Q423 2023-12-04", "a2:Q423 threatens Q17 2024-01-10"}},
			{FactFilter{Events: []string{"DISAPPROVE"}, Articles: []string{"a2"}}, []string{"a2:Q423 condemns Q884 2024-01-09"}},
			{FactFilter{Since: "2024"}, []string{"a2:Q423 condemns Q884 2024-01-09", "a2:Q423 threatens Q17 2024-01-10"}},
			{FactFilter{Since: "2023-12-01", Until: "2023-12"}, []string{"a1:Q423 condemns Q884 2023-12", "a1:Q30 sanctions Q423 2023-12-04"}},
			{FactFilter{Since: "2023-12-02"}, []string{"a1:Q30 sanctions Q423 2023-12-04", "a2:Q423 condemns Q884 2024-01-09", "a2:Q423 threatens Q17 2024-01-10"}},
			{FactFilter{Until: "2023-12-30"}, []string{"a1:Q30 sanctions Q423 2023-12-04"}},
			{FactFilter{Limit: 1}, []string{"a1:Q423 condemns Q884 2023-12"}}, // "2023-12" sorts before "2023-12-04"
			{FactFilter{Subjects: []string{"Q17"}}, []string{}},
			{FactFilter{Relations: []string{"nope"}}, []string{}},
		} {
			got := keys(facts(t, s, c.f))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Facts(%+v):\n got %q\nwant %q", c.f, got, c.want)
			}
		}
	})

	t.Run("Neighbors", func(t *testing.T) {
		nodeIDs := func(g schema.Graph) []string {
			var out []string
			for _, n := range g.Nodes {
				out = append(out, n.ID)
			}
			return out
		}
		g, tr, err := s.Neighbors(ctx, "Q30", 1, 0)
		if err != nil || tr || !reflect.DeepEqual(nodeIDs(g), []string{"Q30", "Q423"}) ||
			!reflect.DeepEqual(keys(g.Edges), []string{"a1:Q30 sanctions Q423 2023-12-04"}) {
			t.Errorf("Neighbors(Q30,1) = %v %q %v %v", nodeIDs(g), keys(g.Edges), tr, err)
		}
		g, tr, err = s.Neighbors(ctx, "Q30", 2, 0)
		if err != nil || tr || !reflect.DeepEqual(nodeIDs(g), []string{"Q30", "Q423", "Q17", "Q884"}) || len(g.Edges) != 4 {
			t.Errorf("Neighbors(Q30,2) = %v %q %v %v", nodeIDs(g), keys(g.Edges), tr, err)
		}
		if g.Nodes[1].Name != "Corée du Nord" || g.Nodes[0].Type != schema.Country {
			t.Errorf("Neighbors node fields: %+v", g.Nodes[:2])
		}
		g, tr, err = s.Neighbors(ctx, "Q30", 2, 3)
		if err != nil || !tr || !reflect.DeepEqual(nodeIDs(g), []string{"Q30", "Q423", "Q17"}) || len(g.Edges) != 2 {
			t.Errorf("Neighbors(Q30,2,max 3) = %v %q %v %v", nodeIDs(g), keys(g.Edges), tr, err)
		}
		g, _, err = s.Neighbors(ctx, "Q999", 2, 0)
		if err != nil || len(g.Nodes) != 0 {
			t.Errorf("Neighbors(unknown) = %+v %v", g, err)
		}
	})

	t.Run("Subgraph", func(t *testing.T) {
		g, err := s.Subgraph(ctx, FactFilter{})
		if err != nil || len(g.Nodes) != 5 || len(g.Edges) != 4 {
			t.Errorf("Subgraph(all) = %d nodes %d edges %v", len(g.Nodes), len(g.Edges), err)
		}
		g, err = s.Subgraph(ctx, FactFilter{Relations: []string{"threatens"}})
		if err != nil || len(g.Nodes) != 2 || len(g.Edges) != 1 || g.Nodes[0].ID != "Q17" {
			t.Errorf("Subgraph(threatens) = %+v %v", g, err)
		}
	})

	t.Run("Path", func(t *testing.T) {
		p, err := s.Path(ctx, "Q30", "Q17", 4)
		if err != nil || !reflect.DeepEqual(keys(p), []string{"a1:Q30 sanctions Q423 2023-12-04", "a2:Q423 threatens Q17 2024-01-10"}) {
			t.Errorf("Path(Q30,Q17) = %q %v", keys(p), err)
		}
		p, err = s.Path(ctx, "Q884", "Q30", 4) // against edge direction
		if err != nil || !reflect.DeepEqual(keys(p), []string{"a1:Q423 condemns Q884 2023-12", "a1:Q30 sanctions Q423 2023-12-04"}) {
			t.Errorf("Path(Q884,Q30) = %q %v", keys(p), err)
		}
		if p, err := s.Path(ctx, "Q30", "Q17", 1); err != nil || len(p) != 0 {
			t.Errorf("Path(Q30,Q17,1) = %q %v", keys(p), err)
		}
		if p, err := s.Path(ctx, "Q30", "person/kim-jong-un", 0); err != nil || len(p) != 0 {
			t.Errorf("Path to isolated = %q %v", keys(p), err)
		}
	})

	t.Run("Query", func(t *testing.T) {
		qctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := s.Query(qctx, "while(true){}", 10)
		if el := time.Since(start); err == nil || !errors.Is(err, context.DeadlineExceeded) || el > 3*time.Second {
			t.Errorf("infinite query: err=%v after %v", err, el)
		}
		res, err := s.Query(ctx, `g.V().All()`, 3)
		if err != nil || len(res) != 3 {
			t.Errorf("limit 3: %d results, %v", len(res), err)
		}
		res, err = s.Query(ctx, `g.V("<`+schema.EntityIRI("Q30")+`>").Out("<`+schema.Vocab("sanctions")+`>").All()`, 0)
		if err != nil || len(res) != 1 {
			t.Fatalf("sanctions query = %v %v", res, err)
		}
		if m, ok := res[0].(map[string]any); !ok || !strings.Contains(m["id"].(string), "Q423") {
			t.Errorf("sanctions query result = %#v", res[0])
		}
		if _, err := s.Query(ctx, `g.V(`, 0); err == nil {
			t.Error("syntax error not reported")
		}
	})

	t.Run("ReplaceChangedArticle", func(t *testing.T) {
		a := artA1
		a.Text = "texte un, corrigé"
		nf := []schema.Fact{{Subject: us, Relation: "meets", Event: "CONSULT", Object: sk, Date: "2023-12-06",
			Modality: schema.Asserted, Confidence: 0.7, Evidence: schema.Evidence{Sentence: "Rencontre.", Span: schema.Span{Start: 0, End: 10}}}}
		if !put(t, s, a, []schema.Entity{{EntityRef: us}, {EntityRef: sk}}, nf) {
			t.Fatal("changed article: changed=false")
		}
		eqFacts(t, "a1 after replace", facts(t, s, FactFilter{Articles: []string{"a1"}}), withDoc("a1", nf))
		if fs := facts(t, s, FactFilter{Relations: []string{"sanctions"}}); len(fs) != 0 {
			t.Errorf("old fact survived: %q", keys(fs))
		}
		// The edge condemns is still stated by a2.
		g, _, err := s.Neighbors(ctx, "Q884", 1, 0)
		if err != nil || !reflect.DeepEqual(keys(g.Edges), []string{"a1:Q30 meets Q884 2023-12-06", "a2:Q423 condemns Q884 2024-01-09"}) {
			t.Errorf("Neighbors(Q884) after replace = %q %v", keys(g.Edges), err)
		}
		// RPDC was only named by the old a1.
		if refs, _ := s.FindEntities(ctx, "RPDC"); len(refs) != 0 {
			t.Errorf("stale name RPDC still found: %v", refs)
		}
		if h, _, _ := s.ArticleHash(ctx, "a1"); h != a.Hash() {
			t.Errorf("hash not replaced")
		}
		st := stats(t, s)
		if n := checkQuads(t, s); int64(n) != st.Quads {
			t.Errorf("iterated %d quads, Stats says %d", n, st.Quads)
		}
		if st.Entities != 4 || st.Facts != 3 { // kim is gone with old a1
			t.Errorf("Stats after replace = %+v", st)
		}
	})

	t.Run("DeleteKeepsSharedEdge", func(t *testing.T) {
		// a3 states the edge Q423 threatens Q17 too; deleting a2 keeps it.
		a3 := schema.Article{ID: "a3", Text: "three", Date: "2024-02-01"}
		f := factsA2()[1]
		f.Date = "2024-02-01"
		put(t, s, a3, nil, []schema.Fact{f})
		if err := s.DeleteArticle(ctx, "a2"); err != nil {
			t.Fatal(err)
		}
		g, _, err := s.Neighbors(ctx, "Q17", 1, 0)
		if err != nil || !reflect.DeepEqual(keys(g.Edges), []string{"a3:Q423 threatens Q17 2024-02-01"}) {
			t.Errorf("Neighbors(Q17) after delete = %q %v", keys(g.Edges), err)
		}
		if p, err := s.Path(ctx, "Q17", "Q423", 2); err != nil || len(p) != 1 {
			t.Errorf("Path over kept edge = %q %v", keys(p), err)
		}
		if fs := facts(t, s, FactFilter{Articles: []string{"a2"}}); len(fs) != 0 {
			t.Errorf("a2 facts remain: %q", keys(fs))
		}
		if err := s.DeleteArticle(ctx, "a3"); err != nil {
			t.Fatal(err)
		}
		if g, _, _ := s.Neighbors(ctx, "Q17", 1, 0); len(g.Nodes) != 0 {
			t.Errorf("Q17 survives its last article: %+v", g)
		}
		if err := s.DeleteArticle(ctx, "never-stored"); err != nil {
			t.Errorf("delete unknown: %v", err)
		}
		st := stats(t, s)
		if n := checkQuads(t, s); int64(n) != st.Quads {
			t.Errorf("iterated %d quads, Stats says %d", n, st.Quads)
		}
		if st.Articles != 1 || st.Facts != 1 || st.Entities != 2 {
			t.Errorf("Stats after deletes = %+v", st)
		}
		if err := s.DeleteArticle(ctx, "a1"); err != nil {
			t.Fatal(err)
		}
		if st := stats(t, s); st.Quads != 0 || st.Articles != 0 || st.Entities != 0 {
			t.Errorf("store not empty after deleting everything: %+v", st)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				a := schema.Article{ID: "c" + string(rune('0'+i)), Text: "x"}
				if _, err := s.PutArticle(ctx, a, nil, factsA2()); err != nil {
					t.Error(err)
				}
				if _, err := s.Facts(ctx, FactFilter{Subjects: []string{"Q423"}}); err != nil {
					t.Error(err)
				}
			}(i)
		}
		wg.Wait()
		if fs := facts(t, s, FactFilter{}); len(fs) != 8 {
			t.Errorf("concurrent puts: %d facts, want 8", len(fs))
		}
	})

	t.Run("PublicationDates", func(t *testing.T) {
		a := schema.Article{ID: "p1", Text: "x", Date: "2022-03"}
		fs := []schema.Fact{
			{Subject: nk, Relation: "condemns", Object: sk, Date: "2022-02-24", Published: "2022-03", Modality: schema.Asserted, Evidence: schema.Evidence{Sentence: "s1"}},
			{Subject: nk, Relation: "threatens", Object: jp, Published: "2022-03", Modality: schema.Asserted, Evidence: schema.Evidence{Sentence: "s2"}},
		}
		put(t, s, a, nil, fs)
		for _, c := range []struct {
			name string
			f    FactFilter
			want []string
		}{
			{"event date, else publication date", FactFilter{Articles: []string{"p1"}, Since: "2022-03"}, []string{"p1:Q423 threatens Q17 "}},
			{"event date only", FactFilter{Articles: []string{"p1"}, Since: "2022-03", By: schema.ByEvent}, []string{}},
			{"publication date only", FactFilter{Articles: []string{"p1"}, Since: "2022-03", By: schema.ByPublished}, []string{"p1:Q423 condemns Q884 2022-02-24", "p1:Q423 threatens Q17 "}}, // in the order of their dates: 2022-02-24, then 2022-03
			{"before publication", FactFilter{Articles: []string{"p1"}, Until: "2022-02"}, []string{"p1:Q423 condemns Q884 2022-02-24"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				if got := keys(facts(t, s, c.f)); !reflect.DeepEqual(got, c.want) {
					t.Errorf("got %q, want %q", got, c.want)
				}
			})
		}
		for _, f := range facts(t, s, FactFilter{Articles: []string{"p1"}}) {
			if f.Published != "2022-03" {
				t.Errorf("%s: published %q, want the article's 2022-03", f.Key(), f.Published)
			}
		}
		if err := s.DeleteArticle(ctx, "p1"); err != nil {
			t.Fatal(err)
		}
	})
}

func openMem(t *testing.T) *Store {
	s, err := Open(context.Background(), "memstore:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openBolt(t *testing.T, dir string, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMemstore(t *testing.T) { testStore(t, openMem) }

func TestBolt(t *testing.T) {
	testStore(t, func(t *testing.T) *Store { return openBolt(t, t.TempDir(), Options{NoBloom: true}) })
}

// TestBoltBloom runs the suite with Cayley's Bloom filters on, the default.
func TestBoltBloom(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	testStore(t, func(t *testing.T) *Store { return openBolt(t, "bolt:"+t.TempDir(), Options{}) })
}

func TestPostgres(t *testing.T) {
	uri := os.Getenv("KG_TEST_POSTGRES")
	if uri == "" {
		t.Skip("KG_TEST_POSTGRES (a postgres:// URI to an empty, disposable database) not set")
	}
	testStore(t, func(t *testing.T) *Store {
		s, err := Open(context.Background(), uri, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Start from an empty graph: the database outlives the test.
		arts, err := s.Articles(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			if err := s.DeleteArticle(context.Background(), a.ID); err != nil {
				t.Fatal(err)
			}
		}
		return s
	})
}
