// Package render draws kg's knowledge graph: relationship maps as SVG, PNG
// or Graphviz DOT, and timelines of facts as SVG.
//
//	format, err := render.Format(outPath) // "svg", "png" or "dot"
//	switch format {
//	case "svg":
//		err = render.SVG(ctx, f, g, render.Options{Title: t, Focus: id})
//	case "png":
//		err = render.PNG(ctx, f, g, opts) // rsvg-convert when on PATH, else pure Go (tdewolff/canvas)
//	case "dot":
//		err = render.DOT(ctx, f, g, opts)
//	}
//	if errors.Is(err, render.ErrTooLarge) { /* the message says how to narrow */ }
//
// Maps are laid out by Graphviz through github.com/goccy/go-graphviz (Graphviz
// 12 compiled to WebAssembly), which only this package may import. The graph
// is always built through the cgraph API, never as DOT text, so names and
// evidence from scraped news cannot inject DOT syntax; every user string is
// also cleaned (control characters, bidi overrides, over-long tokens) and
// escaped where Graphviz would interpret it (\N, \n ... and HTML entities).
// The legend is drawn into the SVG afterwards (DOT output has none).
// See ../shared/docs/graphviz.md for the measured traps this package
// avoids.
//
// All Graphviz work runs under one package mutex: go-graphviz has a single
// wasm module. Its memory never shrinks (strings passed in are not freed),
// which suits a CLI; a long-running server should render in a subprocess.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/goccy/go-graphviz"
	"github.com/goccy/go-graphviz/cgraph"
	"github.com/kg-news/kg/internal/render/wasmcache"
	"github.com/kg-news/kg/schema"
)

// Graphviz's WebAssembly compilation cache goes in a directory of the
// user's own (wasmcache), worked out when a first drawing compiles it.
func init() { graphviz.SetCacheBase(wasmcache.Dir) }

// Options control a rendering. The zero value is usable.
type Options struct {
	// Title is shown at the top of the map or timeline.
	Title string
	// Layout is "auto" (the default: dot up to 150 nodes unless the graph is
	// dense, sfdp with overlap=scale above, because dot with edge labels
	// takes seconds to minutes on big or dense graphs), "dot", "sfdp" or
	// "neato".
	Layout string
	// MaxNodes refuses bigger graphs with ErrTooLarge (default 300): beyond
	// that no single map is readable and dot's run time explodes.
	MaxNodes int
	// Focus is the id of an entity to highlight with a bold border.
	Focus string
	// DateBy is the date Timeline places facts by (schema.Fact.When):
	// "event", "published", or "" for the event date, else the article's
	// publication date.
	DateBy string
}

// DefaultMaxNodes is the node limit when Options.MaxNodes is 0.
const DefaultMaxNodes = 300

// autoDotMax is the largest graph the "auto" layout gives to dot; measured
// here: dot with labelled edges needs 0.4 s for 100 nodes, 7.6 s for 200.
const autoDotMax = 150

// autoDotMaxEdges caps the edges the "auto" layout gives to dot (see layout).
const autoDotMaxEdges = 220

// ErrTooLarge is returned (wrapped, with the node count and advice) when a
// graph has more nodes than Options.MaxNodes. Test for it with errors.Is.
var ErrTooLarge = errors.New("graph too large to draw")

// gvMu serialises every use of go-graphviz: it runs one global WebAssembly
// module that fails or corrupts its state under concurrent renders.
var gvMu sync.Mutex

// gv is the Graphviz instance, created on first use under gvMu. The
// go-graphviz kg builds with (./gographviz, see ./internal/gvpatch) also
// compiles its WebAssembly then, not at start-up: commands that draw
// nothing no longer pay 30-120 ms for it.
var gv *graphviz.Graphviz

// instance returns the shared Graphviz instance. Call with gvMu held.
func instance() (*graphviz.Graphviz, error) {
	if gv != nil {
		return gv, nil
	}
	// The wasm module otherwise reads the real file system: a node with
	// image="/etc/passwd" or a shapefile would be loaded. An empty FS makes
	// every such reference fail.
	graphviz.SetFileSystem(fstest.MapFS{})
	// context.Background, never the caller's: a render cancelled inside the
	// wasm module leaves it unusable for every later render (go-graphviz
	// issue #118). Callers' contexts are checked before starting instead.
	g, err := graphviz.New(context.Background())
	if err != nil {
		return nil, fmt.Errorf("render: starting graphviz: %w", err)
	}
	gv = g
	return gv, nil
}

func (o Options) maxNodes() int {
	if o.MaxNodes > 0 {
		return o.MaxNodes
	}
	return DefaultMaxNodes
}

// layout resolves "auto" for a graph of n nodes and e (merged) edges and
// rejects unknown names. dot's time depends on density more than on size
// (measured with labelled edges: 200 nodes / 300 edges 0.4 s, but 100 nodes
// / 300 edges 45-54 s), so dense graphs go to sfdp even when small.
func (o Options) layout(n, e int) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(o.Layout)); l {
	case "", "auto":
		if n <= autoDotMax && e <= autoDotMaxEdges && e <= 2*max(n, 10) {
			return "dot", nil
		}
		return "sfdp", nil
	case "dot", "sfdp", "neato":
		return l, nil
	default:
		return "", fmt.Errorf("render: unknown layout %q (want auto, dot, sfdp or neato)", o.Layout)
	}
}

// prepare builds the model and checks the size limit and layout name.
func prepare(g schema.Graph, o Options) (*model, string, error) {
	m := buildModel(g)
	if n, max := len(m.nodes), o.maxNodes(); n > max {
		return nil, "", fmt.Errorf("%w: %d nodes, the limit is %d; narrow the selection with --entity (one entity and its neighbours), --depth 1 or --relation (one kind of fact)", ErrTooLarge, n, max)
	}
	layout, err := o.layout(len(m.nodes), len(m.edges))
	if err != nil {
		return nil, "", err
	}
	return m, layout, nil
}

// SVG renders the graph as a standalone SVG document: one node per entity,
// one edge per (subject, relation, object, modality) with the evidence in
// its tooltip, and a legend. The XML carries no DOCTYPE (nothing for a
// parser to fetch) and no links other than http(s) ones to Wikidata.
func SVG(ctx context.Context, w io.Writer, g schema.Graph, o Options) error {
	b, err := svgBytes(ctx, g, o)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func svgBytes(ctx context.Context, g schema.Graph, o Options) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, layout, err := prepare(g, o)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := withGraph(m, o, layout, func(gv *graphviz.Graphviz, cg *cgraph.Graph) error {
		gv.SetLayout(graphviz.Layout(layout))
		return gv.Render(context.Background(), cg, graphviz.SVG, &buf)
	}); err != nil {
		return nil, err
	}
	return defuseSchemes(addLegend(stripDoctype(buf.Bytes()), m.legendEntries())), nil
}

// DOT writes the Graphviz DOT source of the map, without positions, so it
// can be edited and laid out again with any Graphviz (`dot -Tsvg`). The
// source is produced by Graphviz's own writer from the cgraph graph, so all
// quoting is Graphviz's, never string formatting.
func DOT(ctx context.Context, w io.Writer, g schema.Graph, o Options) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m, layout, err := prepare(g, o)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := withGraph(m, o, layout, func(_ *graphviz.Graphviz, cg *cgraph.Graph) error {
		return writeDOT(cg, &buf)
	}); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// withGraph builds m as a cgraph graph and calls f with it, all under gvMu.
func withGraph(m *model, o Options, layout string, f func(*graphviz.Graphviz, *cgraph.Graph) error) error {
	gvMu.Lock()
	defer gvMu.Unlock()
	gv, err := instance()
	if err != nil {
		return err
	}
	cg, err := gv.Graph(graphviz.WithName("kg"), graphviz.WithDirectedType(graphviz.Directed))
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	defer cg.Close()
	if err := m.populate(cg, o, layout); err != nil {
		return fmt.Errorf("render: building graph: %w", err)
	}
	if err := f(gv, cg); err != nil {
		return fmt.Errorf("render: graphviz %s: %w", layout, err)
	}
	return nil
}

// stripDoctype removes Graphviz's <!DOCTYPE ...> line: it names an external
// DTD URL that some XML tools would fetch, and SVG does not need it.
func stripDoctype(b []byte) []byte {
	i := bytes.Index(b, []byte("<!DOCTYPE"))
	if i < 0 {
		return b
	}
	j := bytes.IndexByte(b[i:], '>')
	if j < 0 {
		return b
	}
	end := i + j + 1
	if end < len(b) && b[end] == '\n' {
		end++
	}
	return append(b[:i:i], b[end:]...)
}

// Format returns "svg", "png" or "dot" from an output file name's extension
// (case-insensitive; ".gv" counts as dot), or an error naming the supported
// ones, so the CLI can pick a renderer from `-o map.png`.
func Format(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".svg":
		return "svg", nil
	case ".png":
		return "png", nil
	case ".dot", ".gv":
		return "dot", nil
	}
	if ext == "" {
		return "", fmt.Errorf("render: %q has no extension; use .svg, .png or .dot", path)
	}
	return "", fmt.Errorf("render: unsupported output format %q; use .svg, .png or .dot", ext)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
