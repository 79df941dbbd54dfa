package graph

import (
	"context"
	"testing"
)

// BenchmarkPutArticle puts one new 5-entity, 4-fact article (~97 quads)
// per iteration into a bbolt store: one synced transaction each.
func BenchmarkPutArticle(b *testing.B) {
	for _, c := range []struct {
		name string
		opts Options
	}{{"bolt", Options{}}, {"bolt-nobloom", Options{NoBloom: true}}} {
		b.Run(c.name, func(b *testing.B) {
			s, err := Open(context.Background(), b.TempDir(), c.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a, e, f := smallArticle(i)
				if _, err := s.PutArticle(context.Background(), a, e, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNeighbors runs 2-hop neighbourhoods on a 300-article store:
// from a leaf (a few nodes) and, capped at 50 nodes, from the hub every
// article links to. bolt reads the read view; bolt-quads, the same store
// through Cayley's indexes, as memstore and PostgreSQL do.
func BenchmarkNeighbors(b *testing.B) {
	for _, name := range []string{"memstore", "bolt", "bolt-quads"} {
		b.Run(name, func(b *testing.B) {
			uri := "memstore:"
			if name != "memstore" {
				uri = b.TempDir()
			}
			s := smallStore(b, uri, 300)
			defer s.Close()
			s.noView = name == "bolt-quads"
			for _, c := range []struct {
				name, id string
				max      int
			}{{"leaf", "person/p-5-0", 0}, {"hub50", "Q423", 50}} {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						g, _, err := s.Neighbors(context.Background(), c.id, 2, c.max)
						if err != nil || len(g.Nodes) == 0 {
							b.Fatal(len(g.Nodes), err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkFacts reads back every fact (1200) of a 300-article bbolt store.
func BenchmarkFacts(b *testing.B) {
	s := smallStore(b, b.TempDir(), 300)
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fs, err := s.Facts(context.Background(), FactFilter{})
		if err != nil || len(fs) != 1200 {
			b.Fatal(len(fs), err)
		}
	}
}

// smallStore opens a store at uri holding n synthetic articles
// (smallArticle), without Bloom filters.
func smallStore(b *testing.B, uri string, n int) *Store {
	s, err := Open(context.Background(), uri, Options{NoBloom: true})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		a, e, f := smallArticle(i)
		if _, err := s.PutArticle(context.Background(), a, e, f); err != nil {
			b.Fatal(err)
		}
	}
	return s
}
