package server

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kg-news/kg/schema"
)

var (
	kp = schema.EntityRef{ID: "Q423", Name: "Corée du Nord", Type: "country"}
	ru = schema.EntityRef{ID: "Q159", Name: "Russie", Type: "country"}
	eu = schema.EntityRef{ID: "Q458", Name: "<script>alert(1)</script>", Type: "organization/igo"}
)

var testFacts = []schema.Fact{
	{Doc: "a1", Subject: kp, Relation: "supplies", Event: "AID", Object: ru, Date: "2024-01", Modality: schema.Asserted,
		Evidence: schema.Evidence{Sentence: "La Corée du Nord a fourni des missiles à la Russie.", Span: schema.Span{Start: 6, End: 59}}},
	{Doc: "a1", Subject: eu, Relation: "condemns", Event: "ACCUSE", Object: kp, Date: "2024-01", Modality: schema.Asserted,
		Evidence: schema.Evidence{Sentence: "L'UE a dénoncé <b>&</b> la Corée du Nord.", Span: schema.Span{Start: 60, End: 104}}},
}

// testArticle holds testFacts' sentences at their offsets.
var testArticle = schema.Article{ID: "a1", Date: "2024-01-03", Lang: "fr", Source: "/secret/path.txt",
	Text: "Titre\n" + testFacts[0].Evidence.Sentence + " " + testFacts[1].Evidence.Sentence + "\nFin."}

// fake is an in-memory Backend.
type fake struct {
	lastQuery FactQuery
	queries   atomic.Int32
	stats     atomic.Int32 // Stats calls
}

func (f *fake) Resolve(ctx context.Context, name string) ([]schema.EntityRef, error) {
	for _, r := range []schema.EntityRef{kp, ru, eu} {
		if strings.EqualFold(name, r.ID) || schema.Fold(name) == schema.Fold(r.Name) {
			return []schema.EntityRef{r}, nil
		}
	}
	return nil, fmt.Errorf("%w: no entity named %q", ErrNotFound, name)
}

func (f *fake) Entities(ctx context.Context) ([]EntityInfo, error) {
	return []EntityInfo{{Entity: schema.Entity{EntityRef: kp}, Facts: 2, Labels: map[string]string{"en": "North Korea", "fr": kp.Name}},
		{Entity: schema.Entity{EntityRef: ru}, Facts: 1}, {Entity: schema.Entity{EntityRef: eu, Aliases: []string{"Bruxelles"}}, Facts: 1}}, nil
}

func (f *fake) Facts(ctx context.Context, q FactQuery) ([]schema.Fact, error) {
	f.lastQuery = q
	for _, e := range q.Events {
		if !schema.IsPLOVER(e) {
			return nil, fmt.Errorf("%w: %q is not a PLOVER event type", ErrBadRequest, e)
		}
	}
	var out []schema.Fact
	for _, fa := range testFacts {
		if len(q.Subjects) > 0 && q.Subjects[0] != fa.Subject.ID && q.Subjects[0] != fa.Subject.Name {
			continue
		}
		out = append(out, fa)
	}
	return out, nil
}

func (f *fake) Neighbors(ctx context.Context, id string, depth, maxNodes int) (schema.Graph, bool, error) {
	g := schema.Graph{Nodes: []schema.Entity{{EntityRef: kp}, {EntityRef: ru}, {EntityRef: eu}}, Edges: testFacts}
	if len(g.Nodes) > maxNodes {
		g.Nodes = g.Nodes[:maxNodes]
		return g, true, nil
	}
	return g, false, nil
}

func (f *fake) Path(ctx context.Context, a, b string, maxDepth int) ([]schema.Fact, error) {
	if a == "Q458" && b == "Q159" {
		return testFacts[1:], nil
	}
	return nil, nil
}

func (f *fake) Stats(ctx context.Context) (any, error) {
	f.stats.Add(1)
	return map[string]int{"Facts": len(testFacts)}, nil
}

// Query understands three programs: one that never ends (it waits for
// ctx, as the real Gizmo VM is interrupted), one with many results, and
// anything else as a syntax error.
func (f *fake) Articles(ctx context.Context) ([]schema.Article, error) {
	return []schema.Article{testArticle}, nil
}

func (f *fake) Article(ctx context.Context, id string) (schema.Article, error) {
	if id != testArticle.ID {
		return schema.Article{}, fmt.Errorf("%w: no article %q (see kg articles)", ErrNotFound, id)
	}
	return testArticle, nil
}

func (f *fake) ReadQuads(ctx context.Context, q QuadQuery, format string) (string, func(io.Writer) error, error) {
	if format != "nquads" {
		return "", nil, fmt.Errorf("%w: format %q", ErrBadRequest, format)
	}
	return "application/n-quads", func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "<%s> <p> <o> .\n", strings.Join(q.Subjects, "|"))
		return err
	}, nil
}

func (f *fake) Query(ctx context.Context, src string, limit int) ([]any, error) {
	f.queries.Add(1)
	switch {
	case strings.Contains(src, "while(true)"):
		<-ctx.Done()
		return []any{"partial"}, fmt.Errorf("gizmo query stopped: %w", ctx.Err())
	case strings.Contains(src, "g.V()"):
		var out []any
		for i := 0; i < 5000 && (limit == 0 || len(out) < limit); i++ {
			out = append(out, map[string]any{"id": i})
		}
		return out, nil
	}
	return nil, fmt.Errorf("gizmo: SyntaxError")
}

type fakeIngest struct{ got string }

func (fi *fakeIngest) Ingest(ctx context.Context, r io.Reader) (IngestResult, error) {
	b, _ := io.ReadAll(r)
	fi.got = string(b)
	return IngestResult{Articles: strings.Count(fi.got, "\n"), Changed: 1}, nil
}

func fakeRender(ctx context.Context, w io.Writer, g schema.Graph, o MapOptions) error {
	if o.Focus == "" || len(g.Edges) == 0 {
		return fmt.Errorf("render: nothing")
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg"><title>%d facts</title></svg>`, len(g.Edges))
	return err
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := static.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newTest(t *testing.T, mod func(*Config)) (*httptest.Server, *fake) {
	t.Helper()
	f := &fake{}
	cfg := Config{Backend: f, Render: fakeRender, QueryTimeout: 300 * time.Millisecond, QueryLimit: 100}
	if mod != nil {
		mod(&cfg)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts, f
}

func do(t *testing.T, method, url, ctype, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func get(t *testing.T, url string, wantCode int, v any) string {
	t.Helper()
	res, body := do(t, "GET", url, "", "")
	if res.StatusCode != wantCode {
		t.Fatalf("GET %s: %d, want %d: %s", url, res.StatusCode, wantCode, body)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("GET %s: %v: %s", url, err, body)
		}
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET %s: security headers missing: %v", url, res.Header)
	}
	return body
}

func TestEndpoints(t *testing.T) {
	ts, f := newTest(t, nil)
	var ents []EntityInfo
	get(t, ts.URL+"/api/entities", 200, &ents)
	if len(ents) != 3 {
		t.Errorf("entities: %d", len(ents))
	}
	get(t, ts.URL+"/api/entities?q=coree", 200, &ents)
	if len(ents) != 1 || ents[0].ID != "Q423" {
		t.Errorf("entities?q=coree: %+v", ents)
	}
	var facts []schema.Fact
	get(t, ts.URL+"/api/facts?subject=Q423&event=AID,ACCUSE&since=2024&limit=5", 200, &facts)
	if len(facts) != 1 || facts[0].Relation != "supplies" {
		t.Errorf("facts: %+v", facts)
	}
	if q := f.lastQuery; len(q.Events) != 2 || q.Since != "2024" || q.Limit != 5 {
		t.Errorf("filter passed on as %+v", q)
	}
	get(t, ts.URL+"/api/facts?event=NOPE", 400, nil)
	var nb struct {
		Entity    schema.EntityRef
		Truncated bool
		Nodes     []schema.Entity
		Edges     []schema.Fact
	}
	get(t, ts.URL+"/api/neighbors?entity=Russie&depth=2", 200, &nb)
	if nb.Entity.ID != "Q159" || len(nb.Edges) != 2 || nb.Truncated {
		t.Errorf("neighbors: %+v", nb)
	}
	get(t, ts.URL+"/api/neighbors?entity=Q423&max_nodes=1", 200, &nb)
	if !nb.Truncated {
		t.Error("max_nodes=1 not truncated")
	}
	get(t, ts.URL+"/api/neighbors?entity=Atlantide", 404, nil)
	get(t, ts.URL+"/api/neighbors", 400, nil)
	get(t, ts.URL+"/api/neighbors?entity=Q423&depth=x", 400, nil)
	var path struct{ Facts []schema.Fact }
	get(t, ts.URL+"/api/path?a=Q458&b=Russie", 200, &path)
	if len(path.Facts) != 1 {
		t.Errorf("path: %+v", path)
	}
	var st map[string]int
	get(t, ts.URL+"/api/stats", 200, &st)
	if st["Facts"] != 2 {
		t.Errorf("stats: %v", st)
	}
	var refs []schema.EntityRef
	get(t, ts.URL+"/api/resolve?q=corée%20du%20nord", 200, &refs)
	if len(refs) != 1 || refs[0].ID != "Q423" {
		t.Errorf("resolve: %v", refs)
	}
	get(t, ts.URL+"/api/nothing", 404, nil)
	if res, _ := do(t, "POST", ts.URL+"/api/facts", "application/json", "{}"); res.StatusCode != 405 {
		t.Errorf("POST /api/facts: %d", res.StatusCode)
	}
}

func TestJSONEscapesMarkup(t *testing.T) {
	ts, _ := newTest(t, nil)
	body := get(t, ts.URL+"/api/facts", 200, nil)
	if strings.Contains(body, "<script>") || strings.Contains(body, "<b>") {
		t.Errorf("raw markup in JSON: %s", body)
	}
}

func TestMapSVG(t *testing.T) {
	ts, _ := newTest(t, nil)
	res, body := do(t, "GET", ts.URL+"/map.svg?entity=Q423&depth=2", "", "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("%d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("map CSP %q", csp)
	}
	if err := xml.Unmarshal([]byte(body), new(struct{})); err != nil {
		t.Errorf("not XML: %v", err)
	}
	if res, _ := do(t, "GET", ts.URL+"/map.svg?entity=Atlantide", "", ""); res.StatusCode != 404 {
		t.Errorf("unknown entity: %d", res.StatusCode)
	}
	ts2, _ := newTest(t, func(c *Config) {
		c.Render = func(context.Context, io.Writer, schema.Graph, MapOptions) error {
			return fmt.Errorf("%w: 900 nodes", ErrTooLarge)
		}
	})
	if res, _ := do(t, "GET", ts2.URL+"/map.svg?entity=Q423", "", ""); res.StatusCode != 422 {
		t.Errorf("too large: %d", res.StatusCode)
	}
}

// TestMapCache checks a map asked again is not drawn again, that a
// different map (another depth, so other options) is, and that requests
// arriving while a map is drawn share that drawing.
func TestMapCache(t *testing.T) {
	var draws atomic.Int32
	release := make(chan struct{})
	ts, _ := newTest(t, func(c *Config) {
		c.Render = func(ctx context.Context, w io.Writer, g schema.Graph, o MapOptions) error {
			draws.Add(1)
			<-release
			return fakeRender(ctx, w, g, o)
		}
	})
	get := func(depth int) string {
		res, body := do(t, "GET", fmt.Sprintf("%s/map.svg?entity=Q423&depth=%d", ts.URL, depth), "", "")
		if res.StatusCode != 200 {
			t.Errorf("depth %d: %d %s", depth, res.StatusCode, body)
		}
		return body
	}
	// five requests at once, one drawing
	bodies := make(chan string, 5)
	for range 5 {
		go func() { bodies <- get(2) }()
	}
	time.Sleep(100 * time.Millisecond)
	close(release)
	first := <-bodies
	for range 4 {
		if b := <-bodies; b != first {
			t.Errorf("shared drawing gave %q, want %q", b, first)
		}
	}
	for _, tc := range []struct {
		name  string
		depth int
		draws int32
	}{
		{"same map again", 2, 1},
		{"other depth", 1, 2},
		{"other depth again", 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			get(tc.depth)
			if n := draws.Load(); n != tc.draws {
				t.Errorf("%d drawings, want %d", n, tc.draws)
			}
		})
	}
}

// TestSharedStats checks /api/stats is computed once for many requests,
// and again after the server stores articles (before answering) or the
// TTL passes (after answering with the old stats).
func TestSharedStats(t *testing.T) {
	ts, f := newTest(t, func(c *Config) {
		c.Ingest = &fakeIngest{}
		c.SummaryTTL = time.Hour
	})
	get := func() {
		if res, body := do(t, "GET", ts.URL+"/api/stats", "", ""); res.StatusCode != 200 || !strings.Contains(body, `"Facts":2`) {
			t.Errorf("stats: %d %s", res.StatusCode, body)
		}
	}
	for _, tc := range []struct {
		name  string
		do    func()
		calls int32
	}{
		{"first", get, 1},
		{"ten more", func() {
			for range 10 {
				get()
			}
		}, 1},
		{"after an ingest", func() {
			do(t, "POST", ts.URL+"/api/articles", "application/x-ndjson", `{"id":"x","text":"y"}`+"\n")
			get()
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.do()
			if n := f.stats.Load(); n != tc.calls {
				t.Errorf("%d Stats calls, want %d", n, tc.calls)
			}
		})
	}
	// past the TTL the old stats are served and refreshed in the background
	ts2, f2 := newTest(t, func(c *Config) { c.SummaryTTL = time.Millisecond })
	do(t, "GET", ts2.URL+"/api/stats", "", "")
	time.Sleep(5 * time.Millisecond)
	do(t, "GET", ts2.URL+"/api/stats", "", "")
	for i := 0; i < 100 && f2.stats.Load() < 2; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := f2.stats.Load(); n != 2 {
		t.Errorf("after the TTL: %d Stats calls, want 2", n)
	}
}

func TestQueryTimeout(t *testing.T) {
	ts, _ := newTest(t, nil)
	start := time.Now()
	res, body := do(t, "POST", ts.URL+"/api/query", "application/javascript", "while(true){}")
	el := time.Since(start)
	if res.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if el < 250*time.Millisecond || el > 3*time.Second {
		t.Errorf("took %v, want about 300ms", el)
	}
	var eb errorBody
	json.Unmarshal([]byte(body), &eb)
	if !strings.Contains(eb.Error, "300ms") || len(eb.Results) != 1 {
		t.Errorf("body %s", body)
	}
	// a request may shorten the timeout, not lengthen it
	start = time.Now()
	res, _ = do(t, "POST", ts.URL+"/api/query?timeout=1h", "application/javascript", "while(true){}")
	if el := time.Since(start); res.StatusCode != 504 || el > 3*time.Second {
		t.Errorf("timeout=1h: %d after %v", res.StatusCode, el)
	}
}

func TestQueryLimit(t *testing.T) {
	ts, _ := newTest(t, nil)
	var qb queryBody
	res, body := do(t, "POST", ts.URL+"/api/query", "application/javascript", "g.V().All()")
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &qb) != nil {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	if len(qb.Results) != 100 || !qb.Truncated {
		t.Errorf("%d results, truncated %v; the server limit is 100", len(qb.Results), qb.Truncated)
	}
	res, body = do(t, "POST", ts.URL+"/api/query?limit=7", "application/javascript", "g.V().All()")
	json.Unmarshal([]byte(body), &qb)
	if len(qb.Results) != 7 {
		t.Errorf("?limit=7: %d", len(qb.Results))
	}
	res, body = do(t, "POST", ts.URL+"/api/query", "application/json", `{"query": "g.V().All()", "limit": 3}`)
	json.Unmarshal([]byte(body), &qb)
	if res.StatusCode != 200 || len(qb.Results) != 3 {
		t.Errorf("JSON body: %d %s", res.StatusCode, body)
	}
	if res, _ := do(t, "POST", ts.URL+"/api/query", "application/javascript", "nonsense("); res.StatusCode != 400 {
		t.Errorf("syntax error: %d", res.StatusCode)
	}
}

func TestQueryBodyLimits(t *testing.T) {
	ts, f := newTest(t, nil)
	big := "g.V().All();//" + strings.Repeat("x", 64<<10)
	res, body := do(t, "POST", ts.URL+"/api/query", "application/javascript", big)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d %s", res.StatusCode, body)
	}
	// a cross-site form can send these types without a preflight
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		if res, _ := do(t, "POST", ts.URL+"/api/query", ct, "g.V().All()"); res.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: %d", ct, res.StatusCode)
		}
	}
	if n := f.queries.Load(); n != 0 {
		t.Errorf("%d refused queries reached the backend", n)
	}
	if res, _ := do(t, "GET", ts.URL+"/api/query", "", ""); res.StatusCode != 405 {
		t.Errorf("GET /api/query: %d", res.StatusCode)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	ts, _ := newTest(t, nil)
	res, body := do(t, "POST", ts.URL+"/api/articles", "application/x-ndjson", `{"id":"x","text":"t"}`+"\n")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "read-only") {
		t.Errorf("read-only server: %d %s", res.StatusCode, body)
	}
	fi := &fakeIngest{}
	ts2, _ := newTest(t, func(c *Config) { c.Ingest = fi; c.MaxIngestBytes = 1000 })
	res, body = do(t, "POST", ts2.URL+"/api/articles", "application/x-ndjson", `{"id":"x","text":"t"}`+"\n")
	if res.StatusCode != 200 || !strings.Contains(fi.got, `"id":"x"`) {
		t.Errorf("writable server: %d %s", res.StatusCode, body)
	}
	res, _ = do(t, "POST", ts2.URL+"/api/articles", "application/x-ndjson", `{"text":"`+strings.Repeat("a", 2000)+`"}`)
	if res.StatusCode != 413 {
		t.Errorf("oversized article: %d", res.StatusCode)
	}
	res, _ = do(t, "POST", ts2.URL+"/api/articles", "text/plain", `{"id":"x"}`)
	if res.StatusCode != 415 {
		t.Errorf("text/plain article: %d", res.StatusCode)
	}
}

func TestPageAndAssets(t *testing.T) {
	ts, _ := newTest(t, nil)
	res, body := do(t, "GET", ts.URL+"/", "", "")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "script-src 'self'", "object-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("page CSP lacks %s: %s", d, csp)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Error("page CSP allows inline code")
	}
	// no inline scripts, styles or handlers; no external assets
	if regexp.MustCompile(`<script[^>]*>[^<]`).MatchString(body) || strings.Contains(body, "<style") ||
		regexp.MustCompile(`(?i)\son[a-z]+=`).MatchString(body) || regexp.MustCompile(`(src|href)="(https?:)?//`).MatchString(body) {
		t.Errorf("inline code or external asset in the page:\n%s", body)
	}
	for _, p := range []string{"/app.js", "/app.css"} {
		res, body := do(t, "GET", ts.URL+p, "", "")
		if res.StatusCode != 200 || len(body) < 100 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
		// the bundle holds Cytoscape.js too: none of it may build HTML
		// from strings or run strings as code, which the CSP would refuse
		for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s uses %s", p, bad)
			}
		}
	}
	if !strings.HasPrefix(string(mustRead(t, "static/app.js")), "// Code generated by internal/server/web/build.sh") {
		t.Error("static/app.js does not say how it was made")
	}
	res, body = do(t, "GET", ts.URL+"/context.jsonld", "", "")
	var c map[string]any
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/ld+json" || json.Unmarshal([]byte(body), &c) != nil || c["@context"] == nil {
		t.Errorf("/context.jsonld: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestAllowedHosts(t *testing.T) {
	ts, _ := newTest(t, func(c *Config) { c.AllowedHosts = LoopbackHosts("127.0.0.1") })
	get(t, ts.URL+"/api/stats", 200, nil) // Host 127.0.0.1:port
	req, _ := http.NewRequest("GET", ts.URL+"/api/stats", nil)
	req.Host = "evil.example:80"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("rebinding Host: %d", res.StatusCode)
	}
}

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:8080", false, true},
		{"localhost:0", false, true},
		{"[::1]:8080", false, true},
		{"0.0.0.0:8080", false, false},
		{":8080", false, false},
		{"192.168.1.5:8080", false, false},
		{"example.org:80", false, false},
		{"0.0.0.0:8080", true, true},
		{"nonsense", true, false},
	} {
		if err := CheckAddr(c.addr, c.public); (err == nil) != c.ok {
			t.Errorf("CheckAddr(%q, %v) = %v", c.addr, c.public, err)
		}
	}
}

// TestAppJSParses checks the page script's syntax with Node, when there
// is one: a syntax error would leave the page silently dead.
func TestAppJSParses(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node: the page script's syntax was not checked (the browser test also loads it)")
	}
	src, err := static.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "app.js")
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, "--check", p).CombinedOutput(); err != nil {
		t.Errorf("node --check app.js: %v\n%s", err, out)
	}
}
