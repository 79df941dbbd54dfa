package nlp

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordInfo caches the hashes of one token's string features so tagger,
// parser and labeller never build feature strings.
type wordInfo struct {
	form, low, shape, amb uint64
	pre                   [3]uint64
	suf                   [4]uint64
}

var (
	hNone = strHash("<none>")
	hRoot = strHash("<root>")
)

// normWord lowercases and maps digits to 0 so numbers share features.
// The result is valid UTF-8 (invalid bytes become U+FFFD).
func normWord(s string) string {
	plain := true // lowercase ASCII without digits: s itself
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c < 0x80 && (c < 'A' || c > 'Z') && (c < '0' || c > '9')
	}
	if plain {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteByte('0')
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// shapeHash is the hash of a word's shape ("Xx", "d,d", "X.X.") with runs
// collapsed, plus a length bucket for short words.
func shapeHash(s string) uint64 {
	var buf [32]byte
	b := buf[:0]
	var last rune = -1
	n := 0
	for _, r := range s {
		n++
		var c rune
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLetter(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		default:
			c = r
		}
		if c != last {
			b = utf8.AppendRune(b, c)
			last = c
		}
		if len(b) > 12 {
			break
		}
	}
	if n <= 3 {
		b = append(b, byte('0'+n))
	}
	return strHash(string(b))
}

func makeWordInfo(form string, tagdict wordDict) wordInfo {
	low := normWord(form)
	wi := wordInfo{form: strHash(form), low: strHash(low), shape: shapeHash(form)}
	if a, ok := tagdict.ambOf(low); ok {
		wi.amb = a
	} else {
		wi.amb = hNone
	}
	// prefixes/suffixes in runes, so UTF-8 letters stay whole (low is
	// valid UTF-8, so its rune boundaries are those of []rune(low))
	wi.pre = [3]uint64{hNone, hNone, hNone}
	wi.suf = [4]uint64{hNone, hNone, hNone, hNone}
	for k, i := 0, 0; k < 3 && i < len(low); k++ {
		_, sz := utf8.DecodeRuneInString(low[i:])
		i += sz
		wi.pre[k] = strHash(low[:i])
	}
	for k, j := 0, len(low); k < 4 && j > 0; k++ {
		_, sz := utf8.DecodeLastRuneInString(low[:j])
		j -= sz
		wi.suf[k] = fnvMore(strHash(low[j:]), "$")
	}
	return wi
}

var padInfo = wordInfo{form: hNone, low: hNone, shape: hNone, amb: hNone, pre: [3]uint64{hNone, hNone, hNone}, suf: [4]uint64{hNone, hNone, hNone, hNone}}

// tagFeatures appends the tagger features of position i given the tags
// already predicted for earlier positions (greedy left-to-right decoding).
func tagFeatures(buf []uint32, ws []wordInfo, tags []uint64, i int) []uint32 {
	at := func(k int) *wordInfo {
		if k < 0 || k >= len(ws) {
			return &padInfo
		}
		return &ws[k]
	}
	tg := func(k int) uint64 {
		if k < 0 {
			return hNone
		}
		return tags[k]
	}
	w, p1, p2, n1, n2 := at(i), at(i-1), at(i-2), at(i+1), at(i+2)
	t1, t2 := tg(i-1), tg(i-2)
	first := uint64(0)
	if i == 0 {
		first = 1
	}
	buf = append(buf,
		f1(1, 0),
		f1(2, w.low), f1(3, w.form),
		f1(4, w.suf[0]), f1(5, w.suf[1]), f1(6, w.suf[2]), f1(7, w.suf[3]),
		f1(8, w.pre[0]), f1(9, w.pre[1]), f1(10, w.pre[2]),
		f1(11, w.shape), f1(12, w.amb),
		f1(13, p1.low), f1(14, n1.low), f1(15, p2.low), f1(16, n2.low),
		f1(17, p1.suf[2]), f1(18, n1.suf[2]), f1(19, n1.suf[1]),
		f1(20, n1.amb), f1(21, n2.amb),
		f1(22, t1), f1(23, t2), f2(24, t1, t2),
		f2(25, t1, w.low), f2(26, t1, w.suf[2]),
		f2(27, w.low, n1.low), f2(28, p1.low, w.low),
		f2(29, w.amb, n1.amb), f3(30, t1, w.amb, n1.amb),
		f1(31, p1.shape), f1(32, n1.shape),
		f2(33, first, w.shape), f2(34, first, w.low),
		f2(35, w.amb, w.suf[2]), f2(36, t1, n1.amb),
		f2(37, w.shape, w.suf[1]), f3(38, t2, t1, w.amb),
	)
	return buf
}

// tagger predicts UPOS greedily left to right.
type tagger struct {
	classes []string
	hashes  []uint64 // strHash of class names, used as history features
	tab     scorer
	rev     scorer // right-to-left model; scores of both directions are summed
}

func classHashes(cs []string) []uint64 {
	h := make([]uint64, len(cs))
	for i, c := range cs {
		h[i] = strHash("t:" + c)
	}
	return h
}

func (tg *tagger) tag(ws []wordInfo, out []int, w *work) {
	nc := len(tg.classes)
	if tg.rev == nil {
		hist := w.u64Slice(len(ws))
		sc := w.f32Slice(nc)
		buf := w.u32Slice(64)[:0]
		for i := range ws {
			buf = tagFeatures(buf[:0], ws, hist, i)
			tg.tab.score(buf, sc)
			c := argmax(sc, nil)
			out[i] = c
			hist[i] = tg.hashes[c]
		}
		return
	}
	n := len(ws)
	total := w.f32Slice(n * nc)
	tg.pass(tg.tab, ws, total, false, w)
	rws := w.wordSlice(n)
	copy(rws, ws)
	slices.Reverse(rws)
	tg.pass(tg.rev, rws, total, true, w)
	for i := range ws {
		out[i] = argmax(total[i*nc:(i+1)*nc], nil)
	}
}

// pass runs one greedy direction and adds its scores into total (indexed
// by original position).
func (tg *tagger) pass(tab scorer, ws []wordInfo, total []float32, reversed bool, w *work) {
	nc := len(tg.classes)
	n := len(ws)
	hist := w.u64Slice(n)
	sc := w.f32Slice(nc)
	buf := w.u32Slice(64)[:0]
	for i := range ws {
		buf = tagFeatures(buf[:0], ws, hist, i)
		tab.score(buf, sc)
		c := argmax(sc, nil)
		hist[i] = tg.hashes[c]
		j := i
		if reversed {
			j = n - 1 - i
		}
		row := total[j*nc : (j+1)*nc]
		for k, v := range sc {
			row[k] += v
		}
	}
}
