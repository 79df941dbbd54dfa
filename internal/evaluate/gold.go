// Package evaluate measures extraction against hand-written gold facts:
// precision, recall and F1 of facts (overall, per PLOVER type, per
// language), entity, date and modality scores, and French–English
// agreement on parallel corpora. Its numbers are those of
// ../shared/eval/score.py and crossling.py (a test holds them equal); the
// gold format and what to annotate are fixed by docs/annotation.md.
//
// It reads gold files and predictions (the JSON Lines records of `kg
// extract --format jsonl`, or an ingest.Result converted to them) and
// writes nothing but its reports.
package evaluate

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/kg-news/kg/schema"
)

// The two halves of the gold. A document's half is fixed by its id's hash
// (Split), so nobody chooses which documents are held out.
const (
	Tune    = "tune"
	HeldOut = "held-out"
)

// Split returns the half a document belongs to: held-out when the first
// byte of the SHA-256 of its id is odd, tune when it is even.
func Split(doc string) string {
	if sum := sha256.Sum256([]byte(doc)); sum[0]&1 == 1 {
		return HeldOut
	}
	return Tune
}

// Specs is one or several entity specs: a Wikidata id ("Q423"), a type
// ("type:country") or names ("name:Ri Yong-ho|Ri Yong Ho"). Gold files
// write it as a string or a list of strings.
type Specs []string

// UnmarshalJSON accepts a string or a list of strings.
func (s *Specs) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = Specs{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a spec or a list of specs: %v", err)
	}
	*s = many
	return nil
}

// Alt is one alternative reading of a gold fact; a predicted fact matches
// it when every field given matches. Events and Relations left empty match
// anything.
type Alt struct {
	S         Specs `json:"s"`
	Events    Specs `json:"event"`
	Relations Specs `json:"p"`
	O         Specs `json:"o"`
	Sym       bool  `json:"sym"`
}

// GoldFact is one gold fact of a document.
type GoldFact struct {
	Doc      string   `json:"doc"`
	Name     string   `json:"fact"`
	Any      []Alt    `json:"any"`
	Optional bool     `json:"optional"`
	Dates    []string `json:"dates"`
	Modality string   `json:"modality"`
	Note     string   `json:"note"`
	Split    string   `json:"split"`
	// Where is FILE:LINE of the gold line, for messages.
	Where string `json:"-"`
}

// Type is the PLOVER type a fact is counted under in the per-type scores:
// the first event of its first alternative that names one, or "-" for a
// fact that is not an event (signs, leader_of, ...).
func (g *GoldFact) Type() string {
	for _, a := range g.Any {
		if len(a.Events) > 0 {
			return a.Events[0]
		}
	}
	return "-"
}

// GoldDoc is what the gold says of one document.
type GoldDoc struct {
	ID       string
	Split    string
	Entities []string // specs kg must find
	Also     []string // Wikidata ids right to find but not required
	Facts    []*GoldFact
}

// Gold is a gold standard: documents by id.
type Gold struct {
	Docs map[string]*GoldDoc
}

// IDs returns the gold's document ids, sorted.
func (g *Gold) IDs() []string {
	ids := make([]string, 0, len(g.Docs))
	for id := range g.Docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Only returns the gold restricted to the documents of one split ("" or
// "all" keeps everything). A document's split is the one its lines state,
// else the one its id hashes to.
func (g *Gold) Only(split string) *Gold {
	if split == "" || split == "all" {
		return g
	}
	out := &Gold{Docs: map[string]*GoldDoc{}}
	for id, d := range g.Docs {
		if d.Split == split {
			out.Docs[id] = d
		}
	}
	return out
}

// Counts summarises a gold: documents, required and optional facts, and
// required facts per PLOVER type.
type Counts struct {
	Docs, Required, Optional int
	PerType                  map[string]int
}

// Count returns the gold's counts.
func (g *Gold) Count() Counts {
	c := Counts{Docs: len(g.Docs), PerType: map[string]int{}}
	for _, d := range g.Docs {
		for _, f := range d.Facts {
			if f.Optional {
				c.Optional++
				continue
			}
			c.Required++
			c.PerType[f.Type()]++
		}
	}
	return c
}

// goldLine is any line of a gold file: an entities line or a fact line.
type goldLine struct {
	GoldFact
	Entities *[]string `json:"entities"`
	Also     []string  `json:"also"`
}

// LoadGold reads gold files (JSON Lines, the format of
// ../shared/eval/README.md plus an optional "split" on each line). Errors
// name FILE:LINE. A line whose split disagrees with its document's hash,
// a fact without alternatives or without s and o, a modality or PLOVER
// type that does not exist, are errors: a gold that scores wrongly is
// worse than none.
func LoadGold(paths ...string) (*Gold, error) {
	g := &Gold{Docs: map[string]*GoldDoc{}}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		err = readGold(g, p, f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return g, nil
}

// ReadGold reads one gold stream into a new Gold; name is used in errors.
func ReadGold(name string, r io.Reader) (*Gold, error) {
	g := &Gold{Docs: map[string]*GoldDoc{}}
	if err := readGold(g, name, r); err != nil {
		return nil, err
	}
	return g, nil
}

// plover is the set of PLOVER's 16 event types, the only values an
// "event" may take.
var plover = map[string]bool{
	"AGREE": true, "CONSULT": true, "SUPPORT": true, "CONCEDE": true, "COOPERATE": true,
	"AID": true, "RETREAT": true, "REQUEST": true, "ACCUSE": true, "REJECT": true,
	"THREATEN": true, "PROTEST": true, "SANCTION": true, "MOBILIZE": true, "COERCE": true,
	"ASSAULT": true,
}

func readGold(g *Gold, name string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	seen := map[string]string{} // doc + fact name -> where
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		where := fmt.Sprintf("%s:%d", name, n)
		var l goldLine
		if err := json.Unmarshal(line, &l); err != nil {
			return fmt.Errorf("%s: not a gold line: %v", where, err)
		}
		if l.Doc == "" {
			return fmt.Errorf("%s: no \"doc\"", where)
		}
		if l.Split != "" && l.Split != Split(l.Doc) {
			return fmt.Errorf("%s: split %q, but %s hashes to %q", where, l.Split, l.Doc, Split(l.Doc))
		}
		d := g.Docs[l.Doc]
		if d == nil {
			d = &GoldDoc{ID: l.Doc, Split: Split(l.Doc)}
			g.Docs[l.Doc] = d
		}
		if l.Entities != nil {
			d.Entities = append(d.Entities, *l.Entities...)
			for _, a := range l.Also {
				if isQID(a) {
					d.Also = append(d.Also, a)
				}
			}
			continue
		}
		f := l.GoldFact
		f.Where = where
		if f.Name == "" {
			return fmt.Errorf("%s: neither \"entities\" nor \"fact\"", where)
		}
		if prev, ok := seen[f.Doc+"\x00"+f.Name]; ok {
			return fmt.Errorf("%s: fact %q of %s is already at %s", where, f.Name, f.Doc, prev)
		}
		seen[f.Doc+"\x00"+f.Name] = where
		if len(f.Any) == 0 {
			return fmt.Errorf("%s: fact %q has no alternatives (\"any\")", where, f.Name)
		}
		for i, a := range f.Any {
			if len(a.S) == 0 || len(a.O) == 0 {
				return fmt.Errorf("%s: fact %q, alternative %d: want both \"s\" and \"o\"", where, f.Name, i+1)
			}
			for _, e := range a.Events {
				if !plover[e] {
					return fmt.Errorf("%s: fact %q: %q is not a PLOVER type", where, f.Name, e)
				}
			}
			for _, s := range append(append(Specs{}, a.S...), a.O...) {
				if err := checkSpec(s); err != nil {
					return fmt.Errorf("%s: fact %q: %v", where, f.Name, err)
				}
			}
		}
		switch f.Modality {
		case "", "asserted", "negated", "hypothetical":
		default:
			return fmt.Errorf("%s: fact %q: modality %q: want asserted, negated or hypothetical", where, f.Name, f.Modality)
		}
		for _, dt := range f.Dates {
			if !schema.ValidDate(dt) {
				return fmt.Errorf("%s: fact %q: date %q: want YYYY, YYYY-MM or YYYY-MM-DD", where, f.Name, dt)
			}
		}
		d.Facts = append(d.Facts, &f)
	}
	return sc.Err()
}

func checkSpec(s string) error {
	switch {
	case strings.HasPrefix(s, "type:"), strings.HasPrefix(s, "name:"):
		if len(s) == 5 {
			return fmt.Errorf("empty spec %q", s)
		}
		return nil
	case isQID(s):
		return nil
	}
	return fmt.Errorf("spec %q: want a Wikidata id, type:X or name:A|B", s)
}
