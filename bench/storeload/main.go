// Command storeload measures kg's two ingest phases apart, on the same
// articles kg ingest reads: extraction alone on -workers goroutines (to
// show how it scales with cores), then, with -store, the store phase alone
// (graph.Store.PutArticles in batches of -batch) on the extracted results
// held in memory, so the store time is not shared with extraction. The
// stored quads are those kg ingest would store, so the store can be
// exported to N-Quads and loaded with `cayley load` for comparison.
//
// With -query it instead times, in process, the store calls behind kg
// stats and kg neighbors, to tell them apart from process start-up.
//
// Usage: storeload [-workers N] [-store DIR] [-batch N] corpus.jsonl...
//
//	storeload -query DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/schema"
)

func main() {
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "extraction goroutines")
	store := flag.String("store", "", "store the results in this (fresh) store and time it")
	batch := flag.Int("batch", 500, "articles per PutArticles call (kg ingest's default --batch)")
	bloom := flag.Bool("bloom", false, "keep Cayley's Bloom filters (kg ingest turns them off)")
	query := flag.String("query", "", "instead: time the queries kg's commands make on this existing store, in process")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "storeload:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile() // os.Exit below skips it: profiles are for successful runs
	}
	var err error
	if *query != "" {
		err = queries(*query)
	} else {
		err = run(flag.Args(), *workers, *store, *batch, *bloom)
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "storeload:", err)
		os.Exit(1)
	}
}

// cpu returns the process's user+system CPU time, so a rate can be
// given per CPU-second as well as per wall-second on a shared machine.
func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func run(paths []string, workers int, store string, batch int, bloom bool) error {
	ctx := context.Background()
	x, err := ingest.NewExtractor(ingest.Options{})
	if err != nil {
		return err
	}
	var arts []schema.Article
	err = ingest.Walk(paths, os.Stdin, ingest.ReadOptions{QualifyLang: true}, func(a schema.Article) error { // ids as kg ingest stores them
		arts = append(arts, a)
		return nil
	}, func(error) {})
	if err != nil {
		return err
	}

	// Extraction: workers take articles by index; results keep input order.
	res := make([]graph.ArticleData, len(arts))
	ok := make([]bool, len(arts))
	var next sync.Mutex
	i := 0
	start, cpu0 := time.Now(), cpu()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				j := i
				i++
				next.Unlock()
				if j >= len(arts) {
					return
				}
				r, err := x.Extract(arts[j])
				if err == nil {
					res[j], ok[j] = graph.ArticleData{Article: r.Article, Entities: r.Entities, Facts: r.Facts}, true
				}
			}
		}()
	}
	wg.Wait()
	el, c := time.Since(start), cpu()-cpu0
	facts := 0
	var data []graph.ArticleData
	for j := range res {
		if ok[j] {
			data = append(data, res[j])
			facts += len(res[j].Facts)
		}
	}
	fmt.Printf("extract: %d articles, %d facts, %d workers (GOMAXPROCS %d): %.2fs wall, %.2fs cpu: %.1f articles/s\n",
		len(data), facts, workers, runtime.GOMAXPROCS(0), el.Seconds(), c.Seconds(), float64(len(data))/el.Seconds())
	if store == "" {
		return nil
	}

	st, err := graph.Open(ctx, store, graph.Options{NoBloom: !bloom})
	if err != nil {
		return err
	}
	defer st.Close()
	start, cpu0 = time.Now(), cpu()
	for j := 0; j < len(data); j += batch {
		if _, err := st.PutArticles(ctx, data[j:min(j+batch, len(data))]); err != nil {
			return err
		}
	}
	el, c = time.Since(start), cpu()-cpu0
	s, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("store: %d articles, %d quads into %s in batches of %d (bloom %v): %.2fs wall, %.2fs cpu: %.1f articles/s, %.0f quads/s\n",
		len(data), s.Quads, store, batch, bloom, el.Seconds(), c.Seconds(), float64(len(data))/el.Seconds(), float64(s.Quads)/el.Seconds())
	return nil
}

// queries times opening a store read-only (as kg's read commands do) and
// the calls kg stats and kg neighbors Q423 --depth 2 make; each call's
// median of 5.
func queries(store string) error {
	ctx := context.Background()
	start := time.Now()
	st, err := graph.Open(ctx, store, graph.Options{ReadOnly: true, NoBloom: true})
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Printf("query: open read-only %.1f ms\n", ms(time.Since(start)))
	median := func(name string, fn func() (string, error)) error {
		var ds []time.Duration
		var what string
		for range 5 {
			t := time.Now()
			w, err := fn()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			ds = append(ds, time.Since(t))
			what = w
		}
		slices.Sort(ds)
		fmt.Printf("query: %s %.1f ms (%s)\n", name, ms(ds[2]), what)
		return nil
	}
	if err := median("Stats", func() (string, error) {
		s, err := st.Stats(ctx)
		return fmt.Sprintf("%d quads", s.Quads), err
	}); err != nil {
		return err
	}
	if err := median("FindEntities(Q423)", func() (string, error) {
		r, err := st.FindEntities(ctx, "Q423")
		return fmt.Sprintf("%d found", len(r)), err
	}); err != nil {
		return err
	}
	return median("Neighbors(Q423, depth 2, max 500)", func() (string, error) {
		g, tr, err := st.Neighbors(ctx, "Q423", 2, 500)
		return fmt.Sprintf("%d nodes, %d edges, truncated %v", len(g.Nodes), len(g.Edges), tr), err
	})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
