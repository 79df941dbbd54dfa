package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
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

// TestSharedCorpus: the English and French sides of the shared corpus
// reuse each id; ingested together they are all kept, each id qualified
// by its language, kg extract still names them by the corpus id, and the
// store survives an export and import on bbolt and PostgreSQL.
func TestSharedCorpus(t *testing.T) {
	files := corpusFiles(t)
	store := filepath.Join(t.TempDir(), "graph.db")
	out, errs, code := kgRun(t, "", append([]string{"--store", store, "ingest"}, files...)...)
	if code != 0 || !strings.Contains(out, "read 598 inputs: 598 stored, 0 replaced, 0 unchanged, 0 rejected") {
		t.Fatalf("exit %d, %q: %s", code, out, errs)
	}
	t.Run("all 598 articles kept", func(t *testing.T) {
		if n := storeStats(t, store)["articles"]; n != 598.0 {
			t.Errorf("%v articles stored, want 598", n)
		}
	})
	t.Run("a corpus id selects both languages", func(t *testing.T) {
		out, errs, code := kgRun(t, "", "--store", store, "facts", "--format", "csv", "--article", "ntrex/bbc.381736")
		if code != 0 || !strings.Contains(out, "ntrex/bbc.381736@en") || !strings.Contains(out, "ntrex/bbc.381736@fr") {
			t.Errorf("exit %d\n%s%s", code, out, errs)
		}
	})
	t.Run("kg extract keeps the corpus id", func(t *testing.T) {
		out, _, code := kgRun(t, "", "extract", filepath.Join(sharedCorpus, "ntrex-newstest2019.en.jsonl"))
		if code != 0 || !strings.Contains(out, `"doc":"ntrex/bbc.381736"`) || strings.Contains(out, "@en") {
			t.Errorf("kg extract's doc must stay the corpus id")
		}
	})
	t.Run("round trip", func(t *testing.T) { roundTrip(t, store) })
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
	if !strings.Contains(note, "dated by the event date for ") || !strings.Contains(note, "by the article's publication date for ") ||
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

// storeAnswers is what a round trip must keep: kg facts --format json,
// kg entities and kg stats --format json.
func storeAnswers(t *testing.T, store string) []string {
	t.Helper()
	var out []string
	for _, args := range [][]string{{"facts", "--format", "json"}, {"entities"}, {"stats", "--format", "json"}} {
		o, errs, code := kgRun(t, "", append([]string{"--store", store}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		out = append(out, o)
	}
	return out
}

// roundTrip exports store as N-Quads and imports the file into a new
// bbolt store, and, when KG_TEST_POSTGRES is set, into PostgreSQL and from
// there into bbolt again; every copy must answer as the original and
// export the same file.
func roundTrip(t *testing.T, store string) {
	t.Helper()
	dir := t.TempDir()
	want := storeAnswers(t, store)
	export := func(store, file string) string {
		t.Helper()
		if _, errs, code := kgRun(t, "", "--store", store, "export", "--format", "nquads", "-o", file); code != 0 {
			t.Fatalf("export from %s: exit %d: %s", store, code, errs)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	backup := export(store, filepath.Join(dir, "backup.nq"))
	if st := storeStats(t, store); float64(strings.Count(backup, "\n")) != st["quads"] {
		t.Errorf("the export holds %d quads, the store %v", strings.Count(backup, "\n"), st["quads"])
	}
	steps := []struct{ name, store, cmd string }{{"bbolt", filepath.Join(dir, "copy.db"), "import"}}
	if uri := os.Getenv("KG_TEST_POSTGRES"); uri != "" {
		steps = append(steps, struct{ name, store, cmd string }{"postgres", postgresSchema(t, uri, "kg_roundtrip"), "import"},
			struct{ name, store, cmd string }{"postgres to bbolt", filepath.Join(dir, "back.db"), "ingest"})
	} else {
		t.Log("KG_TEST_POSTGRES not set: PostgreSQL not tried")
	}
	file := filepath.Join(dir, "backup.nq")
	for i, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out, errs, code := kgRun(t, "", "--store", s.store, s.cmd, file)
			if code != 0 || !strings.Contains(out, "0 replaced, 0 unchanged") {
				t.Fatalf("%s: exit %d, %q: %s", s.cmd, code, out, errs)
			}
			got := storeAnswers(t, s.store)
			for j, what := range []string{"kg facts --format json", "kg entities", "kg stats"} {
				if got[j] != want[j] {
					t.Errorf("%s differs after the import:\n%.600s\n---\n%.600s", what, got[j], want[j])
				}
			}
			next := filepath.Join(dir, fmt.Sprintf("step%d.nq", i))
			if again := export(s.store, next); again != backup {
				t.Error("the copy exports another file")
			}
			file = next
			if out, _, code := kgRun(t, "", "--store", s.store, "import", file); code != 0 || !strings.Contains(out, "0 stored, 0 replaced") {
				t.Errorf("importing again: exit %d, %q", code, out)
			}
		})
	}
}

// postgresSchema returns a store URI for a fresh schema of the test
// database, dropped when the test ends.
func postgresSchema(t *testing.T, uri, name string) string {
	t.Helper()
	db, err := sql.Open("postgres", uri)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("postgres", uri); err == nil {
			db.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	return uri + sep + "search_path=" + name
}

// TestRoundTripSeed: the seed store, plus an article without facts,
// survives an export and import.
func TestRoundTripSeed(t *testing.T) {
	store := seededStore(t)
	if out, errs, code := kgRun(t, "Nothing of note happened in the village today, the mayor said.", "--store", store, "ingest", "--lang", "en", "-"); code != 0 || !strings.Contains(out, "1 stored") {
		t.Fatalf("exit %d %q %s", code, out, errs)
	}
	if n := storeStats(t, store)["articles"]; n != 2.0 {
		t.Fatalf("%v articles", n)
	}
	roundTrip(t, store)
}

// TestImportRefuses: a file that is not a whole-store export stores
// nothing and names the line at fault.
func TestImportRefuses(t *testing.T) {
	store := seededStore(t)
	dir := t.TempDir()
	sel := filepath.Join(dir, "selection.nq")
	if _, errs, code := kgRun(t, "", "--store", store, "export", "--format", "nquads", "--relation", "signs", "-o", sel); code != 0 {
		t.Fatal(errs)
	}
	whole := filepath.Join(dir, "whole.nq")
	if _, errs, code := kgRun(t, "", "--store", store, "export", "-o", whole); code != 0 {
		t.Fatal(errs)
	}
	b, _ := os.ReadFile(whole)
	broken := filepath.Join(dir, "broken.nq")
	os.WriteFile(broken, append(append([]byte{}, b...), "<a> <b> .\n"...), 0o644)
	n := strings.Count(string(b), "\n") + 1
	for _, c := range []struct{ name, file, want string }{
		{"a selection", sel, "not a whole article"},
		{"a broken line", broken, fmt.Sprintf("broken.nq:%d: not N-Quads", n)},
	} {
		t.Run(c.name, func(t *testing.T) {
			copy := filepath.Join(t.TempDir(), "g.db")
			out, errs, code := kgRun(t, "", "--store", copy, "import", c.file)
			if code != exitError || !strings.Contains(errs, c.want) || !strings.Contains(errs, "nothing imported") {
				t.Errorf("exit %d, %q, stderr %q (want %q)", code, out, errs, c.want)
			}
		})
	}
}
