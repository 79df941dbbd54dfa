package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWebPageInChromium loads the search page in headless Chromium (Debian's
// chromium package; skipped when absent), asks for Russia's neighbourhood
// and checks the page shows the map and the facts with their evidence:
// what a person sees, not what a fake DOM would.
func TestWebPageInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("no chromium: apt-get install chromium")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	store := seededStore(t)
	base := startServe(t, store)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	shot := filepath.Join(t.TempDir(), "page.png")
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1300,1100", "--virtual-time-budget=15000"}
	dom, err := exec.CommandContext(ctx, chromium, append(args, "--dump-dom", base+"?entity=Russie&depth=1")...).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	page := string(dom)
	for _, want := range []string{
		`<img alt="relationship map of Russie (Q159)" src="/map.svg?entity=Q159&amp;depth=1">`,
		"attacks", "Ukraine (Q212)", "frappe aérienne lancée par la Russie", // a fact and its evidence
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("page contains a live script from data")
	}
	// and a screenshot, kept when KG_WEB_SHOT names a file, to look at
	if err := exec.CommandContext(ctx, chromium, append(args, "--screenshot="+shot, base+"?entity=Russie&depth=1")...).Run(); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 20000 {
		t.Fatalf("screenshot missing or blank: %v", err)
	}
	if dst := os.Getenv("KG_WEB_SHOT"); dst != "" {
		b, _ := os.ReadFile(shot)
		os.WriteFile(dst, b, 0o644)
	}
}
