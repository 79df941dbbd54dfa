package nlp

// work is the scratch memory of one Annotate call: every per-sentence
// slice (word hashes, tag scores, parser states, the ensemble's chart,
// the labeller's tree) is carved from it, and Model keeps a pool of them,
// so annotating allocates almost nothing and leaves the garbage
// collector little to do. A nil *work allocates normally (training).
type work struct {
	ints  []int
	i32   []int32
	f32   []float32
	u64   []uint64
	u32   []uint32
	bools []bool
	words []wordInfo
	ptoks []ptok
	ltoks []ltok
}

// grab returns n zeroed elements of buf's free space, growing it when
// short (slices handed out before stay valid: they keep the old array).
func grab[T any](buf *[]T, n int) []T {
	b := *buf
	if cap(b)-len(b) < n {
		b = make([]T, 0, max(2*cap(b), n, 64))
	}
	s := b[len(b) : len(b)+n : len(b)+n]
	*buf = b[:len(b)+n]
	clear(s)
	return s
}

func (w *work) intSlice(n int) []int {
	if w == nil {
		return make([]int, n)
	}
	return grab(&w.ints, n)
}

func (w *work) int32Slice(n int) []int32 {
	if w == nil {
		return make([]int32, n)
	}
	return grab(&w.i32, n)
}

func (w *work) f32Slice(n int) []float32 {
	if w == nil {
		return make([]float32, n)
	}
	return grab(&w.f32, n)
}

func (w *work) u64Slice(n int) []uint64 {
	if w == nil {
		return make([]uint64, n)
	}
	return grab(&w.u64, n)
}

func (w *work) u32Slice(n int) []uint32 {
	if w == nil {
		return make([]uint32, n)
	}
	return grab(&w.u32, n)
}

func (w *work) boolSlice(n int) []bool {
	if w == nil {
		return make([]bool, n)
	}
	return grab(&w.bools, n)
}

func (w *work) wordSlice(n int) []wordInfo {
	if w == nil {
		return make([]wordInfo, n)
	}
	return grab(&w.words, n)
}

func (w *work) ptokSlice(n int) []ptok {
	if w == nil {
		return make([]ptok, n)
	}
	return grab(&w.ptoks, n)
}

func (w *work) ltokSlice(n int) []ltok {
	if w == nil {
		return make([]ltok, n)
	}
	return grab(&w.ltoks, n)
}

// reset makes all the memory free again; slices handed out must no
// longer be used.
func (w *work) reset() {
	w.ints, w.i32, w.f32, w.u64, w.u32 = w.ints[:0], w.i32[:0], w.f32[:0], w.u64[:0], w.u32[:0]
	w.bools, w.words, w.ptoks, w.ltoks = w.bools[:0], w.words[:0], w.ptoks[:0], w.ltoks[:0]
}
