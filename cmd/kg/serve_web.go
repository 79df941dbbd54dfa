package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/cayleygraph/quad"
	_ "github.com/cayleygraph/quad/json"   // Cayley's JSON quad format for /api/v2/read
	_ "github.com/cayleygraph/quad/jsonld" // and JSON-LD
	_ "github.com/cayleygraph/quad/nquads"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/internal/server"
	"github.com/kg-news/kg/schema"
)

// gazLabels gives an entity's names in both languages and the
// gazetteer's aliases, loaded once, so the page's search finds "North
// Korea" in a graph built from French articles.
type gazLabels struct {
	once sync.Once
	gaz  *schema.Gazetteer
	err  error
}

func (g *gazLabels) lookup(id string) (*schema.GazEntry, error) {
	g.once.Do(func() { g.gaz, g.err = schema.LoadGazetteer() })
	if g.err != nil {
		return nil, g.err
	}
	e, _ := g.gaz.Lookup(id)
	return e, nil
}

// label fills an entity's Labels and adds the gazetteer's aliases (not
// demonyms: "russe" is no name of Russia) to those seen in articles.
func (g *gazLabels) label(e *server.EntityInfo) error {
	ge, err := g.lookup(e.ID)
	if err != nil || ge == nil {
		return err
	}
	e.Labels = map[string]string{}
	if ge.NameEN != "" {
		e.Labels["en"] = ge.NameEN
	}
	if ge.NameFR != "" {
		e.Labels["fr"] = ge.NameFR
	}
	seen := map[string]bool{schema.Fold(e.Name): true}
	for _, a := range e.Aliases {
		seen[schema.Fold(a)] = true
	}
	for _, a := range ge.Aliases {
		if a.Kind == schema.AliasDemonym || seen[schema.Fold(a.Text)] {
			continue
		}
		seen[schema.Fold(a.Text)] = true
		e.Aliases = append(e.Aliases, a.Text)
	}
	return nil
}

func (b *storeBackend) Articles(ctx context.Context) ([]schema.Article, error) {
	return b.st.Articles(ctx)
}

// Article returns a stored article with its text read again from the
// file it was ingested from, when that file still holds it unchanged:
// the store keeps facts, not texts. Only text whose content hash equals
// the stored one is returned, so the server shows nothing but what was
// ingested, whatever the stored source path names.
func (b *storeBackend) Article(ctx context.Context, id string) (schema.Article, error) {
	a, hash, ok, err := b.st.Article(ctx, id)
	if err != nil {
		return a, err
	}
	if !ok {
		return a, fmt.Errorf("%w: no article %q", server.ErrNotFound, id)
	}
	if text, ok := rereadText(ctx, a, hash); ok {
		a.Text = text
	}
	return a, nil
}

// maxRereadBytes bounds the file read again for an article's text.
const maxRereadBytes = 64 << 20

func rereadText(ctx context.Context, a schema.Article, hash string) (string, bool) {
	path := a.Source
	if path == "" || path == "-" || strings.HasPrefix(path, "stdin") {
		return "", false
	}
	// a JSON Lines source is "file:line"
	if i := strings.LastIndexByte(path, ':'); i > 0 {
		if _, err := strconv.Atoi(path[i+1:]); err == nil {
			path = path[:i]
		}
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxRereadBytes {
		return "", false
	}
	var text string
	found := errors.New("found")
	err = ingest.Walk([]string{path}, nil, ingest.ReadOptions{Lang: a.Lang}, func(x schema.Article) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if x.ID == a.ID && x.Hash() == hash {
			text = x.Text
			return found
		}
		return nil
	}, func(error) {})
	return text, errors.Is(err, found)
}

// ReadQuads serves Cayley's /api/v2/read from the store's raw quads.
func (b *storeBackend) ReadQuads(ctx context.Context, q server.QuadQuery, format string) (string, func(io.Writer) error, error) {
	f := quad.FormatByName(format)
	if f == nil || f.Writer == nil {
		return "", nil, fmt.Errorf("%w: format %q is not supported for reading data (try nquads, json or jsonld)", server.ErrBadRequest, format)
	}
	vals := func(ss []string) []quad.Value {
		var out []quad.Value
		for _, s := range ss {
			out = append(out, quad.StringToValue(s))
		}
		return out
	}
	filter := graph.QuadFilter{Subjects: vals(q.Subjects), Predicates: vals(q.Predicates), Objects: vals(q.Objects), Labels: vals(q.Labels)}
	ctype := "application/octet-stream"
	if len(f.Mime) > 0 {
		ctype = f.Mime[0]
	}
	write := func(w io.Writer) error {
		qw := f.Writer(w)
		err := b.st.Quads(ctx, filter, func(q quad.Quad) error { return qw.WriteQuad(q) })
		if cerr := qw.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return ctype, write, nil
}
