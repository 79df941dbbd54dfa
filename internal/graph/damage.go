package graph

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"strings"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
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

// maxIndexProblems bounds how many index problems checkKVIndexes names.
const maxIndexProblems = 10

// checkKVIndexes checks the indexes Cayley's KV backend derives from its
// log, which a read by subject, object or label goes through but a walk of
// every quad (Check's) does not: each quad index entry must decode (a
// varint list of quad ids) and name quads of the log whose ids match its
// key, and each value index entry must name a node of the log whose value
// hashes to its key. A changed byte there made reads fail (or go astray)
// while Check said the store was sound. The layout is Cayley's
// (graph/kv/indexing.go: buckets named by direction prefixes, keys of
// big-endian node ids, "log" keyed by big-endian ids; "v"+2 bytes, keyed
// by value hash), fixed by the version go.mod pins.
func checkKVIndexes(tx *bolt.Tx, inds []ckv.QuadIndex) []string {
	var out []string
	more := 0
	add := func(format string, args ...any) {
		if len(out) < maxIndexProblems {
			out = append(out, fmt.Sprintf(format, args...))
		} else {
			more++
		}
	}
	logb := tx.Bucket([]byte("log"))
	if logb == nil {
		return []string{"Cayley's log bucket is missing"}
	}
	prim := func(id uint64) *cproto.Primitive {
		k := make([]byte, 8)
		binary.BigEndian.PutUint64(k, id)
		v := logb.Get(k)
		if v == nil {
			return nil
		}
		p := new(cproto.Primitive)
		if proto.Unmarshal(v, p) != nil {
			return nil
		}
		return p
	}
	for _, ind := range inds {
		name := make([]byte, len(ind.Dirs))
		for i, d := range ind.Dirs {
			name[i] = d.Prefix()
		}
		b := tx.Bucket(name)
		if b == nil {
			continue
		}
		b.ForEach(func(k, v []byte) error {
			if len(k) != 8*len(ind.Dirs) {
				add("index %s: a key of %d bytes", name, len(k))
				return nil
			}
			for len(v) > 0 {
				id, n := binary.Uvarint(v)
				if n <= 0 {
					add("index %s: entry %x does not decode", name, k)
					return nil
				}
				v = v[n:]
				p := prim(id)
				if p == nil || p.IsNode() {
					add("index %s: entry %x names quad %d, which the log does not hold", name, k, id)
					continue
				}
				for i, d := range ind.Dirs {
					if p.GetDirection(d) != binary.BigEndian.Uint64(k[8*i:]) {
						add("index %s: entry %x names quad %d, which does not match it", name, k, id)
						break
					}
				}
			}
			return nil
		})
	}
	tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		if len(name) != 3 || name[0] != 'v' {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			id, n := binary.Uvarint(v)
			p := (*cproto.Primitive)(nil)
			if n > 0 {
				p = prim(id)
			}
			if p == nil || !p.IsNode() {
				add("value index: entry %x names node %d, which the log does not hold", k, id)
				return nil
			}
			val, err := pquads.UnmarshalValue(p.Value)
			if h := refs.HashOf(val); err != nil || !bytes.Equal(h[:], k) {
				add("value index: node %d's value does not hash to its key %x", id, k)
			}
			return nil
		})
	})
	if more > 0 {
		out = append(out, fmt.Sprintf("and %d more index problems", more))
	}
	return out
}
