package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"sort"
	"strings"

	"github.com/kg-news/kg/schema"
)

// PloverEntity is an actor or recipient. The PLOVER manual's entity
// object names the Wikidata id identifier_id and its name identifier_text;
// name and wikidata say the same in short (empty wikidata: an entity kg
// could not link, whose own id is in kg_id). The manual's code (a country
// code) and sector are not filled: kg does not extract them.
type PloverEntity struct {
	Name           string `json:"name"`
	Wikidata       string `json:"wikidata,omitempty"`
	IdentifierID   string `json:"identifier_id,omitempty"`
	IdentifierText string `json:"identifier_text,omitempty"`
	KGID           string `json:"kg_id"`
	KGType         string `json:"kg_type,omitempty"`
	// Country and Sector code the actor as PLOVER does: a country's
	// Wikidata id and, for a sector actor ("Kenyan police"), its sector.
	Country string `json:"country,omitempty"`
	Sector  string `json:"sector,omitempty"`
}

// PloverTextInfo locates the evidence sentence in its article, as byte
// offsets (the manual's text_info start and end).
type PloverTextInfo struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// PloverCiteInfo is the manual's cite_info object: where the text came
// from and what coded it.
type PloverCiteInfo struct {
	Citation string `json:"citation"` // the article id
	URL      string `json:"url,omitempty"`
	Title    string `json:"title,omitempty"`
	Language string `json:"language,omitempty"`
	Coder    string `json:"coder"`
	Codebook string `json:"codebook"`
}

// ploverCodebook names the mapping from kg relations to PLOVER types.
const ploverCodebook = "plover-base via kg schema/relations.tsv"

// PloverRecord is one event as a PLOVER JSON record. Names follow the
// PLOVER manual's JSON table: id, date, actor and recipient (lists, since
// PLOVER allows compound actors), event, mode and context (lists), text,
// text_info, cite_info, coder, comment. event_type (the event as one
// string, as NGEC/POLECAT output has it), citation (the article id) and
// source ("kg") repeat what those say in the short form notebooks use.
// Modality carries the manual's auxiliary modes: "negated" and
// "hypothetical" records did not (or not yet) happen, and consumers that
// count events should drop them. Fields named kg_* are kg's own, to go
// back to the graph.
type PloverRecord struct {
	ID         string          `json:"id"`
	Date       *string         `json:"date"`      // YYYY-MM-DD, or YYYY-MM / YYYY when the text says no more; null when unknown
	Published  *string         `json:"published"` // the article's publication date, as precise as known; null when unknown
	Event      []string        `json:"event"`
	EventType  string          `json:"event_type"`
	Mode       []string        `json:"mode"`
	Context    []string        `json:"context"`
	Actor      []PloverEntity  `json:"actor"`
	Recipient  []PloverEntity  `json:"recipient"`
	Text       string          `json:"text"`
	TextInfo   *PloverTextInfo `json:"text_info,omitempty"`
	Citation   string          `json:"citation"`
	CiteInfo   PloverCiteInfo  `json:"cite_info"`
	Modality   string          `json:"modality"`
	Comment    string          `json:"comment,omitempty"`
	Source     string          `json:"source"`
	Coder      string          `json:"coder"`
	Confidence float64         `json:"confidence"`
	Relations  []string        `json:"kg_relations"`
	Facts      []string        `json:"kg_facts"`
}

// ploverGroup accumulates facts that describe one event.
type ploverGroup struct {
	rec        PloverRecord
	actors     map[string]bool
	recipients map[string]bool
	relations  map[string]bool
	key        string
}

func actorOf(r schema.EntityRef) PloverEntity {
	a := PloverEntity{Name: validUTF8(r.Name), KGID: validUTF8(r.ID), KGType: validUTF8(r.Type)}
	if schema.IsQID(r.ID) {
		a.Wikidata, a.IdentifierID, a.IdentifierText = r.ID, r.ID, a.Name
	}
	switch {
	case r.Sector != "":
		a.Country, a.Sector = validUTF8(r.Country), validUTF8(r.Sector)
	case schema.BaseType(r.Type) == schema.Country:
		a.Country = a.Wikidata
	}
	return a
}

// PLOVER writes one JSON line per event in PLOVER form. Facts without a
// PLOVER event (roles, signing, locations) are skipped. Facts from the same
// article and sentence with the same event type, mode, modality, date and
// recipient become one record with a list of actors ("the EU and the US
// denounced North Korea"); records that then share everything but the
// recipient merge into one with a list of recipients. Records come in date
// order (undated last), then by id, so runs are comparable. Each record
// has the event date (date) and its article's publication date
// (published); arts, if given, fills cite_info's URL, title and language.
func PLOVER(w io.Writer, facts []schema.Fact, arts ...ArticleMeta) error {
	meta := articleIndex(arts)
	join := func(parts ...string) string { return strings.Join(parts, "\x1f") }
	var order []*ploverGroup
	byKey := map[string]*ploverGroup{}
	unique, ids := uniqueFacts(facts)
	for i, f := range unique {
		if f.Event == "" {
			continue
		}
		fid := ids[i]
		base := join(f.Doc, f.Evidence.Sentence, f.Event, f.Mode, string(f.Modality), f.Date)
		k := join(base, f.Object.ID)
		gr := byKey[k]
		if gr == nil {
			gr = &ploverGroup{key: base, actors: map[string]bool{}, recipients: map[string]bool{}, relations: map[string]bool{}}
			gr.rec = PloverRecord{Event: []string{f.Event}, EventType: f.Event, Mode: []string{}, Context: []string{},
				Text: validUTF8(f.Evidence.Sentence), Citation: validUTF8(f.Doc), Modality: string(f.Modality),
				Source: "kg", Coder: "kg"}
			if f.Mode != "" {
				gr.rec.Mode = []string{validUTF8(f.Mode)}
			}
			if f.Evidence.End > f.Evidence.Start {
				gr.rec.TextInfo = &PloverTextInfo{Start: f.Evidence.Start, End: f.Evidence.End}
			}
			a := meta[f.Doc]
			gr.rec.CiteInfo = PloverCiteInfo{Citation: validUTF8(f.Doc), URL: validUTF8(a.URL), Title: validUTF8(a.Title),
				Language: validUTF8(a.Lang), Coder: "kg", Codebook: ploverCodebook}
			if f.Date != "" {
				d := validUTF8(f.Date)
				gr.rec.Date = &d
			}
			if p := published(f, meta); p != "" {
				p = validUTF8(p)
				gr.rec.Published = &p
			}
			switch gr.rec.Modality {
			case "":
				gr.rec.Modality = string(schema.Asserted)
			case string(schema.Negated):
				gr.rec.Comment = "negated: the text denies that this event happened"
			case string(schema.Hypothetical):
				gr.rec.Comment = "hypothetical: the text presents this event as possible, planned or demanded, not as having happened"
			}
			gr.rec.Recipient = []PloverEntity{actorOf(f.Object)}
			gr.recipients[validUTF8(f.Object.ID)] = true
			byKey[k] = gr
			order = append(order, gr)
		}
		if !gr.actors[f.Subject.ID] {
			gr.actors[f.Subject.ID] = true
			gr.rec.Actor = append(gr.rec.Actor, actorOf(f.Subject))
		}
		if !gr.relations[f.Relation] {
			gr.relations[f.Relation] = true
			gr.rec.Relations = append(gr.rec.Relations, validUTF8(f.Relation))
		}
		gr.rec.Facts = append(gr.rec.Facts, fid)
		gr.rec.Confidence = max(gr.rec.Confidence, f.Confidence)
	}
	// second pass: same event and same actors, several recipients
	var merged []*ploverGroup
	byActors := map[string]*ploverGroup{}
	for _, gr := range order {
		ids := make([]string, 0, len(gr.actors))
		for id := range gr.actors {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		k := join(gr.key, strings.Join(ids, "\x1e"))
		if m := byActors[k]; m != nil {
			for _, r := range gr.rec.Recipient {
				if !m.recipients[r.KGID] {
					m.recipients[r.KGID] = true
					m.rec.Recipient = append(m.rec.Recipient, r)
				}
			}
			for _, rel := range gr.rec.Relations {
				if !m.relations[rel] {
					m.relations[rel] = true
					m.rec.Relations = append(m.rec.Relations, rel)
				}
			}
			m.rec.Facts = append(m.rec.Facts, gr.rec.Facts...)
			m.rec.Confidence = max(m.rec.Confidence, gr.rec.Confidence)
			continue
		}
		byActors[k] = gr
		merged = append(merged, gr)
	}
	recs := make([]PloverRecord, 0, len(merged))
	for _, gr := range merged {
		sort.Strings(gr.rec.Facts)
		h := sha256.Sum256([]byte(strings.Join(gr.rec.Facts, " ")))
		gr.rec.ID = "kg-" + hex.EncodeToString(h[:10])
		recs = append(recs, gr.rec)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		di, dj := recs[i].Date, recs[j].Date
		switch {
		case di == nil && dj == nil:
		case di == nil:
			return false
		case dj == nil:
			return true
		case *di != *dj:
			return *di < *dj
		}
		return recs[i].ID < recs[j].ID
	})
	enc := json.NewEncoder(w) // one line per record; escapes <, >, & and controls
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}
