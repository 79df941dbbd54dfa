package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalFlags(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		wantErr string
		check   func(*EvalOptions) bool
	}{
		{"corpus and split", []string{"g.jsonl", "--corpus", "a.jsonl,b.jsonl", "--split", "held-out"}, "",
			func(o *EvalOptions) bool {
				return len(o.Gold) == 1 && len(o.Corpus) == 2 && o.Split == "held-out" && o.Format == "table"
			}},
		{"predictions instead", []string{"--pred", "p.jsonl", "--format", "json"}, "",
			func(o *EvalOptions) bool { return len(o.Pred) == 1 && o.Format == "json" && o.Split == "all" }},
		{"nothing to score", []string{"g.jsonl"}, "give --corpus", nil},
		{"bad split", []string{"--corpus", "c", "--split", "test"}, "--split", nil},
		{"bad format", []string{"--corpus", "c", "--format", "xml"}, "--format", nil},
		{"update needs a ratchet", []string{"--corpus", "c", "--update-ratchet"}, "--update-ratchet needs --ratchet", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got *EvalOptions
			ios := &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
			cmd := NewCmdEval(ios, func(o *EvalOptions) error { got = o; return nil })
			cmd.SetArgs(c.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got == nil || !c.check(got) {
				t.Fatalf("err %v, options %+v", err, got)
			}
		})
	}
}

// TestEvalSeed scores the seed article against a small gold written here:
// the facts the README's worked example shows are found, an invented one is
// missed, and the ratchet fails when its figure is out of reach.
func TestEvalSeed(t *testing.T) {
	dir := t.TempDir()
	gold := filepath.Join(dir, "gold.jsonl")
	doc := "seed-doc"
	text, err := os.ReadFile("../../seeds/dprk-missiles-fr.txt")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.SplitN(string(text), "\n", 2)[1] // after the "date" line
	rec, _ := json.Marshal(map[string]string{"id": doc, "lang": "fr", "date": "2024-01", "text": body})
	corpus := filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(corpus, append(rec, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	lines := []string{
		`{"doc": "` + doc + `", "entities": ["Q458", "Q30", "Q423", "Q159"]}`,
		`{"doc": "` + doc + `", "fact": "eu-condemns-dprk", "any": [{"s": "Q458", "event": "ACCUSE", "o": "Q423"}]}`,
		`{"doc": "` + doc + `", "fact": "dprk-supplies-russia", "any": [{"s": "Q423", "event": "AID", "o": "Q159"}]}`,
		`{"doc": "` + doc + `", "fact": "invented", "any": [{"s": "Q159", "event": "CONCEDE", "o": "Q458"}]}`,
	}
	if err := os.WriteFile(gold, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := kgRun(t, "", "eval", gold, "--corpus", corpus, "--format", "json", "--explain")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Runs map[string]struct {
			Total struct {
				Req    int `json:"req"`
				ReqHit int `json:"req_hit"`
			} `json:"total"`
			Misses []struct{ Fact string } `json:"misses"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	fr := rep.Runs["fr"]
	if fr.Total.Req != 3 || fr.Total.ReqHit != 2 || len(fr.Misses) != 1 || fr.Misses[0].Fact != "invented" {
		t.Fatalf("fr run: %+v", fr)
	}
	ratchet := filepath.Join(dir, "ratchet.tsv")
	if err := os.WriteFile(ratchet, []byte("split\trun\tf1\nall\tfr\t0.99\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = kgRun(t, "", "eval", gold, "--corpus", corpus, "--ratchet", ratchet)
	if code != exitError || !strings.Contains(errs, "is more than 0.02 below 0.990 ("+ratchet+":2)") {
		t.Fatalf("ratchet: exit %d, %s", code, errs)
	}
}
