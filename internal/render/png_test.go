package render

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"testing"
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
	bnd := img.Bounds()
	if bnd.Dx() < 400 || bnd.Dy() < 300 {
		t.Fatalf("PNG is only %dx%d", bnd.Dx(), bnd.Dy())
	}
	// go-graphviz's own PNG draws text and arrowheads but no edge lines
	// (issue #106). Check the lines are there: the "condemns" edges are
	// orange (#dd6b20); their pixels must be numerous and spread across the
	// map, not clustered in a few labels.
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

func near(v, want uint32, tol int) bool {
	d := int(v) - int(want)
	return d >= -tol && d <= tol
}

func TestPNGWithoutRasteriser(t *testing.T) {
	old := rsvgPath
	defer func() { rsvgPath = old }()
	rsvgPath = func() (string, error) { return "", errors.New("not found") }
	err := PNG(context.Background(), &bytes.Buffer{}, testGraph(), Options{})
	if !errors.Is(err, ErrNoRasteriser) {
		t.Fatalf("err = %v", err)
	}
	if !bytes.Contains([]byte(err.Error()), []byte("rsvg-convert")) {
		t.Errorf("error does not name rsvg-convert: %v", err)
	}
}
