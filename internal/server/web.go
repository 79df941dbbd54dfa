package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kg-news/kg/schema"
)

// The endpoints the interactive page needs beyond kg's first API (the
// article list and the article view), and Cayley's own HTTP API
// (/api/v2/query, /api/v2/read, /api/v2/write) for Cayley's tools.

// ArticleBody is /api/article's answer: the article, its facts, and its
// text cut into pieces at the facts' evidence spans so a page can mark
// them without counting bytes (kg's offsets are UTF-8 bytes, a browser's
// strings UTF-16).
type ArticleBody struct {
	Article schema.Article `json:"article"`
	// TextAvailable is false when the server could not read the article
	// again (kg stores facts, not texts): Pieces then hold only the
	// evidence sentences, in the article's order, with gaps between.
	TextAvailable bool          `json:"text_available"`
	Pieces        []Piece       `json:"pieces"`
	Facts         []schema.Fact `json:"facts"`
}

// Piece is a run of an article's text; Facts are the indexes (into
// ArticleBody.Facts) of the facts whose evidence covers it, Gap marks
// text left out.
type Piece struct {
	Text  string `json:"text"`
	Facts []int  `json:"facts,omitempty"`
	Gap   bool   `json:"gap,omitempty"`
}

// pieces cuts text at the facts' evidence spans. A span that does not
// hold its sentence (offsets from another version of the text) is left
// out rather than marking the wrong words.
func pieces(text string, facts []schema.Fact) []Piece {
	type span struct{ start, end, fact int }
	var spans []span
	cuts := map[int]bool{0: true, len(text): true}
	for i, f := range facts {
		s, e := f.Evidence.Start, f.Evidence.End
		if s < 0 || e > len(text) || s >= e || text[s:e] != f.Evidence.Sentence {
			continue
		}
		spans = append(spans, span{s, e, i})
		cuts[s], cuts[e] = true, true
	}
	at := make([]int, 0, len(cuts))
	for c := range cuts {
		at = append(at, c)
	}
	sort.Ints(at)
	var out []Piece
	for i := 0; i+1 < len(at); i++ {
		p := Piece{Text: text[at[i]:at[i+1]]}
		for _, sp := range spans {
			if sp.start <= at[i] && at[i+1] <= sp.end {
				p.Facts = append(p.Facts, sp.fact)
			}
		}
		out = append(out, p)
	}
	return out
}

// sentencePieces stands in for the text when it cannot be read: each
// distinct evidence sentence once, by offset, gaps between.
func sentencePieces(facts []schema.Fact) []Piece {
	idx := make([]int, len(facts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return facts[idx[a]].Evidence.Start < facts[idx[b]].Evidence.Start })
	var out []Piece
	last, lastEnd := "", -1
	for _, i := range idx {
		ev := facts[i].Evidence
		if len(out) > 0 && ev.Sentence == last {
			out[len(out)-1].Facts = append(out[len(out)-1].Facts, i)
			continue
		}
		if len(out) == 0 && ev.Start > 0 || len(out) > 0 && ev.Start > lastEnd+1 {
			out = append(out, Piece{Text: "…", Gap: true})
		} else if len(out) > 0 {
			out = append(out, Piece{Text: " "})
		}
		out = append(out, Piece{Text: ev.Sentence, Facts: []int{i}})
		last, lastEnd = ev.Sentence, ev.End
	}
	return out
}

func (s *server) articles(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	as, err := s.cfg.Backend.Articles(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if as == nil {
		as = []schema.Article{}
	}
	for i := range as {
		as[i].Text, as[i].Source = "", "" // a list is for choosing; the source path is the server's business
	}
	s.writeJSON(w, http.StatusOK, as)
}

func (s *server) article(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	id := r.URL.Query().Get("id")
	if id == "" || len(id) > 1000 {
		s.fail(w, r, http.StatusBadRequest, "?id= is required (an article id)")
		return
	}
	a, err := s.cfg.Backend.Article(ctx, id)
	if errors.Is(err, ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("no article %q in this graph", id))
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	facts, err := s.cfg.Backend.Facts(ctx, FactQuery{Articles: []string{id}})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if facts == nil {
		facts = []schema.Fact{}
	}
	body := ArticleBody{Article: a, Facts: facts, TextAvailable: a.Text != "" && utf8.ValidString(a.Text)}
	if body.TextAvailable {
		body.Pieces = pieces(a.Text, facts)
	} else {
		body.Pieces = sentencePieces(facts)
	}
	body.Article.Text, body.Article.Source = "", ""
	s.writeJSON(w, http.StatusOK, body)
}

// rank orders entity matches: the whole name, then a name's start, then
// a word's start, then anywhere ("Korea" finds North Korea last).
func rank(e EntityInfo, q string) int {
	best := 4
	names := append([]string{e.Name, e.ID}, e.Aliases...)
	for _, l := range e.Labels {
		names = append(names, l)
	}
	for _, n := range names {
		f := schema.Fold(n)
		switch {
		case f == q:
			return 0
		case strings.HasPrefix(f, q):
			best = min(best, 1)
		case strings.Contains(" "+strings.NewReplacer("-", " ", "'", " ").Replace(f), " "+q):
			best = min(best, 2)
		case strings.Contains(f, q):
			best = min(best, 3)
		}
	}
	return best
}

// Cayley's API. Its clients (the Cayley web UI, cayley-client libraries,
// scripts written for `cayley http`) POST a query to
// /api/v2/query?lang=gizmo and read {"result": [...]} or {"error": "..."}.

// cayleyError is Cayley's error body.
type cayleyError struct {
	Error string `json:"error"`
}

func (s *server) cayleyQuery(w http.ResponseWriter, r *http.Request) {
	switch lang := r.URL.Query().Get("lang"); lang {
	case "gizmo":
	case "":
		s.writeJSON(w, http.StatusBadRequest, cayleyError{"query language not specified (kg answers lang=gizmo)"})
		return
	default:
		s.writeJSON(w, http.StatusBadRequest, cayleyError{fmt.Sprintf("unknown query language %q: kg answers lang=gizmo", lang)})
		return
	}
	var src string
	if r.Method == http.MethodGet {
		src = r.URL.Query().Get("qu")
	} else {
		// Cayley reads the body whatever its type; kg refuses the form
		// types a page on another site could POST (see readBody).
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" || ct == "text/plain" {
			s.writeJSON(w, http.StatusUnsupportedMediaType, cayleyError{"send the query as application/javascript (form types are refused)"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxQueryBytes))
		if err != nil {
			s.writeJSON(w, http.StatusRequestEntityTooLarge, cayleyError{fmt.Sprintf("request is too large (over %d bytes)", s.cfg.MaxQueryBytes)})
			return
		}
		src = string(body)
	}
	if strings.TrimSpace(src) == "" {
		s.writeJSON(w, http.StatusBadRequest, cayleyError{"query is empty"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()
	res, err := s.cfg.Backend.Query(ctx, src, s.cfg.QueryLimit)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			s.writeJSON(w, http.StatusGatewayTimeout, cayleyError{fmt.Sprintf("query stopped after %v", s.cfg.QueryTimeout)})
			return
		}
		s.writeJSON(w, http.StatusBadRequest, cayleyError{err.Error()})
		return
	}
	if res == nil {
		res = []any{}
	}
	s.writeJSON(w, http.StatusOK, map[string]any{"result": res})
}

// quadFormats maps Cayley's Accept types to its format names, for
// /api/v2/read without ?format=.
var quadFormats = map[string]string{
	"application/n-quads": "nquads", "application/json": "json", "application/ld+json": "jsonld",
	"application/x-protobuf": "pquads", "application/xml": "graphml", "text/vnd.graphviz": "graphviz",
}

func (s *server) cayleyRead(w http.ResponseWriter, r *http.Request) {
	qr, ok := s.cfg.Backend.(QuadReader)
	if !ok {
		s.writeJSON(w, http.StatusNotImplemented, cayleyError{"this server does not list raw quads"})
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeJSON(w, http.StatusBadRequest, cayleyError{err.Error()})
		return
	}
	format := r.Form.Get("format")
	if format == "" {
		for _, a := range strings.Split(r.Header.Get("Accept"), ",") {
			t, _, _ := mime.ParseMediaType(strings.TrimSpace(a))
			if f, ok := quadFormats[t]; ok {
				format = f
				break
			}
		}
	}
	if format == "" {
		format = "nquads"
	}
	split := func(k string) []string {
		if v := r.Form.Get(k); v != "" {
			return strings.Split(v, ",")
		}
		return nil
	}
	q := QuadQuery{Subjects: split("sub"), Predicates: split("pred"), Objects: split("obj"), Labels: split("label")}
	ctx, cancel := s.reqCtx(r)
	defer cancel()
	ctype, write, err := qr.ReadQuads(ctx, q, format)
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, ErrBadRequest) {
			code = http.StatusBadRequest
		}
		s.writeJSON(w, code, cayleyError{err.Error()})
		return
	}
	// Buffer up to a bound so an error before then is still a JSON error;
	// past it the quads stream and a late error can only cut them short.
	bw := &boundedBuffer{w: w, ctype: ctype, max: 1 << 20}
	err = write(bw)
	if err == nil {
		err = bw.flush()
	}
	if err != nil {
		if !bw.flushed {
			s.writeJSON(w, http.StatusInternalServerError, cayleyError{"reading quads failed (see the server log)"})
		}
		s.logf("error: %s %s: %v", r.Method, r.URL.Path, err)
	}
}

// boundedBuffer holds a response's first max bytes, then streams.
type boundedBuffer struct {
	w       http.ResponseWriter
	ctype   string
	max     int
	buf     bytes.Buffer
	flushed bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if b.flushed {
		return b.w.Write(p)
	}
	b.buf.Write(p)
	if b.buf.Len() > b.max {
		return len(p), b.flush()
	}
	return len(p), nil
}

func (b *boundedBuffer) flush() error {
	if b.flushed {
		return nil
	}
	b.flushed = true
	b.w.Header().Set("Content-Type", b.ctype)
	b.w.Header().Set("Cache-Control", "no-store")
	_, err := b.w.Write(b.buf.Bytes())
	return err
}

// cayleyWrite is Cayley's write endpoint. A read-only server answers as
// Cayley's --read_only does. A writable one stores articles (JSON Lines,
// as POST /api/articles): kg's graph is the facts extracted from
// articles, each quad labelled with its article so it can be replaced
// whole, and loose quads would have no article to belong to.
func (s *server) cayleyWrite(w http.ResponseWriter, r *http.Request) {
	if !s.writable {
		s.writeJSON(w, http.StatusForbidden, cayleyError{"database is read-only"})
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-ndjson", "application/jsonl":
	default:
		s.writeJSON(w, http.StatusUnsupportedMediaType, cayleyError{"kg's graph is built from articles: send them as JSON Lines " +
			"(Content-Type application/x-ndjson, one {\"id\", \"text\", ...} per line); loose quads are not accepted"})
		return
	}
	body, ok := s.readBody(w, r, s.cfg.MaxIngestBytes, "application/x-ndjson", "application/jsonl")
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), max(s.cfg.RequestTimeout, time.Minute))
	defer cancel()
	res, err := s.cfg.Ingest.Ingest(ctx, bytes.NewReader(body))
	if err != nil {
		s.writeJSON(w, http.StatusInternalServerError, cayleyError{"storing failed (see the server log)"})
		s.logf("error: %s %s: %v", r.Method, r.URL.Path, err)
		return
	}
	code := http.StatusOK
	if len(res.Skipped) > 0 && res.Articles == 0 {
		code = http.StatusBadRequest
	}
	s.writeJSON(w, code, map[string]any{
		"result":  fmt.Sprintf("Successfully wrote %d articles (%d facts).", res.Articles, res.Facts),
		"count":   res.Articles,
		"facts":   res.Facts,
		"skipped": res.Skipped,
	})
}
