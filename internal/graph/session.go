package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	hkv "github.com/hidal-go/hidalgo/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// How a bbolt store is shared between processes.
//
// bbolt lets one process write a file or several read it, never both at
// once, and holds its lock for as long as the file is open. Holding it for
// a whole ingest kept every reader out for hours, so a store opens the
// file only for the span of one operation (a session):
//
//   - A writer holds DIR/kg.lock for as long as its Store is open: a
//     second writer is refused within about a second ("in use by another
//     process"). It opens indexes.bolt only to write a batch (or to read,
//     for kg serve --writable and kg check --repair), and keeps Cayley's
//     in-memory state between sessions: nothing else writes the file.
//   - A reader opens indexes.bolt, shared, for each call (Facts, Stats...)
//     and builds Cayley's store afresh each time, since a writer may have
//     committed in between. It waits at most ReaderWait for a writer to
//     finish its batch, so reads answer from the last committed batch.
//   - DIR/kg.turn is a turnstile that keeps readers from starving a
//     writer: a writer holds it exclusively while it has the file open, a
//     reader holds it shared only while it opens the file.
//
// Within a process, concurrent calls share a session, but a session older
// than sessionJoin takes no newcomers, so a busy server still leaves gaps
// for a writer in another process.
const (
	writerLockName = "kg.lock"
	turnstileName  = "kg.turn"
	// ReaderWait bounds how long a read waits for a writer's batch commit
	// (or a writer's first open) before failing as "in use".
	ReaderWait = 5 * time.Second
	// writerWait bounds how long a writer waits for readers to let go of
	// the file; a long export can hold it for a while.
	writerWait = 2 * time.Minute
	// firstOpenWait is writerWait for the session Open starts with: a
	// process of an older kg holding the file for good should be reported
	// soon, not after minutes.
	firstOpenWait = 10 * time.Second
	sessionJoin   = 250 * time.Millisecond
)

var errNoSession = errors.New("graph: bbolt store used outside a session (a bug in kg)")

// fileKV is the KV a writer's Cayley store sits on: the bbolt file of the
// current session, or nothing between sessions. During group, every
// transaction Cayley opens is one shared read-write transaction.
type fileKV struct {
	mu     sync.Mutex
	db     *hbolt.DB
	shared hkv.Tx
}

func (f *fileKV) state() (*hbolt.DB, hkv.Tx) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.db, f.shared
}

func (f *fileKV) set(db *hbolt.DB) {
	f.mu.Lock()
	f.db = db
	f.mu.Unlock()
}

// Tx implements hkv.KV.
func (f *fileKV) Tx(ctx context.Context, rw bool) (hkv.Tx, error) {
	db, sh := f.state()
	if sh != nil {
		return sharedTx{sh}, nil
	}
	if db == nil {
		return nil, errNoSession
	}
	return db.Tx(ctx, rw)
}

// View implements hkv.KV.
func (f *fileKV) View(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.View(ctx, f, fn)
}

// Update implements hkv.KV.
func (f *fileKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) error {
	return hkv.Update(ctx, f, fn)
}

// Close closes the current session's file, if any.
func (f *fileKV) Close() error {
	if db := f.detach(); db != nil {
		return db.Close()
	}
	return nil
}

// detach ends the session's use of its file and returns it for closing.
func (f *fileKV) detach() *hbolt.DB {
	f.mu.Lock()
	defer f.mu.Unlock()
	db := f.db
	f.db = nil
	return db
}

// sharedTx is the group's transaction as Cayley sees it: its commits and
// rollbacks are the group's to make.
type sharedTx struct{ hkv.Tx }

func (sharedTx) Commit(context.Context) error { return nil }
func (sharedTx) Close() error                 { return nil }

// group runs fn inside one read-write bbolt transaction that every Cayley
// write in fn joins, and commits it once. This is what makes a replace
// atomic on bbolt: Cayley bug #885 forbids mixing deletes and adds in one
// ApplyDeltas, but two ApplyDeltas (deletes, then adds) in one bbolt
// transaction each see a consistent state, and a crash anywhere leaves
// the last commit: every article is its old version or its new one.
func (f *fileKV) group(ctx context.Context, fn func(tx hkv.Tx) error) (err error) {
	db, _ := f.state()
	if db == nil {
		return errNoSession
	}
	tx, err := db.Tx(ctx, true)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.shared = tx
	f.mu.Unlock()
	done := false
	defer func() {
		f.mu.Lock()
		f.shared = nil
		f.mu.Unlock()
		if !done {
			tx.Close() // an error or a panic (a damaged file): roll back
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	done = true
	return tx.Commit(ctx)
}

// session counts the operations using a bbolt store's file.
type session struct {
	mu      sync.Mutex
	n       int           // operations inside
	opened  time.Time     // when the file was opened
	drained chan struct{} // closed when n drops to 0
	turn    *os.File      // a writer's turnstile, held while the file is open
}

// enter opens the store's file for one operation, or joins the session
// already open. Other backends have nothing to open.
func (s *Store) enter() error {
	if s.backend != "bbolt" {
		return nil
	}
	ss := &s.sess
	ss.mu.Lock()
	if ss.n > 0 && time.Since(ss.opened) > sessionJoin {
		// let it drain so a writer elsewhere gets its turn; never wait for
		// ever (a nested call would wait for itself)
		ch := ss.drained
		ss.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(ReaderWait):
		}
		ss.mu.Lock()
	}
	defer ss.mu.Unlock()
	if ss.n > 0 {
		ss.n++
		return nil
	}
	wait := writerWait
	if s.qs == nil && s.fkv != nil {
		wait = firstOpenWait
	}
	if err := s.openSession(wait); err != nil {
		return err
	}
	ss.n, ss.opened, ss.drained = 1, time.Now(), make(chan struct{})
	return nil
}

// leave ends an operation; the last one out closes the file.
func (s *Store) leave() {
	if s.backend != "bbolt" {
		return
	}
	ss := &s.sess
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.n--; ss.n > 0 {
		return
	}
	s.closeSession()
	close(ss.drained)
}

// openSession opens the file: for a writer under the turnstile, for a
// reader with a fresh Cayley store. Callers hold sess.mu.
func (s *Store) openSession(wait time.Duration) error {
	turnPath := filepath.Join(s.where, turnstileName)
	if s.fkv != nil {
		turn, ok, err := lockFile(turnPath, true, true, wait)
		if err != nil {
			return fmt.Errorf("store %s: %w", s.where, err)
		}
		if !ok {
			return fmt.Errorf("store %s is in use by another process", s.where)
		}
		db, err := s.openFile(false, wait)
		if err != nil {
			turn.Close()
			return err
		}
		s.fkv.set(db)
		s.bolt, s.sess.turn = db.DB(), turn
		return nil
	}
	start := time.Now()
	turn, ok, err := lockFile(turnPath, false, true, ReaderWait)
	if errors.Is(err, os.ErrPermission) || errors.Is(err, os.ErrNotExist) {
		// a store this user may read but not write (or one made before
		// the turnstile): read without it
		turn, ok, err = nil, true, nil
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", s.where, err)
	}
	if !ok {
		return fmt.Errorf("store %s is in use by another process", s.where)
	}
	db, err := s.openFile(true, max(ReaderWait-time.Since(start), 100*time.Millisecond))
	if turn != nil {
		turn.Close()
	}
	if err != nil {
		return err
	}
	var kv hkv.KV = db
	if wrapKV != nil {
		kv = wrapKV(kv)
	}
	var qs graph.QuadStore
	err = s.guard(func() error {
		var err error
		qs, err = ckv.New(kv, s.gopts)
		return err
	})
	if err != nil {
		if !errors.Is(err, ErrDamaged) {
			db.Close()
		}
		return fmt.Errorf("open store %s: %w", s.where, err)
	}
	s.qs, s.kv, s.bolt = qs, kv, db.DB()
	return nil
}

// closeSession closes the file. Callers hold sess.mu.
func (s *Store) closeSession() {
	if s.fkv != nil {
		turn := s.sess.turn
		s.sess.turn = nil
		db := s.fkv.detach()
		s.afterDamage(func() {
			if db != nil {
				db.Close()
			}
			if turn != nil {
				turn.Close()
			}
		})
	} else if s.qs != nil {
		qs := s.qs
		s.qs, s.kv = nil, nil
		s.afterDamage(func() { qs.Close() })
	}
	s.bolt = nil
}

// afterDamage runs a close now, or in the background once the file was
// found damaged: bbolt may still hold a lock a faulted transaction took
// (a rollback that panicked half way), and its Close would wait for ever.
// The file and its lock are then let go when the process exits.
func (s *Store) afterDamage(closeFn func()) {
	if s.damage() != nil {
		go closeFn()
		return
	}
	closeFn()
}

// openFile opens indexes.bolt after checking that the file can be mapped
// safely (checkBoltFile). Timeouts on the lock become "in use"; a file
// bbolt cannot make sense of is ErrDamaged.
func (s *Store) openFile(readOnly bool, wait time.Duration) (*hbolt.DB, error) {
	file := filepath.Join(s.where, boltFile)
	if err := checkBoltFile(file); err != nil {
		return nil, s.markDamaged(err)
	}
	var db *hbolt.DB
	err := s.guard(func() error {
		var err error
		db, err = hbolt.Open(file, &bolt.Options{Timeout: wait, ReadOnly: readOnly})
		return err
	})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("store %s is in use by another process", s.where)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch):
		return nil, s.markDamaged(err)
	case err != nil:
		return nil, fmt.Errorf("open store %s: %w", s.where, err)
	}
	return db, nil
}
