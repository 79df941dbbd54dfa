package main

import (
	"context"
	"sync"
)

// inOrder runs fn on workers goroutines over the items produce sends and
// passes the results to emit in the order the items were sent, so output
// does not depend on which worker finished first. At most ahead items are
// in flight (sent but not yet emitted), which bounds memory whatever the
// input size. If emit fails, everything stops and its error is returned;
// otherwise produce's error is. When ctx ends, inOrder returns at once
// with its error, even while produce is blocked in a read.
func inOrder[T, R any](ctx context.Context, workers, ahead int, produce func(send func(T) error) error, fn func(T) R, emit func(R) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers, ahead = max(workers, 1), max(ahead, workers, 1)
	type job struct {
		seq int
		in  T
	}
	type result struct {
		seq int
		out R
	}
	tokens := make(chan struct{}, ahead)
	jobs := make(chan job, workers)
	results := make(chan result, workers)

	var produceErr error // written before jobs is closed
	go func() {
		defer close(jobs)
		seq := 0
		produceErr = produce(func(v T) error {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- job{seq, v}:
				seq++
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var j job
				select {
				case jj, ok := <-jobs:
					if !ok {
						return
					}
					j = jj
				case <-ctx.Done():
					return
				}
				r := result{j.seq, fn(j.in)}
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	pending := map[int]R{}
	next := 0
	var emitErr error
	for {
		var r result
		select {
		case rr, ok := <-results:
			if !ok {
				if emitErr != nil {
					return emitErr
				}
				return produceErr
			}
			r = rr
		case <-ctx.Done():
			// A producer blocked in a read (a terminal, a pipe nobody
			// writes) must not hold up a cancelled run: return now and let
			// the goroutines finish on their own.
			if emitErr != nil {
				return emitErr
			}
			return ctx.Err()
		}
		if emitErr != nil {
			continue // drain so the workers can stop
		}
		pending[r.seq] = r.out
		for {
			out, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-tokens
			if err := emit(out); err != nil {
				emitErr = err
				cancel()
				break
			}
		}
	}
}
