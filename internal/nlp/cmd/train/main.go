// Command train builds the embedded nlp models from Universal Dependencies
// treebanks, reproducibly (fixed seed):
//
//	go run ./internal/nlp/cmd/train -lang en -out internal/nlp/models/en.model
//	go run ./internal/nlp/cmd/train -lang fr -out internal/nlp/models/fr.model
//
// With -load it only evaluates an existing model file on -eval files.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kg-news/kg/internal/nlp"
)

// trainFiles are the training treebanks for each language (GSD train is
// not available, so French uses Sequoia train plus GSD dev).
var trainFiles = map[string][]string{
	"en": {"en_ewt-ud-train.conllu"},
	"fr": {"fr_sequoia-ud-train.conllu", "fr_gsd-ud-dev.conllu"},
}

var evalFiles = map[string][]string{
	"en": {"en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"},
	"fr": {"fr_sequoia-ud-dev.conllu", "fr_sequoia-ud-test.conllu", "fr_gsd-ud-test.conllu", "fr_pud-ud-test.conllu"},
}

func main() {
	lang := flag.String("lang", "en", "language: en or fr")
	out := flag.String("out", "", "output model file")
	ud := flag.String("ud", "../shared/ud", "directory with the UD treebanks")
	load := flag.String("load", "", "evaluate this model file instead of training")
	eval := flag.String("eval", "", "comma-separated CoNLL-U files to evaluate (default: dev and test sets)")
	tagEp := flag.Int("tag-epochs", 0, "tagger epochs (0 = default)")
	parseEp := flag.Int("parse-epochs", 0, "parser epochs (0 = default)")
	labelEp := flag.Int("label-epochs", 0, "labeller epochs (0 = default)")
	folds := flag.Int("folds", 0, "jackknife folds (0 = default)")
	prune := flag.Float64("prune", 0, "prune features with smaller averaged weights (0 = language default: en 0.3, fr 0.05)")
	system := flag.Int("system", 1, "transition system: 0 arc-eager, 1 arc-hybrid with root last")
	minCount := flag.Int("min-count", 0, "keep parser features seen at least this often on gold paths (0 = language default: en 3, fr 1)")
	ensemble := flag.String("parsers", "", "parser ensemble, e.g. \"h,hr,e\" (h arc-hybrid, e arc-eager, r right to left); default: en h,e,er, fr h,hr,e; \"-\" for -system alone")
	tagOnly := flag.Bool("tag-only", false, "train and evaluate only the tagger on the dev set")
	limit := flag.Int("limit", 0, "use only the first N training sentences (for quick tests)")
	flag.Parse()
	if err := run(*lang, *out, *ud, *load, *eval, *tagEp, *parseEp, *labelEp, *folds, float32(*prune), *limit, *tagOnly, *system, *minCount, *ensemble); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func read(path string) ([]nlp.Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := nlp.ReadCoNLLU(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func run(lang, out, ud, load, eval string, tagEp, parseEp, labelEp, folds int, prune float32, limit int, tagOnly bool, system, minCount int, ensemble string) error {
	files, ok := trainFiles[lang]
	if !ok {
		return fmt.Errorf("unknown language %q", lang)
	}
	var m *nlp.Model
	if load != "" {
		var err error
		if m, err = loadFile(load); err != nil {
			return err
		}
	} else {
		if out == "" {
			return fmt.Errorf("-out is required")
		}
		var sents []nlp.Sentence
		for _, f := range files {
			s, err := read(filepath.Join(ud, f))
			if err != nil {
				return err
			}
			sents = append(sents, s...)
		}
		if limit > 0 && limit < len(sents) {
			sents = sents[:limit]
		}
		t0 := time.Now()
		var err error
		// Language defaults reproduce the embedded models. English has 4x
		// the data, so rarer features can be cut to keep the model small.
		if minCount == 0 {
			minCount = map[string]int{"en": 3, "fr": 2}[lang]
		}
		if prune == 0 {
			prune = map[string]float32{"en": 0.3, "fr": 0.05}[lang]
		}
		if ensemble == "" {
			ensemble = map[string]string{"en": "h,e,er", "fr": "h,hr,e"}[lang]
		}
		var specs []nlp.ParserSpec
		for _, p := range strings.Split(ensemble, ",") {
			if p == "" || p == "-" {
				continue
			}
			sp := nlp.ParserSpec{System: 1, Reverse: strings.Contains(p, "r")}
			if strings.HasPrefix(p, "e") {
				sp.System = 0
			}
			specs = append(specs, sp)
		}
		var dev []nlp.Sentence
		if tagOnly {
			if dev, err = read(filepath.Join(ud, evalFiles[lang][0])); err != nil {
				return err
			}
		}
		m, err = nlp.Train(lang, sents, nlp.TrainOptions{TagEpochs: tagEp, ParseEpochs: parseEp, LabelEpochs: labelEp, Folds: folds, Prune: prune, Log: os.Stdout, Dev: dev, TagOnly: tagOnly, System: system, MinCount: minCount, Parsers: specs})
		if err != nil {
			return err
		}
		if tagOnly {
			return nil
		}
		fmt.Printf("trained in %s\n", time.Since(t0).Round(time.Second))
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if err := m.Save(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if st, err := os.Stat(out); err == nil {
			fmt.Printf("wrote %s (%d bytes)\n", out, st.Size())
		}
		// evaluate what was written, so quantization is accounted for
		if m, err = loadFile(out); err != nil {
			return err
		}
	}
	ev := evalFiles[lang]
	if eval != "" {
		ev = strings.Split(eval, ",")
	}
	for _, f := range ev {
		p := f
		if !filepath.IsAbs(p) && !strings.Contains(p, "/") {
			p = filepath.Join(ud, f)
		}
		t0 := time.Now()
		sc, err := nlp.EvalFile(m, p)
		if err != nil {
			return err
		}
		fmt.Printf("%-28s %s (%s)\n", f, sc, time.Since(t0).Round(time.Millisecond))
	}
	return nil
}

func loadFile(path string) (*nlp.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t0 := time.Now()
	m, err := nlp.ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fmt.Printf("loaded %s in %s\n", path, time.Since(t0).Round(time.Millisecond))
	return m, nil
}
