package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingRE = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/`)

// startServe runs `kg serve` in-process on a free port and returns its
// base URL; the server stops when the test ends, and must exit 0.
func startServe(t *testing.T, store string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, ios, append([]string{"--store", store, "serve", "--addr", "127.0.0.1:0"}, args...))
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("kg serve exit %d: %s", code, errb.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("kg serve did not stop")
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if u := servingRE.FindString(out.String()); u != "" {
			return u
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("kg serve exited %d: %s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("kg serve did not start: %s %s", out.String(), errb.String())
	return ""
}

func httpDo(t *testing.T, method, u, ctype, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
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
	return res.StatusCode, string(b)
}

func TestServeEndpoints(t *testing.T) {
	base := startServe(t, exSeeded(t), "--quiet")
	code, body := httpDo(t, "GET", base+"api/facts?relation=condemns&object="+url.QueryEscape("Corée du Nord"), "", "")
	var facts []struct {
		Subject  struct{ ID string }
		Evidence struct{ Sentence string }
	}
	if code != 200 || json.Unmarshal([]byte(body), &facts) != nil || len(facts) == 0 {
		t.Fatalf("facts: %d %s", code, body)
	}
	for _, f := range facts {
		if f.Evidence.Sentence == "" {
			t.Errorf("fact without evidence: %+v", f)
		}
	}
	if code, body := httpDo(t, "GET", base+"api/facts?event=NOPE", "", ""); code != 400 {
		t.Errorf("bad event: %d %s", code, body)
	}
	var nb struct {
		Entity struct{ ID string }
		Nodes  []any
		Edges  []any
	}
	code, body = httpDo(t, "GET", base+"api/neighbors?entity=Russie&depth=1", "", "")
	if code != 200 || json.Unmarshal([]byte(body), &nb) != nil || nb.Entity.ID != "Q159" || len(nb.Edges) == 0 {
		t.Errorf("neighbors: %d %s", code, body)
	}
	if code, _ := httpDo(t, "GET", base+"api/neighbors?entity=Atlantide", "", ""); code != 404 {
		t.Errorf("unknown entity: %d", code)
	}
	// a path between the two ends of the first fact (the extractor's
	// output on the seed changes; that one exists whatever it finds)
	code, body = httpDo(t, "GET", base+"api/facts?limit=1", "", "")
	var first []struct{ Subject, Object struct{ ID string } }
	if code != 200 || json.Unmarshal([]byte(body), &first) != nil || len(first) != 1 {
		t.Fatalf("facts?limit=1: %d %s", code, body)
	}
	var path struct{ Facts []any }
	code, body = httpDo(t, "GET", base+"api/path?a="+url.QueryEscape(first[0].Object.ID)+"&b="+url.QueryEscape(first[0].Subject.ID), "", "")
	if code != 200 || json.Unmarshal([]byte(body), &path) != nil || len(path.Facts) != 1 {
		t.Errorf("path: %d %s", code, body)
	}
	var ents []struct{ ID string }
	code, body = httpDo(t, "GET", base+"api/entities?type=country", "", "")
	if code != 200 || json.Unmarshal([]byte(body), &ents) != nil || len(ents) == 0 {
		t.Errorf("entities: %d %s", code, body)
	}
	var st struct{ Facts int }
	code, body = httpDo(t, "GET", base+"api/stats", "", "")
	if code != 200 || json.Unmarshal([]byte(body), &st) != nil || st.Facts == 0 {
		t.Errorf("stats: %d %s", code, body)
	}
	code, body = httpDo(t, "GET", base+"map.svg?entity=Q423&depth=1", "", "")
	if code != 200 || !strings.Contains(body, "<svg") {
		t.Errorf("map: %d %.200s", code, body)
	}
	code, body = httpDo(t, "GET", base+"context.jsonld", "", "")
	if code != 200 || !strings.Contains(body, `"@vocab"`) {
		t.Errorf("context: %d", code)
	}
	code, body = httpDo(t, "GET", base, "", "")
	if code != 200 || !strings.Contains(body, `<script src="/app.js"`) {
		t.Errorf("page: %d", code)
	}
}

func TestServeQueryLimits(t *testing.T) {
	base := startServe(t, exSeeded(t), "--quiet", "--query-timeout", "300ms", "--query-limit", "3")
	start := time.Now()
	code, body := httpDo(t, "POST", base+"api/query", "application/javascript", "while(true){}")
	if el := time.Since(start); code != http.StatusGatewayTimeout || el > 4*time.Second {
		t.Errorf("while(true): %d after %v: %s", code, el, body)
	}
	var qb struct {
		Results   []any
		Truncated bool
	}
	code, body = httpDo(t, "POST", base+"api/query", "application/javascript", "g.V().All()")
	if code != 200 || json.Unmarshal([]byte(body), &qb) != nil || len(qb.Results) != 3 || !qb.Truncated {
		t.Errorf("limit 3: %d %.300s", code, body)
	}
	code, _ = httpDo(t, "POST", base+"api/query", "application/javascript", strings.Repeat(" ", 65<<10)+"g.V().All()")
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("65 KB body: %d", code)
	}
	code, _ = httpDo(t, "POST", base+"api/articles", "application/x-ndjson", `{"id":"x","text":"La Russie a condamné le Japon."}`+"\n")
	if code != http.StatusForbidden {
		t.Errorf("write to a read-only server: %d", code)
	}
}

func TestServeWritable(t *testing.T) {
	store := exSeeded(t)
	base := startServe(t, store, "--quiet", "--writable")
	art := `{"id":"t1","date":"2024-02-01","lang":"fr","text":"Le Japon a condamné la Corée du Nord pour ses tirs de missiles balistiques."}` + "\n"
	code, body := httpDo(t, "POST", base+"api/articles", "application/x-ndjson", art)
	var res struct{ Articles, Facts int }
	if code != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Articles != 1 {
		t.Fatalf("ingest: %d %s", code, body)
	}
	t.Logf("ingested over HTTP: %s", strings.TrimSpace(body))
	code, body = httpDo(t, "GET", base+"api/facts?article=t1", "", "")
	if code != 200 || (res.Facts > 0 && !strings.Contains(body, `"doc":"t1@fr"`)) { // the corpus id selects its language versions
		t.Errorf("facts of t1: %d %s", code, body)
	}
}

func TestServeRefusesPublicAddr(t *testing.T) {
	store := exSeeded(t)
	code, _, e := exRun(t, "--store", store, "serve", "--addr", "0.0.0.0:0")
	if code != exitUsage || !strings.Contains(e, "--public") {
		t.Errorf("exit %d: %s", code, e)
	}
}
