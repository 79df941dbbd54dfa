package render

import (
	"bytes"
	"regexp"
	"strconv"
)

var svgSizeRE = regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`)

// svgSize returns the width and height in points that Graphviz wrote on the
// root <svg> element, or 0, 0.
func svgSize(svg []byte) (w, h float64) {
	m := svgSizeRE.FindSubmatch(svg[:min(len(svg), 2048)])
	if m == nil {
		return 0, 0
	}
	w, _ = strconv.ParseFloat(string(bytes.TrimSpace(m[1])), 64)
	h, _ = strconv.ParseFloat(string(bytes.TrimSpace(m[2])), 64)
	return w, h
}
