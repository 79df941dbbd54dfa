package graph

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"google.golang.org/protobuf/proto"
)

// protoError matches every error of the protobuf module (errors.Is).
var protoError = proto.Error

// ErrDamaged is returned (wrapped) when a bbolt store's file is damaged: a
// page that does not parse, a file shorter than its last commit, meta
// pages that fail their checksums. bbolt answers such files with panics
// and memory faults; kg turns them into this error and leaves the store
// unusable in this process. `kg check` says what can still be read and
// `kg check --repair` salvages it into a fresh store.
var ErrDamaged = errors.New("store damaged")

// damageError names the store and what went wrong.
type damageError struct {
	where, what string
}

func (e *damageError) Error() string {
	return fmt.Sprintf("store %s is damaged (%s): run 'kg check'", e.where, e.what)
}

func (e *damageError) Is(target error) bool { return target == ErrDamaged }

// damage returns the damage found in this process, if any.
func (s *Store) damage() error {
	if e := s.dmg.Load(); e != nil {
		return e
	}
	return nil
}

// markDamaged records damage (the first report wins) and returns it.
func (s *Store) markDamaged(what any) error {
	msg := strings.TrimSpace(fmt.Sprint(what))
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	s.dmg.CompareAndSwap(nil, &damageError{where: s.where, what: msg})
	return s.dmg.Load()
}

// guard runs fn, which reads or writes a bbolt file, turning the panics
// and memory faults a damaged file provokes into ErrDamaged (and the
// store unusable in this process). Other backends run fn as is: a panic
// there is a bug, for the command's top-level recover to report.
func (s *Store) guard(fn func() error) error {
	if s.backend != "bbolt" {
		return fn()
	}
	err := try(fn)
	var pe *panicError
	switch {
	case errors.As(err, &pe):
		return s.markDamaged(pe.v)
	case corruptData(err):
		return s.markDamaged(err)
	}
	return err
}

// corruptData recognises the errors a damaged file gives without panicking:
// Cayley's protobuf and varint decoding of garbage, a read view record
// that does not parse or points nowhere. (Other errors, a Gizmo syntax
// error or a cancelled context, say nothing about the file.)
func corruptData(err error) bool {
	if err == nil {
		return false
	}
	var se *json.SyntaxError
	if errors.Is(err, protoError) || errors.Is(err, errFactRecord) || errors.As(err, &se) {
		return true
	}
	msg := err.Error()
	for _, p := range []string{"proto:", "varint", "read view:", "has no backing fact", "invalid wire", "cannot decode", "invalid character"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// panicError is a panic (or memory fault) try caught.
type panicError struct{ v any }

func (e *panicError) Error() string { return fmt.Sprint(e.v) }

// try runs fn and returns a panic in it as a *panicError.
// debug.SetPanicOnFault is what makes a fault on the memory-mapped file (a
// truncated file, a page pointing past its end) a panic instead of a
// crash; it applies to this goroutine only, so every goroutine that reads
// the file goes through guard or try.
func try(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = &panicError{r}
		}
	}()
	return fn()
}

// bbolt's meta page layout (go.etcd.io/bbolt internal/common: a 16-byte
// page header, then magic, version, page size, flags, root bucket,
// freelist, high-water mark, txid and an FNV-64a checksum of what comes
// before it), fixed by the file format version 2.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	metaOffset     = 16
	metaChecksumAt = metaOffset + 56
)

// boltMeta is what checkBoltFile reads from a meta page.
type boltMeta struct {
	pageSize   uint32
	pgid, txid uint64
}

// readMeta parses the meta page at off; ok is false when it fails its
// magic, version or checksum.
func readMeta(f io.ReaderAt, off int64) (boltMeta, bool) {
	buf := make([]byte, metaChecksumAt+8)
	if _, err := f.ReadAt(buf, off); err != nil {
		return boltMeta{}, false
	}
	le := binary.LittleEndian
	m := buf[metaOffset:]
	h := fnv.New64a()
	h.Write(buf[metaOffset:metaChecksumAt])
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion || le.Uint64(buf[metaChecksumAt:]) != h.Sum64() {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: le.Uint32(m[8:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

// checkBoltFile refuses a bbolt file that bbolt would map and then read
// past its end: bbolt trusts the high-water mark of its newest meta page,
// and on a truncated file the pages beyond the end are a memory fault
// (SIGBUS) at the first read. A missing or empty file is fine (bbolt
// creates it); unreadable meta pages are left for bbolt to report.
func checkBoltFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return nil
	}
	m0, ok0 := readMeta(f, 0)
	psize := int64(os.Getpagesize())
	if ok0 && m0.pageSize >= 512 {
		psize = int64(m0.pageSize)
	}
	m1, ok1 := readMeta(f, psize)
	switch {
	case !ok0 && !ok1:
		return errors.New("neither meta page is valid")
	case !ok0 || ok1 && m1.txid > m0.txid:
		m0 = m1
	}
	if need := int64(m0.pgid) * int64(m0.pageSize); need > st.Size() {
		return fmt.Errorf("the file is truncated: %d bytes, its last commit needs %d", st.Size(), need)
	}
	return nil
}
