package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// salvageBatch is how many articles Salvage writes per transaction.
const salvageBatch = 200

// Salvage examines a bbolt store whose file is damaged (ErrDamaged) as far
// as it can be read: every bucket and key of the file, Cayley's metadata,
// the article list, each article's quads. It reports each unreadable part
// as a Damaged problem; Articles counts the articles found, Salvaged those
// that read back whole and Lost the others. Nothing panics: every read
// runs under try.
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
	db, cleanup, err := openDamaged(file)
	if err != nil {
		damage("the file does not open: %v", err)
		rep.Lost = []string{"(everything: nothing could be read)"}
		return rep, nil
	}
	defer cleanup()
	for _, p := range walkBolt(db.DB()) {
		damage("%s", p)
	}
	src := &Store{backend: "bbolt", where: dir, readOnly: true, kv: db, bolt: db.DB()}
	err = try(func() error {
		var err error
		src.qs, err = ckv.New(db, graph.Options{ckv.OptNoBloom: true})
		return err
	})
	if err != nil {
		damage("Cayley's metadata does not read: %v", err)
		rep.Lost = []string{"(everything: nothing could be read)"}
		return rep, nil
	}
	// Every quad in log order first: the log is Cayley's record, the
	// indexes are derived from it, so when it reads through, it is the
	// whole truth even where an index is damaged. Where it does not, each
	// article is read through the label index instead.
	sv := &salvager{s: src, names: map[any]quad.Value{}, bad: map[any]error{}}
	byLabel, spoiled := map[quad.Value][]quad.Quad{}, map[quad.Value]error{}
	var labels []quad.Value
	var orphans int
	err = try(func() error { return sv.scanAll(ctx, byLabel, spoiled, &orphans) })
	complete := err == nil
	seen := map[quad.Value]bool{}
	addLabel := func(l quad.Value) {
		if _, ok := articleOf(l); ok && !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	for l := range byLabel {
		addLabel(l)
	}
	for l := range spoiled {
		addLabel(l)
	}
	if !complete {
		damage("reading every quad stopped (%v); the articles were read one by one through the label index instead", err)
		var listed []quad.Value
		if err := try(func() error {
			var err error
			listed, err = src.in(ctx, []quad.IRI{rdfType}, classArticle)
			return err
		}); err != nil {
			damage("the article list does not read either (%v)", err)
		}
		for _, l := range listed {
			addLabel(l)
		}
	}
	if orphans > 0 {
		damage("%d quads name no readable article", orphans)
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].String() < labels[j].String() })
	var good [][]quad.Quad
	for _, l := range labels {
		id, _ := articleOf(l)
		rep.Articles++
		qs, err := byLabel[l], spoiled[l]
		if !complete {
			err = try(func() error {
				var err error
				qs, err = sv.article(ctx, l)
				return err
			})
		}
		if err != nil {
			damage("article %s does not read: %v", id, err)
			rep.Lost = append(rep.Lost, id)
			continue
		}
		rep.Quads += len(qs)
		good = append(good, qs)
	}
	rep.Salvaged = len(good)
	var total int64
	if err := try(func() error { var err error; total, err = src.quadCount(ctx); return err }); err == nil && total > int64(rep.Quads) {
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

// openDamaged opens a damaged file read-only. If a lock stays taken (in
// this process, by a bbolt open that panicked halfway and never let go),
// it reads a private copy instead. cleanup closes it without waiting: a
// faulted transaction may hold a lock Close waits for.
func openDamaged(file string) (*hbolt.DB, func(), error) {
	open := func(path string) (*hbolt.DB, error) {
		var db *hbolt.DB
		err := try(func() error {
			var err error
			db, err = hbolt.Open(path, &bolt.Options{Timeout: 2 * time.Second, ReadOnly: true})
			return err
		})
		return db, err
	}
	db, err := open(file)
	if errors.Is(err, bolterrors.ErrTimeout) {
		copyDir, cerr := os.MkdirTemp("", "kg-salvage-")
		if cerr != nil {
			return nil, nil, err
		}
		cp := filepath.Join(copyDir, boltFile)
		if cerr := copyFile(file, cp); cerr != nil {
			os.RemoveAll(copyDir)
			return nil, nil, cerr
		}
		db, err = open(cp)
		if err != nil {
			os.RemoveAll(copyDir)
			return nil, nil, err
		}
		return db, func() { go db.Close(); os.RemoveAll(copyDir) }, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return db, func() { go db.Close() }, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// sink keeps walkBolt's reads of each value from being optimised away.
var sink byte

// walkBolt reads every key and value of the file, bucket by bucket, and
// describes each top-level bucket that does not read through (bbolt's
// own Check runs in a goroutine of its own, where a fault on the mapped
// file could not be caught).
func walkBolt(db *bolt.DB) []string {
	var names [][]byte
	err := try(func() error {
		return db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
				names = append(names, append([]byte(nil), name...))
				return nil
			})
		})
	})
	if err != nil {
		return []string{fmt.Sprintf("the file's bucket list does not read: %v", err)}
	}
	var walk func(b *bolt.Bucket) error
	walk = func(b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					return walk(sub)
				}
				return nil
			}
			if len(v) > 0 {
				sink ^= v[0] ^ v[len(v)-1]
			}
			return nil
		})
	}
	var out []string
	for _, name := range names {
		err := try(func() error {
			return db.View(func(tx *bolt.Tx) error {
				if b := tx.Bucket(name); b != nil {
					return walk(b)
				}
				return nil
			})
		})
		if err != nil {
			out = append(out, fmt.Sprintf("bucket %q does not read: %v", name, err))
		}
	}
	return out
}

// salvager reads quads from a damaged store and checks every node it
// names: a node's value must lead back to the node through Cayley's value
// index, which catches a byte changed inside a value (bbolt pages carry
// no checksum), such as an article IRI turned into another article's.
type salvager struct {
	s     *Store
	names map[any]quad.Value // nodes that passed
	bad   map[any]error      // nodes that did not
}

func (sv *salvager) node(r graph.Ref) (quad.Value, error) {
	if r == nil {
		return nil, nil
	}
	if iv, ok := r.(ckv.Int64Value); ok && iv == 0 {
		return nil, nil
	}
	k := r.Key()
	if v, ok := sv.names[k]; ok {
		return v, nil
	}
	if err, ok := sv.bad[k]; ok {
		return nil, err
	}
	v, err := sv.s.qs.NameOf(r)
	if err == nil && v == nil {
		err = fmt.Errorf("node %v has no value", k)
	}
	if err == nil {
		back, verr := sv.s.qs.ValueOf(v)
		switch {
		case verr != nil:
			err = verr
		case back == nil || back.Key() != k:
			err = fmt.Errorf("node %v holds %s, which the value index does not lead back to (a changed byte)", k, v)
		}
	}
	if err != nil {
		sv.bad[k] = err
		return nil, err
	}
	sv.names[k] = v
	return v, nil
}

func (sv *salvager) quad(r graph.Ref) (quad.Quad, error) {
	var q quad.Quad
	for _, d := range quad.Directions {
		nr, err := sv.s.qs.QuadDirection(r, d)
		if err != nil {
			return q, err
		}
		v, err := sv.node(nr)
		if err != nil {
			return q, err
		}
		q.Set(d, v)
	}
	return q, nil
}

// scanAll reads every live quad in log order into byLabel; an article
// with a quad that does not read goes to spoiled, a quad whose label does
// not read counts as an orphan.
func (sv *salvager) scanAll(ctx context.Context, byLabel map[quad.Value][]quad.Quad, spoiled map[quad.Value]error, orphans *int) error {
	it := sv.s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(ctx) {
		r := it.Result()
		lr, err := sv.s.qs.QuadDirection(r, quad.Label)
		if err != nil {
			return err
		}
		label, err := sv.node(lr)
		if err != nil || label == nil {
			*orphans++
			continue
		}
		q, err := sv.quad(r)
		if err != nil {
			spoiled[label] = err
			continue
		}
		byLabel[label] = append(byLabel[label], q)
	}
	return it.Err()
}

// article reads one article through the label index.
func (sv *salvager) article(ctx context.Context, label quad.Value) ([]quad.Quad, error) {
	var out []quad.Quad
	err := sv.s.scan(ctx, quad.Label, label, nil, func(r graph.Ref) error {
		q, err := sv.quad(r)
		if err != nil {
			return err
		}
		out = append(out, q)
		return nil
	})
	return out, err
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
