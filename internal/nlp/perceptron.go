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

// table is the frozen, averaged model: an open-addressing hash table from
// feature key to a row of class weights.
type table struct {
	nc   int
	mask uint32
	keys []uint32 // 0 = empty
	slot []int32  // row index for each key slot
	w    []float32
}

func (t *table) score(feats []uint32, out []float32) {
	for i := range out {
		out[i] = 0
	}
	if len(t.keys) == 0 {
		return
	}
	nc := t.nc
	for _, f := range feats {
		i := (f * 2654435761) & t.mask
		for {
			k := t.keys[i]
			if k == f {
				r := int(t.slot[i]) * nc
				row := t.w[r : r+nc]
				for c, v := range row {
					out[c] += v
				}
				break
			}
			if k == 0 {
				break
			}
			i = (i + 1) & t.mask
		}
	}
}

// buildTable lays out keys and rows; rows is len(keys)*nc.
func buildTable(nc int, keys []uint32, rows []float32) *table {
	size := uint32(16)
	for size < uint32(len(keys))*2 {
		size <<= 1
	}
	t := &table{nc: nc, mask: size - 1, keys: make([]uint32, size), slot: make([]int32, size), w: rows}
	for r, k := range keys {
		i := (k * 2654435761) & t.mask
		for t.keys[i] != 0 && t.keys[i] != k {
			i = (i + 1) & t.mask
		}
		t.keys[i] = k
		t.slot[i] = int32(r)
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
func (t *table) size() int {
	n := 0
	for _, k := range t.keys {
		if k != 0 {
			n++
		}
	}
	return n
}

func argmax(sc []float32, valid func(int) bool) int {
	best, bi := float32(math.Inf(-1)), -1
	for c, v := range sc {
		if (valid == nil || valid(c)) && (bi < 0 || v > best) {
			best, bi = v, c
		}
	}
	return bi
}
