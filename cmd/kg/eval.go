package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kg-news/kg/internal/evaluate"
	"github.com/kg-news/kg/internal/ingest"
	"github.com/spf13/cobra"
)

// EvalOptions are kg eval's inputs, filled from flags; tests build them
// directly.
type EvalOptions struct {
	IO       *IOStreams
	Gold     []string // gold files
	Corpus   []string // corpus files or directories to extract (or to restrict --pred to)
	Pred     []string // predictions files instead of extracting
	Split    string   // tune, held-out or all
	Explain  bool
	Format   string // table or json
	Ratchet  string // ratchet file to check against
	Update   bool   // raise the ratchet's figures that rose
	AllDocs  bool   // extract every corpus article, not only the gold's (agreement over whole corpora)
	Jobs     int
	Rules    string
	GoldGlob string   // default gold when none is given
	Actors   []string // user actors files for the extractor
}

// NewCmdEval returns kg eval. runF, when not nil, receives the options
// instead of running them (for flag tests).
func NewCmdEval(ios *IOStreams, runF func(*EvalOptions) error) *cobra.Command {
	o := &EvalOptions{IO: ios, GoldGlob: "eval/gold/*.jsonl"}
	cmd := &cobra.Command{
		Use:   "eval [GOLD.jsonl...]",
		Short: "Score extraction against gold facts: precision, recall, F1 per type and language",
		Long: `Eval scores kg against hand-written gold facts (the format of
../shared/eval/README.md; what to annotate: docs/annotation.md). With
--corpus it extracts the corpus articles that the gold names and scores
each language; with --pred it scores predictions files (kg extract
--format jsonl output) instead. It prints fact precision, recall and F1
overall and per PLOVER type, date, modality and entity scores, and the
French–English agreement when both languages were scored.

GOLD defaults to eval/gold/*.jsonl. --split keeps the tune or held-out
half (each document's half is fixed by a hash of its id); read misses
(--explain) on the tune half only. --ratchet FILE fails (exit 1) when a
score falls more than 0.02 below the figure recorded there;
--update-ratchet raises the figures that rose.`,
		Example: `  kg eval --corpus ../shared/corpus --split held-out
  kg eval --corpus ../shared/corpus --split tune --explain
  kg eval my-gold.jsonl --corpus my-articles.jsonl --format json
  kg extract corpus.jsonl > pred.jsonl && kg eval gold.jsonl --pred pred.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Gold = args
			if err := oneOf("split", o.Split, "tune", "held-out", "all"); err != nil {
				return err
			}
			if err := oneOf("format", o.Format, "table", "json"); err != nil {
				return err
			}
			if err := oneOf("rules", o.Rules, "parse", "tokens", "hybrid"); err != nil {
				return err
			}
			if len(o.Corpus) == 0 && len(o.Pred) == 0 {
				return usageErr("give --corpus (articles to extract) or --pred (predictions to score)")
			}
			if o.Update && o.Ratchet == "" {
				return usageErr("--update-ratchet needs --ratchet FILE")
			}
			if o.Jobs < 0 {
				return usageErr("--jobs %d: want 0 (one per core) or more", o.Jobs)
			}
			if runF != nil {
				return runF(o)
			}
			return runEval(cmd, o)
		},
	}
	cmd.Flags().StringSliceVar(&o.Corpus, "corpus", nil, "articles to extract (files or directories, as kg extract reads them); with --pred, the documents to score")
	cmd.Flags().StringSliceVar(&o.Pred, "pred", nil, "score these predictions files (kg extract --format jsonl) instead of extracting")
	cmd.Flags().StringVar(&o.Split, "split", "all", "which half of the gold: tune, held-out or all")
	cmd.Flags().BoolVar(&o.Explain, "explain", false, "list each missed gold fact, each extra fact and each missed entity")
	cmd.Flags().StringVar(&o.Format, "format", "table", "output format: table or json")
	cmd.Flags().StringVar(&o.Ratchet, "ratchet", "", "fail when a fact F1 falls more than 0.02 below its figure in this file")
	cmd.Flags().BoolVar(&o.Update, "update-ratchet", false, "raise the --ratchet file's figures that rose (never lowers one)")
	cmd.Flags().BoolVar(&o.AllDocs, "all-docs", false, "extract every corpus article, not only those the gold names (agreement over whole corpora)")
	cmd.Flags().IntVarP(&o.Jobs, "jobs", "j", 0, "articles extracted at once (0: one per core)")
	cmd.Flags().StringVar(&o.Rules, "rules", "hybrid", "relation rules, as for kg extract: hybrid, parse or tokens")
	cmd.Flags().StringSliceVar(&o.Actors, "actors", nil, "your own actors and aliases for the extractor: a TSV file, repeatable (see kg extract --help)")
	_ = cmd.RegisterFlagCompletionFunc("split", fixedCompletion("tune", "held-out", "all"))
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("table", "json"))
	return cmd
}

func runEval(cmd *cobra.Command, o *EvalOptions) error {
	ios := o.IO
	if len(o.Gold) == 0 {
		m, _ := filepath.Glob(o.GoldGlob)
		if len(m) == 0 {
			return usageErr("no gold file given and none at %s", o.GoldGlob)
		}
		o.Gold = m
	}
	gold, err := evaluate.LoadGold(o.Gold...)
	if err != nil {
		return err
	}
	gold = gold.Only(o.Split)
	rep := &evaluate.Report{GoldFiles: o.Gold, Split: o.Split, Gold: gold.Count(), Scores: map[string]*evaluate.Score{}}
	skipped := 0
	onErr := func(err error) {
		skipped++
		fmt.Fprintln(ios.ErrOut, "kg: "+err.Error())
	}
	var byRun map[string][]evaluate.Pred
	var docsOf map[string]map[string]bool // run -> documents it covers
	if len(o.Pred) > 0 {
		byRun, docsOf, err = readPredFiles(o, onErr)
	} else {
		byRun, docsOf, err = extractCorpus(cmd, o, gold, onErr)
	}
	if err != nil {
		return err
	}
	for name := range byRun {
		rep.Names = append(rep.Names, name)
	}
	sortRuns(rep.Names)
	for _, name := range rep.Names {
		rep.Scores[name] = evaluate.ScoreDocs(gold, byRun[name], docsOf[name])
	}
	if len(rep.Names) >= 2 {
		a, b := rep.Names[0], rep.Names[1]
		both := map[string]bool{}
		covB := coverage(byRun[b], docsOf[b])
		for d := range coverage(byRun[a], docsOf[a]) {
			if covB[d] {
				both[d] = true
			}
		}
		keep := func(ps []evaluate.Pred) []evaluate.Pred {
			var out []evaluate.Pred
			for _, p := range ps {
				if both[p.Doc] {
					out = append(out, p)
				}
			}
			return out
		}
		ag := evaluate.Agree(keep(byRun[a]), keep(byRun[b]))
		rep.Agreement, rep.AgreementDocs = &ag, len(both)
	}
	if o.Format == "json" {
		err = rep.WriteJSON(ios.Out, o.Explain)
	} else {
		err = rep.WriteTable(ios.Out, o.Explain)
	}
	if err != nil {
		return err
	}
	if o.Ratchet != "" {
		r, err := evaluate.LoadRatchet(o.Ratchet)
		if errors.Is(err, os.ErrNotExist) && o.Update {
			r, err = evaluate.NewRatchet(o.Ratchet), nil
		}
		if err != nil {
			return err
		}
		lines, cerr := r.Check(rep)
		for _, l := range lines {
			fmt.Fprintln(ios.ErrOut, l)
		}
		if o.Update {
			if err := r.Update(rep); err != nil {
				return err
			}
			fmt.Fprintf(ios.ErrOut, "updated %s\n", o.Ratchet)
		} else if cerr != nil {
			return cerr
		}
	}
	if skipped > 0 {
		return withCode(exitPartial, fmt.Errorf("%d input(s) skipped", skipped))
	}
	return nil
}

// coverage is the documents a run covers: those it was restricted to, or
// else those its predictions name.
func coverage(preds []evaluate.Pred, only map[string]bool) map[string]bool {
	if only != nil {
		return only
	}
	docs := map[string]bool{}
	for _, p := range preds {
		docs[p.Doc] = true
	}
	return docs
}

// sortRuns puts English before French and the rest by name, so the
// agreement is always en vs fr.
func sortRuns(names []string) {
	rank := func(s string) string {
		switch s {
		case "en":
			return "0"
		case "fr":
			return "1"
		}
		return "2" + s
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(rank(a), rank(b)) })
}

func extractCorpus(cmd *cobra.Command, o *EvalOptions, gold *evaluate.Gold, onErr func(error)) (map[string][]evaluate.Pred, map[string]map[string]bool, error) {
	keep := func(id string) bool { return gold.Docs[id] != nil }
	if o.AllDocs {
		keep = nil
	}
	c, err := evaluate.ReadCorpus(o.Corpus, keep, onErr)
	if err != nil {
		return nil, nil, err
	}
	x, err := ingest.NewExtractor(ingest.Options{NoParse: o.Rules == "tokens", ParseFirst: o.Rules == "parse", Actors: o.Actors})
	if err != nil {
		return nil, nil, err
	}
	byRun := map[string][]evaluate.Pred{}
	docsOf := map[string]map[string]bool{}
	for _, lang := range c.Langs() {
		arts := c.ByLang[lang]
		if o.IO.ErrTTY {
			fmt.Fprintf(o.IO.ErrOut, "extracting %d %s articles\n", len(arts), lang)
		}
		preds, err := evaluate.Run(cmd.Context(), x, arts, o.Jobs)
		if err != nil {
			return nil, nil, err
		}
		byRun[lang] = preds
		docsOf[lang] = map[string]bool{}
		for _, a := range arts {
			docsOf[lang][a.ID] = true
		}
	}
	return byRun, docsOf, nil
}

func readPredFiles(o *EvalOptions, onErr func(error)) (map[string][]evaluate.Pred, map[string]map[string]bool, error) {
	var only map[string]bool
	if len(o.Corpus) > 0 {
		c, err := evaluate.ReadCorpus(o.Corpus, nil, onErr)
		if err != nil {
			return nil, nil, err
		}
		only = map[string]bool{}
		for _, arts := range c.ByLang {
			for _, a := range arts {
				only[a.ID] = true
			}
		}
	}
	byRun := map[string][]evaluate.Pred{}
	docsOf := map[string]map[string]bool{}
	for _, p := range o.Pred {
		f, err := os.Open(p)
		if err != nil {
			return nil, nil, err
		}
		preds, err := evaluate.ReadPreds(p, f)
		f.Close()
		if err != nil {
			return nil, nil, err
		}
		name := strings.TrimSuffix(filepath.Base(p), ".jsonl")
		if _, dup := byRun[name]; dup {
			name = p
		}
		byRun[name] = preds
		docsOf[name] = only // nil: every gold document counts, as score.py without --corpus
	}
	return byRun, docsOf, nil
}
