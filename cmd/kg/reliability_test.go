package main

// Reliability and safety: bad inputs, hostile text, store damage, a
// second process on the same store, and kg ingest killed at random.
//
// What readers see while a writer runs (bbolt, measured by
// TestStoreInUse and TestReadWhileIngesting): a second writer waits about
// a second for the writer lock and then fails with "store DIR is in use by
// another process" (exit 1); a reader reads beside the writer, from the
// last batch it committed, waiting at most a few seconds for a commit in
// progress. A reader never sees a partly stored article, nor an article
// between two versions.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/schema"
)

// inputs are the bad-input files shared with internal/ingest's tests.
const inputs = "../../internal/ingest/testdata/inputs/"

// goodJSONL are three articles with facts, ingested before the bad inputs.
const goodJSONL = `{"id":"good-a","lang":"en","text":"Russia attacked Ukraine on 3 March 2022."}
{"id":"good-b","lang":"fr","text":"La France a condamné la Russie le 4 mars 2022."}
{"id":"good-c","lang":"en","text":"Japan condemned North Korea on 5 March 2022."}
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// snapshot is what a user can see of a store: stats and every fact.
func snapshot(t *testing.T, store string) string {
	t.Helper()
	st, errs, code := kgRun(t, "", "--store", store, "stats", "--format", "json")
	if code != 0 {
		t.Fatalf("kg stats: exit %d: %s", code, errs)
	}
	fs, errs, code := kgRun(t, "", "--store", store, "facts", "--format", "json")
	if code != 0 {
		t.Fatalf("kg facts: exit %d: %s", code, errs)
	}
	return st + fs
}

// TestBadInputsCLI feeds kg ingest each kind of bad input after good data:
// the user sees the exact message (file:line where there is a line) and
// exit code 3, and nothing already stored is lost or changed.
func TestBadInputsCLI(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	good := writeFile(t, dir, "good.jsonl", goodJSONL)
	if _, errs, code := kgRun(t, "", "--store", store, "ingest", good); code != 0 {
		t.Fatalf("ingest good: exit %d: %s", code, errs)
	}
	before := snapshot(t, store)
	if !strings.Contains(before, `"articles": 3`) || !strings.Contains(before, `"relation": "attacks"`) {
		t.Fatalf("good data not stored: %s", before)
	}
	big := filepath.Join(dir, "big.txt")
	if !testing.Short() {
		f, err := os.Create(big)
		if err != nil {
			t.Fatal(err)
		}
		chunk := bytes.Repeat([]byte("Russia attacked Ukraine. "), 1<<20/25)
		for n := 0; n < 100<<20; n += len(chunk) {
			f.Write(chunk)
		}
		f.Close()
	}
	mixed := inputs + "mixed.jsonl"
	for _, c := range []struct {
		name string
		args []string
		code int
		errs []string // lines stderr must hold, exactly
	}{
		{"empty file", []string{inputs + "empty.txt"}, exitPartial,
			[]string{"kg: " + inputs + "empty.txt: empty article: no text to extract"}},
		{"blank file", []string{inputs + "blank.txt"}, exitPartial,
			[]string{"kg: " + inputs + "blank.txt: empty article: no text to extract"}},
		{"binary file", []string{inputs + "image.txt"}, exitPartial,
			[]string{"kg: " + inputs + "image.txt: binary data (NUL byte at byte offset 7 of the file): not a text article"}},
		{"invalid UTF-8", []string{inputs + "latin1.txt"}, exitPartial,
			[]string{"kg: " + inputs + "latin1.txt: invalid UTF-8 at byte offset 18 of the file: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)"}},
		{"German", []string{inputs + "german.txt"}, exitPartial,
			[]string{"kg: " + inputs + "german.txt: text looks German (de), which kg does not read (French and English only); if it is French or English, pass --lang fr or --lang en"}},
		{"missing file", []string{filepath.Join(dir, "nope.txt")}, exitPartial,
			[]string{"kg: " + filepath.Join(dir, "nope.txt") + ": no such file or directory"}},
		{"100 MB single line", []string{big}, exitPartial,
			[]string{"kg: " + big + ": larger than 8 MB: not read (split it into articles, one per line of a .jsonl file)"}},
		{"malformed JSON Lines, strict", []string{"--strict", mixed}, exitPartial,
			[]string{"kg: " + mixed + ":2: bad JSON: the line ends inside the object (unclosed { or string) (--strict: nothing from " + mixed + " ingested)"}},
		{"gzip-compressed JSON Lines", []string{writeFile(t, dir, "feed.jsonl", "\x1f\x8b\x08\x00\x00\x00")}, exitPartial,
			[]string{"kg: " + filepath.Join(dir, "feed.jsonl") + ": gzip-compressed: decompress it first (gunzip -k FILE)"}},
		{"unknown flag", []string{"--nope", inputs + "empty.txt"}, exitUsage,
			[]string{"kg: unknown flag: --nope (see 'kg ingest --help')"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "100 MB single line" && testing.Short() {
				t.Skip("writes 100 MB")
			}
			start := time.Now()
			_, errs, code := kgRun(t, "", append([]string{"--store", store, "ingest"}, c.args...)...)
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.code, errs)
			}
			lines := strings.Split(errs, "\n")
			for _, w := range c.errs {
				found := false
				for _, l := range lines {
					found = found || l == w
				}
				if !found {
					t.Errorf("stderr lacks the line\n%s\nstderr:\n%s", w, errs)
				}
			}
			if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic") {
				t.Errorf("stack trace on stderr: %s", errs)
			}
			if after := snapshot(t, store); after != before {
				t.Errorf("store changed by a bad input:\n%s\nwas:\n%s", after, before)
			}
		})
	}

	// malformed JSON Lines without --strict: each bad line named by
	// file:line, the good ones stored, and the earlier data kept
	_, errs, code := kgRun(t, "", "--store", store, "ingest", mixed)
	if code != exitPartial {
		t.Errorf("mixed.jsonl: exit %d, want %d", code, exitPartial)
	}
	for _, w := range []string{
		mixed + ":2: bad JSON: the line ends inside the object (unclosed { or string)",
		mixed + ":4: not a JSON object: a JSON Lines record is one {...} per line",
		mixed + `:5: bad JSON: field "id" must be a string, not a number (at byte 7)`,
		mixed + `:6: article "no-text" has no "text"`,
		mixed + `:7: article "german": text looks German (de), which kg does not read (French and English only); if it is French or English, set "lang" in the record or pass --lang`,
		mixed + `:8: bad date "2022-13-01": want YYYY, YYYY-MM or YYYY-MM-DD`,
		mixed + ":9: extra data after the JSON object (at byte 37): one record per line",
	} {
		if !strings.Contains(errs, "kg: "+w+"\n") {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	out, _, _ := kgRun(t, "", "--store", store, "facts", "--format", "json")
	for _, doc := range []string{"good-a@en", "good-b@fr", "good-c@en", "good-1@en", "good-2@fr", "good-3@en"} {
		if !strings.Contains(out, `"doc": "`+doc+`"`) {
			t.Errorf("no fact from %s after the malformed file", doc)
		}
	}

	// an HTML page: text extracted, scripts dropped (their "France
	// attacked Spain" and "Germany attacked Japan" must not become facts)
	_, errs, code = kgRun(t, "", "--store", store, "ingest", inputs+"page.html")
	if code != 0 {
		t.Fatalf("page.html: exit %d: %s", code, errs)
	}
	out, _, _ = kgRun(t, "", "--store", store, "facts", "--format", "json", "--article", "page")
	var facts []schema.Fact
	if err := json.Unmarshal([]byte(out), &facts); err != nil {
		t.Fatalf("facts json: %v", err)
	}
	var got []string
	for _, f := range facts {
		got = append(got, f.Subject.ID+" "+f.Relation+" "+f.Object.ID)
	}
	sort.Strings(got)
	if strings.Join(got, ", ") != "Q159 attacks Q212, Q17 condemns Q423" {
		t.Errorf("facts from page.html: %q, want Russia attacks Ukraine and Japan condemns North Korea only", got)
	}
	if out, _, code := kgRun(t, "", "--store", store, "check"); code != 0 || !strings.Contains(out, "ok: no problems") {
		t.Errorf("kg check after bad inputs: exit %d\n%s", code, out)
	}
}

// hostileArticles put markup, DOT syntax, quotes, ampersands, control
// characters, bidirectional overrides, spreadsheet formulas and a
// 10,000-character token in everything an article carries.
func hostileArticles() []map[string]string {
	long := strings.Repeat("A", 10000)
	return []map[string]string{
		{"id": "h1", "lang": "en", "title": "<script>alert('t')</script> \"q\" & \u0007\u202e", "url": "javascript:alert(1)",
			"text": "Russia <script>x</script> attacked Ukraine. Russia attacked Ukraine <script>alert(1)</script> on 3 March 2022."},
		{"id": "h2\"><svg onload=alert(1)>", "lang": "en", "url": "https://evil.example/x.js",
			"text": "President Jean Dupont\" ]; x [label=pwned\" said Russia attacked Ukraine on 4 March 2022."},
		{"id": "h3", "lang": "en", "text": "Mr <b>Evil</b>&Co said France condemned Russia on 5 March 2022."},
		{"id": "h4", "lang": "en", "text": "=HYPERLINK(\"http://x\") Russia attacked Ukraine. \u202eGermany\u202c condemned Russia\u0001\u0002 on 6 March 2022. Japan condemned North Korea " + long + " on 7 March 2022."},
		{"id": "h5", "lang": "fr", "text": "+33 @x -1 Le président Jean Dupont a déclaré que la Russie a attaqué l'Ukraine le 8 mars 2022 \\N \\G \\l \\\"."},
	}
}

// csvCell is what kg facts --format csv makes of a string (csvSafe).
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// TestHostileText ingests hostile articles and checks every output: the
// SVG map is well-formed XML with no script, no event handler, no
// javascript: or data: URL and no link but Wikidata's; JSON and CSV give
// back the stored strings exactly (CSV cells that would be formulas
// prefixed with '); evidence offsets point at the sentence in the text.
func TestHostileText(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	texts := map[string]string{}
	var b strings.Builder
	for _, a := range hostileArticles() {
		texts[a["id"]+"@"+a["lang"]] = a["text"] // the store's id: the record's and its language
		line, _ := json.Marshal(a)
		b.Write(line)
		b.WriteByte('\n')
	}
	in := writeFile(t, dir, "hostile.jsonl", b.String())
	if _, errs, code := kgRun(t, "", "--store", store, "ingest", in); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}

	out, errs, code := kgRun(t, "", "--store", store, "facts", "--format", "json")
	if code != 0 {
		t.Fatalf("facts: exit %d: %s", code, errs)
	}
	var facts []schema.Fact
	if err := json.Unmarshal([]byte(out), &facts); err != nil {
		t.Fatalf("JSON does not parse: %v", err)
	}
	docs := map[string]bool{}
	for _, f := range facts {
		docs[f.Doc] = true
		text, ok := texts[f.Doc]
		if !ok {
			t.Errorf("fact from unknown article %q", f.Doc)
			continue
		}
		if f.Evidence.Start < 0 || f.Evidence.End > len(text) || text[f.Evidence.Start:f.Evidence.End] != f.Evidence.Sentence {
			t.Errorf("%s: evidence [%d:%d] %q is not the text there", f.Doc, f.Evidence.Start, f.Evidence.End, f.Evidence.Sentence)
		}
	}
	for _, id := range []string{"h2\"><svg onload=alert(1)>@en", "h3@en", "h4@en"} {
		if !docs[id] {
			t.Errorf("no fact from %q: the hostile text never reached the outputs", id)
		}
	}

	out, errs, code = kgRun(t, "", "--store", store, "facts", "--format", "csv")
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rows) != len(facts)+1 || rows[0][0] != "article" || rows[0][13] != "evidence" {
		t.Fatalf("CSV: %d rows for %d facts, header %q", len(rows), len(facts), rows[0])
	}
	var fromCSV, fromJSON []string
	for _, r := range rows[1:] {
		fromCSV = append(fromCSV, strings.Join([]string{r[0], r[1], r[2], r[3], r[6], r[7], r[13]}, "|"))
	}
	for _, f := range facts {
		fromJSON = append(fromJSON, strings.Join([]string{csvCell(f.Doc), f.Subject.ID, csvCell(f.Subject.Name), f.Relation,
			f.Object.ID, csvCell(f.Object.Name), csvCell(f.Evidence.Sentence)}, "|"))
	}
	sort.Strings(fromCSV)
	sort.Strings(fromJSON)
	if !reflect.DeepEqual(fromCSV, fromJSON) {
		t.Errorf("CSV does not give back the stored strings:\n%q\nwant\n%q", fromCSV, fromJSON)
	}
	if !strings.Contains(out, `'=HYPERLINK(""http://x"")`) {
		t.Errorf("formula cell not defused")
	}

	svg := filepath.Join(dir, "map.svg")
	if _, errs, code := kgRun(t, "", "--store", store, "render", "-o", svg); code != 0 {
		t.Fatalf("render: exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	checkSafeSVG(t, data)
	if out, _, code := kgRun(t, "", "--store", store, "check"); code != 0 {
		t.Errorf("kg check on hostile data: exit %d\n%s", code, out)
	}
}

// checkSafeSVG fails unless data is well-formed XML that a browser can
// open without running or fetching anything.
func checkSafeSVG(t *testing.T, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []string
	texts := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(tok.Name.Local)
			stack = append(stack, name)
			switch name {
			case "script", "foreignobject", "iframe", "image", "object", "embed", "use", "animate", "set", "handler":
				t.Errorf("SVG has a <%s> element", tok.Name.Local)
			}
			for _, a := range tok.Attr {
				an := strings.ToLower(a.Name.Local)
				v := strings.ToLower(strings.Join(strings.Fields(a.Value), ""))
				switch {
				case strings.HasPrefix(an, "on"):
					t.Errorf("event handler attribute %s=%q", a.Name.Local, a.Value)
				case strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:"):
					t.Errorf("script URL in %s=%q", a.Name.Local, a.Value)
				case an == "href" && !strings.HasPrefix(a.Value, "https://www.wikidata.org/") && !strings.HasPrefix(a.Value, "#"):
					t.Errorf("external reference %s=%q", a.Name.Local, a.Value)
				case strings.Contains(v, "url(") && !strings.Contains(v, "url(#"):
					t.Errorf("external url() in %s=%q", a.Name.Local, a.Value)
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			texts++
			if len(stack) > 0 && stack[len(stack)-1] == "style" {
				s := strings.ToLower(string(tok))
				if strings.Contains(s, "@import") || strings.Contains(s, "url(") && !strings.Contains(s, "url(#") {
					t.Errorf("style loads something: %q", tok)
				}
			}
			if strings.TrimSpace(string(tok)) == "pwned" {
				t.Errorf("DOT injection: a node labelled %q", tok)
			}
		}
	}
	if texts == 0 {
		t.Errorf("empty SVG")
	}
}

// corruptStore opens a store's bbolt file through Cayley directly, as
// another tool could, and adds quads no kg writer would.
func corruptStore(t *testing.T, store string, qs ...quad.Quad) {
	t.Helper()
	db, err := hbolt.Open(filepath.Join(store, "indexes.bolt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ckv.New(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx := cgraph.NewTransaction()
	for _, q := range qs {
		tx.AddQuad(q)
	}
	if err := h.ApplyDeltas(tx.Deltas, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
		t.Fatal(err)
	}
	h.Close()
}

// TestCheckCLI: kg check passes a sound store, finds damage done through
// Cayley (exit 1), and --repair deletes the damaged article so that
// ingesting it again restores the store exactly.
func TestCheckCLI(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	good := writeFile(t, dir, "good.jsonl", goodJSONL)
	if _, errs, code := kgRun(t, "", "--store", store, "ingest", good); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	before := snapshot(t, store)
	out, errs, code := kgRun(t, "", "--store", store, "check")
	if code != 0 || !strings.Contains(out, "articles  3\n") || !strings.Contains(out, "ok: no problems") {
		t.Fatalf("check a sound store: exit %d\n%s%s", code, out, errs)
	}
	label := quad.IRI(schema.ArticleIRI("good-c@en"))
	corruptStore(t, store,
		quad.Quad{Subject: quad.IRI(schema.EntityIRI("Q17")), Predicate: quad.IRI(schema.Vocab("attacks")), Object: quad.IRI(schema.EntityIRI("Q30")), Label: label},
		quad.Quad{Subject: quad.IRI(schema.EntityIRI("Q17")), Predicate: quad.IRI(schema.Vocab("label")), Object: quad.String("Japon\x1b[2J\u202e"), Label: quad.IRI("urn:stray")},
	)
	out, errs, code = kgRun(t, "", "--store", store, "check")
	// the two quads, and the read view they went around
	if code != exitError || errs != "kg: 3 problem(s) found: run 'kg check --repair'\n" {
		t.Errorf("check a damaged store: exit %d, stderr %q", code, errs)
	}
	for _, w := range []string{
		"  orphan-edge [article good-c@en]: direct edge without a fact of this article behind it: <http://www.wikidata.org/entity/Q17> <https://kg-news.github.io/vocab#attacks> <http://www.wikidata.org/entity/Q30> <https://kg-news.github.io/article/good-c@en> .\n",
		"  bad-label: label is not an article: ",
		`\u001b[2J\u202e`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("check output lacks %q:\n%s", w, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\u202e") {
		t.Errorf("terminal control characters printed raw")
	}
	out, errs, code = kgRun(t, "", "--store", store, "check", "--repair")
	if code != 0 || !strings.Contains(out, "ingest these articles again to restore them: good-c@en\n") || !strings.Contains(out, "ok: no problems remain") {
		t.Errorf("repair: exit %d\n%s%s", code, out, errs)
	}
	if _, errs, code := kgRun(t, "", "--store", store, "ingest", good); code != 0 {
		t.Fatalf("re-ingest: exit %d: %s", code, errs)
	}
	if after := snapshot(t, store); after != before {
		t.Errorf("store after repair and re-ingest:\n%s\nwas:\n%s", after, before)
	}
	if out, _, code := kgRun(t, "", "--store", store, "check", "--format", "json"); code != 0 || !strings.Contains(out, `"problems": []`) {
		t.Errorf("check --format json: exit %d\n%s", code, out)
	}
}

// buildKG builds the kg binary into dir for the tests that need real
// processes (SIGKILL, file locks). It builds without an overlay; when the
// tree does not build (another package mid-edit), set KG_TEST_OVERLAY to a
// go build -overlay file, or the test is skipped. KG_TEST_BINARY names a
// binary to use instead.
func buildKG(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the kg binary")
	}
	if bin := os.Getenv("KG_TEST_BINARY"); bin != "" {
		return bin // another kg, e.g. an older one, to see a test fail on it
	}
	bin := filepath.Join(t.TempDir(), "kg")
	args := []string{"build", "-o", bin}
	if ov := os.Getenv("KG_TEST_OVERLAY"); ov != "" {
		args = append(args, "-overlay", ov)
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Skipf("kg does not build here (set KG_TEST_OVERLAY): %v\n%s", err, out)
	}
	return bin
}

// TestStoreInUse: while one kg process writes to a bbolt store, a second
// writer fails within about a second with a clear message and exit 1,
// while readers (and a second writer once the first is done) work.
func TestStoreInUse(t *testing.T) {
	kg := buildKG(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	good := writeFile(t, dir, "good.jsonl", goodJSONL)

	// the writer: kg ingest reading stdin, which the test keeps open
	w := exec.Command(kg, "--store", store, "ingest", "-")
	stdin, _ := w.StdinPipe()
	var wout bytes.Buffer
	w.Stdout, w.Stderr = &wout, &wout
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Process.Kill()
	io.WriteString(stdin, `{"id":"w1","lang":"en","text":"Russia attacked Ukraine on 3 March 2022."}`+"\n")
	deadline := time.Now().Add(15 * time.Second)
	for {
		s, err := graph.Open(context.Background(), store, graph.Options{NoBloom: true})
		if err == nil {
			s.Close()
		} else if strings.Contains(err.Error(), "in use by another process") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the writer never held the store: %v\n%s", err, wout.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	start := time.Now()
	var out, errb bytes.Buffer
	c := exec.Command(kg, "--store", store, "ingest", good)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	el := time.Since(start)
	want := "kg: store " + store + " is in use by another process\n"
	if code := c.ProcessState.ExitCode(); code != exitError || errb.String() != want {
		t.Errorf("kg ingest while a writer runs: exit %d, stderr %q (%v), want exit 1 and %q", code, errb.String(), err, want)
	}
	if el < 900*time.Millisecond || el > 5*time.Second {
		t.Errorf("kg ingest gave up after %v, want about 1 s", el)
	}
	for _, args := range [][]string{{"stats"}, {"check"}} {
		if out, err := exec.Command(kg, append([]string{"--store", store}, args...)...).CombinedOutput(); err != nil {
			t.Errorf("kg %s while a writer runs: %v\n%s", args[0], err, out)
		}
	}

	stdin.Close()
	if err := w.Wait(); err != nil {
		t.Fatalf("writer: %v\n%s", err, wout.String())
	}
	for _, args := range [][]string{{"ingest", good}, {"stats"}} {
		if out, err := exec.Command(kg, append([]string{"--store", store}, args...)...).CombinedOutput(); err != nil {
			t.Errorf("kg %s after the writer: %v\n%s", args[0], err, out)
		}
	}

	// a reader with the store open does not keep a writer out
	r, err := graph.Open(context.Background(), store, graph.Options{ReadOnly: true, NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if out, err := exec.Command(kg, "--store", store, "ingest", good).CombinedOutput(); err != nil {
		t.Errorf("kg ingest while a reader has the store open: %v\n%s", err, out)
	}
}

// crashCorpus writes n articles in two versions (b adds one sentence to
// each, so re-ingesting b replaces every article of a): real news text
// from ../shared/corpus when present, each with a sentence that gives
// facts.
func crashCorpus(t *testing.T, dir string, n int) (a, b string) {
	t.Helper()
	var real []string
	files, _ := filepath.Glob("../../../shared/corpus/*.en.jsonl")
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<22)
		for sc.Scan() {
			var r struct{ Text string }
			if json.Unmarshal(sc.Bytes(), &r) == nil && r.Text != "" {
				lines := strings.SplitN(r.Text, "\n", 4)
				real = append(real, strings.Join(lines[:min(3, len(lines))], "\n"))
			}
		}
		fh.Close()
	}
	countries := []string{"Russia", "Ukraine", "France", "Germany", "Japan", "China", "Iran", "Israel", "Turkey", "Poland", "Canada", "India"}
	verbs := []string{"attacked", "condemned"}
	var wa, wb strings.Builder
	for i := 0; i < n; i++ {
		x, y := countries[i%len(countries)], countries[(i*7+1)%len(countries)]
		if x == y {
			y = "Spain"
		}
		text := fmt.Sprintf("%s %s %s on %d March 2022.", x, verbs[i%2], y, i%28+1)
		if len(real) > 0 {
			text = real[i%len(real)] + "\n" + text
		}
		for _, v := range []struct {
			w    *strings.Builder
			text string
		}{{&wa, text}, {&wb, text + fmt.Sprintf("\n%s condemned %s on 9 April 2022.", y, x)}} {
			line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("crash-%03d", i), "lang": "en", "text": v.text})
			v.w.Write(line)
			v.w.WriteByte('\n')
		}
	}
	return writeFile(t, dir, "a.jsonl", wa.String()), writeFile(t, dir, "b.jsonl", wb.String())
}

// expectedFacts runs kg extract on a corpus: the fact keys each article
// must have in the store, all of them or none.
func expectedFacts(t *testing.T, kg, corpus string) map[string][]string {
	t.Helper()
	out, err := exec.Command(kg, "extract", corpus).Output()
	if err != nil {
		t.Fatalf("kg extract: %v", err)
	}
	keys := map[string]map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			Kind string `json:"kind"`
			schema.Fact
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("kg extract output: %v: %s", err, line)
		}
		if keys[r.Doc] == nil {
			keys[r.Doc] = map[string]bool{}
		}
		if r.Kind == "fact" {
			keys[r.Doc][r.Fact.Key()] = true
		}
	}
	m := map[string][]string{}
	for doc, ks := range keys {
		m[doc] = sortedKeys(ks)
	}
	return m
}

func sortedKeys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// verifyStore opens the store as a reader and checks that it is sound
// (graph.Check) and that every stored article has exactly the facts of
// version a or of version b, never a mix or a part; it returns how many
// articles are stored.
func verifyStore(t *testing.T, store string, expA, expB map[string][]string) int {
	t.Helper()
	ctx := context.Background()
	if _, err := os.Stat(filepath.Join(store, "indexes.bolt")); os.IsNotExist(err) && !strings.Contains(store, "://") {
		return 0 // killed before the store was created: nothing stored, nothing broken
	}
	st, err := graph.Open(ctx, store, graph.Options{ReadOnly: true, NoBloom: true})
	if err != nil && strings.Contains(err.Error(), "not initialized") {
		// killed while creating the store: a reader cannot open it, the
		// next writer initialises it
		t.Logf("store not initialised yet: %v", err)
		return 0
	}
	if err != nil {
		t.Fatalf("store does not open after the kill: %v", err)
	}
	defer st.Close()
	rep, err := st.Check(ctx, false)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	for _, p := range rep.Problems {
		if p.Kind == graph.ViewBehind {
			// killed between Cayley's commit and the read view's: reads
			// use the quads until the next writable open rebuilds it
			t.Logf("after the kill: %s", p)
			continue
		}
		t.Errorf("after the kill: %s", p)
	}
	arts, err := st.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if _, ok, err := st.ArticleHash(ctx, a.ID); !ok || err != nil {
			t.Errorf("%s stored without its hash (%v)", a.ID, err)
		}
		fs, err := st.Facts(ctx, graph.FactFilter{Articles: []string{a.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// kg extract names articles by the corpus id, the store by the id
		// and its language, and so the documents they issue
		plain := strings.TrimSuffix(a.ID, "@"+a.Lang)
		docs := strings.NewReplacer("document/"+schema.Slug(a.ID)+"-", "document/"+schema.Slug(plain)+"-")
		got := map[string]bool{}
		for _, f := range fs {
			f.Doc = plain
			got[docs.Replace(f.Key())] = true
		}
		keys := sortedKeys(got)
		if !reflect.DeepEqual(keys, expA[plain]) && !reflect.DeepEqual(keys, expB[plain]) {
			t.Errorf("%s is partly stored: facts %q\nwant all of %q\nor all of %q", a.ID, keys, expA[plain], expB[plain])
		}
	}
	return len(arts)
}

// TestIngestKilled kills kg ingest with SIGKILL at random moments, twenty
// times, alternating two versions of a corpus so that kills land while
// articles are added and while they are replaced. After each kill the
// store must open, pass Check, and hold every article wholly (the facts
// kg extract gives for one version) or not at all; a final run must
// complete and store every article.
func TestIngestKilled(t *testing.T) {
	kg := buildKG(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	const n = 300
	a, b := crashCorpus(t, dir, n)
	expA, expB := expectedFacts(t, kg, a), expectedFacts(t, kg, b)
	if len(expA) != n {
		t.Fatalf("kg extract read %d articles of %d", len(expA), n)
	}
	// Small batches, when this kg has them, give a kill many commit
	// points to land between; the delay range covers a whole run.
	var extra []string
	if help, _ := exec.Command(kg, "ingest", "--help").Output(); strings.Contains(string(help), "--batch") {
		extra = []string{"--batch", "8"}
	}
	t0 := time.Now()
	if out, err := exec.Command(kg, append([]string{"--store", filepath.Join(dir, "timing.db"), "ingest", a}, extra...)...).CombinedOutput(); err != nil {
		t.Fatalf("timing run: %v\n%s", err, out)
	}
	full := time.Since(t0)
	t.Logf("an uninterrupted run takes %v", full.Round(time.Millisecond))
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	start := time.Now()
	killed, finished := 0, 0
	const loops = 20
	for i := 0; i < loops; i++ {
		corpus := a
		if i%2 == 1 {
			corpus = b
		}
		c := exec.Command(kg, append([]string{"--store", store, "ingest", corpus}, extra...)...)
		var out bytes.Buffer
		c.Stdout, c.Stderr = &out, &out
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		delay := 20*time.Millisecond + time.Duration(rng.Int63n(int64(full)*11/10))
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("loop %d: ingest failed before the kill: %v\n%s", i, err, out.String())
			}
			finished++
		case <-time.After(delay):
			c.Process.Kill() // SIGKILL: no deferred Close, no signal handler
			<-done
			killed++
		}
		stored := verifyStore(t, store, expA, expB)
		t.Logf("loop %2d: %s (kill timer %v), %d articles stored", i, map[bool]string{true: "killed", false: "finished"}[c.ProcessState.ExitCode() == -1], delay.Round(time.Millisecond), stored)
		if t.Failed() {
			t.Fatalf("store broken after loop %d", i)
		}
	}
	if out, err := exec.Command(kg, append([]string{"--store", store, "ingest", a}, extra...)...).CombinedOutput(); err != nil {
		t.Fatalf("final ingest: %v\n%s", err, out)
	}
	if stored := verifyStore(t, store, expA, expA); stored != n {
		t.Errorf("after the final run %d articles stored, want %d", stored, n)
	}
	// the final ingest opened the store for writing, so the read view is
	// rebuilt if a kill left it behind: nothing at all to report now
	st, err := graph.Open(context.Background(), store, graph.Options{ReadOnly: true, NoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := st.Check(context.Background(), false); err != nil || !rep.OK() {
		t.Errorf("after the final run: %v %v", rep.Problems, err)
	}
	st.Close()
	t.Logf("%d loops (%d killed, %d finished before the kill) in %v: the store was sound after every kill", loops, killed, finished, time.Since(start).Round(time.Second))
}

// TestHugeInputMemory runs the kg binary on a 100 MB single-line JSON
// Lines file, from a path and from stdin, and compares its peak memory
// (rusage maxrss) with a run on a one-line file: the long line is refused
// without being held, and the good line after it is stored.
func TestHugeInputMemory(t *testing.T) {
	kg := buildKG(t)
	dir := t.TempDir()
	good := `{"id":"after","lang":"en","text":"Russia attacked Ukraine on 3 March 2022."}` + "\n"
	small := writeFile(t, dir, "small.jsonl", good)
	big := filepath.Join(dir, "big.jsonl")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"big","lang":"en","text":"`)
	chunk := strings.Repeat("Russia attacked Ukraine. ", 1<<20/25)
	for n := 0; n < 100<<20; n += len(chunk) {
		f.WriteString(chunk)
	}
	f.WriteString("\"}\n" + good)
	f.Close()

	run := func(name string, stdin bool, path string) (rssMB int64, stderr string, code int) {
		store := filepath.Join(dir, name+".db")
		args := []string{"--store", store, "ingest", path}
		var in io.Reader
		if stdin {
			fh, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			args[3], in = "-", fh
		}
		c := exec.Command(kg, args...)
		c.Stdin = in
		var errb bytes.Buffer
		c.Stderr = &errb
		start := time.Now()
		c.Run()
		ru, ok := c.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			t.Skip("no rusage on this system")
		}
		t.Logf("%s: exit %d in %v, peak RSS %d MB", name, c.ProcessState.ExitCode(), time.Since(start).Round(time.Millisecond), ru.Maxrss>>10)
		if out, _ := exec.Command(kg, "--store", store, "facts", "--article", "after").CombinedOutput(); !strings.Contains(string(out), "attacks") {
			t.Errorf("%s: the good line after the long one was not stored: %s", name, out)
		}
		return ru.Maxrss >> 10, errb.String(), c.ProcessState.ExitCode()
	}
	base, _, code := run("small", false, small)
	if code != 0 {
		t.Fatalf("small file: exit %d", code)
	}
	for _, c := range []struct {
		name  string
		stdin bool
		msg   string
	}{
		{"file", false, "kg: " + big + ":1: line longer than 8 MB: skipped\n"},
		{"stdin", true, "kg: <stdin>:1: line longer than 8 MB: skipped\n"},
	} {
		rss, errs, code := run(c.name, c.stdin, big)
		if code != exitPartial || !strings.Contains(errs, c.msg) {
			t.Errorf("%s: exit %d, stderr %q; want exit 3 and %q", c.name, code, errs, c.msg)
		}
		if rss > base+64 {
			t.Errorf("%s: peak RSS %d MB against %d MB for one small line: the 100 MB line was held in memory", c.name, rss, base)
		}
	}
}
