// Command serveload puts a running kg serve under load and reports
// latency percentiles and throughput, for bench/compare.sh:
//
//	serveload -url http://127.0.0.1:8080 -clients 20 -duration 20s
//
// Each client sends requests back to back until the time is up: a map
// (/map.svg, depth 1) with probability -maps, otherwise a JSON endpoint
// (/api/stats, /api/facts, /api/neighbors, /api/entities?q=, /api/resolve).
// Entities are drawn from the server's own list, most connected first,
// with Zipf-distributed ranks (-zipf s): news queries go to a few hubs
// far more often than to the tail. With -distinct no map is asked twice,
// which measures drawing, not a cache. Seeded, so runs compare. With
// -pid, the server's peak RSS (VmHWM) is reported too.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server address")
	clients := flag.Int("clients", 20, "concurrent clients")
	dur := flag.Duration("duration", 20*time.Second, "how long")
	maps := flag.Float64("maps", 0.2, "share of requests that are maps")
	zipf := flag.Float64("zipf", 1.1, "Zipf exponent of entity ranks (> 1; 0: every entity alike)")
	seed := flag.Uint64("seed", 1, "random seed")
	pid := flag.Int("pid", 0, "server process id, for its peak RSS")
	distinct := flag.Bool("distinct", false, "never ask for the same map twice (so no map comes from a cache)")
	flag.Parse()
	if err := run(*base, *clients, *dur, *maps, *zipf, *seed, *pid, *distinct); err != nil {
		fmt.Fprintln(os.Stderr, "serveload:", err)
		os.Exit(1)
	}
}

type entity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type sample struct {
	class  string
	d      time.Duration
	status int // 0: no answer
}

func run(base string, clients int, dur time.Duration, maps, s float64, seed uint64, pid int, distinct bool) error {
	var ents []entity
	if err := getJSON(base+"/api/entities?limit=5000", &ents); err != nil {
		return err
	}
	if len(ents) == 0 {
		return fmt.Errorf("the server lists no entities")
	}
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var (
		mu  sync.Mutex
		all []sample
		wg  sync.WaitGroup
	)
	// with -distinct, maps take the entities in a shuffled order, once each
	order := rand.New(rand.NewPCG(seed, 99)).Perm(len(ents))
	var next atomic.Int64
	start := time.Now()
	end := start.Add(dur)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(c)))
			var z *rand.Zipf
			if s > 1 {
				z = rand.NewZipf(rand.New(rand.NewPCG(seed, uint64(c)+1000)), s, 1, uint64(len(ents)-1))
			}
			var mine []sample
			for time.Now().Before(end) {
				var e entity
				if z != nil {
					e = ents[z.Uint64()]
				} else {
					e = ents[rng.IntN(len(ents))]
				}
				class, path := "json", ""
				switch r := rng.Float64(); {
				case r < maps:
					if distinct {
						e = ents[order[int(next.Add(1)-1)%len(order)]]
					}
					class, path = "map", "/map.svg?depth=1&entity="+url.QueryEscape(e.ID)
				case r < maps+(1-maps)*0.1:
					path = "/api/stats"
				case r < maps+(1-maps)*0.4:
					path = "/api/facts?limit=100&subject=" + url.QueryEscape(e.ID)
				case r < maps+(1-maps)*0.7:
					path = "/api/neighbors?depth=1&entity=" + url.QueryEscape(e.ID)
				case r < maps+(1-maps)*0.85:
					path = "/api/entities?limit=20&q=" + url.QueryEscape(prefix(e.Name))
				default:
					path = "/api/resolve?q=" + url.QueryEscape(e.Name)
				}
				t0 := time.Now()
				st := get(client, base+path)
				mine = append(mine, sample{class, time.Since(t0), st})
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	for _, class := range []string{"json", "map"} {
		var ds []time.Duration
		answers4xx, failed := 0, 0
		for _, x := range all {
			if x.class == class {
				ds = append(ds, x.d)
				switch {
				case x.status >= 400 && x.status < 500 && x.status != 408 && x.status != 429:
					answers4xx++ // no such facts (404), a map too big (422): answers
				case x.status != 200:
					failed++ // 5xx (503: busy), no answer
				}
			}
		}
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		pc := func(p float64) float64 {
			return float64(ds[min(len(ds)-1, int(math.Ceil(p*float64(len(ds))))-1)].Microseconds()) / 1000
		}
		fmt.Printf("serve %s: %d requests, %.1f/s, p50 %.0f ms, p90 %.0f ms, p99 %.0f ms (%d 4xx answers, %d failed)\n",
			class, len(ds), float64(len(ds))/wall.Seconds(), pc(0.5), pc(0.9), pc(0.99), answers4xx, failed)
	}
	if pid > 0 {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(l, "VmHWM:") {
					fmt.Printf("serve peak RSS: %s\n", strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:")))
				}
			}
		}
	}
	fmt.Printf("serve load: %d clients, %.0f s, %d entities, maps %.0f%%, zipf %.2f, distinct maps %v\n", clients, wall.Seconds(), len(ents), 100*maps, s, distinct)
	return nil
}

// prefix is the first word of a name, what someone searching would type.
func prefix(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}

func get(c *http.Client, u string) int {
	res, err := c.Get(u)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func getJSON(u string, v any) error {
	res, err := http.Get(u)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("%s: %s", u, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(v)
}
