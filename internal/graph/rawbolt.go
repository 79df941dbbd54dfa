package graph

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// bbolt's page layout (go.etcd.io/bbolt internal/common/page.go, file
// format version 2): a page starts with a 16-byte header (id, flags,
// count, overflow); a branch page holds count 16-byte elements (key
// position, key size, child page id), a leaf page count 16-byte elements
// (flags, key position, key size, value size), positions counted from the
// element itself. A leaf element with the bucket flag is a sub-bucket: its
// value starts with the bucket's root page id (0 for an inline bucket,
// whose page follows in the value) and sequence.
const (
	pageHeader     = 16
	pageElement    = 16
	branchPageFlag = 0x01
	leafPageFlag   = 0x02
	bucketLeafFlag = 0x01
	maxTreeDepth   = 64
)

// rawWalker reads a bbolt file's tree from its bytes, not through bbolt:
// nothing is mapped, so a truncated file cannot fault, and every page id
// is checked against the file and against the pages already seen, so a
// page that points back up the tree cannot loop for ever (bbolt's cursor
// does, descending without end).
type rawWalker struct {
	f        *os.File
	size     int64
	psize    int64
	high     uint64 // the meta page's high-water mark
	seen     map[uint64]bool
	problems []string
	more     int
	visit    func(bucket []string, k, v []byte)
}

func (w *rawWalker) problem(format string, args ...any) {
	if len(w.problems) < maxIndexProblems {
		w.problems = append(w.problems, fmt.Sprintf(format, args...))
	} else {
		w.more++
	}
}

// page reads page id with its overflow pages, or says why it cannot.
func (w *rawWalker) page(id uint64) ([]byte, error) {
	if id < 2 || id >= w.high {
		return nil, fmt.Errorf("page %d is outside the file's %d pages", id, w.high)
	}
	head := make([]byte, pageHeader)
	if _, err := w.f.ReadAt(head, int64(id)*w.psize); err != nil {
		return nil, fmt.Errorf("page %d does not read: %v", id, err)
	}
	if got := binary.LittleEndian.Uint64(head); got != id {
		return nil, fmt.Errorf("page %d says it is page %d", id, got)
	}
	overflow := uint64(binary.LittleEndian.Uint32(head[12:]))
	if id+overflow >= w.high || int64(id+overflow+1)*w.psize > w.size {
		return nil, fmt.Errorf("page %d runs past the end of the file", id)
	}
	for p := id; p <= id+overflow; p++ {
		if w.seen[p] {
			return nil, fmt.Errorf("page %d is reached twice (the tree loops)", p)
		}
		w.seen[p] = true
	}
	buf := make([]byte, int64(overflow+1)*w.psize)
	if _, err := w.f.ReadAt(buf, int64(id)*w.psize); err != nil {
		return nil, fmt.Errorf("page %d does not read: %v", id, err)
	}
	return buf, nil
}

// tree walks the pages of a bucket from its root.
func (w *rawWalker) tree(path []string, id uint64, depth int) {
	if depth > maxTreeDepth {
		w.problem("bucket %q: deeper than %d pages", path, maxTreeDepth)
		return
	}
	buf, err := w.page(id)
	if err != nil {
		w.problem("bucket %q: %v", path, err)
		return
	}
	flags := binary.LittleEndian.Uint16(buf[8:])
	count := int(binary.LittleEndian.Uint16(buf[10:]))
	if pageHeader+count*pageElement > len(buf) {
		w.problem("bucket %q: page %d claims %d elements", path, id, count)
		return
	}
	switch flags {
	case branchPageFlag:
		for i := range count {
			e := pageHeader + i*pageElement
			w.tree(path, binary.LittleEndian.Uint64(buf[e+8:]), depth+1)
		}
	case leafPageFlag:
		w.leaf(path, buf, count, depth)
	default:
		w.problem("bucket %q: page %d has type %#x, not a branch or a leaf", path, id, flags)
	}
}

// leaf visits the elements of a leaf page (or an inline bucket's page).
func (w *rawWalker) leaf(path []string, buf []byte, count, depth int) {
	for i := range count {
		e := pageHeader + i*pageElement
		flags := binary.LittleEndian.Uint32(buf[e:])
		pos := int(binary.LittleEndian.Uint32(buf[e+4:]))
		ksize := int(binary.LittleEndian.Uint32(buf[e+8:]))
		vsize := int(binary.LittleEndian.Uint32(buf[e+12:]))
		k0 := e + pos
		if pos < 0 || ksize < 0 || vsize < 0 || k0+ksize+vsize > len(buf) || k0 < e {
			w.problem("bucket %q: an element points outside its page", path)
			return
		}
		k, v := buf[k0:k0+ksize], buf[k0+ksize:k0+ksize+vsize]
		if flags&bucketLeafFlag == 0 {
			if w.visit != nil {
				w.visit(path, k, v)
			}
			continue
		}
		sub := append(append([]string(nil), path...), string(k))
		if len(v) < 16 {
			w.problem("bucket %q: a bucket header of %d bytes", sub, len(v))
			continue
		}
		if root := binary.LittleEndian.Uint64(v); root != 0 {
			w.tree(sub, root, depth+1)
			continue
		}
		inline := v[16:]
		if len(inline) < pageHeader {
			w.problem("bucket %q: an inline bucket of %d bytes", sub, len(inline))
			continue
		}
		n := int(binary.LittleEndian.Uint16(inline[10:]))
		if pageHeader+n*pageElement > len(inline) || binary.LittleEndian.Uint16(inline[8:]) != leafPageFlag {
			w.problem("bucket %q: an inline bucket that does not parse", sub)
			continue
		}
		w.leaf(sub, inline, n, depth+1)
	}
}

// rawBolt walks the newest committed tree of a bbolt file from its raw
// bytes (rawWalker) and returns what does not parse; visit, when set, is
// given every key and value, with the names of the buckets it is in. When
// the newest commit's tree is damaged and the commit before it (bbolt
// keeps two meta pages) reads through, that one is used instead and
// older says so.
func rawBolt(path string, visit func(bucket []string, k, v []byte)) (problems []string, older bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, false, err
	}
	psize := int64(os.Getpagesize())
	m0, ok0 := readMetaRoot(f, 0)
	if ok0 && m0.pageSize >= 512 {
		psize = int64(m0.pageSize)
	}
	m1, ok1 := readMetaRoot(f, psize)
	metas := []rawMeta{}
	switch {
	case ok0 && ok1 && m1.txid > m0.txid:
		metas = append(metas, m1, m0)
	case ok0 && ok1:
		metas = append(metas, m0, m1)
	case ok0:
		metas = append(metas, m0)
	case ok1:
		metas = append(metas, m1)
	default:
		return []string{"neither meta page is valid"}, false, nil
	}
	walk := func(m rawMeta, visit func([]string, []byte, []byte)) *rawWalker {
		w := &rawWalker{f: f, size: st.Size(), psize: int64(m.pageSize), high: m.pgid, seen: map[uint64]bool{}, visit: visit}
		w.tree(nil, m.root, 0)
		if w.more > 0 {
			w.problems = append(w.problems, fmt.Sprintf("and %d more", w.more))
		}
		return w
	}
	w := walk(metas[0], nil)
	if len(w.problems) > 0 && len(metas) > 1 {
		if w2 := walk(metas[1], nil); len(w2.problems) == 0 {
			problems = append([]string{fmt.Sprintf("the last commit (transaction %d) does not read, the one before it does", metas[0].txid)}, w.problems...)
			if visit != nil {
				walk(metas[1], visit)
			}
			return problems, true, nil
		}
	}
	if visit != nil {
		walk(metas[0], visit)
	}
	return w.problems, false, nil
}

// rawMeta is what rawBolt needs of a meta page.
type rawMeta struct {
	boltMeta
	root uint64
}

// readMetaRoot is readMeta plus the root bucket's page.
func readMetaRoot(f *os.File, off int64) (rawMeta, bool) {
	m, ok := readMeta(f, off)
	if !ok {
		return rawMeta{}, false
	}
	buf := make([]byte, 8)
	if _, err := f.ReadAt(buf, off+metaOffset+16); err != nil {
		return rawMeta{}, false
	}
	return rawMeta{boltMeta: m, root: binary.LittleEndian.Uint64(buf)}, true
}

// CheckFile reads every page of a bbolt store's file from its bytes
// (rawBolt) and returns ErrDamaged (wrapped) when one does not parse.
// kg check runs it before opening the store through bbolt, which loops
// for ever on a page that points back up its tree. A store that is not
// there yet, or not bbolt, is left to Open.
func CheckFile(dir string) error {
	file := filepath.Join(dir, boltFile)
	if st, err := os.Stat(file); err != nil || st.Size() == 0 {
		return nil
	}
	if err := checkBoltFile(file); err != nil {
		return &damageError{where: dir, what: err.Error()}
	}
	problems, _, err := rawBolt(file, nil)
	if err != nil {
		return fmt.Errorf("store %s: %w", dir, err)
	}
	if len(problems) > 0 {
		return &damageError{where: dir, what: strings.Join(problems, "; ")}
	}
	return nil
}
