package graph

import (
	"context"
	"errors"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

func TestArticleAndQuads(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		open func(t *testing.T) *Store
	}{
		{"memstore", openMem},
		{"bolt", func(t *testing.T) *Store { return openBolt(t, t.TempDir(), Options{NoBloom: true}) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := c.open(t)
			defer s.Close()
			put(t, s, artA1, entsA1(), factsA1())
			a, hash, ok, err := s.Article(ctx, "a1")
			want := artA1
			want.Text = ""
			if err != nil || !ok || a != want || hash != artA1.Hash() {
				t.Errorf("Article(a1) = %+v %q %v %v, want %+v", a, hash, ok, err, want)
			}
			if _, _, ok, err := s.Article(ctx, "nope"); ok || err != nil {
				t.Errorf("Article(nope) = %v %v", ok, err)
			}
			label := quad.IRI(schema.ArticleIRI("a1"))
			n := 0
			err = s.Quads(ctx, QuadFilter{Labels: []quad.Value{label}}, func(q quad.Quad) error {
				if q.Label != label {
					t.Errorf("quad outside the filter: %v", q)
				}
				n++
				return nil
			})
			if err != nil || n == 0 || n != checkQuads(t, s) {
				t.Errorf("Quads by label: %d quads, %v; the store holds %d", n, err, checkQuads(t, s))
			}
			subj := quad.IRI(schema.EntityIRI(factsA1()[0].Subject.ID))
			err = s.Quads(ctx, QuadFilter{Subjects: []quad.Value{subj}}, func(q quad.Quad) error {
				if q.Subject != subj {
					t.Errorf("quad of another subject: %v", q)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
			stop := errors.New("stop")
			if err := s.Quads(ctx, QuadFilter{}, func(quad.Quad) error { return stop }); err != stop {
				t.Errorf("fn's error not returned: %v", err)
			}
		})
	}
}
