package graph

import (
	"context"
	"fmt"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// TestBoltChurn measures what replacing one article many times costs later
// lookups. Cayley's KV backend never removes index entries of deleted
// quads (it only marks them dead in the log). A node that loses its last
// quad is deleted and comes back with a new id, so an article's own label
// entry starts afresh; but a node another article keeps alive (a hub
// entity, every predicate) keeps the dead ids in its entries.
func TestBoltChurn(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	counter, _ := withCounting(t)
	s := openBolt(t, t.TempDir(), Options{NoBloom: true})
	defer s.Close()
	a2, e2, f2 := smallArticle(2) // keeps the hub Q423 alive
	put(t, s, a2, e2, f2)
	a, e, f := smallArticle(1)
	put(t, s, a, e, f)
	lookup := func(dir quad.Direction, v quad.Value, want int) int64 {
		counter.Store(0)
		n := 0
		var err error
		within(t, s, func() { err = s.eachQuad(context.Background(), dir, v, func(quad.Quad) error { n++; return nil }) })
		if err != nil || n != want {
			t.Fatalf("lookup %v: %d quads, %v", v, n, err)
		}
		return counter.Load()
	}
	var log string
	var labelKeys []int64
	for i := 0; i <= 40; i++ {
		if i%20 == 0 {
			l := lookup(quad.Label, quad.IRI(schema.ArticleIRI(a.ID)), 97)
			labelKeys = append(labelKeys, l)
			log += fmt.Sprintf("\n after %2d replaces: label lookup %d keys, hub lookup %d keys", i,
				l, lookup(quad.Subject, quad.IRI(schema.EntityIRI("Q423")), 12))
		}
		a.Text = fmt.Sprintf("version %d", i+1)
		put(t, s, a, e, f)
	}
	if labelKeys[0] != labelKeys[len(labelKeys)-1] {
		t.Errorf("an article's label lookup grows with replaces: %v", labelKeys)
	}
	t.Logf("keys read (97-quad article; hub with 12 live quads as subject):%s", log)
}
