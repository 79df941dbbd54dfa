package nlp

import (
	"fmt"
	"math"
	"runtime"
	"slices"
)

// scorer sums, for each class, the weights of a list of features.
type scorer interface {
	score(feats []uint32, out []float32)
}

// qtable is the weight table of a loaded model, laid out for the cache.
// Scoring is bound by memory latency: each decision looks up tens of
// features at random places in megabytes of weights. So a feature is
// found in one step, with a minimal perfect hash: the key's bucket gives
// a pilot (a small array, mostly in cache), key and pilot give the slot,
// and the slot holds the key, to tell absent features, next to every
// class weight of the feature as a one-byte code (dq maps codes to
// weights). Scoring first computes and touches all the slots of a
// decision, a few independent instructions each, so the processor has
// dozens of cache misses in flight, then adds the weights up.
//
// Dense tables (at most 4 classes: the parsers) have 2 words a slot: the
// key and its 4 codes. Sparse tables (tagger, labeller: many classes,
// few of them non-zero per feature) have 4 words a slot: the key and up
// to 6 (class, code) byte pairs; a feature with more has overMark as its
// first class byte and, in the next 3 bytes, the index into over of its
// count and pairs. Empty slots have key 0.
type qtable struct {
	nc     int
	n      int // number of features
	sparse bool
	m      uint32 // number of slots
	seed   uint64
	pilots []uint16
	w      []uint32 // slots
	over   []uint16 // sparse rows longer than 6: count, then class | code<<8
	dq     [256]float32
}

const (
	sparseInline = 6 // (class, code) pairs held in a sparse slot
	overMark     = 0xff
	maxClasses   = 250 // class indices are bytes; 250-255 are spare
	// perfect hash: about 5 keys a pilot, 3% of the slots left empty,
	// which keeps building fast and pilots small
	keysPerPilot = 5
	slotLoad     = 0.97
	maxFeats     = 128 // features scored in one pass; longer lists are split
)

func (t *qtable) slotWords() int {
	if t.sparse {
		return 4
	}
	return 2
}

// slot is the only place feature f can be.
func (t *qtable) slot(f uint32) int {
	h := (uint64(f) ^ t.seed) * 0x9e3779b97f4a7c15
	p := t.pilots[((h>>32)*uint64(len(t.pilots)))>>32]
	return slotOf(h, p, t.m)
}

func slotOf(h uint64, pilot uint16, m uint32) int {
	x := (h ^ uint64(pilot)*0xc4ceb9fe1a85ec53) * 0xff51afd7ed558ccd
	return int(((x >> 32) * uint64(m)) >> 32)
}

func (t *qtable) score(feats []uint32, out []float32) {
	if t.sparse {
		t.scoreSparse(feats, out)
		return
	}
	var a0, a1, a2, a3 float32
	var pos [maxFeats]int
	w := t.w
	for len(feats) > 0 {
		fs := feats[:min(len(feats), maxFeats)]
		feats = feats[len(fs):]
		t.locate(fs, &pos)
		for i, f := range fs {
			s := w[pos[i] : pos[i]+2 : pos[i]+2]
			// an absent feature reads zero codes, which add nothing
			c := s[1] & eqMask(s[0], f)
			a0 += t.dq[uint8(c)]
			a1 += t.dq[uint8(c>>8)]
			a2 += t.dq[uint8(c>>16)]
			a3 += t.dq[uint8(c>>24)]
		}
	}
	acc := [4]float32{a0, a1, a2, a3}
	n := min(len(out), t.nc)
	copy(out, acc[:n])
	clear(out[n:])
}

// locate fills pos with the word offset of each feature's slot and
// touches the slot, so that the lookups after it hit the cache. Each
// step is a few instructions independent of the others: the processor
// overlaps the misses, where the whole lookups, longer, would leave it
// waiting for one miss at a time (measured: twice as fast).
func (t *qtable) locate(fs []uint32, pos *[maxFeats]int) {
	var sum uint32
	sw := t.slotWords()
	for i, f := range fs {
		p := t.slot(f) * sw
		pos[i] = p
		sum += t.w[p]
	}
	if sum == math.MaxUint32 {
		runtime.Gosched() // never mind: this only keeps the loads from being optimized away
	}
}

// eqMask is all ones if a == b, else 0, computed without a branch.
func eqMask(a, b uint32) uint32 {
	x := a ^ b
	return (x|-x)>>31 - 1
}

func (t *qtable) scoreSparse(feats []uint32, out []float32) {
	var acc [256]float32
	var pos [maxFeats]int
	w := t.w
	for len(feats) > 0 {
		fs := feats[:min(len(feats), maxFeats)]
		feats = feats[len(fs):]
		t.locate(fs, &pos)
		if len(t.over) > 0 {
			t.locateOver(fs, &pos)
		}
		for i, f := range fs {
			s := w[pos[i] : pos[i]+4 : pos[i]+4]
			m := eqMask(s[0], f)
			p0, p1, p2 := s[1]&m|nullPairs[0]&^m, s[2]&m|nullPairs[1]&^m, s[3]&m|nullPairs[2]&^m
			if uint8(p0) == overMark {
				t.addOver(&acc, int(p0>>8))
				continue
			}
			// an absent feature and unused pairs add zero to spare classes
			acc[uint8(p0)] += t.dq[uint8(p0>>8)]
			acc[uint8(p0>>16)] += t.dq[uint8(p0>>24)]
			acc[uint8(p1)] += t.dq[uint8(p1>>8)]
			acc[uint8(p1>>16)] += t.dq[uint8(p1>>24)]
			acc[uint8(p2)] += t.dq[uint8(p2>>8)]
			acc[uint8(p2>>16)] += t.dq[uint8(p2>>24)]
		}
	}
	n := min(len(out), t.nc)
	copy(out, acc[:n])
	clear(out[n:])
}

// locateOver touches the pairs of the features stored in over (about 1
// in 20), once their slots are in, for the same reason as locate.
func (t *qtable) locateOver(fs []uint32, pos *[maxFeats]int) {
	var sum uint16
	for i, f := range fs {
		if p := pos[i]; t.w[p] == f && uint8(t.w[p+1]) == overMark {
			if at := int(t.w[p+1] >> 8); at < len(t.over) {
				sum += t.over[at]
			}
		}
	}
	if sum == math.MaxUint16 {
		runtime.Gosched() // as in locate
	}
}

func (t *qtable) addOver(acc *[256]float32, at int) {
	if at >= len(t.over) {
		return
	}
	n := int(t.over[at])
	if at+1+n > len(t.over) {
		return
	}
	for _, p := range t.over[at+1 : at+1+n] {
		acc[uint8(p)] += t.dq[uint8(p>>8)]
	}
}

// nullPairs are the pairs of a sparse slot with no feature: code 0 (a
// zero weight) for spare classes 250-255, one per pair, so that the adds
// of absent features and unused pairs form no chain of dependent
// additions on one accumulator (with all of them on class 0, scoring
// took twice as long).
var nullPairs = [3]uint32{250 | 251<<16, 252 | 253<<16, 254 | 255<<16}

// features reports the number of features.
func (t *qtable) features() int { return t.n }

// ---- writing and reading ----
//
// On file a table is: nc, the number of features n, of slots m and of
// pilots (4 bytes each), the hash seed and the quantizer (8 bytes each),
// the pilots (2 bytes each), then every slot in order. A dense table's
// slots are their memory image, the key and the 4 codes (8 zero bytes if
// empty), copied in one go; a sparse one's are its key (4 bytes, 0 if
// empty) and, for a feature, a count and that many (class, code) byte
// pairs, read front to back into the slots. Numbers are little-endian.

// quantRow is a feature's row as codes.
type quantRow struct {
	key   uint32
	codes []byte // nc codes
}

// appendTable encodes float table t (training's) for the model file.
func appendTable(out []byte, t *table) []byte {
	var all []float32
	t.each(func(k uint32, row []float32) {
		all = append(all, row...)
	})
	q := newQuant(all)
	var rows []quantRow
	t.each(func(k uint32, row []float32) {
		cs := make([]byte, t.nc)
		nz := false
		for c, v := range row {
			cs[c] = q.enc(v)
			nz = nz || cs[c] != 0
		}
		if nz { // a row of zero codes weighs nothing
			rows = append(rows, quantRow{k, cs})
		}
	})
	slices.SortFunc(rows, func(a, b quantRow) int { return cmpU32(a.key, b.key) })
	keys := make([]uint32, len(rows))
	for i, r := range rows {
		keys[i] = r.key
	}
	m, seed, pilots, at := buildPHF(keys)
	out = appendU32(out, uint32(t.nc))
	out = appendU32(out, uint32(len(rows)))
	out = appendU32(out, m)
	out = appendU32(out, uint32(len(pilots)))
	out = appendU64(out, seed)
	out = appendU64(out, math.Float64bits(q.lo))
	out = appendU64(out, math.Float64bits(q.step))
	for _, p := range pilots {
		out = append(out, byte(p), byte(p>>8))
	}
	sparse := t.nc > 4
	for _, r := range at {
		if r < 0 {
			out = appendU32(out, 0)
			if !sparse {
				out = appendU32(out, 0) // dense slots are their memory image
			}
			continue
		}
		row := rows[r]
		out = appendU32(out, row.key)
		if !sparse {
			var c4 [4]byte
			copy(c4[:], row.codes)
			out = append(out, c4[:]...)
			continue
		}
		nnz := 0
		for _, c := range row.codes {
			if c != 0 {
				nnz++
			}
		}
		out = append(out, byte(nnz))
		for c, v := range row.codes {
			if v != 0 {
				out = append(out, byte(c), v)
			}
		}
	}
	return out
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// buildPHF finds a minimal-ish perfect hash of keys (distinct, non-zero)
// in the manner of PTHash: keys are grouped in buckets, and the buckets,
// largest first, each get the first pilot that sends all their keys to
// free slots. It returns the number of slots, the seed, the pilots and,
// per slot, the index of its key (-1 if empty). Deterministic.
func buildPHF(keys []uint32) (m uint32, seed uint64, pilots []uint16, at []int) {
	n := len(keys)
	m = uint32(float64(n)/slotLoad) + 1
	nb := n/keysPerPilot + 1
	for seed = 0; ; seed++ {
		t := &qtable{m: m, seed: seed, pilots: make([]uint16, nb)}
		hs := make([]uint64, n)
		buckets := make([][]int, nb)
		for i, k := range keys {
			hs[i] = (uint64(k) ^ seed) * 0x9e3779b97f4a7c15
			b := ((hs[i] >> 32) * uint64(nb)) >> 32
			buckets[b] = append(buckets[b], i)
		}
		order := make([]int, nb)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return len(buckets[b]) - len(buckets[a]) })
		at = make([]int, m)
		for i := range at {
			at[i] = -1
		}
		ok := true
		ps := make([]int, 0, 16)
		for _, b := range order {
			ks := buckets[b]
			if len(ks) == 0 {
				break
			}
			found := false
			for p := 0; p <= math.MaxUint16 && !found; p++ {
				ps = ps[:0]
				found = true
				for _, i := range ks {
					s := slotOf(hs[i], uint16(p), m)
					if at[s] >= 0 || slices.Contains(ps, s) {
						found = false
						break
					}
					ps = append(ps, s)
				}
				if found {
					t.pilots[b] = uint16(p)
					for j, i := range ks {
						at[ps[j]] = i
					}
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			return m, seed, t.pilots, at
		}
	}
}

// qtableWords returns the number of words the slots of the table encoded
// in s take (0 if s is too short to tell).
func qtableWords(s string) int {
	if len(s) < 16 {
		return 0
	}
	w := 2
	if le32(s, 0) > 4 {
		w = 4
	}
	return int(min(le32(s, 8), 1<<26)) * w
}

// readQTable reads a table written by appendTable into mem, zeroed words
// of length qtableWords(s); nil mem allocates them.
func readQTable(s string, mem []uint32) (*qtable, error) {
	r := &frd{s: s}
	nc, n, m, np := int(r.u32()), int(r.u32()), r.u32(), int(r.u32())
	seed := r.u64()
	q := quant{math.Float64frombits(r.u64()), math.Float64frombits(r.u64())}
	if r.err != nil {
		return nil, r.err
	}
	if nc == 0 || nc > maxClasses || n > len(s) || m == 0 || int(m) < n || int(m) > n+n/16+16 || np != n/keysPerPilot+1 ||
		math.IsNaN(q.lo) || math.IsNaN(q.step) {
		return nil, fmt.Errorf("%w: table of %d classes, %d keys, %d slots, %d pilots", errCorrupt, nc, n, m, np)
	}
	t := &qtable{nc: nc, n: n, sparse: nc > 4, m: m, seed: seed, dq: q.table()}
	sw := t.slotWords()
	if mem == nil {
		mem = make([]uint32, int(m)*sw)
	}
	if len(mem) != int(m)*sw {
		return nil, fmt.Errorf("%w: table memory of %d words for %d slots", errCorrupt, len(mem), m)
	}
	t.w = mem
	ps := r.bytes(2 * np)
	if r.err != nil {
		return nil, r.err
	}
	t.pilots = make([]uint16, np)
	for i := range t.pilots {
		t.pilots[i] = uint16(ps[2*i]) | uint16(ps[2*i+1])<<8
	}
	keys := 0
	if !t.sparse {
		// the slots as they lie in memory: one copy
		img := r.bytes(int(m) * 8)
		if r.err != nil {
			return nil, r.err
		}
		copyWords(t.w, img)
		for i := 0; i < len(t.w); i += 2 {
			if t.w[i] != 0 {
				keys++
			}
		}
	}
	for i := 0; i < int(m) && t.sparse; i++ {
		k := r.u32()
		if r.err != nil {
			return nil, r.err
		}
		if k == 0 {
			continue
		}
		keys++
		sl := t.w[i*sw : i*sw+sw]
		sl[0] = k
		nnz := int(r.u8())
		pairs := r.bytes(2 * nnz)
		if r.err != nil {
			return nil, r.err
		}
		for p := 0; p < nnz; p++ {
			if int(pairs[2*p]) >= nc {
				return nil, fmt.Errorf("%w: class %d of %d", errCorrupt, pairs[2*p], nc)
			}
		}
		if nnz <= sparseInline {
			copy(sl[1:], nullPairs[:])
			for p := 0; p < nnz; p++ {
				sh := 16 * (p % 2)
				sl[1+p/2] = sl[1+p/2]&^(0xffff<<sh) | (uint32(pairs[2*p])|uint32(pairs[2*p+1])<<8)<<sh
			}
			continue
		}
		at := len(t.over)
		if at >= 1<<24 {
			return nil, fmt.Errorf("%w: too many long rows", errCorrupt)
		}
		sl[1] = overMark | uint32(at)<<8
		t.over = append(t.over, uint16(nnz))
		for p := 0; p < nnz; p++ {
			t.over = append(t.over, uint16(pairs[2*p])|uint16(pairs[2*p+1])<<8)
		}
	}
	if keys != n || r.pos != len(s) {
		return nil, fmt.Errorf("%w: %d keys for %d, %d bytes after the table", errCorrupt, keys, n, len(s)-r.pos)
	}
	return t, nil
}
