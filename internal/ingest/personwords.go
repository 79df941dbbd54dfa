package ingest

import (
	"embed"
	"fmt"
	"strings"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// The words for persons and coreference: persons.tsv, written by hand, and
// given-names.tsv, generated from the UD treebanks by
// internal/ingest/internal/namegen. A given name persons.tsv lists wins
// over the generated row.
//
//go:embed persons.tsv given-names.tsv
var personsFS embed.FS

// personWords holds persons.tsv and given-names.tsv by language.
type personWords struct {
	langs map[string]*langWords
}

// langWords are one language's words for persons and coreference; words
// and phrases are folded.
type langWords struct {
	given          map[string]string // given name -> gender, "" unknown
	notGiven       map[string]bool
	honorific      map[string]string // -> gender
	gender         map[string]string // title or role word -> gender
	roleNoun       phrases           // value: role
	orgCue         map[string]string // -> kind
	placeCue       map[string]bool
	particle       map[string]bool
	pronoun        map[string][]pronoun
	possessed      map[string]bool
	definite       map[string]string // -> gender
	two            map[string]bool
	of             map[string]bool
	orgOf          map[string]bool
	desc           phrases // value: index in descs
	descs          []description
	reportVerb     phrases
	complementizer map[string]bool
	impersonal     phrases
}

// pronoun is one reading of a pronoun form.
type pronoun struct {
	refers string // person, any (person, organisation or country), thing (not a person)
	gender string
	cas    string // subj, obj, poss
}

// description is a noun phrase naming an actor named before.
type description struct {
	text   string
	refers string // person, org, country, countries
	roles  []string
	match  []string // for org: words the organisation's name holds
	kind   string   // for org: the kind its org cue gave it
	gender string
	count  int
}

// phrases are word sequences by their first word.
type phrases map[string][]phrase

type phrase struct {
	words []string
	value string
}

func (p phrases) add(words []string, value string) {
	p[words[0]] = append(p[words[0]], phrase{words, value})
}

// at returns the longest phrase starting at token k of f, and its length.
func (p phrases) at(f []string, k int) (phrase, int) {
	best, n := phrase{}, 0
	if k < 0 || k >= len(f) {
		return best, 0
	}
	for _, ph := range p[f[k]] {
		if len(ph.words) <= n || k+len(ph.words) > len(f) {
			continue
		}
		ok := true
		for j, w := range ph.words {
			if f[k+j] != w {
				ok = false
				break
			}
		}
		if ok {
			best, n = ph, len(ph.words)
		}
	}
	return best, n
}

// endingAt returns the longest phrase ending at token e-1 of f, and its
// length.
func (p phrases) endingAt(f []string, e int) (phrase, int) {
	best, n := phrase{}, 0
	for k := e - 1; k >= 0 && k >= e-4; k-- {
		if ph, m := p.at(f, k); m == e-k && m > n {
			best, n = ph, m
		}
	}
	return best, n
}

// lang returns the words of one language, empty when it has none.
func (p *personWords) lang(l string) *langWords {
	if p != nil {
		if w, ok := p.langs[l]; ok {
			return w
		}
	}
	return newLangWords()
}

func newLangWords() *langWords {
	return &langWords{given: map[string]string{}, notGiven: map[string]bool{}, honorific: map[string]string{},
		gender: map[string]string{}, roleNoun: phrases{}, orgCue: map[string]string{}, placeCue: map[string]bool{},
		particle: map[string]bool{}, pronoun: map[string][]pronoun{}, possessed: map[string]bool{},
		definite: map[string]string{}, two: map[string]bool{}, of: map[string]bool{}, orgOf: map[string]bool{}, desc: phrases{},
		reportVerb: phrases{}, complementizer: map[string]bool{}, impersonal: phrases{}}
}

// loadPersonWords parses the embedded persons.tsv and given-names.tsv.
// Errors carry file:line.
func loadPersonWords() (*personWords, error) {
	p, err := personsFS.ReadFile("persons.tsv")
	if err != nil {
		return nil, err
	}
	g, err := personsFS.ReadFile("given-names.tsv")
	if err != nil {
		return nil, err
	}
	return parsePersonWords("internal/ingest/persons.tsv", string(p), "internal/ingest/given-names.tsv", string(g))
}

// featureKeys are the features each class accepts.
var featureKeys = map[string]map[string]bool{
	"given": {"gender": true}, "notgiven": {}, "honorific": {"gender": true}, "gender": {"gender": true},
	"rolenoun": {"role": true}, "orgcue": {"kind": true}, "placecue": {}, "particle": {},
	"pronoun": {"refers": true, "gender": true, "case": true}, "possessed": {}, "definite": {"gender": true},
	"two": {}, "of": {}, "orgof": {}, "description": {"refers": true, "role": true, "match": true, "kind": true, "gender": true, "count": true},
	"reportverb": {}, "complementizer": {}, "impersonal": {},
}

// featureValues restricts the values of some features.
var featureValues = map[string]map[string]bool{
	"gender": {"m": true, "f": true},
	"refers": {"person": true, "any": true, "thing": true, "org": true, "country": true, "countries": true},
	"case":   {"subj": true, "obj": true, "poss": true},
}

// parsePersonWords parses a persons table and a given-names table.
func parsePersonWords(name, src, givenName, givenSrc string) (*personWords, error) {
	p := &personWords{langs: map[string]*langWords{}}
	get := func(l string) *langWords {
		if p.langs[l] == nil {
			p.langs[l] = newLangWords()
		}
		return p.langs[l]
	}
	err := schema.EachTSVRow(givenName, givenSrc, 4, "lang", func(_ int, f []string) error {
		if f[0] != "fr" && f[0] != "en" {
			return fmt.Errorf("language %q: want fr or en", f[0])
		}
		g := f[2]
		if g == "-" {
			g = ""
		} else if !featureValues["gender"][g] {
			return fmt.Errorf("gender %q: want m, f or -", g)
		}
		get(f[0]).given[schema.Fold(f[1])] = g
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = schema.EachTSVRow(name, src, 4, "lang", func(_ int, f []string) error {
		if f[0] != "fr" && f[0] != "en" {
			return fmt.Errorf("language %q: want fr or en", f[0])
		}
		class := f[1]
		keys, ok := featureKeys[class]
		if !ok {
			return fmt.Errorf("class %q unknown", class)
		}
		var words []string
		for _, t := range nlp.Tokenize(f[2], f[0]) {
			words = append(words, schema.Fold(t.Text))
		}
		if len(words) == 0 {
			return fmt.Errorf("no words")
		}
		feat := map[string]string{}
		if f[3] != "-" {
			for _, kv := range strings.Fields(f[3]) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || v == "" {
					return fmt.Errorf("feature %q: want key=value", kv)
				}
				if !keys[k] {
					return fmt.Errorf("feature %q: class %s does not take it", k, class)
				}
				if vals := featureValues[k]; vals != nil && !vals[v] {
					return fmt.Errorf("feature %s=%s: value unknown", k, v)
				}
				feat[k] = v
			}
		}
		single := func() (string, error) {
			if len(words) != 1 {
				return "", fmt.Errorf("class %s takes one word, got %q", class, f[2])
			}
			return words[0], nil
		}
		w := get(f[0])
		switch class {
		case "rolenoun":
			w.roleNoun.add(words, feat["role"])
			return nil
		case "reportverb":
			w.reportVerb.add(words, "")
			return nil
		case "impersonal":
			w.impersonal.add(words, "")
			return nil
		case "description":
			d := description{text: f[2], refers: feat["refers"], kind: feat["kind"], gender: feat["gender"]}
			if d.refers == "" || d.refers == "any" || d.refers == "thing" {
				return fmt.Errorf("description needs refers=person, org, country or countries")
			}
			if feat["role"] != "" {
				d.roles = strings.Split(feat["role"], ",")
			}
			if feat["match"] != "" {
				for _, m := range strings.Split(feat["match"], ",") {
					d.match = append(d.match, schema.Fold(m))
				}
			}
			if d.refers == "person" && len(d.roles) == 0 {
				return fmt.Errorf("a person description needs role=")
			}
			if d.refers == "org" && len(d.match) == 0 && d.kind == "" {
				return fmt.Errorf("an org description needs match= or kind=")
			}
			if c := feat["count"]; c != "" {
				if _, err := fmt.Sscan(c, &d.count); err != nil || d.count < 2 {
					return fmt.Errorf("count %q: want a number from 2", c)
				}
			}
			if d.refers == "countries" && d.count == 0 {
				return fmt.Errorf("refers=countries needs count=")
			}
			w.desc.add(words, fmt.Sprint(len(w.descs)))
			w.descs = append(w.descs, d)
			return nil
		}
		word, err := single()
		if err != nil {
			return err
		}
		switch class {
		case "given":
			w.given[word] = feat["gender"]
		case "notgiven":
			w.notGiven[word] = true
		case "honorific":
			w.honorific[word] = feat["gender"]
		case "gender":
			w.gender[word] = feat["gender"]
		case "orgcue":
			w.orgCue[word] = feat["kind"]
		case "placecue":
			w.placeCue[word] = true
		case "particle":
			w.particle[word] = true
		case "pronoun":
			pr := pronoun{refers: feat["refers"], gender: feat["gender"], cas: feat["case"]}
			if pr.refers == "" || pr.cas == "" {
				return fmt.Errorf("pronoun needs refers= and case=")
			}
			w.pronoun[word] = append(w.pronoun[word], pr)
		case "possessed":
			w.possessed[word] = true
		case "definite":
			w.definite[word] = feat["gender"]
		case "two":
			w.two[word] = true
		case "of":
			w.of[word] = true
		case "orgof":
			w.orgOf[word] = true
		case "complementizer":
			w.complementizer[word] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
