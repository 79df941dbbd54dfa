package graph

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	bolt "go.etcd.io/bbolt"

	"github.com/kg-news/kg/schema"
)

// The read view is a secondary index that bbolt stores keep beside
// Cayley's, in the same file, so that traversals cost what they return.
//
// Why: every article carries its own copy of each entity's attributes and
// its own direct edges (so that an article can be deleted by its label),
// so a hub like North Korea has tens of thousands of quads at 20,000
// articles, and reading a neighbourhood through Cayley's indexes walked
// them all (2.2 s for kg neighbors Q423 --depth 2). The view keeps, per
// entity, counts of the attribute values articles state (what "most
// articles say" needs, and what a delete must decrement), each fact as
// one record, and the facts keyed by subject then object and by object
// then subject, so adjacency is a prefix scan over keys.
//
// Consistency: the view is updated in its own bbolt transaction right
// after Cayley's, and records which Cayley state it reflects (the
// "horizon" and "size" counters Cayley's KV backend keeps in its meta
// bucket, which every non-empty write changes). A reader uses the view
// only when that mark matches the store; otherwise (a crash between the
// two commits, a repair by kg check, a store written by another tool) it
// reads quads as before, and the next writable open rebuilds the view.
// Memstore and PostgreSQL have no view and always read quads.

// viewVersion changes whenever the view's layout does; a view of another
// version is rebuilt.
const viewVersion = "kg-view-5"

var (
	viewRoot  = []byte("kg.view") // top-level bucket; Cayley's are meta, log, sp, ops, l, v…, n…
	viewState = []byte("state")   // "mark" → the Cayley state the view reflects
	viewEnts  = []byte("ent")     // entity id → entSum (JSON)
	viewFacts = []byte("fact")    // fact IRI → schema.Fact (encodeFact)
	viewOut   = []byte("so")      // subject \x00 object \x00 relation \x00 fact IRI → ""
	viewIn    = []byte("os")      // object \x00 subject \x00 relation \x00 fact IRI → ""
	viewKeys  = []byte("key")     // folded name \x00 entity id → ""
	markKey   = []byte("mark")
)

// entSum is what the articles of a store say about one entity: how many
// articles state it and, for each attribute, how many state each value.
// In a delta the counts are signed.
type entSum struct {
	Articles int            `json:"a"`
	Label    map[string]int `json:"l,omitempty"`
	Name     map[string]int `json:"n,omitempty"`
	Type     map[string]int `json:"t,omitempty"`
	Country  map[string]int `json:"c,omitempty"` // entity IRIs
	Role     map[string]int `json:"r,omitempty"`
	Key      map[string]int `json:"k,omitempty"` // schema.Fold of names, for FindEntities
}

// count adds n for each non-empty value of vs. Quads are unique per
// article (articleQuads drops repeats; the store keys them by label), so
// one article states a value once.
func count(m *map[string]int, vs []quad.Value, n int) {
	for _, v := range vs {
		s := str(v)
		if s == "" {
			continue
		}
		if *m == nil {
			*m = map[string]int{}
		}
		(*m)[s] += n
	}
}

// addProps counts one article's attribute quads of the entity, n = +1
// when the article is added and -1 when it is deleted. The quad read path
// counts a node's quads across all articles with it too.
func (e *entSum) addProps(m map[quad.IRI][]quad.Value, n int) {
	e.Articles += n
	count(&e.Label, m[pLabel], n)
	count(&e.Name, m[pName], n)
	count(&e.Type, m[pType], n)
	count(&e.Country, m[pCountry], n)
	count(&e.Role, m[pRole], n)
	count(&e.Key, m[pKey], n)
}

// merge adds a delta's counts, dropping values no article states any more.
func (e *entSum) merge(d *entSum) {
	e.Articles += d.Articles
	for _, p := range []struct{ dst, src *map[string]int }{
		{&e.Label, &d.Label}, {&e.Name, &d.Name}, {&e.Type, &d.Type}, {&e.Country, &d.Country}, {&e.Role, &d.Role},
		{&e.Key, &d.Key}} {
		for k, n := range *p.src {
			if *p.dst == nil {
				*p.dst = map[string]int{}
			}
			if (*p.dst)[k] += n; (*p.dst)[k] <= 0 {
				delete(*p.dst, k)
			}
		}
	}
}

// decodeSum reads a stored entity summary; nil (no entry) is an empty one.
func decodeSum(id string, v []byte) (entSum, error) {
	var e entSum
	if v == nil {
		return e, nil
	}
	if err := json.Unmarshal(v, &e); err != nil {
		return e, fmt.Errorf("read view: entity %s: %w", id, err)
	}
	return e, nil
}

// mostOf returns the value with the highest count, the smallest on ties
// (as most does over quads).
func mostOf(m map[string]int) string {
	best, bn := "", 0
	for s, c := range m {
		if c > bn || c == bn && s < best {
			best, bn = s, c
		}
	}
	return best
}

// entity resolves disagreements among articles: the value most articles
// state wins; every other name is an alias.
func (e *entSum) entity(id string) schema.Entity {
	var ent schema.Entity
	ent.ID = id
	ent.Name = mostOf(e.Label)
	ent.Type = mostOf(e.Type)
	ent.Country = entityID(quad.IRI(mostOf(e.Country)))
	ent.Role = mostOf(e.Role)
	names := make([]string, 0, len(e.Name))
	for n, c := range e.Name {
		if c > 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if n != ent.Name {
			ent.Aliases = append(ent.Aliases, n)
		}
	}
	if ent.Name == "" && len(ent.Aliases) > 0 {
		ent.Name, ent.Aliases = ent.Aliases[0], ent.Aliases[1:]
	}
	return ent
}

// viewDelta is the change a write makes to the view.
type viewDelta struct {
	ents map[string]*entSum
	add  map[string]schema.Fact // fact IRI → fact
	del  map[string]schema.Fact
}

func newViewDelta() *viewDelta {
	return &viewDelta{ents: map[string]*entSum{}, add: map[string]schema.Fact{}, del: map[string]schema.Fact{}}
}

// article records an article's quads as added (n = +1) or deleted (-1).
// It reads them as the quad read path does: entity nodes by their
// attribute quads, fact nodes through factFromProps.
func (d *viewDelta) article(quads []quad.Quad, n int) {
	props := map[quad.Value]map[quad.IRI][]quad.Value{}
	for _, q := range quads {
		p, ok := q.Predicate.(quad.IRI)
		if q.Subject == nil || q.Object == nil || !ok {
			continue
		}
		m := props[q.Subject]
		if m == nil {
			m = map[quad.IRI][]quad.Value{}
			props[q.Subject] = m
		}
		m[p] = append(m[p], q.Object)
	}
	for node, m := range props {
		for _, t := range m[rdfType] {
			switch t {
			case classEntity:
				if id := entityID(node); id != "" {
					e := d.ents[id]
					if e == nil {
						e = &entSum{}
						d.ents[id] = e
					}
					e.addProps(m, n)
				}
			case classFact:
				if f, ok := factFromProps(m); ok {
					if n > 0 {
						d.add[str(node)] = f
					} else {
						d.del[str(node)] = f
					}
				}
			}
		}
	}
}

// edgeKey is a so/os key: both ends, the relation and the fact.
func edgeKey(a, b, rel, iri string) []byte {
	return []byte(a + "\x00" + b + "\x00" + rel + "\x00" + iri)
}

// splitEdgeKey is edgeKey's inverse.
func splitEdgeKey(k []byte) (a, b, rel, iri string, ok bool) {
	parts := strings.SplitN(string(k), "\x00", 4)
	if len(parts) != 4 {
		return "", "", "", "", false
	}
	return parts[0], parts[1], parts[2], parts[3], true
}

// cayleyMark identifies the Cayley state in tx: the view's version and
// Cayley's horizon (ids handed out, grows with every add) and size (live
// quads, changes with every delete).
func cayleyMark(tx *bolt.Tx) []byte {
	var h, sz []byte
	if m := tx.Bucket([]byte("meta")); m != nil {
		h, sz = m.Get([]byte("horizon")), m.Get([]byte("size"))
	}
	return markOf(h, sz)
}

// markOf builds the mark from Cayley's horizon and size counters.
func markOf(h, sz []byte) []byte {
	var b bytes.Buffer
	b.WriteString(viewVersion)
	b.WriteByte(0)
	b.WriteByte(byte(len(h)))
	b.Write(h)
	b.Write(sz)
	return b.Bytes()
}

// viewCurrent reports whether tx holds a view of exactly the Cayley state
// in tx.
func viewCurrent(tx *bolt.Tx) bool {
	root := tx.Bucket(viewRoot)
	if root == nil {
		return false
	}
	st := root.Bucket(viewState)
	return st != nil && bytes.Equal(st.Get(markKey), cayleyMark(tx))
}

// viewSynced reports whether the view reflects the store now. Callers
// hold mu.
func (s *Store) viewSynced() (bool, error) {
	if s.bolt == nil || s.noView {
		return false, nil
	}
	ok := false
	err := s.bolt.View(func(tx *bolt.Tx) error {
		ok = viewCurrent(tx)
		return nil
	})
	return ok, err
}

// bucketRW is what writeDelta needs of a bucket: *bolt.Bucket, or
// kvBucket inside a Cayley write's transaction.
type bucketRW interface {
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
}

// viewBuckets are the view's buckets, for writeDelta.
type viewBuckets struct {
	ents, facts, out, in, keys bucketRW
}

// boltViewBuckets returns the view's buckets under root.
func boltViewBuckets(root *bolt.Bucket) (viewBuckets, error) {
	ents, facts, out, in, keys := root.Bucket(viewEnts), root.Bucket(viewFacts), root.Bucket(viewOut), root.Bucket(viewIn), root.Bucket(viewKeys)
	if ents == nil || facts == nil || out == nil || in == nil || keys == nil {
		return viewBuckets{}, errors.New("read view incomplete")
	}
	return viewBuckets{ents, facts, out, in, keys}, nil
}

// kvBucket is one of the view's buckets reached through a hidalgo
// transaction: the one a Cayley write runs in (fileKV.group), whose bbolt
// transaction hidalgo does not expose. hidalgo maps a key's parts to
// nested buckets, so the layout is the same as through bbolt.
type kvBucket struct {
	ctx  context.Context
	tx   hkv.Tx
	name []byte
}

func (b kvBucket) key(k []byte) hkv.Key { return hkv.Key{viewRoot, b.name, k} }

func (b kvBucket) Get(k []byte) []byte {
	v, err := b.tx.Get(b.ctx, b.key(k))
	if err != nil {
		return nil
	}
	return v
}

func (b kvBucket) Put(k, v []byte) error { return b.tx.Put(b.ctx, b.key(k), v) }

func (b kvBucket) Delete(k []byte) error { return b.tx.Del(b.ctx, b.key(k)) }

// applyViewKV writes a delta into the view inside tx, the transaction of
// the Cayley write it describes, and marks the view as reflecting the
// state tx leaves. Callers have checked the view was current before.
func applyViewKV(ctx context.Context, tx hkv.Tx, d *viewDelta) error {
	b := func(name []byte) kvBucket { return kvBucket{ctx: ctx, tx: tx, name: name} }
	if err := writeDelta(viewBuckets{b(viewEnts), b(viewFacts), b(viewOut), b(viewIn), b(viewKeys)}, d); err != nil {
		return err
	}
	get := func(k string) []byte {
		v, _ := tx.Get(ctx, hkv.Key{[]byte("meta"), []byte(k)})
		return v
	}
	return tx.Put(ctx, hkv.Key{viewRoot, viewState, markKey}, markOf(get("horizon"), get("size")))
}

// writeDelta applies a delta to the view's buckets: deleted facts first,
// since a replaced article can state the same fact again.
func writeDelta(vb viewBuckets, d *viewDelta) error {
	ents, facts, out, in, keys := vb.ents, vb.facts, vb.out, vb.in, vb.keys
	ids := make([]string, 0, len(d.ents))
	for id := range d.ents {
		ids = append(ids, id)
	}
	sort.Strings(ids) // bbolt writes sorted keys fastest
	for _, id := range ids {
		cur, err := decodeSum(id, ents.Get([]byte(id)))
		if err != nil {
			return err
		}
		cur.merge(d.ents[id])
		for k := range d.ents[id].Key {
			kk := []byte(k + "\x00" + id)
			var err error
			if cur.Articles > 0 && cur.Key[k] > 0 {
				err = keys.Put(kk, nil)
			} else {
				err = keys.Delete(kk)
			}
			if err != nil {
				return err
			}
		}
		if cur.Articles <= 0 {
			if err := ents.Delete([]byte(id)); err != nil {
				return err
			}
			continue
		}
		v, err := json.Marshal(&cur)
		if err != nil {
			return err
		}
		if err := ents.Put([]byte(id), v); err != nil {
			return err
		}
	}
	for iri, f := range d.del {
		if _, again := d.add[iri]; !again {
			if err := facts.Delete([]byte(iri)); err != nil {
				return err
			}
		}
		if err := out.Delete(edgeKey(f.Subject.ID, f.Object.ID, f.Relation, iri)); err != nil {
			return err
		}
		if err := in.Delete(edgeKey(f.Object.ID, f.Subject.ID, f.Relation, iri)); err != nil {
			return err
		}
	}
	for iri, f := range d.add {
		if err := facts.Put([]byte(iri), encodeFact(f)); err != nil {
			return err
		}
		if err := out.Put(edgeKey(f.Subject.ID, f.Object.ID, f.Relation, iri), nil); err != nil {
			return err
		}
		if err := in.Put(edgeKey(f.Object.ID, f.Subject.ID, f.Relation, iri), nil); err != nil {
			return err
		}
	}
	return nil
}

// viewRebuildChunk is how many articles a rebuild reads per bbolt
// transaction, so memory stays bounded on any store.
const viewRebuildChunk = 2000

// rebuildView drops the view and builds it again from the quads, article
// by article through the label index. It runs when a writable store opens
// with a view missing, of another version, or not matching Cayley's state.
// Callers hold mu for writing (or own the store, at open).
func (s *Store) rebuildView(ctx context.Context) error {
	// Without the label index (a store made by another tool) reading an
	// article scans every quad: no view, reads stay on the quads.
	inds, err := s.kvIndexes(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(inds, func(i ckv.QuadIndex) bool { return slices.Equal(i.Dirs, labelIndex.Dirs) }) {
		return nil
	}
	err = s.bolt.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(viewRoot) != nil {
			if err := tx.DeleteBucket(viewRoot); err != nil {
				return err
			}
		}
		root, err := tx.CreateBucket(viewRoot)
		if err != nil {
			return err
		}
		for _, b := range [][]byte{viewState, viewEnts, viewFacts, viewOut, viewIn, viewKeys} {
			if _, err := root.CreateBucket(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	write := func(d *viewDelta, final bool) error {
		return s.bolt.Update(func(tx *bolt.Tx) error {
			root := tx.Bucket(viewRoot)
			vb, err := boltViewBuckets(root)
			if err != nil {
				return err
			}
			if err := writeDelta(vb, d); err != nil {
				return err
			}
			if final {
				return root.Bucket(viewState).Put(markKey, cayleyMark(tx))
			}
			return nil
		})
	}
	d := newViewDelta()
	n := 0
	err = s.eachArticle(ctx, func(quads []quad.Quad) error {
		d.article(quads, 1)
		if n++; n%viewRebuildChunk != 0 {
			return nil
		}
		err := write(d, false)
		d = newViewDelta()
		return err
	})
	if err != nil {
		return err
	}
	return write(d, true)
}

// eachArticle calls fn with the quads of every stored article in turn.
func (s *Store) eachArticle(ctx context.Context, fn func([]quad.Quad) error) error {
	arts, err := s.in(ctx, []quad.IRI{rdfType}, classArticle)
	if err != nil {
		return err
	}
	for _, a := range arts {
		quads, err := s.labelQuads(ctx, a)
		if err != nil {
			return err
		}
		if err := fn(quads); err != nil {
			return err
		}
	}
	return nil
}

// ensureView rebuilds the read view of a bbolt store when it is missing
// or behind Cayley, or always with force; status, if set, is told first.
// Callers hold mu for writing (or own the store, at open).
func (s *Store) ensureView(ctx context.Context, force bool, status func(string)) error {
	if s.bolt == nil || s.noView {
		return nil
	}
	ok, err := s.viewSynced()
	if err != nil || ok && !force {
		return err
	}
	if status != nil {
		status("building the store's read view (once)")
	}
	return s.rebuildView(ctx)
}

// viewReader answers traversals from the view, inside one bbolt read
// transaction.
type viewReader struct {
	ents, facts, out, in, keys *bolt.Bucket
}

// viewTx opens a read transaction on the view when it is current; ok is
// false (and tx nil) otherwise. Callers hold mu and roll tx back.
func (s *Store) viewTx() (tx *bolt.Tx, r *viewReader, ok bool, err error) {
	if s.bolt == nil || s.noView {
		return nil, nil, false, nil
	}
	tx, err = s.bolt.Begin(false)
	if err != nil {
		return nil, nil, false, err
	}
	if !viewCurrent(tx) {
		tx.Rollback()
		return nil, nil, false, nil
	}
	root := tx.Bucket(viewRoot)
	r = &viewReader{ents: root.Bucket(viewEnts), facts: root.Bucket(viewFacts), out: root.Bucket(viewOut), in: root.Bucket(viewIn),
		keys: root.Bucket(viewKeys)}
	if r.ents == nil || r.facts == nil || r.out == nil || r.in == nil || r.keys == nil {
		tx.Rollback()
		return nil, nil, false, nil
	}
	return tx, r, true, nil
}

func (r *viewReader) exists(_ context.Context, id string) (bool, error) {
	return r.ents.Get([]byte(id)) != nil, nil
}

func (r *viewReader) adjacent(ctx context.Context, id string) ([]hop, error) {
	seen := map[hop]bool{}
	var hops []hop
	for _, dir := range []struct {
		b   *bolt.Bucket
		out bool
	}{{r.out, true}, {r.in, false}} {
		err := eachEdge(dir.b, id+"\x00", func(_, other, rel, _ string) error {
			if h := (hop{to: other, rel: rel, out: dir.out}); !seen[h] {
				seen[h] = true
				hops = append(hops, h)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sortHops(hops)
	return hops, ctx.Err()
}

func (r *viewReader) fact(iri string) (schema.Fact, error) {
	v := r.facts.Get([]byte(iri))
	if v == nil {
		return schema.Fact{}, fmt.Errorf("read view: fact %s indexed but missing", iri)
	}
	f, err := decodeFact(v)
	if err != nil {
		return f, fmt.Errorf("read view: fact %s: %w", iri, err)
	}
	return f, nil
}

// factFields lists a fact's string fields in record order.
func factFields(f *schema.Fact) []*string {
	return []*string{&f.Doc, &f.Subject.ID, &f.Subject.Name, &f.Subject.Type, &f.Relation, &f.Event, &f.Mode,
		&f.Object.ID, &f.Object.Name, &f.Object.Type, &f.Date, (*string)(&f.Modality), &f.Evidence.Sentence,
		&f.Instrument, &f.Speaker, &f.Rule, &f.Path,
		&f.Subject.Country, &f.Subject.Sector, &f.Object.Country, &f.Object.Sector, &f.Published}
}

// encodeFact writes a fact record: a version byte, the string fields as
// length-prefixed bytes, then confidence (float bits) and the span as
// varints. A neighbourhood reads thousands of facts, and JSON decoding
// was three quarters of its time.
func encodeFact(f schema.Fact) []byte {
	b := []byte{factRecord}
	for _, p := range factFields(&f) {
		b = binary.AppendUvarint(b, uint64(len(*p)))
		b = append(b, *p...)
	}
	b = binary.AppendUvarint(b, math.Float64bits(f.Confidence))
	b = binary.AppendVarint(b, int64(f.Evidence.Start))
	b = binary.AppendVarint(b, int64(f.Evidence.End))
	return b
}

// factRecord is the record layout's version: 2 added Published.
const factRecord = 2

var errFactRecord = errors.New("bad fact record")

// decodeFact reads what encodeFact wrote.
func decodeFact(b []byte) (schema.Fact, error) {
	var f schema.Fact
	if len(b) == 0 || b[0] != factRecord {
		return f, errFactRecord
	}
	b = b[1:]
	for _, p := range factFields(&f) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return schema.Fact{}, errFactRecord
		}
		*p = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	c, k := binary.Uvarint(b)
	if k <= 0 {
		return schema.Fact{}, errFactRecord
	}
	b = b[k:]
	f.Confidence = math.Float64frombits(c)
	for _, p := range []*int{&f.Evidence.Start, &f.Evidence.End} {
		v, k := binary.Varint(b)
		if k <= 0 {
			return schema.Fact{}, errFactRecord
		}
		*p, b = int(v), b[k:]
	}
	if len(b) != 0 {
		return schema.Fact{}, errFactRecord
	}
	return f, nil
}

// scanFacts reads the facts whose out key starts with prefix and whose
// object passes keep (nil: all).
func (r *viewReader) scanFacts(prefix string, keep func(obj string) bool, out []schema.Fact) ([]schema.Fact, error) {
	err := eachEdge(r.out, prefix, func(_, obj, _, iri string) error {
		if keep != nil && !keep(obj) {
			return nil
		}
		f, err := r.fact(iri)
		out = append(out, f)
		return err
	})
	return out, err
}

func (r *viewReader) between(ctx context.Context, ids []string, in map[string]bool) ([]schema.Fact, error) {
	var out []schema.Fact
	for _, id := range ids {
		var err error
		if out, err = r.scanFacts(id+"\x00", func(o string) bool { return in[o] }, out); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	sortFacts(out)
	return out, nil
}

func (r *viewReader) edgeFact(_ context.Context, subj, rel, obj string) (schema.Fact, bool, error) {
	fs, err := r.scanFacts(subj+"\x00"+obj+"\x00"+rel+"\x00", nil, nil)
	if err != nil || len(fs) == 0 {
		return schema.Fact{}, false, err
	}
	sortFacts(fs)
	return fs[0], true, nil
}

func (r *viewReader) node(_ context.Context, id string) (schema.Entity, error) {
	e, err := decodeSum(id, r.ents.Get([]byte(id)))
	return e.entity(id), err
}

// prefixKeys calls fn with each key of b that starts with prefix.
func prefixKeys(b *bolt.Bucket, prefix string, fn func(k []byte) error) error {
	p := []byte(prefix)
	c := b.Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if err := fn(k); err != nil {
			return err
		}
	}
	return nil
}

// eachEdge calls fn with the parts of each so/os key starting with prefix.
func eachEdge(b *bolt.Bucket, prefix string, fn func(a, b, rel, iri string) error) error {
	return prefixKeys(b, prefix, func(k []byte) error {
		x, y, rel, iri, ok := splitEdgeKey(k)
		if !ok {
			return fmt.Errorf("read view: bad edge key %q", k)
		}
		return fn(x, y, rel, iri)
	})
}

// named returns the ids of the entities with a name whose schema.Fold is
// key, sorted.
func (r *viewReader) named(key string) ([]string, error) {
	var ids []string
	err := prefixKeys(r.keys, key+"\x00", func(k []byte) error {
		ids = append(ids, string(k[len(key)+1:]))
		return nil
	})
	return ids, err
}

// factCount counts the facts an entity is the subject or object of (a
// fact about itself once), as Entities and FindEntities rank by.
func (r *viewReader) factCount(id string) (int, error) {
	n := 0
	err := eachEdge(r.out, id+"\x00", func(string, string, string, string) error {
		n++
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = eachEdge(r.in, id+"\x00", func(_, other, _, _ string) error {
		if other != id {
			n++
		}
		return nil
	})
	return n, err
}

// find is FindEntities on the view: the entity with that id, then those
// with that folded name, most facts first, then by id.
func (r *viewReader) find(ctx context.Context, id, key string) ([]schema.EntityRef, error) {
	var out []schema.EntityRef
	if ok, _ := r.exists(ctx, id); ok {
		e, err := r.node(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, e.EntityRef)
	}
	ids, err := r.named(key)
	if err != nil {
		return nil, err
	}
	type ranked struct {
		ref   schema.EntityRef
		facts int
	}
	var more []ranked
	for _, n := range ids {
		if len(out) > 0 && n == out[0].ID {
			continue
		}
		e, err := r.node(ctx, n)
		if err != nil {
			return nil, err
		}
		c, err := r.factCount(n)
		if err != nil {
			return nil, err
		}
		more = append(more, ranked{e.EntityRef, c})
	}
	sort.Slice(more, func(i, j int) bool {
		if more[i].facts != more[j].facts {
			return more[i].facts > more[j].facts
		}
		return more[i].ref.ID < more[j].ref.ID
	})
	for _, m := range more {
		out = append(out, m.ref)
	}
	return out, nil
}

// stats fills Stats' entity and fact figures from the view: entities
// and their types from the summaries, facts by relation and event from the
// fact records.
func (r *viewReader) stats(ctx context.Context, st *Stats) error {
	err := r.ents.ForEach(func(k, v []byte) error {
		e, err := decodeSum(string(k), v)
		if err != nil {
			return err
		}
		st.Entities++
		if t := mostOf(e.Type); t != "" {
			st.ByType[t]++
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.facts.ForEach(func(k, v []byte) error {
		f, err := decodeFact(v)
		if err != nil {
			return fmt.Errorf("read view: fact %s: %w", k, err)
		}
		st.Facts++
		if f.Relation != "" {
			st.ByRelation[f.Relation]++
		}
		if f.Event != "" {
			st.ByEvent[f.Event]++
		}
		return ctx.Err()
	})
}

// entities lists every entity of the view with its fact and article
// counts, unsorted.
func (r *viewReader) entities(ctx context.Context) ([]EntityInfo, error) {
	out := []EntityInfo{} // as the quad path: empty, not nil
	err := r.ents.ForEach(func(k, v []byte) error {
		e, err := decodeSum(string(k), v)
		if err != nil {
			return err
		}
		n, err := r.factCount(string(k))
		if err != nil {
			return err
		}
		out = append(out, EntityInfo{Entity: e.entity(string(k)), Facts: n, Articles: e.Articles})
		return ctx.Err()
	})
	return out, err
}

// normalised drops empty count maps, which JSON leaves out anyway.
func (e entSum) normalised() entSum {
	for _, m := range []*map[string]int{&e.Label, &e.Name, &e.Type, &e.Country, &e.Role, &e.Key} {
		if len(*m) == 0 {
			*m = nil
		}
	}
	return e
}

// checkView compares the read view with one built afresh from the quads
// and describes each kind of difference as a ViewMismatch problem, or
// reports ViewBehind when its mark shows it missed a write. A store
// without a view (not bbolt, or made by another tool) has none to check.
// Callers hold mu.
func (s *Store) checkView(ctx context.Context) ([]Problem, error) {
	if s.bolt == nil || s.noView {
		return nil, nil
	}
	tx, vr, ok, err := s.viewTx()
	if err != nil {
		return nil, err
	}
	if !ok {
		exists := false
		_ = s.bolt.View(func(tx *bolt.Tx) error { exists = tx.Bucket(viewRoot) != nil; return nil })
		if !exists {
			return nil, nil
		}
		return []Problem{{Kind: ViewBehind, Detail: "the read view misses the last write to the store; reads use the quads (slower) until the next writable open rebuilds it"}}, nil
	}
	defer tx.Rollback()
	want := newViewDelta()
	if err := s.eachArticle(ctx, func(quads []quad.Quad) error {
		want.article(quads, 1)
		return nil
	}); err != nil {
		return nil, err
	}
	var problems []Problem
	report := func(what string, n int, example string) {
		if n > 0 {
			problems = append(problems, Problem{Kind: ViewMismatch,
				Detail: fmt.Sprintf("the read view differs from the quads: %d %s (e.g. %s)", n, what, example)})
		}
	}

	// entities and their name keys
	bad, example := 0, ""
	wantKeys, gotKeys := map[string]bool{}, map[string]bool{}
	for id, e := range want.ents {
		for k := range e.Key {
			wantKeys[k+"\x00"+id] = true
		}
		v := vr.ents.Get([]byte(id))
		got, err := decodeSum(id, v)
		if v == nil || err != nil || !reflect.DeepEqual(got.normalised(), e.normalised()) {
			bad, example = bad+1, id
		}
	}
	if err := vr.ents.ForEach(func(k, _ []byte) error {
		if want.ents[string(k)] == nil {
			bad, example = bad+1, string(k)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	report("entity summaries", bad, example)
	if err := keySet(vr.keys, "", gotKeys); err != nil {
		return nil, err
	}
	bad, example = compareSets(wantKeys, gotKeys)
	report("name keys", bad, example)

	// facts and the edges by subject and by object
	bad, example = 0, ""
	wantEdges, gotEdges := map[string]bool{}, map[string]bool{}
	for iri, f := range want.add {
		wantEdges["so\x00"+string(edgeKey(f.Subject.ID, f.Object.ID, f.Relation, iri))] = true
		wantEdges["os\x00"+string(edgeKey(f.Object.ID, f.Subject.ID, f.Relation, iri))] = true
		got, err := vr.fact(iri)
		if err != nil || !reflect.DeepEqual(got, f) {
			bad, example = bad+1, iri
		}
	}
	if err := vr.facts.ForEach(func(k, _ []byte) error {
		if _, ok := want.add[string(k)]; !ok {
			bad, example = bad+1, string(k)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	report("fact records", bad, example)
	if err := keySet(vr.out, "so\x00", gotEdges); err != nil {
		return nil, err
	}
	if err := keySet(vr.in, "os\x00", gotEdges); err != nil {
		return nil, err
	}
	bad, example = compareSets(wantEdges, gotEdges)
	report("edge keys", bad, example)
	return problems, nil
}

// keySet adds every key of b, after prefix, to set.
func keySet(b *bolt.Bucket, prefix string, set map[string]bool) error {
	return b.ForEach(func(k, _ []byte) error {
		set[prefix+string(k)] = true
		return nil
	})
}

// compareSets counts the keys in only one of want and got, and names one
// of them (its NULs shown as spaces).
func compareSets(want, got map[string]bool) (bad int, example string) {
	for _, p := range [][2]map[string]bool{{got, want}, {want, got}} {
		for k := range p[0] {
			if !p[1][k] {
				bad, example = bad+1, strings.ReplaceAll(k, "\x00", " ")
			}
		}
	}
	return bad, example
}
