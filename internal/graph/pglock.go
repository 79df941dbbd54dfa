package graph

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cayleygraph/cayley/graph"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
)

// pgLockClass is the first key of kg's advisory lock; the second is the
// schema the store lives in (hashtext(current_schema())), so two stores in
// one database, in two schemas, do not exclude each other. Advisory locks
// are per database already.
const pgLockClass = 0x6b67 // "kg"

// lockPostgres takes the writer's advisory lock on its own connection,
// held until Close (or until the process dies: PostgreSQL releases a
// session's locks when its connection drops). Two concurrent kg ingest
// into one database used to both succeed and leave every article with two
// titles, two hashes and two sources; now the second is refused, as on
// bbolt, within about a second.
func (s *Store) lockPostgres(ctx context.Context, uri string) error {
	db, err := sql.Open("postgres", uri)
	if err != nil {
		return fmt.Errorf("open postgres store %s: %w", s.where, err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return fmt.Errorf("open postgres store %s: %w", s.where, err)
	}
	deadline := time.Now().Add(boltLockTimeout)
	for {
		var ok bool
		err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))", pgLockClass).Scan(&ok)
		if err != nil {
			conn.Close()
			db.Close()
			return fmt.Errorf("open postgres store %s: take the writer lock: %w", s.where, err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			conn.Close()
			db.Close()
			return fmt.Errorf("store %s is in use by another process", s.where)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.pg, s.pgLock = db, conn
	return nil
}

// unlockPostgres releases the writer's lock by closing its connection.
func (s *Store) unlockPostgres() {
	if s.pg == nil {
		return
	}
	s.pgLock.Close() // back to the pool...
	s.pg.Close()     // ...which closes it, and with it the lock
	s.pg, s.pgLock = nil, nil
}

// writeOrder returns a number that grows with the time a quad was
// written, so repair can tell the newest of several versions: the quad's
// id on KV stores and memstore, its horizon (a serial column) on
// PostgreSQL. ok is false when the backend gives no order.
func (s *Store) writeOrder(ctx context.Context, ref graph.Ref, q quad.Quad) (int64, bool, error) {
	if p, ok := ref.(*cproto.Primitive); ok {
		return int64(p.ID), true, nil
	}
	if _, ok := ref.(csql.QuadHashes); ok && s.pg != nil {
		args := make([]any, 0, 4)
		for _, d := range quad.Directions {
			args = append(args, csql.NodeHash{ValueHash: refs.HashOf(q.Get(d))}.SQLValue())
		}
		var h int64
		err := s.pg.QueryRowContext(ctx, `SELECT horizon FROM quads WHERE subject_hash=$1 AND predicate_hash=$2 AND object_hash=$3 AND label_hash=$4`, args...).Scan(&h)
		if err != nil {
			return 0, false, err
		}
		return h, true, nil
	}
	if k, ok := ref.Key().(int64); ok { // memstore's quad ids
		return k, true, nil
	}
	return 0, false, nil
}
