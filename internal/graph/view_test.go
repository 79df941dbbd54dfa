package graph

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/kg-news/kg/schema"
)

// viewPool is the entities random articles draw from: few enough that
// they share hubs, with names, types, countries and roles that articles
// disagree on.
var viewPool = []schema.Entity{
	{EntityRef: schema.EntityRef{ID: "Q423", Name: "North Korea", Type: schema.Country}},
	{EntityRef: schema.EntityRef{ID: "Q159", Name: "Russia", Type: schema.Country}},
	{EntityRef: schema.EntityRef{ID: "Q30", Name: "United States", Type: schema.Country}},
	{EntityRef: schema.EntityRef{ID: "Q212", Name: "Ukraine", Type: schema.Country}},
	{EntityRef: schema.EntityRef{ID: "Q458", Name: "European Union", Type: schema.Organization}},
	{EntityRef: schema.EntityRef{ID: "Q17", Name: "Japan", Type: schema.Country}},
	{EntityRef: schema.EntityRef{ID: "person/kim", Name: "Kim", Type: schema.Person}, Country: "Q423", Role: "leader"},
	{EntityRef: schema.EntityRef{ID: "person/park", Name: "Park", Type: schema.Person}, Country: "Q30", Role: "ambassador"},
	{EntityRef: schema.EntityRef{ID: "document/statement", Name: "statement", Type: "document"}},
}

var viewNames = map[string][]string{
	"Q423": {"Corée du Nord", "DPRK", "Pyongyang"},
	"Q159": {"Russie", "Moscou"},
	"Q30":  {"États-Unis", "Washington"},
	"Q458": {"UE"},
}

// randomArticle draws an article id from a small range (so puts replace
// articles) with random entities, names and facts.
func randomArticle(rng *rand.Rand, step int) ArticleData {
	a := schema.Article{ID: fmt.Sprintf("art-%d", rng.Intn(12)), Title: "t", Text: fmt.Sprintf("text %d", step),
		Date: "2024-01-02", Lang: "en"}
	var ents []schema.Entity
	picked := rng.Perm(len(viewPool))[:2+rng.Intn(5)]
	for _, i := range picked {
		e := viewPool[i]
		if alt := viewNames[e.ID]; len(alt) > 0 && rng.Intn(2) == 0 {
			e.Name = alt[rng.Intn(len(alt))]
			e.Aliases = []string{viewPool[i].Name}
		}
		if e.Type == schema.Person && rng.Intn(3) == 0 {
			e.Role = "minister"
		}
		ents = append(ents, e)
	}
	rels := []string{"condemns", "meets", "supplies", "attacks"}
	var facts []schema.Fact
	for j := rng.Intn(6); j > 0; j-- {
		s, o := ents[rng.Intn(len(ents))], ents[rng.Intn(len(ents))]
		facts = append(facts, schema.Fact{Subject: s.EntityRef, Relation: rels[rng.Intn(len(rels))], Object: o.EntityRef,
			Event: "ACCUSE", Mode: "m", Date: []string{"", "2024-01", "2024-01-0" + fmt.Sprint(1+rng.Intn(9))}[rng.Intn(3)],
			Modality: []schema.Modality{schema.Asserted, schema.Negated}[rng.Intn(2)], Confidence: float64(rng.Intn(100)) / 100,
			Evidence:   schema.Evidence{Sentence: fmt.Sprintf("Sentence %d.", rng.Intn(4)), Span: schema.Span{Start: j, End: j + 9}},
			Instrument: []string{"", "missiles"}[rng.Intn(2)], Rule: "r", Path: "p"})
	}
	return ArticleData{Article: a, Entities: ents, Facts: facts}
}

// sameReads checks that the read view answers every traversal exactly as
// the quad read path does.
func sameReads(t *testing.T, s *Store, when string) {
	t.Helper()
	ctx := context.Background()
	var ok bool
	var err error
	within(t, s, func() { ok, err = s.viewSynced() })
	if err != nil || !ok {
		t.Fatalf("%s: view not current (%v, %v)", when, ok, err)
	}
	read := func(noView bool) []any {
		s.noView = noView
		defer func() { s.noView = false }()
		var out []any
		ids := []string{"Q999"}
		for _, e := range viewPool {
			ids = append(ids, e.ID)
		}
		for _, id := range ids {
			for _, c := range []struct{ depth, max int }{{1, 0}, {2, 0}, {2, 4}, {3, 2}} {
				g, tr, err := s.Neighbors(ctx, id, c.depth, c.max)
				out = append(out, fmt.Sprint(id, c), g, tr, err)
			}
			for _, to := range ids[:5] {
				p, err := s.Path(ctx, id, to, 3)
				out = append(out, p, err)
			}
			refs, err := s.FindEntities(ctx, id)
			out = append(out, refs, err)
		}
		for _, e := range viewPool { // not over the map: the same order in both passes
			for _, n := range viewNames[e.ID] {
				refs, err := s.FindEntities(ctx, n)
				out = append(out, refs, err)
			}
		}
		for _, e := range viewPool {
			refs, err := s.FindEntities(ctx, e.Name)
			out = append(out, refs, err)
		}
		for _, f := range []FactFilter{{}, {Subjects: []string{"Q423", "Q159"}}, {Relations: []string{"meets"}}, {Objects: []string{"Q30"}, Limit: 2}} {
			g, err := s.Subgraph(ctx, f)
			out = append(out, g, err)
		}
		st, err := s.Stats(ctx)
		out = append(out, st, err)
		es, err := s.Entities(ctx)
		out = append(out, es, err)
		return out
	}
	quads, view := read(true), read(false)
	if len(quads) != len(view) {
		t.Fatalf("%s: %d reads vs %d", when, len(quads), len(view))
	}
	for i := range quads {
		if !reflect.DeepEqual(quads[i], view[i]) {
			t.Fatalf("%s: read %d differs:\n quads %+v\n view  %+v\n %v", when, i, quads[i], view[i], quads[max(i-1, 0)])
		}
	}
}

func TestViewMatchesQuads(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(7))
	dir := t.TempDir()
	s := openBolt(t, dir, Options{NoBloom: true})
	defer func() { s.Close() }()
	steps := 30
	if testing.Short() {
		steps = 10
	}
	sameReads(t, s, "empty store")
	for step := 0; step < steps; step++ {
		switch op := rng.Intn(10); {
		case op < 5: // a batch, sometimes naming an article twice
			var b []ArticleData
			for range 1 + rng.Intn(6) {
				b = append(b, randomArticle(rng, step))
			}
			if _, err := s.PutArticles(ctx, b); err != nil {
				t.Fatal(err)
			}
		case op < 8:
			d := randomArticle(rng, step)
			if _, err := s.PutArticle(ctx, d.Article, d.Entities, d.Facts); err != nil {
				t.Fatal(err)
			}
		default:
			if err := s.DeleteArticle(ctx, fmt.Sprintf("art-%d", rng.Intn(12))); err != nil {
				t.Fatal(err)
			}
		}
		sameReads(t, s, fmt.Sprintf("step %d", step))
	}

	// A write the view misses (as if the process died between Cayley's
	// commit and the view's): reads fall back to quads, and the next
	// writable open rebuilds the view.
	s.noView = true
	d := randomArticle(rng, 999)
	d.Article.ID = "missed"
	if _, err := s.PutArticle(ctx, d.Article, d.Entities, d.Facts); err != nil {
		t.Fatal(err)
	}
	s.noView = false
	within(t, s, func() {
		if ok, _ := s.viewSynced(); ok {
			t.Fatal("view claims to be current after a write it missed")
		}
		if tx, _, ok, _ := s.viewTx(); ok {
			tx.Rollback()
			t.Fatal("a stale view is read")
		}
	})
	s.Close()
	r := openBolt(t, dir, Options{ReadOnly: true, NoBloom: true})
	within(t, r, func() {
		if ok, _ := r.viewSynced(); ok {
			t.Fatal("read-only open: stale view reported current")
		}
	})
	r.Close()
	var status []string
	s = openBolt(t, dir, Options{NoBloom: true, Status: func(m string) { status = append(status, m) }})
	if len(status) != 1 {
		t.Errorf("rebuild at open: status %q, want one message", status)
	}
	sameReads(t, s, "after rebuild")
	if refs, err := s.FindEntities(ctx, "missed"); err != nil || len(refs) != 0 {
		t.Errorf("FindEntities(missed) = %v %v", refs, err)
	}
}

func TestFactRecord(t *testing.T) {
	f := schema.Fact{Doc: "d", Subject: schema.EntityRef{ID: "Q1", Name: "A", Type: "country"}, Relation: "meets",
		Event: "CONSULT", Mode: "m", Object: schema.EntityRef{ID: "Q2", Name: "B\x00é", Type: "person"}, Date: "2024",
		Modality: schema.Hypothetical, Confidence: 0.1 + 0.2, Evidence: schema.Evidence{Sentence: "S.", Span: schema.Span{Start: 3, End: 1 << 40}},
		Instrument: "i", Speaker: "sp", Rule: "r", Path: "p"}
	got, err := decodeFact(encodeFact(f))
	if err != nil || !reflect.DeepEqual(got, f) {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	b := encodeFact(f)
	for i := range b {
		if _, err := decodeFact(b[:i]); err == nil {
			t.Errorf("truncated at %d: no error", i)
		}
	}
	if _, err := decodeFact(append(b, 0)); err == nil {
		t.Error("trailing byte: no error")
	}
}

func FuzzDecodeFact(f *testing.F) {
	f.Add(encodeFact(schema.Fact{Doc: "d", Relation: "r", Evidence: schema.Evidence{Sentence: "s"}}))
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		fact, err := decodeFact(b)
		if err != nil {
			return
		}
		// what decodes must survive a round trip (the input bytes may
		// differ: a varint can be written longer than needed; compared
		// as canonical bytes, since a NaN confidence is not equal to itself)
		canon := encodeFact(fact)
		again, err := decodeFact(canon)
		if err != nil || !bytes.Equal(encodeFact(again), canon) {
			t.Errorf("round trip of %x: %+v vs %+v (%v)", b, again, fact, err)
		}
	})
}

// TestCheckView: kg check finds a read view that differs from the quads
// (here edited behind the store's back, mark intact) or misses a write,
// and --repair rebuilds it.
func TestCheckView(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(3))
	s := openBolt(t, t.TempDir(), Options{NoBloom: true})
	defer s.Close()
	for i := range 8 {
		if _, err := s.PutArticles(ctx, []ArticleData{randomArticle(rng, i), randomArticle(rng, i)}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := s.Check(ctx, false)
	if err != nil || !rep.OK() {
		t.Fatalf("sound store: %+v %v", rep.Problems, err)
	}
	kinds := func(ps []Problem) (n int) {
		for _, p := range ps {
			if p.Kind == ViewMismatch || p.Kind == ViewBehind {
				n++
			}
		}
		return n
	}
	// edit the view: drop one fact record and one name key, change a summary
	within(t, s, func() {
		err = s.bolt.Update(func(tx *bolt.Tx) error {
			root := tx.Bucket(viewRoot)
			k, _ := root.Bucket(viewFacts).Cursor().First()
			if err := root.Bucket(viewFacts).Delete(k); err != nil {
				return err
			}
			k, _ = root.Bucket(viewKeys).Cursor().First()
			if err := root.Bucket(viewKeys).Delete(k); err != nil {
				return err
			}
			return root.Bucket(viewEnts).Put([]byte("Q423"), []byte(`{"a":99}`))
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = s.Check(ctx, false)
	if err != nil || kinds(rep.Problems) != 3 {
		t.Fatalf("edited view: %d stale-view problems (want 3: entities, keys, facts): %v %v", kinds(rep.Problems), rep.Problems, err)
	}
	rep, err = s.Check(ctx, true)
	if err != nil || !rep.OK() {
		t.Fatalf("repair: %+v %v", rep, err)
	}
	sameReads(t, s, "after repair")

	// a write the view missed
	s.noView = true
	if _, err := s.PutArticles(ctx, []ArticleData{randomArticle(rng, 100)}); err != nil {
		t.Fatal(err)
	}
	s.noView = false
	rep, err = s.Check(ctx, false)
	if err != nil || kinds(rep.Problems) != 1 {
		t.Fatalf("missed write: %v %v", rep.Problems, err)
	}
	if rep, err = s.Check(ctx, true); err != nil || !rep.OK() {
		t.Fatalf("repair: %+v %v", rep, err)
	}
	sameReads(t, s, "after the second repair")
}

// TestViewConcurrentReads reads through the view while batches are
// written: every read sees a whole state (the store's lock orders them
// with the two commits of a write), and none fails.
func TestViewConcurrentReads(t *testing.T) {
	ctx := context.Background()
	s := openBolt(t, t.TempDir(), Options{NoBloom: true})
	defer s.Close()
	rng := rand.New(rand.NewSource(11))
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, _, err := s.Neighbors(ctx, "Q423", 2, 0); err != nil {
					errs <- err
					return
				}
				if _, err := s.FindEntities(ctx, "North Korea"); err != nil {
					errs <- err
					return
				}
				if _, err := s.Stats(ctx); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 15 {
		if _, err := s.PutArticles(ctx, []ArticleData{randomArticle(rng, i), randomArticle(rng, i)}); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	sameReads(t, s, "after concurrent reads")
}
