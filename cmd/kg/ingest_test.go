package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genCorpus writes n short articles in English and French (every 7th in
// French) as JSON Lines, with a bad line after the first half; version
// changes the text of articles whose index is a multiple of 30.
func genCorpus(t *testing.T, path string, n, version int) {
	t.Helper()
	en := []string{"Russia", "Ukraine", "Japan", "North Korea", "France", "Iran", "China", "Germany"}
	fr := []string{"la Russie", "l'Ukraine", "le Japon", "la Corée du Nord", "la France", "l'Iran", "la Chine", "l'Allemagne"}
	verbsEN := []string{"attacked", "condemned", "sanctioned", "met"}
	verbsFR := []string{"a attaqué", "a condamné", "a sanctionné", "a rencontré"}
	var b strings.Builder
	for i := range n {
		s, o := i%len(en), (i/len(en)+1+i)%len(en)
		if s == o {
			o = (o + 1) % len(en)
		}
		day := i%28 + 1
		rec := map[string]string{"id": fmt.Sprintf("gen/%04d", i), "lang": "en",
			"text": fmt.Sprintf("%s %s %s on %d March 2022. %s %s %s.", en[s], verbsEN[i%4], en[o], day, en[o], verbsEN[(i+1)%4], en[(o+3)%len(en)])}
		if i%7 == 0 {
			rec["lang"] = "fr"
			rec["text"] = fmt.Sprintf("%s %s %s le %d mars 2022.", strings.ToUpper(fr[s][:1])+fr[s][1:], verbsFR[i%4], fr[o], day)
		}
		if version > 0 && i%30 == 0 {
			rec["text"] += fmt.Sprintf(" Version %d.", version)
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
		if i == n/2 {
			b.WriteString("{broken\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIngestBatches ingests a few hundred generated articles in batches of
// 50 and checks the counts, that the graph is the one batches of 1 build,
// idempotence, and a partial change.
func TestIngestBatches(t *testing.T) {
	const n = 300
	dir := t.TempDir()
	corpus := filepath.Join(dir, "gen.jsonl")
	genCorpus(t, corpus, n, 0)
	store := filepath.Join(dir, "graph.db")

	out, errs, code := kgRun(t, "", "--store", store, "ingest", "--batch", "50", corpus)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d (one bad line): %s", code, exitPartial, errs)
	}
	badLine := fmt.Sprintf("gen.jsonl:%d:", n/2+2)
	if !strings.Contains(errs, badLine) || strings.Count(errs, "gen.jsonl:") != 1 {
		t.Errorf("stderr should name %s once: %q", badLine, errs)
	}
	if !strings.Contains(out, fmt.Sprintf("read %d inputs: %d stored, 0 replaced, 0 unchanged, 1 rejected;", n+1, n)) {
		t.Fatalf("first ingest: %q", out)
	}
	var facts, ents int
	if _, err := fmt.Sscanf(out[strings.Index(out, "; ")+2:], "%d facts, %d entities", &facts, &ents); err != nil || facts < n || ents < 8 {
		t.Errorf("summary counts: %d facts, %d entities (%v) in %q", facts, ents, err, out)
	}

	// Batches of 1 (the old article-by-article path) build the same graph.
	one := filepath.Join(dir, "one.db")
	if _, errs, code := kgRun(t, "", "--store", one, "ingest", "--batch", "1", corpus); code != exitPartial {
		t.Fatalf("batch 1: exit %d: %s", code, errs)
	}
	csv := func(store string) string {
		out, errs, code := kgRun(t, "", "--store", store, "facts", "--format", "csv", "--limit", "0")
		if code != 0 {
			t.Fatalf("facts: exit %d: %s", code, errs)
		}
		return out
	}
	got, want := csv(store), csv(one)
	if got != want {
		t.Errorf("batch 50 and batch 1 stores differ:\n%.400s\n---\n%.400s", got, want)
	}
	if lines := strings.Count(got, "\n") - 1; lines != facts {
		t.Errorf("store has %d facts, summary said %d", lines, facts)
	}

	out, _, code = kgRun(t, "", "--store", store, "ingest", "--batch", "50", corpus)
	if code != exitPartial || !strings.Contains(out, fmt.Sprintf("read %d inputs: 0 stored, 0 replaced, %d unchanged, 1 rejected; 0 facts", n+1, n)) {
		t.Fatalf("re-ingest: exit %d, %q", code, out)
	}
	if csv(store) != want {
		t.Error("re-ingest changed the facts")
	}

	genCorpus(t, corpus, n, 1)
	out, _, code = kgRun(t, "", "--store", store, "ingest", "--batch", "50", corpus)
	if changed := n / 30; code != exitPartial || !strings.Contains(out, fmt.Sprintf("read %d inputs: 0 stored, %d replaced, %d unchanged, 1 rejected;", n+1, changed, n-changed)) {
		t.Fatalf("partial change: exit %d, %q", code, out)
	}

	if _, errs, code := kgRun(t, "", "--store", store, "ingest", "--batch", "0", corpus); code != exitUsage || !strings.Contains(errs, "--batch") {
		t.Errorf("--batch 0: exit %d, %q", code, errs)
	}
}

// TestIngestSameIDTwice: two different texts with one id in one run are
// an error naming both places, and the store keeps what it held; the
// same text twice is one article.
func TestIngestSameIDTwice(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	v1 := `{"id":"x","lang":"en","text":"Russia attacked Ukraine."}`
	v2 := `{"id":"x","lang":"en","text":"Japan condemned North Korea."}`
	write := func(name string, lines ...string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
		return p
	}
	if out, errs, code := kgRun(t, "", "--store", store, "ingest", write("a.jsonl", v2, v2)); code != 0 ||
		!strings.Contains(out, "read 2 inputs: 1 stored, 0 replaced, 1 unchanged, 0 rejected") {
		t.Fatalf("the same text twice: exit %d %q %s", code, out, errs)
	}
	before, _, _ := kgRun(t, "", "--store", store, "facts", "--format", "json")
	b := write("b.jsonl", `{"id":"y","lang":"en","text":"France condemned Iran."}`, v1, v2)
	out, errs, code := kgRun(t, "", "--store", store, "ingest", b)
	if code != exitError || out != "" {
		t.Fatalf("exit %d (want %d), stdout %q", code, exitError, out)
	}
	for _, want := range []string{b + ":2 and " + b + ":3", `article id "x@en"`, "nothing stored", "--id-prefix"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q: %s", want, errs)
		}
	}
	if after, _, _ := kgRun(t, "", "--store", store, "facts", "--format", "json"); after != before {
		t.Errorf("the refused run changed the store:\n%s\n---\n%s", before, after)
	}
	// on standard input, read as it comes, the second text is rejected
	// and the first stored
	out, errs, code = kgRun(t, `{"id":"s","lang":"en","text":"Russia attacked Ukraine."}`+"\n"+`{"id":"s","lang":"en","text":"Japan condemned North Korea."}`+"\n",
		"--store", store, "ingest", "-")
	if code != exitPartial || !strings.Contains(out, "read 2 inputs: 1 stored, 0 replaced, 0 unchanged, 1 rejected") ||
		!strings.Contains(errs, `<stdin>:1 and <stdin>:2: two different texts with article id "s@en": the second is not stored`) {
		t.Errorf("a clash on stdin: exit %d, %q, %s", code, out, errs)
	}
	// a stdin text clashing with a file's
	out, errs, code = kgRun(t, v1+"\n", "--store", store, "ingest", write("d.jsonl", v2), "-")
	if code != exitPartial || !strings.Contains(out, "1 rejected") || !strings.Contains(errs, "d.jsonl:1 and <stdin>:1") {
		t.Errorf("a stdin text against a file's: exit %d, %q, %s", code, out, errs)
	}
	// merging the two collections under prefixes keeps both
	out, errs, code = kgRun(t, "", "--store", store, "ingest", "--id-prefix", "b/", write("c.jsonl", v1))
	if code != 0 || !strings.Contains(out, "1 stored") {
		t.Fatalf("--id-prefix: exit %d %q %s", code, out, errs)
	}
	out, _, _ = kgRun(t, "", "--store", store, "facts", "--format", "csv")
	if !strings.Contains(out, "condemns") || !strings.Contains(out, "b/x@en") {
		t.Errorf("both versions should be stored:\n%s", out)
	}
}

// TestIngestProgress: on a terminal the progress line is drawn on stderr
// and cleared; stdout gets the summary only.
func TestIngestProgress(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "gen.jsonl")
	genCorpus(t, corpus, 40, 0)
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb, ErrTTY: true, Getenv: func(string) string { return "" }}
	code := run(context.Background(), ios, []string{"--store", filepath.Join(dir, "g.db"), "ingest", corpus})
	if code != exitPartial {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "\r\033[Kingest: ") || !strings.Contains(errb.String(), "articles/s") {
		t.Errorf("no progress line on stderr: %q", errb.String())
	}
	if strings.Contains(out.String(), "\033") || !strings.HasPrefix(out.String(), "read 41 inputs: 40 stored") {
		t.Errorf("stdout: %q", out.String())
	}
}
