package graph

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"google.golang.org/protobuf/proto"
)

// salvageBatch is how many articles Salvage writes per transaction.
const salvageBatch = 200

// Salvage examines a bbolt store whose file is damaged (ErrDamaged) as far
// as it can be read, from the file's bytes and never through bbolt
// (rawBolt), so that nothing can fault or loop: every page of the newest
// commit (or, when that does not read, of the commit before it), then
// Cayley's log, which holds every node and quad, each node's value checked
// against Cayley's value index. It reports what does not read as Damaged
// problems; Articles counts the articles found, Salvaged those whose every
// quad reads back (by the log, and by the label index for quads on pages
// that did not read), Lost the others, Unread the quads Cayley's counter
// holds that were not found.
//
// With repair it copies the articles that read back into a fresh store,
// runs the ordinary repair on it (an article whose quads read back but
// break an invariant is dropped, and listed as lost), then swaps the two:
// the fresh store takes the path, the damaged one is kept beside it as
// PATH.damaged-TIMESTAMP (Report.Moved). Ingesting the lost articles again
// restores them. The repair holds the writer lock, so no ingest runs
// meanwhile.
func Salvage(ctx context.Context, dir string, repair bool) (Report, error) {
	var rep Report
	if repair {
		lock, ok, err := lockFile(filepath.Join(dir, writerLockName), true, true, boltLockTimeout)
		if err != nil {
			return rep, fmt.Errorf("store %s: %w", dir, err)
		}
		if !ok {
			return rep, fmt.Errorf("store %s is in use by another process", dir)
		}
		defer lock.Close()
	}
	damage := func(format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{Kind: Damaged, Detail: fmt.Sprintf(format, args...)})
	}
	file := filepath.Join(dir, boltFile)
	if err := checkBoltFile(file); err != nil {
		damage("%v", err)
	}
	// The file is read from its bytes, never through bbolt (rawBolt): a
	// damaged file can neither fault nor loop. Cayley's log (every node
	// and quad) is the record; its value index checks each node's value.
	lg := &rawLog{prims: map[uint64][]byte{}, vindex: map[string]uint64{}, labelOf: map[uint64]uint64{}}
	problems, older, err := rawBolt(file, lg.visit)
	if err != nil {
		damage("the file does not read: %v", err)
		rep.Lost = []string{"(everything: nothing could be read)"}
		return rep, nil
	}
	for _, p := range problems {
		damage("%s", p)
	}
	if older {
		damage("what follows is the store as of its commit before the last")
	}
	if len(lg.prims) == 0 {
		rep.Lost = []string{"(everything: nothing could be read)"}
		return rep, nil
	}
	byLabel, spoiled, orphans := lg.quads()
	if orphans > 0 {
		damage("%d quads name no readable article", orphans)
	}
	labels := make([]quad.Value, 0, len(byLabel)+len(spoiled))
	for l := range byLabel {
		labels = append(labels, l)
	}
	for l := range spoiled {
		if _, ok := byLabel[l]; !ok {
			labels = append(labels, l)
		}
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].String() < labels[j].String() })
	var good [][]quad.Quad
	for _, l := range labels {
		id, ok := articleOf(l)
		if !ok {
			continue
		}
		rep.Articles++
		if err, bad := spoiled[l]; bad {
			damage("article %s does not read: %v", id, err)
			rep.Lost = append(rep.Lost, id)
			continue
		}
		rep.Quads += len(byLabel[l])
		good = append(good, byLabel[l])
	}
	rep.Salvaged = len(good)
	if len(rep.Problems) == 0 {
		damage("the file's pages and Cayley's log read through: the damage is in what is derived from them (Cayley's indexes, the read view), which a fresh store rebuilds")
	}
	if total := lg.size; total > int64(rep.Quads)+int64(orphans) {
		rep.Unread = total - int64(rep.Quads)
		damage("%d of the %d quads Cayley counts were not read: the articles they belong to may be missing from these lists", rep.Unread, total)
	}
	if !repair {
		return rep, ctx.Err()
	}
	rep.Repaired = true
	tmp := fmt.Sprintf("%s.salvage-%d", dir, os.Getpid())
	os.RemoveAll(tmp)
	fresh, err := Open(ctx, tmp, Options{NoBloom: true})
	if err != nil {
		return rep, fmt.Errorf("salvage: %w", err)
	}
	defer os.RemoveAll(tmp) // gone once renamed; left only by a failure
	for i := 0; i < len(good); i += salvageBatch {
		if err := fresh.putRaw(ctx, good[i:min(i+salvageBatch, len(good))]); err != nil {
			fresh.Close()
			return rep, fmt.Errorf("salvage: %w", err)
		}
	}
	frep, err := fresh.Check(ctx, true)
	if err != nil {
		fresh.Close()
		return rep, fmt.Errorf("salvage: check the fresh store: %w", err)
	}
	rep.Salvaged -= len(frep.Reingest)
	rep.Lost = append(rep.Lost, frep.Reingest...)
	sort.Strings(rep.Lost)
	rep.Remaining = frep.Remaining
	if err := fresh.Close(); err != nil {
		return rep, fmt.Errorf("salvage: %w", err)
	}
	moved := fmt.Sprintf("%s.damaged-%s", dir, time.Now().Format("20060102-150405"))
	if err := os.Rename(dir, moved); err != nil {
		return rep, fmt.Errorf("salvage: keep the damaged store aside: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return rep, fmt.Errorf("salvage: the fresh store is at %s, the damaged one at %s: %w", tmp, moved, err)
	}
	rep.Moved = moved
	return rep, nil
}

// rawLog is Cayley's log and value index as rawBolt reads them from a
// damaged file.
type rawLog struct {
	prims   map[uint64][]byte // log: id → the encoded primitive
	vindex  map[string]uint64 // value hash → node id
	labelOf map[uint64]uint64 // quad id → its label's node id, from the label index
	size    int64             // Cayley's live quad count
}

func (lg *rawLog) visit(bucket []string, k, v []byte) {
	if len(bucket) != 1 {
		return
	}
	switch b := bucket[0]; {
	case b == "log" && len(k) == 8:
		lg.prims[binary.BigEndian.Uint64(k)] = append([]byte(nil), v...)
	case len(b) == 3 && b[0] == 'v':
		if id, n := binary.Uvarint(v); n > 0 {
			lg.vindex[string(k)] = id
		}
	case b == "meta" && string(k) == "size" && len(v) == 8:
		lg.size = int64(binary.LittleEndian.Uint64(v))
	case b == string([]byte{quad.Label.Prefix()}) && len(k) == 8: // labelIndex's bucket
		label := binary.BigEndian.Uint64(k)
		for len(v) > 0 {
			id, n := binary.Uvarint(v)
			if n <= 0 {
				break
			}
			lg.labelOf[id], v = label, v[n:]
		}
	}
}

// node returns a node's value, checked against the value index: the
// value must hash to an entry that names this node, which catches a byte
// changed inside a value (bbolt pages carry no checksum).
func (lg *rawLog) node(id uint64, cache map[uint64]quad.Value, bad map[uint64]error) (quad.Value, error) {
	if v, ok := cache[id]; ok {
		return v, nil
	}
	if err, ok := bad[id]; ok {
		return nil, err
	}
	err := func() error {
		raw, ok := lg.prims[id]
		if !ok {
			return fmt.Errorf("node %d is not in the log", id)
		}
		p := new(cproto.Primitive)
		if err := proto.Unmarshal(raw, p); err != nil || !p.IsNode() {
			return fmt.Errorf("node %d does not parse", id)
		}
		v, err := pquads.UnmarshalValue(p.Value)
		if err != nil {
			return fmt.Errorf("node %d's value does not parse", id)
		}
		h := refs.HashOf(v)
		if back, ok := lg.vindex[string(h[:])]; !ok || back != id {
			return fmt.Errorf("node %d holds %s, which the value index does not lead back to (a changed byte)", id, v)
		}
		cache[id] = v
		return nil
	}()
	if err != nil {
		bad[id] = err
		return nil, err
	}
	return cache[id], nil
}

// quads rebuilds every live quad of the log, by label; an article with a
// quad that does not rebuild goes to spoiled, a quad whose label does not
// read counts as an orphan.
func (lg *rawLog) quads() (byLabel map[quad.Value][]quad.Quad, spoiled map[quad.Value]error, orphans int) {
	byLabel, spoiled = map[quad.Value][]quad.Quad{}, map[quad.Value]error{}
	cache, bad := map[uint64]quad.Value{}, map[uint64]error{}
	ids := make([]uint64, 0, len(lg.prims))
	for id := range lg.prims {
		ids = append(ids, id)
	}
	slices.Sort(ids) // log order: the order the quads were written
	// a quad that does not read still spoils its article when the label
	// index says whose it is
	lost := func(id uint64, why error) {
		if l, ok := lg.labelOf[id]; ok {
			if label, err := lg.node(l, cache, bad); err == nil {
				spoiled[label] = fmt.Errorf("quad %d: %w", id, why)
				return
			}
		}
		orphans++
	}
	for _, id := range ids {
		p := new(cproto.Primitive)
		if err := proto.Unmarshal(lg.prims[id], p); err != nil {
			lost(id, fmt.Errorf("does not parse"))
			continue
		}
		if p.IsNode() || p.Deleted {
			continue
		}
		if p.Label == 0 {
			lost(id, fmt.Errorf("has no label"))
			continue
		}
		label, err := lg.node(p.Label, cache, bad)
		if err != nil {
			lost(id, err)
			continue
		}
		var q quad.Quad
		for _, d := range quad.Directions {
			n := p.GetDirection(d)
			if n == 0 {
				continue
			}
			v, err := lg.node(n, cache, bad)
			if err != nil {
				spoiled[label] = fmt.Errorf("quad %d: %w", id, err)
				break
			}
			q.Set(d, v)
		}
		if _, bad := spoiled[label]; !bad {
			byLabel[label] = append(byLabel[label], q)
		}
	}
	// Cayley never removes a quad from its log (a deleted one is marked
	// dead), so a quad the label index names that the log lacks was on a
	// page that did not read: its article is not whole.
	for id := range lg.labelOf {
		if _, ok := lg.prims[id]; !ok {
			lost(id, fmt.Errorf("is on a page that does not read"))
		}
	}
	return byLabel, spoiled, orphans
}

// putRaw adds articles given as their quads, as read from another store,
// in one atomic write. Salvage uses it; ingest goes through PutArticles.
func (s *Store) putRaw(ctx context.Context, arts [][]quad.Quad) error {
	return s.write(func() error {
		synced, err := s.viewSynced()
		if err != nil {
			return err
		}
		vd := newViewDelta()
		var all []quad.Quad
		for _, qs := range arts {
			vd.article(qs, 1)
			all = append(all, qs...)
		}
		return s.replace(ctx, "salvage", nil, all, synced, vd)
	})
}
