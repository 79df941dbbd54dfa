package ingest

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// The closed word classes of the argument rules (argwords.tsv): the
// markers of a controlled infinitive, complementizers, the prepositions
// that put an object in a place or make a clause's subject take part in an
// event, and so on, per language. The classes are documented at the top
// of the file; the rules name them, never the words.
//
//go:embed argwords.tsv
var argWordsSrc string

// argWordClasses are the classes argwords.tsv may use.
var argWordClasses = map[string]bool{
	"ctrlmark": true, "perfect": true, "that": true, "coord": true, "participation": true,
	"source": true, "of": true, "placeprep": true, "placefrom": true, "owned": true, "person": true, "possessive": true, "clitic": true, "cliticto": true, "hypaux": true, "passaux": true, "prepform": true, "by": true, "lightverb": true,
}

// ArgWords holds the closed word classes by language and class; entries
// are folded and cut as the tokenizer cuts running text.
type ArgWords struct {
	classes map[string]phrases // lang + "\x00" + class
}

// LoadArgWords parses the embedded argwords.tsv. Errors carry file:line.
func LoadArgWords() (*ArgWords, error) {
	return ParseArgWords("internal/ingest/argwords.tsv", argWordsSrc)
}

// ParseArgWords parses a table of lang, class, entry rows.
func ParseArgWords(name, src string) (*ArgWords, error) {
	a := &ArgWords{classes: map[string]phrases{}}
	err := schema.EachTSVRow(name, src, 3, "lang", func(_ int, f []string) error {
		if f[0] != "fr" && f[0] != "en" {
			return fmt.Errorf("language %q: want fr or en", f[0])
		}
		if !argWordClasses[f[1]] {
			return fmt.Errorf("class %q unknown", f[1])
		}
		var words []string
		for _, t := range nlp.Tokenize(strings.TrimSpace(f[2]), f[0]) {
			words = append(words, schema.Fold(t.Text))
		}
		if len(words) == 0 {
			return fmt.Errorf("empty entry")
		}
		k := f[0] + "\x00" + f[1]
		if a.classes[k] == nil {
			a.classes[k] = phrases{}
		}
		if f[1] == "lightverb" && len(words) == 1 {
			// a verb lemma: its regular forms (irregular ones are listed
			// as entries of their own)
			for _, fm := range verbForms(f[0], words[0]) {
				a.classes[k].add([]string{schema.Fold(fm)}, "")
			}
		}
		if (f[1] == "owned" || f[1] == "person") && len(words) == 1 {
			for _, fm := range nounForms(f[0], words[0]) {
				a.classes[k].add([]string{schema.Fold(fm)}, "")
			}
		}
		a.classes[k].add(words, "")
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// at returns the length of the longest entry of class that starts at
// token k of f, 0 if none.
func (a *ArgWords) at(lang, class string, f []string, k int) int {
	if a == nil {
		return 0
	}
	_, n := a.classes[lang+"\x00"+class].at(f, k)
	return n
}

// is: the single word w is an entry of class.
func (a *ArgWords) is(lang, class, w string) bool {
	if a == nil {
		return false
	}
	for _, p := range a.classes[lang+"\x00"+class][w] {
		if len(p.words) == 1 {
			return true
		}
	}
	return false
}

// endingAt returns the length of the longest entry of class that ends
// at token e-1 of f, 0 if none.
func (a *ArgWords) endingAt(lang, class string, f []string, e int) int {
	if a == nil {
		return 0
	}
	_, n := a.classes[lang+"\x00"+class].endingAt(f, e)
	return n
}

// pair: "w1 w2" is a two-word entry of class (prepform: "au à", a form and
// the preposition it stands for).
func (a *ArgWords) pair(lang, class, w1, w2 string) bool {
	if a == nil {
		return false
	}
	for _, p := range a.classes[lang+"\x00"+class][w1] {
		if len(p.words) == 2 && p.words[1] == w2 {
			return true
		}
	}
	return false
}
