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

A read-only server reads beside kg ingest: it answers from the last batch
the ingest committed. A --writable server is the store's writer: kg ingest
into it fails ("in use") until the server stops (Ctrl-C); it stores what
POST /api/articles sends in batches, and when the request's time
(--request-timeout) runs out it stops reading, stores what it has and
answers with what was stored and where it stopped, so the rest can be
sent again. Gizmo queries run in a sandbox: --query-timeout, a memory
budget, two at a time (503 beyond).`,
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
	fl.DurationVar(&cfg.RequestTimeout, "request-timeout", server.DefaultRequestTimeout, "bound every other request (POST /api/articles stores what it read by then)")
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

// Query runs in the graph package's sandbox (graph.QueryLimits), as kg
// query does.
func (b *storeBackend) Query(ctx context.Context, src string, limit int) ([]any, error) {
	res, err := b.st.Query(ctx, src, limit)
	if errors.Is(err, graph.ErrQueryBusy) {
		err = fmt.Errorf("%w: %v", server.ErrBusy, err)
	}
	return res, err
}

// renderMap adapts render.SVG (which serialises Graphviz itself).
func renderMap(ctx context.Context, w io.Writer, g schema.Graph, o server.MapOptions) error {
	err := render.SVG(ctx, w, g, render.Options{Title: o.Title, Focus: o.Focus, MaxNodes: o.MaxNodes})
	if errors.Is(err, render.ErrTooLarge) {
		return fmt.Errorf("%w: %v", server.ErrTooLarge, err)
	}
	return err
}

// storeIngester adapts extraction and PutBatch to server.Ingester, as
// kg ingest does for a JSON Lines file.
type storeIngester struct {
	st *graph.Store
	x  *ingest.Extractor
}

// ingestBatch is how many articles a POST stores per transaction.
const ingestBatch = 50

// errOutOfTime stops reading a POST body whose request is about to end.
var errOutOfTime = errors.New("the request's time ran out")

// Ingest extracts and stores the articles of a JSON Lines body in batches.
// It stops reading shortly before the request's deadline (a tenth of the
// time left at the start, at least a second, is kept to store the batch in
// hand and answer), so the client learns what was stored and where it
// stopped instead of a 504 for a body the server went on storing.
func (si *storeIngester) Ingest(ctx context.Context, jsonl io.Reader) (server.IngestResult, error) {
	var res server.IngestResult
	var stopAt time.Time
	if dl, ok := ctx.Deadline(); ok {
		stopAt = dl.Add(-max(time.Until(dl)/10, time.Second))
	}
	storeCtx := context.WithoutCancel(ctx) // a batch in hand is stored even if the client left
	var batch []graph.ArticleData
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		out, err := si.st.PutBatch(storeCtx, batch)
		if err != nil {
			return fmt.Errorf("storing %d articles from %s: %w", len(batch), batch[0].Article.Source, err)
		}
		for i, o := range out {
			res.Articles++
			res.Facts += len(batch[i].Facts)
			if o != graph.Unchanged {
				res.Changed++
			}
		}
		batch = batch[:0]
		return nil
	}
	stoppedAt := ""
	err := ingest.Walk([]string{"-"}, jsonl, ingest.ReadOptions{QualifyLang: true}, func(a schema.Article) error {
		if ctx.Err() != nil || !stopAt.IsZero() && time.Now().After(stopAt) {
			stoppedAt = a.Source
			return errOutOfTime
		}
		ex, err := si.x.Extract(a)
		if err != nil {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: %v", a.Source, err))
			return nil
		}
		batch = append(batch, graph.ArticleData{Article: ex.Article, Entities: ex.Entities, Facts: ex.Facts})
		if len(batch) >= ingestBatch {
			return flush()
		}
		return nil
	}, func(err error) { res.Skipped = append(res.Skipped, err.Error()) })
	if errors.Is(err, errOutOfTime) {
		err = nil
		res.Skipped = append(res.Skipped, fmt.Sprintf("%s and the lines after it: not stored, %v; send them again", stoppedAt, errOutOfTime))
	}
	if ferr := flush(); err == nil {
		err = ferr
	}
	return res, err
}
