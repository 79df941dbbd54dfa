package graph

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/kg-news/kg/schema"
)

// countKV counts the keys read through it (Get, GetBatch and every step
// of a Scan) and can make writes fail, to test the broken-store path.
type countKV struct {
	hkv.KV
	reads    *atomic.Int64
	failPuts *atomic.Bool
}

func (c countKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	tx, err := c.KV.Tx(ctx, rw)
	if err != nil {
		return nil, err
	}
	return countTx{Tx: tx, c: c}, nil
}

func (c countKV) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, c, fn)
}

func (c countKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, c, fn)
}

type countTx struct {
	hkv.Tx
	c countKV
}

func (t countTx) Get(ctx context.Context, k hkv.Key) (hkv.Value, error) {
	t.c.reads.Add(1)
	return t.Tx.Get(ctx, k)
}

func (t countTx) GetBatch(ctx context.Context, keys []hkv.Key) ([]hkv.Value, error) {
	t.c.reads.Add(int64(len(keys)))
	return t.Tx.GetBatch(ctx, keys)
}

func (t countTx) Put(ctx context.Context, k hkv.Key, v hkv.Value) error {
	if t.c.failPuts.Load() {
		return errors.New("injected write failure")
	}
	return t.Tx.Put(ctx, k, v)
}

func (t countTx) Scan(ctx context.Context, opts ...hkv.IteratorOption) hkv.Iterator {
	return countIter{Iterator: t.Tx.Scan(ctx, opts...), reads: t.c.reads}
}

type countIter struct {
	hkv.Iterator
	reads *atomic.Int64
}

func (it countIter) Next(ctx context.Context) bool {
	it.reads.Add(1)
	return it.Iterator.Next(ctx)
}

// withCounting installs a counting wrapper for stores opened during the
// test and returns its counters.
func withCounting(t *testing.T) (*atomic.Int64, *atomic.Bool) {
	reads, fail := new(atomic.Int64), new(atomic.Bool)
	wrapKV = func(kv hkv.KV) hkv.KV { return countKV{KV: kv, reads: reads, failPuts: fail} }
	t.Cleanup(func() { wrapKV = nil })
	return reads, fail
}

// smallArticle makes article i with its own entities and three facts.
func smallArticle(i int) (schema.Article, []schema.Entity, []schema.Fact) {
	a := schema.Article{ID: fmt.Sprintf("art-%04d", i), Title: fmt.Sprintf("Article %d", i),
		Text: fmt.Sprintf("text %d", i), Date: "2024-03-01", Lang: "en", Source: fmt.Sprintf("bench:%d", i)}
	var ents []schema.Entity
	for j := 0; j < 4; j++ {
		ents = append(ents, schema.Entity{EntityRef: schema.EntityRef{
			ID: fmt.Sprintf("person/p-%d-%d", i, j), Name: fmt.Sprintf("Person %d %d", i, j), Type: schema.Person}})
	}
	// A shared hub makes the graph connected, like a country in the news.
	hub := schema.EntityRef{ID: "Q423", Name: "North Korea", Type: schema.Country}
	ents = append(ents, schema.Entity{EntityRef: hub})
	var facts []schema.Fact
	for j := 0; j < 3; j++ {
		facts = append(facts, schema.Fact{Subject: ents[j].EntityRef, Relation: "meets", Event: "CONSULT",
			Object: ents[j+1].EntityRef, Date: "2024-03-01", Modality: schema.Asserted, Confidence: 0.8,
			Evidence: schema.Evidence{Sentence: fmt.Sprintf("Sentence %d %d.", i, j), Span: schema.Span{Start: j * 20, End: j*20 + 15}}})
	}
	facts = append(facts, schema.Fact{Subject: ents[3].EntityRef, Relation: "visits", Event: "CONSULT",
		Object: hub, Date: "2024-03-02", Modality: schema.Asserted, Confidence: 0.7})
	return a, ents, facts
}

func TestBoltReopenAndLabelIndex(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "store")
	s := openBolt(t, "bolt:"+dir, Options{NoBloom: true})
	put(t, s, artA1, entsA1(), factsA1())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openBolt(t, dir, Options{}) // plain path, Bloom filters on
	defer s.Close()
	eqFacts(t, "after reopen", facts(t, s, FactFilter{}), withDoc("a1", factsA1()))
	var inds []ckv.QuadIndex
	var err error
	within(t, s, func() { inds, err = s.kvIndexes(ctx) })
	if err != nil {
		t.Fatal(err)
	}
	if len(inds) != 3 || !reflect.DeepEqual(inds[2], labelIndex) {
		t.Errorf("indexes after reopen = %+v, want defaults + label", inds)
	}
	if put(t, s, artA1, entsA1(), factsA1()) {
		t.Error("re-put after reopen: changed=true")
	}
}

// TestBoltDeleteReadsOnlyItsQuads measures the keys read to delete one
// article among many, with and without the label index.
func TestBoltDeleteReadsOnlyItsQuads(t *testing.T) {
	const n = 60
	// collect is the reads of the label lookup alone; del of the whole
	// DeleteArticle (lookup, then Cayley's per-quad index and node work).
	measure := func(label bool) (collect, del, total int64) {
		addLabelIndex = label
		defer func() { addLabelIndex = true }()
		counter, _ := withCounting(t)
		s := openBolt(t, t.TempDir(), Options{NoBloom: true})
		defer s.Close()
		for i := 0; i < n; i++ {
			a, e, f := smallArticle(i)
			put(t, s, a, e, f)
		}
		total = stats(t, s).Quads
		counter.Store(0)
		var got int64
		var err error
		within(t, s, func() {
			counter.Store(0) // the session's own open reads are not the lookup's
			err = s.eachQuad(context.Background(), quad.Label, quad.IRI(schema.ArticleIRI("art-0007")), func(quad.Quad) error {
				got++
				return nil
			})
			collect = counter.Load()
		})
		if err != nil || got != total/n {
			t.Fatalf("label lookup found %d quads (%v), want %d", got, err, total/n)
		}
		counter.Store(0)
		if err := s.DeleteArticle(context.Background(), "art-0007"); err != nil {
			t.Fatal(err)
		}
		del = counter.Load()
		if got := total - stats(t, s).Quads; got*int64(n) != total {
			t.Errorf("deleted %d of %d quads, want 1/%d", got, total, n)
		}
		return collect, del, total
	}
	collect, del, total := measure(true)
	collectNo, delNo, _ := measure(false)
	perArticle := total / n
	t.Logf("%d articles, %d quads (%d per article); keys read to find one article's quads: %d with label index, %d without; whole delete: %d / %d",
		n, total, perArticle, collect, collectNo, del, delNo)
	// Per quad found: its log entry plus its four values (~5 keys); the
	// index entry itself is one key.
	if collect > 6*perArticle+10 {
		t.Errorf("label lookup read %d keys for a %d-quad article", collect, perArticle)
	}
	if collectNo < total {
		t.Errorf("without label index the lookup read only %d keys of %d quads: measurement is not sensitive", collectNo, total)
	}
}

// TestBoltLockedByAnother: a second writer is refused within about a
// second, a reader is not (it reads beside the writer, session.go).
func TestBoltLockedByAnother(t *testing.T) {
	dir := t.TempDir()
	s := openBolt(t, dir, Options{NoBloom: true})
	defer s.Close()
	put(t, s, artA1, entsA1(), factsA1())
	// the writer lock is a flock(2), which is per open file, so a second
	// open in the same process conflicts just as another process would
	start := time.Now()
	s2, err := Open(context.Background(), dir, Options{NoBloom: true})
	el := time.Since(start)
	if err == nil {
		s2.Close()
		t.Fatal("second writer's open succeeded")
	}
	if want := "store " + dir + " is in use by another process"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if el > 2*time.Second {
		t.Errorf("second open took %v", el)
	}
	r := openBolt(t, dir, Options{NoBloom: true, ReadOnly: true})
	defer r.Close()
	if fs := facts(t, r, FactFilter{}); len(fs) != 2 {
		t.Errorf("reader beside the writer: %d facts", len(fs))
	}
	put(t, s, artA2, entsA2(), factsA2())
	if fs := facts(t, r, FactFilter{}); len(fs) != 4 {
		t.Errorf("reader after the writer's next write: %d facts, want 4", len(fs))
	}
}

// TestBoltLockedByAnotherProcess holds the store in a child process (this
// test binary, re-run as TestHoldStoreHelper) and opens it here.
func TestBoltLockedByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	s := openBolt(t, dir, Options{NoBloom: true})
	s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldStoreHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KG_GRAPH_HOLD="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "holding" {
		t.Fatalf("helper: %q %v", line, err)
	}
	start := time.Now()
	s2, err := Open(context.Background(), dir, Options{NoBloom: true})
	if err == nil {
		s2.Close()
		t.Fatal("open while another process holds the store succeeded")
	}
	if el := time.Since(start); el > 2*time.Second || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("after %v: %v", el, err)
	}
	stdin.Close()
	cmd.Wait()
	s2 = openBolt(t, dir, Options{NoBloom: true}) // released on exit
	s2.Close()
}

// TestHoldStoreHelper is the child of TestBoltLockedByAnotherProcess: it
// opens the store named by KG_GRAPH_HOLD and holds it until stdin closes.
func TestHoldStoreHelper(t *testing.T) {
	dir := os.Getenv("KG_GRAPH_HOLD")
	if dir == "" {
		t.Skip("helper process only")
	}
	s := openBolt(t, dir, Options{NoBloom: true})
	defer s.Close()
	fmt.Println("holding")
	io.Copy(io.Discard, os.Stdin)
}

func TestBoltReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Open(ctx, filepath.Join(dir, "missing"), Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of a missing store succeeded")
	}
	s := openBolt(t, dir, Options{NoBloom: true})
	put(t, s, artA1, entsA1(), factsA1())
	s.Close()
	r1 := openBolt(t, dir, Options{ReadOnly: true, NoBloom: true})
	defer r1.Close()
	r2 := openBolt(t, dir, Options{ReadOnly: true}) // readers share the lock
	defer r2.Close()
	if fs := facts(t, r2, FactFilter{}); len(fs) != 2 {
		t.Errorf("read-only store has %d facts", len(fs))
	}
	if _, err := r1.PutArticle(ctx, artA2, entsA2(), factsA2()); !errors.Is(err, ErrReadOnly) {
		t.Errorf("PutArticle on read-only store: %v", err)
	}
	if err := r1.DeleteArticle(ctx, "a1"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("DeleteArticle on read-only store: %v", err)
	}
	if fs := facts(t, r1, FactFilter{}); len(fs) != 2 {
		t.Errorf("after refused writes: %d facts", len(fs))
	}
	m := openMem(t)
	m.readOnly = true
	if _, err := m.PutArticle(ctx, artA2, nil, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("memstore read-only put: %v", err)
	}
}

func TestBoltWriteFailureBreaksStore(t *testing.T) {
	ctx := context.Background()
	_, fail := withCounting(t)
	dir := t.TempDir()
	s := openBolt(t, dir, Options{NoBloom: true})
	put(t, s, artA1, entsA1(), factsA1())
	fail.Store(true)
	_, err := s.PutArticle(ctx, artA2, entsA2(), factsA2())
	if !errors.Is(err, ErrStoreBroken) || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("failed write: %v", err)
	}
	fail.Store(false)
	if _, err := s.Facts(ctx, FactFilter{}); !errors.Is(err, ErrStoreBroken) {
		t.Errorf("read after failed write: %v", err)
	}
	if _, err := s.PutArticle(ctx, artA2, entsA2(), factsA2()); !errors.Is(err, ErrStoreBroken) {
		t.Errorf("write after failed write: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close of broken store: %v", err)
	}
	// Reopening recovers: the failed transaction was rolled back.
	s = openBolt(t, dir, Options{NoBloom: true})
	defer s.Close()
	eqFacts(t, "after reopen", facts(t, s, FactFilter{}), withDoc("a1", factsA1()))
	put(t, s, artA2, entsA2(), factsA2())
	if n := checkQuads(t, s); int64(n) != stats(t, s).Quads {
		t.Errorf("quad count mismatch after recovery")
	}
}

func TestClosed(t *testing.T) {
	s := openMem(t)
	s.Close()
	if _, err := s.Facts(context.Background(), FactFilter{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Facts after Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestArticleQuadsNoEmpty(t *testing.T) {
	a := schema.Article{ID: "with space/é", Text: "x"}
	f := schema.Fact{Subject: nk, Relation: "condemns", Object: sk} // no date, evidence, modality...
	qs, err := articleQuads(a, []schema.Entity{{EntityRef: schema.EntityRef{ID: "Q1"}}}, []schema.Fact{f, f})
	if err != nil {
		t.Fatal(err)
	}
	facts := 0
	for _, q := range qs {
		if q.Label != quad.IRI(schema.ArticleIRI(a.ID)) {
			t.Errorf("quad label %v", q.Label)
		}
		if s, ok := q.Object.(quad.String); ok && s == "" {
			t.Errorf("empty literal: %v", q)
		}
		if q.Predicate == rdfType && q.Object == classFact {
			facts++
		}
	}
	if facts != 1 {
		t.Errorf("duplicate fact stored %d times", facts)
	}
	if _, err := articleQuads(schema.Article{}, nil, nil); err == nil {
		t.Error("article without id accepted")
	}
	if _, err := articleQuads(a, nil, []schema.Fact{{Subject: nk, Relation: "bad rel", Object: sk}}); err == nil {
		t.Error("relation with a space accepted")
	}
	if _, err := articleQuads(a, nil, []schema.Fact{{Subject: nk, Object: sk}}); err == nil {
		t.Error("fact without relation accepted")
	}
}

func TestDateBounds(t *testing.T) {
	for _, c := range []struct {
		date, since, until string
		ok                 bool
	}{
		{"2023-12", "2023-12-01", "", true},
		{"2023-12", "2023-12-15", "", false},
		{"2023-12", "", "2023-12-31", true},
		{"2023-12", "", "2023-12-30", false},
		{"2024-02", "", "2024-02", true},
		{"2024-02-29", "2024", "2024-02", true},
		{"2023", "2023", "2023", true},
		{"2023", "2023-06", "", false},
		{"", "2000", "", false},
		{"", "", "", true},
	} {
		if got := (FactFilter{Since: c.since, Until: c.until}).dateOK(schema.Fact{Date: c.date}); got != c.ok {
			t.Errorf("date %q since %q until %q: %v, want %v", c.date, c.since, c.until, got, c.ok)
		}
	}
	if lastDay("2024-02") != "2024-02-29" || lastDay("2023-02") != "2023-02-28" {
		t.Error("lastDay")
	}
}

// TestBoltStatsNeverWritten: a store created but never written has no
// quad counter yet; Stats reports zeros, not "kv: no bucket".
func TestBoltStatsNeverWritten(t *testing.T) {
	dir := t.TempDir()
	openBolt(t, dir, Options{NoBloom: true}).Close()
	s := openBolt(t, dir, Options{ReadOnly: true, NoBloom: true})
	defer s.Close()
	st, err := s.Stats(context.Background())
	if err != nil || st.Quads != 0 || st.Articles != 0 || st.Entities != 0 {
		t.Errorf("Stats = %+v, %v", st, err)
	}
	s.noView = true
	if st, err := s.Stats(context.Background()); err != nil || st.Quads != 0 {
		t.Errorf("Stats without the view = %+v, %v", st, err)
	}
}
