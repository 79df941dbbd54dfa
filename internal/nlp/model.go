package nlp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"unsafe"

	_ "embed" // the models
)

// The models, written by ./cmd/train (see models/README.md).
var (
	//go:embed models/en.model
	modelEN string
	//go:embed models/fr.model
	modelFR string
)

// Model is a trained tagger, lemmatizer, parser and labeller for one
// language. It is read-only after loading and safe for concurrent use.
type Model struct {
	Lang    string
	tg      *tagger
	ambs    []string       // ambiguity classes ("NOUN|VERB")
	words   map[string]int // training's: normalized word -> index in ambs
	dict    wordDict       // normalized word -> hash of its ambiguity class
	lem     *lemmatizer
	parsers []*parserModel // the first is the primary; more are combined by voting
	lab     *labeler
	raw     string    // the model file, for a model read from one
	works   sync.Pool // of *work, Annotate's scratch memory
}

// LoadModel loads the embedded model for lang ("fr" or "en"). The model
// is read in place from the binary's data; only its weight tables are
// built (a few milliseconds).
func LoadModel(lang string) (*Model, error) {
	var s string
	switch lang {
	case "en":
		s = modelEN
	case "fr":
		s = modelFR
	default:
		return nil, fmt.Errorf("nlp: no embedded model for %q", lang)
	}
	m, err := readModel(s)
	if err != nil {
		return nil, fmt.Errorf("nlp: loading the %s model: %w", lang, err)
	}
	return m, nil
}

// Parse splits text into sentences and annotates each one.
func (m *Model) Parse(text string) []Sentence {
	ss := SplitSentences(text, m.Lang)
	for i := range ss {
		m.Annotate(&ss[i])
	}
	return ss
}

// Annotate fills UPOS, Feats, Lemma, Head and Dep of every token of s,
// using only the token texts.
func (m *Model) Annotate(s *Sentence) {
	if m == nil || s == nil || len(s.Tokens) == 0 || m.tg == nil || len(m.parsers) == 0 || m.lab == nil {
		return
	}
	w, _ := m.works.Get().(*work)
	if w == nil {
		w = new(work)
	}
	defer func() {
		w.reset()
		m.works.Put(w)
	}()
	n := len(s.Tokens)
	ws := w.wordSlice(n)
	for i, t := range s.Tokens {
		ws[i] = makeWordInfo(t.Text, m.dict)
	}
	tags := w.intSlice(n)
	m.tg.tag(ws, tags, w)
	pt := w.ptokSlice(n + 1)
	lt := w.ltokSlice(n + 1)
	pt[0] = ptok{hRoot, hRoot, hRoot, hRoot, hRoot}
	lt[0] = ltok{hRoot, hRoot, hRoot, hRoot}
	for i := range s.Tokens {
		t := &s.Tokens[i]
		t.UPOS = m.tg.classes[tags[i]]
		t.Lemma, t.Feats = m.lem.lookup(t.Text, t.UPOS)
		ph := m.tg.hashes[tags[i]]
		pt[i+1] = ptok{w: ws[i].low, p: ph, form: ws[i].form, suf: ws[i].suf[2], amb: ws[i].amb}
		lt[i+1] = ltok{w: ws[i].low, p: ph, lemma: strHash(t.Lemma), feats: strHash(t.Feats)}
	}
	heads := m.parsers[0].parse(pt, w)
	if len(m.parsers) > 1 {
		var treesA [8][]int
		var wsA [8]float32
		trees := append(treesA[:0], heads)
		ws := append(wsA[:0], m.parsers[0].weight)
		for k, p := range m.parsers[1:] {
			t := p.parse(pt, w)
			trees = append(trees, t)
			ws = append(ws, p.weight)
			// When the first two agree and outweigh the rest, the rest
			// cannot change the combined tree: skip them (saves time on
			// the many easy sentences).
			if k == 0 && slices.Equal(t, heads) && ws[0]+ws[1] > m.restWeight(2) {
				trees = trees[:1]
				break
			}
		}
		if len(trees) > 1 {
			heads = combine(trees, ws, w)
		}
	}
	tr := newLTree(lt, heads, m.lab.hashes, w)
	m.lab.label(tr, w)
	for i := range s.Tokens {
		t := &s.Tokens[i]
		t.Head = heads[i+1] - 1
		if l := tr.labels[i+1]; l >= 0 && l < len(m.lab.classes) {
			t.Dep = m.lab.classes[l]
		}
	}
	disambiguateFeats(m.lem, m.Lang, s)
}

// restWeight sums the vote weights of parsers from index i on.
func (m *Model) restWeight(i int) float32 {
	var w float32
	for _, p := range m.parsers[i:] {
		w += p.weight
	}
	return w
}

// ---- serialization ----
// A model file is flat and uncompressed, so loading is a walk over the
// embedded bytes, not a decompression (gzip cost 100-160 ms):
//
//	"KGNLP5\n\x00"  magic
//	4 bytes        CRC-32C of everything after the first 16 bytes
//	4 bytes        length of the header
//	header         varints and strings: language, tag classes, ambiguity
//	               classes, parsers (system, direction, vote weight),
//	               labels, then the byte length of each section
//	sections       the tag dictionary, the lemma dictionary and the suffix
//	               rules (strTab), then the weight tables (qtable): tagger
//	               left to right and right to left, each parser, labeller
//
// Numbers are little-endian. Weights are one-byte codes (quant); the
// dictionaries are hash tables read in place, so lemmas and features are
// slices of the model's bytes.

const modelMagic = "KGNLP5\n\x00"

// Save writes the model. A model read from a file is written back as it
// was read.
func (m *Model) Save(out io.Writer) error {
	if m.raw != "" {
		_, err := io.WriteString(out, m.raw)
		return err
	}
	tabs := []*table{}
	for _, sc := range append([]scorer{m.tg.tab, m.tg.rev}, m.parserScorers()...) {
		t, ok := sc.(*table)
		if !ok {
			return fmt.Errorf("nlp: Save: model has no training tables")
		}
		tabs = append(tabs, t)
	}
	lt, ok := m.lab.tab.(*table)
	if !ok {
		return fmt.Errorf("nlp: Save: model has no training tables")
	}
	tabs = append(tabs, lt)
	var sections [][]byte
	var es []strTabEntry
	for k, v := range m.words {
		es = append(es, strTabEntry{k, appendUv(nil, uint64(v))})
	}
	sections = append(sections, appendStrTab(nil, es))
	es = es[:0]
	for k, e := range m.lem.dict {
		es = append(es, strTabEntry{k, appendStr(appendStr(appendStr(nil, e.lemma), e.feats), e.alts)})
	}
	sections = append(sections, appendStrTab(nil, es))
	es = es[:0]
	for k, r := range m.lem.rules {
		es = append(es, strTabEntry{k, appendStr(appendStr(appendUv(nil, uint64(r.strip)), r.add), r.feats)})
	}
	sections = append(sections, appendStrTab(nil, es))
	for _, t := range tabs {
		sections = append(sections, appendTable(nil, t))
	}
	var h []byte
	h = appendStr(h, m.Lang)
	h = appendStrs(h, m.tg.classes)
	h = appendStrs(h, m.ambs)
	h = appendUv(h, uint64(len(m.parsers)))
	for _, p := range m.parsers {
		h = appendUv(h, uint64(p.system))
		rev := uint64(0)
		if p.reverse {
			rev = 1
		}
		h = appendUv(h, rev)
		h = appendUv(h, uint64(math.Float32bits(p.weight)))
	}
	h = appendStrs(h, m.lab.classes)
	h = appendUv(h, uint64(len(sections)))
	for _, sec := range sections {
		h = appendUv(h, uint64(len(sec)))
	}
	body := appendU32(nil, uint32(len(h)))
	body = append(body, h...)
	for _, sec := range sections {
		body = append(body, sec...)
	}
	file := append([]byte(modelMagic), 0, 0, 0, 0)
	file = append(file, body...)
	binary.LittleEndian.PutUint32(file[8:], crc32.Checksum(file[12:], castagnoli))
	_, err := out.Write(file)
	return err
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (m *Model) parserScorers() []scorer {
	out := make([]scorer, len(m.parsers))
	for i, p := range m.parsers {
		out[i] = p.tab
	}
	return out
}

var errCorrupt = errors.New("corrupt model data")

// ReadModel reads a model written by Save.
func ReadModel(in io.Reader) (*Model, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	return readModel(string(data))
}

// readModel decodes a model file held in s, which it keeps: the
// dictionaries are read in place, and the weight tables are built in
// parallel while the checksum is verified.
func readModel(s string) (*Model, error) {
	if len(s) < 16 || s[:len(modelMagic)] != modelMagic {
		return nil, fmt.Errorf("%w: not a kg model (version 5)", errCorrupt)
	}
	crc := make(chan bool, 1)
	go func() {
		// a read-only byte view of the (immutable) string, not a copy
		b := unsafe.Slice(unsafe.StringData(s), len(s))
		crc <- crc32.Checksum(b[12:], castagnoli) == le32(s, 8)
	}()
	r := &frd{s: s, pos: 12}
	hl := int(r.u32())
	if hl > len(s)-r.pos {
		<-crc
		return nil, fmt.Errorf("%w: header length %d", errCorrupt, hl)
	}
	hr := &frd{s: s[:r.pos+hl], pos: r.pos}
	m := &Model{Lang: hr.str(), raw: s}
	classes := hr.strs()
	m.ambs = hr.strs()
	np := hr.n(8)
	for i := 0; i < np && hr.err == nil; i++ {
		p := &parserModel{system: hr.n(sysHybrid), reverse: hr.n(1) == 1, weight: math.Float32frombits(uint32(hr.n(math.MaxUint32)))}
		m.parsers = append(m.parsers, p)
	}
	lclasses := hr.strs()
	ns := hr.n(64)
	secs := make([]string, 0, ns)
	off := r.pos + hl
	for i := 0; i < ns && hr.err == nil; i++ {
		n := hr.n(uint64(len(s)))
		if off+n > len(s) {
			hr.fail("section past the end")
			break
		}
		secs = append(secs, s[off:off+n])
		off += n
	}
	if hr.err == nil && (hr.pos != r.pos+hl || off != len(s)) {
		hr.fail("sections do not fill the file")
	}
	if hr.err == nil && (len(m.parsers) == 0 || len(classes) == 0 || len(secs) != 3+len(m.parsers)+3) {
		hr.fail("no parser, no tagger classes or wrong section count")
	}
	if hr.err != nil {
		<-crc
		return nil, hr.err
	}
	// weight tables, in parallel, in one allocation (so huge pages cover
	// them all)
	tsecs := secs[3:]
	tabs := make([]*qtable, len(tsecs))
	errs := make([]error, len(tsecs))
	// each table starts on a cache line
	const line = 16
	words := 0
	for _, sec := range tsecs {
		words += (qtableWords(sec) + line - 1) &^ (line - 1)
	}
	if words > 2*len(s) {
		<-crc
		return nil, fmt.Errorf("%w: tables of %d words in %d bytes", errCorrupt, words, len(s))
	}
	mem := allocWords(words)
	var wg sync.WaitGroup
	for i, sec := range tsecs {
		nw := qtableWords(sec)
		tm := mem[:nw:nw]
		mem = mem[min(len(mem), (nw+line-1)&^(line-1)):]
		wg.Add(1)
		go func() {
			defer wg.Done()
			tabs[i], errs[i] = readQTable(sec, tm)
		}()
	}
	err := m.readDicts(secs[:3], classes, lclasses)
	wg.Wait()
	if !<-crc {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}
	if err != nil {
		return nil, err
	}
	for i, e := range errs {
		if e != nil {
			return nil, fmt.Errorf("table %d: %w", i, e)
		}
	}
	m.tg.tab, m.tg.rev = tabs[0], tabs[1]
	for i, p := range m.parsers {
		p.tab = tabs[2+i]
		if tabs[2+i].nc != nActions {
			return nil, fmt.Errorf("%w: parser table has %d classes", errCorrupt, tabs[2+i].nc)
		}
	}
	lt := tabs[len(tabs)-1]
	m.lab.tab = lt
	if tabs[0].nc != len(classes) || tabs[1].nc != len(classes) || lt.nc != len(lclasses) {
		return nil, fmt.Errorf("%w: class counts do not match tables", errCorrupt)
	}
	return m, nil
}

// readDicts reads the tag dictionary, lemma dictionary and suffix rules
// and sets up the tagger and labeller.
func (m *Model) readDicts(secs []string, classes, lclasses []string) error {
	var ts [3]*strTab
	for i, sec := range secs {
		r := &frd{s: sec}
		ts[i] = r.strTab()
		if r.err == nil && r.pos != len(sec) {
			r.fail("bytes after string table")
		}
		if r.err != nil {
			return r.err
		}
	}
	ah := make([]uint64, len(m.ambs))
	for i, a := range m.ambs {
		ah[i] = strHash("a:" + a)
	}
	m.dict = &flatDict{t: ts[0], ah: ah}
	m.lem = &lemmatizer{fdict: ts[1], frules: ts[2]}
	if len(classes) > maxClasses || len(lclasses) > maxClasses {
		return fmt.Errorf("%w: %d classes", errCorrupt, max(len(classes), len(lclasses)))
	}
	m.tg = &tagger{classes: classes, hashes: classHashes(classes)}
	m.lab = &labeler{classes: lclasses, hashes: labelHashes(lclasses), rootIdx: slices.Index(lclasses, "root")}
	if m.lab.rootIdx < 0 {
		return fmt.Errorf("%w: no root label", errCorrupt)
	}
	return nil
}

// wordDict maps a normalized word to the hash of its ambiguity class.
type wordDict interface {
	ambOf(low string) (uint64, bool)
}

// mapDict is training's tag dictionary.
type mapDict map[string]uint64

func (d mapDict) ambOf(w string) (uint64, bool) {
	h, ok := d[w]
	return h, ok
}

// flatDict is a loaded model's: word -> index of its ambiguity class.
type flatDict struct {
	t  *strTab
	ah []uint64 // hash of each ambiguity class
}

func (d *flatDict) ambOf(w string) (uint64, bool) {
	off := d.t.find(w, "", false)
	if off < 0 {
		return 0, false
	}
	r := d.t.at(off)
	v := r.uv()
	if r.err != nil || v >= uint64(len(d.ah)) {
		return 0, false
	}
	return d.ah[v], true
}

// Weights are stored as one byte each on a logarithmic scale (sign bit
// and 7-bit magnitude code between the table's smallest and largest
// magnitudes, about 5% relative error): plenty for a perceptron and it
// halves both the file and the time to decompress it.
type quant struct{ lo, step float64 }

func newQuant(ws []float32) quant {
	mx, mn := 0.0, math.Inf(1)
	for _, v := range ws {
		a := math.Abs(float64(v))
		if a > mx {
			mx = a
		}
		if a > 0 && a < mn {
			mn = a
		}
	}
	if mx == 0 {
		return quant{0, 1}
	}
	mn = math.Max(mn, mx*1e-6)
	lo, hi := math.Log(mn), math.Log(mx)
	step := (hi - lo) / 126
	if step <= 0 {
		step = 1
	}
	return quant{lo, step}
}

func (q quant) enc(v float32) byte {
	a := math.Abs(float64(v))
	if a == 0 {
		return 0
	}
	c := math.Round((math.Log(a)-q.lo)/q.step) + 1
	if c < 1 {
		if a < math.Exp(q.lo)/2 {
			return 0
		}
		c = 1
	}
	if c > 127 {
		c = 127
	}
	b := byte(c)
	if v < 0 {
		b |= 0x80
	}
	return b
}

func (q quant) table() [256]float32 {
	var t [256]float32
	for c := 1; c < 128; c++ {
		v := float32(math.Exp(q.lo + float64(c-1)*q.step))
		t[c], t[c|0x80] = v, -v
	}
	return t
}

// ambClass is the ambiguity class string of a word's tag counts: the tags
// that make up at least 5% of its occurrences, sorted.
func ambClass(counts map[string]int) string {
	tot := 0
	for _, n := range counts {
		tot += n
	}
	var ts []string
	for t, n := range counts {
		if n*20 >= tot {
			ts = append(ts, t)
		}
	}
	slices.Sort(ts)
	return strings.Join(ts, "|")
}
