package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sharedCorpus is ../shared/corpus, the four files of the NTREX and
// newstest2014 parallel corpora; tests that need it skip without it.
const sharedCorpus = "../../../shared/corpus"

// corpusFiles returns the shared corpus's JSON Lines files, or skips.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(sharedCorpus, "*.jsonl"))
	if len(files) == 0 {
		t.Skip("no ../shared/corpus")
	}
	return files
}

// storeStats runs kg stats --format json.
func storeStats(t *testing.T, store string) map[string]any {
	t.Helper()
	out, errs, code := kgRun(t, "", "--store", store, "stats", "--format", "json")
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("stats: %v: %s", err, out)
	}
	return m
}

// TestIngestIdentity: an article read twice by different routes is one
// article, and different articles are never folded into one.
func TestIngestIdentity(t *testing.T) {
	dir := t.TempDir()
	seeds := filepath.Join(dir, "seeds")
	if err := os.MkdirAll(seeds, 0o755); err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile("../../seeds/dprk-missiles-fr.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(seeds, "dprk.txt"), seed, 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, seeds)
	if err != nil {
		t.Fatal(err)
	}
	symlinks := runtime.GOOS != "windows"
	if symlinks {
		if err := os.Symlink(filepath.Join(seeds, "dprk.txt"), filepath.Join(dir, "link.txt")); err != nil {
			t.Fatal(err)
		}
	}
	store := filepath.Join(dir, "graph.db")
	for _, c := range []struct {
		name    string
		args    []string
		stdin   string
		want    string
		symlink bool
	}{
		{name: "the directory", args: []string{seeds}, want: "1 stored"},
		{name: "the directory by a relative path", args: []string{rel + "/../seeds/"}, want: "1 unchanged"},
		{name: "the file", args: []string{filepath.Join(seeds, "dprk.txt")}, want: "1 unchanged"},
		{name: "a symlink to the file", args: []string{filepath.Join(dir, "link.txt")}, want: "1 unchanged", symlink: true},
		{name: "a stdin article", args: []string{"--lang", "en", "-"}, stdin: "Russia attacked Ukraine on 3 March 2022.", want: "1 stored"},
		{name: "another stdin article", args: []string{"--lang", "en", "-"}, stdin: "Japan condemned North Korea on 4 March 2022.", want: "1 stored"},
		{name: "the first stdin article again", args: []string{"--lang", "en", "-"}, stdin: "Russia attacked Ukraine on 3 March 2022.", want: "1 unchanged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.symlink && !symlinks {
				t.Skip("no symlinks")
			}
			out, errs, code := kgRun(t, c.stdin, append([]string{"--store", store, "ingest"}, c.args...)...)
			if code != 0 || !strings.Contains(out, c.want) {
				t.Fatalf("exit %d, %q (want %q): %s", code, out, c.want, errs)
			}
		})
	}
	if n := storeStats(t, store)["articles"]; n != 3.0 {
		t.Errorf("%v articles stored, want 3 (the seed and two stdin texts)", n)
	}
}

// TestIngestParallelCorpus: the English and French sides of the shared
// corpus reuse each id; ingested together they are all kept, each id
// qualified by its language, and kg extract still names them by the
// corpus id.
func TestIngestParallelCorpus(t *testing.T) {
	files := corpusFiles(t)
	store := filepath.Join(t.TempDir(), "graph.db")
	out, errs, code := kgRun(t, "", append([]string{"--store", store, "ingest"}, files...)...)
	if code != 0 || !strings.Contains(out, "read 598 inputs: 598 stored, 0 replaced, 0 unchanged, 0 rejected") {
		t.Fatalf("exit %d, %q: %s", code, out, errs)
	}
	if n := storeStats(t, store)["articles"]; n != 598.0 {
		t.Errorf("%v articles stored, want 598", n)
	}
	out, errs, code = kgRun(t, "", "--store", store, "facts", "--format", "csv", "--article", "ntrex/bbc.381736")
	if code != 0 || !strings.Contains(out, "ntrex/bbc.381736@en") || !strings.Contains(out, "ntrex/bbc.381736@fr") {
		t.Errorf("--article with the corpus id should select both languages: exit %d\n%s%s", code, out, errs)
	}
	out, _, code = kgRun(t, "", "extract", filepath.Join(sharedCorpus, "ntrex-newstest2019.en.jsonl"))
	if code != 0 || !strings.Contains(out, `"doc":"ntrex/bbc.381736"`) || strings.Contains(out, "@en") {
		t.Errorf("kg extract's doc must stay the corpus id")
	}
}

// TestExtractPublished: every fact kg extract gives for the shared corpus
// carries its article's publication date, beside the event date the text
// gives for some of them.
func TestExtractPublished(t *testing.T) {
	files := corpusFiles(t)
	out, errs, code := kgRun(t, "", append([]string{"extract"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	facts, dated := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			Kind      string `json:"kind"`
			Doc       string `json:"doc"`
			Date      string `json:"date"`
			Published *string
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if r.Kind != "fact" {
			continue
		}
		facts++
		if r.Published == nil || *r.Published == "" {
			t.Errorf("fact of %s without published: %s", r.Doc, line)
		}
		if r.Date != "" {
			dated++
		}
	}
	if facts == 0 {
		t.Fatal("no facts")
	}
	t.Logf("%d facts, %d (%.0f%%) with an event date, all with a publication date", facts, dated, 100*float64(dated)/float64(facts))
}

// TestFactsByDate: date filters use the event date, else the article's
// publication date, and say so; --by picks one.
func TestFactsByDate(t *testing.T) {
	store := seededStore(t) // the seed: published 2024-01, a few facts dated by the text
	count := func(args ...string) (int, string, string) {
		t.Helper()
		out, errs, code := kgRun(t, "", append([]string{"--store", store, "facts", "--format", "csv"}, args...)...)
		if code != 0 && code != exitNotFound {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		return strings.Count(out, "\n") - 1, out, errs
	}
	all, _, _ := count()
	both, out, note := count("--since", "2024-01")
	before, _, eventNote := count("--until", "2023-12", "--by", "event") // the attack of 30 December
	byEvent, _, _ := count("--since", "2000", "--by", "event")
	byPub, _, _ := count("--since", "2024-01", "--by", "published")
	if before == 0 || both != all-before {
		t.Errorf("--since 2024-01 keeps %d facts, want all %d but the %d the text dates before", both, all, before)
	}
	if byPub != all {
		t.Errorf("--by published keeps %d facts, want all %d", byPub, all)
	}
	if byEvent == 0 || byEvent >= all {
		t.Errorf("--by event keeps %d of %d facts: want only those the text dates", byEvent, all)
	}
	if !strings.Contains(note, "dated by the event date (") || !strings.Contains(note, "else the article's publication date (") ||
		!strings.Contains(eventNote, "dated by the event date") {
		t.Errorf("the notes do not say which date was used: %q, %q", note, eventNote)
	}
	if !strings.Contains(out, ",2024-01,") || !strings.HasPrefix(out, strings.Join(factHeader, ",")) {
		t.Errorf("csv lacks the published column:\n%.300s", out)
	}
	table, _, _ := kgRun(t, "", "--store", store, "facts", "--relation", "condemns")
	if !strings.Contains(table, "2024-01 (published)") {
		t.Errorf("the table does not mark publication dates:\n%s", table)
	}
	if _, errs, code := kgRun(t, "", "--store", store, "facts", "--by", "day"); code != exitUsage {
		t.Errorf("--by day: exit %d: %s", code, errs)
	}
}
