// Command nlpbench measures the NLP core through its public API only
// (nlp.LoadModel, Model.Annotate), so bench/compare.sh can build the very
// same program in an older checkout and print both side by side:
//
//	go run ./bench/nlpbench -ud ../shared/ud -reps 5
//
// For each language it reports the model load (wall and CPU milliseconds;
// the first load of the process for the first language) and tag+parse throughput in tokens per
// CPU-second over the first -sents sentences of the UD dev set (gold
// tokenization; the sentences are built outside the measured region),
// the median of -reps runs and their spread. CPU time is the process's
// (all threads), which other load on a shared machine disturbs far less
// than wall-clock rates.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/kg-news/kg/internal/nlp"
)

func main() {
	ud := flag.String("ud", "../shared/ud", "directory of the UD treebanks")
	reps := flag.Int("reps", 5, "runs per language")
	sents := flag.Int("sents", 500, "sentences of the dev set")
	langs := flag.String("langs", "en,fr", "languages")
	flag.Parse()
	files := map[string]string{"en": "en_ewt-ud-dev.conllu", "fr": "fr_sequoia-ud-dev.conllu"}
	for _, lang := range strings.Split(*langs, ",") {
		if err := run(lang, filepath.Join(*ud, files[lang]), *reps, *sents); err != nil {
			fmt.Fprintln(os.Stderr, "nlpbench:", err)
			os.Exit(1)
		}
	}
}

func run(lang, path string, reps, maxSents int) error {
	// the load first, so the garbage of reading the treebank is not
	// collected during it
	w0, c0 := time.Now(), cpuTime()
	m, err := nlp.LoadModel(lang)
	if err != nil {
		return err
	}
	loadWall, loadCPU := time.Since(w0), cpuTime()-c0
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	gold, err := nlp.ReadCoNLLU(f)
	f.Close()
	if err != nil {
		return err
	}
	gold = gold[:min(len(gold), maxSents)]
	ntok := 0
	for _, g := range gold {
		ntok += len(g.Tokens)
	}
	var rates []float64
	for r := 0; r <= reps; r++ { // run 0 warms up and is not counted
		ss := make([]nlp.Sentence, len(gold))
		for i, g := range gold {
			ss[i].Tokens = make([]nlp.Token, len(g.Tokens))
			for j, t := range g.Tokens {
				ss[i].Tokens[j].Text = t.Text
			}
		}
		c := cpuTime()
		for i := range ss {
			m.Annotate(&ss[i])
		}
		if d := cpuTime() - c; r > 0 && d > 0 {
			rates = append(rates, float64(ntok)/d.Seconds())
		}
	}
	if len(rates) == 0 {
		fmt.Printf("nlp %s: load %.1f ms wall %.1f ms cpu\n", lang, ms(loadWall), ms(loadCPU))
		return nil
	}
	slices.Sort(rates)
	med := rates[len(rates)/2]
	fmt.Printf("nlp %s: load %.1f ms wall %.1f ms cpu; annotate %.0f tokens/cpu-s (median of %d, range %.0f-%.0f, %d tokens)\n",
		lang, ms(loadWall), ms(loadCPU), med, len(rates), rates[0], rates[len(rates)-1], ntok)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// cpuTime is the process's user and system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
