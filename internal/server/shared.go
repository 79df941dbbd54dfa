package server

import (
	"context"
	"sync"
	"time"
)

// DefaultSummaryTTL bounds how old /api/stats and the entity list may be
// (Config.SummaryTTL).
const DefaultSummaryTTL = 2 * time.Second

// shared computes a whole-store summary (the stats, the entity list)
// once for all the requests that want it: its cost grows with the store,
// and under load every client asking for it at once made /api/stats take
// half the server's CPU. A result is reused until the server stores
// articles itself or ttl passes: a bbolt store cannot change under a
// reading kg serve (writers need it to themselves), but PostgreSQL can.
// Requests arriving while it is computed wait for that computation.
type shared[T any] struct {
	ttl time.Duration
	mu  sync.Mutex
	gen uint64 // bumped by invalidate
	// the current result, or the computation in progress
	val     T
	valGen  uint64
	valTime time.Time
	ok      bool
	running chan struct{}
}

// get returns the summary, computing it with f when it is missing or old.
func (c *shared[T]) get(ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	for {
		if c.ok && c.valGen == c.gen && time.Since(c.valTime) < c.ttl {
			v := c.val
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
	ch := make(chan struct{})
	c.running = ch
	gen := c.gen
	c.mu.Unlock()

	v, err := f(ctx)

	c.mu.Lock()
	c.running = nil
	if err == nil {
		c.val, c.valGen, c.valTime, c.ok = v, gen, time.Now(), true
	}
	c.mu.Unlock()
	close(ch)
	return v, err
}

// invalidate drops the result: the store changed.
func (c *shared[T]) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}
