package nlp

// The labeller assigns a relation to every arc of a finished tree, left
// to right, so it sees both ends of the arc, their children, the head's
// other dependents and the labels already given to earlier siblings.

// ltok holds per-word hashes for the labeller (index 0 is root).
type ltok struct{ w, p, lemma, feats uint64 }

type ltree struct {
	tk       []ltok
	head     []int // 1-based heads, head[0] = -1
	kidAt    []int // the children of i, in order, are kidList[kidAt[i]:kidAt[i+1]]
	kidList  []int
	labels   []int // assigned so far, -1 unknown
	classesH []uint64
	pc       []int // pc[i]: punctuation tokens before i
}

// kids returns the children of i in order.
func (t *ltree) kids(i int) []int { return t.kidList[t.kidAt[i]:t.kidAt[i+1]] }

// punctBtw tells whether there is punctuation strictly between a and b.
func (t *ltree) punctBtw(a, b int) bool {
	lo, hi := min(a, b), max(a, b)
	return t.pc[hi]-t.pc[lo+1] > 0
}

// buildKids lays out the children of each word (head < len(head)).
func (t *ltree) buildKids(w *work) {
	n := len(t.head)
	t.kidAt = w.intSlice(n + 1)
	for d := 1; d < n; d++ {
		if h := t.head[d]; h >= 0 && h < n {
			t.kidAt[h+1]++
		}
	}
	for i := 1; i <= n; i++ {
		t.kidAt[i] += t.kidAt[i-1]
	}
	t.kidList = w.intSlice(t.kidAt[n])
	fill := w.intSlice(n)
	for d := 1; d < n; d++ {
		if h := t.head[d]; h >= 0 && h < n {
			t.kidList[t.kidAt[h]+fill[h]] = d
			fill[h]++
		}
	}
}

var (
	hADP   = strHash("t:ADP")
	hSCONJ = strHash("t:SCONJ")
	hAUX   = strHash("t:AUX")
	hDET   = strHash("t:DET")
	hPUNCT = strHash("t:PUNCT")
	hPRON  = strHash("t:PRON")
	hCCONJ = strHash("t:CCONJ")
)

func labelFeatures(buf []uint32, t *ltree, d int) []uint32 {
	h := t.head[d]
	D := t.tk[d]
	H := ltok{hRoot, hRoot, hRoot, hRoot}
	if h > 0 {
		H = t.tk[h]
	}
	dir := uint64(1)
	if h > d {
		dir = 2
	} else if h == 0 {
		dir = 3
	}
	dist := uint64(0)
	if h > 0 {
		dist = distBucket(max(h-d, d-h))
	}
	// function-word children of d (case/mark) and its determiner
	mk, det, cc, nk := hNone, hNone, hNone, uint64(len(t.kids(d)))
	if nk > 4 {
		nk = 4
	}
	for _, c := range t.kids(d) {
		p := t.tk[c].p
		if (p == hADP || p == hSCONJ) && mk == hNone {
			mk = t.tk[c].w
		}
		if p == hDET && det == hNone {
			det = t.tk[c].w
		}
		if p == hCCONJ && cc == hNone {
			cc = t.tk[c].w
		}
	}
	// auxiliaries of the head (passive and tense cues)
	haux := hNone
	if h > 0 {
		for _, c := range t.kids(h) {
			if c != d && t.tk[c].p == hAUX {
				haux = mix(haux, t.tk[c].w)
			}
		}
	}
	// leftmost and rightmost children of d
	dl, dr := hNone, hNone
	if ks := t.kids(d); len(ks) > 0 {
		dl, dr = t.tk[ks[0]].p, t.tk[ks[len(ks)-1]].p
	}
	// next sibling on the right and the last punctuation between h and d
	nextSib := hNone
	if h >= 0 {
		for _, c := range t.kids(h) {
			if c > d {
				nextSib = t.tk[c].p
				break
			}
		}
	}
	pw := hNone
	if h > 0 {
		lo, hi := min(h, d), max(h, d)
		for k := hi - 1; k > lo; k-- {
			if t.tk[k].p == hPUNCT {
				pw = t.tk[k].w
				break
			}
		}
	}
	// earlier sibling labels
	prevSib, hasSubj, hasObj := hNone, uint64(0), uint64(0)
	if h >= 0 {
		for _, c := range t.kids(h) {
			if c >= d {
				break
			}
			if l := t.labels[c]; l >= 0 {
				prevSib = t.classesH[l]
				if t.classesH[l] == hNsubj {
					hasSubj = 1
				}
				if t.classesH[l] == hObj {
					hasObj = 1
				}
			}
		}
	}
	hh := hNone
	if h > 0 && t.head[h] > 0 {
		hh = t.tk[t.head[h]].p
	} else if h > 0 {
		hh = hRoot
	}
	pm1, pp1 := hNone, hNone
	if d > 1 {
		pm1 = t.tk[d-1].p
	}
	if d+1 < len(t.tk) {
		pp1 = t.tk[d+1].p
	}
	comma := uint64(0)
	if h > 0 && t.punctBtw(d, h) {
		comma = 1
	}
	buf = append(buf,
		f1(1, 0),
		f1(2, D.p), f1(3, H.p), f2(4, D.p, H.p), f3(5, D.p, H.p, dir), fN(6, D.p, H.p, dir, dist),
		f1(7, D.w), f2(8, D.w, H.p), f3(9, D.w, H.p, dir), f1(10, H.w), f2(11, H.w, D.p), f3(12, H.lemma, D.p, dir),
		f2(13, D.w, H.w), f3(14, mk, D.p, H.p), f2(15, mk, D.p), fN(16, mk, H.lemma, D.p),
		f2(17, D.p, D.feats), f3(18, D.w, H.feats, H.p), f3(19, D.p, H.p, H.feats), f3(20, D.feats, H.p, dir),
		f3(21, haux, D.p, dir), fN(22, haux, D.p, H.feats, dir),
		f3(23, prevSib, D.p, dir), fN(24, hasSubj, D.p, H.p, dir), fN(25, hasObj, D.p, H.p, dir),
		f3(26, D.p, H.p, hh), f3(27, D.p, pm1, pp1), fN(28, comma, D.p, H.p, dir),
		f3(29, det, D.p, H.p), f3(30, nk, D.p, H.p), f2(31, D.lemma, D.p), fN(32, D.lemma, H.p, dir),
		fN(33, mk, D.p, H.p, dir), f3(34, D.w, pm1, H.p), f3(35, prevSib, D.p, H.p),
		f3(36, cc, D.p, H.p), fN(37, pw, D.p, H.p, dir), fN(38, nextSib, D.p, H.p, dir),
		f3(39, dl, D.p, H.p), f3(40, dr, D.p, H.p), fN(41, cc, pw, D.p, dir),
	)
	return buf
}

var (
	hNsubj = strHash("l:nsubj")
	hObj   = strHash("l:obj")
)

type labeler struct {
	classes []string
	hashes  []uint64
	rootIdx int
	tab     scorer
}

func labelHashes(cs []string) []uint64 {
	h := make([]uint64, len(cs))
	for i, c := range cs {
		h[i] = strHash("l:" + univ(c))
	}
	return h
}

func newLTree(tk []ltok, head []int, classesH []uint64, w *work) *ltree {
	t := &ltree{tk: tk, head: head, labels: w.intSlice(len(head)), classesH: classesH}
	t.buildKids(w)
	for i := range t.labels {
		t.labels[i] = -1
	}
	// prefix count of punctuation for the between-test
	t.pc = w.intSlice(len(tk) + 1)
	for i := 1; i < len(tk); i++ {
		t.pc[i+1] = t.pc[i]
		if tk[i].p == hPUNCT {
			t.pc[i+1]++
		}
	}
	return t
}

func (lb *labeler) label(t *ltree, w *work) {
	sc := w.f32Slice(len(lb.classes))
	buf := w.u32Slice(64)[:0]
	for d := 1; d < len(t.head); d++ {
		if t.head[d] == 0 {
			t.labels[d] = lb.rootIdx
			continue
		}
		buf = labelFeatures(buf[:0], t, d)
		lb.tab.score(buf, sc)
		r := lb.rootIdx
		t.labels[d] = argmax(sc, func(c int) bool { return c != r })
	}
}
