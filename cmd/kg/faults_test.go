package main

// Faults: kills while articles are replaced, reads while an ingest runs,
// damaged stores, query bombs, a second Unix user, special files and
// signals (issue 15). Each test states the failure it reproduced before
// the change it guards.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/kg-news/kg/internal/graph"
)

// faultCorpus writes n synthetic articles in two versions: b adds a
// sentence to each, so ingesting b over a replaces every article. No
// shared corpus text: the tests run anywhere.
func faultCorpus(t *testing.T, dir string, n int) (a, b string) {
	t.Helper()
	countries := []string{"Russia", "Ukraine", "France", "Germany", "Japan", "China", "Iran", "Israel", "Turkey", "Poland", "Canada", "India"}
	verbs := []string{"attacked", "condemned", "criticised", "threatened"}
	var wa, wb strings.Builder
	for i := range n {
		var sents []string
		for j := range 4 {
			x, y := countries[(i+j)%len(countries)], countries[(i*7+j*3+1)%len(countries)]
			if x == y {
				y = "Spain"
			}
			sents = append(sents, fmt.Sprintf("%s %s %s on %d March 2022.", x, verbs[(i+j)%len(verbs)], y, (i+j)%28+1))
		}
		text := strings.Join(sents, " ")
		for _, v := range []struct {
			w    *strings.Builder
			text string
		}{{&wa, text}, {&wb, text + fmt.Sprintf(" %s condemned %s on 9 April 2022.", countries[i%len(countries)], countries[(i+5)%len(countries)])}} {
			line, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("fault-%03d", i), "lang": "en", "text": v.text})
			v.w.Write(line)
			v.w.WriteByte('\n')
		}
	}
	return writeFile(t, dir, "a.jsonl", wa.String()), writeFile(t, dir, "b.jsonl", wb.String())
}

// TestReplaceKilled ingests a corpus, then kills re-ingests of its other
// version (every article changed) with SIGKILL at random moments, a
// bounded number of times, on bbolt and, when KG_TEST_POSTGRES is set, on
// PostgreSQL. After every kill each article must be stored whole as its
// old version or its new one: none missing. Before a replace was one
// transaction, 3 kills in 7 left 98–100 articles missing on bbolt (the
// delete had committed, the add had not).
func TestReplaceKilled(t *testing.T) {
	kg := buildKG(t)
	stores := map[string]string{"bbolt": filepath.Join(t.TempDir(), "graph.db")}
	if uri := os.Getenv("KG_TEST_POSTGRES"); uri != "" {
		// a schema of its own: the graph package's tests use the same
		// database at the same time, and one writer holds a schema's lock
		stores["postgres"] = postgresSchema(t, uri, "kg_killed")
	}
	for _, backend := range []string{"bbolt", "postgres"} {
		store, ok := stores[backend]
		t.Run(backend, func(t *testing.T) {
			if !ok {
				t.Skip("KG_TEST_POSTGRES not set")
			}
			if backend == "postgres" {
				emptyPostgresStore(t, store)
			}
			replaceKilled(t, kg, store)
		})
	}
}

// emptyPostgresStore deletes every article of the PostgreSQL test store.
func emptyPostgresStore(t *testing.T, uri string) {
	t.Helper()
	st, err := graph.Open(context.Background(), uri, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	arts, err := st.Articles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if err := st.DeleteArticle(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func replaceKilled(t *testing.T, kg, store string) {
	dir := t.TempDir()
	const n = 150
	a, b := faultCorpus(t, dir, n)
	expA, expB := expectedFacts(t, kg, a), expectedFacts(t, kg, b)
	t0 := time.Now()
	if out, err := exec.Command(kg, "--store", store, "ingest", "--batch", "8", a).CombinedOutput(); err != nil {
		t.Fatalf("first ingest: %v\n%s", err, out)
	}
	full := time.Since(t0)
	if got := verifyStore(t, store, expA, expB); got != n {
		t.Fatalf("first ingest stored %d articles of %d", got, n)
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("a full ingest takes %v; seed %d", full.Round(time.Millisecond), seed)
	start := time.Now()
	killed := 0
	for i := 0; i < 8 && time.Since(start) < 12*time.Second; i++ {
		corpus := b
		if i%2 == 1 {
			corpus = a
		}
		c := exec.Command(kg, "--store", store, "ingest", "--batch", "8", corpus)
		var out bytes.Buffer
		c.Stdout, c.Stderr = &out, &out
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		delay := 30*time.Millisecond + time.Duration(rng.Int63n(int64(full)))
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("loop %d: ingest failed before the kill: %v\n%s", i, err, out.String())
			}
		case <-time.After(delay):
			c.Process.Kill()
			<-done
			killed++
		}
		if got := verifyStore(t, store, expA, expB); got != n {
			t.Fatalf("loop %d (kill after %v): %d articles stored of %d: a replaced article went missing", i, delay.Round(time.Millisecond), got, n)
		}
		if t.Failed() {
			t.Fatalf("store broken after loop %d", i)
		}
	}
	t.Logf("%d kills in %v: every article whole after each", killed, time.Since(start).Round(time.Second))
}

// TestReadWhileIngesting reads a bbolt store, with kg stats and through
// kg serve, while kg ingest writes it in small batches: every read
// answers within a few seconds from a committed batch (the count of
// articles only grows, and is seen between the first and the last).
// Before, every read was refused ("in use by another process") until the
// ingest ended.
func TestReadWhileIngesting(t *testing.T) {
	kg := buildKG(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	_, b := faultCorpus(t, dir, 400)
	if out, err := exec.Command(kg, "--store", store, "ingest", writeFile(t, dir, "one.jsonl", goodJSONL)).CombinedOutput(); err != nil {
		t.Fatalf("seed ingest: %v\n%s", err, out)
	}
	base := startServe(t, store, "--quiet")
	ing := exec.Command(kg, "--store", store, "ingest", "--batch", "10", b)
	var iout bytes.Buffer
	ing.Stdout, ing.Stderr = &iout, &iout
	if err := ing.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ing.Wait() }()
	var counts []int
	reads, serveReads := 0, 0
	last := -1
loop:
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("ingest: %v\n%s", err, iout.String())
			}
			break loop
		case <-time.After(100 * time.Millisecond):
		}
		st := time.Now()
		out, err := exec.Command(kg, "--store", store, "stats", "--format", "json").CombinedOutput()
		if el := time.Since(st); el > 7*time.Second {
			t.Errorf("kg stats took %v during the ingest", el)
		}
		var s struct{ Articles int }
		if err != nil || json.Unmarshal(out, &s) != nil {
			select {
			case <-done: // the ingest may have ended meanwhile: fine either way
				done <- nil
			default:
			}
			t.Fatalf("kg stats during the ingest: %v\n%s", err, out)
		}
		reads++
		if s.Articles < last {
			t.Errorf("articles went from %d to %d", last, s.Articles)
		}
		if s.Articles != last {
			counts = append(counts, s.Articles)
		}
		last = s.Articles
		if code, body := httpDo(t, "GET", base+"/api/stats", "", ""); code != http.StatusOK {
			t.Errorf("kg serve during the ingest: %d %s", code, body)
		} else {
			serveReads++
		}
	}
	t.Logf("%d kg stats and %d /api/stats during the ingest; article counts seen: %v", reads, serveReads, counts)
	mid := 0
	for _, c := range counts {
		if c > 3 && c < 403 {
			mid++
		}
	}
	if reads == 0 || mid == 0 {
		t.Errorf("no read saw the ingest half way (counts %v)", counts)
	}
}

// TestServeWritableReports posts more articles than kg serve --writable
// can extract before the request's time runs out: it answers 200 with
// what it stored and where it stopped, and stored exactly that. Before,
// the client got a 504 after 30 s while the server went on storing (255
// of 598 articles).
func TestServeWritableReports(t *testing.T) {
	store := filepath.Join(t.TempDir(), "graph.db")
	var body strings.Builder
	a, _ := faultCorpus(t, t.TempDir(), 1500)
	data, _ := os.ReadFile(a)
	body.Write(data)
	base := startServe(t, store, "--writable", "--quiet", "--request-timeout", "3s")
	start := time.Now()
	code, resp := httpDo(t, "POST", base+"/api/articles", "application/x-ndjson", body.String())
	el := time.Since(start)
	var res struct {
		Articles int      `json:"articles"`
		Skipped  []string `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(resp), &res); err != nil || code != http.StatusOK {
		t.Fatalf("POST: %d after %v: %s", code, el, resp)
	}
	t.Logf("POST answered %d after %v: %d articles stored, %q", code, el.Round(time.Millisecond), res.Articles, res.Skipped)
	if el > 4*time.Second {
		t.Errorf("answered after %v, past the request's 3 s", el)
	}
	if res.Articles == 0 || res.Articles == 1500 {
		t.Fatalf("stored %d of 1500: the test needs a body that takes longer than the timeout", res.Articles)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "send them again") {
		t.Errorf("skipped: %q", res.Skipped)
	}
	code, stats := httpDo(t, "GET", base+"/api/stats", "", "")
	var st struct{ Articles int }
	json.Unmarshal([]byte(stats), &st)
	if code != http.StatusOK || st.Articles != res.Articles {
		t.Errorf("the store holds %d articles, the answer said %d", st.Articles, res.Articles)
	}
}

// TestPanicIsReported plants a panic in a command: kg exits 1 (not Go's 2,
// which is kg's usage code) with a message asking for a bug report.
func TestPanicIsReported(t *testing.T) {
	defer func(old func(*IOStreams) *cobra.Command) { newRoot = old }(newRoot)
	newRoot = func(ios *IOStreams) *cobra.Command {
		root := newRootCmd(ios)
		root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error {
			var m map[string]int
			m["x"]++ // a nil map: a runtime panic, as a bug would be
			return nil
		}})
		return root
	}
	_, errs, code := kgRun(t, "", "boom")
	if code != exitError || !strings.Contains(errs, "kg: internal error: assignment to entry in nil map") ||
		!strings.Contains(errs, "This is a bug in kg. Please report it at "+bugReports) {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
}

// panicRE matches what a Go crash prints.
var panicRE = regexp.MustCompile(`(?m)^(panic: |fatal error: |goroutine \d+ \[|unexpected fault address)|internal error`)

// TestDamagedStoreCLI damages copies of a store (truncated, meta pages and
// bytes flipped, garbage pages) and runs the read commands, kg check and
// kg check --repair on each: none may crash or exit 2; reads say the
// store is damaged and point to kg check; check --repair leaves a store
// that passes kg check. Before, 22 of 140 such commands panicked or
// faulted, kg check itself on 7 copies. Bounded: 10 copies, 25 s.
func TestDamagedStoreCLI(t *testing.T) {
	kg := buildKG(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	a, _ := faultCorpus(t, dir, 20)
	if out, err := exec.Command(kg, "--store", src, "ingest", a).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(src, "indexes.bolt"))
	if err != nil {
		t.Fatal(err)
	}
	seed := time.Now().UnixNano()
	if v, err := strconv.ParseInt(os.Getenv("KG_TEST_SEED"), 10, 64); err == nil {
		seed = v // to replay a failure
	}
	rng := rand.New(rand.NewSource(seed))
	psize := os.Getpagesize()
	used := func(d []byte) []int {
		var out []int
		for p := 2; (p+1)*psize <= len(d); p++ {
			if !bytes.Equal(d[p*psize+16:p*psize+64], make([]byte, 48)) {
				out = append(out, p)
			}
		}
		return out
	}
	edits := []struct {
		name string
		edit func(d []byte) []byte
	}{
		{"truncated to 40%", func(d []byte) []byte { return d[:len(d)*2/5/psize*psize] }},
		{"truncated mid-page", func(d []byte) []byte { return d[:len(d)*9/10+123] }},
		{"meta page 0 flipped", func(d []byte) []byte { d[20+rng.Intn(50)] ^= 0xff; return d }},
		{"both meta pages flipped", func(d []byte) []byte { d[20] ^= 0xff; d[psize+20] ^= 0xff; return d }},
	}
	for i := range 3 {
		edits = append(edits, struct {
			name string
			edit func(d []byte) []byte
		}{fmt.Sprintf("bytes flipped %d", i), func(d []byte) []byte {
			u := used(d)
			for range 2 + 4*i {
				p := u[rng.Intn(len(u))]
				d[p*psize+rng.Intn(psize)] ^= byte(1 << rng.Intn(8))
			}
			return d
		}})
	}
	for i := range 3 {
		edits = append(edits, struct {
			name string
			edit func(d []byte) []byte
		}{fmt.Sprintf("garbage page %d", i), func(d []byte) []byte {
			u := used(d)
			p := u[rng.Intn(len(u))]
			rng.Read(d[p*psize : (p+1)*psize])
			return d
		}})
	}
	t.Logf("seed %d (KG_TEST_SEED replays it)", seed)
	start := time.Now()
	runs := 0
	for _, e := range edits {
		if time.Since(start) > 25*time.Second {
			t.Logf("stopping at the time bound before %q", e.name)
			break
		}
		store := filepath.Join(t.TempDir(), "graph.db")
		os.MkdirAll(store, 0o755)
		os.WriteFile(filepath.Join(store, "indexes.bolt"), e.edit(append([]byte(nil), data...)), 0o644)
		kgc := func(args ...string) (int, string, string) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c := exec.CommandContext(ctx, kg, append([]string{"--store", store}, args...)...)
			c.Cancel = func() error { return c.Process.Signal(syscall.SIGQUIT) } // a hang shows its stacks
			c.WaitDelay = 5 * time.Second
			var out, errb bytes.Buffer
			c.Stdout, c.Stderr = &out, &errb
			c.Run()
			runs++
			code := c.ProcessState.ExitCode()
			if ctx.Err() != nil {
				t.Errorf("%s: kg %s hung", e.name, strings.Join(args, " "))
			}
			if code == exitUsage || code < 0 || panicRE.MatchString(errb.String()) {
				t.Errorf("%s: kg %s crashed (exit %d):\n%s", e.name, strings.Join(args, " "), code, errb.String())
			}
			return code, out.String(), errb.String()
		}
		damaged := false
		// kg query is left out: Cayley runs a Gizmo script on a goroutine
		// of its own, where a fault on a damaged page cannot be caught
		// (a known gap, README Reliability).
		for _, args := range [][]string{{"stats"}, {"facts"}, {"entities"}, {"neighbors", "Russia"}} {
			code, _, errs := kgc(args...)
			if code == exitError {
				if !strings.Contains(errs, "is damaged") || !strings.Contains(errs, "run 'kg check'") {
					t.Errorf("%s: kg %s: exit 1 without saying the store is damaged: %s", e.name, args[0], errs)
				}
				damaged = true
			}
		}
		code, out, errs := kgc("check")
		if damaged && code == exitOK {
			t.Errorf("%s: reads failed but kg check says ok:\n%s", e.name, out)
		}
		code, out, errs = kgc("check", "--repair")
		if code != exitOK && code != exitPartial {
			if !strings.Contains(out, "nothing could be read") {
				t.Errorf("%s: kg check --repair: exit %d\n%s%s", e.name, code, out, errs)
			}
			continue
		}
		if code, out, errs := kgc("check"); code != exitOK {
			t.Errorf("%s: kg check after the repair: exit %d\n%s%s", e.name, code, out, errs)
		}
		t.Logf("%s: repaired: %s", e.name, strings.Join(regexp.MustCompile(`(?m)^(\d+ of \d+ article.*|lost.*)$`).FindAllString(out, -1), "; "))
	}
	t.Logf("%d commands on %d damaged copies in %v", runs, len(edits), time.Since(start).Round(time.Second))
}

// TestQueryBombCLI runs `var s="x"; while(true){s=s+s}` through kg query
// with --timeout 2s: it stops well within the limit, on its memory budget,
// and the process stays small. Before, the CLI stopped at 4.1 s and a
// server grew past 6 GB.
func TestQueryBombCLI(t *testing.T) {
	kg := buildKG(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	if out, err := exec.Command(kg, "--store", store, "ingest", writeFile(t, dir, "one.jsonl", goodJSONL)).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	for _, q := range []struct{ name, src, want string }{
		{"string doubling", `var s="x"; while(true){s=s+s}`, "memory"},
		{"busy loop", `while(true){}`, "stopped after 2s"},
	} {
		c := exec.Command(kg, "--store", store, "query", "--timeout", "2s", q.src)
		var errb bytes.Buffer
		c.Stderr = &errb
		start := time.Now()
		c.Run()
		el := time.Since(start)
		ru, _ := c.ProcessState.SysUsage().(*syscall.Rusage)
		var rss int64
		if ru != nil {
			rss = ru.Maxrss >> 10
		}
		t.Logf("%s: exit %d after %v, peak RSS %d MB: %s", q.name, c.ProcessState.ExitCode(), el.Round(time.Millisecond), rss, strings.TrimSpace(errb.String()))
		if c.ProcessState.ExitCode() != exitError || !strings.Contains(errb.String(), q.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 mentioning %q", q.name, c.ProcessState.ExitCode(), errb.String(), q.want)
		}
		if el > 2500*time.Millisecond {
			t.Errorf("%s: stopped after %v, past its 2 s", q.name, el)
		}
		if rss > 1200 {
			t.Errorf("%s: peak RSS %d MB", q.name, rss)
		}
	}
}

// TestSecondUser runs kg as root, then as another user (uid 65534) with
// the same temporary directory, on a store root made: the second user's
// kg starts, reads and draws a map. Before, go-graphviz's WebAssembly
// cache in the shared temp dir, made by the first user, made every
// command of any other user panic at start. Needs root (to run as another
// user); skipped otherwise.
func TestSecondUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("runs kg as another user: needs root")
	}
	kg := buildKG(t)
	open := func(dir string) { // let the other user reach the binary and the store
		for d := dir; d != "/" && d != "." && d != os.TempDir(); d = filepath.Dir(d) {
			os.Chmod(d, 0o755)
		}
	}
	open(filepath.Dir(kg))
	dir := t.TempDir()
	open(dir)
	shared := filepath.Join(dir, "tmp") // the system's temp dir of both users
	os.Mkdir(shared, 0o777)
	os.Chmod(shared, 0o1777)
	rootHome, otherHome := filepath.Join(dir, "root"), filepath.Join(dir, "other")
	os.Mkdir(rootHome, 0o700)
	os.Mkdir(otherHome, 0o700)
	const uid = 65534
	os.Chown(otherHome, uid, uid)
	store := filepath.Join(dir, "graph.db")
	env := func(home string) []string {
		return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + shared}
	}
	run := func(home string, cred *syscall.Credential, args ...string) (string, int) {
		c := exec.Command(kg, args...)
		c.Env = env(home)
		c.Dir = home
		if cred != nil {
			c.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		out, _ := c.CombinedOutput()
		return string(out), c.ProcessState.ExitCode()
	}
	if out, code := run(rootHome, nil, "--store", store, "ingest", writeFile(t, dir, "one.jsonl", goodJSONL)); code != 0 {
		t.Fatalf("as root: exit %d\n%s", code, out)
	}
	other := &syscall.Credential{Uid: uid, Gid: uid}
	for _, args := range [][]string{
		{"schema"},
		{"--store", store, "facts"},
		{"--store", store, "render", "--entity", "Russia", "-o", filepath.Join(otherHome, "map.svg")},
	} {
		out, code := run(otherHome, other, args...)
		if code != 0 || panicRE.MatchString(out) {
			t.Errorf("as uid %d: kg %s: exit %d\n%s", uid, strings.Join(args, " "), code, out)
		}
	}
	if _, err := os.Stat(filepath.Join(otherHome, "map.svg")); err != nil {
		t.Errorf("the other user's map: %v", err)
	}
	if _, err := os.Stat(filepath.Join(otherHome, ".cache", "kg", "go-graphviz")); err != nil {
		t.Errorf("the other user's cache is not in their own cache dir: %v", err)
	}
}

// TestSpecialInputs puts a FIFO beside an article in an input directory
// and names a character device: kg ingest and kg extract skip both with a
// message and handle the rest. Before, the FIFO hung them for ever,
// deaf to SIGINT and SIGTERM.
func TestSpecialInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	writeFile(t, in, "good.jsonl", goodJSONL)
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.jsonl"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	store := filepath.Join(dir, "graph.db")
	for _, args := range [][]string{{"--store", store, "ingest", in, "/dev/zero"}, {"extract", in}} {
		ingesting := args[0] == "--store"
		done := make(chan struct{})
		var out, errs string
		var code int
		go func() {
			out, errs, code = kgRun(t, "", args...)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			// the FIFO blocks open(2) in a goroutine that cannot be
			// stopped: unblock it by opening the write end, then fail
			if f, err := os.OpenFile(filepath.Join(in, "pipe.jsonl"), os.O_WRONLY, 0); err == nil {
				f.Close()
			}
			<-done
			t.Fatalf("kg %s hung on the FIFO", args[len(args)-2])
		}
		want := exitOK // kg extract: 3 only when nothing could be extracted
		if ingesting {
			want = exitPartial
		}
		if code != want || !strings.Contains(errs, "pipe.jsonl: not a regular file (a named pipe): skipped") {
			t.Errorf("kg %v: exit %d, stderr %q", args, code, errs)
		}
		if ingesting && !strings.Contains(errs, "/dev/zero: not a regular file (a character device): skipped") {
			t.Errorf("kg ingest /dev/zero: stderr %q", errs)
		}
		if !strings.Contains(out, "good-a") && !strings.Contains(out, ": 3 stored,") {
			t.Errorf("kg %v did not handle the good file: %s", args, out)
		}
	}
}

// TestIngestSignal sends SIGINT, then (to a second run) SIGTERM, to kg
// ingest reading stdin that stays open: it stores the articles it has
// read, summarises and exits 1 within seconds; the articles are then in
// the store. Before, the ingest never ended (its reader blocked in a read
// the signal did not reach).
func TestIngestSignal(t *testing.T) {
	kg := buildKG(t)
	dir := t.TempDir()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		store := filepath.Join(dir, sig.String()+".db")
		c := exec.Command(kg, "--store", store, "ingest", "-")
		stdin, _ := c.StdinPipe()
		var out, errb bytes.Buffer
		c.Stdout, c.Stderr = &out, &errb
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		io.WriteString(stdin, goodJSONL)
		time.Sleep(3 * time.Second) // extracted, waiting in the batch
		c.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		start := time.Now()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			c.Process.Kill()
			<-done
			t.Fatalf("%v: kg ingest did not stop", sig)
		}
		stdin.Close()
		t.Logf("%v: exit %d after %v: %s%s", sig, c.ProcessState.ExitCode(), time.Since(start).Round(time.Millisecond), out.String(), errb.String())
		m := regexp.MustCompile(`: (\d+) stored,`).FindStringSubmatch(out.String())
		if c.ProcessState.ExitCode() != exitError || m == nil || !strings.Contains(errb.String(), "stopped by a signal") {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", sig, c.ProcessState.ExitCode(), out.String(), errb.String())
		}
		n, _ := strconv.Atoi(m[1])
		res, _ := exec.Command(kg, "--store", store, "stats", "--format", "json").Output()
		var st struct{ Articles int }
		json.Unmarshal(res, &st)
		if n == 0 || st.Articles != n {
			t.Errorf("%v: the summary says %d articles, the store holds %d", sig, n, st.Articles)
		}
	}
}
