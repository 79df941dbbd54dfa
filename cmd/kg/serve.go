package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/internal/render"
	"github.com/kg-news/kg/internal/server"
	"github.com/kg-news/kg/schema"
	"github.com/spf13/cobra"
)

// newServeCmd builds `kg serve`: the graph over HTTP for notebooks,
// scripts and a browser.
func newServeCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var addr string
	var public, writable, quiet bool
	cfg := server.Config{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the graph over HTTP: JSON API, Gizmo queries, SVG maps and a browsing page",
		Long: `Serve answers HTTP on --addr (loopback only unless --public; there is no
authentication) from a read-only store (--writable accepts articles):

  /                          the research page: a graph to explore by clicking,
                             search, filters, timeline, paths, fact table,
                             articles with their evidence marked
  /api/entities?type=&q=&limit=
                             entities with fact counts; q= is a substring of a
                             name or alias in either language ("Korea")
  /api/facts?subject=&object=&relation=&event=&article=&since=&until=&limit=
                             facts, filtered as kg facts does (names in any
                             language; repeat a parameter or use commas)
  /api/neighbors?entity=&depth=   the neighbourhood of an entity
  /api/path?a=&b=            the shortest chain of facts between two entities
  /api/stats                 counts
  /api/resolve?q=            the entities a name means
  /api/articles              the stored articles (id, title, date, language)
  /api/article?id=           one article's facts, and its text cut at their
                             evidence when the file it came from is unchanged
  POST /api/query            a Gizmo query (Content-Type application/javascript,
                             or JSON {"query": ..., "limit": n}); at most
                             --query-timeout and --query-limit results
  POST /api/articles         (--writable) JSON Lines articles to ingest
  /map.svg?entity=&depth=    an SVG map of an entity's neighbourhood

Cayley's HTTP API, for Cayley's tools and clients:

  POST /api/v2/query?lang=gizmo   a Gizmo query (GET with ?qu= too), answered
                                  as {"result": [...]} or {"error": "..."}
  /api/v2/read?sub=&pred=&obj=&label=&format=
                                  the raw quads, as N-Quads (or json, jsonld)
  POST /api/v2/write              (--writable) JSON Lines articles; loose quads
                                  are refused: each fact belongs to an article
  /context.jsonld            the JSON-LD context of kg export --format jsonld

A bbolt store stays open while the server runs: other kg commands can read
it, but kg ingest into it fails ("in use") until the server stops (Ctrl-C),
unless the server itself is --writable and takes the articles.`,
		Example: `  kg serve                              # http://127.0.0.1:8080/
  kg serve --addr 127.0.0.1:0           # any free port (printed)
  curl -s 'http://127.0.0.1:8080/api/facts?relation=condemns&object=Corée%20du%20Nord'
  curl -s -H 'Content-Type: application/javascript' \
       --data-binary 'g.V("<http://www.wikidata.org/entity/Q423>").In().All()' \
       http://127.0.0.1:8080/api/query
  curl -s --data-binary 'g.V("<http://www.wikidata.org/entity/Q423>").In().All()' \
       -H 'Content-Type: application/javascript' 'http://127.0.0.1:8080/api/v2/query?lang=gizmo'
  kg serve --writable &
  curl --data-binary @news.jsonl -H 'Content-Type: application/x-ndjson' http://127.0.0.1:8080/api/articles`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := server.CheckAddr(addr, public); err != nil {
				return withCode(exitUsage, err)
			}
			ctx := cmd.Context()
			st, err := openStore(ctx, ios, g, writable)
			if err != nil {
				return err
			}
			defer st.Close()
			r, err := newEntityResolver(st)
			if err != nil {
				return err
			}
			b := &storeBackend{st: st, r: r}
			cfg.Backend = b
			cfg.Render = renderMap
			if writable {
				x, err := ingest.NewExtractor(ingest.Options{})
				if err != nil {
					return err
				}
				cfg.Ingest = &storeIngester{st: st, x: x}
			}
			host, _, _ := net.SplitHostPort(addr)
			if !public {
				cfg.AllowedHosts = server.LoopbackHosts(host)
			}
			var logMu sync.Mutex
			if !quiet {
				cfg.Log = func(format string, args ...any) {
					logMu.Lock()
					defer logMu.Unlock()
					fmt.Fprintf(ios.ErrOut, time.Now().Format("15:04:05 ")+format+"\n", args...)
				}
			}
			h, err := server.New(cfg)
			if err != nil {
				return err
			}
			ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
			if err != nil {
				return err
			}
			srv := server.NewHTTPServer(h)
			mode := "read-only"
			if writable {
				mode = "writable"
			}
			fmt.Fprintf(ios.Out, "kg serve: http://%s/ (%s store %s); Ctrl-C stops\n", ln.Addr(), mode, g.storeName(ios))
			done := make(chan error, 1)
			go func() { done <- srv.Serve(ln) }()
			select {
			case err := <-done:
				if !errors.Is(err, http.ErrServerClosed) {
					return err
				}
				return nil
			case <-ctx.Done():
			}
			// let running requests finish (a query stops at its timeout)
			sctx, cancel := context.WithTimeout(context.Background(), cfg.QueryTimeout+5*time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				srv.Close()
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "listen address HOST:PORT (loopback unless --public; port 0 picks a free one)")
	fl.BoolVar(&public, "public", false, "allow a non-loopback --addr: anyone who reaches it can read the graph")
	fl.BoolVar(&writable, "writable", false, "open the store for writing and accept POST /api/articles")
	fl.DurationVar(&cfg.QueryTimeout, "query-timeout", server.DefaultQueryTimeout, "stop a Gizmo query after this long")
	fl.IntVar(&cfg.QueryLimit, "query-limit", server.DefaultQueryLimit, "return at most this many Gizmo results")
	fl.IntVar(&cfg.MaxNodes, "max-nodes", server.DefaultMaxNodes, "largest neighbourhood or map, in nodes")
	fl.IntVar(&cfg.MaxDepth, "max-depth", server.DefaultMaxDepth, "largest ?depth= for neighbours and maps")
	fl.BoolVar(&quiet, "quiet", false, "do not log requests on stderr")
	return cmd
}

// httpErr maps the CLI's coded errors to the server's status sentinels.
func httpErr(err error) error {
	var ce *codeError
	if errors.As(err, &ce) {
		switch ce.code {
		case exitUsage:
			return fmt.Errorf("%w: %v", server.ErrBadRequest, ce.err)
		case exitNotFound:
			return fmt.Errorf("%w: %v", server.ErrNotFound, ce.err)
		}
	}
	return err
}

// storeBackend adapts the graph store and the entity resolver to
// server.Backend, with the same name resolution and filter checks as the
// CLI's commands.
type storeBackend struct {
	st  *graph.Store
	r   *entityResolver
	gaz gazLabels
}

func (b *storeBackend) Resolve(ctx context.Context, name string) ([]schema.EntityRef, error) {
	ids, err := b.r.resolve(ctx, name)
	if err != nil {
		return nil, httpErr(err)
	}
	out := make([]schema.EntityRef, 0, len(ids))
	for _, id := range ids {
		ref := schema.EntityRef{ID: id}
		if refs, err := b.st.FindEntities(ctx, id); err != nil {
			return nil, err
		} else if len(refs) > 0 && refs[0].ID == id {
			ref = refs[0]
		}
		out = append(out, ref)
	}
	return out, nil
}

func (b *storeBackend) Entities(ctx context.Context) ([]server.EntityInfo, error) {
	ents, err := b.st.Entities(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]server.EntityInfo, len(ents))
	for i, e := range ents {
		out[i] = server.EntityInfo{Entity: e.Entity, Facts: e.Facts, Articles: e.Articles}
		if err := b.gaz.label(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (b *storeBackend) Facts(ctx context.Context, q server.FactQuery) ([]schema.Fact, error) {
	ff := factFlags{subjects: q.Subjects, objects: q.Objects, relations: q.Relations, events: q.Events,
		articles: q.Articles, since: q.Since, until: q.Until, by: q.By, limit: q.Limit}
	filter, err := ff.filter(ctx, b.r)
	if err != nil {
		return nil, httpErr(err)
	}
	return b.st.Facts(ctx, filter)
}

func (b *storeBackend) Neighbors(ctx context.Context, id string, depth, maxNodes int) (schema.Graph, bool, error) {
	return b.st.Neighbors(ctx, id, depth, maxNodes)
}

func (b *storeBackend) Path(ctx context.Context, a, c string, maxDepth int) ([]schema.Fact, error) {
	return b.st.Path(ctx, a, c, maxDepth)
}

func (b *storeBackend) Stats(ctx context.Context) (any, error) { return b.st.Stats(ctx) }

func (b *storeBackend) Query(ctx context.Context, src string, limit int) ([]any, error) {
	return b.st.Query(ctx, src, limit)
}

// renderMap adapts render.SVG (which serialises Graphviz itself).
func renderMap(ctx context.Context, w io.Writer, g schema.Graph, o server.MapOptions) error {
	err := render.SVG(ctx, w, g, render.Options{Title: o.Title, Focus: o.Focus, MaxNodes: o.MaxNodes})
	if errors.Is(err, render.ErrTooLarge) {
		return fmt.Errorf("%w: %v", server.ErrTooLarge, err)
	}
	return err
}

// storeIngester adapts extraction and PutArticle to server.Ingester, as
// kg ingest does for a JSON Lines file.
type storeIngester struct {
	st *graph.Store
	x  *ingest.Extractor
}

func (si *storeIngester) Ingest(ctx context.Context, jsonl io.Reader) (server.IngestResult, error) {
	var res server.IngestResult
	err := ingest.Walk([]string{"-"}, jsonl, ingest.ReadOptions{QualifyLang: true}, func(a schema.Article) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		ex, err := si.x.Extract(a)
		if err != nil {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: %v", a.Source, err))
			return nil
		}
		changed, err := si.st.PutArticle(ctx, a, ex.Entities, ex.Facts)
		if err != nil {
			return fmt.Errorf("%s: storing: %w", a.Source, err)
		}
		res.Articles++
		if changed {
			res.Changed++
		}
		res.Facts += len(ex.Facts)
		return nil
	}, func(err error) { res.Skipped = append(res.Skipped, err.Error()) })
	return res, err
}
