package graph

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// artB and artC are two more articles for the corruption test: B loses a
// fact's object, C its hash.
var (
	artB = schema.Article{ID: "b", Title: "B", Text: "text b", Lang: "en"}
	artC = schema.Article{ID: "c", Title: "C", Text: "text c", Lang: "en"}
	artD = schema.Article{ID: "d", Title: "D", Text: "text d", Lang: "en"}
)

// corrupt applies raw deltas through Cayley, bypassing articleQuads and
// apply's rules, as a buggy writer or bug #885 would.
func corrupt(t *testing.T, s *Store, add bool, qs ...quad.Quad) {
	t.Helper()
	tx := graph.NewTransaction()
	for _, q := range qs {
		if add {
			tx.AddQuad(q)
		} else {
			tx.RemoveQuad(q)
		}
	}
	var err error
	within(t, s, func() { err = s.qs.ApplyDeltas(tx.Deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}) })
	if err != nil {
		t.Fatalf("corrupt: %v", err)
	}
}

// factQuad returns the quad <fact> p * of the first fact of an article.
func factQuad(t *testing.T, s *Store, articleID string, p quad.IRI) quad.Quad {
	t.Helper()
	var found []quad.Quad
	var err error
	within(t, s, func() {
		err = s.eachQuad(context.Background(), quad.Label, quad.IRI(schema.ArticleIRI(articleID)), func(q quad.Quad) error {
			if q.Predicate == p && isFactNode(q.Subject) {
				found = append(found, q)
			}
			return nil
		})
	})
	if err != nil || len(found) == 0 {
		t.Fatalf("no %s quad in %s: %v", p, articleID, err)
	}
	return found[0]
}

func kinds(ps []Problem) map[ProblemKind]int {
	m := map[ProblemKind]int{}
	for _, p := range ps {
		m[p.Kind]++
	}
	return m
}

func testCheck(t *testing.T, open func(t *testing.T) *Store) {
	ctx := context.Background()
	s := open(t)
	defer s.Close()
	put(t, s, artA1, entsA1(), factsA1())
	put(t, s, artA2, entsA2(), factsA2())
	put(t, s, artB, entsA2(), factsA2())
	put(t, s, artC, entsA2(), factsA2())
	put(t, s, artD, entsA1(), factsA1())

	rep, err := s.Check(ctx, false)
	if err != nil || !rep.OK() || rep.Articles != 5 || rep.Facts != 10 {
		t.Fatalf("healthy store: %+v, %v", rep, err)
	}
	wantA2, _ := s.Facts(ctx, FactFilter{Articles: []string{"a2"}})
	wantD, _ := s.Facts(ctx, FactFilter{Articles: []string{"d"}})

	a1 := quad.IRI(schema.ArticleIRI("a1"))
	a2 := quad.IRI(schema.ArticleIRI("a2"))
	q159, q212 := quad.IRI(schema.EntityIRI("Q159")), quad.IRI(schema.EntityIRI("Q212"))
	fa1 := factQuad(t, s, "a1", pSentence).Subject

	// empty literal, missing label, foreign label
	corrupt(t, s, true,
		quad.Quad{Subject: a1, Predicate: pTitle, Object: quad.String(""), Label: a1},
		quad.Quad{Subject: q159, Predicate: v("attacks"), Object: q212},
		quad.Quad{Subject: q159, Predicate: v("attacks"), Object: q212, Label: quad.IRI("http://example.org/graph")},
	)
	// orphan edge in a1; a fact of a1 claiming to come from a2
	corrupt(t, s, true,
		quad.Quad{Subject: q159, Predicate: v("attacks"), Object: q212, Label: a1},
		quad.Quad{Subject: fa1, Predicate: pArticle, Object: a2, Label: a1},
	)
	// b: a fact loses its object (its edge is then unbacked too); c: its hash
	corrupt(t, s, false, factQuad(t, s, "b", pObject))
	h, _, _ := s.ArticleHash(ctx, "c")
	corrupt(t, s, false, quad.Quad{Subject: quad.IRI(schema.ArticleIRI("c")), Predicate: pHash, Object: quad.String(h), Label: quad.IRI(schema.ArticleIRI("c"))})

	rep, err = s.Check(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Log(p)
	}
	want := map[ProblemKind]int{EmptyField: 2, BadLabel: 1, OrphanEdge: 3, FactArticle: 1, IncompleteFact: 1, ArticleNoHash: 1}
	if s.backend == "bbolt" {
		want[ViewBehind] = 1 // the corruption went around the read view
	}
	if got := kinds(rep.Problems); !reflect.DeepEqual(got, want) || rep.OK() {
		t.Fatalf("problems %v, want %v", got, want)
	}
	if p := rep.Problems[0]; p.String() == "" || !strings.Contains(strings.Join(problemStrings(rep.Problems), "\n"), `"" <`+schema.ArticleIRI("a1")+`>`) {
		t.Errorf("problems do not show the empty quad: %q", problemStrings(rep.Problems))
	}

	rep, err = s.Check(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Repaired || !rep.OK() || rep.Deleted == 0 || strings.Join(rep.Reingest, ",") != "a1,b,c" {
		t.Fatalf("repair: %+v", rep)
	}
	t.Logf("repair deleted %d quads", rep.Deleted)
	rep, err = s.Check(ctx, false)
	if err != nil || !rep.OK() || rep.Articles != 2 {
		t.Fatalf("after repair: %+v, %v", rep, err)
	}
	// the untouched articles are intact; the damaged ones are gone whole,
	// so ingesting them again stores them whole
	if got, _ := s.Facts(ctx, FactFilter{Articles: []string{"a2"}}); !reflect.DeepEqual(got, wantA2) {
		t.Errorf("a2 changed by repair:\n%v\nwant\n%v", got, wantA2)
	}
	if got, _ := s.Facts(ctx, FactFilter{Articles: []string{"d"}}); !reflect.DeepEqual(got, wantD) {
		t.Errorf("d changed by repair")
	}
	for _, id := range []string{"a1", "b", "c"} {
		if _, ok, _ := s.ArticleHash(ctx, id); ok {
			t.Errorf("%s still has a hash", id)
		}
	}
	if !put(t, s, artC, entsA2(), factsA2()) || !put(t, s, artA1, entsA1(), factsA1()) || !put(t, s, artB, entsA2(), factsA2()) {
		t.Fatal("re-put after repair changed nothing")
	}
	if rep, err := s.Check(ctx, false); err != nil || !rep.OK() || rep.Articles != 5 || rep.Facts != 10 {
		t.Fatalf("after re-ingest: %+v, %v", rep, err)
	}
}

func problemStrings(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestCheckBolt(t *testing.T) {
	testCheck(t, func(t *testing.T) *Store { return openBolt(t, t.TempDir(), Options{NoBloom: true}) })
}

func TestCheckMemstore(t *testing.T) { testCheck(t, openMem) }

// TestCheckNilDirections reproduces Cayley KV bug #885: one transaction
// that deletes an article's quads and adds its new version stores quads
// whose node values are gone (read back with nil directions). Check must
// report them and repair must delete them, although Cayley cannot match
// them by value; the article is then gone whole, ready to be ingested again.
func TestCheckNilDirections(t *testing.T) {
	ctx := context.Background()
	s := openBolt(t, t.TempDir(), Options{NoBloom: true})
	defer s.Close()
	put(t, s, artA1, entsA1(), factsA1())
	put(t, s, artA2, entsA2(), factsA2())
	wantA2, _ := s.Facts(ctx, FactFilter{Articles: []string{"a2"}})
	before, _ := s.Stats(ctx)
	a1 := quad.IRI(schema.ArticleIRI("a1"))

	// a nil subject through the API is dropped by Cayley, not stored
	corrupt(t, s, true, quad.Quad{Subject: nil, Predicate: pTitle, Object: quad.String("x"), Label: a1})

	var old []quad.Quad
	within(t, s, func() { s.eachQuad(ctx, quad.Label, a1, func(q quad.Quad) error { old = append(old, q); return nil }) })
	changed := artA1
	changed.Title = "A new title"
	nq, err := articleQuads(changed, []schema.Entity{{EntityRef: schema.EntityRef{ID: "Q999", Name: "Newland", Type: schema.Country}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx := graph.NewTransaction()
	for _, q := range old {
		tx.RemoveQuad(q)
	}
	for _, q := range nq {
		tx.AddQuad(q)
	}
	within(t, s, func() { err = s.qs.ApplyDeltas(tx.Deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}) })
	if err != nil {
		t.Fatalf("mixed transaction: %v", err)
	}
	rep, err := s.Check(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Log(p)
	}
	if k := kinds(rep.Problems); k[EmptyField] == 0 || k[ArticleNoHash] != 1 {
		t.Fatalf("bug #885 damage not reported: %v", k)
	}
	if !strings.Contains(strings.Join(problemStrings(rep.Problems), "\n"), "<nil>") {
		t.Errorf("no problem shows a nil direction")
	}
	rep, err = s.Check(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("repair deleted %d quads; remaining %q", rep.Deleted, problemStrings(rep.Remaining))
	if !rep.OK() {
		t.Fatalf("repair left %d problems", len(rep.Remaining))
	}
	if got, _ := s.Facts(ctx, FactFilter{Articles: []string{"a2"}}); !reflect.DeepEqual(got, wantA2) {
		t.Errorf("a2 changed by repair")
	}
	// the repair survives reopening, and a1 can be stored again
	dir := s.where
	s.Close()
	s = openBolt(t, dir, Options{NoBloom: true})
	if rep, err := s.Check(ctx, false); err != nil || !rep.OK() {
		t.Fatalf("after reopen: %+v, %v", rep, err)
	}
	put(t, s, artA1, entsA1(), factsA1())
	after, _ := s.Stats(ctx)
	if after.Quads != before.Quads || after.Facts != before.Facts || after.Articles != before.Articles {
		t.Errorf("stats after repair and re-put %+v, before %+v", after, before)
	}
	if rep, err := s.Check(ctx, false); err != nil || !rep.OK() {
		t.Fatalf("after re-put: %+v, %v", rep, err)
	}
}

// TestCheckReadOnly: a read-only store can be checked, not repaired.
func TestCheckReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openBolt(t, dir, Options{NoBloom: true})
	put(t, s, artA1, entsA1(), factsA1())
	s.Close()
	ro := openBolt(t, dir, Options{ReadOnly: true, NoBloom: true})
	defer ro.Close()
	if rep, err := ro.Check(ctx, false); err != nil || !rep.OK() {
		t.Fatalf("check: %+v, %v", rep, err)
	}
	if _, err := ro.Check(ctx, true); err != ErrReadOnly {
		t.Fatalf("repair on a read-only store: %v, want ErrReadOnly", err)
	}
}
