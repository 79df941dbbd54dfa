package nlp

import (
	"encoding/binary"
	"fmt"
	"slices"
	"unsafe"
)

// Helpers of the flat model format: fixed-width little-endian numbers,
// varints and strings read from the model's bytes held as a string, so
// the strings a model returns (lemmas, features) are slices of it and
// loading copies nothing but the weight tables.

// frd reads from a string; the first error sticks and later reads return
// zero values.
type frd struct {
	s   string
	pos int
	err error
}

func (r *frd) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s at byte %d", errCorrupt, what, r.pos)
	}
}

func (r *frd) u8() byte {
	if r.err != nil || r.pos >= len(r.s) {
		r.fail("unexpected end of data")
		return 0
	}
	r.pos++
	return r.s[r.pos-1]
}

func (r *frd) u32() uint32 {
	if r.err != nil || r.pos+4 > len(r.s) {
		r.fail("unexpected end of data")
		return 0
	}
	v := le32(r.s, r.pos)
	r.pos += 4
	return v
}

func (r *frd) u64() uint64 {
	lo := uint64(r.u32())
	return lo | uint64(r.u32())<<32
}

func (r *frd) uv() uint64 {
	v, n := uvarintAt(r.s, r.pos)
	if r.err != nil || n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.pos += n
	return v
}

// n reads a count and rejects absurd values, so corrupt input cannot make
// us allocate gigabytes.
func (r *frd) n(limit uint64) int {
	v := r.uv()
	if v > limit {
		r.fail(fmt.Sprintf("count %d over limit %d", v, limit))
		return 0
	}
	return int(v)
}

func (r *frd) bytes(n int) string {
	if r.err != nil || n < 0 || r.pos+n > len(r.s) {
		r.fail("truncated data")
		return ""
	}
	r.pos += n
	return r.s[r.pos-n : r.pos]
}

func (r *frd) str() string { return r.bytes(r.n(1 << 20)) }

func (r *frd) strs() []string {
	n := r.n(1 << 16)
	out := make([]string, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		out = append(out, r.str())
	}
	return out
}

// copyWords fills w from the little-endian words in s (len(s) == 4*len(w)).
func copyWords(w []uint32, s string) {
	if littleEndian && len(w) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 4*len(w)), s)
		return
	}
	for i := range w {
		w[i] = le32(s, 4*i)
	}
}

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

func le32(s string, i int) uint32 {
	_ = s[i+3]
	return uint32(s[i]) | uint32(s[i+1])<<8 | uint32(s[i+2])<<16 | uint32(s[i+3])<<24
}

// uvarintAt decodes a varint at s[i:]; n <= 0 if it is malformed.
func uvarintAt(s string, i int) (v uint64, n int) {
	for sh := uint(0); sh < 64 && i+n < len(s); sh += 7 {
		b := s[i+n]
		n++
		v |= uint64(b&0x7f) << sh
		if b < 0x80 {
			return v, n
		}
	}
	return 0, -1
}

func appendU32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func appendU64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }
func appendUv(b []byte, v uint64) []byte  { return binary.AppendUvarint(b, v) }
func appendStr(b []byte, s string) []byte { return append(appendUv(b, uint64(len(s))), s...) }

func appendStrs(b []byte, ss []string) []byte {
	b = appendUv(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendStr(b, s)
	}
	return b
}

// strTab is a string-keyed hash table kept in the model's bytes: an
// index of slots (linear probing on strHash of the key) pointing at
// entries, each the key and then its values as varints and strings.
// Keys of two parts a, b stand for a + "\x00" + b and are looked up
// without building that string.
type strTab struct {
	s   string   // the entries
	idx []uint32 // slot -> 1 + offset of its entry in s, 0 if empty
}

// strTabEntry is one entry to write: the key and its encoded values.
type strTabEntry struct {
	key string
	val []byte
}

// appendStrTab encodes entries (sorted by key, so the file is the same
// whatever the map order): the slot count, the slots as 4-byte offsets,
// the byte length of the entries and the entries.
func appendStrTab(out []byte, es []strTabEntry) []byte {
	slices.SortFunc(es, func(a, b strTabEntry) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	ns := len(es)*3/2 + 1
	idx := make([]uint32, ns)
	var blob []byte
	for _, e := range es {
		i := strSlot(strHash(e.key), ns)
		for idx[i] != 0 {
			if i++; i == ns {
				i = 0
			}
		}
		idx[i] = uint32(len(blob)) + 1
		blob = appendStr(blob, e.key)
		blob = append(blob, e.val...)
	}
	out = appendU32(out, uint32(ns))
	for _, v := range idx {
		out = appendU32(out, v)
	}
	out = appendU32(out, uint32(len(blob)))
	return append(out, blob...)
}

func strSlot(h uint64, ns int) int { return int((uint64(fkey(h)) * uint64(ns)) >> 32) }

// readStrTab reads a table written by appendStrTab.
func (r *frd) strTab() *strTab {
	ns := int(r.u32())
	if r.err != nil || ns == 0 || ns > (len(r.s)-r.pos)/4 {
		r.fail("bad string table")
		return nil
	}
	t := &strTab{idx: make([]uint32, ns)}
	for i := range t.idx {
		t.idx[i] = r.u32()
	}
	t.s = r.bytes(int(r.u32()))
	if r.err != nil {
		return nil
	}
	empty := false
	for _, v := range t.idx {
		if int(v) > len(t.s) {
			r.fail("string table offset out of range")
			return nil
		}
		empty = empty || v == 0
	}
	if !empty {
		r.fail("string table without a free slot")
		return nil
	}
	return t
}

// find returns the offset of the values of key a (two == false) or
// a + "\x00" + b, or -1.
func (t *strTab) find(a, b string, two bool) int {
	if t == nil {
		return -1
	}
	h := strHash(a)
	if two {
		h = fnvMore(fnvMore(h, "\x00"), b)
	}
	i := strSlot(h, len(t.idx))
	for range t.idx {
		v := t.idx[i]
		if v == 0 {
			return -1
		}
		off := int(v - 1)
		kl, n := uvarintAt(t.s, off)
		if n > 0 && off+n+int(kl) <= len(t.s) && kl < 1<<20 {
			k := t.s[off+n : off+n+int(kl)]
			if two && len(k) == len(a)+1+len(b) && k[:len(a)] == a && k[len(a)] == 0 && k[len(a)+1:] == b ||
				!two && k == a {
				return off + n + int(kl)
			}
		}
		if i++; i == len(t.idx) {
			i = 0
		}
	}
	return -1
}

// at returns a reader of the values at offset off of t.
func (t *strTab) at(off int) frd { return frd{s: t.s, pos: off} }

// fnvMore continues strHash over s.
func fnvMore(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
