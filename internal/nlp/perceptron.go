package nlp

import "math"

// Features are hashed to 32-bit keys: a collision costs a little accuracy
// but keeps the embedded models small and avoids a string vocabulary.

// strHash is FNV-1a over a string, the per-token building block of features.
func strHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func mix(h, v uint64) uint64 {
	h ^= v + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// fkey folds a feature hash to a non-zero 32-bit key (0 marks empty slots).
func fkey(h uint64) uint32 {
	h *= 0xc4ceb9fe1a85ec53
	k := uint32(h>>32) ^ uint32(h)
	if k == 0 {
		k = 1
	}
	return k
}

func f1(t, a uint64) uint32       { return fkey(mix(t, a)) }
func f2(t, a, b uint64) uint32    { return fkey(mix(mix(t, a), b)) }
func f3(t, a, b, c uint64) uint32 { return fkey(mix(mix(mix(t, a), b), c)) }

// trainer is an averaged perceptron with dense per-feature class rows and
// lazy averaging (weights, running totals and last-update timestamps).
type trainer struct {
	allow map[uint32]bool // if set, only these features get weights
	nc    int
	index map[uint32]int32
	w     []float32
	tot   []float64
	ts    []int32
	step  int32
}

func newTrainer(nc int) *trainer {
	return &trainer{nc: nc, index: make(map[uint32]int32)}
}

func (p *trainer) score(feats []uint32, out []float32) {
	for i := range out {
		out[i] = 0
	}
	for _, f := range feats {
		r, ok := p.index[f]
		if !ok {
			continue
		}
		row := p.w[int(r)*p.nc : int(r+1)*p.nc]
		for c, v := range row {
			out[c] += v
		}
	}
}

func (p *trainer) row(f uint32) int {
	r, ok := p.index[f]
	if !ok {
		r = int32(len(p.index))
		p.index[f] = r
		for i := 0; i < p.nc; i++ {
			p.w = append(p.w, 0)
			p.tot = append(p.tot, 0)
			p.ts = append(p.ts, 0)
		}
	}
	return int(r) * p.nc
}

func (p *trainer) upd(i int, d float32) {
	p.tot[i] += float64(p.step-p.ts[i]) * float64(p.w[i])
	p.ts[i] = p.step
	p.w[i] += d
}

// tick advances the averaging clock; call once per training example.
func (p *trainer) tick() { p.step++ }

// update moves weights towards class truth and away from class guess.
func (p *trainer) update(feats []uint32, truth, guess int) {
	if truth == guess {
		return
	}
	for _, f := range feats {
		if p.allow != nil && !p.allow[f] {
			continue
		}
		b := p.row(f)
		p.upd(b+truth, 1)
		p.upd(b+guess, -1)
	}
}

// table is training's frozen, averaged model (full-precision weights,
// used to tag the jackknife folds; Save quantizes it into a qtable): an
// open-addressing hash table from feature key to a row of class weights.
// Each slot keeps its key next to its row index, and the 4-class parser
// tables keep the weights themselves in the slot.
type table struct {
	nc    int
	n     int    // number of features
	size  uint32 // number of slots (about 1.4 per feature)
	ents  []ent  // nc > 4
	dents []dent // nc <= 4: weights inline
	w     []float32
}

type ent struct {
	key uint32 // 0 = empty
	row int32
}

type dent struct {
	key uint32
	w   [4]float32
}

func (t *table) score(feats []uint32, out []float32) {
	for i := range out {
		out[i] = 0
	}
	if t.dents != nil {
		var acc [4]float32
		for _, f := range feats {
			i := t.slotOf(f)
			for {
				e := &t.dents[i]
				if e.key == f {
					acc[0] += e.w[0]
					acc[1] += e.w[1]
					acc[2] += e.w[2]
					acc[3] += e.w[3]
					break
				}
				if e.key == 0 {
					break
				}
				if i++; i == t.size {
					i = 0
				}
			}
		}
		copy(out, acc[:])
		return
	}
	if len(t.ents) == 0 {
		return
	}
	nc := t.nc
	for _, f := range feats {
		i := t.slotOf(f)
		for {
			e := t.ents[i]
			if e.key == f {
				r := int(e.row)
				row := t.w[r*nc : r*nc+nc]
				for c, v := range row {
					out[c] += v
				}
				break
			}
			if e.key == 0 {
				break
			}
			if i++; i == t.size {
				i = 0
			}
		}
	}
}

// slotOf maps a key to its home slot (multiply-shift range reduction of
// a mixed key, so the table size need not be a power of two).
func (t *table) slotOf(k uint32) uint32 {
	return uint32((uint64(k*hashMul) * uint64(t.size)) >> 32)
}

// hashMul scrambles keys for slotOf.
const hashMul uint32 = 2654435761

func newIndex(nc, n int) *table {
	size := uint32(n + n*2/5 + 16)
	t := &table{nc: nc, size: size}
	if nc <= 4 {
		t.dents = make([]dent, size)
	} else {
		t.ents = make([]ent, size)
	}
	return t
}

// insert adds key k with row index r (and, for inline tables, its weights).
func (t *table) insert(k uint32, r int, row []float32) {
	i := t.slotOf(k)
	if t.dents != nil {
		for t.dents[i].key != 0 && t.dents[i].key != k {
			if i++; i == t.size {
				i = 0
			}
		}
		if t.dents[i].key == 0 {
			t.n++
		}
		t.dents[i].key = k
		copy(t.dents[i].w[:], row)
		return
	}
	for t.ents[i].key != 0 && t.ents[i].key != k {
		if i++; i == t.size {
			i = 0
		}
	}
	if t.ents[i].key == 0 {
		t.n++
	}
	t.ents[i] = ent{k, int32(r)}
}

// each calls fn with every feature key and its dense row of weights
// (valid only during the call).
func (t *table) each(fn func(key uint32, row []float32)) {
	for i := range t.dents {
		if e := &t.dents[i]; e.key != 0 {
			fn(e.key, e.w[:t.nc])
		}
	}
	for _, e := range t.ents {
		if e.key == 0 {
			continue
		}
		r := int(e.row)
		fn(e.key, t.w[r*t.nc:(r+1)*t.nc])
	}
}

// buildTable lays out keys and rows; rows is len(keys)*nc.
func buildTable(nc int, keys []uint32, rows []float32) *table {
	t := indexTable(nc, keys, rows)
	t.w = rows
	return t
}

// indexTable builds the hash index of keys; row i belongs to keys[i].
// For nc <= 4 the rows' weights are copied into the slots.
func indexTable(nc int, keys []uint32, rows []float32) *table {
	t := newIndex(nc, len(keys))
	for r, k := range keys {
		var row []float32
		if nc <= 4 {
			row = rows[r*nc : (r+1)*nc]
		}
		t.insert(k, r, row)
	}
	return t
}

// freeze averages the weights and drops features whose largest absolute
// averaged weight is below prune, to keep the model small.
func (p *trainer) freeze(prune float32) *table {
	keys := make([]uint32, 0, len(p.index))
	var rows []float32
	T := float64(p.step)
	if T == 0 {
		T = 1
	}
	for k, r := range p.index {
		b := int(r) * p.nc
		mx := float32(0)
		avg := make([]float32, p.nc)
		for c := 0; c < p.nc; c++ {
			i := b + c
			tot := p.tot[i] + float64(p.step-p.ts[i])*float64(p.w[i])
			avg[c] = float32(tot / T)
			if a := float32(math.Abs(float64(avg[c]))); a > mx {
				mx = a
			}
		}
		if mx < prune || mx == 0 {
			continue
		}
		keys = append(keys, k)
		rows = append(rows, avg...)
	}
	return buildTable(p.nc, keys, rows)
}

// size reports the number of features in a frozen table.
func (t *table) features() int { return t.n }

func argmax(sc []float32, valid func(int) bool) int {
	best, bi := float32(math.Inf(-1)), -1
	for c, v := range sc {
		if (valid == nil || valid(c)) && (bi < 0 || v > best) {
			best, bi = v, c
		}
	}
	return bi
}
