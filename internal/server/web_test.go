package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

func TestArticleView(t *testing.T) {
	ts, _ := newTest(t, nil)
	var body ArticleBody
	get(t, ts.URL+"/api/article?id=a1", 200, &body)
	if !body.TextAvailable || len(body.Facts) != 2 {
		t.Fatalf("article: %+v", body)
	}
	var text strings.Builder
	var marked []string
	for _, p := range body.Pieces {
		text.WriteString(p.Text)
		if len(p.Facts) > 0 {
			marked = append(marked, p.Text)
		}
	}
	if text.String() != testArticle.Text {
		t.Errorf("pieces do not add up to the text: %q", text.String())
	}
	if len(marked) != 2 || marked[0] != testFacts[0].Evidence.Sentence || marked[1] != testFacts[1].Evidence.Sentence {
		t.Errorf("marked pieces %q", marked)
	}
	if body.Article.Source != "" || body.Article.Text != "" {
		t.Errorf("article leaks its source path or repeats its text: %+v", body.Article)
	}
	res, msg := do(t, "GET", ts.URL+"/api/article?id=nope", "", "")
	if res.StatusCode != 404 || strings.Contains(msg, "kg ") {
		t.Errorf("unknown article: %d %s", res.StatusCode, msg)
	}
	var list []schema.Article
	get(t, ts.URL+"/api/articles", 200, &list)
	if len(list) != 1 || list[0].Source != "" || list[0].Text != "" || list[0].Lang != "fr" {
		t.Errorf("articles: %+v", list)
	}
}

func TestPieces(t *testing.T) {
	text := "Un. Deux trois. Quatre."
	f := func(s string, start int) schema.Fact {
		return schema.Fact{Evidence: schema.Evidence{Sentence: s, Span: schema.Span{Start: start, End: start + len(s)}}}
	}
	for _, c := range []struct {
		name  string
		facts []schema.Fact
		want  []string // pieces, a marked one as [text]
	}{
		{"none", nil, []string{text}},
		{"one", []schema.Fact{f("Deux trois.", 4)}, []string{"Un. ", "[Deux trois.]", " Quatre."}},
		{"overlap", []schema.Fact{f("Deux trois.", 4), f("trois.", 9)}, []string{"Un. ", "[Deux ]", "[trois.]", " Quatre."}},
		{"stale offsets are left out", []schema.Fact{f("Cinq.", 4)}, []string{text}},
		{"out of range", []schema.Fact{f("Quatre.", 40)}, []string{text}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, p := range pieces(text, c.facts) {
				if len(p.Facts) > 0 {
					got = append(got, "["+p.Text+"]")
				} else {
					got = append(got, p.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	t.Run("without text", func(t *testing.T) {
		ps := sentencePieces([]schema.Fact{f("Quatre.", 16), f("Deux trois.", 4), f("Deux trois.", 4)})
		var got []string
		for _, p := range ps {
			got = append(got, p.Text)
		}
		if strings.Join(got, "|") != "…|Deux trois.| |Quatre." || len(ps[1].Facts) != 2 {
			t.Errorf("got %q (%+v)", got, ps)
		}
	})
}

func TestEntitySearch(t *testing.T) {
	ts, _ := newTest(t, nil)
	for _, c := range []struct {
		name, q string
		want    []string
	}{
		{"substring of a name", "corée", []string{"Q423"}},
		{"substring of a label in the other language", "korea", []string{"Q423"}},
		{"a name's start before a substring", "ru", []string{"Q159", "Q458"}}, // Russie, then Bruxelles
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []EntityInfo
			get(t, ts.URL+"/api/entities?q="+c.q, 200, &got)
			var ids []string
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			if strings.Join(ids, ",") != strings.Join(c.want, ",") {
				t.Errorf("got %v, want %v", ids, c.want)
			}
		})
	}
	res, body := do(t, "GET", ts.URL+"/api/resolve?q=Atlantis", "", "")
	if res.StatusCode != 404 || strings.Contains(body, "kg ") || !strings.Contains(body, "Atlantis") {
		t.Errorf("unknown name: %d %s", res.StatusCode, body)
	}
}

func TestCayleyAPI(t *testing.T) {
	ts, f := newTest(t, nil)
	t.Run("query", func(t *testing.T) {
		res, body := do(t, "POST", ts.URL+"/api/v2/query?lang=gizmo", "application/javascript", "g.V().All()")
		var got struct {
			Result []map[string]any `json:"result"`
		}
		if res.StatusCode != 200 || json.Unmarshal([]byte(body), &got) != nil || len(got.Result) != 100 {
			t.Fatalf("%d %.200s", res.StatusCode, body)
		}
		res, body = do(t, "GET", ts.URL+"/api/v2/query?lang=gizmo&qu=g.V().All()", "", "")
		if res.StatusCode != 200 || !strings.HasPrefix(body, `{"result":[`) {
			t.Errorf("GET: %d %.100s", res.StatusCode, body)
		}
		n := f.queries.Load()
		for _, c := range []struct {
			name, url, ctype, body string
			code                   int
			msg                    string
		}{
			{"no language", "/api/v2/query", "application/javascript", "g.V().All()", 400, "not specified"},
			{"another language", "/api/v2/query?lang=graphql", "application/javascript", "{}", 400, "lang=gizmo"},
			{"syntax error", "/api/v2/query?lang=gizmo", "application/javascript", "g.V(", 400, "SyntaxError"},
			{"empty", "/api/v2/query?lang=gizmo", "application/javascript", " ", 400, "empty"},
			{"a form from another site", "/api/v2/query?lang=gizmo", "application/x-www-form-urlencoded", "g.V().All()", 415, "form"},
			{"too long", "/api/v2/query?lang=gizmo", "application/javascript", "while(true){}", 504, "stopped"},
		} {
			t.Run(c.name, func(t *testing.T) {
				res, body := do(t, "POST", ts.URL+c.url, c.ctype, c.body)
				var e cayleyError
				if res.StatusCode != c.code || json.Unmarshal([]byte(body), &e) != nil || !strings.Contains(e.Error, c.msg) {
					t.Errorf("%d %s", res.StatusCode, body)
				}
			})
		}
		if got := f.queries.Load() - n; got != 2 {
			t.Errorf("%d queries reached the backend, want 2 (the syntax error and the endless one)", got)
		}
	})
	t.Run("read", func(t *testing.T) {
		res, body := do(t, "GET", ts.URL+"/api/v2/read?sub=<a>,<b>", "", "")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/n-quads" || body != "<<a>|<b>> <p> <o> .\n" {
			t.Errorf("%d %q %q", res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		res, body = do(t, "GET", ts.URL+"/api/v2/read?format=turtle", "", "")
		if res.StatusCode != 400 || !strings.Contains(body, "turtle") {
			t.Errorf("unknown format: %d %s", res.StatusCode, body)
		}
	})
	t.Run("write refused when read-only", func(t *testing.T) {
		res, body := do(t, "POST", ts.URL+"/api/v2/write", "application/n-quads", "<a> <b> <c> .\n")
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "database is read-only") {
			t.Errorf("%d %s", res.StatusCode, body)
		}
	})
	t.Run("write when writable", func(t *testing.T) {
		fi := &fakeIngest{}
		ts, _ := newTest(t, func(c *Config) { c.Ingest = fi })
		res, body := do(t, "POST", ts.URL+"/api/v2/write", "application/x-ndjson", `{"id":"x","text":"t"}`+"\n")
		if res.StatusCode != 200 || !strings.Contains(body, "Successfully wrote 1 articles") || fi.got == "" {
			t.Errorf("%d %s", res.StatusCode, body)
		}
		res, body = do(t, "POST", ts.URL+"/api/v2/write", "application/n-quads", "<a> <b> <c> .\n")
		if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(body, "articles") {
			t.Errorf("loose quads: %d %s", res.StatusCode, body)
		}
	})
}
