package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

func TestInOrder(t *testing.T) {
	for _, c := range []struct {
		workers, ahead, n int
	}{{1, 1, 0}, {1, 1, 50}, {3, 2, 200}, {4, 32, 500}, {8, 8, 3}} {
		t.Run(fmt.Sprintf("%d workers ahead %d n %d", c.workers, c.ahead, c.n), func(t *testing.T) {
			var got []int
			err := inOrder(context.Background(), c.workers, c.ahead,
				func(send func(int) error) error {
					for i := range c.n {
						if err := send(i); err != nil {
							return err
						}
					}
					return nil
				},
				func(i int) int {
					time.Sleep(time.Duration(rand.Intn(200)) * time.Microsecond) // finish out of order
					return i * i
				},
				func(sq int) error {
					got = append(got, sq)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.n {
				t.Fatalf("%d results, want %d", len(got), c.n)
			}
			for i, sq := range got {
				if sq != i*i {
					t.Fatalf("result %d = %d: out of order", i, sq)
				}
			}
		})
	}
}

// endless sends 0, 1, 2, ... until send fails.
func endless(send func(int) error) error {
	for i := 0; ; i++ {
		if err := send(i); err != nil {
			return err
		}
	}
}

func TestInOrderErrors(t *testing.T) {
	boom := errors.New("boom")
	// emit fails: everything stops, the producer is not left blocked
	emitted := 0
	err := inOrder(context.Background(), 2, 4,
		endless,
		func(i int) int { return i },
		func(int) error {
			if emitted++; emitted == 10 {
				return boom
			}
			return nil
		})
	if !errors.Is(err, boom) || emitted != 10 {
		t.Errorf("emit error: %v after %d", err, emitted)
	}
	// produce fails after some items: they are all emitted, then its error
	var got []int
	err = inOrder(context.Background(), 3, 3,
		func(send func(int) error) error {
			for i := range 5 {
				_ = send(i)
			}
			return boom
		},
		func(i int) int { return i },
		func(i int) error { got = append(got, i); return nil })
	if !errors.Is(err, boom) || fmt.Sprint(got) != "[0 1 2 3 4]" {
		t.Errorf("produce error: %v, emitted %v", err, got)
	}
	// a cancelled context stops an endless producer
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = inOrder(ctx, 2, 2,
		endless,
		func(i int) int { return i },
		func(int) error {
			if n++; n == 5 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestExtractJobsSameOutput checks kg extract writes the same bytes with
// one worker and with several.
func TestExtractJobsSameOutput(t *testing.T) {
	var outs []string
	for _, j := range []string{"1", "4"} {
		for _, format := range []string{"jsonl", "table"} {
			out, errOut, code := kgRun(t, "", "extract", "-j", j, "--format", format, "--explain", "../../seeds/", "../../internal/ingest/testdata/inputs/")
			if code != 0 && code != 3 {
				t.Fatalf("-j %s: exit %d: %s", j, code, errOut)
			}
			outs = append(outs, out+"\x00"+errOut)
		}
	}
	if outs[0] != outs[2] || outs[1] != outs[3] {
		t.Error("kg extract -j 4 differs from -j 1")
	}
	if !strings.Contains(outs[0], `"kind":"fact"`) {
		t.Error("no facts extracted")
	}
}
