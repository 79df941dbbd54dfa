package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// ArticleData is one article with what extraction found in it, the unit
// PutArticles stores.
type ArticleData struct {
	Article  schema.Article
	Entities []schema.Entity
	Facts    []schema.Fact
}

// Outcome says what storing one article did.
type Outcome uint8

// Outcomes of PutBatch and PutQuads.
const (
	// Unchanged: stored already with the same content hash (or given
	// earlier in the batch with it); nothing written.
	Unchanged Outcome = iota
	// Added: not stored before.
	Added
	// Replaced: stored before (or earlier in the batch) with another hash.
	Replaced
)

// String names the outcome as kg ingest reports it.
func (o Outcome) String() string {
	switch o {
	case Added:
		return "stored"
	case Replaced:
		return "replaced"
	}
	return "unchanged"
}

// PutArticles is PutBatch reporting only whether each article changed.
func (s *Store) PutArticles(ctx context.Context, batch []ArticleData) (changed []bool, err error) {
	out, err := s.PutBatch(ctx, batch)
	if err != nil {
		return nil, err
	}
	changed = make([]bool, len(out))
	for i, o := range out {
		changed[i] = o != Unchanged
	}
	return changed, nil
}

// putItem is one article's quads ready to store.
type putItem struct {
	id, hash string
	quads    []quad.Quad
}

// PutBatch stores a batch of articles with a fixed number of backend
// transactions instead of one or two per article: PutArticle costs one
// synced bbolt commit per article (cayley.md: 2.9k quads/s), while batches
// of 10k quads reach ~20k quads/s.
//
// The result is as if the articles had been put one by one, in order:
// out[i] says whether article i was new, replaced what was stored (or an
// earlier entry of the batch with the same id), or was unchanged (same
// schema.Article.Hash); when an id appears several times the last entry
// wins. Unchanged articles are skipped.
//
// Every article is validated before anything is written, so a bad article
// rejects the whole batch and the store is untouched. The batch is then
// one atomic change (replace): for each changed article, the quads its
// label held are deleted and the new ones added, on every backend in one
// backend transaction (deletes and adds never in one ApplyDeltas on KV
// stores, Cayley bug #885), so a reader, or the store after a crash, sees
// each article as its old version or its new one, never missing. If the
// write fails the store is broken (ErrStoreBroken) and, after a reopen,
// untouched; putting the batch again completes it.
func (s *Store) PutBatch(ctx context.Context, batch []ArticleData) ([]Outcome, error) {
	// Build and validate outside the lock: it is pure CPU work, and a
	// concurrent reader need not wait for it.
	items := make([]putItem, len(batch))
	for i, d := range batch {
		q, err := articleQuads(d.Article, d.Entities, d.Facts)
		if err != nil {
			return nil, fmt.Errorf("batch entry %d: %w", i, err)
		}
		items[i] = putItem{id: d.Article.ID, hash: d.Article.Hash(), quads: q}
	}
	return s.putItems(ctx, items)
}

// putItems is PutBatch once each article's quads are built.
func (s *Store) putItems(ctx context.Context, items []putItem) ([]Outcome, error) {
	out := make([]Outcome, len(items))
	if len(items) == 0 {
		return out, nil
	}
	last := make(map[string]int, len(items)) // id → index of its last entry
	for i, it := range items {
		last[it.id] = i
	}

	err := s.write(func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Decide each entry against the state the entries before it leave:
		// the stored hash for the first occurrence of an id, the previous
		// entry's hash for the next ones.
		stored := make(map[string]string, len(last)) // id → hash it had before the batch ("" if absent)
		cur := make(map[string]string, len(last))    // id → hash after the entries seen so far
		for i, it := range items {
			h, seen := cur[it.id]
			if !seen {
				old, ok, err := s.articleHashCached(ctx, it.id)
				if err != nil {
					return fmt.Errorf("read hash of article %s: %w", it.id, err)
				}
				if !ok {
					old = ""
				}
				stored[it.id], h = old, old
			}
			switch {
			case h == it.hash:
				out[i] = Unchanged
			case h == "":
				out[i] = Added
			default:
				out[i] = Replaced
			}
			cur[it.id] = it.hash
		}

		synced, err := s.viewSynced()
		if err != nil {
			return err
		}
		vd := newViewDelta()
		var old, add []quad.Quad
		var replaced int
		for i, it := range items { // in batch order, so node ids are assigned deterministically
			if last[it.id] != i || stored[it.id] == it.hash {
				continue // a later entry replaces this one, or the batch ends where it started
			}
			// whatever the label holds goes, hash or not: an article that
			// lost its hash is replaced whole too
			gone, err := s.labelQuads(ctx, quad.IRI(schema.ArticleIRI(it.id)))
			if err != nil {
				return fmt.Errorf("read article %s for replacement: %w", it.id, err)
			}
			if len(gone) > 0 {
				replaced++
				vd.article(gone, -1)
			}
			vd.article(it.quads, 1)
			old, add = append(old, gone...), append(add, it.quads...)
		}
		if err := ctx.Err(); err != nil {
			return err // nothing written yet
		}
		if err := s.replace(ctx, fmt.Sprintf("store a batch of %d articles (%d replaced)", len(items), replaced), old, add, synced, vd); err != nil {
			return err
		}
		for id, i := range last {
			s.setHash(id, items[i].hash)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PeekArticleHash is ArticleHash that never waits for a writer: busy is
// true, and nothing else is set, while a write holds the store. Ingest
// workers use it to skip extracting articles that are stored unchanged;
// with ArticleHash they would all stall behind each batch commit, and
// extraction would stop overlapping with storing. A busy answer only
// costs an extraction PutArticles then finds unnecessary. A bbolt writer
// answers from the hashes it keeps (loadHashes), without the file.
func (s *Store) PeekArticleHash(ctx context.Context, id string) (hash string, ok, busy bool, err error) {
	if h, ok, cached := s.cachedHash(id); cached {
		return h, ok, false, nil
	}
	if !s.mu.TryRLock() {
		return "", false, true, nil
	}
	defer s.mu.RUnlock()
	if err := s.usable(); err != nil {
		return "", false, false, err
	}
	err = s.inSession(func() error {
		var err error
		hash, ok, err = s.articleHash(ctx, id)
		return err
	})
	return hash, ok, false, err
}

// loadHashes reads every article's hash into memory. A bbolt writer opens
// its file only to write, so ingest's per-article "is it stored
// unchanged?" must be answered without it; nothing else writes the store
// while the writer lock is held, so the copy stays exact. Callers own the
// store, inside a session.
func (s *Store) loadHashes(ctx context.Context) error {
	arts, err := s.in(ctx, []quad.IRI{rdfType}, classArticle)
	if err != nil {
		return err
	}
	m := make(map[string]string, len(arts))
	for _, a := range arts {
		id, ok := schema.ArticleIDFromIRI(str(a))
		if !ok {
			continue
		}
		if h, ok, err := s.articleHash(ctx, id); err != nil {
			return err
		} else if ok {
			m[id] = h
		}
	}
	s.hmu.Lock()
	s.hashes = m
	s.hmu.Unlock()
	return nil
}

// cachedHash answers from a bbolt writer's hashes; cached is false on
// other stores.
func (s *Store) cachedHash(id string) (hash string, ok, cached bool) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.hashes == nil {
		return "", false, false
	}
	hash, ok = s.hashes[id]
	return hash, ok, true
}

// setHash records a write in a bbolt writer's hashes ("" for deleted).
func (s *Store) setHash(id, hash string) {
	s.hmu.Lock()
	defer s.hmu.Unlock()
	if s.hashes == nil {
		return
	}
	if hash == "" {
		delete(s.hashes, id)
	} else {
		s.hashes[id] = hash
	}
}

// articleHashCached is articleHash through the writer's hashes when it
// keeps them. Callers hold mu.
func (s *Store) articleHashCached(ctx context.Context, id string) (string, bool, error) {
	if h, ok, cached := s.cachedHash(id); cached {
		return h, ok, nil
	}
	return s.articleHash(ctx, id)
}

// ArticleQuads is one article's quads as Dump reads them and PutQuads
// writes them: the store's own record of the article, every quad labelled
// with schema.ArticleIRI(ID).
type ArticleQuads struct {
	ID    string
	Quads []quad.Quad
}

// Dump calls fn with every stored article's quads, articles in id order
// and each article's quads in a fixed order (by their N-Quads text), so
// two dumps of equal stores are equal. It holds the read lock throughout:
// a dump is one state of the store. total is the number of quads passed;
// a store holds more only if some quad belongs to no article (kg check
// names such quads).
func (s *Store) Dump(ctx context.Context, fn func(ArticleQuads) error) (total int64, err error) {
	err = s.read(func() error {
		total, err = s.dump(ctx, fn)
		return err
	})
	return total, err
}

// dump is Dump inside Store.read.
func (s *Store) dump(ctx context.Context, fn func(ArticleQuads) error) (total int64, err error) {
	nodes, err := s.in(ctx, []quad.IRI{rdfType}, classArticle)
	if err != nil {
		return 0, err
	}
	type art struct {
		id    string
		label quad.Value
	}
	arts := make([]art, 0, len(nodes))
	for _, n := range nodes {
		if id, ok := schema.ArticleIDFromIRI(str(n)); ok {
			arts = append(arts, art{id, n})
		}
	}
	sort.Slice(arts, func(i, j int) bool { return arts[i].id < arts[j].id })
	for _, a := range arts {
		quads, err := s.labelQuads(ctx, a.label)
		if err != nil {
			return total, fmt.Errorf("read article %s: %w", a.id, err)
		}
		keys := make([]string, len(quads))
		for i, q := range quads {
			keys[i] = q.String()
		}
		sort.Sort(byKey{keys, quads})
		total += int64(len(quads))
		if err := fn(ArticleQuads{ID: a.id, Quads: quads}); err != nil {
			return total, err
		}
	}
	return total, ctx.Err()
}

// byKey sorts quads by their keys.
type byKey struct {
	keys  []string
	quads []quad.Quad
}

func (b byKey) Len() int           { return len(b.keys) }
func (b byKey) Less(i, j int) bool { return b.keys[i] < b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
	b.quads[i], b.quads[j] = b.quads[j], b.quads[i]
}

// CheckArticleQuads reports why a's quads cannot be stored as an
// article, or nil: every quad must be whole and labelled with the
// article's IRI, and the article node must have its type and one content
// hash, by which PutQuads (and a later ingest) tell it unchanged.
func CheckArticleQuads(a ArticleQuads) error {
	if strings.TrimSpace(a.ID) == "" {
		return errors.New("article has no id")
	}
	label := quad.IRI(schema.ArticleIRI(a.ID))
	typed, hashes := false, 0
	for _, q := range a.Quads {
		if q.Subject == nil || q.Predicate == nil || q.Object == nil || q.Label == nil {
			return fmt.Errorf("article %s: a quad with an empty field: %v", a.ID, q)
		}
		if q.Label != label {
			return fmt.Errorf("article %s: quad labelled %v, not %v", a.ID, q.Label, label)
		}
		if q.Subject == label {
			switch q.Predicate {
			case rdfType:
				typed = typed || q.Object == classArticle
			case pHash:
				hashes++
			}
		}
	}
	if !typed || hashes != 1 {
		return fmt.Errorf("article %s: its node needs rdf:type kg:Article and one kg:hash (%d found): not a whole article as kg export --format nquads writes it", a.ID, hashes)
	}
	return nil
}

// PutQuads stores articles given as quads (an N-Quads backup read back),
// as PutBatch stores extracted ones: an article whose stored hash equals
// the one in its quads is unchanged, another is replaced whole, and every
// article is checked (CheckArticleQuads) before anything is written.
func (s *Store) PutQuads(ctx context.Context, batch []ArticleQuads) ([]Outcome, error) {
	items := make([]putItem, len(batch))
	for i, a := range batch {
		if err := CheckArticleQuads(a); err != nil {
			return nil, fmt.Errorf("batch entry %d: %w", i, err)
		}
		label := quad.IRI(schema.ArticleIRI(a.ID))
		it := putItem{id: a.ID, quads: a.Quads}
		for _, q := range a.Quads {
			if q.Subject == label && q.Predicate == pHash {
				it.hash = str(q.Object)
			}
		}
		items[i] = it
	}
	return s.putItems(ctx, items)
}
