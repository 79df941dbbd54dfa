package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/internal/render"
	"github.com/kg-news/kg/schema"
	"github.com/spf13/cobra"
)

type ingestOpts struct {
	lang     string
	strict   bool
	minConf  float64
	mapOut   string
	batch    int
	idPrefix string
	actors   []string
}

// actorsBeside returns the actors file kept beside a bbolt store
// (.kg/actors.tsv for .kg/graph.db), if there is one: a project's own
// actors apply to every ingest into its store without a flag.
func actorsBeside(store string) string {
	if strings.Contains(store, ":") {
		return "" // memstore:, postgres://
	}
	p := filepath.Join(filepath.Dir(filepath.Clean(store)), "actors.tsv")
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p
	}
	return ""
}

// defaultBatch is --batch's default. Cayley's bbolt writes reach their
// bulk speed with transactions of ~10k quads or more (cayley.md); on the
// benchmark corpus (~36 quads per article) 500 articles stored 18% faster
// than 200 at the same peak RSS, and a crash loses at most one batch of
// work, which a re-run redoes.
const defaultBatch = 500

func newIngestCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	o := &ingestOpts{}
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Extract facts from articles and store them in the graph",
		Long: `Ingest reads articles (as kg extract does), extracts their facts on every
CPU and stores them in batches of --batch articles, in input order. An
.nq file is a kg export and is loaded as kg import does.

An article is named by its record's id qualified by its language
("ntrex/bbc.381736@en": a parallel corpus gives a text and its translation
one id), else its URL, else its path relative to the argument it was found
under (symlinks resolved, extension dropped: "seeds/" holds "dprk-missiles-fr"),
else a hash of its text (standard input); --id-prefix goes before every
id. Re-ingesting an unchanged article changes nothing (and skips its
extraction); a changed article replaces its facts. Two different texts
with one id in the same run are an error naming both places, before
anything is stored (on standard input, read as it comes, the second is
rejected).

The summary counts every input once: stored (new), replaced, unchanged and
rejected. Bad inputs are named on stderr as FILE:LINE and rejected (exit
code 3), as are inputs that are not regular files (FIFOs, devices); the
others are stored. On a terminal, a progress line shows the rate and the
time left. Ctrl-C (SIGINT) or SIGTERM stops after storing the batch in
hand, with the summary (exit code 1); a second one stops at once. Running
the same command again goes on where it stopped.`,
		Example: `  kg ingest seeds/
  kg ingest --store /data/news.db archive/*.jsonl
  kg ingest --store postgres://kg@db/kg?sslmode=disable --batch 500 archive/
  curl -s https://example.org/feed.jsonl | kg ingest -`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), ios, g, o, args)
		},
	}
	cmd.Flags().StringVar(&o.lang, "lang", "", "language of the input (fr or en); detected when empty")
	cmd.Flags().BoolVar(&o.strict, "strict", false, "a bad JSON Lines record rejects its whole file")
	cmd.Flags().Float64Var(&o.minConf, "min-confidence", 0, "store only facts with at least this confidence (0–1)")
	cmd.Flags().StringVar(&o.mapOut, "map", "", "after ingesting, draw the whole graph to this file (.svg, .png or .dot)")
	cmd.Flags().IntVar(&o.batch, "batch", defaultBatch, "articles stored per transaction")
	cmd.Flags().StringVar(&o.idPrefix, "id-prefix", "", "put this before every article id (to keep merged collections apart)")
	cmd.Flags().StringSliceVar(&o.actors, "actors", nil, "your own actors and aliases: a TSV file (format: 'kg schema --actors-format'), repeatable; actors.tsv beside a bbolt store is read too")
	_ = cmd.RegisterFlagCompletionFunc("lang", fixedCompletion("fr", "en"))
	return cmd
}

// ingestItem is one input on its way through the pipeline: an article, or
// an input that could not be read. The pipeline (inOrder) hands items to
// the writer in input order whatever order the workers finish in.
type ingestItem struct {
	art       schema.Article
	res       ingest.Result
	extracted bool
	skip      error // bad input or failed extraction: reported, not stored
	// unchanged: the store held this article's hash when a worker looked,
	// so it was not extracted; the writer confirms it in order.
	unchanged bool
	stream    bool // read from standard input: its id is checked as it comes (ingestWriter.claim)
}

// ingestStats are the counts the progress line and the summary show:
// every input is stored, replaced, unchanged or rejected, once.
type ingestStats struct {
	stored, replaced, unchanged, rejected int
	facts                                 int
	entities                              map[string]bool // ids in stored or replaced articles
}

// inputs is how many inputs the counts cover.
func (s *ingestStats) inputs() int { return s.stored + s.replaced + s.unchanged + s.rejected }

// runIngest runs the pipeline
//
//	reader (Walk) → GOMAXPROCS extractors → writer, in input order
//
// on inOrder, which bounds how far the reader may run ahead of the writer,
// so memory stays flat whatever the corpus size.
func runIngest(ctx context.Context, ios *IOStreams, g *globalOpts, o *ingestOpts, args []string) error {
	if o.lang != "" {
		if err := oneOf("lang", o.lang, "fr", "en"); err != nil {
			return err
		}
	}
	if o.batch < 1 {
		return usageErr("--batch %d: want at least 1", o.batch)
	}
	var mapFormat string
	if o.mapOut != "" {
		f, err := render.Format(o.mapOut)
		if err != nil {
			return withCode(exitUsage, err) // before hours of ingesting, not after
		}
		mapFormat = f
	}
	// N-Quads files are kg exports: they are imported, not extracted
	var nq, rest []string
	for _, a := range args {
		if isNQuads(a) {
			nq = append(nq, a)
		} else {
			rest = append(rest, a)
		}
	}
	if len(nq) > 0 {
		if err := runImport(ctx, ios, g, nq, o.batch); err != nil || len(rest) == 0 {
			return err
		}
		args = rest
	}
	readOpt := ingest.ReadOptions{Lang: o.lang, Strict: o.strict, QualifyLang: true, IDPrefix: o.idPrefix}
	// Read every file once before storing anything: two different texts
	// claiming one id must stop the run while the store is untouched.
	// Standard input is a stream, read once: the writer checks its
	// articles against these claims as they come.
	claims, total, err := checkIDs(ctx, args, readOpt)
	if err != nil {
		return err
	}
	actors := o.actors
	if p := actorsBeside(g.storeURI(ios)); p != "" {
		actors = append([]string{p}, actors...)
	}
	x, err := ingest.NewExtractor(ingest.Options{MinConfidence: o.minConf, Actors: actors})
	if err != nil {
		return err
	}
	heap := boundHeap(ios)
	defer heap.restore()
	st, err := openIngestStore(ctx, ios, g)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()

	// A signal (the command's context ending: SIGINT, SIGTERM) stops the
	// pipeline, not the store: the batch being built is stored, then a
	// summary says what is in (stopOnSignal).
	storeCtx := context.WithoutCancel(ctx)
	ctx, cancel, interrupted := stopOnSignal(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)

	w := &ingestWriter{ctx: storeCtx, ios: ios, st: st, x: x, heap: heap, batchSize: o.batch, start: start, total: total,
		claims: claims, stats: ingestStats{entities: map[string]bool{}}, inBatch: map[string]bool{}}
	produce := func(send func(*ingestItem) error) error {
		for _, p := range args {
			stream := p == "-"
			err := ingest.Walk([]string{p}, ios.In, readOpt,
				func(a schema.Article) error { return send(&ingestItem{art: a, stream: stream}) },
				func(err error) { _ = send(&ingestItem{skip: err}) })
			if err != nil {
				return err
			}
		}
		return nil
	}
	extract := func(it *ingestItem) *ingestItem {
		if it.skip == nil && ctx.Err() == nil {
			extractItem(ctx, x, st, it)
		}
		return it
	}
	emit := func(it *ingestItem) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.handle(it); err != nil {
			return err
		}
		w.progress()
		return nil
	}
	// The reader runs at most a batch (and a few items per worker) ahead
	// of the writer, so memory stays flat whatever the corpus size.
	err = inOrder(ctx, workers, o.batch+4*workers, produce, extract, emit)
	if interrupted() && errors.Is(err, context.Canceled) {
		err = nil // stopped on purpose: store what was read
	}
	if err == nil {
		err = w.flush()
	}
	w.clearProgress()
	if err == nil && !interrupted() {
		err = ctx.Err()
	}
	if err != nil {
		return err
	}

	s := w.stats
	el := time.Since(start).Seconds()
	fmt.Fprintf(ios.Out, "read %s: %d stored, %d replaced, %d unchanged, %d rejected; %d facts, %d entities written to %s in %.1fs (%.1f articles/s)\n",
		plural(s.inputs(), "input"), s.stored, s.replaced, s.unchanged, s.rejected, s.facts, len(s.entities), g.storeName(ios), el,
		float64(s.inputs()-s.rejected)/max(el, 1e-3))
	if interrupted() {
		return errors.New("stopped by a signal once the articles above were stored; run the same command again to finish (stored articles are skipped)")
	}
	if o.mapOut != "" {
		sg, err := st.Subgraph(ctx, graph.FactFilter{})
		if err != nil {
			return err
		}
		if err := renderFile(ctx, o.mapOut, mapFormat, sg, render.Options{Title: "kg map: " + strings.Join(args, ", ")}, false); err != nil {
			return err
		}
		fmt.Fprintf(ios.Out, "wrote %s: %d entities, %d facts\n", o.mapOut, len(sg.Nodes), len(sg.Edges))
	}
	if s.rejected > 0 {
		return withCode(exitPartial, fmt.Errorf("%s rejected, named above", plural(s.rejected, "input")))
	}
	return nil
}

// plural writes "1 input", "2 inputs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// idClaim is where an article id was first read, and its content hash.
type idClaim struct{ hash, source string }

// maxClashes bounds the id clashes named one by one.
const maxClashes = 10

// checkIDs reads every input file without extracting and returns where
// each article id was read with which content, and how many inputs there
// are (for the progress line's ETA; -1 when standard input is among them),
// or an error naming the places where two different texts claim one id:
// storing both would silently keep only the last. The same text twice is
// fine: it is one article, stored once. Bad inputs are counted, not
// reported: the real pass reports them.
func checkIDs(ctx context.Context, args []string, opt ingest.ReadOptions) (map[string]idClaim, int, error) {
	claims := map[string]idClaim{}
	var clashes []string
	inputs, n := 0, 0
	var files []string
	for _, p := range args {
		if p == "-" {
			inputs = -1
		} else {
			files = append(files, p)
		}
	}
	counted := inputs >= 0
	err := ingest.Walk(files, nil, opt, func(a schema.Article) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		inputs++
		if c, ok := claims[a.ID]; !ok {
			claims[a.ID] = idClaim{hash: a.Hash(), source: a.Source}
		} else if c.hash != a.Hash() {
			if n++; n <= maxClashes {
				clashes = append(clashes, fmt.Sprintf("  %s and %s: two different texts with article id %q", c.source, a.Source, a.ID))
			}
		}
		return nil
	}, func(err error) { inputs += ingest.Rejected(err) })
	if err != nil {
		return nil, 0, err
	}
	if !counted {
		inputs = -1
	}
	if n == 0 {
		return claims, inputs, nil
	}
	if n > maxClashes {
		clashes = append(clashes, fmt.Sprintf("  ... and %d more", n-maxClashes))
	}
	return nil, 0, fmt.Errorf("%d article id(s) claimed by different texts; nothing stored:\n%s\n"+
		"give each collection its own --id-prefix, or make the ids unique", n, strings.Join(clashes, "\n"))
}

// claim records an article read from standard input, or reports that
// another text read before claims its id: that text stays, this one is
// rejected (a stream cannot be checked before it is stored).
func (w *ingestWriter) claim(a schema.Article) error {
	h := a.Hash()
	if c, ok := w.claims[a.ID]; ok {
		if c.hash != h {
			return fmt.Errorf("%s and %s: two different texts with article id %q: the second is not stored (--id-prefix keeps collections apart)", c.source, a.Source, a.ID)
		}
		return nil
	}
	w.claims[a.ID] = idClaim{hash: h, source: a.Source}
	return nil
}

// Heap bounds. With the default GOGC alone the heap grows to twice the
// live heap (mostly the extraction models) before each collection: ~100
// MB of RSS for nothing on the benchmark corpus. So ingest sets a soft
// memory limit of the live heap plus heapHeadroom (the in-flight
// articles, one batch of quads, Cayley's caches), re-read after every
// batch because the models load on first use of each language. Until the
// first batch, startHeadroom leaves room for them to load. Being soft,
// the limit cannot make ingest fail, only collect more often near it; and
// since it tracks the live heap, collections stay at least heapHeadroom
// of allocation apart. GOMEMLIMIT, when set, wins.
const (
	heapHeadroom  = 128 << 20
	startHeadroom = 384 << 20
)

// heapBound owns the soft memory limit while ingest runs.
type heapBound struct {
	on  bool
	old int64 // the limit to restore
}

// boundHeap sets the starting limit, unless GOMEMLIMIT is set.
func boundHeap(ios *IOStreams) *heapBound {
	if ios.Getenv != nil && ios.Getenv("GOMEMLIMIT") != "" {
		return &heapBound{}
	}
	b := &heapBound{on: true}
	b.old = debug.SetMemoryLimit(liveHeap() + startHeadroom)
	return b
}

// adjust moves the limit to the live heap plus heapHeadroom.
func (b *heapBound) adjust() {
	if b != nil && b.on {
		debug.SetMemoryLimit(liveHeap() + heapHeadroom)
	}
}

// restore puts back the limit found at start (tests run many commands in
// one process).
func (b *heapBound) restore() {
	if b.on {
		debug.SetMemoryLimit(b.old)
	}
}

// liveHeap is the heap the last collection found live (cheap to read,
// unlike runtime.ReadMemStats, which stops the world).
func liveHeap() int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

// openIngestStore is openStore for writing, with Cayley's Bloom filters
// off on bbolt: Cayley sizes each for 100M entries whatever the store
// size, which cost ingest ~340 MB of RSS and made the store phase about
// half as fast on the benchmark corpus (bench/README.md). Without them
// duplicate checks read the index instead, which batching makes cheap.
func openIngestStore(ctx context.Context, ios *IOStreams, g *globalOpts) (*graph.Store, error) {
	uri := g.storeURI(ios)
	if !strings.Contains(uri, "://") && !strings.HasPrefix(uri, "mem") {
		p := strings.TrimPrefix(strings.TrimPrefix(uri, "bolt:"), "bbolt:")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
	}
	return graph.Open(ctx, uri, graph.Options{NoBloom: true, Status: statusFunc(ios)})
}

// extractItem extracts an article, unless the store already holds it with
// the same hash: re-ingesting an archive then costs a lookup per article,
// not an extraction. The lookup never waits for a batch being written (see
// graph.Store.PeekArticleHash), so extraction keeps overlapping storage.
// With a nil st it always extracts.
func extractItem(ctx context.Context, x *ingest.Extractor, st *graph.Store, it *ingestItem) {
	if st != nil {
		if h, ok, busy, err := st.PeekArticleHash(ctx, it.art.ID); err == nil && !busy && ok && h == it.art.Hash() {
			it.unchanged = true
			return
		}
	}
	res, err := x.Extract(it.art)
	if err != nil {
		it.skip = fmt.Errorf("%s: %v", it.art.Source, err)
		return
	}
	it.res, it.extracted = res, true
}

// ingestWriter is the single goroutine that stores: it puts results back
// in input order, groups them into batches and reports.
type ingestWriter struct {
	ctx       context.Context
	ios       *IOStreams
	st        *graph.Store
	x         *ingest.Extractor
	heap      *heapBound
	batchSize int
	start     time.Time
	total     int                // inputs, counted by checkIDs; -1 if unknown (stdin)
	claims    map[string]idClaim // article ids read so far, see checkIDs and claim

	stats    ingestStats
	batch    []graph.ArticleData
	inBatch  map[string]bool // ids in batch, for unchanged items to check against
	handled  int             // inputs handled so far, those in the batch included
	lastDraw time.Time
	drawn    bool
}

func (w *ingestWriter) handle(it *ingestItem) error {
	if it.skip != nil {
		n := ingest.Rejected(it.skip)
		w.stats.rejected += n
		w.handled += n
		w.clearProgress()
		fmt.Fprintln(w.ios.ErrOut, "kg: "+it.skip.Error())
		return nil
	}
	if it.stream {
		if err := w.claim(it.art); err != nil {
			it.skip, it.stream = err, false
			return w.handle(it)
		}
	}
	w.handled++
	if it.unchanged {
		// A worker saw the same hash stored, but an earlier input with the
		// same id may have changed it since (and may still sit in the
		// batch): confirm, and extract here in that rare case.
		if !w.inBatch[it.art.ID] {
			h, ok, err := w.st.ArticleHash(w.ctx, it.art.ID)
			if err != nil {
				return err
			}
			if ok && h == it.art.Hash() {
				w.stats.unchanged++
				return nil
			}
		}
		it.unchanged = false
		extractItem(w.ctx, w.x, nil, it)
		if it.skip != nil {
			w.handled--
			return w.handle(it)
		}
	}
	w.batch = append(w.batch, graph.ArticleData{Article: it.res.Article, Entities: it.res.Entities, Facts: it.res.Facts})
	w.inBatch[it.art.ID] = true
	if len(w.batch) >= w.batchSize {
		return w.flush()
	}
	return nil
}

// flush stores the batch; a failure names the inputs it held.
func (w *ingestWriter) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	out, err := w.st.PutBatch(w.ctx, w.batch)
	if err != nil {
		first, last := w.batch[0].Article.Source, w.batch[len(w.batch)-1].Article.Source
		return fmt.Errorf("storing the %d articles from %s to %s: %w", len(w.batch), first, last, err)
	}
	for i, o := range out {
		switch o {
		case graph.Unchanged:
			w.stats.unchanged++
			continue
		case graph.Added:
			w.stats.stored++
		case graph.Replaced:
			w.stats.replaced++
		}
		d := w.batch[i]
		w.stats.facts += len(d.Facts)
		for _, e := range d.Entities {
			w.stats.entities[e.ID] = true
		}
	}
	clear(w.batch) // drop the articles' texts now, not at the next overwrite
	w.batch = w.batch[:0]
	clear(w.inBatch)
	w.heap.adjust()
	return nil
}

// progress redraws the progress line, on a terminal only and at most four
// times a second (redrawing per article would cost more than a fast
// article's extraction).
func (w *ingestWriter) progress() {
	if !w.ios.ErrTTY || time.Since(w.lastDraw) < 250*time.Millisecond {
		return
	}
	w.lastDraw = time.Now()
	el := time.Since(w.start)
	done := w.handled
	rate := float64(done) / max(el.Seconds(), 1e-3)
	s := &w.stats
	counts := fmt.Sprintf("%d stored, %d replaced, %d unchanged, %d rejected", s.stored, s.replaced, s.unchanged, s.rejected)
	line := fmt.Sprintf("ingest: %d inputs, %s, %.0f articles/s", done, counts, rate)
	if t := w.total; t > 0 && rate > 0 {
		left := max(t-done, 0)
		eta := time.Duration(float64(left) / rate * float64(time.Second)).Round(time.Second)
		line = fmt.Sprintf("ingest: %d/%d inputs (%.0f%%), %s, %.0f articles/s, ETA %s",
			done, t, 100*float64(done)/float64(max(t, 1)), counts, rate, eta)
	}
	fmt.Fprint(w.ios.ErrOut, "\r\033[K"+line)
	w.drawn = true
}

func (w *ingestWriter) clearProgress() {
	if w.drawn {
		fmt.Fprint(w.ios.ErrOut, "\r\033[K")
		w.drawn = false
	}
}

// stopOnSignal derives the pipeline's context from the command's: it ends
// when the command's does (a signal) or when cancel is called, and
// interrupted reports which.
func stopOnSignal(parent context.Context) (ctx context.Context, cancel context.CancelFunc, interrupted func() bool) {
	ctx, cancel = context.WithCancel(context.WithoutCancel(parent))
	var sig atomic.Bool
	go func() {
		select {
		case <-parent.Done():
			sig.Store(true)
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel, sig.Load
}

// statusFunc prints a store's status messages on stderr, on a terminal
// only: they explain a wait, they are not results.
func statusFunc(ios *IOStreams) func(string) {
	if !ios.ErrTTY {
		return nil
	}
	return func(msg string) { fmt.Fprintf(ios.ErrOut, "kg: %s...\n", msg) }
}
