package graph

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
)

// QueryLimits is the sandbox every Gizmo query runs in, from kg query and
// from kg serve's POST /api/query alike (Store.Query applies it). Gizmo
// is JavaScript (goja) with no limits of its own: `var s="x";
// while(true){s=s+s}` grew a server past 6 GB and outlived its timeout by
// 20 s, because the interrupt only lands between two JavaScript steps and
// a step that copies gigabytes takes seconds.
type QueryLimits struct {
	// Timeout is the wall-clock limit when the caller's context sets none;
	// a context deadline (kg query --timeout, kg serve --query-timeout)
	// wins. Either way the VM is interrupted when it passes.
	Timeout time.Duration
	// Memory is how much a query may grow the heap (bytes of live and
	// not yet collected objects, measured every pollEvery): strings and
	// arrays a script builds are most of it. Past it the VM is
	// interrupted. Growth is measured for the whole process, so a query
	// that runs beside a big map render may be stopped early.
	Memory int64
	// Concurrent is how many queries run at once in this process; Wait
	// is how long another waits for a turn before ErrQueryBusy.
	Concurrent int
	Wait       time.Duration
}

// DefaultQueryLimits are the limits Store.Query applies unless
// SetQueryLimits changes them.
var DefaultQueryLimits = QueryLimits{Timeout: 10 * time.Second, Memory: 128 << 20, Concurrent: 2, Wait: 2 * time.Second}

// Errors a sandboxed query ends with (wrapped, with the partial results).
var (
	// ErrQueryMemory: the query grew the heap past QueryLimits.Memory.
	ErrQueryMemory = errors.New("gizmo query stopped: it used more memory than its budget")
	// ErrQueryBusy: QueryLimits.Concurrent queries were running for the
	// whole QueryLimits.Wait.
	ErrQueryBusy = errors.New("too many Gizmo queries running; try again")
)

var (
	limitsMu   sync.Mutex
	limits     = DefaultQueryLimits
	querySlots = make(chan struct{}, DefaultQueryLimits.Concurrent)
)

// SetQueryLimits replaces the sandbox's limits for the queries that start
// after it; zero fields keep their defaults.
func SetQueryLimits(l QueryLimits) {
	d := DefaultQueryLimits
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.Memory <= 0 {
		l.Memory = d.Memory
	}
	if l.Concurrent <= 0 {
		l.Concurrent = d.Concurrent
	}
	if l.Wait <= 0 {
		l.Wait = d.Wait
	}
	limitsMu.Lock()
	defer limitsMu.Unlock()
	if l.Concurrent != limits.Concurrent {
		querySlots = make(chan struct{}, l.Concurrent)
	}
	limits = l
}

func currentLimits() (QueryLimits, chan struct{}) {
	limitsMu.Lock()
	defer limitsMu.Unlock()
	return limits, querySlots
}

// queryDrain bounds how long Query waits, after interrupting a Gizmo
// query, for its JavaScript goroutine to stop: it reads the store, so it
// must be done before the session closes the file. With the memory budget
// no single JavaScript step runs long, so it stops within milliseconds.
const queryDrain = 2 * time.Second

// pollEvery is how often the memory watchdog looks at the heap. A string
// that doubles each step doubles every few milliseconds once it is large,
// so a query stops within a step or two of its budget.
const pollEvery = 2 * time.Millisecond

// heapObjects is the heap's live and not yet swept objects, in bytes:
// what a script's strings and arrays grow (runtime/metrics; cheap, no
// stop-the-world).
func heapObjects() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// watchMemory cancels ctx with ErrQueryMemory once the heap has grown by
// more than budget since the call; stop ends the watch.
func watchMemory(cancel context.CancelCauseFunc, budget int64) (stop func()) {
	base := heapObjects()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(pollEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if heapObjects()-base > budget {
					cancel(ErrQueryMemory)
					return
				}
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

// Query runs a Gizmo (JavaScript) query in the sandbox (QueryLimits) and
// returns at most limit results (0 = no limit) as JSON-able values: one
// map of tag → value per result, or whatever g.Emit sent. A query stopped
// by its time, its memory budget or ctx returns its partial results with
// the reason (context.DeadlineExceeded, ErrQueryMemory, ErrQueryBusy).
// Gizmo sees raw quads, so nodes deleted with their last article can still
// show up in g.V() (Cayley leaks reference counts on re-added quads);
// start from a known node or filter with Has to avoid them.
func (s *Store) Query(ctx context.Context, gizmoSrc string, limit int) (out []any, err error) {
	lim, slots := currentLimits()
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
	}
	wait := time.NewTimer(lim.Wait)
	defer wait.Stop()
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
	case <-wait.C:
		return nil, fmt.Errorf("%w (%d at a time)", ErrQueryBusy, cap(slots))
	case <-ctx.Done():
		return nil, fmt.Errorf("gizmo query stopped: %w", ctx.Err())
	}
	if limit < 0 {
		limit = 0
	}
	err = s.read(func() error {
		out, err = s.query(ctx, gizmoSrc, limit, lim.Memory)
		return err
	})
	return out, err
}

// query runs one Gizmo query under a memory watch. Callers are inside
// Store.read.
func (s *Store) query(ctx context.Context, src string, limit int, budget int64) ([]any, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopWatch := watchMemory(cancel, budget)
	defer stopWatch()
	it, err := gizmo.NewSession(s.qs).Execute(ctx, src, query.Options{Collation: query.JSON, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("gizmo: %w", err)
	}
	out := []any{}
	for it.Next(ctx) {
		if r := it.Result(); r != nil {
			out = append(out, r)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
	}
	err = it.Err()
	it.Close()
	// Wait for the goroutine running the script: Close interrupts the VM,
	// and a Next on a fresh context returns once it has exited.
	dctx, dcancel := context.WithTimeout(context.Background(), queryDrain)
	for it.Next(dctx) {
	}
	dcancel()
	stopWatch()
	if ctx.Err() != nil {
		if cause := context.Cause(ctx); errors.Is(cause, ErrQueryMemory) {
			return out, fmt.Errorf("%w (%d MB)", ErrQueryMemory, budget>>20)
		}
		return out, fmt.Errorf("gizmo query stopped: %w", ctx.Err())
	}
	if err != nil {
		return out, fmt.Errorf("gizmo: %w", err)
	}
	return out, nil
}
