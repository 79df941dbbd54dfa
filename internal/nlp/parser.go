package nlp

// Arc-eager transition parser (Nivre 2003) with the Zhang & Nivre (2011)
// feature set (distance, valency, second and third order features) and a
// dynamic oracle (Goldberg & Nivre 2012) for training. Arcs are unlabelled;
// labels come afterwards from a labeller that sees the whole tree.

const (
	actShift = iota
	actReduce
	actLeft
	actRight
	nActions
)

// ptok holds the hashes the parser needs for one word (index 0 is root).
type ptok struct{ w, p, form, suf, amb uint64 }

type pstate struct {
	n                          int
	stack                      []int
	inStack                    []bool
	b                          int
	head                       []int
	lc1, lc2, rc1, rc2, nl, nr []int
	rootChild                  int
}

func newPState(n int, w *work) *pstate {
	s := &pstate{n: n, b: 1, rootChild: -1}
	m := n + 1
	all := w.intSlice(7 * m)
	s.head, s.lc1, s.lc2, s.rc1, s.rc2, s.nl, s.nr = all[:m], all[m:2*m], all[2*m:3*m], all[3*m:4*m], all[4*m:5*m], all[5*m:6*m], all[6*m:]
	for i := 0; i < m; i++ {
		s.head[i], s.lc1[i], s.lc2[i], s.rc1[i], s.rc2[i] = -1, -1, -1, -1, -1
	}
	s.inStack = w.boolSlice(m)
	s.stack = w.intSlice(m)[:1]
	s.inStack[0] = true
	return s
}

func (s *pstate) s0() int    { return s.stack[len(s.stack)-1] }
func (s *pstate) done() bool { return s.b > s.n }

func (s *pstate) valid(a int) bool {
	s0 := s.s0()
	switch a {
	case actShift:
		return s.b <= s.n
	case actReduce:
		return s0 != 0 && s.head[s0] >= 0
	case actLeft:
		return s.b <= s.n && s0 != 0 && s.head[s0] < 0
	case actRight:
		return s.b <= s.n && (s0 != 0 || s.rootChild < 0)
	}
	return false
}

func (s *pstate) arc(h, d int) {
	s.head[d] = h
	if h == 0 {
		s.rootChild = d
		return
	}
	if d < h {
		s.nl[h]++
		if s.lc1[h] < 0 || d < s.lc1[h] {
			s.lc2[h], s.lc1[h] = s.lc1[h], d
		}
	} else {
		s.nr[h]++
		if d > s.rc1[h] {
			s.rc2[h], s.rc1[h] = s.rc1[h], d
		}
	}
}

func (s *pstate) push(k int) { s.stack = append(s.stack, k); s.inStack[k] = true }
func (s *pstate) pop() {
	k := s.s0()
	s.inStack[k] = false
	s.stack = s.stack[:len(s.stack)-1]
}

func (s *pstate) apply(a int) {
	switch a {
	case actShift:
		s.push(s.b)
		s.b++
	case actReduce:
		s.pop()
	case actLeft:
		s.arc(s.b, s.s0())
		s.pop()
	case actRight:
		s.arc(s.s0(), s.b)
		s.push(s.b)
		s.b++
	}
}

// finish attaches words left without a head: the first becomes the root
// if there is none, the others attach to the root word.
func (s *pstate) finish() {
	for i := 1; i <= s.n; i++ {
		if s.head[i] < 0 {
			if s.rootChild < 0 {
				s.head[i] = 0
				s.rootChild = i
			} else {
				s.head[i] = s.rootChild
			}
		}
	}
}

// cost is the number of gold arcs (gold heads gh, 1-based, 0 = root)
// that action a makes unreachable.
func (s *pstate) cost(a int, gh []int) int {
	s0, b := s.s0(), s.b
	c := 0
	switch a {
	case actShift:
		if gh[b] >= 0 && s.inStack[gh[b]] {
			c++
		}
		for _, k := range s.stack {
			if k != 0 && s.head[k] < 0 && gh[k] == b {
				c++
			}
		}
	case actReduce:
		for k := b; k <= s.n; k++ {
			if gh[k] == s0 {
				c++
			}
		}
	case actLeft:
		if gh[s0] > b {
			c++
		}
		for k := b; k <= s.n; k++ {
			if gh[k] == s0 {
				c++
			}
		}
	case actRight:
		if gh[b] != s0 && (s.inStack[gh[b]] || gh[b] > b) {
			c++
		}
		for _, k := range s.stack {
			if k != 0 && s.head[k] < 0 && gh[k] == b {
				c++
			}
		}
	}
	return c
}

func distBucket(d int) uint64 {
	switch {
	case d <= 4:
		return uint64(d)
	case d <= 7:
		return 5
	case d <= 11:
		return 6
	}
	return 7
}

func capv(v int) uint64 {
	if v > 4 {
		return 4
	}
	return uint64(v)
}

func fN(t uint64, vs ...uint64) uint32 {
	h := t * 0x9e3779b97f4a7c15
	for _, v := range vs {
		h = mix(h, v)
	}
	return fkey(h)
}

// parseFeatures appends the features of the current configuration.
func parseFeatures(buf []uint32, s *pstate, tk []ptok) []uint32 {
	none := ptok{hNone, hNone, hNone, hNone, hNone}
	at := func(i int) ptok {
		if i < 0 || i > s.n {
			return none
		}
		return tk[i]
	}
	s0 := s.s0()
	n0, n1, n2, n3 := -1, -1, -1, -1
	if s.b <= s.n {
		n0 = s.b
	}
	if s.b+1 <= s.n {
		n1 = s.b + 1
	}
	if s.b+2 <= s.n {
		n2 = s.b + 2
	}
	if s.b+3 <= s.n {
		n3 = s.b + 3
	}
	s1 := -1
	if len(s.stack) >= 2 {
		s1 = s.stack[len(s.stack)-2]
	}
	s0h, s0h2 := -1, -1
	if s0 > 0 && s.head[s0] >= 0 {
		s0h = s.head[s0]
		if s0h > 0 && s.head[s0h] >= 0 {
			s0h2 = s.head[s0h]
		}
	}
	var s0l, s0l2, s0r, s0r2, n0l, n0l2 = -1, -1, -1, -1, -1, -1
	var s0vl, s0vr, n0vl uint64
	if s0 > 0 {
		s0l, s0l2, s0r, s0r2 = s.lc1[s0], s.lc2[s0], s.rc1[s0], s.rc2[s0]
		s0vl, s0vr = capv(s.nl[s0]), capv(s.nr[s0])
	}
	if n0 > 0 {
		n0l, n0l2 = s.lc1[n0], s.lc2[n0]
		n0vl = capv(s.nl[n0])
	}
	d := uint64(0)
	if n0 > 0 && s0 > 0 {
		d = distBucket(n0 - s0)
	}
	hh := uint64(0)
	if s0 > 0 && s.head[s0] >= 0 {
		hh = 1
	}
	S0, N0, N1, N2, N3, S1 := at(s0), at(n0), at(n1), at(n2), at(n3), at(s1)
	S0h, S0h2, S0l, S0l2, S0r, S0r2, N0l, N0l2 := at(s0h), at(s0h2), at(s0l), at(s0l2), at(s0r), at(s0r2), at(n0l), at(n0l2)
	buf = coreFeatures(buf, &core{S0: S0, N0: N0, N1: N1, N2: N2, X1: S0h, X2: S0h2, S0l: S0l, S0l2: S0l2, S0r: S0r, S0r2: S0r2,
		N0l: N0l, N0l2: N0l2, d: d, s0vl: s0vl, s0vr: s0vr, n0vl: n0vl, f57: f3(57, S0.p, S0h.p, S0h2.p)})
	buf = append(buf,
		f1(59, S1.p), f1(60, S1.w), f3(61, S1.p, S0.p, N0.p),
		f2(62, S0.p, hh), f3(63, S0.p, hh, N0.p), f1(64, N3.p), f3(65, S0.p, hh, N0.w),
		f3(66, S0.w, hh, N0.p), fN(67, S1.p, S0.p, N0.p, N1.p), f3(68, S0.p, S0r.p, N0.w),
		f1(0, 0),
	)
	return buf
}

// transition systems
const (
	sysEager  = 0 // arc-eager, root first
	sysHybrid = 1 // arc-hybrid, root last
)

// tstate is a parser configuration of either transition system.
type tstate interface {
	done() bool
	valid(a int) bool
	apply(a int)
	cost(a int, gh []int) int
	features(buf []uint32, tk []ptok) []uint32
	heads() []int
}

func newState(sys, n int, w *work) tstate {
	if sys == sysHybrid {
		return newHState(n, w)
	}
	return newPState(n, w)
}

// parseGreedy returns heads (1-based, 0 = root) for words 1..n.
func parseGreedy(sys int, tab scorer, tk []ptok, n int, w *work) []int {
	s := newState(sys, n, w)
	buf := w.u32Slice(96)[:0]
	var sc [nActions]float32
	for !s.done() {
		buf = s.features(buf[:0], tk)
		tab.score(buf, sc[:])
		best := -1
		for a := 0; a < nActions; a++ {
			if s.valid(a) && (best < 0 || sc[a] > sc[best]) {
				best = a
			}
		}
		if best < 0 {
			break
		}
		s.apply(best)
	}
	return s.heads()
}

// projectivize lifts non-projective arcs (reattaching the dependent to
// its grandparent, shortest arc first) until the tree is projective, so
// the arc-eager oracle can reach it. gh is 1-based with gh[0] unused.
func projectivize(gh []int) []int {
	h := append([]int(nil), gh...)
	n := len(h) - 1
	for iter := 0; iter < 2*n; iter++ {
		bestD, bestLen := -1, 1<<30
		for d := 1; d <= n; d++ {
			hd := h[d]
			if hd <= 0 {
				continue
			}
			lo, hi := min(d, hd), max(d, hd)
			for k := lo + 1; k < hi; k++ {
				if !dominates(h, hd, k) {
					if hi-lo < bestLen {
						bestD, bestLen = d, hi-lo
					}
					break
				}
			}
		}
		if bestD < 0 {
			return h
		}
		h[bestD] = h[h[bestD]]
	}
	return nil
}

func dominates(h []int, a, k int) bool {
	for steps := 0; k > 0 && steps < len(h); steps++ {
		k = h[k]
		if k == a {
			return true
		}
	}
	return a == 0
}

func (s *pstate) heads() []int { s.finish(); return s.head }

func (s *pstate) features(buf []uint32, tk []ptok) []uint32 { return parseFeatures(buf, s, tk) }

// core is what the first 58 parser features read, the same in both
// transition systems: the stack top S0, the buffer N0..N2, the children of
// S0 and N0, and two further context tokens X1 and X2 (the next stack items
// in arc-hybrid, S0's head and grandhead in arc-eager). Feature 57 combines
// S0 with them in a system-specific order, so the caller computes it.
type core struct {
	S0, N0, N1, N2, X1, X2, S0l, S0l2, S0r, S0r2, N0l, N0l2 ptok
	d, s0vl, s0vr, n0vl                                     uint64
	f57                                                     uint32
}

// coreFeatures appends features 1-58 in their fixed order (the models'
// weights are keyed on them).
func coreFeatures(buf []uint32, c *core) []uint32 {
	return append(buf,
		f2(1, c.S0.w, c.S0.p), f1(2, c.S0.w), f1(3, c.S0.p),
		f2(4, c.N0.w, c.N0.p), f1(5, c.N0.w), f1(6, c.N0.p),
		f2(7, c.N1.w, c.N1.p), f1(8, c.N1.w), f1(9, c.N1.p),
		f2(10, c.N2.w, c.N2.p), f1(11, c.N2.w), f1(12, c.N2.p),
		fN(13, c.S0.w, c.S0.p, c.N0.w, c.N0.p), fN(14, c.S0.w, c.S0.p, c.N0.w), fN(15, c.S0.w, c.N0.w, c.N0.p),
		fN(16, c.S0.w, c.S0.p, c.N0.p), fN(17, c.S0.p, c.N0.w, c.N0.p), f2(18, c.S0.w, c.N0.w), f2(19, c.S0.p, c.N0.p),
		f2(20, c.N0.p, c.N1.p),
		f3(21, c.N0.p, c.N1.p, c.N2.p), f3(22, c.S0.p, c.N0.p, c.N1.p), f3(23, c.X1.p, c.S0.p, c.N0.p),
		f3(24, c.S0.p, c.S0l.p, c.N0.p), f3(25, c.S0.p, c.S0r.p, c.N0.p), f3(26, c.S0.p, c.N0.p, c.N0l.p),
		f2(27, c.S0.w, c.d), f2(28, c.S0.p, c.d), f2(29, c.N0.w, c.d), f2(30, c.N0.p, c.d),
		f3(31, c.S0.w, c.N0.w, c.d), f3(32, c.S0.p, c.N0.p, c.d),
		f2(33, c.S0.w, c.s0vr), f2(34, c.S0.p, c.s0vr), f2(35, c.S0.w, c.s0vl), f2(36, c.S0.p, c.s0vl),
		f2(37, c.N0.w, c.n0vl), f2(38, c.N0.p, c.n0vl),
		f1(39, c.X1.w), f1(40, c.X1.p), f1(41, c.S0l.w), f1(42, c.S0l.p), f1(43, c.S0r.w), f1(44, c.S0r.p),
		f1(45, c.N0l.w), f1(46, c.N0l.p),
		f1(47, c.X2.w), f1(48, c.X2.p), f1(49, c.S0l2.w), f1(50, c.S0l2.p), f1(51, c.S0r2.w), f1(52, c.S0r2.p),
		f1(53, c.N0l2.w), f1(54, c.N0l2.p),
		f3(55, c.S0.p, c.S0l.p, c.S0l2.p), f3(56, c.S0.p, c.S0r.p, c.S0r2.p), c.f57,
		f3(58, c.N0.p, c.N0l.p, c.N0l2.p),
	)
}
