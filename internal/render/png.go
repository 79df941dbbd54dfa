package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"

	"github.com/kg-news/kg/schema"
)

// ErrNoRasteriser is returned by PNG when rsvg-convert is not installed.
// Graphviz's own PNG output cannot be used instead: go-graphviz hands every
// shape to its Go renderer as filled, so edges and outlines vanish
// (go-graphviz issue #106), and a pure-Go SVG rasteriser that draws text
// (github.com/tdewolff/canvas) is not a dependency of this module.
var ErrNoRasteriser = errors.New("PNG output needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin); write .svg instead, or convert the SVG yourself")

// rsvgPath finds rsvg-convert; a variable so tests can simulate its absence.
var rsvgPath = func() (string, error) { return exec.LookPath("rsvg-convert") }

// maxPNGSide caps the raster's longer side in pixels: rsvg-convert refuses
// images above 32767 px, and a 300-node sfdp map would otherwise be huge.
const maxPNGSide = 8000

// PNG renders the map as SVG and rasterises it with rsvg-convert, which
// draws Graphviz's SVG faithfully (edges, dashes, text). The context bounds
// the rasteriser, which, unlike Graphviz, can be killed safely.
func PNG(ctx context.Context, w io.Writer, g schema.Graph, o Options) error {
	svg, err := svgBytes(ctx, g, o)
	if err != nil {
		return err
	}
	return rasterise(ctx, w, svg)
}

// rasterise converts an SVG document to PNG at 1.5× (96 dpi screens make
// Graphviz's points look small) on a white background.
func rasterise(ctx context.Context, w io.Writer, svg []byte) error {
	bin, err := rsvgPath()
	if err != nil {
		return ErrNoRasteriser
	}
	wpt, hpt := svgSize(svg)
	zoom := 1.5
	if m := max(wpt, hpt) * 96 / 72; m*zoom > maxPNGSide {
		zoom = maxPNGSide / m
	}
	// Graphviz sized every label with Helvetica metrics. Where Helvetica
	// and Arial are missing (most Linux servers), fontconfig substitutes
	// DejaVu Sans, about 12% wider, and labels overflow their nodes; the
	// condensed cut is within a few percent of Helvetica, so ask for it first.
	svg = bytes.ReplaceAll(svg, []byte(`font-family="Helvetica,`), []byte(`font-family="DejaVu Sans Condensed,Helvetica,`))
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--format=png", "--background-color=white",
		fmt.Sprintf("--zoom=%.3f", zoom))
	cmd.Stdin = bytes.NewReader(svg)
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("render: rsvg-convert: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	_, err = w.Write(out.Bytes())
	return err
}
