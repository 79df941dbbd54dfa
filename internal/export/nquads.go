package export

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/kg-news/kg/schema"
)

// Vocabulary of the store's data model (internal/graph/write.go). It is
// repeated here rather than imported because export must not depend on
// the store; TestNQuadsModel pins the terms.
var (
	rdfType = quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

	classFact    = voc("Fact")
	classEntity  = voc("Entity")
	classArticle = voc("Article")
)

func voc(term string) quad.IRI { return quad.IRI(safeIRI(schema.Vocab(term))) }

const (
	xsd        = "http://www.w3.org/2001/XMLSchema#"
	xsdDouble  = xsd + "double"
	xsdInteger = xsd + "integer"
)

// dateTypes are the XSD datatypes of kg's dates by their length: a day,
// a month, a year, as precise as the text or the article said.
var dateTypes = map[int]quad.IRI{len("2006-01-02"): xsd + "date", len("2006-01"): xsd + "gYearMonth", len("2006"): xsd + "gYear"}

// DateValue types a kg date (YYYY, YYYY-MM or YYYY-MM-DD) for RDF as
// xsd:gYear, xsd:gYearMonth or xsd:date, so RDF tools compare and sort
// dates rather than strings; anything else stays a plain string.
func DateValue(d string) quad.Value {
	d = strings.TrimSpace(d)
	if t, ok := dateTypes[len(d)]; ok && isDate(d) {
		return quad.TypedString{Value: quad.String(d), Type: t}
	}
	return quad.String(d)
}

// UntypeDate is DateValue's inverse: a typed kg date back to the plain
// string the store holds; other values are returned as they are.
func UntypeDate(v quad.Value) quad.Value {
	if ts, ok := v.(quad.TypedString); ok {
		for _, t := range dateTypes {
			if ts.Type == t {
				return quad.String(ts.Value)
			}
		}
	}
	return v
}

// isDate checks the shape YYYY[-MM[-DD]] (digits and dashes in place).
func isDate(d string) bool {
	for i, c := range []byte(d) {
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// quadSet collects quads without duplicates and without empty literals,
// like the store's own builder, so the same data gives the same quads.
type quadSet struct {
	seen map[quad.Quad]bool
	list []quad.Quad
}

func (qs *quadSet) add(s quad.Value, p quad.IRI, o quad.Value, label quad.Value) {
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
	q := quad.Quad{Subject: s, Predicate: p, Object: o, Label: label}
	if qs.seen[q] {
		return
	}
	qs.seen[q] = true
	qs.list = append(qs.list, q)
}

func (qs *quadSet) str(s quad.Value, p quad.IRI, o string, label quad.Value) {
	if o = strings.TrimSpace(o); o != "" {
		qs.add(s, p, quad.String(o), label)
	}
}

// date adds a date typed by DateValue.
func (qs *quadSet) date(s quad.Value, p quad.IRI, o string, label quad.Value) {
	if o = strings.TrimSpace(o); o != "" {
		qs.add(s, p, DateValue(o), label)
	}
}

// entityQuads adds an entity's node as the store writes it.
func (qs *quadSet) entity(e schema.Entity, label quad.Value) {
	n := quad.IRI(entityIRI(e.ID))
	qs.add(n, rdfType, classEntity, label)
	qs.str(n, voc("label"), e.Name, label)
	for _, name := range append([]string{e.Name}, e.Aliases...) {
		qs.str(n, voc("name"), name, label)
		qs.str(n, voc("key"), schema.Fold(name), label)
	}
	qs.str(n, voc("type"), e.Type, label)
	if schema.IsQID(e.ID) {
		qs.str(n, voc("wikidata"), e.ID, label)
	}
	if e.Country != "" {
		qs.add(n, voc("country"), quad.IRI(entityIRI(e.Country)), label)
	}
	qs.str(n, voc("role"), e.Role, label)
}

// quads builds the graph's quads in the store's data model. Facts are
// grouped by article and labelled with its IRI, and each article's quads
// hold its entities and facts exactly as the store's articleQuads builds
// them. The article node gets its title, date, language, source, URL and
// hash when arts has them (a Graph does not carry them); otherwise only
// its rdf:type. Entities no fact mentions are written without a label
// (the default graph): a Graph does not say which article named them.
func quads(g schema.Graph, arts []ArticleMeta) []quad.Quad {
	meta := articleIndex(arts)
	qs := &quadSet{seen: map[quad.Quad]bool{}}
	byID := map[string]schema.Entity{}
	for _, e := range entities(g) {
		byID[e.ID] = e
	}
	var docs []string
	facts := map[string][]schema.Fact{}
	for _, f := range g.Edges {
		if !usable(f) {
			continue
		}
		if _, ok := facts[f.Doc]; !ok {
			docs = append(docs, f.Doc)
		}
		facts[f.Doc] = append(facts[f.Doc], f)
	}
	sort.Strings(docs)
	mentioned := map[string]bool{}
	for _, doc := range docs {
		var label quad.Value
		if doc != "" {
			label = quad.IRI(schema.ArticleIRI(doc))
			qs.add(label, rdfType, classArticle, label)
			if a, ok := meta[doc]; ok {
				qs.str(label, voc("title"), a.Title, label)
				qs.date(label, voc("date"), a.Date, label)
				qs.str(label, voc("lang"), a.Lang, label)
				qs.str(label, voc("source"), a.Source, label)
				qs.str(label, voc("url"), a.URL, label)
				qs.str(label, voc("hash"), a.Hash, label)
			}
		}
		// the article's entities first, as ingest passes them, then each
		// fact's ends as the fact names them
		seenEnt := map[string]bool{}
		for _, f := range facts[doc] {
			for _, id := range []string{f.Subject.ID, f.Object.ID} {
				if !seenEnt[id] {
					seenEnt[id] = true
					mentioned[id] = true
					qs.entity(byID[id], label)
				}
			}
		}
		seenFact := map[string]bool{}
		for _, f := range facts[doc] {
			iri := schema.FactIRI(f)
			if seenFact[iri] {
				continue // the store keeps the first fact of a key
			}
			seenFact[iri] = true
			qs.entity(schema.Entity{EntityRef: f.Subject}, label)
			qs.entity(schema.Entity{EntityRef: f.Object}, label)
			s, o := quad.IRI(entityIRI(f.Subject.ID)), quad.IRI(entityIRI(f.Object.ID))
			qs.add(s, voc(f.Relation), o, label)

			n := quad.IRI(iri)
			qs.add(n, rdfType, classFact, label)
			qs.add(n, voc("subject"), s, label)
			qs.add(n, voc("object"), o, label)
			qs.str(n, voc("subjectName"), f.Subject.Name, label)
			qs.str(n, voc("subjectType"), f.Subject.Type, label)
			qs.str(n, voc("objectName"), f.Object.Name, label)
			qs.str(n, voc("objectType"), f.Object.Type, label)
			qs.str(n, voc("relation"), f.Relation, label)
			qs.str(n, voc("event"), f.Event, label)
			qs.str(n, voc("mode"), f.Mode, label)
			qs.date(n, voc("date"), f.Date, label)
			qs.date(n, voc("published"), f.Published, label)
			qs.str(n, voc("modality"), string(f.Modality), label)
			qs.add(n, voc("confidence"), quad.Float(f.Confidence), label)
			qs.str(n, voc("sentence"), f.Evidence.Sentence, label)
			if f.Evidence.Sentence != "" || f.Evidence.End > 0 {
				qs.add(n, voc("start"), quad.Int(f.Evidence.Start), label)
				qs.add(n, voc("end"), quad.Int(f.Evidence.End), label)
			}
			qs.str(n, voc("instrument"), f.Instrument, label)
			qs.str(n, voc("speaker"), f.Speaker, label)
			qs.str(n, voc("rule"), f.Rule, label)
			qs.str(n, voc("path"), f.Path, label)
			if doc != "" {
				qs.add(n, voc("article"), label, label)
			}
		}
	}
	for _, e := range entities(g) {
		if !mentioned[e.ID] {
			qs.entity(e, nil)
		}
	}
	return qs.list
}

// NQuads writes the graph as RDF 1.1 N-Quads in the store's data model
// (see package graph): a direct edge <subject> <vocab#relation> <object>
// and a fact node with its properties, each quad labelled with its
// article's IRI. Loading the output into Cayley (or any quad store) gives
// the same quads the store holds for these facts. Literals are escaped per
// the N-Quads grammar (control characters as \uXXXX), numbers typed
// with full XSD IRIs and dates as xsd:date, xsd:gYearMonth or xsd:gYear
// (DateValue), so strict RDF parsers accept the file. arts, if given, adds
// the cited articles' metadata (see ArticleMeta). A selection is not a
// backup: write the whole store with NQuadsWriter and graph.Store.Dump.
func NQuads(w io.Writer, g schema.Graph, arts ...ArticleMeta) error {
	nw := NewNQuadsWriter(w)
	for _, q := range quads(g, arts) {
		if err := nw.Write(q); err != nil {
			return err
		}
	}
	return nw.Close()
}

// NQuadsWriter writes quads as N-Quads the way NQuads does: kg's dates
// (kg:date, kg:published) typed, literals escaped. kg export writes the
// whole store through it, article after article, and ReadNQuads reads that
// back into the values the store holds.
type NQuadsWriter struct {
	nw *nquads.Writer
	n  int64
}

// NewNQuadsWriter returns a writer to w; Close flushes it.
func NewNQuadsWriter(w io.Writer) *NQuadsWriter { return &NQuadsWriter{nw: nquads.NewWriter(w)} }

// Write writes one quad.
func (w *NQuadsWriter) Write(q quad.Quad) error {
	q.Object = typeDate(q.Predicate, q.Object)
	q.Subject, q.Predicate, q.Object = syntax(q.Subject), syntax(q.Predicate), syntax(q.Object)
	if q.Label != nil {
		q.Label = syntax(q.Label)
	}
	if err := w.nw.WriteQuad(q); err != nil {
		return fmt.Errorf("export: n-quads: %w", err)
	}
	w.n++
	return nil
}

// Count is how many quads were written.
func (w *NQuadsWriter) Count() int64 { return w.n }

// Close flushes the output.
func (w *NQuadsWriter) Close() error { return w.nw.Close() }

// datePredicates hold kg's dates: an article's and a fact's kg:date, a
// fact's kg:published.
var datePredicates = map[quad.Value]bool{voc("date"): true, voc("published"): true}

// typeDate types a plain date literal of a date predicate (DateValue).
func typeDate(p, o quad.Value) quad.Value {
	if s, ok := o.(quad.String); ok && datePredicates[p] {
		return DateValue(string(s))
	}
	return o
}

// ArticleQuads is one article's quads read back by ReadNQuads: its id
// (from the graph label), its quads with the values the store holds, and
// where its first quad is ("name:LINE").
type ArticleQuads struct {
	ID    string
	Quads []quad.Quad
	Where string
}

// ReadNQuads reads N-Quads written by kg export --format nquads (the whole
// store) and calls fn with each article's quads in turn. Literals come
// back as the store holds them: xsd:double and xsd:integer as numbers,
// kg's typed dates as plain strings. Every quad must be labelled with a
// kg article IRI, and an article's quads must be together, as kg export
// writes them (so an article is read whole without holding the file in
// memory). A line that breaks these rules, or is not N-Quads, stops the
// read with an error "name:LINE: what".
func ReadNQuads(r io.Reader, name string, fn func(ArticleQuads) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var cur ArticleQuads
	var curLabel quad.Value
	done := map[string]bool{} // articles already passed to fn
	flush := func() error {
		if curLabel == nil {
			return nil
		}
		done[cur.ID] = true
		err := fn(cur)
		cur, curLabel = ArticleQuads{}, nil
		return err
	}
	var buf []byte
	for line := 1; ; line++ {
		buf = buf[:0]
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			buf = append(buf, chunk...)
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		text := bytes.TrimSpace(buf)
		if len(text) > 0 && text[0] != '#' {
			q, perr := nquads.Parse(string(text))
			if perr != nil {
				return fmt.Errorf("%s:%d: not N-Quads: %v", name, line, perr)
			}
			if q.Label == nil {
				return fmt.Errorf("%s:%d: a quad without a graph label: kg reads back N-Quads whose quads each name their article, as kg export --format nquads writes them", name, line)
			}
			if q.Label != curLabel {
				if err := flush(); err != nil {
					return err
				}
				iri, _ := q.Label.(quad.IRI)
				id, ok := schema.ArticleIDFromIRI(string(iri))
				if !ok || schema.ArticleIRI(id) != string(iri) {
					return fmt.Errorf("%s:%d: graph label %v is not a kg article IRI (%s...)", name, line, q.Label, schema.ArticleBase)
				}
				if done[id] {
					return fmt.Errorf("%s:%d: quads of article %q again after other articles: kg reads an article's quads together, as kg export writes them", name, line, id)
				}
				cur, curLabel = ArticleQuads{ID: id, Where: fmt.Sprintf("%s:%d", name, line)}, q.Label
			}
			if datePredicates[q.Predicate] {
				q.Object = UntypeDate(q.Object)
			}
			cur.Quads = append(cur.Quads, q)
		}
		if err == io.EOF {
			break
		}
	}
	return flush()
}

// syntax wraps a value in a type whose String is correct N-Quads: the
// quad library's writer prints v.String(), and quad.String escapes only
// quotes, backslashes and three control characters, while quad.Float and
// quad.Int name their datatype with the unexpanded "xsd:" prefix.
func syntax(v quad.Value) quad.Value {
	switch v := v.(type) {
	case quad.String:
		return ntLiteral{lex: string(v)}
	case quad.Float:
		return ntLiteral{lex: strconv.FormatFloat(float64(v), 'E', -1, 64), dt: xsdDouble}
	case quad.Int:
		return ntLiteral{lex: strconv.FormatInt(int64(v), 10), dt: xsdInteger}
	case quad.TypedString:
		return ntLiteral{lex: string(v.Value), dt: safeIRI(validUTF8(string(v.Type)))}
	case quad.IRI:
		return quad.IRI(safeIRI(validUTF8(string(v))))
	}
	return v
}

// ntLiteral is a literal printed in N-Quads syntax.
type ntLiteral struct {
	lex string
	dt  string // datatype IRI, "" for a plain string
}

// String implements quad.Value with N-Quads escaping.
func (l ntLiteral) String() string {
	s := `"` + escapeLiteral(l.lex) + `"`
	if l.dt != "" {
		s += "^^<" + l.dt + ">"
	}
	return s
}

// Native implements quad.Value.
func (l ntLiteral) Native() any { return l.lex }

// escapeLiteral escapes a string for an N-Quads STRING_LITERAL_QUOTE: the
// grammar forbids raw quotes, backslashes, LF and CR, and other control
// characters, though allowed, trip line-oriented tools, so they become
// \uXXXX escapes too.
func escapeLiteral(s string) string {
	s = validUTF8(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
				fmt.Fprintf(&b, `\u%04X`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
