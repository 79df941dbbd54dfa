package graph

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/kg-news/kg/schema"
)

// ProblemKind names a broken store invariant.
type ProblemKind string

// The invariants Check verifies. Every quad kg writes carries its
// article's IRI as label and no empty field (package comment), and an
// article's quads go in as one transaction, so each kind below means a
// write went wrong: Cayley bug #885 or cache poisoning (cayley.md), a
// crash on a backend without atomic transactions, or a hand edit.
const (
	// EmptyField: a quad with a nil or empty subject, predicate, object
	// or label. Readers skip such quads, but they count in Stats and
	// break exports.
	EmptyField ProblemKind = "empty-field"
	// BadLabel: a quad whose label is not an article IRI, so deleting or
	// replacing its article would never remove it.
	BadLabel ProblemKind = "bad-label"
	// IncompleteFact: a fact node lacking its type, subject, object,
	// relation, article, sentence or offsets, or with offsets that do not
	// make a span; Facts would return it with holes.
	IncompleteFact ProblemKind = "incomplete-fact"
	// FactArticle: a fact whose kg:article is not the article its quads
	// are labelled with.
	FactArticle ProblemKind = "fact-article"
	// OrphanEdge: a direct edge (entity -relation-> entity) with no fact
	// of the same article, subject, relation and object behind it;
	// traversals (Neighbors, Path) would follow an edge with no evidence.
	OrphanEdge ProblemKind = "orphan-edge"
	// ArticleNoHash: an article without its type or content hash. Ingest
	// treats an article without a hash as new and adds its quads over the
	// old ones, so the stale ones would never go: repair deletes the
	// article so the next ingest stores it whole.
	ArticleNoHash ProblemKind = "article-without-hash"
	// ViewBehind: the read view of a bbolt store (view.go) misses a write
	// (a process stopped between Cayley's commit and the view's), so
	// reads use the quads, correctly but slowly. The next writable open
	// rebuilds it, as repair does.
	ViewBehind ProblemKind = "view-behind"
	// ViewMismatch: the read view claims to be current but differs from
	// one built from the quads, so reads on the view would be wrong.
	// Repair rebuilds it.
	ViewMismatch ProblemKind = "view-mismatch"
	// ArticleVersions: an article with more than one title, hash, date,
	// language, source or URL: two versions stored over each other, as two
	// concurrent writers on PostgreSQL did before the writer lock. Repair
	// keeps the newest value of each (the last written) and deletes the
	// others; the facts of both versions cannot be told apart (Cayley keeps
	// a quad both state once) and stay.
	ArticleVersions ProblemKind = "article-versions"
	// Damaged: a bbolt file kg cannot read through (ErrDamaged): a page
	// that does not parse, a truncated file. Repair salvages every article
	// that reads back into a fresh store (Salvage).
	Damaged ProblemKind = "store-damaged"
)

// articleAttrs are an article node's single-valued attributes.
var articleAttrs = []quad.IRI{pTitle, pHash, pDate, pLang, pSource, pURL}

// Problem is one broken invariant found by Check.
type Problem struct {
	Kind    ProblemKind `json:"kind"`
	Article string      `json:"article,omitempty"` // article id, when known
	Node    string      `json:"node,omitempty"`    // fact or article IRI the problem is about
	Quad    string      `json:"quad,omitempty"`    // the offending quad, for quad-level problems
	Detail  string      `json:"detail"`
}

// String renders a problem on one line, "kind [article id]: detail: quad
// or node", for kg check's report.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(string(p.Kind))
	if p.Article != "" {
		fmt.Fprintf(&b, " [article %s]", p.Article)
	}
	b.WriteString(": " + p.Detail)
	if p.Quad != "" {
		b.WriteString(": " + p.Quad)
	} else if p.Node != "" {
		b.WriteString(": <" + p.Node + ">")
	}
	return b.String()
}

// Report is what Check found and, with repair, what it did.
type Report struct {
	Quads    int       `json:"quads"`    // live quads read
	Articles int       `json:"articles"` // distinct article labels seen
	Facts    int       `json:"facts"`    // fact nodes seen
	Problems []Problem `json:"problems"` // found by the first pass, in a stable order
	Repaired bool      `json:"repaired"` // repair ran
	Deleted  int       `json:"deleted"`  // quads deleted by repair
	// Reingest are the ids of the articles repair deleted whole; ingesting
	// them again restores them.
	Reingest []string `json:"reingest,omitempty"`
	// Merged are the articles found in several versions, of which repair
	// kept the newest title, hash and other attributes (ArticleVersions).
	Merged []string `json:"merged,omitempty"`
	// Salvaged and Lost are what repairing a damaged store (Salvage) could
	// copy into a fresh store and what it could not read or had to drop;
	// Moved is where the damaged store was kept.
	Salvaged int      `json:"salvaged,omitempty"`
	Lost     []string `json:"lost,omitempty"`
	Moved    string   `json:"moved,omitempty"`
	// Unread counts the quads Cayley's counter says the damaged store
	// holds but Salvage could not read: articles they belong to may be
	// missing from Lost.
	Unread int64 `json:"unread,omitempty"`
	// Remaining are the problems a second pass still finds after repair:
	// quads whose node values are gone cannot be matched for deletion
	// through Cayley, and need an export and a fresh store.
	Remaining []Problem `json:"remaining"`
}

// OK reports whether the store is sound after Check: no problem found, or
// all of them repaired.
func (r Report) OK() bool {
	if r.Repaired {
		return len(r.Remaining) == 0
	}
	return len(r.Problems) == 0
}

// fmtQuad prints a quad as N-Quads would, with <nil> for a missing
// direction, so a problem names the exact quad.
func fmtQuad(q quad.Quad) string {
	var parts []string
	for _, d := range quad.Directions {
		v := q.Get(d)
		if v == nil {
			parts = append(parts, "<nil>")
		} else {
			parts = append(parts, v.String())
		}
	}
	return strings.Join(parts, " ") + " ."
}

// emptyValue reports whether a value is missing or an empty IRI/string;
// articleQuads never writes one.
func emptyValue(v quad.Value) bool {
	switch v := v.(type) {
	case nil:
		return true
	case quad.IRI:
		return v == ""
	case quad.String:
		return v == ""
	case quad.BNode:
		return v == ""
	case quad.LangString:
		return v.Value == ""
	case quad.TypedString:
		return v.Value == ""
	}
	return false
}

// factInfo gathers one fact node's quads within one article label.
type factInfo struct {
	quads []quad.Quad
	props map[quad.IRI][]quad.Value
}

// labelInfo gathers one article label's quads.
type labelInfo struct {
	quads []quad.Quad
	facts map[quad.Value]*factInfo
	edges []quad.Quad
	typed bool                   // <article> rdf:type kg:Article
	hash  bool                   // <article> kg:hash "..."
	attrs map[quad.IRI][]badQuad // <article> kg:title etc., with their references
}

// factRequired are the properties every fact kg stores has: Facts reads
// them back, and the evidence is what makes a fact checkable.
var factRequired = []quad.IRI{rdfType, pSubject, pObject, pRelation, pArticle, pSentence, pStart, pEnd}

// Check verifies the store's invariants (see the ProblemKind constants)
// over every live quad and returns what it found. With repair, it then
// deletes, in delete-only transactions (never mixed with adds, because of
// Cayley KV bug #885), the quads that break an invariant and every quad of
// each article they belong to, and checks again. Whole articles go
// because the article is kg's unit of consistency: an article keeps its
// hash after losing a fact, so ingest would call it unchanged and never
// restore the fact; without the article, `kg ingest` of the same input
// stores it whole again (Report.Reingest lists them). Repair never adds a
// quad. Check holds the store's lock throughout (shared, or exclusive with
// repair), so it sees one consistent state in this process.
func (s *Store) Check(ctx context.Context, repair bool) (rep Report, err error) {
	op := s.read
	if repair {
		op = s.write
	}
	err = op(func() error {
		rep, err = s.checkStore(ctx, repair)
		return err
	})
	return rep, err
}

// checkStore is Check inside Store.read (or Store.write, to repair).
func (s *Store) checkStore(ctx context.Context, repair bool) (Report, error) {
	// every page of a bbolt file first, then Cayley's indexes: damage
	// there is for Salvage
	if s.bolt != nil {
		ps, _, err := rawBolt(filepath.Join(s.where, boltFile), nil)
		if err != nil {
			ps = append(ps, err.Error())
		}
		if len(ps) == 0 {
			inds, err := s.kvIndexes(ctx)
			if err != nil {
				return Report{}, s.markDamaged(err)
			}
			err = try(func() error {
				return s.bolt.View(func(tx *bolt.Tx) error { ps = checkKVIndexes(tx, inds); return nil })
			})
			if err != nil {
				ps = append(ps, err.Error())
			}
		}
		if len(ps) > 0 {
			return Report{}, s.markDamaged(strings.Join(ps, "; "))
		}
	}
	rep, bad, err := s.check(ctx)
	if err != nil {
		if s.bolt != nil && ctx.Err() == nil {
			return rep, s.markDamaged(err) // a quad that does not read back is damage, for Salvage
		}
		return rep, err
	}
	viewProblems, err := s.checkView(ctx)
	if err != nil {
		return rep, err
	}
	rep.Problems = append(rep.Problems, viewProblems...)
	if !repair {
		return rep, nil
	}
	rep.Repaired = true
	var del []quad.Quad
	var dead []*cproto.Primitive
	for _, b := range bad {
		if p, ok := b.ref.(*cproto.Primitive); ok && s.kv != nil &&
			(b.q.Subject == nil || b.q.Predicate == nil || b.q.Object == nil || b.q.Label == nil && p.Label != 0) {
			dead = append(dead, p)
			continue
		}
		del = append(del, b.q)
	}
	if len(dead) > 0 {
		if err := s.killPrimitives(ctx, dead); err != nil {
			return rep, s.fail("check --repair", err)
		}
	}
	// one delete-only transaction per chunk: bounded memory in the
	// backend, and each chunk alone leaves the store no worse
	const chunk = 10000
	for i := 0; i < len(del); i += chunk {
		tx := graph.NewTransactionN(min(chunk, len(del)-i))
		for _, q := range del[i:min(i+chunk, len(del))] {
			tx.RemoveQuad(q)
		}
		if err := s.apply("check --repair", tx); err != nil {
			return rep, err
		}
	}
	again, _, err := s.check(ctx)
	if err != nil {
		return rep, err
	}
	rep.Deleted = rep.Quads - again.Quads
	rep.Remaining = again.Problems
	// the repair wrote around the read view, or found it wrong: build it
	// again from what is left, so reads need not fall back to quads
	if err := s.ensureView(ctx, len(viewProblems) > 0, nil); err != nil {
		return rep, s.fail("check --repair: rebuild read view", err)
	}
	if _, _, cached := s.cachedHash(""); cached {
		if err := s.loadHashes(ctx); err != nil {
			return rep, err
		}
	}
	vp, err := s.checkView(ctx)
	rep.Remaining = append(rep.Remaining, vp...)
	return rep, err
}

// badQuad is a quad repair deletes, with the backend's reference to it:
// a quad whose node values are gone (nil directions) cannot be matched by
// value, only by reference.
type badQuad struct {
	q   quad.Quad
	ref graph.Ref
}

// check is one pass over every quad: the report and the quads repair
// would delete. Callers hold mu.
func (s *Store) check(ctx context.Context) (Report, []badQuad, error) {
	var rep Report
	var del, older []badQuad
	labels := map[quad.Value]*labelInfo{}
	damaged := map[quad.Value]bool{} // article labels repair deletes whole
	add := func(p Problem, q *quad.Quad, label quad.Value) {
		rep.Problems = append(rep.Problems, p)
		if label != nil {
			damaged[label] = true
		} else if q != nil {
			del = append(del, badQuad{q: *q}) // matched by value: a complete quad
		}
	}

	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	for it.Next(ctx) {
		ref := it.Result()
		q, err := s.qs.Quad(ref)
		if err != nil {
			return rep, nil, fmt.Errorf("check: read quad: %w", err)
		}
		rep.Quads++
		if emptyValue(q.Subject) || emptyValue(q.Predicate) || emptyValue(q.Object) || emptyValue(q.Label) {
			id, ok := articleOf(q.Label)
			rep.Problems = append(rep.Problems, Problem{Kind: EmptyField, Article: id, Quad: fmtQuad(q), Detail: "quad with an empty field"})
			del = append(del, badQuad{q: q, ref: ref}) // several can print alike: keep each reference
			if ok {
				damaged[q.Label] = true
			}
			continue
		}
		if _, ok := articleOf(q.Label); !ok {
			add(Problem{Kind: BadLabel, Quad: fmtQuad(q), Detail: "label is not an article"}, &q, nil)
			continue
		}
		li := labels[q.Label]
		if li == nil {
			li = &labelInfo{facts: map[quad.Value]*factInfo{}}
			labels[q.Label] = li
		}
		li.quads = append(li.quads, q)
		p, _ := q.Predicate.(quad.IRI)
		switch {
		case q.Subject == q.Label && p == rdfType && q.Object == classArticle:
			li.typed = true
		case q.Subject == q.Label && slices.Contains(articleAttrs, p):
			li.hash = li.hash || p == pHash
			if li.attrs == nil {
				li.attrs = map[quad.IRI][]badQuad{}
			}
			li.attrs[p] = append(li.attrs[p], badQuad{q: q, ref: ref})
		case isFactNode(q.Subject):
			fi := li.facts[q.Subject]
			if fi == nil {
				fi = &factInfo{props: map[quad.IRI][]quad.Value{}}
				li.facts[q.Subject] = fi
			}
			fi.quads = append(fi.quads, q)
			fi.props[p] = append(fi.props[p], q.Object)
		case relationOf(q.Predicate) != "":
			li.edges = append(li.edges, q)
		}
	}
	if err := it.Err(); err != nil {
		return rep, nil, fmt.Errorf("check: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return rep, nil, err
	}
	rep.Articles = len(labels)

	// stable order: by article label
	keys := make([]quad.Value, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, label := range keys {
		li := labels[label]
		id, _ := articleOf(label)
		rep.Facts += len(li.facts)
		if !li.typed || !li.hash {
			missing := "hash"
			if !li.typed {
				missing = "type"
				if !li.hash {
					missing = "type and hash"
				}
			}
			add(Problem{Kind: ArticleNoHash, Article: id, Node: str(label),
				Detail: fmt.Sprintf("article without its %s (%d quads)", missing, len(li.quads))}, nil, label)
			continue // all its quads go; no need to look closer
		}
		if old, detail, err := s.olderVersions(ctx, li); err != nil {
			return rep, nil, err
		} else if detail != "" {
			rep.Problems = append(rep.Problems, Problem{Kind: ArticleVersions, Article: id, Node: str(label),
				Detail: "article stored in more than one version (two writers at once?): " + detail})
			older = append(older, old...)
			rep.Merged = append(rep.Merged, id)
		}
		// facts backing direct edges: (subject, relation, object) of the
		// complete, well-filed facts of this article
		backed := map[[3]string]bool{}
		fnodes := make([]quad.Value, 0, len(li.facts))
		for n := range li.facts {
			fnodes = append(fnodes, n)
		}
		sort.Slice(fnodes, func(i, j int) bool { return fnodes[i].String() < fnodes[j].String() })
		for _, n := range fnodes {
			fi := li.facts[n]
			if why := factIncomplete(fi); why != "" {
				add(Problem{Kind: IncompleteFact, Article: id, Node: str(n), Detail: "fact " + why}, nil, label)
				continue
			}
			if a := fi.props[pArticle]; len(a) != 1 || a[0] != label {
				add(Problem{Kind: FactArticle, Article: id, Node: str(n),
					Detail: fmt.Sprintf("fact says it is from %v but is filed under this article", a)}, nil, label)
				continue
			}
			rel := str(fi.props[pRelation][0])
			backed[[3]string{str(fi.props[pSubject][0]), rel, str(fi.props[pObject][0])}] = true
		}
		for _, e := range li.edges {
			if !backed[[3]string{str(e.Subject), relationOf(e.Predicate), str(e.Object)}] {
				add(Problem{Kind: OrphanEdge, Article: id, Quad: fmtQuad(e),
					Detail: "direct edge without a fact of this article behind it"}, nil, label)
			}
		}
	}
	// Hashes first: repair deletes in chunks, and if it is interrupted an
	// article that lost some quads must not keep its hash, or it would
	// pass for whole and ingest would never restore it. Without its hash
	// the next check deletes the rest and the next ingest stores it again.
	for _, first := range []bool{true, false} {
		for _, label := range keys {
			if !damaged[label] {
				continue
			}
			for _, q := range labels[label].quads {
				if (q.Predicate == pHash) == first {
					del = append(del, badQuad{q: q})
				}
			}
		}
	}
	for label := range damaged {
		id, _ := articleOf(label)
		rep.Reingest = append(rep.Reingest, id)
	}
	sort.Strings(rep.Reingest)
	// older versions' attributes go, unless the article goes whole
	for _, b := range older {
		if !damaged[b.q.Label] {
			del = append(del, badQuad{q: b.q})
		}
	}
	kept := rep.Merged[:0]
	for _, id := range rep.Merged {
		if !damaged[quad.IRI(schema.ArticleIRI(id))] {
			kept = append(kept, id)
		}
	}
	rep.Merged = kept
	return rep, del, nil
}

// olderVersions finds the attributes of an article stated more than once
// with different values, and returns the quads of all but the newest
// value of each (by write order, Store.writeOrder) with a description
// such as "2 titles, 2 hashes"; "" when the article is in one version.
func (s *Store) olderVersions(ctx context.Context, li *labelInfo) (older []badQuad, detail string, err error) {
	var parts []string
	for _, p := range articleAttrs {
		bs := li.attrs[p]
		vals := map[quad.Value]bool{}
		for _, b := range bs {
			vals[b.q.Object] = true
		}
		if len(vals) < 2 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", len(vals), plural(strings.TrimPrefix(string(p), schema.VocabBase))))
		newest, at := -1, int64(-1)
		for i, b := range bs {
			n, ok, err := s.writeOrder(ctx, b.ref, b.q)
			if err != nil {
				return nil, "", fmt.Errorf("check: write order of %s: %w", fmtQuad(b.q), err)
			}
			if ok && n > at {
				newest, at = i, n
			}
		}
		for i, b := range bs {
			if i != newest && b.q.Object != bs[max(newest, 0)].q.Object {
				older = append(older, b)
			}
		}
	}
	return older, strings.Join(parts, ", "), nil
}

// plural names an attribute in the plural, for problem details.
func plural(term string) string {
	if strings.HasSuffix(term, "h") {
		return term + "es"
	}
	return term + "s"
}

// factIncomplete says what a fact node lacks, or "" when it is complete.
func factIncomplete(fi *factInfo) string {
	var missing []string
	for _, p := range factRequired {
		if len(fi.props[p]) == 0 {
			missing = append(missing, strings.TrimPrefix(string(p), schema.VocabBase))
		}
	}
	if len(missing) > 0 {
		return "lacks " + strings.Join(missing, ", ")
	}
	if t := fi.props[rdfType]; len(t) != 1 || t[0] != classFact {
		return fmt.Sprintf("has type %v, not kg:Fact", t)
	}
	for _, p := range []quad.IRI{pSubject, pObject, pRelation, pStart, pEnd} {
		if len(fi.props[p]) != 1 {
			return fmt.Sprintf("has %d values of %s", len(fi.props[p]), strings.TrimPrefix(string(p), schema.VocabBase))
		}
	}
	start, end := num(fi.props[pStart][0]), num(fi.props[pEnd][0])
	if start < 0 || end < start {
		return fmt.Sprintf("has evidence offsets [%v:%v] that are not a span", start, end)
	}
	return ""
}

// articleOf returns the article id of a label, if it is an article IRI.
func articleOf(label quad.Value) (string, bool) {
	iri, ok := label.(quad.IRI)
	if !ok {
		return "", false
	}
	return schema.ArticleIDFromIRI(string(iri))
}

// isFactNode reports whether a value is a fact IRI (schema.FactIRI).
func isFactNode(v quad.Value) bool {
	iri, ok := v.(quad.IRI)
	return ok && strings.HasPrefix(string(iri), schema.FactBase)
}

// killPrimitives deletes quads on a Cayley KV store by reference, the way
// Cayley's own delete does (graph/kv markAsDead: the quad's log entry is
// rewritten with Deleted set, and the quad count lowered), in one
// delete-only transaction. It exists for quads bug #885 left with nil
// directions: their node values are gone, so ApplyDeltas cannot match
// them by value and would skip them as missing. The key layout is
// Cayley's (graph/kv/indexing.go: "log" + big-endian id; "meta"/"size" a
// little-endian int64), fixed by the version go.mod pins.
func (s *Store) killPrimitives(ctx context.Context, ps []*cproto.Primitive) error {
	return s.kv.Update(ctx, func(tx hkv.Tx) error {
		for _, p := range ps {
			d := proto.Clone(p).(*cproto.Primitive)
			d.Deleted = true
			buf, err := proto.Marshal(d)
			if err != nil {
				return err
			}
			id := make([]byte, 8)
			binary.BigEndian.PutUint64(id, p.ID)
			if err := tx.Put(ctx, hkv.Key{[]byte("log"), id}, buf); err != nil {
				return err
			}
		}
		sizeKey := hkv.Key{[]byte("meta"), []byte("size")}
		v, err := tx.Get(ctx, sizeKey)
		if err != nil || len(v) != 8 {
			return fmt.Errorf("read quad count: %v (%d bytes)", err, len(v))
		}
		n := int64(binary.LittleEndian.Uint64(v)) - int64(len(ps))
		buf := make([]byte, 8)
		binary.LittleEndian.PutUint64(buf, uint64(max(n, 0)))
		return tx.Put(ctx, sizeKey, buf)
	})
}
