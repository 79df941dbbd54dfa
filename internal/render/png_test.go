package render

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pngOrSkip renders g to PNG, skipping the test when no rasteriser exists.
func pngOrSkip(t testing.TB, o Options) image.Image {
	t.Helper()
	var buf bytes.Buffer
	err := PNG(context.Background(), &buf, testGraph(), o)
	if errors.Is(err, ErrNoRasteriser) {
		t.Skip("rsvg-convert not installed: ", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.TempDir()+"/render-test.png", buf.Bytes(), 0o644); err != nil {
		t.Log(err)
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("output is not a PNG: %v", err)
	}
	return img
}

func TestPNG(t *testing.T) {
	img := pngOrSkip(t, Options{Title: "Test map", Focus: "Q423"})
	checkPNG(t, img)
}

// checkPNG checks a rendering of testGraph: its size, and that edge lines
// are drawn. go-graphviz's own PNG draws text and arrowheads but no edge
// lines (issue #106). The "condemns" edges are orange (#dd6b20); their
// pixels must be numerous and spread across the map, not clustered in a few
// labels.
func checkPNG(t *testing.T, img image.Image) {
	t.Helper()
	bnd := img.Bounds()
	if bnd.Dx() < 400 || bnd.Dy() < 300 {
		t.Fatalf("PNG is only %dx%d", bnd.Dx(), bnd.Dy())
	}
	orange, nonWhite := 0, 0
	minX, maxX := bnd.Max.X, bnd.Min.X
	legendTop := bnd.Min.Y + bnd.Dy()*3/4 // the legend sits at the bottom of this wide map
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			if r < 245 || g < 245 || b < 245 {
				nonWhite++
			}
			if near(r, 0xdd, 40) && near(g, 0x6b, 40) && near(b, 0x20, 40) && y < legendTop {
				orange++
				minX, maxX = min(minX, x), max(maxX, x)
			}
		}
	}
	t.Logf("%dx%d, %d non-white pixels, %d orange edge pixels spanning x %d..%d", bnd.Dx(), bnd.Dy(), nonWhite, orange, minX, maxX)
	if orange < 1500 {
		t.Errorf("only %d orange pixels: edge lines missing?", orange)
	}
	if maxX-minX < bnd.Dx()/4 {
		t.Errorf("orange pixels span %d px of %d: edge lines missing?", maxX-minX, bnd.Dx())
	}
	if nonWhite < bnd.Dx()*bnd.Dy()/50 {
		t.Errorf("only %d non-white pixels", nonWhite)
	}
}

// withoutRsvg makes PNG behave as if rsvg-convert were not installed.
func withoutRsvg(t testing.TB) {
	old := rsvgPath
	t.Cleanup(func() { rsvgPath = old })
	rsvgPath = func() (string, error) { return "", errors.New("not found") }
}

// TestPNGPureGo renders through the pure-Go rasteriser, as on a machine
// without rsvg-convert, and leaves the result in /tmp/render-purego.png.
func TestPNGPureGo(t *testing.T) {
	withoutRsvg(t)
	cf, err := pngFont()
	if err != nil {
		t.Skip("no font for the pure-Go rasteriser: ", err)
	}
	t.Logf("font %s, bold %s, size scale %.3f", cf.path, cf.boldPath, cf.scale)
	checkPNG(t, renderPureGo(t, "render-purego.png"))
}

// TestPNGPureGoDejaVu renders with the pure-Go rasteriser on a machine
// whose only fonts are Debian's fonts-dejavu-core (no condensed cut, no
// Helvetica clone), leaving the result in /tmp/render-purego-dejavu.png.
func TestPNGPureGoDejaVu(t *testing.T) {
	src := "/usr/share/fonts/truetype/dejavu"
	dir := t.TempDir()
	for _, f := range []string{"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"} {
		if _, err := os.Stat(filepath.Join(src, f)); err != nil {
			t.Skip("DejaVu fonts not installed: ", err)
		}
		if err := os.Symlink(filepath.Join(src, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	withoutRsvg(t)
	oldDirs, oldFont := fontDirs, pngFont
	t.Cleanup(func() {
		fontDirs, pngFont = oldDirs, oldFont
		setupCanvasFont() // register the usual font with canvas again
	})
	fontDirs = func() []string { return []string{dir} }
	cf, err := setupCanvasFont()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("font %s, bold %s, size scale %.3f", cf.path, cf.boldPath, cf.scale)
	if !strings.Contains(cf.path, "DejaVuSans") || cf.boldPath == "" {
		t.Errorf("font %q, bold %q: want DejaVu Sans and its bold", cf.path, cf.boldPath)
	}
	pngFont = func() (canvasFont, error) { return cf, nil }
	checkPNG(t, renderPureGo(t, "render-purego-dejavu.png"))
}

// renderPureGo renders testGraph with the pure-Go rasteriser (rsvg-convert
// must be hidden), writes the PNG to name in the temporary directory and
// decodes it.
func renderPureGo(t *testing.T, name string) image.Image {
	t.Helper()
	var buf bytes.Buffer
	start := time.Now()
	if err := PNG(context.Background(), &buf, testGraph(), Options{Title: "Test map", Focus: "Q423"}); err != nil {
		t.Fatal(err)
	}
	t.Logf("rendered in %v", time.Since(start).Round(time.Millisecond))
	if err := os.WriteFile(filepath.Join(os.TempDir(), name), buf.Bytes(), 0o644); err != nil {
		t.Log(err)
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("output is not a PNG: %v", err)
	}
	return img
}

// TestPNGPureGoSameSize checks both rasterisers make the same image size.
func TestPNGPureGoSameSize(t *testing.T) {
	rs := pngOrSkip(t, Options{Title: "Test map", Focus: "Q423"}).Bounds()
	withoutRsvg(t)
	var buf bytes.Buffer
	err := PNG(context.Background(), &buf, testGraph(), Options{Title: "Test map", Focus: "Q423"})
	if errors.Is(err, ErrNoRasteriser) {
		t.Skip("no font for the pure-Go rasteriser: ", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if d := cfg.Width - rs.Dx(); d < -2 || d > 2 || cfg.Height-rs.Dy() < -2 || cfg.Height-rs.Dy() > 2 {
		t.Errorf("pure Go %dx%d, rsvg-convert %dx%d", cfg.Width, cfg.Height, rs.Dx(), rs.Dy())
	}
}

// TestCanvasPanicIsError feeds canvas a font family it cannot find, which
// makes its SVG parser panic: the panic must come back as an error.
func TestCanvasPanicIsError(t *testing.T) {
	svg := []byte(`<svg width="100pt" height="50pt" viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg"><text x="10" y="20" font-family="No Such Font,sans-Serif" font-size="12">x</text></svg>`)
	_, err := drawCanvas(svg, 1)
	if err == nil {
		t.Skip("canvas drew an unknown font family without panicking")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "rsvg-convert") {
		t.Errorf("error does not name rsvg-convert: %v", err)
	}
}

func near(v, want uint32, tol int) bool {
	d := int(v) - int(want)
	return d >= -tol && d <= tol
}

// TestPNGWithoutRasteriser: no rsvg-convert and no font at all.
func TestPNGWithoutRasteriser(t *testing.T) {
	withoutRsvg(t)
	oldDirs, oldFont := fontDirs, pngFont
	defer func() { fontDirs, pngFont = oldDirs, oldFont }()
	fontDirs = func() []string { return []string{t.TempDir()} }
	pngFont = setupCanvasFont
	err := PNG(context.Background(), &bytes.Buffer{}, testGraph(), Options{})
	if !errors.Is(err, ErrNoRasteriser) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"rsvg-convert", "fonts-dejavu-core"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

func BenchmarkPNG100(b *testing.B) {
	if _, err := rsvgPath(); err != nil {
		b.Skip("rsvg-convert not installed")
	}
	benchPNG(b, 100)
}

func BenchmarkPNGPureGo100(b *testing.B) {
	withoutRsvg(b)
	if _, err := pngFont(); err != nil {
		b.Skip(err)
	}
	benchPNG(b, 100)
}

func benchPNG(b *testing.B, n int) {
	g := bigGraph(n)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := PNG(context.Background(), &buf, g, Options{}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes")
}
