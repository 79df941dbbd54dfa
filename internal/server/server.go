package server

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kg-news/kg/internal/export"
	"github.com/kg-news/kg/schema"
)

// Defaults for Config's zero values.
const (
	DefaultQueryTimeout   = 10 * time.Second
	DefaultQueryLimit     = 1000
	DefaultMaxQueryBytes  = 64 << 10
	DefaultMaxIngestBytes = 8 << 20
	DefaultMaxDepth       = 3
	DefaultMaxNodes       = 300
	DefaultFactLimit      = 1000
	DefaultRequestTimeout = 30 * time.Second
)

// Config configures a server. Backend is required; the rest have defaults.
type Config struct {
	// Backend reads the graph.
	Backend Backend
	// Render draws /map.svg; nil answers 501.
	Render Renderer
	// Ingest accepts POST /api/articles; nil makes the server read-only
	// (403 on writes), which is the default of kg serve.
	Ingest Ingester
	// QueryTimeout bounds a Gizmo query (a `while(true){}` included);
	// QueryLimit caps its results. A request may ask for less, not more.
	QueryTimeout time.Duration
	QueryLimit   int
	// MaxQueryBytes bounds a query body (413 above), MaxIngestBytes an
	// ingest body.
	MaxQueryBytes, MaxIngestBytes int64
	// MaxDepth caps ?depth= for neighbours and maps; MaxNodes caps the
	// nodes of a neighbourhood or map.
	MaxDepth, MaxNodes int
	// RequestTimeout bounds every other backend call.
	RequestTimeout time.Duration
	// AllowedHosts, when not empty, lists the Host header names (without
	// port) the server answers; others get 421. A loopback server sets it
	// to its loopback names so a web page cannot reach it through DNS
	// rebinding (a hostile name resolving to 127.0.0.1).
	AllowedHosts []string
	// Log, when set, gets one line per request and the text of 500s.
	Log func(format string, args ...any)
	// MapCacheBytes bounds the drawn maps kept for requests that ask for
	// the same map again (0: DefaultMapCacheBytes; negative: none kept).
	MapCacheBytes int64
	// SummaryTTL is how long the stats and entity list the server shares
	// between requests are served before a refresh in the background (0:
	// DefaultSummaryTTL); they are dropped whenever the server stores
	// articles.
	SummaryTTL time.Duration
}

type server struct {
	cfg       Config
	mapSlot   chan struct{} // one map render at a time
	maps      *mapCache
	statsMemo shared[any]
	entsMemo  shared[[]EntityInfo]
	allowed   map[string]bool
	writable  bool
}

//go:embed static
var static embed.FS

// Content-Security-Policy headers. The page loads only its own script,
// style, maps and API; nothing inline may run. Maps are SVG from Graphviz,
// which styles with attributes, and may never run script even when opened
// directly.
const (
	pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'self'; " +
		"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	svgCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; sandbox"
	apiCSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
)

// New returns the HTTP handler of kg serve.
func New(cfg Config) (http.Handler, error) {
	if cfg.Backend == nil {
		return nil, errors.New("server: no backend")
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.QueryLimit, DefaultQueryLimit)
	def(&cfg.MaxDepth, DefaultMaxDepth)
	def(&cfg.MaxNodes, DefaultMaxNodes)
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = DefaultQueryTimeout
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxQueryBytes <= 0 {
		cfg.MaxQueryBytes = DefaultMaxQueryBytes
	}
	if cfg.MaxIngestBytes <= 0 {
		cfg.MaxIngestBytes = DefaultMaxIngestBytes
	}
	if cfg.MapCacheBytes == 0 {
		cfg.MapCacheBytes = DefaultMapCacheBytes
	}
	if cfg.SummaryTTL <= 0 {
		cfg.SummaryTTL = DefaultSummaryTTL
	}
	s := &server{cfg: cfg, mapSlot: make(chan struct{}, 1), maps: newMapCache(max(cfg.MapCacheBytes, 0)), writable: cfg.Ingest != nil}
	s.statsMemo.ttl, s.entsMemo.ttl = cfg.SummaryTTL, cfg.SummaryTTL
	s.statsMemo.timeout, s.entsMemo.timeout = cfg.RequestTimeout, cfg.RequestTimeout
	if len(cfg.AllowedHosts) > 0 {
		s.allowed = map[string]bool{}
		for _, h := range cfg.AllowedHosts {
			s.allowed[strings.ToLower(strings.Trim(h, "[]"))] = true
		}
	}
	mux := http.NewServeMux()
	routes := []struct {
		method, path string
		h            http.HandlerFunc
	}{
		{"GET", "/{$}", s.page("static/index.html", "text/html; charset=utf-8")},
		{"GET", "/app.js", s.page("static/app.js", "text/javascript; charset=utf-8")},
		{"GET", "/app.css", s.page("static/app.css", "text/css; charset=utf-8")},
		{"GET", "/context.jsonld", s.context},
		{"GET", "/map.svg", s.mapSVG},
		{"GET", "/api/resolve", s.resolve},
		{"GET", "/api/entities", s.entities},
		{"GET", "/api/facts", s.facts},
		{"GET", "/api/neighbors", s.neighbors},
		{"GET", "/api/path", s.path},
		{"GET", "/api/stats", s.stats},
		{"POST", "/api/query", s.query},
		{"POST", "/api/articles", s.ingest},
		{"GET", "/api/articles", s.articles},
		{"GET", "/api/article", s.article},
		{"GET", "/api/v2/query", s.cayleyQuery},
		{"POST", "/api/v2/query", s.cayleyQuery},
		{"GET", "/api/v2/read", s.cayleyRead},
		{"POST", "/api/v2/read", s.cayleyRead},
		{"POST", "/api/v2/write", s.cayleyWrite},
	}
	allow := map[string]string{}
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
		if allow[rt.path] != "" {
			allow[rt.path] += ", " + rt.method
		} else {
			allow[rt.path] = rt.method
		}
	}
	// Everything else: 405 for a known path with the wrong method (the
	// catch-all would otherwise shadow the mux's own 405), else 404.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if m, ok := allow[r.URL.Path]; ok {
			w.Header().Set("Allow", m)
			s.fail(w, r, http.StatusMethodNotAllowed, r.Method+" is not allowed here; use "+m)
			return
		}
		s.fail(w, r, http.StatusNotFound, "no such page or endpoint (see / for the list)")
	})
	return s.wrap(mux), nil
}

// statusWriter remembers the status for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// wrap adds what every response needs: the Host check, headers that stop
// browsers from sniffing or framing, and a log line.
func (s *server) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		hd := sw.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Content-Security-Policy", apiCSP)
		if s.allowed != nil {
			host := r.Host
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			if !s.allowed[strings.ToLower(strings.Trim(host, "[]"))] {
				s.fail(sw, r, http.StatusMisdirectedRequest, "unexpected Host header: this server answers only "+strings.Join(s.cfg.AllowedHosts, ", "))
				s.logf("%s %s %d %s", r.Method, r.URL.Path, sw.status, time.Since(start).Round(time.Millisecond))
				return
			}
		}
		h.ServeHTTP(sw, r)
		s.logf("%s %s %d %s", r.Method, r.URL.Path, sw.status, time.Since(start).Round(time.Millisecond))
	})
}

func (s *server) logf(format string, args ...any) {
	if s.cfg.Log != nil {
		s.cfg.Log(format, args...)
	}
}

// page serves an embedded file.
func (s *server) page(name, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := static.ReadFile(name)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, err.Error())
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Security-Policy", pageCSP)
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	}
}

func (s *server) context(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/ld+json")
	w.Header().Set("Access-Control-Allow-Origin", "*") // a public vocabulary: any JSON-LD processor may fetch it
	w.Write(export.Context)
}

// errorBody is every error's JSON.
type errorBody struct {
	Error   string `json:"error"`
	Results []any  `json:"results,omitempty"`
}

func (s *server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.writeJSON(w, code, errorBody{Error: msg})
}

// failErr maps an error from the backend to a status. Internal errors are
// logged and answered with a generic message: they can hold file paths.
func (s *server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrBadRequest):
		s.fail(w, r, http.StatusBadRequest, err.Error())
	case errors.Is(err, ErrNotFound):
		s.fail(w, r, http.StatusNotFound, err.Error())
	case errors.Is(err, ErrTooLarge):
		s.fail(w, r, http.StatusUnprocessableEntity, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		s.fail(w, r, http.StatusGatewayTimeout, "the request took too long")
	case errors.Is(err, context.Canceled):
		// the client left; nobody reads the answer
		w.WriteHeader(499)
	default:
		s.logf("error: %s %s: %v", r.Method, r.URL.Path, err)
		s.fail(w, r, http.StatusInternalServerError, "internal error (see the server log)")
	}
}

func (s *server) writeJSON(w http.ResponseWriter, code int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // escapes <, >, & too: harmless if a browser renders it
	if err := enc.Encode(v); err != nil {
		s.logf("error: encoding JSON: %v", err)
		code = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// reqCtx bounds a backend call.
func (s *server) reqCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
}

// intParam reads an integer query parameter, def when absent, clamped to
// [lo, hi]; a malformed one is a 400.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%w: %s=%q is not a number", ErrBadRequest, name, v)
	}
	return min(max(n, lo), hi), nil
}

// list reads a repeatable parameter; commas also separate values
// (?event=ACCUSE,SANCTION), as no entity name or id kg makes holds one
// that matters for a filter.
func list(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// entityParam resolves a name or id parameter to one entity.
func (s *server) entityParam(ctx context.Context, r *http.Request, name string) (schema.EntityRef, error) {
	q := strings.TrimSpace(r.URL.Query().Get(name))
	if q == "" {
		return schema.EntityRef{}, fmt.Errorf("%w: ?%s= is required (an entity name or id)", ErrBadRequest, name)
	}
	if len(q) > 200 {
		return schema.EntityRef{}, fmt.Errorf("%w: ?%s= is too long", ErrBadRequest, name)
	}
	refs, err := s.cfg.Backend.Resolve(ctx, q)
	if errors.Is(err, ErrNotFound) {
		// the backend's message may name a command; a web user gets this
		return schema.EntityRef{}, fmt.Errorf("%w: no entity named %q in this graph", ErrNotFound, q)
	}
	if err != nil {
		return schema.EntityRef{}, err
	}
	if len(refs) == 0 {
		return schema.EntityRef{}, fmt.Errorf("%w: no entity named %q", ErrNotFound, q)
	}
	return refs[0], nil
}

func (s *server) resolve(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" || len(q) > 200 {
		s.fail(w, r, http.StatusBadRequest, "?q= is required (an entity name or id, at most 200 bytes)")
		return
	}
	refs, err := s.cfg.Backend.Resolve(ctx, q)
	if errors.Is(err, ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no entity named %q in this graph", q))
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if refs == nil {
		refs = []schema.EntityRef{}
	}
	s.writeJSON(w, http.StatusOK, refs)
}

func (s *server) entities(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	limit, err := intParam(r, "limit", 0, 0, 1<<30)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ents, err := s.entsMemo.get(ctx, s.cfg.Backend.Entities)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	typ := r.URL.Query().Get("type")
	q := schema.Fold(r.URL.Query().Get("q"))
	out := []EntityInfo{}
	for _, e := range ents {
		if typ != "" && schema.BaseType(e.Type) != typ && e.Type != typ {
			continue
		}
		if q != "" && !matches(e, q) {
			continue
		}
		out = append(out, e)
		if q == "" && limit > 0 && len(out) >= limit {
			break
		}
	}
	if q != "" {
		// best matches first, then most facts (the backend's order)
		sort.SliceStable(out, func(i, j int) bool { return rank(out[i], q) < rank(out[j], q) })
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
	}
	s.writeJSON(w, http.StatusOK, out)
}

// matches reports whether a folded query is part of an entity's id or
// any of its names.
func matches(e EntityInfo, q string) bool {
	if strings.Contains(strings.ToLower(e.ID), q) {
		return true
	}
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		if strings.Contains(schema.Fold(n), q) {
			return true
		}
	}
	for _, n := range e.Labels {
		if strings.Contains(schema.Fold(n), q) {
			return true
		}
	}
	return false
}

func (s *server) facts(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	limit, err := intParam(r, "limit", DefaultFactLimit, 1, 100*DefaultFactLimit)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	q := FactQuery{Subjects: list(r, "subject"), Objects: list(r, "object"), Relations: list(r, "relation"),
		Events: list(r, "event"), Articles: r.URL.Query()["article"], Since: r.URL.Query().Get("since"),
		Until: r.URL.Query().Get("until"), By: r.URL.Query().Get("by"), Limit: limit}
	facts, err := s.cfg.Backend.Facts(ctx, q)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if facts == nil {
		facts = []schema.Fact{}
	}
	s.writeJSON(w, http.StatusOK, facts)
}

// neighborsBody is /api/neighbors' answer: the graph plus whether nodes
// were cut by the node cap.
type neighborsBody struct {
	Entity    schema.EntityRef `json:"entity"`
	Depth     int              `json:"depth"`
	Truncated bool             `json:"truncated"`
	schema.Graph
}

func (s *server) neighbors(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	depth, err := intParam(r, "depth", 1, 0, s.cfg.MaxDepth)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	maxNodes, err := intParam(r, "max_nodes", s.cfg.MaxNodes, 1, s.cfg.MaxNodes)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	e, err := s.entityParam(ctx, r, "entity")
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	g, truncated, err := s.cfg.Backend.Neighbors(ctx, e.ID, depth, maxNodes)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, neighborsBody{Entity: e, Depth: depth, Truncated: truncated, Graph: g})
}

func (s *server) path(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	maxDepth, err := intParam(r, "max_depth", 6, 1, 8)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	a, err := s.entityParam(ctx, r, "a")
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	b, err := s.entityParam(ctx, r, "b")
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	facts, err := s.cfg.Backend.Path(ctx, a.ID, b.ID, maxDepth)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if facts == nil {
		facts = []schema.Fact{}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"a": a, "b": b, "facts": facts})
}

func (s *server) stats(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	st, err := s.statsMemo.get(ctx, s.cfg.Backend.Stats)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, st)
}

// readBody reads a bounded request body: 413 above max, and only the
// content types listed. Form types (urlencoded, multipart, text/plain)
// are refused on purpose: they are the ones a page on another site can
// POST without a CORS preflight, so refusing them keeps such pages from
// making the server run queries or store articles.
func (s *server) readBody(w http.ResponseWriter, r *http.Request, max int64, types ...string) ([]byte, bool) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	ok := false
	for _, t := range types {
		ok = ok || ct == t
	}
	if !ok {
		s.fail(w, r, http.StatusUnsupportedMediaType, "Content-Type must be one of: "+strings.Join(types, ", "))
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", max))
			return nil, false
		}
		s.fail(w, r, http.StatusBadRequest, "reading the request body: "+err.Error())
		return nil, false
	}
	return body, true
}

// queryBody is /api/query's answer.
type queryBody struct {
	Results   []any `json:"results"`
	Limit     int   `json:"limit"`
	Truncated bool  `json:"truncated"` // the limit was reached; there may be more
}

// query runs a Gizmo query from the request body (the JavaScript source,
// as application/javascript, or {"query": "...", "limit": n} as JSON).
// A query past its time answers 504 with the results found so far.
func (s *server) query(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readBody(w, r, s.cfg.MaxQueryBytes, "application/javascript", "text/javascript", "application/json")
	if !ok {
		return
	}
	src := string(body)
	limit, err := intParam(r, "limit", s.cfg.QueryLimit, 1, s.cfg.QueryLimit)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	timeout := s.cfg.QueryTimeout
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		var in struct {
			Query string `json:"query"`
			Limit int    `json:"limit"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			s.fail(w, r, http.StatusBadRequest, "JSON body must be {\"query\": \"...\", \"limit\": n}: "+err.Error())
			return
		}
		src = in.Query
		if in.Limit > 0 {
			limit = min(in.Limit, s.cfg.QueryLimit)
		}
	}
	if v := r.URL.Query().Get("timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			s.fail(w, r, http.StatusBadRequest, "timeout must be a duration such as 2s")
			return
		}
		timeout = min(d, s.cfg.QueryTimeout)
	}
	if strings.TrimSpace(src) == "" {
		s.fail(w, r, http.StatusBadRequest, "empty query: send Gizmo JavaScript, e.g. g.V().Limit(5).All()")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	res, err := s.cfg.Backend.Query(ctx, src, limit)
	if res == nil {
		res = []any{}
	}
	if err != nil {
		if errors.Is(err, ErrBusy) {
			w.Header().Set("Retry-After", "1")
			s.writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: err.Error()})
			return
		}
		if ctx.Err() == context.DeadlineExceeded {
			s.writeJSON(w, http.StatusGatewayTimeout, errorBody{Error: fmt.Sprintf("query stopped after %v", timeout), Results: res})
			return
		}
		if r.Context().Err() != nil {
			return
		}
		// a Gizmo syntax or runtime error is the client's
		s.writeJSON(w, http.StatusBadRequest, errorBody{Error: err.Error(), Results: res})
		return
	}
	s.writeJSON(w, http.StatusOK, queryBody{Results: res, Limit: limit, Truncated: len(res) >= limit})
}

func (s *server) ingest(w http.ResponseWriter, r *http.Request) {
	if !s.writable {
		s.fail(w, r, http.StatusForbidden, "this server is read-only: it does not accept articles")
		return
	}
	body, ok := s.readBody(w, r, s.cfg.MaxIngestBytes, "application/x-ndjson", "application/jsonl", "application/json")
	if !ok {
		return
	}
	if t := bytes.TrimLeft(body, " \t\r\n\ufeff"); len(t) == 0 || t[0] != '{' {
		s.fail(w, r, http.StatusBadRequest, `send JSON Lines: one {"id", "text", ...} article per line`)
		return
	}
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	res, err := s.cfg.Ingest.Ingest(ctx, bytes.NewReader(body))
	s.statsMemo.invalidate()
	s.entsMemo.invalidate()
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	code := http.StatusOK
	if len(res.Skipped) > 0 && res.Articles == 0 {
		code = http.StatusBadRequest
	}
	s.writeJSON(w, code, res)
}

// mapSVG draws an entity's neighbourhood: ?entity=Q423&depth=2.
func (s *server) mapSVG(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Render == nil {
		s.fail(w, r, http.StatusNotImplemented, "this server draws no maps")
		return
	}
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	depth, err := intParam(r, "depth", 1, 1, s.cfg.MaxDepth)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	e, err := s.entityParam(ctx, r, "entity")
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	g, _, err := s.cfg.Backend.Neighbors(ctx, e.ID, depth, s.cfg.MaxNodes+1)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if len(g.Edges) == 0 {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("%s has no facts to draw", e.ID))
		return
	}
	name := e.Name
	if name == "" {
		name = e.ID
	}
	opt := MapOptions{Title: fmt.Sprintf("%s — %d hop(s)", name, depth), Focus: e.ID, MaxNodes: s.cfg.MaxNodes}
	key, err := mapKey(g, opt)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	svg, err := s.maps.get(ctx, key, func() ([]byte, error) {
		// Graphviz runs one render at a time anyway; waiting here, with
		// the request's deadline, keeps queued requests from piling up
		// inside it.
		select {
		case s.mapSlot <- struct{}{}:
		case <-ctx.Done():
			return nil, errBusy
		}
		defer func() { <-s.mapSlot }()
		var buf bytes.Buffer
		err := s.cfg.Render(ctx, &buf, g, opt)
		return buf.Bytes(), err
	})
	if errors.Is(err, errBusy) || err != nil && ctx.Err() != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "busy drawing other maps; try again")
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Security-Policy", svgCSP)
	w.Header().Set("X-Frame-Options", "SAMEORIGIN") // the page embeds maps in an <object>
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(svg)
}

// errBusy is a map that waited its whole deadline for Graphviz.
var errBusy = errors.New("busy drawing other maps")
