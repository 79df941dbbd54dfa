package graph

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestQuerySandbox runs query bombs against the sandbox: the string
// doubling of the issue (which outlived a 10 s timeout by up to 20 s and
// grew a server past 6 GB) stops on its memory budget with the heap
// bounded, a busy loop stops at its deadline, and a third concurrent
// query is refused while two run.
func TestQuerySandbox(t *testing.T) {
	ctx := context.Background()
	s := openBolt(t, t.TempDir(), Options{NoBloom: true})
	defer s.Close()
	put(t, s, artA1, entsA1(), factsA1())
	const budget = 32 << 20
	SetQueryLimits(QueryLimits{Memory: budget, Concurrent: 2, Wait: 200 * time.Millisecond})
	defer SetQueryLimits(DefaultQueryLimits)

	t.Run("string doubling", func(t *testing.T) {
		base := heapObjects()
		var peak int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // the heap's high-water mark while the bomb runs
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
					peak = max(peak, heapObjects()-base)
				}
			}
		}()
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		start := time.Now()
		_, err := s.Query(qctx, `var s="x"; while(true){s=s+s}`, 10)
		el := time.Since(start)
		close(stop)
		wg.Wait()
		t.Logf("stopped after %v: %v; heap grew by at most %d MB (budget %d MB)", el.Round(time.Millisecond), err, peak>>20, budget>>20)
		if !errors.Is(err, ErrQueryMemory) {
			t.Errorf("err = %v, want ErrQueryMemory", err)
		}
		if el > 2*time.Second {
			t.Errorf("stopped after %v, past its 2 s", el)
		}
		if peak > 10*budget {
			t.Errorf("the heap grew by %d MB, over ten times the %d MB budget", peak>>20, budget>>20)
		}
	})
	t.Run("busy loop", func(t *testing.T) {
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		start := time.Now()
		_, err := s.Query(qctx, `while(true){}`, 10)
		if el := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || el > 1500*time.Millisecond {
			t.Errorf("after %v: %v, want a deadline within 1.5 s", el, err)
		}
	})
	t.Run("concurrency", func(t *testing.T) {
		qctx, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		defer cancel()
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); s.Query(qctx, `while(true){}`, 1) }()
		}
		time.Sleep(300 * time.Millisecond) // both running
		if _, err := s.Query(ctx, `g.V().Limit(1).All()`, 1); !errors.Is(err, ErrQueryBusy) {
			t.Errorf("third query beside two: %v, want ErrQueryBusy", err)
		}
		wg.Wait()
		if res, err := s.Query(ctx, `g.V().Limit(1).All()`, 1); err != nil || len(res) != 1 {
			t.Errorf("after the two: %v %v", res, err)
		}
	})
}
