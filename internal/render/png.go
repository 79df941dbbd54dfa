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

// ErrNoRasteriser is returned (possibly wrapped) by PNG when rsvg-convert is
// not installed and the built-in pure-Go rasteriser finds no usable font.
// Graphviz's own PNG output cannot be used instead: go-graphviz hands every
// shape to its Go renderer as filled, so edges and outlines vanish
// (go-graphviz issue #106).
var ErrNoRasteriser = errors.New("PNG output needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin) or, for the built-in rasteriser, a TrueType font (Debian/Ubuntu: apt-get install fonts-dejavu-core); write .svg instead, or convert the SVG yourself")

// rsvgPath finds rsvg-convert; a variable so tests can simulate its absence.
var rsvgPath = func() (string, error) { return exec.LookPath("rsvg-convert") }

// maxPNGSide caps the raster's longer side in pixels: rsvg-convert refuses
// images above 32767 px, and a 300-node sfdp map would otherwise be huge.
const maxPNGSide = 8000

// PNG renders the map as SVG and rasterises it with rsvg-convert, which
// draws Graphviz's SVG faithfully (edges, dashes, text), or, when
// rsvg-convert is not on PATH, with a pure-Go rasteriser
// (github.com/tdewolff/canvas, see png_canvas.go) that needs one TrueType
// font on the machine. The context bounds the rasteriser.
func PNG(ctx context.Context, w io.Writer, g schema.Graph, o Options) error {
	svg, err := svgBytes(ctx, g, o)
	if err != nil {
		return err
	}
	return rasterise(ctx, w, svg)
}

// pngZoom is the scale from CSS pixels (96 dpi) to PNG pixels: at 1×,
// Graphviz's points look small on screens.
const pngZoom = 1.5

// zoomFor returns the zoom for an SVG of wpt × hpt points: pngZoom, or less
// so that the longer side stays within maxPNGSide.
func zoomFor(wpt, hpt float64) float64 {
	zoom := pngZoom
	if m := max(wpt, hpt) * 96 / 72; m*zoom > maxPNGSide {
		zoom = maxPNGSide / m
	}
	return zoom
}

// rasterise converts an SVG document to PNG at 1.5× on a white background,
// with rsvg-convert when it is installed, otherwise in pure Go.
func rasterise(ctx context.Context, w io.Writer, svg []byte) error {
	bin, err := rsvgPath()
	if err != nil {
		return rasterisePureGo(ctx, w, svg)
	}
	zoom := zoomFor(svgSize(svg))
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
