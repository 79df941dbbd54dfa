package render

import (
	"context"
	"io"
	"testing"
)

// BenchmarkSVG100 and BenchmarkSVG200 time a whole map (model, Graphviz
// layout, SVG, legend) for news-like graphs of 100 and 200 entities with
// 1.5 facts per entity; "auto" picks dot for 100 and sfdp for 200.
func BenchmarkSVG100(b *testing.B) { benchSVG(b, 100) }

func BenchmarkSVG200(b *testing.B) { benchSVG(b, 200) }

func benchSVG(b *testing.B, n int) {
	g := bigGraph(n)
	// Warm the Graphviz instance so the first iteration does not pay for it.
	if err := SVG(context.Background(), io.Discard, testGraph(), Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := SVG(context.Background(), io.Discard, g, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
