package ingest

import (
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

// TestCameoTriggers: the English triggers generated from the CAMEO verb
// dictionary (lexicon-en-cameo.tsv) find their facts, with the frames
// the generator gave them, and stay silent where CAMEO's reading misfires.
func TestCameoTriggers(t *testing.T) {
	x := newTestExtractor(t)
	for _, c := range []struct {
		name, text string
		s, rel, o  string // "" rel: no fact from the generated lexicon
	}{
		{"verb", "Russian forces bombarded Kyiv on Monday.", "Q159", "attacks", "Q212"},
		{"criticism", "Greece lambasted Turkey over the incident.", "Q41", "criticizes", "Q43"},
		{"preposition", "Japan apologized to South Korea.", "Q17", "concedes", "Q884"},
		{"demonym object", "Kenya deported two Somali nationals.", "Q114", "coerces", "Q1045"},
		{"persons", "Emmanuel Macron telephoned Angela Merkel.", "Q3052772", "calls", "Q567"},
		{"intransitive", "Pakistan protested against India.", "Q843", "protests", "Q668"},
		{"clash with", "Israel clashed with Lebanon.", "Q801", "attacks", "Q822"},
		{"particle verb", "Nigeria cracked down on Cameroon.", "Q1033", "coerces", "Q1009"},
		{"phrase", "Ukraine asked for aid from the International Monetary Fund.", "Q212", "requests", "Q7804"},
		{"objnoun talks", "Iran opened talks with Oman.", "Q794", "meets", "Q842"},
		{"objnoun offensive", "Turkey launched an offensive against Syria.", "Q43", "attacks", "Q858"},
		{"objnoun lawsuit", "Ukraine filed a lawsuit against Russia.", "Q212", "investigates", "Q159"},
		{"objnoun ambassador", "China recalled its ambassador from Lithuania.", "Q148", "sanctions", "Q37"},
		{"objnoun protest", "Serbia staged a protest against Kosovo.", "Q403", "protests", "Q1246"},
		{"objnoun sanctions", "The European Union lifted sanctions on Iran.", "Q458", "retreats", "Q794"},
		{"irregular form", "Iraq overran Kuwait.", "Q796", "coerces", "Q817"},
		{"phrase of a hand-written verb", "Russia delivered a warning to Ukraine.", "Q159", "threatens", "Q212"},
		{"no objnoun", "Iran opened an office with Oman.", "", "", ""},
		{"call is no phone call", "Emmanuel Macron called Angela Merkel on Tuesday.", "", "", ""},
		{"face is no meeting", "Kenya faced criticism from Somalia.", "", "", ""},
		{"block is no coercion", "Greece blocked the UN resolution.", "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := x.Extract(schema.Article{ID: "t", Lang: "en", Date: "2024-01-10", Text: c.text})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			found := false
			for _, f := range res.Facts {
				if !strings.HasPrefix(f.Rule, "lexicon-en-cameo.tsv:") {
					continue
				}
				got = append(got, f.Subject.ID+" -"+f.Relation+"-> "+f.Object.ID+" ("+f.Rule+")")
				if actorIs(f.Subject, c.s) && f.Relation == c.rel && actorIs(f.Object, c.o) {
					found = true
				}
			}
			switch {
			case c.rel == "" && len(got) > 0:
				t.Errorf("%q: want no generated fact, got %v", c.text, got)
			case c.rel != "" && !found:
				t.Errorf("%q: no fact %s -%s-> %s from lexicon-en-cameo.tsv; got %v", c.text, c.s, c.rel, c.o, got)
			}
		})
	}
}

// TestObjNounFlag: objnoun= lists nouns, each also matched in the plural.
func TestObjNounFlag(t *testing.T) {
	lex, err := ParseLexicon("lex.tsv", "en\tstage\tverb\tprotests\t-\tto=against objnoun=strike|rally\n", "forms.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	tr := lex.Triggers[0]
	for _, w := range []string{"strike", "strikes", "rally", "rallies"} {
		if !tr.ObjNoun[w] {
			t.Errorf("objnoun=strike|rally does not hold %q", w)
		}
	}
	if _, err := ParseLexicon("lex.tsv", "en\tstage\tverb\tprotests\t-\tobjnoun=strike|\n", "forms.tsv", ""); err == nil || !strings.Contains(err.Error(), "lex.tsv:1: empty noun") {
		t.Errorf("an empty noun: %v", err)
	}
}
