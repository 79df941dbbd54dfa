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

// PloverActor is an actor or recipient of a PLOVER record. The PLOVER
// manual recommends Wikidata ids for actors; Wikidata is empty for an
// entity kg could not link, whose kg id is then in ID.
type PloverActor struct {
	Name     string `json:"name"`
	Wikidata string `json:"wikidata,omitempty"`
	ID       string `json:"id"`
	Type     string `json:"type,omitempty"`
}

// PloverRecord is one event in PLOVER's JSON form. Field names follow the
// PLOVER manual (id, date, event_type, mode, context, actor, recipient,
// text, citation, source); actor and recipient are lists because PLOVER
// allows compound actors ("the EU and the US condemned ..."). Modality
// carries the manual's auxiliary modes: "negated" and "hypothetical"
// records did not (or not yet) happen and should be filtered by consumers
// that count events. The kg_* fields are kg's own, for going back to the
// graph.
type PloverRecord struct {
	ID         string        `json:"id"`
	Date       *string       `json:"date"` // YYYY[-MM[-DD]]; null when unknown
	EventType  string        `json:"event_type"`
	Mode       string        `json:"mode"`
	Context    []string      `json:"context"`
	Actor      []PloverActor `json:"actor"`
	Recipient  []PloverActor `json:"recipient"`
	Text       string        `json:"text"`
	Citation   string        `json:"citation"`
	Modality   string        `json:"modality"`
	Source     string        `json:"source"`
	Confidence float64       `json:"confidence"`
	Relations  []string      `json:"kg_relations"`
	Facts      []string      `json:"kg_facts"`
}

// ploverGroup accumulates facts that describe one event.
type ploverGroup struct {
	rec        PloverRecord
	actors     map[string]bool
	recipients map[string]bool
	relations  map[string]bool
	key        string
}

func actorOf(r schema.EntityRef) PloverActor {
	a := PloverActor{Name: validUTF8(r.Name), ID: validUTF8(r.ID), Type: validUTF8(r.Type)}
	if schema.IsQID(r.ID) {
		a.Wikidata = r.ID
	}
	return a
}

// PLOVER writes one JSON line per event in PLOVER form. Facts without a
// PLOVER event (roles, signing, locations) are skipped. Facts from the same
// article and sentence with the same event type, mode, modality, date and
// recipient become one record with a list of actors ("the EU and the US
// denounced North Korea"); records that then share everything but the
// recipient merge into one with a list of recipients. Records come in date
// order (undated last), then by id, so runs are comparable.
func PLOVER(w io.Writer, facts []schema.Fact) error {
	join := func(parts ...string) string { return strings.Join(parts, "\x1f") }
	var order []*ploverGroup
	byKey := map[string]*ploverGroup{}
	seenFact := map[string]bool{}
	for _, f := range facts {
		if f.Event == "" || !usable(f) {
			continue
		}
		fid := factID(f)
		if seenFact[fid] {
			continue
		}
		seenFact[fid] = true
		base := join(f.Doc, f.Evidence.Sentence, f.Event, f.Mode, string(f.Modality), f.Date)
		k := join(base, f.Object.ID)
		gr := byKey[k]
		if gr == nil {
			gr = &ploverGroup{key: base, actors: map[string]bool{}, recipients: map[string]bool{}, relations: map[string]bool{}}
			gr.rec = PloverRecord{EventType: f.Event, Mode: validUTF8(f.Mode), Context: []string{},
				Text: validUTF8(f.Evidence.Sentence), Citation: validUTF8(f.Doc), Modality: string(f.Modality), Source: "kg"}
			if f.Date != "" {
				d := validUTF8(f.Date)
				gr.rec.Date = &d
			}
			if gr.rec.Modality == "" {
				gr.rec.Modality = string(schema.Asserted)
			}
			gr.rec.Recipient = []PloverActor{actorOf(f.Object)}
			gr.recipients[f.Object.ID] = true
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
				if !m.recipients[r.ID] {
					m.recipients[r.ID] = true
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
