// Package server is kg's HTTP interface: JSON endpoints over the graph
// (entities, facts, neighbours, paths, stats, Gizmo queries), SVG maps,
// the JSON-LD context, and a small self-contained page to browse an
// entity's map and facts.
//
// It depends on schema and export only. The store, the entity resolver
// and the renderer come in through the Backend, Ingester and Renderer
// interfaces, which cmd/kg adapts: only the command wires packages
// together, and these tests run on a fake backend in microseconds.
package server

import (
	"context"
	"errors"
	"io"

	"github.com/kg-news/kg/schema"
)

// Errors a Backend, Ingester or Renderer wraps so the server answers with
// the right status: ErrBadRequest → 400 (a filter that does not parse),
// ErrNotFound → 404 (no such entity), ErrTooLarge → 422 (a map too big to
// draw). Anything else is a 500 whose message is logged, not sent.
var (
	ErrBadRequest = errors.New("bad request")
	ErrNotFound   = errors.New("not found")
	ErrTooLarge   = errors.New("too large")
	// ErrBusy → 503 from POST /api/query: the query sandbox is running as
	// many queries as it allows; the client may try again.
	ErrBusy = errors.New("busy")
)

// EntityInfo is an entity with its fact and article counts, as
// /api/entities lists it (the JSON of graph.EntityInfo), and its names in
// each language when the gazetteer knows them, so a search for "North
// Korea" finds the entity a French article named "Corée du Nord".
type EntityInfo struct {
	schema.Entity
	Facts    int               `json:"facts"`
	Articles int               `json:"articles"`
	Labels   map[string]string `json:"labels,omitempty"` // language → name
}

// FactQuery selects facts like `kg facts`' flags: each list holds
// alternatives (empty = any) and the lists combine with AND. Subjects and
// Objects may be names in any language or ids; the Backend resolves them.
// By is the date Since and Until bound: "event", "published" or "" (the
// event date, else the article's publication date).
type FactQuery struct {
	Subjects, Objects, Relations, Events, Articles []string
	Since, Until, By                               string
	Limit                                          int
}

// Backend reads the graph. Every method gets the request's context and
// must return when it is done.
type Backend interface {
	// Resolve turns what a user typed ("Russie", "DPRK", "Q423") into
	// entities, best first; an unknown name is an ErrNotFound.
	Resolve(ctx context.Context, name string) ([]schema.EntityRef, error)
	// Entities lists every entity, most facts first; the server filters.
	Entities(ctx context.Context) ([]EntityInfo, error)
	// Facts returns the facts q selects; a filter that does not parse (an
	// unknown event type, a bad date) is an ErrBadRequest.
	Facts(ctx context.Context, q FactQuery) ([]schema.Fact, error)
	// Neighbors returns the entity (an id) and everything within depth
	// hops, at most maxNodes nodes; truncated says some were left out.
	Neighbors(ctx context.Context, id string, depth, maxNodes int) (g schema.Graph, truncated bool, err error)
	// Path returns a shortest chain of facts between two entity ids, at
	// most maxDepth long; empty when there is none.
	Path(ctx context.Context, a, b string, maxDepth int) ([]schema.Fact, error)
	// Stats is encoded as JSON as it is.
	Stats(ctx context.Context) (any, error)
	// Query runs a Gizmo query, at most limit results; when ctx ends it
	// returns the results so far and an error.
	Query(ctx context.Context, gizmo string, limit int) ([]any, error)
	// Articles lists the stored articles, without their text.
	Articles(ctx context.Context) ([]schema.Article, error)
	// Article returns one article, with its Text when the backend can
	// read it again exactly as it was ingested (else Text is empty); an
	// unknown id is an ErrNotFound.
	Article(ctx context.Context, id string) (schema.Article, error)
}

// QuadQuery selects raw quads for Cayley's /api/v2/read: each list holds
// alternatives, in Cayley's value syntax (<iri>, "literal", _:blank).
type QuadQuery struct {
	Subjects, Predicates, Objects, Labels []string
}

// QuadReader is what a Backend also implements to serve Cayley's
// /api/v2/read; without it the endpoint answers 501.
type QuadReader interface {
	// ReadQuads prepares the quads q selects in a Cayley format (nquads,
	// json, jsonld, graphml, ...): it returns the content type and a
	// function that writes them. An unknown format is an ErrBadRequest.
	ReadQuads(ctx context.Context, q QuadQuery, format string) (contentType string, write func(io.Writer) error, err error)
}

// IngestResult reports what an ingest request stored.
type IngestResult struct {
	Articles int      `json:"articles"`
	Changed  int      `json:"changed"`
	Facts    int      `json:"facts"`
	Skipped  []string `json:"skipped,omitempty"` // one message per bad input, as path:line: what
}

// Ingester stores articles sent as JSON Lines (one schema.Article per
// line). A server without one is read-only.
type Ingester interface {
	// Ingest extracts and stores every article read from jsonl; bad
	// records are reported in Skipped, not as an error.
	Ingest(ctx context.Context, jsonl io.Reader) (IngestResult, error)
}

// MapOptions are what the server passes to a Renderer.
type MapOptions struct {
	Title    string
	Focus    string // id of the entity to highlight
	MaxNodes int
}

// Renderer draws a graph as a standalone SVG document. Implementations
// must be safe for concurrent calls (the server also lets only one map
// render at a time, since Graphviz is serialised anyway).
type Renderer func(ctx context.Context, w io.Writer, g schema.Graph, o MapOptions) error
