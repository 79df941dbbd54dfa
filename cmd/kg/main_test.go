package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kgRun runs the CLI in-process with captured streams.
func kgRun(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errb, Getenv: func(string) string { return "" }}
	code = run(context.Background(), ios, args)
	return out.String(), errb.String(), code
}

// seededStore ingests the seed article into a fresh bbolt store.
func seededStore(t *testing.T) string {
	t.Helper()
	store := filepath.Join(t.TempDir(), "graph.db")
	out, errs, code := kgRun(t, "", "--store", store, "ingest", "../../seeds")
	if code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "read 1 input: 1 stored, 0 replaced, 0 unchanged, 0 rejected") {
		t.Fatalf("ingest output: %q", out)
	}
	return store
}

func TestIngestIdempotent(t *testing.T) {
	store := seededStore(t)
	out, _, code := kgRun(t, "", "--store", store, "ingest", "../../seeds")
	if code != 0 || !strings.Contains(out, "read 1 input: 0 stored, 0 replaced, 1 unchanged, 0 rejected") {
		t.Fatalf("re-ingest: exit %d, %q", code, out)
	}
}

func TestQuestionsOnTheSeed(t *testing.T) {
	store := seededStore(t)
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"who condemned North Korea", []string{"facts", "--relation", "condemns", "--object", "Corée du Nord"}, []string{"Union européenne (Q458)", "États-Unis (Q30)"}},
		{"same by English alias", []string{"facts", "--relation", "condemns", "--object", "DPRK"}, []string{"Q458", "Q30"}},
		{"what did North Korea supply, to whom", []string{"facts", "--subject", "Q423", "--event", "AID"}, []string{"supplies", "Russie (Q159)"}},
		{"who signed the statement", []string{"facts", "--relation", "signs"}, []string{"Japon (Q17)", "Royaume-Uni (Q145)", "communiqué"}},
		{"how is Japan connected to Russia", []string{"path", "Japan", "Russia"}, []string{"Japon (Q17)", "Russie (Q159)"}},
		{"neighbours of Russia", []string{"neighbors", "Moscou", "--depth", "1"}, []string{"attacks", "Ukraine (Q212)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := kgRun(t, "", append([]string{"--store", store}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestFactsJSONAndCSV(t *testing.T) {
	store := seededStore(t)
	out, _, code := kgRun(t, "", "--store", store, "facts", "--format", "json", "--relation", "attacks")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var facts []map[string]any
	if err := json.Unmarshal([]byte(out), &facts); err != nil || len(facts) == 0 {
		t.Fatalf("json: %v, %d facts", err, len(facts))
	}
	out, _, code = kgRun(t, "", "--store", store, "facts", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "article,subject_id,subject,relation") {
		t.Fatalf("csv: exit %d, %q", code, out[:min(80, len(out))])
	}
}

func TestRenderSVG(t *testing.T) {
	store := seededStore(t)
	dir := t.TempDir()
	svg := filepath.Join(dir, "russia.svg")
	_, errs, code := kgRun(t, "", "--store", store, "render", "--entity", "Russia", "--depth", "1", "-o", svg)
	if code != 0 {
		t.Fatalf("render: exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	texts := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			texts += string(cd)
		}
	}
	for _, w := range []string{"Russie", "Ukraine", "attacks"} {
		if !strings.Contains(texts, w) {
			t.Errorf("map lacks %q", w)
		}
	}
}

func TestExitCodes(t *testing.T) {
	store := seededStore(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"id\":\"a\",\"lang\":\"en\",\"text\":\"Russia attacked Ukraine.\"}\n{not json\n"), 0o644)
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown flag", []string{"facts", "--nope"}, exitUsage, "unknown flag"},
		{"bad format", []string{"--store", store, "facts", "--format", "xml"}, exitUsage, "--format"},
		{"unknown entity", []string{"--store", store, "neighbors", "Atlantis"}, exitNotFound, "no entity named"},
		{"bad jsonl line named, the rest extracted", []string{"extract", bad}, exitOK, "bad.jsonl:2:"},
		{"bad jsonl line with --strict-exit", []string{"extract", "--strict-exit", bad}, exitPartial, "bad.jsonl:2:"},
		{"missing file", []string{"extract", filepath.Join(dir, "none.txt")}, exitPartial, "none.txt"},
		{"no store yet", []string{"--store", filepath.Join(dir, "nostore"), "facts"}, exitError, "kg ingest"},
		{"bad event", []string{"--store", store, "facts", "--event", "HUG"}, exitUsage, "PLOVER"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := kgRun(t, "", c.args...)
			if code != c.code || !strings.Contains(errs, c.msg) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, c.code, errs, c.msg)
			}
			if strings.Contains(errs, "goroutine") {
				t.Errorf("stack trace on stderr: %s", errs)
			}
		})
	}
}

func TestExtractStdinJSONL(t *testing.T) {
	out, errs, code := kgRun(t, "Russia attacked Ukraine on 3 March 2022.", "extract", "--lang", "en", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"relation":"attacks"`) || !strings.Contains(out, `"date":"2022-03-03"`) {
		t.Errorf("output: %s", out)
	}
}

func TestSchemaLists(t *testing.T) {
	out, _, code := kgRun(t, "", "schema")
	if code != 0 {
		t.Fatal(code)
	}
	for _, w := range []string{"signs", "violates", "ACCUSE", "document", "SECTOR", "police", "protesters"} {
		if !strings.Contains(out, w) {
			t.Errorf("kg schema lacks %q", w)
		}
	}
}

func TestStoreNameHidesPassword(t *testing.T) {
	ios := &IOStreams{}
	for uri, want := range map[string]string{
		"postgres://kg:s3cret@db.example:5432/kg?sslmode=require": "postgres://kg:xxxxx@db.example:5432/kg?sslmode=require",
		".kg/graph.db":             ".kg/graph.db",
		"postgres://db.example/kg": "postgres://db.example/kg",
	} {
		if got := (&globalOpts{store: uri}).storeName(ios); got != want {
			t.Errorf("storeName(%q) = %q, want %q", uri, got, want)
		}
	}
}
