package ingest

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/kg-news/kg/schema"
)

// Seeds shared by the fuzz targets; more are in testdata/fuzz/<Target>.
var fuzzSeeds = []string{
	`{"id":"a","lang":"en","text":"Russia attacked Ukraine on 3 March 2022."}`,
	`{"id":"b","text":"La France a condamné la Russie le 4 mars.","date":"2022-03"}`,
	`{"id":1}`,
	`{"id":"x","text":"y"} trailing`,
	"\ufeff{\"id\":\"bom\",\"lang\":\"fr\",\"text\":\"Le Japon a condamné la Corée du Nord.\"}",
	"date 2024-01-02\nRussia attacked Ukraine.",
	"<html><title>t</title><script>alert(1)</script><p>Russia attacked Ukraine.</p>",
	"La Russie a attaqu\xe9 l'Ukraine.",
	"abc\x00def",
}

// offsetRE finds the byte offset a checkText message names.
var offsetRE = regexp.MustCompile(`byte offset (\d+) of the (file|line)`)

// checkOffset verifies that an offset named in msg points into data at a
// NUL byte or an invalid UTF-8 sequence, so a user looking there finds it.
func checkOffset(t *testing.T, msg string, data []byte) {
	t.Helper()
	m := offsetRE.FindStringSubmatch(msg)
	if m == nil {
		return
	}
	off, _ := strconv.Atoi(m[1])
	if off < 0 || off >= len(data) {
		t.Fatalf("%q: offset %d outside the %d-byte input", msg, off, len(data))
	}
	if strings.Contains(msg, "NUL") {
		if data[off] != 0 {
			t.Fatalf("%q: byte %d is %#x, not NUL", msg, off, data[off])
		}
		return
	}
	if r, n := utf8.DecodeRune(data[off:]); r != utf8.RuneError || n != 1 {
		t.Fatalf("%q: byte %d starts a valid rune %q", msg, off, r)
	}
	if !utf8.Valid(data[:off]) {
		t.Fatalf("%q: invalid UTF-8 before offset %d", msg, off)
	}
}

// checkArticle verifies what every reader promises of an article it
// returns: an id, text that is valid UTF-8 (JSON may still hold control
// characters as \u escapes: the renderers strip them) and not blank, a supported
// language and a valid date.
func checkArticle(t *testing.T, a schema.Article) {
	t.Helper()
	if strings.TrimSpace(a.ID) == "" || strings.TrimSpace(a.Text) == "" {
		t.Fatalf("article without id or text: %+v", a)
	}
	if !utf8.ValidString(a.Text) {
		t.Fatalf("article text is not UTF-8: %q", a.Text)
	}
	if a.Lang != "fr" && a.Lang != "en" {
		t.Fatalf("article with language %q", a.Lang)
	}
	if a.Date != "" && ValidDate(a.Date) != nil {
		t.Fatalf("article with bad date %q", a.Date)
	}
}

// FuzzParseJSONLine: any line gives an article or an error naming the
// file and line it was given, never a panic.
func FuzzParseJSONLine(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		a, err := parseJSONLine("f.jsonl", 7, line, ReadOptions{})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Path != "f.jsonl" || ie.Line != 7 || !strings.HasPrefix(err.Error(), "f.jsonl:7: ") {
				t.Fatalf("error without file:line: %v", err)
			}
			checkOffset(t, err.Error(), line)
			return
		}
		if a.ID == "" {
			if len(bytes.TrimSpace(line)) != 0 {
				t.Fatalf("non-blank line %q gave neither an article nor an error", line)
			}
			return
		}
		checkArticle(t, a)
		if a.Source != "f.jsonl:7" {
			t.Fatalf("source %q", a.Source)
		}
	})
}

// lineRE reads the line number out of a JSON Lines error.
var lineRE = regexp.MustCompile(`^f\.jsonl:(\d+): `)

// FuzzReadJSONL: a whole file. Every error names a line that exists;
// every article's source names its line; no line gives both an article
// and an error; with strict, a file gives articles or errors, never both.
func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(strings.Join(fuzzSeeds, "\n")), false)
	f.Add([]byte(strings.Join(fuzzSeeds[:2], "\r\n")+"\n\n"), true)
	f.Add([]byte(fuzzSeeds[0]+"\n"+fuzzSeeds[2]+"\n"+fuzzSeeds[1]), true)
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		lines := bytes.Count(data, []byte("\n")) + 1
		seen := map[int]string{}
		var nArt, nErr int
		err := readJSONL("f.jsonl", bytes.NewReader(data), ReadOptions{Strict: strict}, func(a schema.Article) error {
			nArt++
			checkArticle(t, a)
			ln, err := strconv.Atoi(strings.TrimPrefix(a.Source, "f.jsonl:"))
			if err != nil || ln < 1 || ln > lines {
				t.Fatalf("article source %q: not a line of a %d-line file", a.Source, lines)
			}
			if seen[ln] != "" {
				t.Fatalf("line %d gave an article and %s", ln, seen[ln])
			}
			seen[ln] = "an article"
			return nil
		}, func(err error) {
			nErr++
			if err.Error() == "f.jsonl: "+errGzip.Error() || strings.HasSuffix(err.Error(), " in all)") {
				return // about the whole file: compressed, or the count of unshown bad lines
			}
			m := lineRE.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("error without file:line: %v", err)
			}
			ln, _ := strconv.Atoi(m[1])
			if ln < 1 || ln > lines {
				t.Fatalf("error names line %d of a %d-line file: %v", ln, lines, err)
			}
			if seen[ln] != "" {
				t.Fatalf("line %d gave an error and %s", ln, seen[ln])
			}
			seen[ln] = "an error"
			line := bytes.Split(data, []byte("\n"))[ln-1]
			checkOffset(t, err.Error(), line)
		})
		if err != nil {
			t.Fatalf("readJSONL returned %v: only fn's errors may stop it", err)
		}
		if strict && nArt > 0 && nErr > 0 {
			t.Fatalf("strict: %d articles and %d errors from one file", nArt, nErr)
		}
	})
}

// FuzzHTMLText: any page gives clean text, and script or style bodies
// never reach it. What counts as a script body is what a browser's parser
// says (html.Parse): "<A0<script>x" is a tag named "a0<script" and x is
// text, in a browser too. So a script and a style with a marker are
// appended to the page, and when the parser puts every occurrence of the
// marker inside a <script> or <style> element, the text must not have it.
func FuzzHTMLText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`<p>a<script/>`))
	f.Add([]byte(`<svg><style>`))
	f.Add([]byte(`<textarea>`))
	f.Add([]byte(`<A0`))
	f.Fuzz(func(t *testing.T, data []byte) {
		title, text := HTMLText(data)
		if utf8.Valid(data) && (!utf8.Valid(text) || !utf8.ValidString(title)) {
			t.Fatalf("valid UTF-8 page gave invalid text %q / title %q", text, title)
		}
		if len(text) == 0 || text[len(text)-1] != '\n' || bytes.Contains(text, []byte("\n\n\n")) {
			t.Fatalf("text not tidied: %q", text)
		}
		const marker = "QZXJ"
		if bytes.Contains(bytes.ToUpper(data), []byte(marker)) {
			return
		}
		hostile := append(append([]byte{}, data...), "<script>"+marker+"</script><style>"+marker+"</style><script/>"+marker+"</script>"...)
		doc, err := html.Parse(bytes.NewReader(hostile))
		if err != nil || markerOutsideScript(doc, marker, false) {
			return // the page makes the marker text, as a browser would show it
		}
		_, text = HTMLText(hostile)
		if bytes.Contains(text, []byte(marker)) {
			t.Fatalf("script or style body reached the text: %q", text)
		}
	})
}

// markerOutsideScript reports whether marker occurs in the parsed page
// anywhere but inside a script or style element (text or attribute).
func markerOutsideScript(n *html.Node, marker string, inScript bool) bool {
	if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
		inScript = true
	}
	if !inScript && (strings.Contains(n.Data, marker) || strings.Contains(strings.ToUpper(n.Data), marker)) {
		return true
	}
	for _, a := range n.Attr {
		if strings.Contains(strings.ToUpper(a.Key+a.Val), marker) {
			return true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if markerOutsideScript(c, marker, inScript) {
			return true
		}
	}
	return false
}

// FuzzParseText: any file gives an article or an error naming the file
// (and line 1 for a bad date line), with offsets that point at the fault.
func FuzzParseText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("Der Bundeskanzler hat in Berlin gesagt."), "")
	f.Add([]byte("date 2024-13\nx"), "en")
	f.Fuzz(func(t *testing.T, data []byte, lang string) {
		if lang != "fr" && lang != "en" {
			lang = ""
		}
		a, err := parseText("f.txt", "f", data, ReadOptions{Lang: lang})
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Path != "f.txt" || ie.Line > 1 || !strings.HasPrefix(err.Error(), "f.txt:") {
				t.Fatalf("error without the file name: %v", err)
			}
			checkOffset(t, err.Error(), data)
			return
		}
		checkArticle(t, a)
		if !strings.HasSuffix(string(data), a.Text) {
			t.Fatalf("text %q is not the file's tail: offsets would be wrong", a.Text)
		}
	})
}
