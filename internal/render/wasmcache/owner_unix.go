//go:build unix

package wasmcache

import (
	"os"
	"syscall"
)

// ownedByMe reports whether this user owns the file.
func ownedByMe(st os.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return !ok || int(sys.Uid) == os.Getuid()
}
