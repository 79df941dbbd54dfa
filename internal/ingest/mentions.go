package ingest

import (
	"sort"
	"strings"
	"unicode"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// GazetteerMatcher finds gazetteer names in sentences: the longest alias
// whose folded tokens match, left to right. Folding removes accents and
// case, so "Coree du Nord" and "CORÉE DU NORD" match "Corée du Nord";
// acronyms ("US", "UE", "ONU") match only as written, since "us" and "un"
// are common words.
type GazetteerMatcher struct {
	gaz   *schema.Gazetteer
	first map[string][]aliasSeq // by folded first token
}

type aliasSeq struct {
	toks    []string // folded tokens
	exact   []string // tokens as written, for case-sensitive aliases
	upper   bool     // alias starts with an upper-case letter: the text must too
	acronym bool
	kind    schema.AliasKind
	lang    string
	entry   int
}

var kindRank = map[schema.AliasKind]int{schema.AliasName: 0, schema.AliasCapital: 1, schema.AliasSurname: 2, schema.AliasDemonym: 3}

// NewGazetteerMatcher indexes every alias of the gazetteer.
func NewGazetteerMatcher(g *schema.Gazetteer) *GazetteerMatcher {
	m := &GazetteerMatcher{gaz: g, first: map[string][]aliasSeq{}}
	add := func(text string, kind schema.AliasKind, lang string, entry int) {
		langs := []string{lang}
		if lang == "" {
			langs = []string{"fr", "en"}
		}
		seen := map[string]bool{}
		for _, l := range langs {
			toks := nlp.Tokenize(text, l)
			if len(toks) == 0 {
				continue
			}
			s := aliasSeq{kind: kind, lang: lang, entry: entry}
			for _, t := range toks {
				s.toks = append(s.toks, schema.Fold(t.Text))
				s.exact = append(s.exact, t.Text)
			}
			key := strings.Join(s.toks, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			s.acronym = isAcronym(text)
			r := []rune(text)
			s.upper = unicode.IsUpper(r[0])
			m.first[s.toks[0]] = append(m.first[s.toks[0]], s)
		}
	}
	// The names are repeated among the aliases, minus the ones that are
	// common words ("Dominique", "Grenade"): match the aliases only.
	for i, e := range g.Entries {
		for _, a := range e.Aliases {
			add(a.Text, a.Kind, a.Lang, i)
		}
	}
	// Prefer longer aliases, then better kinds, then the gazetteer order,
	// so matching is deterministic.
	for k, v := range m.first {
		sort.SliceStable(v, func(i, j int) bool {
			if len(v[i].toks) != len(v[j].toks) {
				return len(v[i].toks) > len(v[j].toks)
			}
			if kindRank[v[i].kind] != kindRank[v[j].kind] {
				return kindRank[v[i].kind] < kindRank[v[j].kind]
			}
			return v[i].entry < v[j].entry
		})
		m.first[k] = v
	}
	return m
}

// isAcronym: all letters upper case and short, as "US", "UE", "U.S.", "OTAN".
func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		} else if r != '.' && r != '-' && r != '&' {
			return false
		}
	}
	return n > 0 && n <= 6
}

// Mentions finds the gazetteer mentions of sentence si.
func (m *GazetteerMatcher) Mentions(d *Doc, si int) []Mention {
	s := d.Sents[si]
	toks := s.Tokens
	folded := d.Folded(si)
	var out []Mention
	for i := 0; i < len(toks); {
		best := -1
		var bestSeq aliasSeq
		for _, a := range m.first[folded[i]] {
			n := len(a.toks)
			if i+n > len(toks) || (best >= 0 && n < len(bestSeq.toks)) {
				continue
			}
			if a.lang != "" && a.lang != d.Article.Lang && (a.kind == schema.AliasDemonym || a.acronym) {
				continue // demonyms and acronyms are the commonest false friends across languages (CPI, PIB)
			}
			ok := true
			for k := 0; k < n; k++ {
				if folded[i+k] != a.toks[k] {
					ok = false
					break
				}
				if a.acronym && toks[i+k].Text != a.exact[k] {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			if a.upper && !startsUpper(toks[i].Text) && !innerUpper(toks[i].Text) {
				continue // "turkey" is a bird; but "al-Qaeda" is Al-Qaeda
			}
			if a.upper && allUpperSentence(toks) && !a.acronym && len(a.toks) == 1 && a.kind != schema.AliasName {
				continue
			}
			best, bestSeq = a.entry, a
			break // sorted: the first match is the best
		}
		if best < 0 {
			i++
			continue
		}
		e := &m.gaz.Entries[best]
		n := len(bestSeq.toks)
		country, role := m.gaz.RoleOn(e.ID, d.Article.Date) // the office held when the article was written
		men := Mention{Sent: si, From: i, To: i + n,
			Span:   schema.Span{Start: toks[i].Start, End: toks[i+n-1].End},
			Entity: schema.EntityRef{ID: e.ID, Name: e.Name(d.Article.Lang), Type: e.Type},
			Kind:   bestSeq.kind, Country: country, Role: role}
		out = append(out, men)
		i += n
	}
	return out
}

// innerUpper: an upper-case letter after the first ("al-Qaeda", "McCain").
func innerUpper(s string) bool {
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func startsUpper(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// allUpperSentence spots headlines in capitals, where case tells nothing.
func allUpperSentence(toks []nlp.Token) bool {
	up, low := 0, 0
	for _, t := range toks {
		for _, r := range t.Text {
			if unicode.IsUpper(r) {
				up++
			} else if unicode.IsLower(r) {
				low++
			}
		}
	}
	return up > 3*low && up > 10
}
