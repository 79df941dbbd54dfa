package nlp

// Arc-hybrid transition system (Kuhlmann et al. 2011) with the root at the
// end of the buffer (Ballesteros & Nivre 2013): the root is attached last,
// from a one-word stack, so every parse has exactly one root and the root
// decision is taken with the whole sentence seen. Goldberg & Nivre (2013)
// give its exact dynamic oracle for projective trees.
//
// Actions: shift (push b0), left (b0 becomes head of s0, pop), right (s1
// becomes head of s0, pop).

type hstate struct {
	n                          int
	stack                      []int
	inStack                    []bool
	b                          int // next word; b > n means b0 is the root
	head                       []int
	lc1, lc2, rc1, rc2, nl, nr []int
}

func newHState(n int, w *work) *hstate {
	s := &hstate{n: n, b: 1}
	m := n + 1
	all := w.intSlice(7 * m)
	s.head, s.lc1, s.lc2, s.rc1, s.rc2, s.nl, s.nr = all[:m], all[m:2*m], all[2*m:3*m], all[3*m:4*m], all[4*m:5*m], all[5*m:6*m], all[6*m:]
	for i := 0; i < m; i++ {
		s.head[i], s.lc1[i], s.lc2[i], s.rc1[i], s.rc2[i] = -1, -1, -1, -1, -1
	}
	s.inStack = w.boolSlice(m)
	s.stack = w.intSlice(m)[:0]
	return s
}

func (s *hstate) done() bool { return s.b > s.n && len(s.stack) == 0 }

// b0 is the buffer front: a word, or 0 for the root once words run out.
func (s *hstate) b0() int {
	if s.b <= s.n {
		return s.b
	}
	return 0
}

func (s *hstate) valid(a int) bool {
	switch a {
	case actShift:
		return s.b <= s.n
	case actLeft:
		return len(s.stack) >= 1 && (s.b <= s.n || len(s.stack) == 1)
	case actRight:
		return len(s.stack) >= 2
	}
	return false
}

func (s *hstate) arc(h, d int) {
	s.head[d] = h
	if h == 0 {
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

func (s *hstate) pop() int {
	k := s.stack[len(s.stack)-1]
	s.inStack[k] = false
	s.stack = s.stack[:len(s.stack)-1]
	return k
}

func (s *hstate) apply(a int) {
	switch a {
	case actShift:
		s.stack = append(s.stack, s.b)
		s.inStack[s.b] = true
		s.b++
	case actLeft:
		d := s.pop()
		s.arc(s.b0(), d)
	case actRight:
		d := s.pop()
		s.arc(s.stack[len(s.stack)-1], d)
	}
}

func (s *hstate) inBuf(k int) bool { return k == 0 || k >= s.b }

// cost counts the gold arcs (gh, 0 = root) that action a makes unreachable.
func (s *hstate) cost(a int, gh []int) int {
	c := 0
	switch a {
	case actShift:
		b := s.b
		s0 := -1
		if len(s.stack) > 0 {
			s0 = s.stack[len(s.stack)-1]
		}
		if g := gh[b]; g > 0 && g != s0 && s.inStack[g] {
			c++
		}
		for _, k := range s.stack {
			if gh[k] == b {
				c++
			}
		}
	case actLeft, actRight:
		s0 := s.stack[len(s.stack)-1]
		s1 := -1
		if len(s.stack) >= 2 {
			s1 = s.stack[len(s.stack)-2]
		}
		g := gh[s0]
		if a == actLeft {
			if g != s.b0() && (g == s1 || s.inBuf(g)) {
				c++
			}
		} else if g != s1 && s.inBuf(g) {
			c++
		}
		for k := s.b; k <= s.n; k++ {
			if gh[k] == s0 {
				c++
			}
		}
	}
	return c
}

func (s *hstate) heads() []int { return s.head }

func (s *hstate) features(buf []uint32, tk []ptok) []uint32 {
	none := ptok{hNone, hNone, hNone, hNone, hNone}
	at := func(i int) ptok {
		if i < 0 || i > s.n {
			return none
		}
		return tk[i]
	}
	st := func(k int) int {
		if len(s.stack) > k {
			return s.stack[len(s.stack)-1-k]
		}
		return -1
	}
	s0, s1, s2 := st(0), st(1), st(2)
	n0, n1, n2, n3 := s.b0(), -1, -1, -1
	if s.b+1 <= s.n {
		n1 = s.b + 1
	}
	if s.b+2 <= s.n {
		n2 = s.b + 2
	}
	if s.b+3 <= s.n {
		n3 = s.b + 3
	}
	kid := func(arr []int, i int) int {
		if i <= 0 {
			return -1
		}
		return arr[i]
	}
	val := func(arr []int, i int) uint64 {
		if i <= 0 {
			return 0
		}
		return capv(arr[i])
	}
	s0l, s0l2, s0r, s0r2 := kid(s.lc1, s0), kid(s.lc2, s0), kid(s.rc1, s0), kid(s.rc2, s0)
	s1l, s1r := kid(s.lc1, s1), kid(s.rc1, s1)
	n0l, n0l2 := kid(s.lc1, n0), kid(s.lc2, n0)
	s0vl, s0vr, s1vr, n0vl := val(s.nl, s0), val(s.nr, s0), val(s.nr, s1), val(s.nl, n0)
	d, d1 := uint64(0), uint64(0)
	if n0 > 0 && s0 > 0 {
		d = distBucket(n0 - s0)
	} else if n0 == 0 {
		d = 9
	}
	if s1 > 0 && s0 > 0 {
		d1 = distBucket(s0 - s1)
	}
	S0, S1, S2, N0, N1, N2, N3 := at(s0), at(s1), at(s2), at(n0), at(n1), at(n2), at(n3)
	S0l, S0l2, S0r, S0r2, S1l, S1r, N0l, N0l2 := at(s0l), at(s0l2), at(s0r), at(s0r2), at(s1l), at(s1r), at(n0l), at(n0l2)
	buf = coreFeatures(buf, &core{S0: S0, N0: N0, N1: N1, N2: N2, X1: S1, X2: S2, S0l: S0l, S0l2: S0l2, S0r: S0r, S0r2: S0r2,
		N0l: N0l, N0l2: N0l2, d: d, s0vl: s0vl, s0vr: s0vr, n0vl: n0vl, f57: f3(57, S2.p, S1.p, S0.p)})
	buf = append(buf,
		f2(59, S1.w, S1.p), f2(60, S1.w, S0.w), f2(61, S1.p, S0.p), f3(62, S1.p, S0.p, d1),
		f2(63, S1.w, S0.p), f1(64, N3.p), f3(65, S1.p, S1r.p, S0.p), f3(66, S1.p, S1l.p, S0.p),
		fN(67, S1.p, S0.p, N0.p, N1.p), fN(68, S1.w, S1.p, S0.w, S0.p), f2(69, S1.p, s1vr),
		f3(70, S1.p, S0.w, N0.p), f3(71, S1.w, S0.p, N0.p), f3(72, S0.p, S0r.p, N0.w),
		f3(73, S1.w, S0.w, d1), fN(74, S1.p, S0.p, S0l.p, S0r.p),
		f2(75, S0.suf, S0.p), f2(76, N0.suf, N0.p), f3(77, S0.suf, N0.suf, N0.p), f3(78, S0.p, N0.suf, S1.p),
		f1(79, S0.amb), f1(80, N0.amb), f1(81, N1.amb), f2(82, S0.amb, N0.amb), f3(83, S0.p, N0.amb, N0.p),
		f3(84, S1.p, S0.amb, S0.p),
		f1(0, 0),
	)
	return buf
}
