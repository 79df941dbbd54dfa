package export

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// Context is the JSON-LD @context of kg's vocabulary (context.jsonld): the
// kg: terms with their datatypes, so compact JSON reads as RDF. JSONLD
// writes it inline, so a file works offline, and kg serve serves it at
// /context.jsonld for documents that prefer to reference it.
//
//go:embed context.jsonld
var Context []byte

// contextTerms are the terms the context defines; classes among them are
// written by their short name in @type.
var contextTerms = func() map[string]bool {
	var c struct {
		Context map[string]json.RawMessage `json:"@context"`
	}
	m := map[string]bool{}
	if err := json.Unmarshal(Context, &c); err != nil {
		return m // TestContext fails on a broken file
	}
	for k := range c.Context {
		m[k] = true
	}
	return m
}()

// jsonldDoc is the document JSONLD writes.
type jsonldDoc struct {
	Context json.RawMessage  `json:"@context"`
	Graph   []map[string]any `json:"@graph"`
}

// JSONLD writes the graph as a JSON-LD document: the @context inline and an
// @graph of article, entity and fact nodes. It is built from the same
// quads as NQuads, so converting it to RDF gives exactly the N-Quads'
// triples (without their article labels; each fact still names its
// article with kg:article). Direct edges appear as properties of the
// subject entity named by the relation ("condemns": [{"@id": ...}]).
// encoding/json escapes <, > and & and control characters, so the output
// is also safe inside an HTML <script type="application/ld+json">. arts,
// if given, adds the cited articles' metadata (see ArticleMeta).
func JSONLD(w io.Writer, g schema.Graph, arts ...ArticleMeta) error {
	return JSONLDQuads(w, quads(g, arts))
}

// JSONLDQuads writes quads (the whole store, from graph.Store.Dump) as
// JSONLD writes a graph's: one node per subject, article labels dropped.
func JSONLDQuads(w io.Writer, qs []quad.Quad) error {
	var c struct {
		Context json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(Context, &c); err != nil {
		return fmt.Errorf("export: context.jsonld: %w", err)
	}
	doc := jsonldDoc{Context: c.Context, Graph: []map[string]any{}}
	index := map[string]map[string]any{}
	seen := map[quad.Quad]bool{}
	for _, q := range qs {
		q.Label = nil // the same triple from two articles is one triple
		q.Object = typeDate(q.Predicate, q.Object)
		if seen[q] {
			continue
		}
		seen[q] = true
		s := iriOf(q.Subject)
		node := index[s]
		if node == nil {
			node = map[string]any{"@id": s}
			index[s] = node
			doc.Graph = append(doc.Graph, node)
		}
		p := iriOf(q.Predicate)
		if q.Predicate == rdfType {
			appendValue(node, "@type", compactClass(iriOf(q.Object)))
			continue
		}
		appendValue(node, propertyKey(p), jsonldValue(q.Object))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func iriOf(v quad.Value) string {
	if i, ok := v.(quad.IRI); ok {
		return validUTF8(string(i))
	}
	return validUTF8(fmt.Sprint(v))
}

// compactClass shortens kg's classes to their context terms.
func compactClass(iri string) string {
	if t, ok := strings.CutPrefix(iri, schema.VocabBase); ok && contextTerms[t] {
		return t
	}
	return iri
}

// propertyKey is the JSON key for a predicate: its term under @vocab, or
// the full IRI when the term is not a plain name (a compact IRI or keyword
// look-alike would expand to something else). A relation that shares a
// context term's name is harmless: its values are node objects, which
// datatype coercion does not touch.
func propertyKey(iri string) string {
	t, ok := strings.CutPrefix(iri, schema.VocabBase)
	if !ok || t == "" || strings.ContainsAny(t, ":@/#%") {
		return iri
	}
	return t
}

// jsonldValue converts a quad value: IRIs become node references, numbers
// stay JSON numbers (the context types them), strings stay strings, and
// typed literals (dates) become value objects with their datatype: kg's
// dates have three precisions, so no one type in the context fits.
func jsonldValue(v quad.Value) any {
	switch v := v.(type) {
	case quad.IRI:
		return map[string]string{"@id": validUTF8(string(v))}
	case quad.String:
		return validUTF8(string(v))
	case quad.Float:
		return float64(v)
	case quad.Int:
		return int64(v)
	case quad.TypedString:
		t := string(v.Type)
		if short, ok := strings.CutPrefix(t, xsd); ok {
			t = "xsd:" + short // the context defines the prefix
		}
		return map[string]string{"@value": validUTF8(string(v.Value)), "@type": validUTF8(t)}
	}
	return validUTF8(fmt.Sprint(v))
}

// appendValue adds a value to a property, turning it into an array on the
// second value; JSON-LD treats a single value and a one-element array the
// same, and single values keep the common case readable.
func appendValue(node map[string]any, key string, v any) {
	old, ok := node[key]
	if !ok {
		node[key] = v
		return
	}
	if list, ok := old.([]any); ok {
		node[key] = append(list, v)
		return
	}
	node[key] = []any{old, v}
}
