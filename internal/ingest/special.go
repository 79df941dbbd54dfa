package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotRegular is the error (wrapped in an InputError) for an input that
// is not a regular file: a named pipe, a device, a socket. Opening a FIFO
// blocks until something writes to it, so one left in an input directory
// hung kg ingest and kg extract for ever, deaf to Ctrl-C; a device such as
// /dev/zero never ends. Such inputs are skipped and named; a pipe's
// content can be sent to "kg ingest -" instead.
var ErrNotRegular = errors.New("not a regular file")

// OpenInput opens a file to read it as an input, refusing anything but a
// regular file (after following symbolic links) without blocking: the
// open itself does not wait for a FIFO's writer (O_NONBLOCK), and the
// file is checked on the open descriptor, so it cannot be swapped between
// the check and the read.
func OpenInput(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%w (%s): skipped; pipe its content to 'kg ingest -' instead", ErrNotRegular, kindOf(st.Mode()))
	}
	// O_NONBLOCK has no effect on a regular file's reads, but clear it so
	// nothing downstream sees a non-blocking descriptor.
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) { syscall.SetNonblock(int(fd), false) })
	}
	return f, nil
}

// kindOf names a file type for the message.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}
