package server

import (
	"context"
	"sync"
	"time"
)

// DefaultSummaryTTL is how long /api/stats and the entity list are served
// before they are refreshed (Config.SummaryTTL).
const DefaultSummaryTTL = 2 * time.Second

// shared computes a whole-store summary (the stats, the entity list)
// once for all the requests that want it: its cost grows with the store,
// and under load every client asking for it at once made /api/stats take
// half the server's CPU. Requests arriving while it is first computed
// wait for that computation. Once there is a result, requests get it at
// once; when it is older than ttl, one background computation refreshes
// it (a bbolt store cannot change under a reading kg serve, since writers
// need it to themselves, but PostgreSQL can). When the server stores
// articles itself, the result is dropped and the next request waits for
// a fresh one.
type shared[T any] struct {
	ttl     time.Duration
	timeout time.Duration // of a background refresh
	mu      sync.Mutex
	gen     uint64 // bumped by invalidate
	val     T
	valGen  uint64
	valTime time.Time
	ok      bool
	running chan struct{} // a computation in progress, closed when done
}

// get returns the summary, computing it with f when there is none.
func (c *shared[T]) get(ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	for {
		if c.ok && c.valGen == c.gen {
			v := c.val
			if time.Since(c.valTime) >= c.ttl && c.running == nil {
				c.start(context.Background(), f, true)
			}
			c.mu.Unlock()
			return v, nil
		}
		if c.running == nil {
			break
		}
		ch := c.running
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
		c.mu.Lock() // a failed computation (its request's deadline, say) is retried
	}
	done, res := c.start(ctx, f, false)
	c.mu.Unlock()
	<-done
	return res.v, res.err
}

type result[T any] struct {
	v   T
	err error
}

// start computes f into the cache in a new goroutine (call with mu
// held): for a waiting request with its ctx, for a background refresh
// within the timeout. It returns a channel closed when done, and the
// result.
func (c *shared[T]) start(ctx context.Context, f func(context.Context) (T, error), background bool) (chan struct{}, *result[T]) {
	ch := make(chan struct{})
	c.running = ch
	gen := c.gen
	res := &result[T]{}
	go func() {
		if background && c.timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, c.timeout)
			defer cancel()
		}
		res.v, res.err = f(ctx)
		c.mu.Lock()
		c.running = nil
		if res.err == nil && gen == c.gen {
			c.val, c.valGen, c.valTime, c.ok = res.v, gen, time.Now(), true
		}
		c.mu.Unlock()
		close(ch)
	}()
	return ch, res
}

// invalidate drops the result: the store changed.
func (c *shared[T]) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}
