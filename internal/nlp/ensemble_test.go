package nlp

import (
	"slices"
	"testing"
)

func TestEisner(t *testing.T) {
	tests := []struct {
		trees [][]int
		w     []float32
		want  []int
	}{
		// majority wins word by word
		{[][]int{{-1, 2, 0, 2}, {-1, 2, 0, 2}, {-1, 3, 3, 0}}, []float32{1, 1, 1}, []int{-1, 2, 0, 2}},
		{[][]int{{-1, 2, 0, 2, 3}, {-1, 2, 0, 4, 2}, {-1, 2, 0, 4, 2}}, []float32{1.1, 1, 1}, []int{-1, 2, 0, 4, 2}},
	}
	for _, tc := range tests {
		if got := combine(tc.trees, tc.w, nil); !slices.Equal(got, tc.want) {
			t.Errorf("combine(%v) = %v, want %v", tc.trees, got, tc.want)
		}
	}
	// mirroring twice is the identity
	h := []int{-1, 3, 3, 0, 3}
	if got := mirrorHeads(mirrorHeads(h, nil), nil); !slices.Equal(got, h) {
		t.Errorf("mirror twice = %v", got)
	}
}
