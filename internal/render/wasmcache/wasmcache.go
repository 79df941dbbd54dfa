// Package wasmcache gives go-graphviz's WebAssembly compilation cache a
// directory of the user's own.
//
// Upstream go-graphviz keeps that cache in os.TempDir()/go-graphviz, which
// the first user to run it creates: every other user's kg then panicked.
// kg's patched copy (internal/render/gographviz, compiled on first use)
// asks graphviz.SetCacheBase's function for the directory instead;
// package render passes Dir, which names $XDG_CACHE_HOME/kg or
// ~/.cache/kg (os.UserCacheDir), else a private 0700 directory in the
// system's temp dir, or "" (no cache: slower, never failing) when no
// directory works. It is worked out on first use, so commands that draw
// nothing pay nothing.
package wasmcache

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

var (
	dir     string
	dirOnce sync.Once
)

// Dir returns the directory the compilation cache goes in (go-graphviz
// adds "go-graphviz"), "" if none could be made.
func Dir() string {
	dirOnce.Do(func() {
		if d, err := cacheDir(); err == nil {
			dir = d
		}
	})
	return dir
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
