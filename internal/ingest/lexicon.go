package ingest

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// The trigger lexicon is several files: lexicon.tsv, written by hand, then
// the lexicon-*.tsv extensions (generated from a dictionary, or curated per
// language), in name order. A trigger an earlier file already defines (the
// same language, words and part of speech) is skipped in a later one, so
// the hand-written entries win over generated ones.
//
//go:embed lexicon.tsv lexicon-*.tsv
var lexiconFS embed.FS

// Irregular-forms tables are not trigger files: lexicon-forms.tsv, written
// by hand, and lexicon-forms-*.tsv, written by the generators beside their
// trigger files.
const lexiconForms = "lexicon-forms"

// Trigger is one lexicon entry: a word that expresses an event and how its
// arguments are found.
type Trigger struct {
	Lang     string
	Lemma    string   // first word's lemma
	Rest     []string // folded words that must follow, for "call on", "hold talks"
	Noun     bool
	Relation string
	Event    string // the relation's PLOVER type, filled by check
	Mode     string
	Obj      bool   // direct object is the object
	Prep     string // preposition introducing the object, folded ("a" for à)
	Ctrl     bool
	Hyp      bool
	Sym      bool
	Doc      bool
	Pair     bool
	Agent    bool
	DocOnly  bool
	// SCtrl (sctrl): a following infinitive or gerund is done by the
	// verb's subject ("Moscow denied shelling Aleppo", "decided to expel");
	// Hyp makes that act hypothetical, Neg negated.
	SCtrl bool
	Neg   bool
	// CTarget (ctarget): without an object of its own, the verb's object
	// is the first actor of its complement ("pledged to help Ukraine").
	CTarget bool
	// That (that): the object may be the subject of a that-clause
	// ("insisted that Belgrade withdraw").
	That bool
	// Implied (implied=SECTOR): a passive with no agent ("X was
	// arrested") is done by that sector of the country where it happens.
	Implied string
	// Reflexive triggers ("se rendre" = to visit) need their pronoun;
	// without it the verb means something else ("rendre hommage").
	Reflexive bool
	// ObjNoun (objnoun=strike|walkout): the verb is this event only with
	// one of these nouns, in any number, after it in the clause ("call a
	// strike" protests; "call" alone is not an event).
	ObjNoun map[string]bool
	File    string // the lexicon file it comes from, for --explain and errors
	Line    int    // its line there
}

// Lexicon maps word forms and lemmas to triggers.
type Lexicon struct {
	Triggers []*Trigger
	// Frames are entries with no event (relation "-"): verbs that only
	// pass their subject to an infinitive ("decide to", « tenter de »).
	Frames  []*Trigger
	byForm  map[string][]*Trigger // lang + "\x00" + folded form
	byLemma map[string][]*Trigger // lang + "\x00" + folded lemma
}

// LexiconFile is one trigger file: its name for messages and its text.
type LexiconFile struct {
	Name, Src string
}

// LoadLexicon parses the embedded trigger lexicon files and irregular
// forms. Errors carry file:line.
func LoadLexicon() (*Lexicon, error) {
	names, err := fs.Glob(lexiconFS, "lexicon-*.tsv")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	names = append([]string{"lexicon.tsv"}, names...)
	var files, forms []LexiconFile
	for _, n := range names {
		b, err := lexiconFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		f := LexiconFile{Name: "internal/ingest/" + n, Src: string(b)}
		if n == lexiconForms+".tsv" || strings.HasPrefix(n, lexiconForms+"-") {
			forms = append(forms, f)
			continue
		}
		files = append(files, f)
	}
	return ParseLexiconFiles(files, forms)
}

// ParseLexicon parses one trigger file and its irregular-forms table.
func ParseLexicon(name, src, formsName, forms string) (*Lexicon, error) {
	return ParseLexiconFiles([]LexiconFile{{name, src}}, []LexiconFile{{formsName, forms}})
}

// ParseLexiconFiles parses trigger files in order (an entry an earlier file
// defines is skipped in a later one) and the irregular-forms tables.
func ParseLexiconFiles(files, forms []LexiconFile) (*Lexicon, error) {
	l := &Lexicon{byForm: map[string][]*Trigger{}, byLemma: map[string][]*Trigger{}}
	defined := map[string]bool{}       // lang, words, pos of entries seen in earlier files
	irregular := map[string][]string{} // lang\x00lemma -> forms
	for _, file := range forms {
		err := schema.EachTSVRow(file.Name, file.Src, 3, "", func(_ int, f []string) error {
			k := f[0] + "\x00" + schema.Fold(f[1])
			irregular[k] = append(irregular[k], strings.Fields(f[2])...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, file := range files {
		name := file.Name
		inFile := map[string]bool{}
		err := schema.EachTSVRow(name, file.Src, 6, "lang", func(ln int, f []string) error {
			if f[0] != "fr" && f[0] != "en" {
				return fmt.Errorf("language %q: want fr or en", f[0])
			}
			if f[2] != "verb" && f[2] != "noun" {
				return fmt.Errorf("pos %q: want verb or noun", f[2])
			}
			words := strings.Fields(f[1])
			if len(words) == 0 {
				return fmt.Errorf("empty lemma")
			}
			key := f[0] + "\x00" + schema.Fold(strings.Join(words, " ")) + "\x00" + f[2]
			if defined[key] {
				return nil // an earlier file has it: the hand-written entry wins
			}
			inFile[key] = true
			reflexive := false
			if words[0] == "se" && len(words) > 1 {
				words, reflexive = words[1:], true
			}
			if strings.HasPrefix(words[0], "s'") {
				reflexive = true
			}
			lemma := strings.TrimPrefix(words[0], "s'")
			t := &Trigger{Lang: f[0], Lemma: schema.Fold(lemma), Noun: f[2] == "noun", Relation: dash(f[3]), Mode: dash(f[4]), File: name, Line: ln, Reflexive: reflexive}
			// the rest as the tokenizer cuts it in running text: "d'accord"
			// is "d'" + "accord", and "des" after a verb "de" + "les", so
			// the whole phrase is cut and the first word's tokens dropped
			if len(words) > 1 {
				head := len(nlp.Tokenize(words[0], f[0]))
				for _, tok := range nlp.Tokenize(strings.Join(words, " "), f[0])[head:] {
					t.Rest = append(t.Rest, schema.Fold(tok.Text))
				}
			}
			for _, flag := range strings.Fields(f[5]) {
				switch {
				case flag == "obj":
					t.Obj = true
				case strings.HasPrefix(flag, "to="):
					t.Prep = schema.Fold(flag[3:])
				case flag == "ctrl":
					t.Ctrl = true
				case flag == "hyp":
					t.Hyp = true
				case flag == "sym":
					t.Sym = true
				case flag == "doc":
					t.Doc = true
				case flag == "pair":
					t.Pair = true
				case flag == "agent":
					t.Agent = true
				case flag == "doconly":
					t.DocOnly = true
				case flag == "sctrl":
					t.SCtrl = true
				case flag == "neg":
					t.Neg = true
				case flag == "ctarget":
					t.CTarget = true
				case flag == "that":
					t.That = true
				case strings.HasPrefix(flag, "implied="):
					t.Implied = flag[len("implied="):]
					if t.Implied == "" {
						return fmt.Errorf("empty sector in %q", flag)
					}
				case strings.HasPrefix(flag, "objnoun="):
					t.ObjNoun = map[string]bool{}
					for _, w := range strings.Split(flag[len("objnoun="):], "|") {
						for _, fm := range nounForms(f[0], schema.Fold(w)) {
							t.ObjNoun[fm] = true
						}
					}
					if t.ObjNoun[""] {
						return fmt.Errorf("empty noun in %q", flag)
					}
				default:
					return fmt.Errorf("unknown frame flag %q", flag)
				}
			}
			if t.Relation == "" {
				if !t.SCtrl {
					return fmt.Errorf("relation \"-\" needs the sctrl frame: an entry with no event only passes its subject on")
				}
				l.Frames = append(l.Frames, t)
			} else {
				l.Triggers = append(l.Triggers, t)
			}
			lk := t.Lang + "\x00" + t.Lemma
			l.byLemma[lk] = append(l.byLemma[lk], t)
			var forms []string
			if t.Noun {
				forms = nounForms(t.Lang, t.Lemma)
			} else {
				forms = verbForms(t.Lang, t.Lemma)
			}
			forms = append(forms, irregular[lk]...)
			seen := map[string]bool{}
			for _, fm := range forms {
				fm = schema.Fold(fm)
				if seen[fm] {
					continue
				}
				seen[fm] = true
				k := t.Lang + "\x00" + fm
				l.byForm[k] = append(l.byForm[k], t)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for k := range inFile {
			defined[k] = true
		}
	}
	return l, nil
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// check verifies that every trigger names a relation of the ontology and
// every implied= a sector.
func (l *Lexicon) check(o *schema.Ontology, sectors *schema.Sectors) error {
	for _, t := range l.Triggers {
		r, ok := o.Relation(t.Relation)
		if !ok {
			return fmt.Errorf("%s:%d: relation %q is not in schema/relations.tsv", t.File, t.Line, t.Relation)
		}
		t.Event = r.Event
		if t.Implied != "" && sectors != nil && !sectors.Has(t.Implied) {
			return fmt.Errorf("%s:%d: implied=%s is not a sector of schema/sectors.tsv", t.File, t.Line, t.Implied)
		}
	}
	return nil
}

// verbForms generates the inflected forms of a regular verb. Over-
// generation is harmless: the forms are only looked up, never produced.
func verbForms(lang, lemma string) []string {
	if lang == "en" {
		forms := []string{lemma, lemma + "s", lemma + "ed", lemma + "ing", lemma + "d"}
		if strings.HasSuffix(lemma, "e") {
			st := lemma[:len(lemma)-1]
			forms = append(forms, st+"ing", lemma+"d")
		}
		if strings.HasSuffix(lemma, "y") {
			st := lemma[:len(lemma)-1]
			forms = append(forms, st+"ies", st+"ied")
		}
		if strings.HasSuffix(lemma, "h") || strings.HasSuffix(lemma, "s") || strings.HasSuffix(lemma, "x") {
			forms = append(forms, lemma+"es")
		}
		// doubled final consonant: ban → banned, expel → expelled
		n := len(lemma)
		if n >= 3 && isCons(lemma[n-1]) && !isCons(lemma[n-2]) && isCons(lemma[n-3]) && !strings.ContainsAny(lemma[n-1:], "wxy") {
			forms = append(forms, lemma+lemma[n-1:]+"ed", lemma+lemma[n-1:]+"ing")
		}
		return forms
	}
	var stem string
	var ends []string
	switch {
	case strings.HasSuffix(lemma, "er"):
		stem = lemma[:len(lemma)-2]
		ends = []string{"er", "e", "es", "ent", "ons", "ez", "e", "ee", "es", "ees", "ait", "aient", "ant", "a", "as", "ai", "erent", "era", "eront", "erait", "eraient", "erai", "ions", "iez", "at"}
	case strings.HasSuffix(lemma, "ir"):
		stem = lemma[:len(lemma)-2]
		ends = []string{"ir", "is", "it", "issons", "issez", "issent", "i", "ie", "ies", "issait", "issaient", "issant", "ira", "iront", "irait", "iraient", "issions", "irent", "isse"}
	case strings.HasSuffix(lemma, "re"):
		stem = lemma[:len(lemma)-2]
		ends = []string{"re", "s", "", "ons", "ez", "ent", "u", "ue", "us", "ues", "ait", "aient", "ant", "ra", "ront", "rait", "raient", "it", "irent"}
	default:
		return []string{lemma}
	}
	forms := make([]string, 0, len(ends)+8)
	for _, e := range ends {
		forms = append(forms, stem+e)
	}
	// dénoncer → dénonçait folds to "denoncait": covered; manger → mangeons
	if strings.HasSuffix(stem, "g") {
		for _, e := range []string{"eons", "eait", "eaient", "eant", "ea"} {
			forms = append(forms, stem+e)
		}
	}
	return forms
}

func isCons(b byte) bool { return !strings.ContainsRune("aeiou", rune(b)) }

func nounForms(lang, lemma string) []string {
	forms := []string{lemma, lemma + "s"}
	if lang == "en" {
		if strings.HasSuffix(lemma, "y") {
			forms = append(forms, lemma[:len(lemma)-1]+"ies")
		}
		if strings.HasSuffix(lemma, "h") || strings.HasSuffix(lemma, "s") || strings.HasSuffix(lemma, "x") {
			forms = append(forms, lemma+"es")
		}
	} else if strings.HasSuffix(lemma, "al") {
		forms = append(forms, lemma[:len(lemma)-2]+"aux")
	}
	return forms
}

func containsTrigger(list []*Trigger, t *Trigger) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

// Match returns the triggers that the token at i starts, with the number of
// tokens the trigger spans. It keys on the tagger's lemma when there is
// one, else on the word form.
func (l *Lexicon) Match(lang string, toks []nlp.Token, i int) ([]*Trigger, int) {
	// Forms are generated from lemmas, so they find every trigger; the
	// tagger's lemma adds irregular forms the generator missed, and its
	// part of speech picks the noun or the verb reading ("frappe",
	// "attack"), which forms alone cannot.
	cands := l.byForm[lang+"\x00"+schema.Fold(toks[i].Text)]
	if toks[i].Lemma != "" {
		for _, t := range l.byLemma[lang+"\x00"+schema.Fold(toks[i].Lemma)] {
			if !containsTrigger(cands, t) {
				cands = append(cands, t)
			}
		}
	}
	if pos := toks[i].UPOS; pos != "" && len(cands) > 1 {
		// the tagged reading first; the other stays as a fallback, since
		// the word-order checks in the rules can overrule a tagging error
		var first, rest []*Trigger
		for _, t := range cands {
			if t.Noun == (pos == "NOUN" || pos == "PROPN") {
				first = append(first, t)
			} else {
				rest = append(rest, t)
			}
		}
		cands = append(first, rest...)
	}
	var out []*Trigger
	n := 1
	for _, t := range cands {
		if t.Reflexive && t.Lemma == "rendre" && !reflexiveBefore(toks, i) {
			continue // only "se rendre" is a trigger; others match without the pronoun
		}
		if len(t.Rest) == 0 {
			out = append(out, t)
			continue
		}
		// particle verbs and phrases: the rest follows, allowing one
		// word in between ("called directly on", "held two rounds of talks" is not handled)
		j := i + 1
		ok := true
		for _, w := range t.Rest {
			found := false
			for k := j; k < len(toks) && k <= j+1; k++ {
				if schema.Fold(toks[k].Text) == w || strings.HasPrefix(schema.Fold(toks[k].Text), w) {
					j, found = k+1, true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			// a phrase beats the single word
			out = append([]*Trigger{t}, out...)
			if j-i > n {
				n = j - i
			}
		}
	}
	return out, n
}

// reflexiveBefore: a reflexive pronoun in the two words before i ("s'est
// rendu", "se rendra", "se sont rendus").
func reflexiveBefore(toks []nlp.Token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		switch schema.Fold(toks[k].Text) {
		case "se", "s'", "me", "m'", "te", "t'", "nous", "vous":
			return true
		}
	}
	return false
}
