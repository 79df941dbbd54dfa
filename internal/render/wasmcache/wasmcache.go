// Package wasmcache gives go-graphviz's WebAssembly compilation cache a
// directory of the user's own.
//
// go-graphviz compiles Graphviz's WebAssembly when its package
// initialises, with a cache in os.TempDir()/go-graphviz that the first
// user to run it creates: every other user's kg then panicked at start.
// Nothing can be passed to go-graphviz, and its init runs before main, so
// this package's init, which Go runs before go-graphviz's (it imports
// nothing go-graphviz depends on beyond the standard library, and Go
// initialises the packages whose imports are ready in import-path order,
// github.com/kg-news before github.com/tetratelabs), points TMPDIR at a
// directory of this user's: $XDG_CACHE_HOME/kg or ~/.cache/kg
// (os.UserCacheDir), else a private 0700 directory in the system's temp
// dir. Restore, which package render calls as it initialises (after
// go-graphviz, which it imports), puts TMPDIR back, so nothing else
// (child processes, temp files, tests) sees the change.
//
// An init is the only hook Go offers before another package's init; it
// cannot fail: when no directory works, TMPDIR stays as it was.
package wasmcache

import (
	"fmt"
	"os"
	"path/filepath"
)

var (
	// Dir is the directory TMPDIR pointed to while go-graphviz
	// initialised, "" if none could be made.
	Dir      string
	oldTMP   string
	hadTMP   bool
	restored bool
)

func init() {
	oldTMP, hadTMP = os.LookupEnv("TMPDIR")
	if d, err := cacheDir(); err == nil {
		Dir = d
		os.Setenv("TMPDIR", d)
	}
}

// Restore puts TMPDIR back as it was before go-graphviz initialised. It
// returns true, so a package variable can call it.
func Restore() bool {
	if restored || Dir == "" {
		return true
	}
	restored = true
	if hadTMP {
		os.Setenv("TMPDIR", oldTMP)
	} else {
		os.Unsetenv("TMPDIR")
	}
	return true
}

// cacheDir returns a directory only this user can write to: kg's entry in
// the user's cache dir, else a private one in the temp dir.
func cacheDir() (string, error) {
	if base, err := os.UserCacheDir(); err == nil {
		d := filepath.Join(base, "kg")
		if err := os.MkdirAll(d, 0o700); err == nil && ownDir(d) {
			return d, nil
		}
	}
	return privateTemp()
}

// privateTemp returns kg-cache-UID in the system's temp dir, made 0700 and
// owned by this user, or a fresh private directory when that name is
// taken by someone else.
func privateTemp() (string, error) {
	tmp := os.TempDir()
	d := filepath.Join(tmp, fmt.Sprintf("kg-cache-%d", os.Getuid()))
	if err := os.Mkdir(d, 0o700); err == nil || os.IsExist(err) {
		if ownDir(d) {
			return d, nil
		}
	}
	return os.MkdirTemp(tmp, "kg-cache-")
}

// ownDir reports whether path is a real directory (not a symbolic link)
// that this user owns and may write, and that no one else may.
func ownDir(path string) bool {
	st, err := os.Lstat(path)
	if err != nil || !st.IsDir() {
		return false
	}
	if !ownedByMe(st) {
		return false
	}
	if st.Mode().Perm()&0o022 != 0 {
		return false
	}
	f, err := os.CreateTemp(path, ".probe-")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}
