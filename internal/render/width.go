package render

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/kg-news/kg/schema"
)

// labelWidth returns a minimum node width, in inches, for labels Graphviz
// would size too small. The wasm Graphviz has no fonts: it estimates text
// width from Helvetica metrics per UTF-8 byte, which suits Latin text but
// makes Cyrillic, Greek, Arabic and especially Hangul, kana and CJK labels
// 20-25% (or more) too narrow, so their text spills over the node. For
// such labels we estimate the width per rune (em-wide for East Asian
// scripts) and set it as the node's width, which Graphviz treats as a
// minimum. Latin-only labels are left to Graphviz.
func labelWidth(e schema.Entity, fontSize float64) (string, bool) {
	lines := nodeLabelLines(e)
	wide := false
	for _, r := range lines[0] {
		if r > 0x24F {
			wide = true
			break
		}
	}
	if !wide {
		return "", false
	}
	w := 0.0
	for _, line := range lines {
		lw := 0.0
		for _, r := range line {
			lw += runeEm(r)
		}
		w = max(w, lw)
	}
	// 0.12 in of margin each side, as set in populate, plus 10% slack for
	// the shape's curvature (ellipse, hexagon).
	in := (w*fontSize/72)*1.1 + 0.24
	return strconv.FormatFloat(float64(int(in*100+0.99))/100, 'f', 2, 64), true
}

// nodeLabelLines is the node label as displayed (before escaping): the
// name, and the Wikidata id if any.
func nodeLabelLines(e schema.Entity) []string {
	name := e.Name
	if strings.TrimSpace(name) == "" {
		name = e.ID
	}
	lines := []string{clean(name, maxName)}
	if schema.IsQID(e.ID) {
		lines = append(lines, e.ID)
	}
	return lines
}

// runeEm estimates a rune's advance in em for a sans-serif font.
func runeEm(r rune) float64 {
	switch {
	case r < 0x80:
		if r == ' ' || r == 'i' || r == 'l' || r == 'j' || r == 't' || r == 'f' || r == '.' || r == ',' {
			return 0.3
		}
		if unicode.IsUpper(r) || r == 'm' || r == 'w' {
			return 0.72
		}
		return 0.56
	case unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0xFF00 && r <= 0xFF60) || (r >= 0x3000 && r <= 0x303F):
		return 1.0
	case unicode.Is(unicode.Mn, r):
		return 0
	default:
		return 0.66
	}
}
