package nlp

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"
)

// TrainOptions control Train. Zero values pick the defaults used for the
// embedded models.
type TrainOptions struct {
	TagEpochs   int          // tagger epochs (default 10)
	ParseEpochs int          // parser epochs (default 15)
	LabelEpochs int          // labeller epochs (default 10)
	Folds       int          // jackknife folds for predicted training tags (default 5; 1 = gold tags)
	Seed        uint64       // shuffling seed (default 1)
	Explore     float64      // probability of following a wrong prediction (default 0.9)
	Prune       float32      // drop features whose largest averaged weight is below this
	Dev         []Sentence   // if set, tagger accuracy on it is logged
	TagOnly     bool         // stop after the tagger (for tagger experiments)
	System      int          // transition system: 0 arc-eager, 1 arc-hybrid with root last
	MinCount    int          // parser features must occur this often on gold paths (default 1: all)
	Parsers     []ParserSpec // parsers to train and combine; default one with System
	Log         io.Writer
}

func (o *TrainOptions) defaults() {
	if o.TagEpochs == 0 {
		o.TagEpochs = 10
	}
	if o.ParseEpochs == 0 {
		o.ParseEpochs = 15
	}
	if o.LabelEpochs == 0 {
		o.LabelEpochs = 10
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Explore == 0 {
		o.Explore = 0.9
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// ParserSpec describes one parser of an ensemble.
type ParserSpec struct {
	System  int     // 0 arc-eager, 1 arc-hybrid
	Reverse bool    // parse right to left
	Weight  float32 // vote weight (default 1, 1.1 for the first)
}

// tagData is a training sentence reduced to what the tagger needs.
type tagData struct {
	forms []string
	tags  []int
}

func buildTagDict(sents []Sentence) (ambs []string, words map[string]int) {
	counts := map[string]map[string]int{}
	for _, s := range sents {
		for _, t := range s.Tokens {
			w := normWord(t.Text)
			if counts[w] == nil {
				counts[w] = map[string]int{}
			}
			counts[w][t.UPOS]++
		}
	}
	idx := map[string]int{}
	words = map[string]int{}
	keys := make([]string, 0, len(counts))
	for w := range counts {
		keys = append(keys, w)
	}
	slices.Sort(keys)
	for _, w := range keys {
		a := ambClass(counts[w])
		i, ok := idx[a]
		if !ok {
			i = len(ambs)
			idx[a] = i
			ambs = append(ambs, a)
		}
		words[w] = i
	}
	return ambs, words
}

func hashDict(ambs []string, words map[string]int) map[string]uint64 {
	td := make(map[string]uint64, len(words))
	for w, i := range words {
		td[w] = strHash("a:" + ambs[i])
	}
	return td
}

func trainTagger(sents []Sentence, classes []string, epochs int, rng *rand.Rand, log io.Writer) (*tagger, map[string]uint64, []string, map[string]int) {
	ambs, words := buildTagDict(sents)
	td := hashDict(ambs, words)
	// Training words get ambiguity classes from the other folds only, so
	// the model also learns to tag words the dictionary does not know,
	// as it must at test time.
	const dictFolds = 10
	var foldDicts [dictFolds]map[string]uint64
	for k := range foldDicts {
		var rest []Sentence
		for i, s := range sents {
			if i%dictFolds != k {
				rest = append(rest, s)
			}
		}
		foldDicts[k] = hashDict(buildTagDict(rest))
	}
	cidx := map[string]int{}
	for i, c := range classes {
		cidx[c] = i
	}
	hashes := classHashes(classes)
	data := make([]tagEx, len(sents))
	for i, s := range sents {
		e := tagEx{ws: make([]wordInfo, len(s.Tokens)), gold: make([]int, len(s.Tokens))}
		for j, t := range s.Tokens {
			e.ws[j] = makeWordInfo(t.Text, mapDict(foldDicts[i%dictFolds]))
			e.gold[j] = cidx[t.UPOS]
		}
		data[i] = e
	}
	fwd := trainTagTable(data, len(classes), hashes, epochs, rng, log, false)
	rev := trainTagTable(data, len(classes), hashes, epochs, rng, log, true)
	return &tagger{classes: classes, hashes: hashes, tab: fwd, rev: rev}, td, ambs, words
}

type tagEx struct {
	ws   []wordInfo
	gold []int
}

// trainTagTable trains one tagging direction; reverse tags right to left,
// so the history features see the right context.
func trainTagTable(data []tagEx, nc int, hashes []uint64, epochs int, rng *rand.Rand, log io.Writer, reverse bool) *table {
	if reverse {
		rd := make([]tagEx, len(data))
		for i, e := range data {
			r := tagEx{ws: slices.Clone(e.ws), gold: slices.Clone(e.gold)}
			slices.Reverse(r.ws)
			slices.Reverse(r.gold)
			rd[i] = r
		}
		data = rd
	}
	p := newTrainer(nc)
	sc := make([]float32, nc)
	buf := make([]uint32, 0, 64)
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		correct, total := 0, 0
		for _, oi := range order {
			e := data[oi]
			hist := make([]uint64, len(e.ws))
			for i := range e.ws {
				buf = tagFeatures(buf[:0], e.ws, hist, i)
				p.score(buf, sc)
				g := argmax(sc, nil)
				p.tick()
				p.update(buf, e.gold[i], g)
				if g == e.gold[i] {
					correct++
				}
				total++
				hist[i] = hashes[g]
			}
		}
		fmt.Fprintf(log, "  tagger epoch %d train acc %.2f features %d\n", ep+1, 100*float64(correct)/float64(max(total, 1)), len(p.index))
	}
	return p.freeze(0)
}

// Train builds a model from gold CoNLL-U sentences.
func Train(lang string, sents []Sentence, o TrainOptions) (*Model, error) {
	o.defaults()
	if len(sents) == 0 {
		return nil, fmt.Errorf("nlp: no training sentences")
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x6b67))
	t0 := time.Now()
	// classes
	cset, lset := map[string]bool{}, map[string]bool{"root": true}
	for _, s := range sents {
		for _, t := range s.Tokens {
			cset[t.UPOS] = true
			if t.Dep != "" {
				lset[t.Dep] = true
			}
		}
	}
	classes := sortedKeys(cset)
	lclasses := sortedKeys(lset)
	// 1. tagger on everything
	fmt.Fprintf(o.Log, "tagger: %d sentences\n", len(sents))
	tg, td, ambs, words := trainTagger(sents, classes, o.TagEpochs, rng, o.Log)
	m := &Model{Lang: lang, tg: tg, dict: mapDict(td), ambs: ambs, words: words}
	fmt.Fprintf(o.Log, "tagger done %s\n", time.Since(t0).Round(time.Second))
	if len(o.Dev) > 0 {
		fmt.Fprintf(o.Log, "dev UPOS %.2f\n", tagAccuracy(m, o.Dev))
	}
	if o.TagOnly {
		return m, nil
	}
	// 2. predicted tags for the parser by jackknifing
	pred := make([][]string, len(sents))
	predDict := make([]map[string]uint64, len(sents)) // dictionary used for each sentence's tags
	if o.Folds <= 1 {
		for i, s := range sents {
			pred[i] = make([]string, len(s.Tokens))
			for j, t := range s.Tokens {
				pred[i][j] = t.UPOS
			}
			predDict[i] = td
		}
	} else {
		for k := 0; k < o.Folds; k++ {
			var tr []Sentence
			var held []int
			for i, s := range sents {
				if i%o.Folds == k {
					held = append(held, i)
				} else {
					tr = append(tr, s)
				}
			}
			ftg, ftd, _, _ := trainTagger(tr, classes, o.TagEpochs, rng, io.Discard)
			for _, i := range held {
				pred[i] = tagWith(ftg, mapDict(ftd), sents[i])
				predDict[i] = ftd
			}
			fmt.Fprintf(o.Log, "jackknife fold %d/%d done %s\n", k+1, o.Folds, time.Since(t0).Round(time.Second))
		}
	}
	// 3. lemmatizer
	lc := newLemCounter()
	for _, s := range sents {
		for _, t := range s.Tokens {
			lc.add(t.Text, t.UPOS, t.Lemma, t.Feats)
		}
	}
	m.lem = lc.build()
	// 4. parser and labeller
	specs := o.Parsers
	if len(specs) == 0 {
		specs = []ParserSpec{{System: o.System}}
	}
	for k, sp := range specs {
		oo := o
		oo.System = sp.System
		w := sp.Weight
		if w == 0 {
			w = 1
			if k == 0 && len(specs) > 1 {
				w = 1.1 // the primary parser breaks ties
			}
		}
		tab := trainParser(sents, pred, predDict, oo, sp.Reverse, rng)
		m.parsers = append(m.parsers, &parserModel{system: sp.System, reverse: sp.Reverse, weight: w, tab: tab})
		fmt.Fprintf(o.Log, "parser %d (system %d reverse %v) done %s\n", k+1, sp.System, sp.Reverse, time.Since(t0).Round(time.Second))
	}
	m.lab = trainLabeler(m, sents, pred, lclasses, o, rng)
	fmt.Fprintf(o.Log, "labeller done %s\n", time.Since(t0).Round(time.Second))
	return m, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func tagWith(tg *tagger, td wordDict, s Sentence) []string {
	ws := make([]wordInfo, len(s.Tokens))
	for j, t := range s.Tokens {
		ws[j] = makeWordInfo(t.Text, td)
	}
	out := make([]int, len(ws))
	tg.tag(ws, out, nil)
	tags := make([]string, len(ws))
	for j, c := range out {
		tags[j] = tg.classes[c]
	}
	return tags
}

func tagAccuracy(m *Model, gold []Sentence) float64 {
	n, ok := 0, 0
	for _, s := range gold {
		tags := tagWith(m.tg, m.dict, s)
		for j, t := range s.Tokens {
			n++
			if tags[j] == t.UPOS {
				ok++
			}
		}
	}
	return 100 * float64(ok) / float64(max(n, 1))
}

// ptoks builds parser inputs; td is the tag dictionary the tags were
// predicted with (a jackknife fold's), for the ambiguity-class features.
func ptoks(s Sentence, tags []string, td map[string]uint64) []ptok {
	pt := make([]ptok, len(s.Tokens)+1)
	pt[0] = ptok{hRoot, hRoot, hRoot, hRoot, hRoot}
	for j, t := range s.Tokens {
		wi := makeWordInfo(t.Text, mapDict(td))
		pt[j+1] = ptok{w: wi.low, p: strHash("t:" + tags[j]), form: wi.form, suf: wi.suf[2], amb: wi.amb}
	}
	return pt
}

func trainParser(sents []Sentence, pred [][]string, predDict []map[string]uint64, o TrainOptions, reverse bool, rng *rand.Rand) *table {
	type ex struct {
		pt []ptok
		gh []int
	}
	var data []ex
	skipped := 0
	for i, s := range sents {
		gh := make([]int, len(s.Tokens)+1)
		gh[0] = -1
		roots := 0
		for j, t := range s.Tokens {
			gh[j+1] = t.Head + 1
			if t.Head < 0 {
				roots++
			}
		}
		if roots != 1 {
			skipped++
			continue
		}
		ph := projectivize(gh)
		if ph == nil {
			skipped++
			continue
		}
		ph[0] = -1
		pt := ptoks(s, pred[i], predDict[i])
		if reverse {
			pt, ph = reverseToks(pt, nil), mirrorHeads(ph, nil)
		}
		data = append(data, ex{pt, ph})
	}
	fmt.Fprintf(o.Log, "parser: %d sentences (%d skipped)\n", len(data), skipped)
	p := newTrainer(nActions)
	if o.MinCount > 1 {
		// Count features along the gold (zero-cost) path and keep only
		// those seen MinCount times: rare conjunctions mostly add noise
		// and make the model big and slow to load.
		cnt := map[uint32]int32{}
		buf := make([]uint32, 0, 100)
		for _, e := range data {
			s := newState(o.System, len(e.pt)-1, nil)
			for !s.done() {
				buf = s.features(buf[:0], e.pt)
				for _, f := range buf {
					cnt[f]++
				}
				best := -1
				for a := 0; a < nActions; a++ {
					if s.valid(a) && (best < 0 || s.cost(a, e.gh) < s.cost(best, e.gh)) {
						best = a
					}
				}
				s.apply(best)
			}
		}
		p.allow = map[uint32]bool{}
		for f, c := range cnt {
			if int(c) >= o.MinCount {
				p.allow[f] = true
			}
		}
		fmt.Fprintf(o.Log, "parser: %d of %d features occur at least %d times\n", len(p.allow), len(cnt), o.MinCount)
	}
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	var sc [nActions]float32
	buf := make([]uint32, 0, 80)
	for ep := 0; ep < o.ParseEpochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		correct, total := 0, 0
		for _, oi := range order {
			e := data[oi]
			n := len(e.pt) - 1
			s := newState(o.System, n, nil)
			for !s.done() {
				buf = s.features(buf[:0], e.pt)
				p.score(buf, sc[:])
				pr, gold := -1, -1
				minCost := 1 << 30
				var costs [nActions]int
				for a := 0; a < nActions; a++ {
					if !s.valid(a) {
						costs[a] = -1
						continue
					}
					costs[a] = s.cost(a, e.gh)
					if costs[a] < minCost {
						minCost = costs[a]
					}
					if pr < 0 || sc[a] > sc[pr] {
						pr = a
					}
				}
				if pr < 0 {
					break
				}
				for a := 0; a < nActions; a++ {
					if costs[a] == minCost && (gold < 0 || sc[a] > sc[gold]) {
						gold = a
					}
				}
				p.tick()
				total++
				next := gold
				if costs[pr] == minCost {
					correct++
					next = pr
				} else {
					p.update(buf, gold, pr)
					if ep > 0 && rng.Float64() < o.Explore {
						next = pr
					}
				}
				s.apply(next)
			}
		}
		fmt.Fprintf(o.Log, "  parser epoch %d oracle agreement %.2f features %d\n", ep+1, 100*float64(correct)/float64(max(total, 1)), len(p.index))
	}
	t := p.freeze(o.Prune)
	fmt.Fprintf(o.Log, "parser: kept %d of %d features\n", t.features(), len(p.index))
	return t
}

func ltoks(m *Model, s Sentence, tags []string) []ltok {
	lt := make([]ltok, len(s.Tokens)+1)
	lt[0] = ltok{hRoot, hRoot, hRoot, hRoot}
	for j, t := range s.Tokens {
		lemma, feats := m.lem.lookup(t.Text, tags[j])
		lt[j+1] = ltok{w: strHash(normWord(t.Text)), p: strHash("t:" + tags[j]), lemma: strHash(lemma), feats: strHash(feats)}
	}
	return lt
}

func trainLabeler(m *Model, sents []Sentence, pred [][]string, classes []string, o TrainOptions, rng *rand.Rand) *labeler {
	cidx := map[string]int{}
	for i, c := range classes {
		cidx[c] = i
	}
	lb := &labeler{classes: classes, hashes: labelHashes(classes), rootIdx: cidx["root"]}
	type ex struct {
		tr   *ltree
		gold []int
	}
	var data []ex
	for i, s := range sents {
		head := make([]int, len(s.Tokens)+1)
		gold := make([]int, len(s.Tokens)+1)
		head[0] = -1
		for j, t := range s.Tokens {
			head[j+1] = t.Head + 1
			gold[j+1] = cidx[t.Dep]
		}
		data = append(data, ex{newLTree(ltoks(m, s, pred[i]), head, lb.hashes, nil), gold})
	}
	p := newTrainer(len(classes))
	sc := make([]float32, len(classes))
	buf := make([]uint32, 0, 48)
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	for ep := 0; ep < o.LabelEpochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		correct, total := 0, 0
		for _, oi := range order {
			e := data[oi]
			for d := 1; d < len(e.tr.head); d++ {
				if e.tr.head[d] == 0 {
					e.tr.labels[d] = lb.rootIdx
					continue
				}
				buf = labelFeatures(buf[:0], e.tr, d)
				p.score(buf, sc)
				g := argmax(sc, func(c int) bool { return c != lb.rootIdx })
				p.tick()
				p.update(buf, e.gold[d], g)
				if g == e.gold[d] {
					correct++
				}
				total++
				// teacher forcing: later siblings see gold labels
				e.tr.labels[d] = e.gold[d]
			}
		}
		fmt.Fprintf(o.Log, "  labeller epoch %d train acc %.2f features %d\n", ep+1, 100*float64(correct)/float64(max(total, 1)), len(p.index))
	}
	t := p.freeze(o.Prune)
	lb.tab = t
	fmt.Fprintf(o.Log, "labeller: kept %d of %d features\n", t.features(), len(p.index))
	return lb
}
