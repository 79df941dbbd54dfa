// Package export writes a selection of kg's knowledge graph (a
// schema.Graph: entities and the facts between them) in formats other tools
// read: N-Quads and JSON-LD for RDF stores and reasoners, GraphML for
// network tools (networkx, Gephi, yEd), CSV for spreadsheets and pandas,
// and PLOVER JSON Lines for event-data tools.
//
// It imports only schema (and Cayley's quad value library for N-Quads
// syntax), never the store or the renderer: the CLI reads a selection from
// the store and hands it here, so exporters can be tested without a store
// and the store can change without touching them.
//
// Every writer escapes for its own syntax; names and evidence sentences
// come from news text and are treated as hostile (markup, quotes, control
// characters), so the output stays well-formed whatever they hold.
package export

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/kg-news/kg/schema"
)

// ArticleMeta is what the store keeps of an article (everything but its
// text) plus its stored content hash. A schema.Graph names articles by id
// only; passing their metadata to NQuads, JSONLD or PLOVER adds titles,
// dates, URLs and languages, and makes a whole-graph N-Quads export hold
// the store's own article quads.
type ArticleMeta struct {
	schema.Article
	// Hash is the stored schema.Article.Hash; empty to leave it out.
	Hash string
}

// articleIndex maps article ids to their metadata.
func articleIndex(arts []ArticleMeta) map[string]ArticleMeta {
	m := make(map[string]ArticleMeta, len(arts))
	for _, a := range arts {
		if a.ID != "" {
			m[a.ID] = a
		}
	}
	return m
}

// published is a fact's publication date: its own, else (a fact stored
// by a kg that did not keep it) its article's.
func published(f schema.Fact, meta map[string]ArticleMeta) string {
	if f.Published != "" {
		return f.Published
	}
	return meta[f.Doc].Date
}

// Formats lists the format names the CLI accepts, in the order its help
// prints them.
var Formats = []string{"nquads", "jsonld", "graphml", "csv", "plover"}

// entityIRI is schema.EntityIRI made safe for any id: project ids are slugs
// in practice, but a Graph may come from anywhere, and a space or '>' in an
// IRI would break every RDF syntax. For the ids kg produces this returns
// exactly schema.EntityIRI, so exported quads match the store's.
func entityIRI(id string) string { return safeIRI(schema.EntityIRI(id)) }

// safeIRI percent-encodes the bytes the IRI grammar forbids (controls,
// space and <>"{}|\^`), leaving everything else, including non-ASCII
// letters that IRIs allow, as it is.
func safeIRI(s string) string {
	const hexd = "0123456789ABCDEF"
	if !strings.ContainsFunc(s, badIRIRune) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte(`<>"{}|\^`+"`", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func badIRIRune(r rune) bool {
	return r <= ' ' || r == 0x7f || strings.ContainsRune(`<>"{}|\^`+"`", r)
}

// validUTF8 replaces invalid UTF-8 with U+FFFD: every format here is UTF-8
// text, and a stray byte from a badly decoded article would make a strict
// parser reject the whole file.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// entities returns the graph's entities and those named only by its facts
// (a Graph from the store has both ends of every fact among its nodes, but
// a hand-built one may not), in a stable order: nodes as given, then the
// extra ones by id. Nodes without an id are dropped: nothing can point at
// them.
func entities(g schema.Graph) []schema.Entity {
	seen := map[string]bool{}
	var out []schema.Entity
	for _, n := range g.Nodes {
		if n.ID == "" || seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		out = append(out, n)
	}
	var extra []schema.Entity
	for _, f := range g.Edges {
		for _, r := range []schema.EntityRef{f.Subject, f.Object} {
			if r.ID == "" || seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			extra = append(extra, schema.Entity{EntityRef: r})
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i].ID < extra[j].ID })
	return append(out, extra...)
}

// usable reports whether a fact can be exported as an edge: it needs both
// ends and a relation, as the store requires.
func usable(f schema.Fact) bool {
	return f.Subject.ID != "" && f.Object.ID != "" && strings.TrimSpace(f.Relation) != ""
}

// uniqueFacts returns the usable facts of fs with their ids, each id once
// (the first): the store keeps one fact per key, so does an export.
func uniqueFacts(fs []schema.Fact) ([]schema.Fact, []string) {
	var out []schema.Fact
	var ids []string
	seen := map[string]bool{}
	for _, f := range fs {
		if !usable(f) {
			continue
		}
		id := factID(f)
		if seen[id] {
			continue
		}
		seen[id] = true
		out, ids = append(out, f), append(ids, id)
	}
	return out, ids
}

// factID is the fact's IRI, the one the store gives its node; exports use
// it as the edge id so rows can be joined back to the store.
func factID(f schema.Fact) string { return schema.FactIRI(f) }
