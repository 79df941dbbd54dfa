package evaluate

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSplitIsTheHash(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		// sha256("a")[0] = 0xca (even), sha256("b")[0] = 0x3e (even),
		// sha256("c")[0] = 0x2e (even), sha256("d")[0] = 0x18 (even),
		// sha256("e")[0] = 0x3f (odd)
		{"a", Tune}, {"e", HeldOut},
	} {
		t.Run(c.doc, func(t *testing.T) {
			if got := Split(c.doc); got != c.want {
				t.Fatalf("Split(%q) = %q, want %q", c.doc, got, c.want)
			}
		})
	}
}

// TestProjectGold loads the project's gold: every line parses, every split
// field is the one its id hashes to, and the gold has the size the
// annotation guideline promises.
func TestProjectGold(t *testing.T) {
	files, _ := filepath.Glob("../../eval/gold/*.jsonl")
	if len(files) == 0 {
		t.Skip("no eval/gold/*.jsonl yet")
	}
	g, err := LoadGold(files...)
	if err != nil {
		t.Fatal(err)
	}
	c := g.Count()
	if c.Docs < 100 || c.Required < 400 {
		t.Fatalf("gold has %d documents and %d required facts; want >= 100 and >= 400", c.Docs, c.Required)
	}
	halves := map[string]int{}
	for _, d := range g.Docs {
		halves[d.Split]++
		for _, f := range d.Facts {
			if f.Split == "" {
				t.Errorf("%s: no split field", f.Where)
			}
		}
	}
	if halves[Tune] < 30 || halves[HeldOut] < 30 {
		t.Fatalf("halves %v: the hash split should give each a fair share", halves)
	}
}

func TestLoadGoldErrors(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"not json", `{"doc": "d1"`, "g.jsonl:1: not a gold line"},
		{"no doc", `{"fact": "x", "any": [{"s": "Q1", "o": "Q2"}]}`, `g.jsonl:1: no "doc"`},
		{"wrong split", `{"doc": "a", "split": "held-out", "entities": []}`, `g.jsonl:1: split "held-out", but a hashes to "tune"`},
		{"no alternatives", "\n" + `{"doc": "a", "fact": "x", "any": []}`, `g.jsonl:2: fact "x" has no alternatives`},
		{"no object", `{"doc": "a", "fact": "x", "any": [{"s": "Q1"}]}`, `want both "s" and "o"`},
		{"bad type", `{"doc": "a", "fact": "x", "any": [{"s": "Q1", "event": "ATTACK", "o": "Q2"}]}`, `"ATTACK" is not a PLOVER type`},
		{"bad spec", `{"doc": "a", "fact": "x", "any": [{"s": "France", "o": "Q2"}]}`, `spec "France"`},
		{"bad modality", `{"doc": "a", "fact": "x", "modality": "maybe", "any": [{"s": "Q1", "o": "Q2"}]}`, `modality "maybe"`},
		{"bad date", `{"doc": "a", "fact": "x", "dates": ["30 Dec"], "any": [{"s": "Q1", "o": "Q2"}]}`, `date "30 Dec"`},
		{"duplicate fact", `{"doc": "a", "fact": "x", "any": [{"s": "Q1", "o": "Q2"}]}` + "\n" + `{"doc": "a", "fact": "x", "any": [{"s": "Q1", "o": "Q2"}]}`, `g.jsonl:2: fact "x" of a is already at g.jsonl:1`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadGold("g.jsonl", strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestNormName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Corée du Nord", "coree du nord"},
		{"Ri Yong-ho", "ri yong ho"},
		{"  États-Unis  ", "etats unis"},
		{"Straße", "strasse"},
		{"Recep Tayyip Erdoğan", "recep tayyip erdogan"},
		{"l'Élysée", "l elysee"},
		{"", ""},
		{"—", ""},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := normName(c.in); got != c.want {
				t.Fatalf("normName(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

const scoreGold = `{"doc": "d", "entities": ["Q30", "Q148", "name:Terry Branstad|Branstad"], "also": ["Q1546"]}
{"doc": "d", "fact": "us-accuses-china", "any": [{"s": ["Q30", "name:Terry Branstad|Branstad"], "event": "ACCUSE", "o": "Q148"}], "dates": ["2018-09"]}
{"doc": "d", "fact": "talks", "any": [{"s": "Q30", "event": "CONSULT", "o": "Q148", "sym": true}]}
{"doc": "d", "fact": "police-arrest", "any": [{"s": "Q148", "event": "COERCE", "o": "Q148"}]}
{"doc": "d", "fact": "planned-visit", "modality": "hypothetical", "any": [{"s": "Q30", "event": "CONSULT", "o": "Q148"}]}
{"doc": "d", "fact": "signs", "optional": true, "any": [{"s": "Q30", "p": "signs", "o": "type:document"}]}
`

func fact(s Ent, rel, ev string, o Ent, date, mod string) Pred {
	return Pred{Kind: "fact", Doc: "d", Subject: &s, Relation: rel, Event: ev, Object: &o, Date: date, Modality: mod}
}

var (
	us     = Ent{ID: "Q30", Name: "United States", Type: "country"}
	china  = Ent{ID: "Q148", Name: "Chine", Type: "country"}
	police = Ent{ID: "group/china-police", Name: "Chinese police", Type: "group", Country: "Q148", Sector: "police"}
	rebels = Ent{ID: "group/china-opposition", Name: "dissidents", Type: "group", Country: "Q148", Sector: "opposition"}
	branst = Ent{ID: "person/terry-branstad", Name: "Branstad", Type: "person"}
	doc    = Ent{ID: "document/d-statement", Name: "statement", Type: "document/statement"}
)

func TestScore(t *testing.T) {
	for _, c := range []struct {
		name  string
		preds []Pred
		want  Tally
	}{
		{"nothing predicted", nil, Tally{Req: 4, Ent: 3, ModArgs: 0}},
		{"accusation by name, with its date", []Pred{fact(branst, "accuses", "ACCUSE", china, "2018-09-12", "")},
			Tally{Pred: 1, PredOK: 1, Req: 4, ReqHit: 1, Dates: 1, DatesOK: 1, Ent: 3, EntHit: 2, EntPred: 1, EntPredOK: 1, ModArgs: 1, ModOK: 1}},
		{"date too coarse", []Pred{fact(us, "accuses", "ACCUSE", china, "2018", "asserted")},
			Tally{Pred: 1, PredOK: 1, Req: 4, ReqHit: 1, Dates: 1, Ent: 3, EntHit: 2, EntPred: 2, EntPredOK: 2, ModArgs: 1, ModOK: 1}},
		{"symmetric talks the other way round", []Pred{fact(china, "meets", "CONSULT", us, "", "")},
			Tally{Pred: 1, PredOK: 1, Req: 4, ReqHit: 1, Ent: 3, EntHit: 2, EntPred: 2, EntPredOK: 2, ModArgs: 1, ModOK: 1}},
		{"sector actors of one country", []Pred{fact(police, "coerces", "COERCE", rebels, "", "")},
			Tally{Pred: 1, PredOK: 1, Req: 4, ReqHit: 1, Ent: 3, EntHit: 1, ModArgs: 1, ModOK: 1}},
		{"wrong modality is wrong", []Pred{fact(us, "accuses", "ACCUSE", china, "", "negated")},
			Tally{Pred: 1, Req: 4, Ent: 3, EntHit: 2, EntPred: 2, EntPredOK: 2, ModArgs: 1}},
		{"duplicates count once, optional facts count as correct", []Pred{
			fact(us, "signs", "", doc, "", ""), fact(us, "signs", "", doc, "", ""),
			fact(us, "attacks", "ASSAULT", china, "", "")},
			Tally{Pred: 2, PredOK: 1, Req: 4, Ent: 3, EntHit: 2, EntPred: 2, EntPredOK: 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := ReadGold("g.jsonl", strings.NewReader(scoreGold))
			if err != nil {
				t.Fatal(err)
			}
			s := ScoreDocs(g, c.preds, nil)
			if s.Total != c.want {
				t.Fatalf("tally\n got %+v\nwant %+v", s.Total, c.want)
			}
		})
	}
}

func TestPerType(t *testing.T) {
	g, err := ReadGold("g.jsonl", strings.NewReader(scoreGold))
	if err != nil {
		t.Fatal(err)
	}
	s := ScoreDocs(g, []Pred{fact(us, "meets", "CONSULT", china, "", "hypothetical"), fact(us, "attacks", "ASSAULT", china, "", "")}, nil)
	for _, c := range []struct {
		typ  string
		want TypeTally
	}{
		{"CONSULT", TypeTally{Gold: 2, Found: 1, Pred: 1, PredOK: 1}},
		{"ACCUSE", TypeTally{Gold: 1}},
		{"COERCE", TypeTally{Gold: 1}},
		{"ASSAULT", TypeTally{Pred: 1}},
	} {
		t.Run(c.typ, func(t *testing.T) {
			got := s.PerType[c.typ]
			if got == nil || *got != c.want {
				t.Fatalf("%s: got %+v, want %+v", c.typ, got, c.want)
			}
		})
	}
}

func TestAgree(t *testing.T) {
	en := []Pred{fact(us, "accuses", "ACCUSE", china, "", ""), fact(us, "meets", "CONSULT", china, "", ""), fact(branst, "accuses", "ACCUSE", china, "", "")}
	fr := []Pred{fact(us, "condemns", "ACCUSE", china, "", "asserted"), {Kind: "entity", Doc: "d", ID: "Q1546"}}
	a := Agree(en, fr)
	if a.FactsShared != 1 || a.FactsUnion != 2 || a.EntShared != 2 || a.EntUnion != 3 || a.DocsWithFact != 1 {
		t.Fatalf("agreement %+v", a)
	}
}

func TestRatchet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ratchet.tsv")
	g, _ := ReadGold("g.jsonl", strings.NewReader(scoreGold))
	mk := func(preds []Pred) *Report {
		return &Report{Split: "all", Names: []string{"en"}, Scores: map[string]*Score{"en": ScoreDocs(g, preds, nil)}}
	}
	good := mk([]Pred{fact(us, "accuses", "ACCUSE", china, "", ""), fact(us, "meets", "CONSULT", china, "", "")}) // P 1, R 0.5
	worse := mk([]Pred{fact(us, "accuses", "ACCUSE", china, "", "")})                                             // P 1, R 0.25
	r := NewRatchet(path)
	if err := r.Update(good); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRatchet(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || r.Rows[0].F1 != 0.667 {
		t.Fatalf("rows %+v", r.Rows)
	}
	if _, err := r.Check(good); err != nil {
		t.Fatalf("same score fails the ratchet: %v", err)
	}
	if _, err := r.Check(worse); err == nil || !strings.Contains(err.Error(), "all en fact F1 0.400 is more than 0.02 below 0.667") {
		t.Fatalf("a fall of 0.27 passes: %v", err)
	}
	if err := r.Update(worse); err != nil || r.Rows[0].F1 != 0.667 {
		t.Fatalf("update lowered the ratchet: %v %+v", err, r.Rows)
	}
}
