package ingest

import (
	"strings"
	"testing"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// TestArgWordsErrors: a bad argwords line is reported as file:line.
func TestArgWordsErrors(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"language", "lang\tclass\tentry\nde\tthat\tdass\n", "aw.tsv:2: language \"de\""},
		{"class", "en\tthat\tthat\nen\twobble\tx\n", "aw.tsv:2: class \"wobble\" unknown"},
		{"fields", "en\tthat\n", "aw.tsv:1: want 3 tab-separated fields, got 2"},
		{"empty", "en\tthat\t \n", "aw.tsv:1: empty entry"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseArgWords("aw.tsv", c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestArgWords: the embedded table loads; phrases match as running text
// is cut, lemmas of lightverb, owned and person bring their forms.
func TestArgWords(t *testing.T) {
	a, err := LoadArgWords()
	if err != nil {
		t.Fatal(err)
	}
	fold := func(lang, s string) []string {
		var out []string
		for _, tk := range nlpTokens(s, lang) {
			out = append(out, schema.Fold(tk))
		}
		return out
	}
	for _, c := range []struct {
		lang, class, text string
		at, want          int
	}{
		{"fr", "participation", "lors d'une rencontre", 0, 2},
		{"fr", "participation", "à la suite d'une réunion", 0, 4},
		{"en", "participation", "after talks", 0, 1},
		{"fr", "ctrlmark", "de frapper", 0, 1},
		{"fr", "that", "pour que Belgrade", 0, 2},
		{"en", "lightverb", "carried out", 0, 1},
		{"fr", "lightverb", "menées contre", 0, 1},
		{"en", "owned", "proposals", 0, 1},
		{"fr", "owned", "positions", 0, 1},
		{"en", "person", "men", 0, 1},
		{"en", "source", "from Brazil", 0, 1},
		{"fr", "source", "de la part du Brésil", 0, 5}, // "du" is cut "de" + "le"
		{"en", "owned", "goalkeeper", 0, 0},
	} {
		t.Run(c.lang+"/"+c.class+"/"+c.text, func(t *testing.T) {
			if got := a.at(c.lang, c.class, fold(c.lang, c.text), c.at); got != c.want {
				t.Errorf("at = %d, want %d", got, c.want)
			}
		})
	}
}

// TestLexiconFrameFlags: the argument frames of lexicon.tsv parse, and a
// wrong one is reported as file:line.
func TestLexiconFrameFlags(t *testing.T) {
	src := "lang\tlemma\tpos\trel\tmode\tframe\n" +
		"en\tdeny\tverb\trejects\t-\tobj sctrl neg\n" +
		"en\tpledge\tverb\tagrees\t-\tobj sctrl hyp ctarget\n" +
		"en\tinsist\tverb\trequests\t-\tthat hyp\n" +
		"en\tarrest\tverb\tcoerces\tarrest\tobj implied=police\n" +
		"en\tdecide\tverb\t-\t-\tsctrl\n"
	l, err := ParseLexicon("lex.tsv", src, "forms.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Triggers) != 4 || len(l.Frames) != 1 {
		t.Fatalf("%d triggers, %d frames; want 4 and 1", len(l.Triggers), len(l.Frames))
	}
	deny, pledge, insist, arrest, decide := l.Triggers[0], l.Triggers[1], l.Triggers[2], l.Triggers[3], l.Frames[0]
	if !deny.SCtrl || !deny.Neg || !pledge.Hyp || !pledge.CTarget || !insist.That || arrest.Implied != "police" || !decide.SCtrl || decide.Relation != "" {
		t.Errorf("flags not read: %+v %+v %+v %+v %+v", deny, pledge, insist, arrest, decide)
	}
	for _, c := range []struct{ name, src, want string }{
		{"frame-without-sctrl", "en\tdecide\tverb\t-\t-\tobj\n", "lex.tsv:1: relation \"-\" needs the sctrl frame"},
		{"empty-implied", "en\tarrest\tverb\tcoerces\t-\tobj implied=\n", "lex.tsv:1: empty sector"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseLexicon("lex.tsv", c.src, "forms.tsv", "")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	o, err := schema.LoadOntology()
	if err != nil {
		t.Fatal(err)
	}
	sectors, err := schema.LoadSectors()
	if err != nil {
		t.Fatal(err)
	}
	bad, err := ParseLexicon("lex.tsv", "en\tarrest\tverb\tcoerces\t-\tobj implied=firemen\n", "forms.tsv", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.check(o, sectors); err == nil || !strings.Contains(err.Error(), "lex.tsv:1: implied=firemen is not a sector") {
		t.Errorf("check: %v", err)
	}
}

func nlpTokens(s, lang string) []string {
	var out []string
	for _, t := range nlp.Tokenize(s, lang) {
		out = append(out, t.Text)
	}
	return out
}
