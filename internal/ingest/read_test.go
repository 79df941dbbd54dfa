package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kg-news/kg/schema"
)

// walkAll runs Walk and returns the articles read and the error messages,
// in order.
func walkAll(t *testing.T, paths []string, stdin string, opt ReadOptions) (arts []schema.Article, errs []string) {
	t.Helper()
	err := Walk(paths, strings.NewReader(stdin), opt, func(a schema.Article) error {
		arts = append(arts, a)
		return nil
	}, func(err error) {
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("error %q is not an *InputError: a user could not tell which input it is about", err)
		}
		errs = append(errs, err.Error())
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return arts, errs
}

func ids(arts []schema.Article) string {
	var s []string
	for _, a := range arts {
		s = append(s, a.ID)
	}
	return strings.Join(s, ",")
}

const in = "testdata/inputs/"

// TestBadInputs pins the exact message a user sees for each kind of bad
// input, and that good inputs around a bad one are still read.
func TestBadInputs(t *testing.T) {
	for _, c := range []struct {
		name  string
		paths []string
		stdin string
		opt   ReadOptions
		ids   string   // articles read, in order
		errs  []string // exact messages, in order
	}{
		{name: "empty file", paths: []string{in + "empty.txt"},
			errs: []string{in + "empty.txt: empty article: no text to extract"}},
		{name: "white space only", paths: []string{in + "blank.txt"},
			errs: []string{in + "blank.txt: empty article: no text to extract"}},
		{name: "binary", paths: []string{in + "image.txt"},
			errs: []string{in + "image.txt: binary data (NUL byte at byte offset 7 of the file): not a text article"}},
		{name: "latin-1, not UTF-8", paths: []string{in + "latin1.txt"},
			errs: []string{in + "latin1.txt: invalid UTF-8 at byte offset 18 of the file: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)"}},
		{name: "German text", paths: []string{in + "german.txt"},
			errs: []string{in + "german.txt: text looks German (de), which kg does not read (French and English only); if it is French or English, pass --lang fr or --lang en"}},
		{name: "German text forced", paths: []string{in + "german.txt"}, opt: ReadOptions{Lang: "en"},
			ids: "german"},
		{name: "too short to tell", stdin: "Macron, Poutine.",
			errs: []string{"<stdin>: cannot tell the language (too few French or English words); if it is French or English, pass --lang fr or --lang en"}},
		{name: "missing file", paths: []string{in + "nope.txt"},
			errs: []string{in + "nope.txt: no such file or directory"}},
		{name: "HTML page", paths: []string{in + "page.html"}, ids: "page"},
		{name: "malformed JSON Lines", paths: []string{in + "mixed.jsonl"}, ids: "good-1,good-2,good-3",
			errs: []string{
				in + "mixed.jsonl:2: bad JSON: the line ends inside the object (unclosed { or string)",
				in + "mixed.jsonl:4: not a JSON object: a JSON Lines record is one {...} per line",
				in + `mixed.jsonl:5: bad JSON: field "id" must be a string, not a number (at byte 7)`,
				in + `mixed.jsonl:6: article "no-text" has no "text"`,
				in + `mixed.jsonl:7: article "german": text looks German (de), which kg does not read (French and English only); if it is French or English, set "lang" in the record or pass --lang`,
				in + `mixed.jsonl:8: bad date "2022-13-01": want YYYY, YYYY-MM or YYYY-MM-DD`,
				in + "mixed.jsonl:9: extra data after the JSON object (at byte 37): one record per line",
			}},
		{name: "malformed JSON Lines, strict", paths: []string{in + "mixed.jsonl"}, opt: ReadOptions{Strict: true},
			errs: []string{in + "mixed.jsonl:2: bad JSON: the line ends inside the object (unclosed { or string) (--strict: nothing from " + in + "mixed.jsonl ingested)"}},
		{name: "stdin JSON Lines after blank lines", stdin: "\n\n  {\"id\":\"s\",\"lang\":\"en\",\"text\":\"Russia attacked Ukraine.\"}\n{x\n",
			ids: "s", errs: []string{"<stdin>:4: bad JSON: invalid character 'x' looking for beginning of object key string (at byte 2)"}},
		{name: "stdin text", stdin: "Russia attacked Ukraine on 3 March.", opt: ReadOptions{Lang: "en"}, ids: TextID("Russia attacked Ukraine on 3 March.")},
		{name: "stdin binary", stdin: "\x7fELF\x02\x01\x01\x00",
			errs: []string{"<stdin>: binary data (NUL byte at byte offset 7 of the file): not a text article"}},
		{name: "one bad file among good ones", paths: []string{in + "latin1.txt", in + "page.html", in + "empty.txt"}, ids: "page",
			errs: []string{
				in + "latin1.txt: invalid UTF-8 at byte offset 18 of the file: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
				in + "empty.txt: empty article: no text to extract"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			paths := c.paths
			if paths == nil {
				paths = []string{"-"}
			}
			arts, errs := walkAll(t, paths, c.stdin, c.opt)
			if got := ids(arts); got != c.ids {
				t.Errorf("articles %q, want %q", got, c.ids)
			}
			if strings.Join(errs, "\n") != strings.Join(c.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(c.errs, "\n"))
			}
		})
	}
}

// TestHTMLDropsScripts checks what an HTML page turns into: its title and
// article text, nothing from <script>, <style>, <nav> or <footer>, even
// when a script tag is written self-closing to smuggle its body through.
func TestHTMLDropsScripts(t *testing.T) {
	arts, errs := walkAll(t, []string{in + "page.html"}, "", ReadOptions{})
	if len(errs) > 0 || len(arts) != 1 {
		t.Fatalf("articles %d, errors %q", len(arts), errs)
	}
	a := arts[0]
	if a.Title != "Russia & Ukraine" || a.Lang != "en" {
		t.Errorf("title %q, lang %q", a.Title, a.Lang)
	}
	want := "War\n\nRussia attacked Ukraine on 3 March 2022.\n\nJapan condemned North Korea\u00a0on 5 March.\n"
	if strings.Join(strings.Fields(a.Text), " ") != strings.Join(strings.Fields(want), " ") {
		t.Errorf("text %q\nwant %q", a.Text, want)
	}
	for _, bad := range []string{"Germany", "France", "alert", "color", "Brazil", "Italy", "Home"} {
		if strings.Contains(a.Text, bad) {
			t.Errorf("text keeps %q from a script, style, nav or footer: %q", bad, a.Text)
		}
	}
	for _, c := range []struct{ html, text string }{
		{`<p>a<script/>alert(1)</script>b</p>`, "a b\n"},
		{`<p>Russia<script>x</script>attacked</p>`, "Russia attacked\n"},
		{`<p>a<style/>x{}</style>b`, "a b\n"},
		{`<svg><script>evil</script></svg>ok`, "ok\n"},
		{`<p>Tom &amp; Jerry &lt;b&gt;</p>`, "Tom & Jerry <b>\n"},
		{`<!-- Russia attacked Ukraine --><p>x</p>`, "x\n"},
	} {
		if _, got := HTMLText([]byte(c.html)); string(got) != c.text {
			t.Errorf("HTMLText(%q) = %q, want %q", c.html, got, c.text)
		}
	}
}

// bigLine writes a single-line file of n bytes in 1 MB chunks (never
// holding it in memory): a JSON record whose text never ends.
func bigLine(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := bytes.Repeat([]byte("Russia attacked Ukraine. "), 1<<20/25)
	f.WriteString(`{"id":"big","lang":"en","text":"`)
	for w := 0; w < n; w += len(chunk) {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHugeSingleLine feeds a 100 MB file with no newline as a .txt, as a
// .jsonl (followed by a good record) and on stdin: each must be refused
// quickly with a clear message, reading in bounded memory (well under the
// file's size), and the good record after the long line still read.
func TestHugeSingleLine(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100 MB")
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	bigLine(t, big, 100<<20)
	jl := filepath.Join(dir, "big.jsonl")
	if err := os.Link(big, jl); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.jsonl")
	os.WriteFile(good, []byte("{\"id\":\"after\",\"lang\":\"en\",\"text\":\"Russia attacked Ukraine.\"}\n"), 0o644)
	// big.jsonl then good.jsonl as one stream: line 1 is huge, line 2 good
	cat := filepath.Join(dir, "cat.jsonl")
	bigLine(t, cat, 100<<20)
	f, _ := os.OpenFile(cat, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n{\"id\":\"after\",\"lang\":\"en\",\"text\":\"Russia attacked Ukraine.\"}\n")
	f.Close()

	limit := fmt.Sprintf("%d MB", MaxArticleBytes>>20)
	for _, c := range []struct {
		name  string
		paths []string
		stdin bool
		ids   string
		errs  []string
	}{
		{name: "txt", paths: []string{big}, errs: []string{big + ": larger than " + limit + ": not read (split it into articles, one per line of a .jsonl file)"}},
		{name: "jsonl", paths: []string{jl}, errs: []string{jl + ":1: line longer than " + limit + ": skipped"}},
		{name: "jsonl then a good line", paths: []string{cat}, ids: "after", errs: []string{cat + ":1: line longer than " + limit + ": skipped"}},
		{name: "stdin", paths: []string{"-"}, stdin: true, errs: []string{"<stdin>:1: line longer than " + limit + ": skipped"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdin *os.File
			if c.stdin {
				stdin, _ = os.Open(big)
				defer stdin.Close()
			}
			runtime.GC()
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			start := time.Now()
			var arts []schema.Article
			var errs []string
			err := Walk(c.paths, stdin, ReadOptions{}, func(a schema.Article) error {
				arts = append(arts, a)
				return nil
			}, func(err error) { errs = append(errs, err.Error()) })
			el := time.Since(start)
			runtime.ReadMemStats(&m1)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(arts); got != c.ids {
				t.Errorf("articles %q, want %q", got, c.ids)
			}
			if strings.Join(errs, "\n") != strings.Join(c.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(c.errs, "\n"))
			}
			alloc := m1.TotalAlloc - m0.TotalAlloc
			t.Logf("%v, %d MB allocated", el.Round(time.Millisecond), alloc>>20)
			if alloc > 3*MaxArticleBytes {
				t.Errorf("reading allocated %d MB for a 100 MB input: not streaming", alloc>>20)
			}
			if el > 10*time.Second {
				t.Errorf("took %v to refuse", el)
			}
		})
	}
}

// TestDetectLang checks detection refuses other languages instead of
// calling them English because they share a word like "in".
func TestDetectLang(t *testing.T) {
	for _, c := range []struct{ text, want, other string }{
		{"Russia attacked Ukraine on 3 March.", "en", ""},
		{"La Russie a attaqué l'Ukraine le 3 mars.", "fr", ""},
		{"Der Bundeskanzler hat in Berlin gesagt, dass die Regierung hilft.", "", "de"},
		{"El gobierno de España y los sindicatos firmaron el acuerdo para el aumento del salario mínimo.", "", "es"},
		{"Revenons-en à l'actualité : la Russie a attaqué l'Ukraine en mars.", "fr", ""},
		{"Non !", "", ""},
		{"Il governo ha detto che gli aiuti sono stati inviati alla popolazione della regione.", "", "it"},
		{"Macron, Poutine.", "", ""},
	} {
		if got := DetectLang(c.text); got != c.want {
			t.Errorf("DetectLang(%q) = %q, want %q", c.text, got, c.want)
		}
		if c.want == "" {
			if got := otherLang(c.text); got != c.other {
				t.Errorf("otherLang(%q) = %q, want %q", c.text, got, c.other)
			}
		}
	}
}

// TestJSONLang: language tags as feeds write them are understood; an
// unsupported one is named.
func TestJSONLang(t *testing.T) {
	for _, c := range []struct{ lang, want, err string }{
		{"EN", "en", ""},
		{"fr-FR", "fr", ""},
		{" en_GB ", "en", ""},
		{"de-DE", "", `f.jsonl:3: article "x": language "de" not supported: kg reads French (fr) and English (en)`},
	} {
		line := fmt.Sprintf(`{"id":"x","lang":%q,"text":"Russia attacked Ukraine."}`, c.lang)
		a, err := parseJSONLine("f.jsonl", 3, []byte(line), ReadOptions{})
		if got := fmt.Sprint(err); c.err != "" && got != c.err || c.err == "" && err != nil {
			t.Errorf("lang %q: error %v, want %q", c.lang, err, c.err)
		}
		if err == nil && a.Lang != c.want {
			t.Errorf("lang %q read as %q, want %q", c.lang, a.Lang, c.want)
		}
	}
}

// TestNotJSONLines: a compressed file is named as such once, and a file
// that is not JSON Lines at all gives a bounded number of messages.
func TestNotJSONLines(t *testing.T) {
	dir := t.TempDir()
	gz := filepath.Join(dir, "feed.jsonl")
	os.WriteFile(gz, []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\n\x00garbage\n"), 0o644)
	txt := filepath.Join(dir, "feed.txt")
	os.WriteFile(txt, []byte("\x1f\x8b\x08\x00"), 0o644)
	notes := filepath.Join(dir, "notes.jsonl")
	os.WriteFile(notes, []byte(strings.Repeat("just some notes\n", 100)+`{"id":"ok","lang":"en","text":"Russia attacked Ukraine."}`+"\n"), 0o644)
	arts, errs := walkAll(t, []string{gz, txt, notes}, "", ReadOptions{})
	want := []string{gz + ": gzip-compressed: decompress it first (gunzip -k FILE)", txt + ": gzip-compressed: decompress it first (gunzip -k FILE)"}
	for i := 1; i <= maxLineErrors; i++ {
		want = append(want, fmt.Sprintf("%s:%d: not a JSON object: a JSON Lines record is one {...} per line", notes, i))
	}
	want = append(want, notes+": 80 more bad lines not shown (100 in all)")
	if strings.Join(errs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(want, "\n"))
	}
	if ids(arts) != "ok" {
		t.Errorf("articles %q, want the good line after the bad ones", ids(arts))
	}
}

// TestArticleIDs pins how articles are named: a record's id (qualified
// by language on request), else its URL, else the path relative to the
// argument with symlinks resolved, else the hash of the text; and the
// prefix on all of them.
func TestArticleIDs(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	mustWrite := func(p, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(filepath.Join(corpus, "a.txt"), "Russia attacked Ukraine on 3 March.")
	mustWrite(filepath.Join(corpus, "sub", "b.md"), "Japan condemned North Korea.")
	mustWrite(filepath.Join(dir, "outside.txt"), "France condemned Russia.")
	mustWrite(filepath.Join(dir, "feed.jsonl"), `{"id":"x","lang":"en","text":"Russia attacked Ukraine."}
{"id":"x","lang":"fr","text":"La Russie a attaqué l'Ukraine."}
{"url":"https://example.org/1","lang":"en","text":"Japan condemned North Korea."}
{"lang":"en","text":"France condemned Russia."}
`)
	symlinks := runtime.GOOS != "windows"
	if symlinks {
		for _, l := range [][2]string{
			{filepath.Join(corpus, "a.txt"), filepath.Join(dir, "link.txt")},
			{corpus, filepath.Join(dir, "linkdir")},
			{filepath.Join(dir, "outside.txt"), filepath.Join(corpus, "sub", "out.txt")},
		} {
			if err := os.Symlink(l[0], l[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, corpus)
	if err != nil {
		t.Fatal(err)
	}
	en := ReadOptions{Lang: "en"} // the texts are too short to detect
	out := ""                     // the link out of the tree, in corpus/sub
	if symlinks {
		out = ",sub/out"
	}
	for _, c := range []struct {
		name    string
		paths   []string
		stdin   string
		opt     ReadOptions
		ids     string
		symlink bool
	}{
		{name: "file alone", paths: []string{filepath.Join(corpus, "a.txt")}, opt: en, ids: "a"},
		{name: "directory", paths: []string{corpus}, opt: en, ids: "a,sub/b" + out},
		{name: "directory by a relative path", paths: []string{rel + "/../corpus/"}, opt: en, ids: "a,sub/b" + out},
		{name: "symlink to a file", paths: []string{filepath.Join(dir, "link.txt")}, opt: en, ids: "a", symlink: true},
		{name: "symlinked directory", paths: []string{filepath.Join(dir, "linkdir")}, opt: en, ids: "a,sub/b,sub/out", symlink: true},
		{name: "link out of the tree", paths: []string{filepath.Join(corpus, "sub")}, opt: en, ids: "b,out", symlink: true},
		{name: "records", paths: []string{filepath.Join(dir, "feed.jsonl")},
			ids: "x,x,https://example.org/1," + TextID("France condemned Russia.")},
		{name: "records qualified by language", paths: []string{filepath.Join(dir, "feed.jsonl")}, opt: ReadOptions{QualifyLang: true},
			ids: "x@en,x@fr,https://example.org/1," + TextID("France condemned Russia.")},
		{name: "prefix", paths: []string{filepath.Join(dir, "feed.jsonl"), filepath.Join(corpus, "a.txt")},
			opt: ReadOptions{QualifyLang: true, IDPrefix: "wire/"},
			ids: "wire/x@en,wire/x@fr,wire/https://example.org/1,wire/" + TextID("France condemned Russia.") + ",wire/a"},
		{name: "stdin text", stdin: "Russia attacked Ukraine.", opt: ReadOptions{Lang: "en"}, ids: TextID("Russia attacked Ukraine.")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.symlink && !symlinks {
				t.Skip("no symlinks")
			}
			paths := c.paths
			if paths == nil {
				paths = []string{"-"}
			}
			arts, errs := walkAll(t, paths, c.stdin, c.opt)
			if len(errs) > 0 {
				t.Fatalf("errors: %q", errs)
			}
			if got := ids(arts); got != c.ids {
				t.Errorf("ids %q, want %q", got, c.ids)
			}
		})
	}
	if TextID("a") == TextID("b") || TextID("a") != TextID("a") {
		t.Error("TextID must name texts apart and the same text alike")
	}
}

// TestRejectedCounts: every bad input is counted once, whether its
// message is shown, folded into "N more bad lines", or (with --strict)
// stands for the whole file.
func TestRejectedCounts(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 100 {
		if i%4 == 0 {
			fmt.Fprintf(&b, `{"id":"ok-%d","lang":"en","text":"Russia attacked Ukraine."}`+"\n", i)
			continue
		}
		b.WriteString("{broken\n\n")
	}
	p := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name               string
		opt                ReadOptions
		articles, rejected int
		shown              int
	}{
		{"lenient", ReadOptions{}, 25, 75, maxLineErrors + 1},
		{"strict", ReadOptions{Strict: true}, 0, 100, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			arts, rejected, shown := 0, 0, 0
			err := Walk([]string{p}, nil, c.opt, func(schema.Article) error { arts++; return nil },
				func(err error) { rejected += Rejected(err); shown++ })
			if err != nil {
				t.Fatal(err)
			}
			if arts != c.articles || rejected != c.rejected || shown != c.shown {
				t.Errorf("%d articles, %d rejected in %d messages; want %d, %d in %d", arts, rejected, shown, c.articles, c.rejected, c.shown)
			}
		})
	}
}
