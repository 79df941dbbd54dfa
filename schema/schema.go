// Package schema is kg's ontology: entity types, the relation vocabulary with
// its PLOVER mapping, and the records every other package exchanges (Article,
// Entity, Fact, Span). It is the leaf of the import graph: it imports nothing
// from kg, so ingest, graph and render can all depend on it without depending
// on each other.
package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Entity types. A subtype may follow a slash ("document/statement",
// "organization/igo", "location/city"); BaseType strips it.
const (
	Country      = "country"
	Organization = "organization"
	Person       = "person"
	Location     = "location"
	Document     = "document"
	Group        = "group"
)

// EntityTypes lists the base entity types with a one-line description, in
// the order `kg schema` prints them.
var EntityTypes = []struct{ Name, Doc string }{
	{Country, "a sovereign state or territory, and its government when it acts (metonymy: Moscou, the Kremlin)"},
	{Organization, "an international organisation, an organ of one, a company, party, ministry or agency"},
	{Person, "a named person; linked to a country by leader_of, minister_of, member_of"},
	{Location, "a place that is not an actor: a city, region, sea or peninsula"},
	{Document, "a statement, resolution, treaty or agreement that actors sign, adopt or violate"},
	{Group, "an unnamed collective actor: a coalition, 'the allies', demonstrators"},
}

// BaseType returns the type before any "/subtype".
func BaseType(t string) string {
	if i := strings.IndexByte(t, '/'); i >= 0 {
		return t[:i]
	}
	return t
}

// Modality says whether a fact happened, is denied, or is only possible.
type Modality string

// Modalities of a fact (../shared/eval/README.md).
const (
	Asserted     Modality = "asserted"     // stated as having happened, also reported speech
	Negated      Modality = "negated"      // denied or said not to have happened
	Hypothetical Modality = "hypothetical" // future, conditional, possible, demanded
)

// Span is a half-open range of byte offsets [Start, End) into an article's
// text. Offsets are bytes, not runes, so text[Start:End] is the evidence.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the span's length in bytes.
func (s Span) Len() int { return s.End - s.Start }

// Article is one input document.
type Article struct {
	ID     string `json:"id"`
	Title  string `json:"title,omitempty"`
	Text   string `json:"text"`
	Date   string `json:"date,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD: publication date
	Lang   string `json:"lang,omitempty"` // "fr" or "en"
	URL    string `json:"url,omitempty"`
	Source string `json:"source,omitempty"` // the file or stream it came from, as file:line
}

// Hash returns a content hash over the fields that change extraction, so an
// unchanged article can be skipped on re-ingest and a changed one replaced.
func (a Article) Hash() string {
	h := sha256.New()
	for _, s := range []string{a.ID, a.Title, a.Date, a.Lang, a.URL, a.Text} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// EntityRef names an entity as a fact's subject or object. ID is a Wikidata
// id ("Q423") when known, else a stable project id ("person:ri-yong-ho").
type EntityRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	// Country and Sector mark a sector actor, an unnamed collective of one
	// country ("Kenyan police": Q114, police; schema/sectors.tsv): event
	// coders code it as its country plus the sector, so it stands for the
	// country in an event. Both are empty for every other entity; a sector
	// actor's ID never ends in the country's Q-id, so it is not read as
	// the country itself.
	Country string `json:"country,omitempty"`
	Sector  string `json:"sector,omitempty"`
}

// Entity is an entity as found in an article, with the surface forms seen.
type Entity struct {
	EntityRef
	Aliases []string `json:"aliases,omitempty"`
	// Country links a person, organisation or sector actor to its
	// country's id, when known (it hides EntityRef.Country, which only
	// sector actors set, and holds the same id for them).
	Country string `json:"country,omitempty"`
	Role    string `json:"role,omitempty"` // e.g. "president", "foreign minister"
}

// Evidence is the sentence a fact came from and its place in the article.
type Evidence struct {
	Sentence string `json:"sentence"`
	Span
}

// Fact is one typed statement extracted from an article: subject -relation->
// object, with its PLOVER event, date, modality and provenance.
type Fact struct {
	Doc        string    `json:"doc"`
	Subject    EntityRef `json:"subject"`
	Relation   string    `json:"relation"`
	Event      string    `json:"event"` // PLOVER type, or "" for non-events
	Mode       string    `json:"mode"`
	Object     EntityRef `json:"object"`
	Date       string    `json:"date"`                // when it happened: YYYY[-MM[-DD]] or ""
	Published  string    `json:"published,omitempty"` // the article's publication date, as precise as known, or "" (see When)
	Modality   Modality  `json:"modality"`
	Confidence float64   `json:"confidence"`
	Evidence   Evidence  `json:"evidence"`
	// Instrument is the item or means ("missiles balistiques"), if named.
	Instrument string `json:"instrument,omitempty"`
	// Speaker is who reported the fact, for reported speech.
	Speaker string `json:"speaker,omitempty"`
	// Rule and Path explain why the fact exists (kg extract --explain).
	Rule string `json:"rule,omitempty"`
	Path string `json:"path,omitempty"`
}

// What a fact can be dated by (Fact.When).
const (
	ByEvent     = "event"     // Fact.Date: when the text says it happened
	ByPublished = "published" // Fact.Published: when the article came out
)

// When returns the date a fact is placed by, and by which of its dates:
// by ByEvent or ByPublished, that one; by "", the event date when the
// text gives one, else the publication date: news reports what happened
// in the days before it came out, so that is the nearest estimate. date is
// "" when the date chosen is unknown.
func (f Fact) When(by string) (date, used string) {
	switch {
	case by == ByPublished:
		return f.Published, ByPublished
	case by == ByEvent || f.Date != "" || f.Published == "":
		return f.Date, ByEvent
	}
	return f.Published, ByPublished
}

// Key identifies a fact within its article, independent of evidence; two
// facts with the same key are the same statement.
func (f Fact) Key() string {
	return strings.Join([]string{f.Doc, f.Subject.ID, f.Relation, f.Object.ID, f.Date, string(f.Modality)}, "\x1f")
}

// IDs and IRIs.

var qidRE = regexp.MustCompile(`^Q[1-9][0-9]*$`)

// IsQID reports whether id is a Wikidata item id such as "Q423".
func IsQID(id string) bool { return qidRE.MatchString(id) }

// Base IRIs. Wikidata ids map to Wikidata's entity IRIs so the graph joins
// with any other RDF that uses them; everything else gets a project IRI.
const (
	WikidataBase = "http://www.wikidata.org/entity/"
	Base         = "https://kg-news.github.io/"
	EntityBase   = Base + "entity/"
	ArticleBase  = Base + "article/"
	FactBase     = Base + "fact/"
	VocabBase    = Base + "vocab#"
)

// EntityIRI returns the IRI of an entity id.
func EntityIRI(id string) string {
	if IsQID(id) {
		return WikidataBase + id
	}
	return EntityBase + id
}

// EntityIDFromIRI inverts EntityIRI; ok is false for other IRIs.
func EntityIDFromIRI(iri string) (id string, ok bool) {
	if s, ok := strings.CutPrefix(iri, WikidataBase); ok {
		return s, true
	}
	if s, ok := strings.CutPrefix(iri, EntityBase); ok {
		return s, true
	}
	return "", false
}

// ArticleIRI returns the IRI of an article id; it also labels every quad
// extracted from that article.
func ArticleIRI(id string) string { return ArticleBase + escapeIRIPath(id) }

// ArticleIDFromIRI inverts ArticleIRI.
func ArticleIDFromIRI(iri string) (string, bool) {
	s, ok := strings.CutPrefix(iri, ArticleBase)
	if !ok {
		return "", false
	}
	return unescapeIRIPath(s), true
}

// FactIRI returns a stable IRI for a fact: a hash of its key, so the same
// statement from the same article always lands on the same node.
func FactIRI(f Fact) string {
	h := sha256.Sum256([]byte(f.Key()))
	return FactBase + hex.EncodeToString(h[:12])
}

// Vocab returns the IRI of a vocabulary term (a relation or attribute).
func Vocab(term string) string { return VocabBase + term }

// escapeIRIPath percent-encodes the characters an IRI may not hold raw, so
// any article id (a file path, a URL) makes a valid IRI.
func escapeIRIPath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`<>"{}|\^`+"`%", c) >= 0 {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func unescapeIRIPath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := hex.DecodeString(s[i+1 : i+3]); err == nil {
				b = append(b, v[0])
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// Fold normalises a name for matching: accents removed, case folded,
// apostrophes and hyphens unified, runs of space collapsed. "Corée du Nord",
// "COREE DU NORD" and "corée-du-nord" differ only in hyphens after Fold.
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '’' || r == '‘' || r == '`' || r == 'ʼ':
			r = '\''
		case r == '‐' || r == '‑' || r == '–' || r == '—':
			r = '-'
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Slug makes a stable, readable id fragment from a name: "Ri Yong-ho" →
// "ri-yong-ho".
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// ProjectID returns the project id of an entity that has no Wikidata id:
// its base type and the slug of its name ("person/ri-yong-ho").
func ProjectID(typ, name string) string {
	return BaseType(typ) + "/" + Slug(name)
}

// Graph is a selection of the knowledge graph: entities and the facts
// between them. The store returns it and the renderer and exporters draw
// it, so neither needs to know about the other.
type Graph struct {
	Nodes []Entity `json:"nodes"`
	Edges []Fact   `json:"edges"`
}
