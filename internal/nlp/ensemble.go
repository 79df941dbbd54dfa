package nlp

// Parsers can be combined (Sagae & Lavie 2006): each votes for one head
// per word, and the highest-scoring projective tree over the votes is
// found with Eisner's algorithm. Diversity comes from parsing in both
// directions and with both transition systems.

// parserModel is one trained parser.
type parserModel struct {
	system  int
	reverse bool // parses the sentence right to left
	weight  float32
	tab     scorer
}

// reverseToks mirrors parser inputs: word i becomes n+1-i, root stays 0.
func reverseToks(pt []ptok, w *work) []ptok {
	n := len(pt) - 1
	r := w.ptokSlice(len(pt))
	r[0] = pt[0]
	for i := 1; i <= n; i++ {
		r[i] = pt[n+1-i]
	}
	return r
}

// mirrorHeads maps heads of a mirrored sentence back (and vice versa).
func mirrorHeads(h []int, w *work) []int {
	n := len(h) - 1
	out := w.intSlice(len(h))
	out[0] = h[0]
	for i := 1; i <= n; i++ {
		hd := h[n+1-i]
		if hd > 0 {
			hd = n + 1 - hd
		}
		out[i] = hd
	}
	return out
}

func (p *parserModel) parse(pt []ptok, w *work) []int {
	n := len(pt) - 1
	if !p.reverse {
		return parseGreedy(p.system, p.tab, pt, n, w)
	}
	return mirrorHeads(parseGreedy(p.system, p.tab, reverseToks(pt, w), n, w), w)
}

// maxEisner bounds the cubic combination; longer sentences keep the
// first parser's tree.
const maxEisner = 160

// combine returns the best projective single-rooted tree under the
// parsers' weighted votes.
func combine(trees [][]int, weights []float32, w *work) []int {
	n := len(trees[0]) - 1
	agree := true
	for _, t := range trees[1:] {
		for i := 1; i <= n; i++ {
			if t[i] != trees[0][i] {
				agree = false
				break
			}
		}
	}
	if agree || n > maxEisner || n < 2 {
		return trees[0]
	}
	m := n + 1
	sc := w.f32Slice(m * m) // sc[h*m+d]
	for k, t := range trees {
		for d := 1; d <= n; d++ {
			if h := t[d]; h >= 0 && h <= n {
				sc[h*m+d] += weights[k]
			}
		}
	}
	return eisner(sc, n, w)
}

// eisner finds the maximum projective tree over words 1..n with a single
// word attached to the root 0. sc[h*(n+1)+d] scores arc h -> d.
func eisner(sc []float32, n int, w *work) []int {
	m := n + 1
	idx := func(i, j int) int { return i*m + j }
	// complete/incomplete spans; L = head at right end, R = head at left end
	cL, cR := w.f32Slice(m*m), w.f32Slice(m*m)
	iL, iR := w.f32Slice(m*m), w.f32Slice(m*m)
	bcL, bcR := w.int32Slice(m*m), w.int32Slice(m*m)
	biL, biR := w.int32Slice(m*m), w.int32Slice(m*m)
	for k := 1; k < n; k++ {
		for i := 1; i+k <= n; i++ {
			j := i + k
			best, br := float32(-1e30), i
			for r := i; r < j; r++ {
				if v := cR[idx(i, r)] + cL[idx(r+1, j)]; v > best {
					best, br = v, r
				}
			}
			iL[idx(i, j)] = best + sc[idx(j, i)]
			iR[idx(i, j)] = best + sc[idx(i, j)]
			biL[idx(i, j)], biR[idx(i, j)] = int32(br), int32(br)
			best, br = -1e30, i
			for r := i; r < j; r++ {
				if v := cL[idx(i, r)] + iL[idx(r, j)]; v > best {
					best, br = v, r
				}
			}
			cL[idx(i, j)], bcL[idx(i, j)] = best, int32(br)
			best, br = -1e30, j
			for r := i + 1; r <= j; r++ {
				if v := iR[idx(i, r)] + cR[idx(r, j)]; v > best {
					best, br = v, r
				}
			}
			cR[idx(i, j)], bcR[idx(i, j)] = best, int32(br)
		}
	}
	head := w.intSlice(m)
	head[0] = -1
	best, root := float32(-1e30), 1
	for r := 1; r <= n; r++ {
		if v := sc[idx(0, r)] + cL[idx(1, r)] + cR[idx(r, n)]; v > best {
			best, root = v, r
		}
	}
	head[root] = 0
	// iterative backtracking over (kind, i, j)
	type span struct{ kind, i, j int } // 0 cL, 1 cR, 2 iL, 3 iR
	stack := []span{{0, 1, root}, {1, root, n}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.i >= s.j {
			continue
		}
		k := idx(s.i, s.j)
		switch s.kind {
		case 0:
			r := int(bcL[k])
			stack = append(stack, span{0, s.i, r}, span{2, r, s.j})
		case 1:
			r := int(bcR[k])
			stack = append(stack, span{3, s.i, r}, span{1, r, s.j})
		case 2:
			head[s.i] = s.j
			r := int(biL[k])
			stack = append(stack, span{1, s.i, r}, span{0, r + 1, s.j})
		case 3:
			head[s.j] = s.i
			r := int(biR[k])
			stack = append(stack, span{1, s.i, r}, span{0, r + 1, s.j})
		}
	}
	return head
}
