package nlp

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
)

//go:embed models
var modelFS embed.FS

// Model is a trained tagger, lemmatizer, parser and labeller for one
// language. It is read-only after loading and safe for concurrent use.
type Model struct {
	Lang    string
	tg      *tagger
	ambs    []string          // ambiguity classes ("NOUN|VERB")
	words   map[string]int    // normalized word -> index in ambs
	tagdict map[string]uint64 // normalized word -> hash of its ambiguity class
	lem     *lemmatizer
	parsers []*parserModel // the first is the primary; more are combined by voting
	lab     *labeler
}

// LoadModel loads the embedded model for lang ("fr" or "en").
func LoadModel(lang string) (*Model, error) {
	name := "models/" + lang + ".model.gz"
	f, err := modelFS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("nlp: no embedded model for %q (%s): %w", lang, name, err)
	}
	defer f.Close()
	m, err := ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("nlp: loading %s: %w", name, err)
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
	n := len(s.Tokens)
	ws := make([]wordInfo, n)
	for i, t := range s.Tokens {
		ws[i] = makeWordInfo(t.Text, m.tagdict)
	}
	tags := make([]int, n)
	m.tg.tag(ws, tags)
	pt := make([]ptok, n+1)
	lt := make([]ltok, n+1)
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
	heads := m.parsers[0].parse(pt)
	if len(m.parsers) > 1 {
		trees := [][]int{heads}
		ws := []float32{m.parsers[0].weight}
		for k, p := range m.parsers[1:] {
			t := p.parse(pt)
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
			heads = combine(trees, ws)
		}
	}
	tr := newLTree(lt, heads, m.lab.hashes)
	m.lab.label(tr)
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
// A model file is a gzip stream of: magic, language, tagger classes and
// table, tag dictionary, lemmatizer, parser table, labeller classes and
// table. Tables store sorted 32-bit feature keys (delta varints) and
// weights as bfloat16, which is ample precision for a perceptron.

const modelMagic = "KGNLP4"

type wr struct {
	w   *bufio.Writer
	err error
	tmp [binaryMaxVarint]byte
}

const binaryMaxVarint = 10

func (w *wr) uv(v uint64) {
	if w.err != nil {
		return
	}
	n := 0
	for v >= 0x80 {
		w.tmp[n] = byte(v) | 0x80
		v >>= 7
		n++
	}
	w.tmp[n] = byte(v)
	_, w.err = w.w.Write(w.tmp[:n+1])
}

func (w *wr) str(s string) {
	w.uv(uint64(len(s)))
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

func (w *wr) strs(ss []string) {
	w.uv(uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
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

func (w *wr) tab(t *table) {
	type kr struct {
		k   uint32
		row []float32
	}
	var ks []kr
	var all []float32
	t.each(func(k uint32, row []float32) {
		r := slices.Clone(row)
		ks = append(ks, kr{k, r})
		all = append(all, r...)
	})
	slices.SortFunc(ks, func(a, b kr) int { return int(int64(a.k*hashMul) - int64(b.k*hashMul)) })
	q := newQuant(all)
	w.uv(uint64(t.nc))
	w.uv(uint64(len(ks)))
	w.uv(math.Float64bits(q.lo))
	w.uv(math.Float64bits(q.step))
	prev := uint32(0)
	vals := make([]byte, t.nc)
	// rows are sparse for tagger and labeller: store the non-zero classes
	// only, with all classes implied when the row is dense
	for _, e := range ks {
		w.uv(uint64(e.k*hashMul - prev))
		prev = e.k * hashMul
		nnz := 0
		for c := 0; c < t.nc; c++ {
			vals[c] = q.enc(e.row[c])
			if vals[c] != 0 {
				nnz++
			}
		}
		if t.nc <= 4 {
			// parser rows are dense: no count, no class indices
			for _, v := range vals {
				if w.err == nil {
					w.err = w.w.WriteByte(v)
				}
			}
			continue
		}
		w.uv(uint64(nnz))
		for c := 0; c < t.nc; c++ {
			v := vals[c]
			if nnz != t.nc {
				if v == 0 {
					continue
				}
				w.uv(uint64(c))
			}
			if w.err == nil {
				w.err = w.w.WriteByte(v)
			}
		}
	}
}

// Save writes the model. The file is a multi-member gzip stream (so
// gunzip can still read it): the first member holds the metadata and, in
// its header's extra field, the compressed sizes of the following
// members, one per weight table, so loading can decompress and decode the
// tables in parallel.
func (m *Model) Save(out io.Writer) error {
	var meta bytes.Buffer
	w := &wr{w: bufio.NewWriter(&meta)}
	w.str(modelMagic)
	w.str(m.Lang)
	w.strs(m.tg.classes)
	w.strs(m.ambs)
	words := slices.Sorted(maps.Keys(m.words))
	w.uv(uint64(len(words)))
	for _, k := range words {
		w.str(k)
		w.uv(uint64(m.words[k]))
	}
	dk := slices.Sorted(maps.Keys(m.lem.dict))
	w.uv(uint64(len(dk)))
	for _, k := range dk {
		e := m.lem.dict[k]
		w.str(k)
		w.str(e.lemma)
		w.str(e.feats)
		w.str(e.alts)
	}
	rk := slices.Sorted(maps.Keys(m.lem.rules))
	w.uv(uint64(len(rk)))
	for _, k := range rk {
		r := m.lem.rules[k]
		w.str(k)
		w.uv(uint64(r.strip))
		w.str(r.add)
		w.str(r.feats)
	}
	w.uv(uint64(len(m.parsers)))
	for _, p := range m.parsers {
		w.uv(uint64(p.system))
		rev := uint64(0)
		if p.reverse {
			rev = 1
		}
		w.uv(rev)
		w.uv(uint64(math.Float32bits(p.weight)))
	}
	w.strs(m.lab.classes)
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		return err
	}
	// tables: tagger forward, tagger reverse, parsers, labeller
	tabs := []*table{m.tg.tab, m.tg.rev}
	for _, p := range m.parsers {
		tabs = append(tabs, p.tab)
	}
	tabs = append(tabs, m.lab.tab)
	var members [][]byte
	var sizes []byte
	for _, t := range tabs {
		var raw bytes.Buffer
		tw := &wr{w: bufio.NewWriter(&raw)}
		tw.tab(t)
		if tw.err != nil {
			return tw.err
		}
		if err := tw.w.Flush(); err != nil {
			return err
		}
		z, err := gzipBytes(raw.Bytes(), nil)
		if err != nil {
			return err
		}
		members = append(members, z)
		sizes = binary.AppendUvarint(sizes, uint64(len(z)))
	}
	head, err := gzipBytes(meta.Bytes(), sizes)
	if err != nil {
		return err
	}
	if _, err := out.Write(head); err != nil {
		return err
	}
	for _, z := range members {
		if _, err := out.Write(z); err != nil {
			return err
		}
	}
	return nil
}

func gzipBytes(b, extra []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Extra = extra
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// rd decodes a fully decompressed model from memory; reading byte by
// byte through bufio made loading twice as slow.
type rd struct {
	b   []byte
	pos int
	err error
}

var errCorrupt = errors.New("corrupt model data")

func (r *rd) uv() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	for s := uint(0); s < 64; s += 7 {
		if r.pos >= len(r.b) {
			r.err = fmt.Errorf("%w: unexpected end of data", errCorrupt)
			return 0
		}
		b := r.b[r.pos]
		r.pos++
		v |= uint64(b&0x7f) << s
		if b < 0x80 {
			return v
		}
	}
	r.err = errCorrupt
	return 0
}

// n reads a count and rejects absurd values so corrupt input cannot make
// us allocate gigabytes.
func (r *rd) n(limit uint64) int {
	v := r.uv()
	if v > limit {
		if r.err == nil {
			r.err = fmt.Errorf("%w: count %d over limit %d", errCorrupt, v, limit)
		}
		return 0
	}
	return int(v)
}

func (r *rd) str() string {
	n := r.n(1 << 20)
	if r.err != nil || n == 0 {
		return ""
	}
	if r.pos+n > len(r.b) {
		r.err = fmt.Errorf("%w: truncated string", errCorrupt)
		return ""
	}
	s := string(r.b[r.pos : r.pos+n])
	r.pos += n
	return s
}

func (r *rd) strs() []string {
	n := r.n(1 << 16)
	out := make([]string, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		out = append(out, r.str())
	}
	return out
}

func (r *rd) tab() *table {
	nc := r.n(1 << 8)
	nk := r.n(1 << 23)
	q := quant{math.Float64frombits(r.uv()), math.Float64frombits(r.uv())}
	if r.err != nil {
		return nil
	}
	if nc == 0 || uint64(nk)*uint64(nc) > 1<<26 || uint64(nk) > uint64(len(r.b)) || math.IsNaN(q.lo) || math.IsNaN(q.step) {
		r.err = fmt.Errorf("%w: table %d x %d", errCorrupt, nk, nc)
		return nil
	}
	dq := q.table()
	keys := make([]uint32, nk)
	sparse := nc > 8
	var inl *table // small dense rows go straight into the index
	var row4 [4]float32
	if nc <= 4 {
		inl = newIndex(nc, nk)
	}
	var w, val []float32
	var start []int32
	var cls []uint8
	if sparse {
		start = make([]int32, nk+1)
		cls = make([]uint8, 0, nk*2)
		val = make([]float32, 0, nk*2)
	} else if inl == nil {
		w = make([]float32, nk*nc)
	}
	prev := uint64(0)
	for i := range keys {
		prev += r.uv()
		if prev == 0 || prev > math.MaxUint32 {
			if r.err == nil {
				r.err = fmt.Errorf("%w: bad key", errCorrupt)
			}
			return nil
		}
		keys[i] = uint32(prev) * hashInv
		if inl != nil {
			if r.pos+nc > len(r.b) {
				r.err = fmt.Errorf("%w: truncated weights", errCorrupt)
				return nil
			}
			for c := 0; c < nc; c++ {
				row4[c] = dq[r.b[r.pos+c]]
			}
			r.pos += nc
			inl.insert(keys[i], i, row4[:nc])
			continue
		}
		nnz := r.n(uint64(nc))
		for j := 0; j < nnz && r.err == nil; j++ {
			c := j
			if nnz != nc {
				c = r.n(uint64(nc - 1))
			}
			if r.pos >= len(r.b) {
				r.err = fmt.Errorf("%w: truncated weights", errCorrupt)
				break
			}
			v := dq[r.b[r.pos]]
			r.pos++
			switch {
			case sparse:
				if v != 0 {
					cls = append(cls, uint8(c))
					val = append(val, v)
				}
			default:
				w[i*nc+c] = v
			}
		}
		if r.err != nil {
			return nil
		}
		if sparse {
			start[i+1] = int32(len(cls))
		}

	}
	if inl != nil {
		return inl
	}
	t := indexTable(nc, keys, w)
	if sparse {
		t.start, t.cls, t.val = start, cls, val
	} else if nc > 4 {
		t.w = w
	}
	return t
}

// ReadModel reads a model written by Save.
func ReadModel(in io.Reader) (*Model, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	// member sizes from the first member's extra field
	var sizes []int
	total := 0
	for ex := zr.Extra; len(ex) > 0; {
		v, n := binary.Uvarint(ex)
		if n <= 0 || v > uint64(len(data)) {
			return nil, fmt.Errorf("%w: bad member index", errCorrupt)
		}
		sizes = append(sizes, int(v))
		total += int(v)
		ex = ex[n:]
	}
	if total >= len(data) || len(sizes) < 4 {
		return nil, fmt.Errorf("%w: bad member index", errCorrupt)
	}
	zr.Multistream(false)
	meta, err := readAllSized(zr, 1<<20)
	if err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", errCorrupt, err)
	}
	// decode the tables in parallel while the metadata is parsed here
	tabs := make([]*table, len(sizes))
	errs := make([]error, len(sizes))
	var wg sync.WaitGroup
	off := len(data) - total
	for i, sz := range sizes {
		member := data[off : off+sz]
		off += sz
		wg.Add(1)
		go func() {
			defer wg.Done()
			tabs[i], errs[i] = decodeTable(member)
		}()
	}
	m, err := decodeMeta(meta)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for i, e := range errs {
		if e != nil {
			return nil, fmt.Errorf("table %d: %w", i, e)
		}
	}
	np := len(m.parsers)
	if len(tabs) != np+3 {
		return nil, fmt.Errorf("%w: %d tables for %d parsers", errCorrupt, len(tabs), np)
	}
	m.tg.tab, m.tg.rev = tabs[0], tabs[1]
	for i, p := range m.parsers {
		p.tab = tabs[2+i]
		if p.tab.nc != nActions {
			return nil, fmt.Errorf("%w: parser table has %d classes", errCorrupt, p.tab.nc)
		}
	}
	m.lab.tab = tabs[len(tabs)-1]
	if m.tg.tab.nc != len(m.tg.classes) || m.tg.rev.nc != len(m.tg.classes) || m.lab.tab.nc != len(m.lab.classes) {
		return nil, fmt.Errorf("%w: class counts do not match tables", errCorrupt)
	}
	return m, nil
}

// readAllSized decompresses with a size hint to avoid regrowing.
func readAllSized(r io.Reader, hint int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(hint)
	_, err := io.Copy(&buf, r)
	return buf.Bytes(), err
}

func decodeTable(member []byte) (*table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(member))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	hint := 1 << 16
	if len(member) >= 4 {
		// gzip trailer: uncompressed size mod 2^32
		hint = int(binary.LittleEndian.Uint32(member[len(member)-4:])) + 1
		hint = min(hint, 64<<20, len(member)*1100) // never trust it blindly
	}
	raw, err := readAllSized(zr, hint)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	r := &rd{b: raw}
	t := r.tab()
	if r.err != nil {
		return nil, r.err
	}
	return t, nil
}

func decodeMeta(b []byte) (*Model, error) {
	r := &rd{b: b}
	if mg := r.str(); r.err == nil && mg != modelMagic {
		return nil, fmt.Errorf("%w: bad magic %q", errCorrupt, mg)
	}
	m := &Model{Lang: r.str()}
	classes := r.strs()
	m.ambs = r.strs()
	nw := r.n(1 << 24)
	m.words = make(map[string]int, min(nw, len(b)/2))
	m.tagdict = make(map[string]uint64, min(nw, len(b)/2))
	ah := make([]uint64, len(m.ambs))
	for i, a := range m.ambs {
		ah[i] = strHash("a:" + a)
	}
	for i := 0; i < nw && r.err == nil; i++ {
		k := r.str()
		v := r.n(uint64(len(m.ambs)))
		if r.err == nil && v >= len(m.ambs) {
			r.err = fmt.Errorf("%w: ambiguity class %d", errCorrupt, v)
			break
		}
		m.words[k] = v
		if r.err == nil {
			m.tagdict[k] = ah[v]
		}
	}
	m.lem = &lemmatizer{dict: map[string]lemEntry{}, rules: map[string]lemRule{}}
	nd := r.n(1 << 24)
	for i := 0; i < nd && r.err == nil; i++ {
		k := r.str()
		m.lem.dict[k] = lemEntry{lemma: r.str(), feats: r.str(), alts: r.str()}
	}
	nr := r.n(1 << 24)
	for i := 0; i < nr && r.err == nil; i++ {
		k := r.str()
		m.lem.rules[k] = lemRule{strip: r.n(1 << 10), add: r.str(), feats: r.str()}
	}
	np := r.n(8)
	for i := 0; i < np && r.err == nil; i++ {
		p := &parserModel{system: r.n(sysHybrid), reverse: r.n(1) == 1, weight: math.Float32frombits(uint32(r.n(math.MaxUint32)))}
		m.parsers = append(m.parsers, p)
	}
	lclasses := r.strs()
	if r.err != nil {
		return nil, r.err
	}
	if len(m.parsers) == 0 || len(classes) == 0 {
		return nil, fmt.Errorf("%w: no parser or tagger classes", errCorrupt)
	}
	m.tg = &tagger{classes: classes, hashes: classHashes(classes)}
	m.lab = &labeler{classes: lclasses, hashes: labelHashes(lclasses), rootIdx: slices.Index(lclasses, "root")}
	if m.lab.rootIdx < 0 {
		return nil, fmt.Errorf("%w: no root label", errCorrupt)
	}
	return m, nil
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
