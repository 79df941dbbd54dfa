package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/kg-news/kg/schema"
)

func data(a schema.Article, ents []schema.Entity, facts []schema.Fact) ArticleData {
	return ArticleData{Article: a, Entities: ents, Facts: facts}
}

func small(i int) ArticleData { return data(smallArticle(i)) }

func putBatch(t *testing.T, s *Store, batch ...ArticleData) []bool {
	t.Helper()
	ch, err := s.PutArticles(context.Background(), batch)
	if err != nil {
		t.Fatalf("PutArticles: %v", err)
	}
	if len(ch) != len(batch) {
		t.Fatalf("PutArticles returned %d flags for %d articles", len(ch), len(batch))
	}
	return ch
}

// sane checks the store has no quad with a nil or empty direction and
// that Stats agrees with a full iteration.
func sane(t *testing.T, s *Store) Stats {
	t.Helper()
	st := stats(t, s)
	if n := checkQuads(t, s); int64(n) != st.Quads {
		t.Errorf("iterated %d quads, Stats says %d", n, st.Quads)
	}
	return st
}

// testBatch is the PutArticles conformance suite; open returns an empty
// store. Each subtest gets its own store, so they are independent. many
// sizes the large-batch case (PostgreSQL writes ~3k quads/s: keep it small).
func testBatch(t *testing.T, many int, open func(t *testing.T) *Store) {
	ctx := context.Background()
	fresh := func(t *testing.T) *Store {
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	a1v2 := artA1
	a1v2.Text = "texte un, corrigé"
	nf := []schema.Fact{{Subject: us, Relation: "meets", Event: "CONSULT", Object: sk, Date: "2023-12-06",
		Modality: schema.Asserted, Confidence: 0.7, Evidence: schema.Evidence{Sentence: "Rencontre.", Span: schema.Span{Start: 0, End: 10}}}}

	t.Run("SameAsOneByOne", func(t *testing.T) {
		// The two articles put one by one, then as a batch, give the same
		// quads. One store at a time: on PostgreSQL they are one database,
		// and a second writer is refused.
		o := fresh(t)
		put(t, o, artA1, entsA1(), factsA1())
		put(t, o, artA2, entsA2(), factsA2())
		oneByOne := stats(t, o).Quads
		o.Close()
		s := fresh(t)
		if ch := putBatch(t, s, data(artA1, entsA1(), factsA1()), data(artA2, entsA2(), factsA2())); !reflect.DeepEqual(ch, []bool{true, true}) {
			t.Errorf("changed = %v", ch)
		}
		eqFacts(t, "facts", facts(t, s, FactFilter{}), append(withDoc("a1", factsA1()), withDoc("a2", factsA2())...))
		st := sane(t, s)
		if st.Articles != 2 || st.Entities != 5 || st.Facts != 4 {
			t.Errorf("Stats = %+v", st)
		}
		if st.Quads != oneByOne {
			t.Errorf("batch stored %d quads, one by one %d", st.Quads, oneByOne)
		}
		// Idempotent: the same batch again changes nothing.
		if ch := putBatch(t, s, data(artA1, entsA1(), factsA1()), data(artA2, entsA2(), factsA2())); !reflect.DeepEqual(ch, []bool{false, false}) {
			t.Errorf("re-put changed = %v", ch)
		}
		if st2 := sane(t, s); st2.Quads != st.Quads {
			t.Errorf("re-put changed quads %d -> %d", st.Quads, st2.Quads)
		}
		if ch := putBatch(t, s); len(ch) != 0 {
			t.Errorf("empty batch: %v", ch)
		}
	})

	t.Run("ReplaceWithinBatch", func(t *testing.T) {
		s := fresh(t)
		putBatch(t, s, data(artA1, entsA1(), factsA1()), data(artA2, entsA2(), factsA2()))
		// a1 replaced, a2 unchanged, a3 new: one delete, one add.
		a3, e3, f3 := smallArticle(3)
		ch := putBatch(t, s, data(a1v2, []schema.Entity{{EntityRef: us}, {EntityRef: sk}}, nf),
			data(artA2, entsA2(), factsA2()), data(a3, e3, f3))
		if !reflect.DeepEqual(ch, []bool{true, false, true}) {
			t.Errorf("changed = %v", ch)
		}
		eqFacts(t, "a1 after replace", facts(t, s, FactFilter{Articles: []string{"a1"}}), withDoc("a1", nf))
		eqFacts(t, "a2 kept", facts(t, s, FactFilter{Articles: []string{"a2"}}), withDoc("a2", factsA2()))
		if fs := facts(t, s, FactFilter{Relations: []string{"sanctions"}}); len(fs) != 0 {
			t.Errorf("old fact survived: %q", keys(fs))
		}
		if refs, _ := s.FindEntities(ctx, "RPDC"); len(refs) != 0 {
			t.Errorf("stale name RPDC still found: %v", refs)
		}
		if h, _, _ := s.ArticleHash(ctx, "a1"); h != a1v2.Hash() {
			t.Error("hash not replaced")
		}
		st := sane(t, s)
		if st.Articles != 3 || st.Facts != 1+2+4 {
			t.Errorf("Stats = %+v", st)
		}
	})

	t.Run("SameArticleTwiceLastWins", func(t *testing.T) {
		s := fresh(t)
		// New article twice with different content: both count as changes,
		// the second is what is stored.
		ch := putBatch(t, s, data(artA1, entsA1(), factsA1()), data(a1v2, nil, nf))
		if !reflect.DeepEqual(ch, []bool{true, true}) {
			t.Errorf("changed = %v", ch)
		}
		eqFacts(t, "last wins", facts(t, s, FactFilter{}), withDoc("a1", nf))
		if h, _, _ := s.ArticleHash(ctx, "a1"); h != a1v2.Hash() {
			t.Error("stored hash is not the last entry's")
		}
		before := sane(t, s)
		// Twice the stored version: nothing changes.
		if ch := putBatch(t, s, data(a1v2, nil, nf), data(a1v2, nil, nf)); !reflect.DeepEqual(ch, []bool{false, false}) {
			t.Errorf("stored twice: changed = %v", ch)
		}
		// Away and back within the batch: two changes, the store ends as
		// it was.
		if ch := putBatch(t, s, data(artA1, entsA1(), factsA1()), data(a1v2, nil, nf)); !reflect.DeepEqual(ch, []bool{true, true}) {
			t.Errorf("away and back: changed = %v", ch)
		}
		eqFacts(t, "back", facts(t, s, FactFilter{}), withDoc("a1", nf))
		if after := sane(t, s); after.Quads != before.Quads || after.Facts != 1 {
			t.Errorf("Stats %+v -> %+v", before, after)
		}
		// Stored version then a new one: the first is unchanged.
		if ch := putBatch(t, s, data(a1v2, nil, nf), data(artA1, entsA1(), factsA1())); !reflect.DeepEqual(ch, []bool{false, true}) {
			t.Errorf("stored then new: changed = %v", ch)
		}
		eqFacts(t, "new last", facts(t, s, FactFilter{}), withDoc("a1", factsA1()))
		sane(t, s)
	})

	t.Run("ManyArticles", func(t *testing.T) {
		s := fresh(t)
		var b []ArticleData
		for i := 0; i < many; i++ {
			b = append(b, small(i))
		}
		putBatch(t, s, b...)
		// A second batch replaces every third article and adds many/4 new
		// ones (cut to two facts too when their index is a multiple of 3).
		var b2 []ArticleData
		wantChanged, wantFacts, cut := 0, 0, 0
		for i := 0; i < many+many/4; i++ {
			d := small(i)
			if i%3 == 0 {
				d.Article.Text += " v2"
				d.Facts = d.Facts[:2] // drops "p-i-3 visits Q423"
				cut++
			}
			if i%3 == 0 || i >= many {
				wantChanged++
			}
			wantFacts += len(d.Facts)
			b2 = append(b2, d)
		}
		ch := putBatch(t, s, b2...)
		n := 0
		for _, c := range ch {
			if c {
				n++
			}
		}
		if n != wantChanged {
			t.Errorf("%d changed, want %d", n, wantChanged)
		}
		st := sane(t, s)
		if st.Articles != int64(len(b2)) || st.Facts != int64(wantFacts) {
			t.Errorf("Stats = %+v, want %d articles, %d facts", st, len(b2), wantFacts)
		}
		if g, _, err := s.Neighbors(ctx, "Q423", 1, 0); err != nil || len(g.Nodes) != 1+len(b2)-cut {
			t.Errorf("hub neighbours = %d nodes, %v; want %d", len(g.Nodes), err, 1+len(b2)-cut)
		}
	})

	t.Run("InvalidArticleRejectsBatch", func(t *testing.T) {
		s := fresh(t)
		putBatch(t, s, data(artA1, entsA1(), factsA1()))
		before := sane(t, s)
		for name, bad := range map[string]ArticleData{
			"no id":        data(schema.Article{Text: "x"}, nil, nil),
			"bad relation": data(schema.Article{ID: "bad", Text: "x"}, nil, []schema.Fact{{Subject: nk, Relation: "bad rel", Object: sk}}),
			"entity no id": data(schema.Article{ID: "bad", Text: "x"}, []schema.Entity{{EntityRef: schema.EntityRef{Name: "X"}}}, nil),
		} {
			_, err := s.PutArticles(ctx, []ArticleData{data(artA2, entsA2(), factsA2()), data(a1v2, nil, nf), bad})
			if err == nil || errors.Is(err, ErrStoreBroken) || !strings.Contains(err.Error(), "batch entry 2") {
				t.Errorf("%s: err = %v", name, err)
			}
		}
		if after := sane(t, s); !reflect.DeepEqual(after, before) {
			t.Errorf("rejected batch changed the store: %+v -> %+v", before, after)
		}
		eqFacts(t, "untouched", facts(t, s, FactFilter{}), withDoc("a1", factsA1()))
		// Still usable.
		putBatch(t, s, data(artA2, entsA2(), factsA2()))
	})

	t.Run("CancelledWritesNothing", func(t *testing.T) {
		s := fresh(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.PutArticles(cctx, []ArticleData{data(artA1, entsA1(), factsA1())}); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled: %v", err)
		}
		// (Stats on a never-written bbolt store fails with "no bucket".)
		if _, ok, err := s.ArticleHash(ctx, "a1"); ok || err != nil {
			t.Errorf("cancelled batch stored a1 (%v)", err)
		}
	})

	t.Run("ClosedAndReadOnly", func(t *testing.T) {
		s := fresh(t)
		s.readOnly = true
		if _, err := s.PutArticles(ctx, []ArticleData{data(artA1, nil, nil)}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("read-only: %v", err)
		}
		s.readOnly = false
		s.Close()
		if _, err := s.PutArticles(ctx, []ArticleData{data(artA1, nil, nil)}); !errors.Is(err, ErrClosed) {
			t.Errorf("closed: %v", err)
		}
	})
}

func TestBatchMemstore(t *testing.T) { testBatch(t, 120, openMem) }

func TestBatchBolt(t *testing.T) {
	testBatch(t, 120, func(t *testing.T) *Store { return openBolt(t, t.TempDir(), Options{NoBloom: true}) })
}

// TestBatchPostgres runs the suite on the database KG_TEST_POSTGRES names
// (.ci/run starts one). The database outlives each subtest, so every
// store starts by emptying it.
func TestBatchPostgres(t *testing.T) {
	uri := os.Getenv("KG_TEST_POSTGRES")
	if uri == "" {
		t.Skip("KG_TEST_POSTGRES (a postgres:// URI to an empty, disposable database) not set")
	}
	testBatch(t, 24, func(t *testing.T) *Store {
		// Emptying the tables is much faster than deleting article by
		// article; it runs before Open so no Cayley cache sees old ids.
		// (The first time, before Open created them, it fails harmlessly.)
		if db, err := sql.Open("postgres", uri); err == nil {
			_, _ = db.Exec("TRUNCATE quads, nodes")
			db.Close()
		}
		s, err := Open(context.Background(), uri, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if arts, err := s.Articles(context.Background()); err != nil || len(arts) != 0 {
			t.Fatalf("store not empty: %d articles, %v", len(arts), err)
		}
		return s
	})
}

// failNthKV lets the first n read-write KV transactions commit and makes
// every Put of later ones fail, to break a store between PutArticles'
// delete and add transactions.
type failNthKV struct {
	hkv.KV
	rw *atomic.Int64
	n  int64
}

func (f failNthKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	tx, err := f.KV.Tx(ctx, rw)
	if err != nil || !rw {
		return tx, err
	}
	return failTx{Tx: tx, fail: f.rw.Add(1) > f.n}, nil
}

func (f failNthKV) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, f, fn)
}

func (f failNthKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, f, fn)
}

type failTx struct {
	hkv.Tx
	fail bool
}

func (t failTx) Put(ctx context.Context, k hkv.Key, v hkv.Value) error {
	if t.fail {
		return errors.New("injected write failure")
	}
	return t.Tx.Put(ctx, k, v)
}

// TestBatchBoltWriteFailure breaks the store in the delete step and in the
// add step of a batch that replaces a1, keeps a2 and adds a3, then reopens
// it: every article is as before, the replaced a1 included (the two steps
// share one bbolt transaction; before, a failed add left a1 absent);
// putting the batch again completes it.
func TestBatchBoltWriteFailure(t *testing.T) {
	ctx := context.Background()
	a1v2 := artA1
	a1v2.Text = "v2"
	a3, e3, f3 := smallArticle(3)
	batch := []ArticleData{data(a1v2, entsA1(), factsA1()[:1]), data(artA2, entsA2(), factsA2()), data(a3, e3, f3)}
	for _, c := range []struct {
		name     string
		okTx     int64 // read-write transactions Cayley may open before writes fail
		a1Stored bool
	}{{"in delete", 0, true}, {"in add", 1, true}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openBolt(t, dir, Options{NoBloom: true})
			putBatch(t, s, data(artA1, entsA1(), factsA1()), data(artA2, entsA2(), factsA2()))
			s.Close()

			rw := new(atomic.Int64)
			wrapKV = func(kv hkv.KV) hkv.KV { return failNthKV{KV: kv, rw: rw, n: c.okTx} }
			s = openBolt(t, dir, Options{NoBloom: true})
			wrapKV = nil
			rw.Store(0)
			_, err := s.PutArticles(ctx, batch)
			if !errors.Is(err, ErrStoreBroken) || !strings.Contains(err.Error(), "injected") {
				t.Fatalf("failed batch: %v", err)
			}
			if _, err := s.PutArticles(ctx, batch); !errors.Is(err, ErrStoreBroken) {
				t.Errorf("write after failure: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close of broken store: %v", err)
			}

			s = openBolt(t, dir, Options{NoBloom: true})
			defer s.Close()
			sane(t, s)
			want := withDoc("a2", factsA2())
			if c.a1Stored {
				want = append(want, withDoc("a1", factsA1())...)
			}
			eqFacts(t, "after reopen", facts(t, s, FactFilter{}), want)
			if _, ok, _ := s.ArticleHash(ctx, a3.ID); ok {
				t.Error("a3 of the failed batch is stored")
			}
			if ch := putBatch(t, s, batch...); !reflect.DeepEqual(ch, []bool{true, false, true}) {
				t.Errorf("retry changed = %v", ch)
			}
			eqFacts(t, "after retry", facts(t, s, FactFilter{Articles: []string{"a1"}}), withDoc("a1", factsA1()[:1]))
			sane(t, s)
		})
	}
}

// BenchmarkPutArticles stores 600 new smallArticle articles (~97 quads
// each) per iteration in batches of 1 (PutArticle's cost), 50 and 200,
// into a fresh bbolt store; quads/s is reported.
func BenchmarkPutArticles(b *testing.B) {
	const n = 600
	arts := make([]ArticleData, n)
	for i := range arts {
		arts[i] = small(i)
	}
	for _, size := range []int{1, 50, 200} {
		b.Run(fmt.Sprintf("bolt-batch%d", size), func(b *testing.B) {
			var quads int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := Open(context.Background(), b.TempDir(), Options{NoBloom: true})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for j := 0; j < n; j += size {
					if _, err := s.PutArticles(context.Background(), arts[j:min(j+size, n)]); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				st, _ := s.Stats(context.Background())
				quads += st.Quads
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
			b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "quads/s")
		})
	}
	b.Run("bolt-batch200-unchanged", func(b *testing.B) {
		s, err := Open(context.Background(), b.TempDir(), Options{NoBloom: true})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		if _, err := s.PutArticles(context.Background(), arts); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for j := 0; j < n; j += 200 {
				if _, err := s.PutArticles(context.Background(), arts[j:j+200]); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
	})
}
