package server

import (
	clist "container/list"
	"context"
	"crypto/sha256"
	"encoding/json"
	"sync"
)

// DefaultMapCacheBytes bounds the drawn maps kept (Config.MapCacheBytes).
const DefaultMapCacheBytes = 32 << 20

// mapCache keeps drawn maps by a hash of what was drawn: the graph (the
// neighbourhood the backend returned) and the map options. A map asked
// again costs a neighbourhood query, not a Graphviz layout (hundreds of
// milliseconds of CPU), and a map is never stale: when the store changes
// the neighbourhood, the key changes with it. Requests for a map being
// drawn wait for that drawing instead of queueing their own. Maps are
// kept least recently used first out, within a byte budget.
type mapCache struct {
	mu       sync.Mutex
	max      int64
	size     int64
	order    *clist.List // of *mapEntry, most recent at the front
	entries  map[[32]byte]*clist.Element
	inflight map[[32]byte]*mapCall
	// counts, for the tests and the log
	hits, misses, shared int
}

type mapEntry struct {
	key [32]byte
	svg []byte
}

// mapCall is a drawing in progress; done is closed when svg and err are set.
type mapCall struct {
	done chan struct{}
	svg  []byte
	err  error
}

func newMapCache(max int64) *mapCache {
	return &mapCache{max: max, order: clist.New(), entries: map[[32]byte]*clist.Element{}, inflight: map[[32]byte]*mapCall{}}
}

// mapKey hashes what determines a map's SVG.
func mapKey(g any, o MapOptions) ([32]byte, error) {
	b, err := json.Marshal(struct {
		G any
		O MapOptions
	}{g, o})
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// get returns the map of key, drawing it with draw when no one has; the
// returned bytes must not be modified. A caller whose ctx ends while
// another request draws gets ctx's error; the drawing goes on for the
// others.
func (c *mapCache) get(ctx context.Context, key [32]byte, draw func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		c.hits++
		svg := el.Value.(*mapEntry).svg
		c.mu.Unlock()
		return svg, nil
	}
	if call, ok := c.inflight[key]; ok {
		c.shared++
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.svg, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &mapCall{done: make(chan struct{})}
	c.inflight[key] = call
	c.misses++
	c.mu.Unlock()

	call.svg, call.err = draw()

	c.mu.Lock()
	delete(c.inflight, key)
	if call.err == nil {
		c.add(key, call.svg)
	}
	c.mu.Unlock()
	close(call.done)
	return call.svg, call.err
}

// add stores svg under key, dropping the least recently used maps beyond
// the budget (a map bigger than the whole budget is not kept). Call with
// mu held.
func (c *mapCache) add(key [32]byte, svg []byte) {
	n := int64(len(svg))
	if n > c.max {
		return
	}
	c.entries[key] = c.order.PushFront(&mapEntry{key, svg})
	c.size += n
	for c.size > c.max {
		el := c.order.Back()
		e := el.Value.(*mapEntry)
		c.order.Remove(el)
		delete(c.entries, e.key)
		c.size -= int64(len(e.svg))
	}
}
