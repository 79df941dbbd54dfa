package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kg-news/kg/schema"
)

// Alias kinds, as schema.AliasKind spells them.
const (
	kindName    = "name"
	kindDemonym = "demonym"
	kindCapital = "capital"
	kindSurname = "surname"
)

// kindRank orders alias kinds: when one text is both a name and a capital
// of the same entry (Luxembourg, Djibouti), the lower rank wins.
var kindRank = map[string]int{kindName: 0, kindSurname: 1, kindCapital: 2, kindDemonym: 3}

// alias is one surface form of an entry while the gazetteer is built.
type alias struct {
	kind, lang, text string
	curated          bool // added by curated.tsv: wins conflicts between entries
}

// entry is one gazetteer line while the gazetteer is built.
type entry struct {
	id, typ, nameEN, nameFR, country, role string
	aliases                                []alias
	roles                                  []role  // dated offices (persons)
	independent                            bool    // sovereign state (countries only)
	area                                   float64 // km², to rank territories that share a demonym
}

// cleanText normalises white space and typographic quirks in a surface form
// and reports whether it can be stored (non-empty, no tab, "|" or newline).
func cleanText(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || s == "-" || strings.ContainsAny(s, "\t|\r\n") {
		return "", false
	}
	return s, true
}

// add adds an alias to e, merging languages when the same text and kind is
// already present, and keeping the strongest kind when the text is already
// present with another kind.
func (e *entry) add(kind, lang, text string, curated bool) {
	text, ok := cleanText(text)
	if !ok {
		return
	}
	for i := range e.aliases {
		a := &e.aliases[i]
		if a.text != text && !(kind == kindName && a.kind == kindName && strings.EqualFold(a.text, text) && sameCaseClass(a.text, text)) {
			continue
		}
		if a.lang != lang {
			a.lang = ""
		}
		if a.text != text && upperCount(text) > upperCount(a.text) {
			a.text = text // "États-Unis d'Amérique" beats "États-unis d'Amérique"
		}
		if kindRank[kind] < kindRank[a.kind] {
			a.kind = kind
		}
		a.curated = a.curated || curated
		return
	}
	e.aliases = append(e.aliases, alias{kind: kind, lang: lang, text: text, curated: curated})
}

// sameCaseClass reports whether two spellings of a name match the same
// text: a matcher compares all-upper aliases ("HAMAS") as written and
// others only from a capital when they start with one ("Talibans"), so
// "Hamas" and "talibans" must stay beside them.
func sameCaseClass(a, b string) bool {
	ra, _ := utf8.DecodeRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return isAllUpper(a) == isAllUpper(b) && unicode.IsUpper(ra) == unicode.IsUpper(rb)
}

// addVariants adds text and its spelling variants: straight and curly
// apostrophes, and for French the form without an accent on the initial
// capital ("Etats-Unis" for "États-Unis"), as French newspapers often write.
func (e *entry) addVariants(kind, lang, text string, curated bool) {
	e.add(kind, lang, text, curated)
	if strings.Contains(text, "’") {
		e.add(kind, lang, strings.ReplaceAll(text, "’", "'"), curated)
	}
	if strings.Contains(text, "'") {
		e.add(kind, lang, strings.ReplaceAll(text, "'", "’"), curated)
	}
	if lang == "fr" {
		if v := unaccentInitial(text); v != text {
			e.addVariants(kind, lang, v, curated)
		}
	}
}

// upperCount counts the upper-case letters of s.
func upperCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n
}

// remove deletes the aliases whose text equals text, ignoring case.
func (e *entry) remove(text string) int {
	n := 0
	kept := e.aliases[:0]
	for _, a := range e.aliases {
		if strings.EqualFold(a.text, text) {
			n++
			continue
		}
		kept = append(kept, a)
	}
	e.aliases = kept
	return n
}

// unaccentInitial drops the accent of capital letters that start a word
// (É → E, Î → I): "Émirats arabes unis" → "Emirats arabes unis".
func unaccentInitial(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		if !unicode.IsLetter(prev) && unicode.IsUpper(r) {
			if u, ok := upperAccents[r]; ok {
				r = u
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

var upperAccents = map[rune]rune{'É': 'E', 'È': 'E', 'Ê': 'E', 'Î': 'I', 'Ô': 'O', 'À': 'A', 'Â': 'A', 'Ç': 'C', 'Ü': 'U'}

// foldKey is the key under which a matcher compares alias texts: all-upper
// aliases ("US", "UE") match case-sensitively, the others case-insensitively.
func foldKey(text string) string {
	if isAllUpper(text) {
		return text
	}
	return strings.ToLower(text)
}

// isAllUpper reports whether s has letters and no lower-case letter.
func isAllUpper(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters = true
		}
	}
	return letters
}

// qnum returns the number of a Wikidata id, for sorting ("Q423" → 423);
// project ids sort after all Wikidata ids.
func qnum(id string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "Q"))
	if err != nil {
		return 1 << 62
	}
	return n
}

// validID reports whether id looks like a Wikidata item id.
func validID(id string) bool {
	if len(id) < 2 || id[0] != 'Q' || id[1] == '0' {
		return false
	}
	for _, r := range id[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validEntityID reports whether id is a Wikidata id or a project id of the
// form schema.ProjectID makes: a base type, "/", a slug ("group/boko-haram").
func validEntityID(id string) bool {
	if validID(id) {
		return true
	}
	typ, slug, ok := strings.Cut(id, "/")
	if !ok || slug == "" || schema.Slug(slug) != slug {
		return false
	}
	switch typ {
	case schema.Organization, schema.Group, schema.Person, schema.Location, schema.Document:
		return true
	}
	return false
}

// resolveConflicts makes every alias text (as a matcher folds it) point to
// one entry at most. When several entries share a text, an alias added by
// curated.tsv wins; else, among countries, a sovereign state beats a
// territory and a larger one beats a smaller one ("Congolese" → DR Congo,
// "Kingston" → Jamaica); otherwise the text is ambiguous and is dropped from
// all of them. It returns a log of what it did, one line per text.
func resolveConflicts(entries []*entry) []string {
	type holder struct {
		e *entry
		a alias
	}
	by := map[string][]holder{}
	for _, e := range entries {
		for _, a := range e.aliases {
			k := foldKey(a.text)
			hs := by[k]
			if len(hs) > 0 && hs[len(hs)-1].e == e {
				continue // same entry, case variant
			}
			by[k] = append(hs, holder{e, a})
		}
	}
	keys := make([]string, 0, len(by))
	for k, hs := range by {
		if len(hs) > 1 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var log []string
	for _, k := range keys {
		hs := by[k]
		var winner *entry
		var cur []holder
		for _, h := range hs {
			if h.a.curated {
				cur = append(cur, h)
			}
		}
		switch {
		case len(cur) == 1:
			winner = cur[0].e
		case len(cur) == 0:
			allCountries := true
			for _, h := range hs {
				if h.e.typ != "country" {
					allCountries = false
				}
			}
			if allCountries {
				best := hs[0].e
				for _, h := range hs[1:] {
					if better(h.e, best) {
						best = h.e
					}
				}
				winner = best
			}
		}
		ids := make([]string, len(hs))
		for i, h := range hs {
			ids[i] = h.e.id
		}
		for _, h := range hs {
			if h.e != winner {
				removeFold(h.e, k)
			}
		}
		w := "dropped"
		if winner != nil {
			w = "kept on " + winner.id
		}
		log = append(log, fmt.Sprintf("alias %q shared by %s: %s", k, strings.Join(ids, ","), w))
	}
	return log
}

// better ranks countries for resolveConflicts.
func better(a, b *entry) bool {
	if a.independent != b.independent {
		return a.independent
	}
	if a.area != b.area {
		return a.area > b.area
	}
	return qnum(a.id) < qnum(b.id)
}

// removeFold deletes from e the aliases whose folded text is key.
func removeFold(e *entry, key string) {
	kept := e.aliases[:0]
	for _, a := range e.aliases {
		if foldKey(a.text) != key {
			kept = append(kept, a)
		}
	}
	e.aliases = kept
}

// format renders e as one gazetteer line, aliases sorted by kind, language
// and text so that the output is deterministic.
func (e *entry) format() string {
	as := append([]alias(nil), e.aliases...)
	sort.Slice(as, func(i, j int) bool {
		a, b := as[i], as[j]
		if a.kind != b.kind {
			return kindRank[a.kind] < kindRank[b.kind]
		}
		if a.lang != b.lang {
			return a.lang < b.lang
		}
		return a.text < b.text
	})
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.kind + ":" + a.lang + ":" + a.text
	}
	rs := append([]role(nil), e.roles...)
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.from != b.from {
			return a.from < b.from
		}
		if a.to != b.to {
			return a.to < b.to
		}
		if a.role != b.role {
			return a.role < b.role
		}
		return a.of < b.of
	})
	var rparts []string
	for _, r := range mergeRoles(rs) {
		rparts = append(rparts, r.role+":"+r.of+":"+r.from+":"+r.to)
	}
	f := []string{e.id, e.typ, dash(e.nameEN), dash(e.nameFR), dash(e.country), dash(e.role), dash(strings.Join(parts, "|")), dash(strings.Join(rparts, "|"))}
	return strings.Join(f, "\t")
}

// dash returns "-" for an empty field.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// isLatin reports whether every letter of s is in the Latin script, so that
// native-script alternative spellings (조선, Россия) are left out.
func isLatin(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// mergeRoles joins the terms of one office that overlap (the sources list
// a minister once per cabinet), given roles sorted by start.
func mergeRoles(rs []role) []role {
	var out []role
	for _, r := range rs {
		merged := false
		for i := range out {
			o := &out[i]
			if o.role != r.role || o.of != r.of {
				continue
			}
			if o.to == "" || r.from == "" || r.from <= o.to {
				if o.to != "" && (r.to == "" || r.to > o.to) {
					o.to = r.to
				}
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, r)
		}
	}
	return out
}
