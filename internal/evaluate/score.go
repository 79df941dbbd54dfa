package evaluate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Ent is an entity as a prediction names it: the subject or object of a
// fact, or an entity record. Country and Sector mark a sector actor ("the
// Israeli army": Israel, military), which matches a gold spec naming its
// country.
type Ent struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Country string `json:"country,omitempty"`
	Sector  string `json:"sector,omitempty"`
}

// Pred is one record of `kg extract --format jsonl`: a fact or an entity.
type Pred struct {
	Kind     string `json:"kind"`
	Doc      string `json:"doc"`
	Subject  *Ent   `json:"subject,omitempty"`
	Relation string `json:"relation,omitempty"`
	Event    string `json:"event,omitempty"`
	Object   *Ent   `json:"object,omitempty"`
	Date     string `json:"date,omitempty"`
	Modality string `json:"modality,omitempty"`
	// Entity records carry their fields at the top level.
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Type    string `json:"type,omitempty"`
	Country string `json:"country,omitempty"`
	Sector  string `json:"sector,omitempty"`
}

// ReadPreds reads prediction records (JSON Lines); name is used in errors.
func ReadPreds(name string, r io.Reader) ([]Pred, error) {
	var out []Pred
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var p Pred
		if err := json.Unmarshal(line, &p); err != nil {
			return nil, fmt.Errorf("%s:%d: not a prediction record: %v", name, n, err)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

var qidEnd = regexp.MustCompile(`Q[0-9]+$`)

// qidOf is the Wikidata id an id ends with ("Q423",
// "http://www.wikidata.org/entity/Q423"), or "".
func qidOf(id string) string { return qidEnd.FindString(id) }

func isQID(s string) bool { return len(s) > 1 && qidOf(s) == s }

var folder = cases.Fold()

// normName is the scorer's name comparison: accents dropped (NFKD minus
// combining marks), full case folding, every run of characters other than
// ASCII letters and digits one space.
func normName(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	for _, r := range s {
		if combining(r) {
			continue
		}
		b.WriteRune(r)
	}
	s = folder.String(b.String())
	b.Reset()
	space := false
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// combining reports whether r has a non-zero canonical combining class,
// which is what Python's unicodedata.combining tests.
func combining(r rune) bool {
	return r >= 0x300 && norm.NFD.PropertiesString(string(r)).CCC() != 0
}

func specMatch(specs Specs, e *Ent) bool {
	for _, s := range specs {
		if specMatch1(s, e) {
			return true
		}
	}
	return false
}

func specMatch1(spec string, e *Ent) bool {
	if e == nil {
		e = &Ent{}
	}
	switch {
	case strings.HasPrefix(spec, "type:"):
		t, want := folder.String(e.Type), folder.String(spec[5:])
		return t == want || strings.HasPrefix(t, want+"/")
	case strings.HasPrefix(spec, "name:"):
		n := normName(e.Name)
		if n == "" {
			return false
		}
		for _, a := range strings.Split(spec[5:], "|") {
			if normName(a) == n {
				return true
			}
		}
		return false
	}
	if q := qidOf(e.ID); q != "" && q == spec {
		return true
	}
	// A sector actor ("the Israeli army": Israel, military) stands for its
	// country, as PLOVER codes actors by country and sector.
	return e.Sector != "" && qidOf(e.Country) != "" && qidOf(e.Country) == spec
}

func oneOf(want Specs, got string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if w == got {
			return true
		}
	}
	return false
}

// asserted are the modalities a gold "asserted" accepts.
func asserted(m string) bool {
	switch m {
	case "", "asserted", "reported", "alleged", "claimed":
		return true
	}
	return false
}

func modalityOK(g *GoldFact, p *Pred) bool {
	want := g.Modality
	if want == "" || want == "asserted" {
		return asserted(p.Modality)
	}
	return p.Modality == want
}

func altMatch(a *Alt, p *Pred) bool {
	if !oneOf(a.Events, p.Event) || !oneOf(a.Relations, p.Relation) {
		return false
	}
	if specMatch(a.S, p.Subject) && specMatch(a.O, p.Object) {
		return true
	}
	return a.Sym && specMatch(a.S, p.Object) && specMatch(a.O, p.Subject)
}

// argsMatch is a match that ignores modality: used to score modality on
// its own.
func argsMatch(g *GoldFact, p *Pred) bool {
	for i := range g.Any {
		if altMatch(&g.Any[i], p) {
			return true
		}
	}
	return false
}

func itemMatch(g *GoldFact, p *Pred) bool { return modalityOK(g, p) && argsMatch(g, p) }

func dateOK(gold, got string) bool { return got != "" && strings.HasPrefix(got, gold) }

// predFact is a deduplicated predicted fact with every date it was seen with.
type predFact struct {
	*Pred
	dates map[string]bool
}

func side(e *Ent) string {
	if e == nil {
		return ""
	}
	if q := qidOf(e.ID); q != "" {
		return q
	}
	if e.ID != "" {
		return e.ID
	}
	return normName(e.Name)
}

func factKey(p *Pred) string {
	m := p.Modality
	if m == "" {
		m = "asserted"
	}
	return strings.Join([]string{side(p.Subject), p.Relation, p.Event, side(p.Object), m}, "\x1f")
}

// Counts of one document, or summed over many; the fields of score.py's
// per-document record.
type Tally struct {
	Pred      int `json:"pred"`        // predicted facts, deduplicated
	PredOK    int `json:"pred_ok"`     // of which match a gold fact, required or optional
	Req       int `json:"req"`         // required gold facts
	ReqHit    int `json:"req_hit"`     // of which found
	Dates     int `json:"dates"`       // gold dates of found facts
	DatesOK   int `json:"dates_ok"`    // of which found on a matching fact
	Ent       int `json:"ent"`         // required entity specs
	EntHit    int `json:"ent_hit"`     // of which found
	EntPred   int `json:"ent_pred"`    // predicted Wikidata ids
	EntPredOK int `json:"ent_pred_ok"` // of which the gold lists
	// ModArgs counts required gold facts found when modality is ignored;
	// ModOK those of them whose modality is right too.
	ModArgs int `json:"mod_args"`
	ModOK   int `json:"mod_ok"`
}

func (t *Tally) add(o Tally) {
	t.Pred += o.Pred
	t.PredOK += o.PredOK
	t.Req += o.Req
	t.ReqHit += o.ReqHit
	t.Dates += o.Dates
	t.DatesOK += o.DatesOK
	t.Ent += o.Ent
	t.EntHit += o.EntHit
	t.EntPred += o.EntPred
	t.EntPredOK += o.EntPredOK
	t.ModArgs += o.ModArgs
	t.ModOK += o.ModOK
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Precision of facts.
func (t Tally) Precision() float64 { return ratio(t.PredOK, t.Pred) }

// Recall of required facts.
func (t Tally) Recall() float64 { return ratio(t.ReqHit, t.Req) }

// F1 of facts.
func (t Tally) F1() float64 { return f1(t.Precision(), t.Recall()) }

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// DateAccuracy is the share of gold dates of found facts that kg gave.
func (t Tally) DateAccuracy() float64 { return ratio(t.DatesOK, t.Dates) }

// EntityRecall is the share of required entity specs found.
func (t Tally) EntityRecall() float64 { return ratio(t.EntHit, t.Ent) }

// EntityPrecision is the share of predicted Wikidata ids the gold lists.
func (t Tally) EntityPrecision() float64 { return ratio(t.EntPredOK, t.EntPred) }

// ModalityAccuracy is the share of found-ignoring-modality facts whose
// modality is right.
func (t Tally) ModalityAccuracy() float64 { return ratio(t.ModOK, t.ModArgs) }

// TypeTally scores one PLOVER type: required gold facts of that type and
// how many were found; predicted facts with that event and how many are
// right.
type TypeTally struct {
	Gold   int `json:"gold"`
	Found  int `json:"found"`
	Pred   int `json:"pred"`
	PredOK int `json:"pred_ok"`
}

// Precision of the type's predicted facts.
func (t TypeTally) Precision() float64 { return ratio(t.PredOK, t.Pred) }

// Recall of the type's gold facts.
func (t TypeTally) Recall() float64 { return ratio(t.Found, t.Gold) }

// F1 of the type.
func (t TypeTally) F1() float64 { return f1(t.Precision(), t.Recall()) }

// Miss is a required gold fact no prediction matched.
type Miss struct {
	Doc, Fact, Type, Note string
}

// Extra is a predicted fact that matches no gold fact.
type Extra struct {
	Doc  string
	Fact *Pred
}

// Score is the result of scoring one set of predictions against a gold.
type Score struct {
	Total   Tally                 `json:"total"`
	PerDoc  map[string]Tally      `json:"per_doc"`
	PerType map[string]*TypeTally `json:"per_type"`
	Misses  []Miss                `json:"-"`
	Extras  []Extra               `json:"-"`
	// NoEntity lists, per document, the required entity specs not found;
	// ExtraEntity the predicted ids the gold does not list.
	NoEntity    []Miss `json:"-"`
	ExtraEntity []Miss `json:"-"`
}

// ScoreDocs scores predictions against the gold documents whose ids are
// in only (all of the gold's when only is nil), as score.py does with
// --corpus. Predictions for other documents are ignored.
func ScoreDocs(g *Gold, preds []Pred, only map[string]bool) *Score {
	docs := map[string]bool{}
	for id := range g.Docs {
		if only == nil || only[id] {
			docs[id] = true
		}
	}
	facts := map[string][]*predFact{}
	index := map[string]map[string]*predFact{}
	ents := map[string][]*Ent{}
	for i := range preds {
		p := &preds[i]
		if !docs[p.Doc] {
			continue
		}
		switch p.Kind {
		case "fact":
			k := factKey(p)
			if index[p.Doc] == nil {
				index[p.Doc] = map[string]*predFact{}
			}
			if f, ok := index[p.Doc][k]; ok {
				f.dates[p.Date] = true
			} else {
				f := &predFact{Pred: p, dates: map[string]bool{p.Date: true}}
				index[p.Doc][k] = f
				facts[p.Doc] = append(facts[p.Doc], f)
			}
			ents[p.Doc] = append(ents[p.Doc], p.Subject, p.Object)
		case "entity":
			ents[p.Doc] = append(ents[p.Doc], &Ent{ID: p.ID, Name: p.Name, Type: p.Type, Country: p.Country, Sector: p.Sector})
		}
	}
	s := &Score{PerDoc: map[string]Tally{}, PerType: map[string]*TypeTally{}}
	ids := make([]string, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	typ := func(t string) *TypeTally {
		if s.PerType[t] == nil {
			s.PerType[t] = &TypeTally{}
		}
		return s.PerType[t]
	}
	for _, id := range ids {
		d := g.Docs[id]
		preds := facts[id]
		var t Tally
		t.Pred = len(preds)
		for _, p := range preds {
			ok := false
			for _, gf := range d.Facts {
				if itemMatch(gf, p.Pred) {
					ok = true
					break
				}
			}
			ev := p.Event
			if ev == "" {
				ev = "-" // not an event: signs, leader_of, ...
			}
			typ(ev).Pred++
			if ok {
				typ(ev).PredOK++
			}
			if ok {
				t.PredOK++
			} else {
				s.Extras = append(s.Extras, Extra{Doc: id, Fact: p.Pred})
			}
		}
		for _, gf := range d.Facts {
			if gf.Optional {
				continue
			}
			t.Req++
			typ(gf.Type()).Gold++
			hit, args := false, false
			for _, p := range preds {
				if argsMatch(gf, p.Pred) {
					args = true
					if modalityOK(gf, p.Pred) {
						hit = true
						break
					}
				}
			}
			if args {
				t.ModArgs++
				if hit {
					t.ModOK++
				}
			}
			if !hit {
				s.Misses = append(s.Misses, Miss{Doc: id, Fact: gf.Name, Type: gf.Type(), Note: gf.Note})
				continue
			}
			t.ReqHit++
			typ(gf.Type()).Found++
			for _, gd := range gf.Dates {
				t.Dates++
				found := false
				for _, p := range preds {
					if !itemMatch(gf, p.Pred) {
						continue
					}
					for dt := range p.dates {
						if dateOK(gd, dt) {
							found = true
						}
					}
				}
				if found {
					t.DatesOK++
				}
			}
		}
		t.Ent = len(d.Entities)
		for _, sp := range d.Entities {
			found := false
			for _, e := range ents[id] {
				if specMatch1(sp, e) {
					found = true
					break
				}
			}
			if found {
				t.EntHit++
			} else {
				s.NoEntity = append(s.NoEntity, Miss{Doc: id, Fact: sp})
			}
		}
		if len(d.Entities) > 0 {
			goldQ := map[string]bool{}
			for _, sp := range d.Entities {
				if isQID(sp) {
					goldQ[sp] = true
				}
			}
			for _, a := range d.Also {
				goldQ[a] = true
			}
			predQ := map[string]bool{}
			for _, e := range ents[id] {
				if e != nil && qidOf(e.ID) != "" {
					predQ[qidOf(e.ID)] = true
				}
			}
			t.EntPred = len(predQ)
			var extra []string
			for q := range predQ {
				if goldQ[q] {
					t.EntPredOK++
				} else {
					extra = append(extra, q)
				}
			}
			sort.Strings(extra)
			for _, q := range extra {
				s.ExtraEntity = append(s.ExtraEntity, Miss{Doc: id, Fact: q})
			}
		}
		s.PerDoc[id] = t
		s.Total.add(t)
	}
	return s
}
