package render

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/goccy/go-graphviz/cgraph"
	"github.com/goccy/go-graphviz/gvc"
)

// dotCtx is a second Graphviz context used only to write DOT: graphviz.Graphviz
// always lays the graph out before rendering, but the "canon" writer does not
// need a layout, so DOT output stays instant even for graphs dot would take
// minutes to lay out. Guarded by gvMu like everything else.
var dotCtx *gvc.Context

// writeDOT writes g with Graphviz's own DOT writer (agwrite, through the
// "canon" device). Call with gvMu held.
func writeDOT(g *cgraph.Graph, w io.Writer) error {
	if dotCtx == nil {
		c, err := gvc.New(context.Background())
		if err != nil {
			return fmt.Errorf("starting graphviz: %w", err)
		}
		dotCtx = c
	}
	// gvRenderData refuses to run before a layout, even for "canon", which
	// ignores it (it returns an error code go-graphviz drops, leaving the
	// output empty). "nop" marks the layout done without computing one, so
	// DOT output costs milliseconds at any size.
	if err := dotCtx.Layout(context.Background(), g, "nop"); err != nil {
		return fmt.Errorf("nop layout: %w", err)
	}
	defer dotCtx.FreeLayout(context.Background(), g)
	// The nop "layout" records a meaningless bounding box; drop it (an
	// empty value equals the default and is not written).
	_ = g.SafeSet("bb", "", "")
	var buf bytes.Buffer
	if err := dotCtx.RenderData(context.Background(), g, "canon", &buf); err != nil {
		return err
	}
	if buf.Len() == 0 {
		return fmt.Errorf("graphviz wrote no DOT")
	}
	_, err := w.Write(buf.Bytes())
	return err
}
