package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath finds headless Chromium (Debian's chromium package, which
// .ci/run installs), or "".
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestWebPageInChromium drives kg serve's page in headless Chromium as a
// person would, on the seed: the whole graph on load, a substring search
// ("Korea") through the suggestions, a click on a node of the drawing,
// filters on event and publication dates, a path between two entities,
// a sort, and the article view with the evidence sentence marked. It
// fails on any script error or Content-Security-Policy violation. With
// KG_WEB_SHOTS=DIR it leaves its screenshots there (docs/web-*.png).
func TestWebPageInChromium(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("chromium not installed (apt-get install chromium): the web page was not tested in a browser")
	}
	if testing.Short() {
		t.Skip("-short: the web page was not tested in a browser (about 10 s)")
	}
	// from the repository's root, as a user runs it: the article's id is
	// seeds/dprk-missiles-fr and the server finds its text again
	t.Chdir("../..")
	store := filepath.Join(t.TempDir(), "graph.db")
	if _, errs, code := kgRun(t, "", "--store", store, "ingest", "seeds"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	base := startServe(t, store, "--quiet")

	// Chromium may still write its profile as it exits, which would fail
	// t.TempDir's cleanup; this one is removed best-effort
	profile, err := os.MkdirTemp("", "kg-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 800), chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	// chromedp logs DOM events it does not model (the dialog's top
	// layer); only its other complaints matter
	quiet := func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unhandled node event") {
			t.Log(msg)
		}
	}
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithErrorf(quiet), chromedp.WithLogf(quiet))
	defer cancelC()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	// every script error and console error (a CSP violation is one) fails
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				var args []string
				for _, a := range e.Args {
					if len(a.Value) > 0 {
						args = append(args, string(a.Value))
					} else {
						args = append(args, a.Description)
					}
				}
				problems = append(problems, fmt.Sprintf("console %s: %s", e.Type, strings.Join(args, " ")))
			}
		case *log.EventEntryAdded:
			// a 404 the page asked for (a name that is nowhere) is no fault
			if e.Entry.Level == log.LevelError && e.Entry.Source != log.SourceNetwork {
				problems = append(problems, "log: "+e.Entry.Text)
			}
		}
	})

	shots := t.TempDir()
	if d := os.Getenv("KG_WEB_SHOTS"); d != "" {
		shots = d
	}
	shot := func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var b []byte
			// let the drawing settle: Cytoscape paints on animation frames
			if err := chromedp.Sleep(400 * time.Millisecond).Do(ctx); err != nil {
				return err
			}
			if err := chromedp.CaptureScreenshot(&b).Do(ctx); err != nil {
				return err
			}
			if len(b) < 20000 {
				return fmt.Errorf("screenshot %s: %d bytes, blank?", name, len(b))
			}
			return os.WriteFile(filepath.Join(shots, name), b, 0o644)
		})
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}
	count := func(sel string) int {
		t.Helper()
		var n int
		if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf("document.querySelectorAll(%q).length", sel), &n)); err != nil {
			t.Fatalf("counting %s: %v", sel, err)
		}
		return n
	}
	// waitStatus waits for the status line to say want.
	waitStatus := func(want string) {
		t.Helper()
		js := fmt.Sprintf("document.getElementById('status').textContent.includes(%q)", want)
		if err := chromedp.Run(ctx, chromedp.Poll(js, nil, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("status never said %q; it says %q (%v)", want, text("#status"), err)
		}
	}
	// clickNode clicks an entity where the drawing shows it.
	clickNode := func(id string) {
		t.Helper()
		var xy []float64
		js := fmt.Sprintf(`(() => { const n = kg.cy.getElementById(%q); if (n.empty()) return []; const p = n.renderedPosition();
			const r = document.getElementById("cy").getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; })()`, id)
		if err := chromedp.Run(ctx, chromedp.Evaluate(js, &xy)); err != nil || len(xy) != 2 {
			t.Fatalf("node %s is not drawn (%v)", id, err)
		}
		if err := chromedp.Run(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
			t.Fatal(err)
		}
	}

	// 1. the whole seed graph on load
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base), chromedp.WaitVisible("#facts tbody tr[data-key]", chromedp.ByQuery)); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	waitStatus("The whole graph: 29 facts")
	if n := count("#facts tbody tr[data-key]"); n != 29 {
		t.Errorf("table rows on load: %d, want 29", n)
	}
	if got := text("#stats"); !strings.Contains(got, "1 article") || !strings.Contains(got, "29 facts") {
		t.Errorf("stats line %q", got)
	}

	// 2. a substring search in English finds the French-named entities
	if err := chromedp.Run(ctx, chromedp.SendKeys("#q", "Korea", chromedp.ByQuery),
		chromedp.WaitVisible("#q-list li[role=option]", chromedp.ByQuery)); err != nil {
		t.Fatalf("suggestions: %v", err)
	}
	if err := chromedp.Run(ctx, chromedp.Poll(`document.querySelectorAll("#q-list li[role=option]").length >= 2`, nil,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("suggestions for Korea: %q", text("#q-list"))
	}
	sugg := text("#q-list")
	for _, want := range []string{"Corée du Nord — North Korea", "Corée du Sud — South Korea"} {
		if !strings.Contains(sugg, want) {
			t.Errorf("suggestions for Korea lack %q: %q", want, sugg)
		}
	}
	if err := chromedp.Run(ctx, chromedp.SendKeys("#q", kb.ArrowDown+kb.Enter, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitStatus("within 1 hop of Corée du Nord")
	if got := text("#sel-title"); got != "Corée du Nord" {
		t.Errorf("selection after the search: %q", got)
	}

	// 3. a click on Russia in the drawing expands it and selects it
	clickNode("Q159")
	waitStatus("around Russie")
	if got := text("#sel-title"); got != "Russie" {
		t.Errorf("selection after clicking Russia: %q", got)
	}
	if got := text("#sel-body"); !strings.Contains(got, "Russie attacks Ukraine") {
		t.Errorf("Russia's panel lacks its attack on Ukraine: %q", got)
	}
	// the entities drawn are buttons too, for the keyboard
	if n := count("#node-list button"); n < 12 {
		t.Errorf("%d buttons in the keyboard list of entities (6 entities drawn, two buttons each)", n)
	}
	if err := chromedp.Run(ctx, shot("web-graph.png")); err != nil {
		t.Fatal(err)
	}

	// 4. filters: an event date from 30 December keeps only dated facts,
	// the publication date (January 2024) keeps them all again
	if err := chromedp.Run(ctx, chromedp.SendKeys("#f-since", "2023-12-30", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitStatus("facts match the filters")
	var dates []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("#facts tbody tr[data-key] td.c-date")].map(td => td.textContent)`, &dates)); err != nil {
		t.Fatal(err)
	}
	if len(dates) == 0 {
		t.Fatal("no fact dated from 2023-12-30 shown")
	}
	for _, d := range dates {
		if d < "2023-12-30" {
			t.Errorf("fact dated %q passed the filter", d)
		}
	}
	if n := count("#timeline .tl-dot"); n != len(dates) {
		t.Errorf("timeline shows %d facts, the table %d", n, len(dates))
	}
	if err := chromedp.Run(ctx, chromedp.Click(`input[name=f-datefield][value=published]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.Poll(fmt.Sprintf(`document.querySelectorAll("#facts tbody tr[data-key]").length > %d`, len(dates)), nil,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("publication date filter: still %d rows", count("#facts tbody tr[data-key]"))
	}
	// an event type: ASSAULT only
	if err := chromedp.Run(ctx, chromedp.Click("#f-reset", chromedp.ByQuery), chromedp.Evaluate(`
		for (const c of document.querySelectorAll("#f-events input")) { if (c.value !== "ASSAULT") c.click(); }`, nil)); err != nil {
		t.Fatal(err)
	}
	var events []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("#facts tbody tr[data-key] td.c-event")].map(td => td.textContent)`, &events)); err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || strings.Join(events, ",") != strings.TrimSuffix(strings.Repeat("ASSAULT,", len(events)), ",") {
		t.Errorf("event filter ASSAULT shows %v", events)
	}
	if err := chromedp.Run(ctx, chromedp.Click("#f-reset", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitStatus("Filters cleared")

	// 5. a path from Japan to Russia, named in English
	if err := chromedp.Run(ctx, chromedp.SendKeys("#path-a", "Japan", chromedp.ByQuery), chromedp.SendKeys("#path-b", "Russia", chromedp.ByQuery),
		chromedp.Click("#path button[type=submit]", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitStatus("Path from Japon to Russie: 3 steps")
	if n := count("#sel-body ol li"); n != 3 {
		t.Errorf("path panel lists %d steps, want 3", n)
	}
	if n := count("#facts tbody tr.on-path"); n != 3 {
		t.Errorf("table marks %d rows on the path, want 3", n)
	}
	if err := chromedp.Run(ctx, shot("web-path.png")); err != nil {
		t.Fatal(err)
	}

	// 6. the table sorts by confidence, both ways
	if err := chromedp.Run(ctx, chromedp.Click(`#facts thead th:nth-child(8) button`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	var sort string
	if err := chromedp.Run(ctx, chromedp.AttributeValue(`#facts thead th:nth-child(8)`, "aria-sort", &sort, nil, chromedp.ByQuery)); err != nil || sort != "ascending" {
		t.Errorf("aria-sort after one click: %q %v", sort, err)
	}

	// 7. the article view marks the sentence of the fact read
	var evidence string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { window.scrollTo(0, 0); const tr = document.querySelector("#facts tbody tr.on-path");
		tr.querySelector("button").click(); return tr.querySelector("td.c-evidence").textContent; })()`, &evidence),
		chromedp.WaitVisible("#article-view mark.current", chromedp.ByQuery)); err != nil {
		t.Fatalf("article view: %v", err)
	}
	if got := text("#article-view mark.current"); got != evidence {
		t.Errorf("article view marks %q, want the evidence %q", got, evidence)
	}
	if got := text("#article-text"); !strings.Contains(got, "L'Union européenne et les États-Unis ont dénoncé") {
		t.Errorf("article view lacks the article's text: %.200q", got)
	}
	if err := chromedp.Run(ctx, shot("web-article.png")); err != nil {
		t.Fatal(err)
	}

	// 8. a name that is nowhere, in words for a web user
	if err := chromedp.Run(ctx, chromedp.Click("#article-close", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("q").value = ""`, nil),
		chromedp.SendKeys("#q", "Atlantis\r", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitStatus("Atlantis")
	if got := text("#status"); strings.Contains(got, "kg ") || strings.Contains(got, "--") {
		t.Errorf("message for a web user names a command: %q", got)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("in the page: %s", p)
	}
}
