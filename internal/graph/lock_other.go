//go:build !unix

package graph

import (
	"os"
	"time"
)

// lockFile opens path without locking where flock(2) does not exist: bbolt's
// own lock on its file still keeps two writers apart, less politely.
func lockFile(path string, exclusive, create bool, timeout time.Duration) (*os.File, bool, error) {
	flag := os.O_RDONLY
	if create {
		flag |= os.O_CREATE
	}
	f, err := os.OpenFile(path, flag, 0o644)
	return f, err == nil, err
}
