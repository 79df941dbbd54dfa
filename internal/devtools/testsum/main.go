// Command testsum reads `go test -json` and prints one line per package,
// one line per skipped test saying what was not tested, the output of
// failed tests, and a count. `go test` alone hides skips; this shows a
// newcomer which tests need what (Chromium, rsvg-convert, Python
// libraries, PostgreSQL) without the noise of -v:
//
//	go test -short -json ./... | go run ./internal/devtools/testsum
//
// It exits 1 when a test or a build failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of test2json's output.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	os.Exit(summarise(os.Stdin, os.Stdout))
}

func summarise(in io.Reader, out io.Writer) int {
	type key struct{ pkg, test string }
	logs := map[key][]string{}
	var skips, fails []string
	passed := 0
	var pkgLines []string
	failed := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// build errors come as plain text
			fmt.Fprintln(out, sc.Text())
			failed = true
			continue
		}
		k := key{e.Package, e.Test}
		short := strings.TrimPrefix(e.Package, "github.com/kg-news/kg/")
		switch e.Action {
		case "output":
			logs[k] = append(logs[k], e.Output)
		case "pass":
			if e.Test != "" {
				passed++
			} else {
				pkgLines = append(pkgLines, fmt.Sprintf("ok    %-40s %5.1fs", short, e.Elapsed))
			}
		case "skip":
			if e.Test != "" {
				skips = append(skips, fmt.Sprintf("  %s %s: %s", short, e.Test, reason(logs[k])))
			} else if !hasTests(logs[k]) {
				pkgLines = append(pkgLines, fmt.Sprintf("--    %-40s (no tests)", short))
			}
		case "fail":
			failed = true
			if e.Test != "" {
				fails = append(fails, fmt.Sprintf("FAIL %s %s\n%s", short, e.Test, strings.Join(logs[k], "")))
			} else {
				pkgLines = append(pkgLines, fmt.Sprintf("FAIL  %-40s %5.1fs\n%s", short, e.Elapsed, strings.Join(logs[k], "")))
			}
		}
	}
	sort.Strings(pkgLines)
	for _, l := range pkgLines {
		fmt.Fprintln(out, l)
	}
	if len(skips) > 0 {
		fmt.Fprintln(out, "not tested (skipped):")
		for _, s := range skips {
			fmt.Fprintln(out, s)
		}
	}
	for _, f := range fails {
		fmt.Fprint(out, f)
	}
	fmt.Fprintf(out, "%d passed, %d failed, %d skipped\n", passed, len(fails), len(skips))
	if failed || sc.Err() != nil {
		return 1
	}
	return 0
}

// reason is a skipped test's message: its log lines without the
// file:line prefixes and the === / --- markers, on one line.
func reason(lines []string) string {
	var parts []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		if i := strings.Index(l, ".go:"); i > 0 && !strings.Contains(l[:i], " ") {
			if j := strings.Index(l[i:], ": "); j > 0 {
				l = l[i+j+2:]
			}
		}
		parts = append(parts, l)
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " ")
}

func hasTests(lines []string) bool {
	for _, l := range lines {
		if strings.Contains(l, "no test files") {
			return false
		}
	}
	return true
}
