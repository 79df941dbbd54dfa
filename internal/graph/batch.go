package graph

import (
	"context"
	"fmt"

	"github.com/cayleygraph/cayley/graph"
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
// rejects the whole batch and the store is untouched. The old quads of all
// replaced articles are then deleted in ONE transaction and the new quads
// of all changed articles added in ONE more: never both in one, because of
// Cayley KV bug #885. Between the two a reader may see the replaced
// articles missing. If either write fails the store is broken
// (ErrStoreBroken), as with PutArticle; since each transaction is atomic,
// after a reopen every article of the batch is either as before or
// (replaced articles only, when the add failed) absent, and putting the
// batch again completes it.
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
	total := 0
	last := make(map[string]int, len(items)) // id → index of its last entry
	for i, it := range items {
		total += len(it.quads)
		last[it.id] = i
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Decide each entry against the state the entries before it leave:
	// the stored hash for the first occurrence of an id, the previous
	// entry's hash for the next ones.
	stored := make(map[string]string, len(last)) // id → hash it had before the batch ("" if absent)
	cur := make(map[string]string, len(last))    // id → hash after the entries seen so far
	for i, it := range items {
		h, seen := cur[it.id]
		if !seen {
			old, ok, err := s.articleHash(ctx, it.id)
			if err != nil {
				return nil, fmt.Errorf("read hash of article %s: %w", it.id, err)
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
		return nil, err
	}
	vd := newViewDelta()

	// One delete transaction for every stored article whose final entry
	// differs from it; one add transaction for those final entries.
	del := graph.NewTransaction()
	add := graph.NewTransactionN(total)
	var replaced int
	for i, it := range items { // in batch order, so node ids are assigned deterministically
		if last[it.id] != i {
			continue // a later entry replaces this one
		}
		old := stored[it.id]
		if old == it.hash {
			continue // the batch ends where it started for this id
		}
		if old != "" {
			replaced++
			gone, err := s.labelQuads(ctx, quad.IRI(schema.ArticleIRI(it.id)))
			if err != nil {
				return nil, fmt.Errorf("read article %s for replacement: %w", it.id, err)
			}
			removeQuads(del, gone)
			vd.article(gone, -1)
		}
		for _, q := range it.quads {
			add.AddQuad(q)
		}
		vd.article(it.quads, 1)
	}
	if err := ctx.Err(); err != nil {
		return nil, err // nothing written yet
	}
	if err := s.apply(fmt.Sprintf("delete %d replaced articles", replaced), del); err != nil {
		return nil, err
	}
	if err := s.apply(fmt.Sprintf("add a batch of %d articles", len(items)), add); err != nil {
		return nil, err
	}
	return out, s.updateView(synced, vd)
}

// PeekArticleHash is ArticleHash that never waits for a writer: busy is
// true, and nothing else is set, while a write holds the store. Ingest
// workers use it to skip extracting articles that are stored unchanged;
// with ArticleHash they would all stall behind each batch commit, and
// extraction would stop overlapping with storing. A busy answer only
// costs an extraction PutArticles then finds unnecessary.
func (s *Store) PeekArticleHash(ctx context.Context, id string) (hash string, ok, busy bool, err error) {
	if !s.mu.TryRLock() {
		return "", false, true, nil
	}
	defer s.mu.RUnlock()
	if err := s.usable(); err != nil {
		return "", false, false, err
	}
	hash, ok, err = s.articleHash(ctx, id)
	return hash, ok, false, err
}
