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
// one record; facts keyed by subject and by object. It is written in the
// same bbolt transaction as each Cayley write, used only while it matches
// Cayley's state, and rebuilt by the next writable open otherwise; the
// quads stay the record.
//
// Faults (issue 15): a write is one transaction on every backend
// (replace), so a reader or a crash sees each article whole in one
// version; one writer per store (session.go, pglock.go) while readers
// read beside it; a damaged bbolt file is an error, ErrDamaged, never a
// crash (damage.go), and Salvage copies what still reads; Gizmo queries
// run in a sandbox (sandbox.go).
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
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres" // registers "postgres"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	bolt "go.etcd.io/bbolt"
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
	// Readers take no lock of their own: on bbolt each call opens the file
	// shared for its duration (session.go), on PostgreSQL reads run beside
	// the writer.
	ReadOnly bool
	// NoBloom skips the Bloom filter Cayley's KV backend builds at open
	// (cayley.md: 1.2–1.7 s and hundreds of MB at 1M quads; ~1 ms without).
	// Bulk loads get slower at scale, so it suits short-lived CLI commands.
	// Readers of a bbolt store never build it: they reopen Cayley's store
	// for every call.
	NoBloom bool
	// Status, when set, is told of slow one-time work at open: building
	// the read view of a bbolt store written before it existed, or left
	// behind by a crash (about 8 s at 20,000 articles).
	Status func(msg string)
}

// boltLockTimeout bounds how long Open waits for another writer's lock on
// a store (DIR/kg.lock on bbolt, the advisory lock on PostgreSQL) before
// answering "in use by another process".
const boltLockTimeout = time.Second

// boltFile is the file name Cayley's bolt backends use inside the store
// directory; keeping it makes a kg store readable by the cayley CLI.
const boltFile = "indexes.bolt"

// Store is a kg knowledge graph in a Cayley quad store. Its methods are safe
// for concurrent use: memstore is not goroutine-safe (Cayley issue #779), so
// reads share and writes exclusively hold a sync.RWMutex.
type Store struct {
	mu       sync.RWMutex
	qs       graph.QuadStore // on a bbolt reader, only inside a session
	kv       hkv.KV          // the bbolt KV under qs, nil for other backends
	bolt     *bolt.DB        // the same bbolt file, for the read view (view.go); nil for other backends and between sessions
	noView   bool            // tests: read quads even where the view is current
	backend  string          // "bbolt", "memstore" or "postgres"
	where    string          // path or URI, for messages
	readOnly bool
	broken   error // set by fail; every later call returns it
	closed   bool
	dmg      atomic.Pointer[damageError] // set by guard on a damaged bbolt file

	// bbolt (session.go)
	gopts  graph.Options
	fkv    *fileKV  // a writer's reopenable file under its Cayley store
	wlock  *os.File // a writer's DIR/kg.lock
	sess   session
	hmu    sync.Mutex
	hashes map[string]string // a writer's article hashes, so ingest can look them up between sessions

	// postgres (pglock.go)
	pg     *sql.DB   // a writer's own connection pool, for the lock and ordering queries
	pgLock *sql.Conn // the connection holding the writer's advisory lock
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
//     new; file PATH/indexes.bolt, as the cayley CLI expects). One writer at
//     a time: if another process writes to it, Open for writing fails within
//     about a second with "store PATH is in use by another process". Readers
//     share the file with the writer, call by call (session.go).
//   - "memstore:" or "mem:": a fresh in-memory store.
//   - "postgres://..." or "postgresql://...": PostgreSQL, initialised if
//     needed. PostgreSQL keeps the same triple from two articles apart
//     (cayley.md), unlike sqlite/mysql/cockroach, which are not offered.
//     One writer at a time, through an advisory lock (pglock.go), with the
//     same refusal as bbolt; readers read beside it.
func Open(ctx context.Context, uri string, opts Options) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gopts := graph.Options{}
	if opts.NoBloom {
		gopts[ckv.OptNoBloom] = true
	}
	s := &Store{readOnly: opts.ReadOnly, where: uri, gopts: gopts}
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
			if err := s.lockPostgres(ctx, uri); err != nil {
				return nil, err
			}
			// Init only a database without kg's tables: Cayley's Init on an
			// initialised one logs "Cannot create nodes table" on stderr
			// before returning ErrDatabaseExists.
			ok, err := pgInitialised(ctx, uri)
			if err != nil {
				s.unlockPostgres()
				return nil, fmt.Errorf("open postgres store %s: %w", s.where, err)
			}
			if !ok {
				if err := graph.InitQuadStore("postgres", uri, gopts); err != nil && !errors.Is(err, graph.ErrDatabaseExists) {
					s.unlockPostgres()
					return nil, fmt.Errorf("init postgres store %s: %w", s.where, err)
				}
			}
		}
		qs, err := graph.NewQuadStore("postgres", uri, gopts)
		if err != nil {
			s.unlockPostgres()
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
		if err := s.openBolt(ctx, path, opts); err != nil {
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

// openBolt opens a bbolt store. A writer takes the writer lock, then
// opens the file for a first session that initialises a new store, brings
// the read view up to date and reads the article hashes; a reader opens
// one session to check the store is there and readable.
func (s *Store) openBolt(ctx context.Context, dir string, opts Options) error {
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
		// a reader rebuilds Cayley's store at every call: never a Bloom filter
		s.gopts[ckv.OptNoBloom] = true
		if err := s.enter(); err != nil {
			return err
		}
		s.leave()
		return s.damage()
	}
	lock, ok, err := lockFile(filepath.Join(dir, writerLockName), true, true, boltLockTimeout)
	if err != nil {
		return fmt.Errorf("store %s: %w", dir, err)
	}
	if !ok {
		return fmt.Errorf("store %s is in use by another process", dir)
	}
	s.wlock, s.fkv = lock, &fileKV{}
	if err := s.enter(); err != nil {
		s.wlock.Close()
		return err
	}
	err = s.guard(func() error {
		var kv hkv.KV = s.fkv
		if wrapKV != nil {
			kv = wrapKV(kv)
		}
		qs, err := ckv.New(kv, s.gopts)
		if errors.Is(err, graph.ErrNotInitialized) {
			if err = initBolt(kv, s.gopts); err == nil {
				qs, err = ckv.New(kv, s.gopts)
			}
		}
		if err != nil {
			return fmt.Errorf("open store %s: %w", dir, err)
		}
		s.qs, s.kv = qs, kv
		// A writer brings the read view up to date before anything else, so
		// its writes can keep it current (view.go).
		if err := s.ensureView(ctx, false, opts.Status); err != nil {
			return fmt.Errorf("open store %s: build read view: %w", dir, err)
		}
		return s.loadHashes(ctx)
	})
	s.leave()
	if err != nil {
		if qs := s.qs; qs != nil {
			s.afterDamage(func() { qs.Close() })
		}
		s.wlock.Close()
		return err
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

// Close closes the store and, for a writer, lets the next one in. Closing
// twice, or after a failed write closed it, returns nil.
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
	return s.shutdown()
}

// shutdown closes the backend and releases the writer's lock. Callers
// hold mu for writing.
func (s *Store) shutdown() error {
	var err error
	if qs := s.qs; qs != nil && (s.backend != "bbolt" || s.fkv != nil) {
		if s.damage() != nil {
			go qs.Close() // see afterDamage
		} else {
			err = qs.Close()
		}
	}
	if s.wlock != nil {
		s.wlock.Close()
		s.wlock = nil
	}
	s.unlockPostgres()
	return err
}

// usable reports why the store cannot be used, if it cannot. Callers hold mu.
func (s *Store) usable() error {
	switch {
	case s.broken != nil:
		return s.broken
	case s.closed:
		return ErrClosed
	}
	return s.damage()
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
	if errors.Is(err, ErrDamaged) {
		s.broken = err
	} else {
		s.broken = fmt.Errorf("%w (%s on %s %s: %v)", ErrStoreBroken, op, s.backend, s.where, err)
	}
	s.shutdown()
	return s.broken
}

// read runs fn, a read of the store, under the shared lock and inside a
// session, with a damaged file's faults caught (guard).
func (s *Store) read(fn func() error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(); err != nil {
		return err
	}
	return s.inSession(fn)
}

// write runs fn, a write, under the exclusive lock and inside a session.
func (s *Store) write(fn func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	return s.inSession(fn)
}

// inSession runs fn with the bbolt file open. Callers hold mu.
func (s *Store) inSession(fn func() error) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	return s.guard(fn)
}

// apply sends deltas as one backend transaction. Adds and deletes must
// never be mixed on KV stores: bug #885 stores quads with nil directions
// when one transaction does both (replace() groups two instead).
func (s *Store) apply(op string, tx *graph.Transaction) error {
	if len(tx.Deltas) == 0 {
		return nil
	}
	if err := s.qs.ApplyDeltas(tx.Deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		return s.fail(op, err)
	}
	return nil
}
