// Command namegen generates internal/ingest/given-names.tsv, the given
// names kg reads as the start of a person's name ("Cyril" in "Cyril
// Ramaphosa met William Ruto"), from the Universal Dependencies treebanks
// in ../shared/ud (relative to the repository root).
//
// Usage, from anywhere in the repository:
//
//	go run ./internal/ingest/internal/namegen [-ud DIR] [-out FILE]
//
// A word is a given name when the treebanks tag it PROPN at the head of a
// flat name ("John" heads "Smith" by flat or flat:name), before at least
// two different family names, far more often capitalised than not, and
// not the first word of a gazetteer place or organisation ("San", "Hong").
// Its gender is voted by the third-person pronouns of the same sentence
// when only one name is there ("Mary said she ..."), and kept only when
// the vote is clear. The output is sorted and deterministic.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/kg-news/kg/internal/devtools/reporoot"
	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// treebanks by language; the licences are in NOTICE.
var treebanks = map[string][]string{
	"en": {"en_ewt-ud-train.conllu", "en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"},
	"fr": {"fr_sequoia-ud-train.conllu", "fr_sequoia-ud-dev.conllu", "fr_sequoia-ud-test.conllu", "fr_gsd-ud-dev.conllu", "fr_gsd-ud-test.conllu", "fr_pud-ud-test.conllu"},
}

// pronouns vote for a gender: lemma -> m or f, per language.
var pronouns = map[string]map[string]string{
	"en": {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"},
	"fr": {"il": "m", "elle": "f", "lui-même": "m", "elle-même": "f"},
}

func main() {
	root, err := reporoot.Find()
	if err != nil {
		fmt.Fprintln(os.Stderr, "namegen:", err)
		os.Exit(1)
	}
	ud := flag.String("ud", filepath.Join(root, "..", "shared", "ud"), "directory of the UD treebanks")
	out := flag.String("out", filepath.Join(root, "internal", "ingest", "given-names.tsv"), "output file")
	flag.Parse()
	if err := run(*ud, *out); err != nil {
		fmt.Fprintln(os.Stderr, "namegen:", err)
		os.Exit(1)
	}
}

type stats struct {
	heads   int             // times it heads a flat name
	family  map[string]bool // the words after it
	upper   int             // times written capitalised
	lower   int             // times written in lower case
	m, f    int             // pronoun votes
	display string          // the spelling seen most
	spell   map[string]int
}

func run(udDir, out string) error {
	gaz, err := schema.LoadGazetteer()
	if err != nil {
		return err
	}
	// first words of the gazetteer's multi-word names of places and
	// organisations: "San Marino", "Hong Kong", "Saudi Arabia"
	placeFirst := map[string]bool{}
	for _, e := range gaz.Entries {
		if schema.BaseType(e.Type) == schema.Person {
			continue
		}
		for _, a := range e.Aliases {
			if w := strings.Fields(a.Text); len(w) > 0 {
				placeFirst[schema.Fold(w[0])] = true
			}
		}
	}
	var rows []string
	for _, lang := range []string{"en", "fr"} {
		st := map[string]*stats{}
		get := func(k string) *stats {
			s := st[k]
			if s == nil {
				s = &stats{family: map[string]bool{}, spell: map[string]int{}}
				st[k] = s
			}
			return s
		}
		for _, name := range treebanks[lang] {
			sents, err := readFile(filepath.Join(udDir, name))
			if err != nil {
				return err
			}
			for _, s := range sents {
				toks := s.Tokens
				var heads []string
				for i, t := range toks {
					k := schema.Fold(t.Text)
					if startsUpper(t.Text) {
						if i > 0 {
							get(k).upper++ // the sentence's first word says nothing
						}
					} else if st[k] != nil || letters(t.Text) {
						get(k).lower++
					}
					if t.UPOS != "PROPN" || !startsUpper(t.Text) || !letters(t.Text) || len([]rune(t.Text)) < 2 || allUpper(t.Text) {
						continue
					}
					if i+1 >= len(toks) {
						continue
					}
					n := toks[i+1]
					if n.UPOS != "PROPN" || n.Head != i || (n.Dep != "flat" && n.Dep != "flat:name") || !startsUpper(n.Text) {
						continue
					}
					s := get(k)
					s.heads++
					s.family[schema.Fold(n.Text)] = true
					s.spell[t.Text]++
					heads = append(heads, k)
				}
				if len(heads) != 1 {
					continue
				}
				s := st[heads[0]]
				for _, t := range toks {
					switch pronouns[lang][strings.ToLower(t.Text)] {
					case "m":
						s.m++
					case "f":
						s.f++
					}
				}
			}
		}
		for k, s := range st {
			if s.heads < 2 || len(s.family) < 2 || placeFirst[k] || s.lower*4 > s.upper {
				continue
			}
			gender := "-"
			if s.m+s.f >= 2 && s.m >= 4*s.f {
				gender = "m"
			} else if s.m+s.f >= 2 && s.f >= 4*s.m {
				gender = "f"
			}
			best, n := "", 0
			for w, c := range s.spell {
				if c > n || c == n && w < best {
					best, n = w, c
				}
			}
			rows = append(rows, fmt.Sprintf("%s\t%s\t%s\t%d", lang, best, gender, s.heads))
		}
	}
	sort.Strings(rows)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# Given names: generated by `go run ./internal/ingest/internal/namegen` from the UD treebanks")
	fmt.Fprintln(w, "# English EWT (CC BY-SA 4.0), French Sequoia (LGPL-LR), GSD (CC BY-SA 4.0), PUD (CC BY-SA 4.0); do not edit.")
	fmt.Fprintln(w, "# gender: m, f or - (unknown), voted by the pronouns beside the name; count: times seen heading a name.")
	fmt.Fprintln(w, "lang\tname\tgender\tcount")
	for _, r := range rows {
		fmt.Fprintln(w, r)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readFile(path string) ([]nlp.Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := nlp.ReadCoNLLU(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func startsUpper(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

func allUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// letters: a name's letters, with inner hyphens and apostrophes.
func letters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return false
		}
	}
	return s != ""
}
