package schema

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed relations.tsv
var relationsTSV string

// Relation is one term of kg's relation vocabulary.
type Relation struct {
	Name    string   `json:"name"`
	Event   string   `json:"event,omitempty"` // PLOVER type; "" for non-events
	Mode    string   `json:"mode,omitempty"`  // default PLOVER mode
	Subject []string `json:"subject"`         // allowed subject base types; "*" any
	Object  []string `json:"object"`          // allowed object base types; "*" any
	Meaning string   `json:"meaning"`
}

// Ontology is the relation vocabulary, indexed by name.
type Ontology struct {
	Relations []Relation
	byName    map[string]int
}

// LoadOntology parses the embedded relation vocabulary (relations.tsv).
// Errors name the file and line, so a bad edit is easy to find.
func LoadOntology() (*Ontology, error) {
	return ParseOntology("schema/relations.tsv", relationsTSV)
}

// ParseOntology parses a relation vocabulary in the relations.tsv format;
// name is used in error messages.
func ParseOntology(name, src string) (*Ontology, error) {
	o := &Ontology{byName: map[string]int{}}
	err := EachTSVRow(name, src, 6, "relation", func(_ int, f []string) error {
		r := Relation{Name: f[0], Event: dash(f[1]), Mode: dash(f[2]),
			Subject: strings.Split(f[3], "|"), Object: strings.Split(f[4], "|"), Meaning: f[5]}
		if r.Name == "" || strings.ContainsAny(r.Name, " <>\"") {
			return fmt.Errorf("bad relation name %q", r.Name)
		}
		if r.Event != "" && !IsPLOVER(r.Event) {
			return fmt.Errorf("%q is not a PLOVER event type", r.Event)
		}
		if r.Mode != "" && r.Event != "" && !ploverModeOK(r.Event, r.Mode) {
			return fmt.Errorf("%q is not a mode of %s", r.Mode, r.Event)
		}
		if _, dup := o.byName[r.Name]; dup {
			return fmt.Errorf("relation %q defined twice", r.Name)
		}
		o.byName[r.Name] = len(o.Relations)
		o.Relations = append(o.Relations, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(o.Relations) == 0 {
		return nil, fmt.Errorf("%s: no relations", name)
	}
	return o, nil
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// Relation returns the named relation.
func (o *Ontology) Relation(name string) (Relation, bool) {
	i, ok := o.byName[name]
	if !ok {
		return Relation{}, false
	}
	return o.Relations[i], true
}

// PLOVERType is one of PLOVER's 16 event types and its modes.
type PLOVERType struct {
	Name  string   `json:"name"`
	Doc   string   `json:"doc"`
	Modes []string `json:"modes,omitempty"`
}

// PLOVER lists the 16 PLOVER event types, cooperative first, as in the
// manual (../shared/docs/plover.md).
var PLOVER = []PLOVERType{
	{"AGREE", "agree to, offer, promise, commit to cooperate", nil},
	{"CONSULT", "meet, visit, hold talks, phone, host, mediate", []string{"visit", "third-party", "multilateral", "phone"}},
	{"SUPPORT", "diplomatic support: praise, endorse, recognise, sign or ratify", nil},
	{"CONCEDE", "yield verbally: apologise, admit, ease a stance", nil},
	{"COOPERATE", "mutual material cooperation: trade, joint exercises, intelligence sharing", nil},
	{"AID", "one-way material aid: money, arms, military or humanitarian help, asylum", []string{"economic", "military", "humanitarian", "asylum"}},
	{"RETREAT", "withdraw, release, disarm, cease fire, allow access, resign", []string{"withdraw", "release", "disarm", "ceasefire", "access", "resign"}},
	{"REQUEST", "ask, appeal, urge, demand, call on", []string{"assist", "change", "yield", "meet"}},
	{"ACCUSE", "criticise, condemn, accuse, allege, investigate, sue", []string{"disapprove", "investigate", "allege"}},
	{"REJECT", "refuse, reject, veto, deny a request", []string{"assist", "change", "yield", "meet"}},
	{"THREATEN", "threaten force, sanctions, arrests, expulsion", []string{"restrict", "arrest", "relations", "expel", "territory", "violence"}},
	{"PROTEST", "demonstrations, riots, strikes, boycotts", []string{"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}},
	{"SANCTION", "sanctions, embargoes, cutting ties, convictions, expulsions", []string{"convict", "expel", "withdraw", "discontinue"}},
	{"MOBILIZE", "raise alert, deploy troops, weapons or police", []string{"troops", "weapons", "police", "militia"}},
	{"COERCE", "seize, arrest, restrict, censor, deport, cyber attacks", []string{"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold", "misinformation", "cyber"}},
	{"ASSAULT", "use of force: attacks, strikes, shelling, missile fire, killings", []string{"aerial", "drone", "heavy-weapons", "firearms", "explosives", "assassination", "mass-killing"}},
}

// IsPLOVER reports whether s is one of the 16 PLOVER event types.
func IsPLOVER(s string) bool {
	for _, t := range PLOVER {
		if t.Name == s {
			return true
		}
	}
	return false
}

func ploverModeOK(event, mode string) bool {
	for _, t := range PLOVER {
		if t.Name == event {
			for _, m := range t.Modes {
				if m == mode {
					return true
				}
			}
		}
	}
	return false
}

// Names returns the relation names, sorted.
func (o *Ontology) Names() []string {
	out := make([]string, 0, len(o.Relations))
	for _, r := range o.Relations {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}
