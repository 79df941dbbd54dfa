// Package graph stores kg's articles, entities and facts in Cayley and reads
// them back as schema records. It is the only package that imports Cayley:
// everything above it (CLI, renderers, exporters) sees schema types only, so
// the quad store can be replaced without touching them.
//
// Data model (every quad of an article carries the article's IRI as label,
// so an article can be deleted or replaced by its label alone):
//
//	<subject> <vocab#relation> <object>          direct edge, for traversal
//	<fact> rdf:type kg:Fact; kg:subject, kg:object, kg:relation, kg:event,
//	       kg:mode, kg:date, kg:published (the article's kg:date),
//	       kg:modality, kg:confidence, kg:sentence, kg:start, kg:end,
//	       kg:instrument, kg:speaker, kg:rule, kg:path, kg:article,
//	       kg:subjectName/Type, kg:objectName/Type
//	<entity> rdf:type kg:Entity; kg:label (preferred name), kg:name (every
//	       surface form), kg:key (schema.Fold of each name, for
//	       FindEntities), kg:type, kg:wikidata, kg:country (an entity IRI),
//	       kg:role
//	<article> rdf:type kg:Article; kg:title, kg:date, kg:lang, kg:source,
//	       kg:url, kg:hash
//
// On bbolt, a read view kept beside Cayley's indexes in the same file
// (view.go) answers Neighbors, Path, FindEntities, Stats and the nodes of
// Subgraph: per entity, counts of what its articles state; each fact as
// one record; facts keyed by subject and by object. It is written after
// each Cayley write, used only while it matches Cayley's state, and
// rebuilt by the next writable open otherwise; the quads stay the record.
//
// Empty strings are never stored; kg:confidence is a float literal and
// kg:start/kg:end integer literals. Reads always go through quads, never
// through Cayley's node list (g.V()), because Cayley leaks node reference
// counts and can keep nodes whose quads are all deleted. See
// ../shared/docs/cayley.md for the Cayley traps this package routes
// around; the comments say which.
package graph

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres" // registers "postgres"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrStoreBroken is returned (wrapped) once a write has failed. Cayley
// caches node ids before a commit, so after a failed write later writes in
// the same process can store quads with nil directions (cayley.md, "cache
// poisoning"); the store is therefore closed and must be reopened.
var ErrStoreBroken = errors.New("graph store is broken by a failed write; reopen it")

// ErrReadOnly is returned by writes on a store opened with Options.ReadOnly.
var ErrReadOnly = errors.New("graph store is read-only")

// ErrClosed is returned by every method after Close.
var ErrClosed = errors.New("graph store is closed")

// Options tune Open.
type Options struct {
	// ReadOnly opens the store for reading only; writes return ErrReadOnly.
	// On bbolt it takes a shared lock, so several readers can open the
	// same store while no writer holds it.
	ReadOnly bool
	// NoBloom skips the Bloom filter Cayley's KV backend builds at open
	// (cayley.md: 1.2–1.7 s and hundreds of MB at 1M quads; ~1 ms without).
	// Bulk loads get slower at scale, so it suits short-lived CLI commands.
	NoBloom bool
	// Status, when set, is told of slow one-time work at open: building
	// the read view of a bbolt store written before it existed, or left
	// behind by a crash (about 8 s at 20,000 articles).
	Status func(msg string)
}

// boltLockTimeout bounds how long Open waits for another process's lock on
// a bbolt file. Cayley's own bolt backends pass nil options to bbolt, whose
// default is to wait forever, so Open opens bbolt itself.
const boltLockTimeout = time.Second

// boltFile is the file name Cayley's bolt backends use inside the store
// directory; keeping it makes a kg store readable by the cayley CLI.
const boltFile = "indexes.bolt"

// Store is a kg knowledge graph in a Cayley quad store. Its methods are safe
// for concurrent use: memstore is not goroutine-safe (Cayley issue #779), so
// reads share and writes exclusively hold a sync.RWMutex.
type Store struct {
	mu       sync.RWMutex
	qs       graph.QuadStore
	kv       hkv.KV   // the bbolt KV under qs, nil for other backends
	bolt     *bolt.DB // the same bbolt file, for the read view (view.go); nil for other backends
	noView   bool     // tests: read quads even where the view is current
	backend  string   // "bbolt", "memstore" or "postgres"
	where    string   // path or URI, for messages
	readOnly bool
	broken   error // set by fail; every later call returns it
	closed   bool
}

// addLabelIndex is turned off by a test to measure a store without it.
var addLabelIndex = true

// wrapKV, when set (by tests), wraps the bbolt KV before Cayley sees it, so
// a test can count the keys a delete reads.
var wrapKV func(hkv.KV) hkv.KV

// Open opens or creates a store. uri selects the backend:
//
//   - a filesystem path, or "bolt:PATH" / "bbolt:PATH": an embedded bbolt
//     store in directory PATH (created and initialised with a label index if
//     new; file PATH/indexes.bolt, as the cayley CLI expects). If another
//     process holds it, Open fails within about a second with "store PATH is
//     in use by another process".
//   - "memstore:" or "mem:": a fresh in-memory store.
//   - "postgres://..." or "postgresql://...": PostgreSQL, initialised if
//     needed. PostgreSQL keeps the same triple from two articles apart
//     (cayley.md), unlike sqlite/mysql/cockroach, which are not offered.
func Open(ctx context.Context, uri string, opts Options) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gopts := graph.Options{}
	if opts.NoBloom {
		gopts[ckv.OptNoBloom] = true
	}
	s := &Store{readOnly: opts.ReadOnly, where: uri}
	switch {
	case uri == "memstore:" || uri == "mem:" || uri == "memstore":
		s.backend = "memstore"
		s.qs = memstore.New()
	case strings.HasPrefix(uri, "postgres://") || strings.HasPrefix(uri, "postgresql://"):
		s.backend = "postgres"
		if u, err := url.Parse(uri); err == nil {
			s.where = u.Redacted() // messages name the store, never its password
		}
		if !opts.ReadOnly {
			// Init only a database without kg's tables: Cayley's Init on an
			// initialised one logs "Cannot create nodes table" on stderr
			// before returning ErrDatabaseExists.
			ok, err := pgInitialised(ctx, uri)
			if err != nil {
				return nil, fmt.Errorf("open postgres store %s: %w", s.where, err)
			}
			if !ok {
				if err := graph.InitQuadStore("postgres", uri, gopts); err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
					return nil, fmt.Errorf("init postgres store %s: %w", s.where, err)
				}
			}
		}
		qs, err := graph.NewQuadStore("postgres", uri, gopts)
		if err != nil {
			return nil, fmt.Errorf("open postgres store %s: %w", s.where, err)
		}
		s.qs = qs
	default:
		path := uri
		if p, ok := strings.CutPrefix(uri, "bbolt:"); ok {
			path = p
		} else if p, ok := strings.CutPrefix(uri, "bolt:"); ok {
			path = p
		}
		if path == "" {
			return nil, errors.New("graph: empty store path")
		}
		s.backend = "bbolt"
		s.where = path
		if err := s.openBolt(path, opts, gopts); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// pgInitialised reports whether the database already holds Cayley's
// quads table (in the connection's search path, where Init creates it).
func pgInitialised(ctx context.Context, uri string) (bool, error) {
	db, err := sql.Open("postgres", uri) // the driver Cayley's postgres backend registers
	if err != nil {
		return false, err
	}
	defer db.Close()
	var ok bool
	err = db.QueryRowContext(ctx, "SELECT to_regclass('quads') IS NOT NULL").Scan(&ok)
	return ok, err
}

// labelIndex is the KV index added at init: Cayley's defaults are [S,P] and
// [O,P,S], so looking up an article's quads by label scans every quad
// (~2 s at 1M quads); with it, 0.4 ms (cayley.md).
var labelIndex = ckv.QuadIndex{Dirs: []quad.Direction{quad.Label}}

// keyMetaIndexes is where Cayley's KV backend keeps its index list
// (unexported in graph/kv as keyMetaIndexes).
var keyMetaIndexes = hkv.Key{[]byte("meta"), []byte("indexes")}

func (s *Store) openBolt(dir string, opts Options, gopts graph.Options) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("store %s is a file; a bbolt store is a directory", dir)
	} else if err != nil {
		if !os.IsNotExist(err) {
			return fmt.Errorf("store %s: %w", dir, err)
		}
		if opts.ReadOnly {
			return fmt.Errorf("store %s does not exist", dir)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create store %s: %w", dir, err)
		}
	}
	file := filepath.Join(dir, boltFile)
	if opts.ReadOnly {
		if _, err := os.Stat(file); err != nil {
			return fmt.Errorf("store %s has no %s: %w", dir, boltFile, err)
		}
	}
	db, err := hbolt.Open(file, &bolt.Options{Timeout: boltLockTimeout, ReadOnly: opts.ReadOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("store %s is in use by another process", dir)
	} else if err != nil {
		return fmt.Errorf("open store %s: %w", dir, err)
	}
	var kv hkv.KV = db
	if wrapKV != nil {
		kv = wrapKV(kv)
	}
	qs, err := ckv.New(kv, gopts)
	if errors.Is(err, graph.ErrNotInitialized) && !opts.ReadOnly {
		if err = initBolt(kv, gopts); err == nil {
			qs, err = ckv.New(kv, gopts)
		}
	}
	if err != nil {
		db.Close()
		return fmt.Errorf("open store %s: %w", dir, err)
	}
	s.qs, s.kv, s.bolt = qs, kv, db.DB()
	if opts.ReadOnly {
		return nil
	}
	// A writer brings the read view up to date before anything else, so
	// its writes can keep it current (view.go).
	if err := s.ensureView(context.Background(), false, opts.Status); err != nil {
		qs.Close()
		return fmt.Errorf("open store %s: build read view: %w", dir, err)
	}
	return nil
}

// initBolt initialises a new KV store and rewrites its index metadata to
// add the label index. This must happen before the first quad: the index
// only covers quads written after it is listed, and the documented
// CAYLEY_KV_INDEXES override does not work (cayley.md).
func initBolt(kv hkv.KV, gopts graph.Options) error {
	if err := ckv.Init(kv, gopts); err != nil {
		return err
	}
	if !addLabelIndex {
		return nil
	}
	list := append(append([]ckv.QuadIndex(nil), ckv.DefaultQuadIndexes...), labelIndex)
	data, err := json.Marshal(list)
	if err != nil {
		return err
	}
	return kv.Update(context.Background(), func(tx hkv.Tx) error {
		return tx.Put(context.Background(), keyMetaIndexes, data)
	})
}

// kvIndexes returns the index list stored in a KV store's metadata (nil for
// other backends); tests use it to check the label index survives reopen.
func (s *Store) kvIndexes(ctx context.Context) ([]ckv.QuadIndex, error) {
	if s.kv == nil {
		return nil, nil
	}
	var out []ckv.QuadIndex
	err := hkv.View(ctx, s.kv, func(tx hkv.Tx) error {
		v, err := tx.Get(ctx, keyMetaIndexes)
		if err != nil {
			return err
		}
		return json.Unmarshal(v, &out)
	})
	return out, err
}

// Close closes the store. Closing twice, or after a failed write closed
// it, returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.broken != nil {
		return nil // fail already closed it
	}
	return s.qs.Close()
}

// usable reports why the store cannot be used, if it cannot. Callers hold mu.
func (s *Store) usable() error {
	switch {
	case s.broken != nil:
		return s.broken
	case s.closed:
		return ErrClosed
	}
	return nil
}

// writable is usable plus the read-only check. Callers hold mu.
func (s *Store) writable() error {
	if err := s.usable(); err != nil {
		return err
	}
	if s.readOnly {
		return ErrReadOnly
	}
	return nil
}

// fail closes the store after a write error (see ErrStoreBroken) and
// returns the error every later call will get. Callers hold mu for writing.
func (s *Store) fail(op string, err error) error {
	s.broken = fmt.Errorf("%w (%s on %s %s: %v)", ErrStoreBroken, op, s.backend, s.where, err)
	s.qs.Close()
	return s.broken
}

// apply sends deltas as one backend transaction. Adds and deletes must
// never be mixed: KV bug #885 stores quads with nil directions when one
// transaction does both.
func (s *Store) apply(op string, tx *graph.Transaction) error {
	if len(tx.Deltas) == 0 {
		return nil
	}
	if err := s.qs.ApplyDeltas(tx.Deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		return s.fail(op, err)
	}
	return nil
}
