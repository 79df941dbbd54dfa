package evaluate

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/kg-news/kg/internal/ingest"
)

// The shared evaluation kit lives beside the project (../shared); these
// tests hold kg eval's numbers equal to its scorers' where it is present.
const shared = "../../../shared"

func needShared(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(shared, "eval", "score.py")); err != nil {
		t.Skip("../shared/eval is not beside the project: kg eval was not compared with score.py and crossling.py")
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3: kg eval was not compared with the shared scorer")
	}
}

// extractTo extracts the corpus articles that keep selects and writes their
// records as JSON Lines, as kg extract --format jsonl would.
func extractTo(t *testing.T, x Extractor, path string, keep func(string) bool, corpora ...string) []Pred {
	t.Helper()
	c, err := ReadCorpus(corpora, keep, func(err error) { t.Fatal(err) })
	if err != nil {
		t.Fatal(err)
	}
	var all []Pred
	for _, lang := range c.Langs() {
		p, err := Run(context.Background(), x, c.ByLang[lang], 0)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p...)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, p := range all {
		if err := enc.Encode(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return all
}

type pyScore struct {
	Total  map[string]float64 `json:"total"`
	PerDoc map[string]Tally   `json:"per_doc"`
}

func runScorePy(t *testing.T, gold, pred, corpus string) pyScore {
	t.Helper()
	out, err := exec.Command("python3", filepath.Join(shared, "eval", "score.py"), gold, pred, "--corpus", corpus, "--json").Output()
	if err != nil {
		t.Fatalf("score.py: %v", err)
	}
	var s pyScore
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("score.py output: %v", err)
	}
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.0005+1e-9 }

// TestMatchesScorePy scores the same predictions with kg eval's scorer and
// with ../shared/eval/score.py, on the dev gold and on the project's gold:
// every document's counts equal, every total equal to three decimals.
func TestMatchesScorePy(t *testing.T) {
	needShared(t)
	if testing.Short() {
		t.Skip("-short: kg eval was not compared with score.py on the corpora (about 1 min)")
	}
	x, err := ingest.NewExtractor(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	golds := map[string]string{"dev": filepath.Join(shared, "eval", "dev-gold.jsonl")}
	if files, _ := filepath.Glob("../../eval/gold/*.jsonl"); len(files) > 0 {
		var all []byte
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		p := filepath.Join(dir, "project-gold.jsonl")
		if err := os.WriteFile(p, all, 0o644); err != nil {
			t.Fatal(err)
		}
		golds["project"] = p
	}
	corpora := []string{
		filepath.Join(shared, "eval", "dev-corpus.jsonl"),
		filepath.Join(shared, "corpus", "ntrex-newstest2019.en.jsonl"),
		filepath.Join(shared, "corpus", "ntrex-newstest2019.fr.jsonl"),
		filepath.Join(shared, "corpus", "newstest2014-fren.en.jsonl"),
		filepath.Join(shared, "corpus", "newstest2014-fren.fr.jsonl"),
	}
	for name, goldPath := range golds {
		g, err := LoadGold(goldPath)
		if err != nil {
			t.Fatal(err)
		}
		keep := func(id string) bool { return g.Docs[id] != nil }
		for i, corpus := range corpora {
			pred := filepath.Join(dir, name+strconv.Itoa(i)+".jsonl")
			preds := extractTo(t, x, pred, keep, corpus)
			if len(preds) == 0 {
				continue
			}
			t.Run(name+"/"+filepath.Base(corpus), func(t *testing.T) {
				c, err := ReadCorpus([]string{corpus}, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				only := map[string]bool{}
				for _, arts := range c.ByLang {
					for _, a := range arts {
						only[a.ID] = true
					}
				}
				got := ScoreDocs(g, preds, only)
				py := runScorePy(t, goldPath, pred, corpus)
				if len(py.PerDoc) != len(got.PerDoc) {
					t.Fatalf("documents: score.py %d, kg %d", len(py.PerDoc), len(got.PerDoc))
				}
				for d, want := range py.PerDoc {
					have := got.PerDoc[d]
					have.ModArgs, have.ModOK = 0, 0 // kg's own addition
					if have != want {
						t.Errorf("%s:\n kg       %+v\n score.py %+v", d, have, want)
					}
				}
				sum := got.Summarize()
				for k, v := range map[string]float64{"fact_precision": sum.FactPrecision, "fact_recall": sum.FactRecall, "fact_f1": sum.FactF1,
					"date_accuracy": sum.DateAccuracy, "entity_recall": sum.EntityRecall, "entity_precision": sum.EntityPrecision} {
					if !near(v, py.Total[k]) {
						t.Errorf("%s: kg %.3f, score.py %.3f", k, v, py.Total[k])
					}
				}
			})
		}
	}
}

var crossRE = regexp.MustCompile(`facts J=([0-9.]+) \((\d+)/(\d+)\) \| entities J=([0-9.]+) \((\d+)/(\d+)\) \| docs with facts (\d+)`)

// TestMatchesCrosslingPy holds the agreement equal to
// ../shared/eval/crossling.py's on the NTREX corpus, both languages.
func TestMatchesCrosslingPy(t *testing.T) {
	needShared(t)
	if testing.Short() {
		t.Skip("-short: kg eval was not compared with crossling.py (about 1 min)")
	}
	x, err := ingest.NewExtractor(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	en := extractTo(t, x, filepath.Join(dir, "en.jsonl"), nil, filepath.Join(shared, "corpus", "ntrex-newstest2019.en.jsonl"))
	fr := extractTo(t, x, filepath.Join(dir, "fr.jsonl"), nil, filepath.Join(shared, "corpus", "ntrex-newstest2019.fr.jsonl"))
	out, err := exec.Command("python3", filepath.Join(shared, "eval", "crossling.py"), filepath.Join(dir, "en.jsonl"), filepath.Join(dir, "fr.jsonl")).Output()
	if err != nil {
		t.Fatalf("crossling.py: %v", err)
	}
	m := crossRE.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("crossling.py printed %q", out)
	}
	a := Agree(en, fr)
	got := []string{f3(a.Facts), strconv.Itoa(a.FactsShared), strconv.Itoa(a.FactsUnion), f3(a.Entities), strconv.Itoa(a.EntShared), strconv.Itoa(a.EntUnion), strconv.Itoa(a.DocsWithFact)}
	for i, g := range got {
		if g != m[i+1] {
			t.Errorf("field %d: kg %s, crossling.py %s (%s)", i+1, g, m[i+1], out)
		}
	}
}
