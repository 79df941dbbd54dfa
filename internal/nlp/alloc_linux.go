package nlp

import (
	"syscall"
	"unsafe"
)

// allocWords returns n zeroed words for a weight table, asking the kernel
// to back them with huge pages: lookups land at random in megabytes of
// tables, and with 4 KB pages most would also miss the TLB (about twice
// the time per lookup). The words are ordinary Go memory; the slice
// starts on a huge-page boundary so whole huge pages can be used.
func allocWords(n int) []uint32 {
	const huge = 2 << 20
	if n*4 < huge {
		return make([]uint32, n)
	}
	w := make([]uint32, n+huge/4)
	off := int(-uintptr(unsafe.Pointer(&w[0]))&(huge-1)) / 4
	w = w[off : off+n : off+n]
	b := unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), n*4&^(huge-1))
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) // a hint; 4 KB pages work too
	return w
}
