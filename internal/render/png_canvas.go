package render

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/rasterizer"
	tfont "github.com/tdewolff/font"
)

// The pure-Go rasteriser: github.com/tdewolff/canvas parses Graphviz's SVG
// (paths, polygons, ellipses, dashes, text) and draws it. Measured on
// bigGraph(100), an 8000×4536 px PNG: 2.3 s against 2.6 s for rsvg-convert,
// most of it PNG compression. rsvg-convert stays first all the same: it is
// the full SVG implementation, canvas supports a subset.
//
// canvas looks fonts up by family name among the system fonts it indexes,
// and panics, inside ParseSVG, on a family it cannot find (Graphviz's
// "Helvetica,sans-Serif" for one). So kg picks one font file itself,
// registers it with canvas under its own family name (canvasFamily) and
// rewrites every font-family in the SVG to that name. A recover() turns any
// other panic in canvas into an error.

// canvasFamily and canvasBoldFamily are the family names under which the
// chosen font files are registered with canvas (it always asks for the
// regular style of a family, so bold is a family of its own).
const (
	canvasFamily     = "kg-sans"
	canvasBoldFamily = "kg-sans-bold"
)

// canvasFont is the font set up for canvas.
type canvasFont struct {
	path, boldPath string  // boldPath is "" when no bold cut was found
	scale          float64 // font-size scale (see loadCanvasFont)
}

// pngFont sets up the font the pure-Go rasteriser uses, or returns an
// error wrapping ErrNoRasteriser. A
// variable so tests can simulate a machine without fonts; the search runs
// once per process.
var pngFont = sync.OnceValues(setupCanvasFont)

// fontPrefs are font files in order of preference (lower-cased base names):
// metric clones of Helvetica/Arial first, since Graphviz sized every label
// with Helvetica metrics, then condensed DejaVu (close to Helvetica), then
// common sans-serif fonts.
var fontPrefs = []string{
	"liberationsans-regular.ttf",
	"arial.ttf",
	"helvetica.ttf",
	"nimbussans-regular.otf",
	"nimbussans-regular.ttf",
	"freesans.ttf",
	"dejavusanscondensed.ttf",
	"dejavusans.ttf",
	"notosans-regular.ttf",
	"notosans-regular.otf",
	"opensans-regular.ttf",
	"roboto-regular.ttf",
	"ubuntu-r.ttf",
}

// fontAvoid marks font files that are no good for labels when nothing in
// fontPrefs exists: symbols, monospace, or not the regular weight.
var fontAvoid = regexp.MustCompile(`(?i)bold|italic|oblique|mono|math|symbol|awesome|emoji|icon|dingbat|light|thin|black|heavy|semi|medium|narrow|cond`)

// fontDirs are the directories searched for fonts, recursively.
var fontDirs = func() []string {
	dirs := tfont.DefaultFontDirs()
	// DefaultFontDirs joins XDG_DATA_DIRS (a list) as one path; split it.
	for _, d := range filepath.SplitList(os.Getenv("XDG_DATA_DIRS")) {
		if d != "" {
			dirs = append(dirs, filepath.Join(d, "fonts"))
		}
	}
	return dirs
}

// fontCandidates lists the .ttf and .otf files under dirs, best first.
// Unreadable directories are skipped, not fatal.
func fontCandidates(dirs []string) []string {
	type cand struct {
		rank int
		path string
	}
	var cands []cand
	seen := map[string]bool{}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if seen[path] {
					return filepath.SkipDir
				}
				seen[path] = true
				return nil
			}
			base := strings.ToLower(d.Name())
			if ext := filepath.Ext(base); ext != ".ttf" && ext != ".otf" {
				return nil
			}
			rank := slices.Index(fontPrefs, base)
			switch {
			case rank >= 0:
			case fontAvoid.MatchString(base):
				rank = len(fontPrefs) + 2
			case strings.Contains(base, "sans"):
				rank = len(fontPrefs)
			default:
				rank = len(fontPrefs) + 1
			}
			cands = append(cands, cand{rank, path})
			return nil
		})
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return strings.Compare(a.path, b.path)
	})
	paths := make([]string, len(cands))
	for i, c := range cands {
		paths[i] = c.path
	}
	return paths
}

// helveticaAFM holds Helvetica's advance widths (1/1000 em) for the
// characters of fontSample, from Adobe's AFM.
var helveticaAFM = map[rune]int{
	' ': 278, 'a': 556, 'b': 556, 'c': 500, 'd': 556, 'e': 556, 'f': 278,
	'g': 556, 'h': 556, 'i': 222, 'j': 222, 'k': 500, 'l': 222, 'm': 833,
	'n': 556, 'o': 556, 'p': 556, 'q': 556, 'r': 333, 's': 500, 't': 278,
	'u': 556, 'v': 500, 'w': 722, 'x': 500, 'y': 500, 'z': 500,
	'C': 722, 'F': 611, 'N': 722, 'Q': 778, 'R': 722, '0': 556, '1': 556,
	'2': 556, '3': 556, '4': 556,
}

const fontSample = "the quick brown fox jumps over the lazy dog Russie France Corée du Nord Q142 Q423"

// loadCanvasFont loads a font file with canvas and checks it can draw Latin
// text. It returns the font-size scale that makes the font as wide as
// Helvetica on fontSample (1 for metric clones, ~0.88 for DejaVu Sans),
// never below 0.8 nor above 1.
func loadCanvasFont(path string) (scale float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("font %s: %v", path, r)
		}
	}()
	f, err := canvas.LoadFontFile(path, canvas.FontRegular)
	if err != nil {
		return 0, err
	}
	upem := float64(f.Head.UnitsPerEm)
	if upem == 0 {
		return 0, fmt.Errorf("font %s: no units per em", path)
	}
	var mine, helv float64
	for _, r := range fontSample {
		id := f.GlyphIndex(r)
		if id == 0 {
			return 0, fmt.Errorf("font %s: no glyph for %q", path, r)
		}
		mine += float64(f.GlyphAdvance(id)) / upem
		w, ok := helveticaAFM[r]
		if !ok {
			w = 556
		}
		helv += float64(w) / 1000
	}
	return min(1, max(0.8, helv/mine)), nil
}

// boldCut finds the bold cut of a regular font file in the same directory,
// by the usual naming schemes, or returns "".
func boldCut(path string) string {
	dir, base := filepath.Split(path)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	var names []string
	for _, reg := range []string{"-Regular", "Regular", "-Book", "-R"} {
		if s, ok := strings.CutSuffix(stem, reg); ok {
			names = append(names, s+"-Bold"+ext, s+"Bold"+ext, s+"-B"+ext)
		}
	}
	names = append(names, stem+"-Bold"+ext, stem+"Bold"+ext, stem+"bd"+ext)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if _, err := os.Stat(p); err == nil {
			if _, err := loadCanvasFont(p); err == nil {
				return p
			}
		}
	}
	return ""
}

// setupCanvasFont chooses a font file (and its bold cut) and registers it
// with canvas as canvasFamily (and canvasBoldFamily). canvas only accepts a
// font index through a cache file (CacheSystemFonts), so one is written to
// a temporary file and removed.
func setupCanvasFont() (canvasFont, error) {
	dirs := fontDirs()
	cands := fontCandidates(dirs)
	var path string
	var scale float64
	var errs []error
	for _, c := range cands[:min(len(cands), 20)] {
		s, err := loadCanvasFont(c)
		if err == nil {
			path, scale = c, s
			break
		}
		errs = append(errs, err)
	}
	if path == "" {
		detail := "no .ttf or .otf font in " + strings.Join(dirs, ", ")
		if len(errs) > 0 {
			detail = errors.Join(errs...).Error()
		}
		return canvasFont{}, fmt.Errorf("%w (%s)", ErrNoRasteriser, detail)
	}
	cf := canvasFont{path: path, boldPath: boldCut(path), scale: scale}
	index := &tfont.SystemFonts{
		Generics: map[string][]string{},
		Fonts: map[string]map[tfont.Style]tfont.FontMetadata{
			canvasFamily: {tfont.Regular: {Filename: path, Family: canvasFamily, Style: tfont.Regular}},
		},
	}
	if cf.boldPath != "" {
		index.Fonts[canvasBoldFamily] = map[tfont.Style]tfont.FontMetadata{
			tfont.Regular: {Filename: cf.boldPath, Family: canvasBoldFamily, Style: tfont.Regular},
		}
	}
	tmp, err := os.CreateTemp("", "kg-fonts-*.gob")
	if err != nil {
		return canvasFont{}, fmt.Errorf("render: pure-Go PNG: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = gob.NewEncoder(tmp).Encode(index)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = canvas.CacheSystemFonts(tmp.Name(), nil)
	}
	if err != nil {
		return canvasFont{}, fmt.Errorf("render: pure-Go PNG: registering font %s: %w", path, err)
	}
	return cf, nil
}

var (
	textTagRE    = regexp.MustCompile(`<text [^>]*>`)
	fontFamilyRE = regexp.MustCompile(`font-family="[^"]*"`)
	fontSizeRE   = regexp.MustCompile(`font-size="([0-9.]+)"`)
	boldRE       = regexp.MustCompile(`(?i)font-weight="(bold|[6-9]00)"|font-family="[^"]*bold`)
)

// canvasSVG rewrites Graphviz's SVG for canvas: every font-family becomes
// canvasFamily, or canvasBoldFamily in bold <text> elements when there is a
// bold cut, and font sizes are multiplied by cf.scale.
func canvasSVG(svg []byte, cf canvasFont) []byte {
	if cf.boldPath != "" {
		svg = textTagRE.ReplaceAllFunc(svg, func(tag []byte) []byte {
			if !boldRE.Match(tag) {
				return tag
			}
			return fontFamilyRE.ReplaceAll(tag, []byte(`font-family="`+canvasBoldFamily+`"`))
		})
	}
	svg = fontFamilyRE.ReplaceAllFunc(svg, func(m []byte) []byte {
		if string(m) == `font-family="`+canvasBoldFamily+`"` {
			return m
		}
		return []byte(`font-family="` + canvasFamily + `"`)
	})
	if scale := cf.scale; scale != 1 {
		svg = fontSizeRE.ReplaceAllFunc(svg, func(m []byte) []byte {
			v, err := strconv.ParseFloat(string(fontSizeRE.FindSubmatch(m)[1]), 64)
			if err != nil {
				return m
			}
			return []byte(`font-size="` + strconv.FormatFloat(v*scale, 'f', 2, 64) + `"`)
		})
	}
	return svg
}

// rasterisePureGo converts an SVG document to PNG like rsvg-convert does in
// rasterise (same size, white background), with github.com/tdewolff/canvas.
// canvas cannot be interrupted: when ctx ends first, PNG returns at once and
// the drawing finishes in the background.
func rasterisePureGo(ctx context.Context, w io.Writer, svg []byte) error {
	cf, err := pngFont()
	if err != nil {
		return err
	}
	type result struct {
		png []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		wpt, hpt := svgSize(svg)
		b, err := drawCanvas(canvasSVG(svg, cf), wpt*96/72*zoomFor(wpt, hpt))
		done <- result{b, err}
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case r := <-done:
		if r.err != nil {
			return r.err
		}
		_, err = w.Write(r.png)
		return err
	}
}

// drawCanvas parses svg with canvas and draws it on white, widthPx pixels
// wide (0: at 1.5 × 96 dpi), returning the PNG. Panics in canvas become
// errors.
func drawCanvas(svg []byte, widthPx float64) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("render: pure-Go PNG rasteriser failed: %v (install rsvg-convert: apt-get install librsvg2-bin)", r)
		}
	}()
	c, err := canvas.ParseSVG(bytes.NewReader(svg))
	if err != nil {
		return nil, fmt.Errorf("render: pure-Go PNG: reading SVG: %w", err)
	}
	if c.W <= 0 || c.H <= 0 {
		return nil, errors.New("render: pure-Go PNG: empty drawing")
	}
	// c.W and c.H are nominally millimetres, but canvas takes an SVG's
	// width="730pt" as 973 (CSS pixels): scale to the size wanted instead.
	dpmm := 96 / 25.4 * pngZoom
	if widthPx > 0 {
		dpmm = widthPx / c.W
	}
	if m := max(c.W, c.H) * dpmm; m > maxPNGSide {
		dpmm *= maxPNGSide / m
	}
	img := image.NewRGBA(image.Rect(0, 0, int(c.W*dpmm+0.5), int(c.H*dpmm+0.5)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	ras := rasterizer.FromImage(img, canvas.DPMM(dpmm), canvas.DefaultColorSpace)
	c.RenderTo(ras)
	ras.Close()
	// Compression dominates on big maps (8000×4536 px: 2.4 s at the default
	// level, 1.6 s at BestSpeed, for a file 7% bigger).
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
