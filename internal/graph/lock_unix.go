//go:build unix

package graph

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockFile opens path (creating it when create is set) and takes an
// advisory flock(2) on it, exclusive or shared, polling until timeout as
// bbolt does for its own file. ok is false when another holder kept it
// for the whole timeout. flock locks belong to the open file, so a second
// open in the same process conflicts like another process would.
func lockFile(path string, exclusive, create bool, timeout time.Duration) (f *os.File, ok bool, err error) {
	flag := os.O_RDONLY
	if create {
		flag |= os.O_CREATE
	}
	f, err = os.OpenFile(path, flag, 0o644)
	if err != nil {
		return nil, false, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			return f, true, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, false, err
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, false, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}
