package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	hkv "github.com/hidal-go/hidalgo/kv"

	"github.com/kg-news/kg/schema"
)

// Vocabulary IRIs. Predicates are schema.Vocab terms so exported quads read
// as kg's vocabulary; rdf:type is the standard one so RDF tools see types.
var (
	rdfType = quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

	classFact    = quad.IRI(schema.Vocab("Fact"))
	classEntity  = quad.IRI(schema.Vocab("Entity"))
	classArticle = quad.IRI(schema.Vocab("Article"))

	pSubject     = v("subject")
	pObject      = v("object")
	pSubjectName = v("subjectName")
	pSubjectType = v("subjectType")
	pObjectName  = v("objectName")
	pObjectType  = v("objectType")
	// a sector actor's country and sector ("Kenyan police": Q114, police),
	// kept on the fact so it reads back as it was extracted
	pSubjectCountry = v("subjectCountry")
	pSubjectSector  = v("subjectSector")
	pObjectCountry  = v("objectCountry")
	pObjectSector   = v("objectSector")
	pRelation       = v("relation")
	pEvent          = v("event")
	pMode           = v("mode")
	pDate           = v("date")
	pPublished      = v("published") // on a fact: its article's kg:date
	pModality       = v("modality")
	pConfidence     = v("confidence")
	pSentence       = v("sentence")
	pStart          = v("start")
	pEnd            = v("end")
	pInstrument     = v("instrument")
	pSpeaker        = v("speaker")
	pRule           = v("rule")
	pPath           = v("path")
	pArticle        = v("article")

	pLabel    = v("label")
	pName     = v("name")
	pKey      = v("key") // schema.Fold of each name, for FindEntities
	pType     = v("type")
	pWikidata = v("wikidata")
	pCountry  = v("country")
	pRole     = v("role")

	pTitle  = v("title")
	pLang   = v("lang")
	pSource = v("source")
	pURL    = v("url")
	pHash   = v("hash")
)

func v(term string) quad.IRI { return quad.IRI(schema.Vocab(term)) }

// attributes are the vocabulary terms that are not relations; a quad whose
// predicate is one of them is never a direct edge, even between entities
// (kg:country links an entity to a country entity).
var attributes = map[quad.IRI]bool{}

// attributeList is attributes as a list, plus rdf:type, for predicate
// filters.
var attributeList []quad.IRI

func init() {
	for _, p := range []quad.IRI{rdfType, pSubject, pObject, pSubjectName, pSubjectType, pObjectName, pObjectType,
		pSubjectCountry, pSubjectSector, pObjectCountry, pObjectSector, pRelation, pEvent, pMode, pDate, pPublished, pModality, pConfidence, pSentence, pStart, pEnd, pInstrument,
		pSpeaker, pRule, pPath, pArticle, pLabel, pName, pKey, pType, pWikidata, pCountry, pRole, pTitle,
		pLang, pSource, pURL, pHash} {
		attributes[p] = true
		attributeList = append(attributeList, p)
	}
}

// quadSet builds an article's quads without duplicates (two facts can
// share a direct edge) and without empty literals or nil directions.
type quadSet struct {
	label quad.Value
	seen  map[quad.Quad]bool
	list  []quad.Quad
}

func (qs *quadSet) add(s quad.Value, p quad.IRI, o quad.Value) {
	if s == nil || o == nil {
		return
	}
	switch o := o.(type) {
	case quad.String:
		if o == "" {
			return
		}
	case quad.IRI:
		if o == "" {
			return
		}
	}
	q := quad.Quad{Subject: s, Predicate: p, Object: o, Label: qs.label}
	if qs.seen[q] {
		return
	}
	qs.seen[q] = true
	qs.list = append(qs.list, q)
}

func (qs *quadSet) str(s quad.Value, p quad.IRI, o string) {
	if o = strings.TrimSpace(o); o != "" {
		qs.add(s, p, quad.String(o))
	}
}

// articleQuads returns every quad stored for an article. Facts get the
// article id as Doc; facts with the same schema.FactIRI (same key) are
// stored once, the first kept, so a node never holds two sentences.
// Entities named only in facts get a node from the fact's EntityRef.
func articleQuads(a schema.Article, ents []schema.Entity, facts []schema.Fact) ([]quad.Quad, error) {
	if strings.TrimSpace(a.ID) == "" {
		return nil, errors.New("graph: article has no id")
	}
	label := quad.IRI(schema.ArticleIRI(a.ID))
	qs := &quadSet{label: label, seen: map[quad.Quad]bool{}}

	qs.add(label, rdfType, classArticle)
	qs.str(label, pTitle, a.Title)
	qs.str(label, pDate, a.Date)
	qs.str(label, pLang, a.Lang)
	qs.str(label, pSource, a.Source)
	qs.str(label, pURL, a.URL)
	qs.str(label, pHash, a.Hash())

	entity := func(e schema.Entity) error {
		if strings.TrimSpace(e.ID) == "" {
			return fmt.Errorf("graph: article %s: entity %q has no id", a.ID, e.Name)
		}
		n := quad.IRI(schema.EntityIRI(e.ID))
		qs.add(n, rdfType, classEntity)
		qs.str(n, pLabel, e.Name)
		for _, name := range append([]string{e.Name}, e.Aliases...) {
			qs.str(n, pName, name)
			qs.str(n, pKey, schema.Fold(name))
		}
		qs.str(n, pType, e.Type)
		if schema.IsQID(e.ID) {
			qs.str(n, pWikidata, e.ID)
		}
		country := e.Country
		if country == "" {
			country = e.EntityRef.Country // a sector actor named only in a fact
		}
		if country != "" {
			qs.add(n, pCountry, quad.IRI(schema.EntityIRI(country)))
		}
		qs.str(n, pRole, e.Role)
		return nil
	}
	for _, e := range ents {
		if err := entity(e); err != nil {
			return nil, err
		}
	}

	seenFact := map[string]bool{}
	for _, f := range facts {
		f.Doc = a.ID
		if f.Subject.ID == "" || f.Object.ID == "" || strings.TrimSpace(f.Relation) == "" {
			return nil, fmt.Errorf("graph: article %s: fact %q needs a subject, relation and object", a.ID, f.Key())
		}
		if strings.ContainsAny(f.Relation, " <>\"{}|\\^`") {
			return nil, fmt.Errorf("graph: article %s: bad relation name %q", a.ID, f.Relation)
		}
		iri := schema.FactIRI(f)
		if seenFact[iri] {
			continue
		}
		seenFact[iri] = true
		for _, r := range []schema.EntityRef{f.Subject, f.Object} {
			if err := entity(schema.Entity{EntityRef: r}); err != nil {
				return nil, err
			}
		}
		s, o := quad.IRI(schema.EntityIRI(f.Subject.ID)), quad.IRI(schema.EntityIRI(f.Object.ID))
		qs.add(s, v(f.Relation), o)

		n := quad.IRI(iri)
		qs.add(n, rdfType, classFact)
		qs.add(n, pSubject, s)
		qs.add(n, pObject, o)
		qs.str(n, pSubjectName, f.Subject.Name)
		qs.str(n, pSubjectType, f.Subject.Type)
		qs.str(n, pObjectName, f.Object.Name)
		qs.str(n, pObjectType, f.Object.Type)
		qs.str(n, pSubjectCountry, f.Subject.Country)
		qs.str(n, pSubjectSector, f.Subject.Sector)
		qs.str(n, pObjectCountry, f.Object.Country)
		qs.str(n, pObjectSector, f.Object.Sector)
		qs.str(n, pRelation, f.Relation)
		qs.str(n, pEvent, f.Event)
		qs.str(n, pMode, f.Mode)
		qs.str(n, pDate, f.Date)
		qs.str(n, pPublished, f.Published)
		qs.str(n, pModality, string(f.Modality))
		qs.add(n, pConfidence, quad.Float(f.Confidence))
		qs.str(n, pSentence, f.Evidence.Sentence)
		if f.Evidence.Sentence != "" || f.Evidence.End > 0 {
			qs.add(n, pStart, quad.Int(f.Evidence.Start))
			qs.add(n, pEnd, quad.Int(f.Evidence.End))
		}
		qs.str(n, pInstrument, f.Instrument)
		qs.str(n, pSpeaker, f.Speaker)
		qs.str(n, pRule, f.Rule)
		qs.str(n, pPath, f.Path)
		qs.add(n, pArticle, label)
	}
	return qs.list, nil
}

// PutArticle stores an article's entities and facts. If an article with
// that id and the same content hash (schema.Article.Hash) exists, nothing
// changes and changed is false. Otherwise it replaces whatever the store
// held under the article's label, atomically (see PutArticles).
func (s *Store) PutArticle(ctx context.Context, a schema.Article, ents []schema.Entity, facts []schema.Fact) (changed bool, err error) {
	c, err := s.PutArticles(ctx, []ArticleData{{Article: a, Entities: ents, Facts: facts}})
	if err != nil {
		return false, err
	}
	return c[0], nil
}

// DeleteArticle removes every quad labelled with the article. Quads other
// articles also state (same triple, other label) stay. Deleting an article
// that is not stored is not an error.
func (s *Store) DeleteArticle(ctx context.Context, id string) error {
	return s.write(func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		synced, err := s.viewSynced()
		if err != nil {
			return err
		}
		gone, err := s.labelQuads(ctx, quad.IRI(schema.ArticleIRI(id)))
		if err != nil {
			return fmt.Errorf("read article %s for deletion: %w", id, err)
		}
		vd := newViewDelta()
		vd.article(gone, -1)
		if err := s.replace(ctx, "delete article "+id, gone, nil, synced, vd); err != nil {
			return err
		}
		s.setHash(id, "")
		return nil
	})
}

// replace deletes the quads old and adds new as one atomic change: on
// bbolt two ApplyDeltas (deletes, then adds: never mixed, Cayley bug #885)
// inside one bbolt transaction that also updates the read view
// (fileKV.group); on PostgreSQL one ApplyDeltas, which runs as one SQL
// transaction and has no such bug, of the difference only (diffQuads); on
// memstore two calls under the store's lock. On bbolt every old quad goes
// and every new one comes, even those both versions share: an article's
// label node then loses its last quad and comes back with a new id and a
// fresh index entry, so its lookups do not slow down with each replace
// (TestBoltChurn; Cayley never prunes dead index entries). Callers hold
// mu for writing, inside a session.
func (s *Store) replace(ctx context.Context, op string, old, new []quad.Quad, synced bool, vd *viewDelta) error {
	del, add := old, new
	if s.backend == "postgres" {
		del, add = diffQuads(old, new)
	}
	dels := graph.NewTransactionN(len(del))
	removeQuads(dels, del)
	adds := graph.NewTransactionN(len(add))
	for _, q := range add {
		adds.AddQuad(q)
	}
	opts := graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}
	each := func() error {
		for _, tx := range []*graph.Transaction{dels, adds} {
			if len(tx.Deltas) == 0 {
				continue
			}
			if err := s.qs.ApplyDeltas(tx.Deltas, opts); err != nil {
				return err
			}
		}
		return nil
	}
	var err error
	switch {
	case s.fkv != nil:
		err = s.fkv.group(ctx, func(tx hkv.Tx) error {
			if err := each(); err != nil {
				return err
			}
			if !synced {
				return nil // the view stays behind, unused, until the next writable open rebuilds it
			}
			return applyViewKV(ctx, tx, vd)
		})
	case s.backend == "postgres":
		if all := append(dels.Deltas, adds.Deltas...); len(all) > 0 {
			err = s.qs.ApplyDeltas(all, opts)
		}
	default:
		err = each()
	}
	if err != nil {
		return s.fail(op, err)
	}
	return nil
}

// quadKey identifies a quad as Cayley does: by the hashes of its values.
type quadKey [4]refs.ValueHash

func keyOf(q quad.Quad) quadKey {
	var k quadKey
	for i, d := range quad.Directions {
		if v := q.Get(d); v != nil {
			k[i] = refs.HashOf(v)
		}
	}
	return k
}

// diffQuads returns the quads of old that new lacks and those of new that
// old lacks: a quad both deleted and added in one PostgreSQL transaction
// would be lost (Cayley adds before it deletes).
func diffQuads(old, new []quad.Quad) (del, add []quad.Quad) {
	had := make(map[quadKey]bool, len(old))
	for _, q := range old {
		had[keyOf(q)] = true
	}
	has := make(map[quadKey]bool, len(new))
	for _, q := range new {
		k := keyOf(q)
		has[k] = true
		if !had[k] {
			add = append(add, q)
		}
	}
	for _, q := range old {
		if !has[keyOf(q)] {
			del = append(del, q)
		}
	}
	return del, add
}

// labelQuads returns every live quad labelled with an article's IRI. On
// KV stores opened by this package the label index makes this read only
// the article's quads.
func (s *Store) labelQuads(ctx context.Context, label quad.Value) ([]quad.Quad, error) {
	var quads []quad.Quad
	err := s.eachQuad(ctx, quad.Label, label, func(q quad.Quad) error {
		quads = append(quads, q)
		return nil
	})
	return quads, err
}

// removeQuads adds the deletion of quads to tx, except those with a nil
// direction, which cannot be matched for deletion (Stats and kg check
// still show them).
func removeQuads(tx *graph.Transaction, quads []quad.Quad) {
	for _, q := range quads {
		if q.Subject != nil && q.Predicate != nil && q.Object != nil {
			tx.RemoveQuad(q)
		}
	}
}
