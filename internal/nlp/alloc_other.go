//go:build !linux

package nlp

// allocWords returns n zeroed words for a weight table.
func allocWords(n int) []uint32 { return make([]uint32, n) }
