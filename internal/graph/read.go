package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// ref resolves a value to the store's reference, or nil when the value is
// not in the store. (graph.RefsOf turns a missing value into an error.)
func (s *Store) ref(ctx context.Context, val quad.Value) (graph.Ref, error) {
	r, err := s.qs.ValueOf(val)
	if err != nil || r == nil {
		return nil, err
	}
	if iv, ok := r.(ckv.Int64Value); ok && iv == 0 {
		return nil, nil
	}
	return r, nil
}

// eachQuad calls fn for every live quad with val in direction dir. The
// quads' values are resolved in one batch, one lookup per distinct node:
// qs.Quad costs a transaction and four lookups per quad, and an article's
// quads share most of their nodes (its label, the vocabulary, its
// entities). A direction whose value is gone comes back nil, as with
// qs.Quad.
func (s *Store) eachQuad(ctx context.Context, dir quad.Direction, val quad.Value, fn func(quad.Quad) error) error {
	var quads [][4]graph.Ref
	index := map[any]int{}
	var nodes []graph.Ref
	err := s.scan(ctx, dir, val, nil, func(r graph.Ref) error {
		var q [4]graph.Ref
		for i, d := range quad.Directions {
			v, err := s.qs.QuadDirection(r, d)
			if err != nil {
				return err
			}
			q[i] = v
			if v == nil {
				continue
			}
			if _, ok := index[v.Key()]; !ok {
				index[v.Key()] = len(nodes)
				nodes = append(nodes, v)
			}
		}
		quads = append(quads, q)
		return nil
	})
	if err != nil || len(quads) == 0 {
		return err
	}
	vals, err := graph.ValuesOf(ctx, s.qs, nodes)
	if err != nil {
		return err
	}
	for _, refs := range quads {
		var q quad.Quad
		for i, d := range quad.Directions {
			if r := refs[i]; r != nil {
				q.Set(d, vals[index[r.Key()]])
			}
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	return nil
}

// predFilter selects quads by predicate reference before any value is
// read: on KV a quad reference already holds its direction ids, while
// reading the quad costs one lookup per direction.
type predFilter struct {
	keys   map[any]bool
	negate bool // keep predicates not in keys
}

func (f *predFilter) keep(k any) bool { return f.keys[k] != f.negate }

// predicates builds a filter for the given predicates; ok is false when
// none is stored, so nothing can match.
func (s *Store) predicates(negate bool, preds ...quad.IRI) (*predFilter, bool, error) {
	f := &predFilter{keys: map[any]bool{}, negate: negate}
	for _, p := range preds {
		r, err := s.ref(context.Background(), p)
		if err != nil {
			return nil, false, err
		}
		if r != nil {
			f.keys[r.Key()] = true
		}
	}
	return f, len(f.keys) > 0 || negate, nil
}

// scan calls fn with the reference of every live quad with val in
// direction dir whose predicate passes preds (nil: all).
func (s *Store) scan(ctx context.Context, dir quad.Direction, val quad.Value, preds *predFilter, fn func(graph.Ref) error) error {
	r, err := s.ref(ctx, val)
	if err != nil || r == nil {
		return err
	}
	it := s.qs.QuadIterator(dir, r).Iterate()
	defer it.Close()
	for it.Next(ctx) {
		qr := it.Result()
		if preds != nil {
			p, err := s.qs.QuadDirection(qr, quad.Predicate)
			if err != nil {
				return err
			}
			if p == nil || !preds.keep(p.Key()) {
				continue
			}
		}
		if err := fn(qr); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

// end reads one direction's value of a quad reference.
func (s *Store) end(r graph.Ref, d quad.Direction) (graph.Ref, quad.Value, error) {
	v, err := s.qs.QuadDirection(r, d)
	if err != nil || v == nil {
		return nil, nil, err
	}
	name, err := s.qs.NameOf(v)
	return v, name, err
}

// in returns the distinct subjects of quads <subject> <pred> <obj> for any
// of preds and objs, in the order found. It walks each object's quads
// (Cayley's [O,P,S] index on KV), filters predicates by reference and
// reads only the subject. The path API (path.StartPath(...).In(p).Unique(),
// advised for fixed queries) was measured to fall back to a scan of every
// quad on bbolt when started from several nodes (27 ms for a 2-hop
// Neighbors on a 30k-quad store), and Cayley's KV optimizer cannot use
// [O,P,S] for an (O,P) filter (optimizeQuadsAction wants every index
// direction filtered).
func (s *Store) in(ctx context.Context, preds []quad.IRI, objs ...quad.Value) ([]quad.Value, error) {
	f, ok, err := s.predicates(false, preds...)
	if err != nil || !ok {
		return nil, err
	}
	seen := map[any]bool{}
	var out []quad.Value
	for _, o := range objs {
		err := s.scan(ctx, quad.Object, o, f, func(r graph.Ref) error {
			sr, err := s.qs.QuadDirection(r, quad.Subject)
			if err != nil || sr == nil || seen[sr.Key()] {
				return err
			}
			seen[sr.Key()] = true
			v, err := s.qs.NameOf(sr)
			if err == nil && v != nil {
				out = append(out, v)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// out returns the values of a node's predicate, one per quad: a value
// stated by two articles comes twice, so callers can count statements.
func (s *Store) out(ctx context.Context, node quad.Value, pred quad.IRI) ([]quad.Value, error) {
	f, ok, err := s.predicates(false, pred)
	if err != nil || !ok {
		return nil, err
	}
	var vs []quad.Value
	err = s.scan(ctx, quad.Subject, node, f, func(r graph.Ref) error {
		_, v, err := s.end(r, quad.Object)
		if v != nil {
			vs = append(vs, v)
		}
		return err
	})
	return vs, err
}

// str renders a literal or IRI as a Go string.
func str(v quad.Value) string {
	switch v := v.(type) {
	case nil:
		return ""
	case quad.String:
		return string(v)
	case quad.IRI:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	}
	return quad.StringOf(v)
}

// num renders a numeric literal; stores may hand back typed strings.
func num(v quad.Value) float64 {
	switch v := v.(type) {
	case quad.Int:
		return float64(v)
	case quad.Float:
		return float64(v)
	}
	f, _ := strconv.ParseFloat(str(v), 64)
	return f
}

// props reads a node's outgoing quads as predicate → values, one value
// per quad (so a name stated by two articles appears twice), and counts
// the distinct labels (articles) among them.
//
// names caches values by reference for the duration of one read operation
// (under the read lock nothing changes): every fact node repeats the same
// predicates, and a hub entity the same names in every article. nil makes
// a fresh cache.
func (s *Store) props(ctx context.Context, node quad.Value, names map[any]quad.Value) (map[quad.IRI][]quad.Value, int, error) {
	m := map[quad.IRI][]quad.Value{}
	labels := map[any]bool{}
	if names == nil {
		names = map[any]quad.Value{}
	}
	name := func(r graph.Ref, d quad.Direction) (quad.Value, error) {
		v, err := s.qs.QuadDirection(r, d)
		if err != nil || v == nil {
			return nil, err
		}
		if n, ok := names[v.Key()]; ok {
			return n, nil
		}
		n, err := s.qs.NameOf(v)
		names[v.Key()] = n
		return n, err
	}
	err := s.scan(ctx, quad.Subject, node, nil, func(r graph.Ref) error {
		p, err := name(r, quad.Predicate)
		if err != nil {
			return err
		}
		o, err := name(r, quad.Object)
		if err != nil {
			return err
		}
		iri, ok := p.(quad.IRI)
		if !ok || o == nil {
			return nil
		}
		m[iri] = append(m[iri], o)
		if l, err := s.qs.QuadDirection(r, quad.Label); err != nil {
			return err
		} else if l != nil {
			labels[l.Key()] = true
		}
		return nil
	})
	return m, len(labels), err
}

func first(m map[quad.IRI][]quad.Value, p quad.IRI) string {
	if vs := m[p]; len(vs) > 0 {
		return str(vs[0])
	}
	return ""
}

// most returns the value stated most often (by most articles), the
// smallest on ties, so a choice among conflicting statements is stable.
func most(vs []quad.Value) string {
	var n map[string]int
	count(&n, vs, 1)
	return mostOf(n)
}

func entityID(v quad.Value) string {
	id, _ := schema.EntityIDFromIRI(str(v))
	return id
}

// articleHash reads an article's stored hash. Callers hold mu.
func (s *Store) articleHash(ctx context.Context, id string) (string, bool, error) {
	vs, err := s.out(ctx, quad.IRI(schema.ArticleIRI(id)), pHash)
	if err != nil || len(vs) == 0 {
		return "", false, err
	}
	return str(vs[0]), true, nil
}

// ArticleHash returns the content hash (schema.Article.Hash) stored with an
// article; ok is false if the article is not stored. Ingest uses it to skip
// unchanged articles before extracting them.
func (s *Store) ArticleHash(ctx context.Context, id string) (hash string, ok bool, err error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(); err != nil {
		return "", false, err
	}
	if h, ok, cached := s.cachedHash(id); cached {
		return h, ok, nil
	}
	err = s.inSession(func() error {
		hash, ok, err = s.articleHash(ctx, id)
		return err
	})
	return hash, ok, err
}

// Articles lists the stored articles sorted by id. Text is not stored, so
// it is empty; use ArticleHash for the hash.
func (s *Store) Articles(ctx context.Context) (arts []schema.Article, err error) {
	err = s.read(func() error {
		arts, err = s.articles(ctx)
		return err
	})
	return arts, err
}

// articles is Articles for callers inside Store.read or Store.write.
func (s *Store) articles(ctx context.Context) ([]schema.Article, error) {
	nodes, err := s.in(ctx, []quad.IRI{rdfType}, classArticle)
	if err != nil {
		return nil, err
	}
	out := make([]schema.Article, 0, len(nodes))
	names := map[any]quad.Value{}
	for _, n := range nodes {
		id, ok := schema.ArticleIDFromIRI(str(n))
		if !ok {
			continue
		}
		m, _, err := s.props(ctx, n, names)
		if err != nil {
			return nil, err
		}
		out = append(out, schema.Article{ID: id, Title: first(m, pTitle), Date: first(m, pDate),
			Lang: first(m, pLang), URL: first(m, pURL), Source: first(m, pSource)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// FactFilter selects facts. Each list is a set of alternatives (empty means
// any); the lists combine with AND. Subjects and Objects are entity ids
// (Q-ids or project ids), Articles are article ids.
//
// Since and Until bound the fact's date, inclusive, as YYYY[-MM[-DD]]:
// the date By names (schema.Fact.When: "event", "published", or by
// default the event date, else the article's publication date). A
// partial bound covers its whole period: Since "2023-12" means from
// 2023-12-01, Until "2023-12" means to 2023-12-31. A partial fact date must
// lie wholly inside: for Since it counts as its first day, for Until as its
// last day, so a fact dated 2023-12 passes Since 2023-12-01 but not Since
// 2023-12-15, and a fact dated 2023 passes Until 2023-12-31 only. Facts
// without that date fail any date bound. Limit caps the result (0 = all),
// after sorting.
type FactFilter struct {
	Subjects, Objects, Relations, Events, Articles []string
	Since, Until                                   string
	By                                             string
	Limit                                          int
}

func (f FactFilter) empty() bool {
	return len(f.Subjects)+len(f.Objects)+len(f.Relations)+len(f.Events)+len(f.Articles) == 0 &&
		f.Since == "" && f.Until == ""
}

// firstDay and lastDay expand a YYYY[-MM[-DD]] date to a full day; other
// strings are returned unchanged, so they still compare as strings.
func firstDay(d string) string {
	switch len(d) {
	case 4:
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}

func lastDay(d string) string {
	switch len(d) {
	case 4:
		return d + "-12-31"
	case 7:
		t, err := time.Parse("2006-01", d)
		if err != nil {
			return d + "-31"
		}
		return t.AddDate(0, 1, -1).Format("2006-01-02")
	}
	return d
}

// Dated reports whether a date bound applies.
func (f FactFilter) Dated() bool { return f.Since != "" || f.Until != "" }

// dateOK reports whether a fact passes the date bounds.
func (f FactFilter) dateOK(fact schema.Fact) bool {
	if !f.Dated() {
		return true
	}
	date, _ := fact.When(f.By)
	if date == "" {
		return false
	}
	if f.Since != "" && firstDay(date) < firstDay(f.Since) {
		return false
	}
	if f.Until != "" && lastDay(date) > lastDay(f.Until) {
		return false
	}
	return true
}

// factNodes returns the IRIs of facts matching the filter's id lists.
// Callers hold mu.
func (s *Store) factNodes(ctx context.Context, f FactFilter) ([]quad.Value, error) {
	var sets []map[quad.Value]bool
	add := func(ids []string, start func(string) quad.Value, via quad.IRI) error {
		if len(ids) == 0 {
			return nil
		}
		starts := make([]quad.Value, len(ids))
		for i, id := range ids {
			starts[i] = start(id)
		}
		vs, err := s.in(ctx, []quad.IRI{via}, starts...)
		if err != nil {
			return err
		}
		set := map[quad.Value]bool{}
		for _, v := range vs {
			set[v] = true
		}
		sets = append(sets, set)
		return nil
	}
	ent := func(id string) quad.Value { return quad.IRI(schema.EntityIRI(id)) }
	lit := func(s string) quad.Value { return quad.String(s) }
	art := func(id string) quad.Value { return quad.IRI(schema.ArticleIRI(id)) }
	for _, a := range []struct {
		ids   []string
		start func(string) quad.Value
		via   quad.IRI
	}{
		{f.Articles, art, pArticle},
		{f.Subjects, ent, pSubject},
		{f.Objects, ent, pObject},
		{f.Relations, lit, pRelation},
		{f.Events, lit, pEvent},
	} {
		if err := add(a.ids, a.start, a.via); err != nil {
			return nil, err
		}
	}
	if len(sets) == 0 {
		return s.in(ctx, []quad.IRI{rdfType}, classFact)
	}
	// Intersect, smallest set first.
	sort.Slice(sets, func(i, j int) bool { return len(sets[i]) < len(sets[j]) })
	var out []quad.Value
	for v := range sets[0] {
		in := true
		for _, o := range sets[1:] {
			if !o[v] {
				in = false
				break
			}
		}
		if in {
			out = append(out, v)
		}
	}
	return out, nil
}

// readFact reads a fact back from its node; ok is false if the node has no
// subject, relation or object (it was deleted meanwhile, or is not a fact).
func (s *Store) readFact(ctx context.Context, node quad.Value, names map[any]quad.Value) (schema.Fact, bool, error) {
	m, _, err := s.props(ctx, node, names)
	if err != nil {
		return schema.Fact{}, false, err
	}
	f, ok := factFromProps(m)
	return f, ok, nil
}

// factFromProps builds a fact from its node's predicate → values map; ok
// is false without a subject, relation or object. The read view builds
// its fact records with it too, so both read paths agree field by field.
func factFromProps(m map[quad.IRI][]quad.Value) (schema.Fact, bool) {
	f := schema.Fact{
		Subject: schema.EntityRef{ID: entityID(firstV(m, pSubject)), Name: first(m, pSubjectName), Type: first(m, pSubjectType),
			Country: first(m, pSubjectCountry), Sector: first(m, pSubjectSector)},
		Object: schema.EntityRef{ID: entityID(firstV(m, pObject)), Name: first(m, pObjectName), Type: first(m, pObjectType),
			Country: first(m, pObjectCountry), Sector: first(m, pObjectSector)},
		Relation:   first(m, pRelation),
		Event:      first(m, pEvent),
		Mode:       first(m, pMode),
		Date:       first(m, pDate),
		Published:  first(m, pPublished),
		Modality:   schema.Modality(first(m, pModality)),
		Instrument: first(m, pInstrument),
		Speaker:    first(m, pSpeaker),
		Rule:       first(m, pRule),
		Path:       first(m, pPath),
	}
	f.Doc, _ = schema.ArticleIDFromIRI(first(m, pArticle))
	if c := firstV(m, pConfidence); c != nil {
		f.Confidence = num(c)
	}
	f.Evidence.Sentence = first(m, pSentence)
	if v := firstV(m, pStart); v != nil {
		f.Evidence.Start = int(num(v))
	}
	if v := firstV(m, pEnd); v != nil {
		f.Evidence.End = int(num(v))
	}
	ok := f.Subject.ID != "" && f.Object.ID != "" && f.Relation != ""
	return f, ok
}

func firstV(m map[quad.IRI][]quad.Value, p quad.IRI) quad.Value {
	if vs := m[p]; len(vs) > 0 {
		return vs[0]
	}
	return nil
}

// sortFacts orders facts by date (the event date, else the publication
// date: schema.Fact.When, as listings show them), subject, relation,
// object, then article and sentence so the order is total and output is
// reproducible.
func sortFacts(fs []schema.Fact) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		da, _ := a.When("")
		db, _ := b.When("")
		for _, c := range [][2]string{{da, db}, {a.Date, b.Date}, {a.Subject.ID, b.Subject.ID}, {a.Relation, b.Relation},
			{a.Object.ID, b.Object.ID}, {a.Doc, b.Doc}, {a.Evidence.Sentence, b.Evidence.Sentence}, {string(a.Modality), string(b.Modality)}} {
			if c[0] != c[1] {
				return c[0] < c[1]
			}
		}
		return false
	})
}

// facts is Facts without locking.
func (s *Store) facts(ctx context.Context, f FactFilter) ([]schema.Fact, error) {
	nodes, err := s.factNodes(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]schema.Fact, 0, len(nodes))
	names := map[any]quad.Value{}
	for _, n := range nodes {
		fact, ok, err := s.readFact(ctx, n, names)
		if err != nil {
			return nil, err
		}
		if ok && f.dateOK(fact) {
			out = append(out, fact)
		}
	}
	sortFacts(out)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// Facts returns the facts matching f, read back field by field from their
// fact nodes, sorted by (date, subject, relation, object, article), the
// date being the event date, else the publication date; Doc is the
// article id. Dates sort as strings, so undated facts come first and
// "2023-12" sorts before "2023-12-04".
func (s *Store) Facts(ctx context.Context, f FactFilter) (facts []schema.Fact, err error) {
	err = s.read(func() error {
		facts, err = s.facts(ctx, f)
		return err
	})
	return facts, err
}

// EntityInfo is an entity with how many facts (as subject or object) and
// articles mention it.
type EntityInfo struct {
	schema.Entity
	Facts    int `json:"facts"`
	Articles int `json:"articles"`
}

// entity reads an entity node. Where articles disagree (preferred name,
// type, country, role) the value most articles state wins. Callers hold mu.
func (s *Store) entity(ctx context.Context, node quad.Value, names map[any]quad.Value) (EntityInfo, error) {
	e, err := s.entityAttrs(ctx, node, names)
	if err != nil {
		return e, err
	}
	fs, err := s.in(ctx, []quad.IRI{pSubject, pObject}, node)
	e.Facts = len(fs)
	return e, err
}

// entityAttrs reads an entity node's attributes and article count, not
// its fact count: a graph's nodes need no counts, and counting a hub's
// facts costs as much as reading them. Callers hold mu.
func (s *Store) entityAttrs(ctx context.Context, node quad.Value, names map[any]quad.Value) (EntityInfo, error) {
	m, labels, err := s.props(ctx, node, names)
	if err != nil {
		return EntityInfo{}, err
	}
	// counted as the read view counts: each quad is one article's statement
	sum := &entSum{}
	sum.addProps(m, 1)
	return EntityInfo{Entity: sum.entity(entityID(node)), Articles: labels}, nil
}

// Entities lists every stored entity, most facts first, then by id.
func (s *Store) Entities(ctx context.Context) (ents []EntityInfo, err error) {
	err = s.read(func() error {
		ents, err = s.entities(ctx)
		return err
	})
	return ents, err
}

// entities is Entities for callers inside Store.read or Store.write.
func (s *Store) entities(ctx context.Context) ([]EntityInfo, error) {
	tx, vr, ok, err := s.viewTx()
	if err != nil {
		return nil, err
	}
	if ok {
		defer tx.Rollback()
		out, err := vr.entities(ctx)
		sortEntities(out)
		return out, err
	}
	nodes, err := s.in(ctx, []quad.IRI{rdfType}, classEntity)
	if err != nil {
		return nil, err
	}
	names := map[any]quad.Value{}
	out := make([]EntityInfo, 0, len(nodes))
	for _, n := range nodes {
		e, err := s.entity(ctx, n, names)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	sortEntities(out)
	return out, nil
}

// sortEntities orders entities most facts first, then by id.
func sortEntities(es []EntityInfo) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].Facts != es[j].Facts {
			return es[i].Facts > es[j].Facts
		}
		return es[i].ID < es[j].ID
	})
}

// FindEntities matches a user's string to stored entities: an exact id
// ("Q423" or "q423", "person/ri-yong-ho") first, then every entity with a name equal
// to q after schema.Fold (accents, case, spacing), most facts first. Names
// are matched through a stored kg:key literal, so this is an index lookup,
// not a scan.
func (s *Store) FindEntities(ctx context.Context, q string) (refs []schema.EntityRef, err error) {
	err = s.read(func() error {
		refs, err = s.findEntities(ctx, q)
		return err
	})
	return refs, err
}

// findEntities is FindEntities for callers inside Store.read or Store.write.
func (s *Store) findEntities(ctx context.Context, q string) ([]schema.EntityRef, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	id := q
	if up := strings.ToUpper(q); schema.IsQID(up) {
		id = up // "q423" is what a user types
	}
	tx, vr, ok, err := s.viewTx()
	if err != nil {
		return nil, err
	}
	if ok {
		defer tx.Rollback()
		return vr.find(ctx, id, schema.Fold(q))
	}
	var out []schema.EntityRef
	seen := map[string]bool{}
	names := map[any]quad.Value{}
	byID := quad.IRI(schema.EntityIRI(id))
	if ok, err := s.exists(ctx, id); err != nil {
		return nil, err
	} else if ok {
		e, err := s.entity(ctx, byID, names)
		if err != nil {
			return nil, err
		}
		out = append(out, e.EntityRef)
		seen[e.ID] = true
	}
	nodes, err := s.in(ctx, []quad.IRI{pKey}, quad.String(schema.Fold(q)))
	if err != nil {
		return nil, err
	}
	var more []EntityInfo
	for _, n := range nodes {
		id := entityID(n)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		e, err := s.entity(ctx, n, names)
		if err != nil {
			return nil, err
		}
		more = append(more, e)
	}
	sort.Slice(more, func(i, j int) bool {
		if more[i].Facts != more[j].Facts {
			return more[i].Facts > more[j].Facts
		}
		return more[i].ID < more[j].ID
	})
	for _, e := range more {
		out = append(out, e.EntityRef)
	}
	return out, nil
}

// Stats summarises the store. Quads is the backend's exact quad count;
// ByType counts entities by their (most stated) type.
type Stats struct {
	Articles   int64          `json:"articles"`
	Entities   int64          `json:"entities"`
	Facts      int64          `json:"facts"`
	Quads      int64          `json:"quads"`
	ByRelation map[string]int `json:"by_relation"`
	ByEvent    map[string]int `json:"by_event"`
	ByType     map[string]int `json:"by_type"`
}

// valuesByNode returns, for every node of a class, the values of p, one
// per quad.
func (s *Store) valuesByNode(ctx context.Context, class quad.IRI, p quad.IRI) (map[quad.Value][]quad.Value, error) {
	nodes, err := s.in(ctx, []quad.IRI{rdfType}, class)
	if err != nil {
		return nil, err
	}
	out := make(map[quad.Value][]quad.Value, len(nodes))
	for _, n := range nodes {
		if out[n], err = s.out(ctx, n, p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Stats counts articles, entities, facts and quads, and facts by relation
// and event and entities by type.
func (s *Store) Stats(ctx context.Context) (st Stats, err error) {
	err = s.read(func() error {
		st, err = s.stats(ctx)
		return err
	})
	return st, err
}

// stats is Stats for callers inside Store.read or Store.write.
func (s *Store) stats(ctx context.Context) (Stats, error) {
	st := Stats{ByRelation: map[string]int{}, ByEvent: map[string]int{}, ByType: map[string]int{}}
	arts, err := s.in(ctx, []quad.IRI{rdfType}, classArticle)
	if err != nil {
		return st, err
	}
	st.Articles = int64(len(arts))
	if st.Quads, err = s.quadCount(ctx); err != nil {
		return st, fmt.Errorf("quad count: %w", err)
	}
	// entities and facts, with their types: from the read view if current
	tx, vr, ok, err := s.viewTx()
	if err != nil {
		return st, err
	}
	if ok {
		defer tx.Rollback()
		return st, vr.stats(ctx, &st)
	}
	for _, c := range []struct {
		class quad.IRI
		n     *int64
	}{{classEntity, &st.Entities}, {classFact, &st.Facts}} {
		nodes, err := s.in(ctx, []quad.IRI{rdfType}, c.class)
		if err != nil {
			return st, err
		}
		*c.n = int64(len(nodes))
	}
	for _, c := range []struct {
		class quad.IRI
		p     quad.IRI
		m     map[string]int
	}{{classFact, pRelation, st.ByRelation}, {classFact, pEvent, st.ByEvent}, {classEntity, pType, st.ByType}} {
		pairs, err := s.valuesByNode(ctx, c.class, c.p)
		if err != nil {
			return st, err
		}
		for _, vs := range pairs {
			if v := most(vs); v != "" {
				c.m[v]++
			}
		}
	}
	return st, nil
}

// quadCount returns the number of live quads. KV keeps an exact counter
// (exact=true would also count every node, a full scan, for a figure
// Stats does not use), which is missing until the first write.
func (s *Store) quadCount(ctx context.Context) (int64, error) {
	gs, err := s.qs.Stats(ctx, s.kv == nil)
	if errors.Is(err, ckv.ErrNoBucket) {
		return 0, nil
	}
	return gs.Quads.Value, err
}
