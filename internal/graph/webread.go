package graph

import (
	"context"
	"fmt"

	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// Article returns one stored article (without its text, which is not
// stored) and its content hash; ok is false when no article has that id.
// It reads only that article's node, where Articles reads them all.
func (s *Store) Article(ctx context.Context, id string) (a schema.Article, hash string, ok bool, err error) {
	err = s.read(func() error {
		a, hash, ok, err = s.article(ctx, id)
		return err
	})
	return a, hash, ok, err
}

// article is Article inside Store.read.
func (s *Store) article(ctx context.Context, id string) (a schema.Article, hash string, ok bool, err error) {
	hash, ok, err = s.articleHash(ctx, id)
	if err != nil || !ok {
		return a, "", false, err
	}
	m, _, err := s.props(ctx, quad.IRI(schema.ArticleIRI(id)), map[any]quad.Value{})
	if err != nil {
		return a, "", false, err
	}
	a = schema.Article{ID: id, Title: first(m, pTitle), Date: first(m, pDate),
		Lang: first(m, pLang), URL: first(m, pURL), Source: first(m, pSource)}
	return a, hash, true, nil
}

// QuadFilter selects raw quads as Cayley's /api/v2/read does: each list
// holds alternatives for one direction (empty = any).
type QuadFilter struct {
	Subjects, Predicates, Objects, Labels []quad.Value
}

// Quads calls fn for each stored quad the filter selects, in the store's
// order, until fn returns an error (returned as is) or ctx ends. It is the
// raw view Cayley's tools expect: fact nodes, attributes and article
// labels as kg wrote them.
func (s *Store) Quads(ctx context.Context, f QuadFilter, fn func(quad.Quad) error) error {
	return s.read(func() error { return s.quads(ctx, f, fn) })
}

// quads is Quads inside Store.read.
func (s *Store) quads(ctx context.Context, f QuadFilter, fn func(quad.Quad) error) error {
	it := shape.FilterQuads(f.Subjects, f.Predicates, f.Objects, f.Labels).BuildIterator(s.qs).Iterate()
	defer it.Close()
	for it.Next(ctx) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return fmt.Errorf("reading quads: %w", err)
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("reading quads: %w", err)
	}
	return ctx.Err()
}
