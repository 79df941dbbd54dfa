package server

import (
	"context"
	"testing"
)

// TestMapCacheBudget checks maps beyond the byte budget leave least
// recently used first, and a map bigger than the budget is not kept.
func TestMapCacheBudget(t *testing.T) {
	c := newMapCache(10)
	draws := 0
	get := func(k byte, size int) {
		c.get(context.Background(), [32]byte{k}, func() ([]byte, error) {
			draws++
			return make([]byte, size), nil
		})
	}
	for _, tc := range []struct {
		name  string
		key   byte
		size  int
		draws int
	}{
		{"a drawn", 'a', 4, 1},
		{"b drawn", 'b', 4, 2},
		{"a kept", 'a', 4, 2},
		{"c drawn, b out (a was used last)", 'c', 4, 3},
		{"a still kept", 'a', 4, 3},
		{"b drawn again", 'b', 4, 4},
		{"too big, drawn", 'z', 11, 5},
		{"too big, not kept", 'z', 11, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			get(tc.key, tc.size)
			if draws != tc.draws {
				t.Errorf("%d drawings, want %d", draws, tc.draws)
			}
			if c.size > c.max {
				t.Errorf("cache holds %d bytes, budget %d", c.size, c.max)
			}
		})
	}
}
