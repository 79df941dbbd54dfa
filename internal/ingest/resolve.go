package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// Mention kinds of coreference: the actor a pronoun or a definite
// description stands for.
const (
	aliasPronoun     schema.AliasKind = "pronoun"
	aliasDescription schema.AliasKind = "description"
)

// How far back a pronoun and a description look for their actor, in
// sentences: a pronoun picks up what the last few sentences talk about,
// a description with a role ("the minister") may reach further.
const (
	pronounReach     = 3
	descriptionReach = 6
)

// personState is what the resolver learns of one article: the persons'
// name words, genders and the kinds of organisations.
type personState struct {
	d      *Doc
	w      *langWords
	other  *langWords          // the other language's words: given names cross languages
	gender map[string]string   // entity id -> m or f
	kinds  map[string]string   // organisation id -> the kind its org cue gave
	byWord map[string]string   // folded name word -> entity id
	amb    map[string]bool     // name words two persons share: never linked
	ment   map[string]Mention  // entity id -> a mention of it
	full   map[string][]string // entity id -> folded words of its full name
}

func newPersonState(d *Doc, w, other *langWords) *personState {
	return &personState{d: d, w: w, other: other, gender: map[string]string{}, kinds: map[string]string{},
		byWord: map[string]string{}, amb: map[string]bool{}, ment: map[string]Mention{}, full: map[string][]string{}}
}

// givenName: f (folded) is a given name in either language.
func (st *personState) givenName(f string) bool {
	if st.w.notGiven[f] || st.other.notGiven[f] {
		return false
	}
	_, a := st.w.given[f]
	_, b := st.other.given[f]
	return a || b
}

// givenGender is the gender of a given name, "" when unknown.
func (st *personState) givenGender(f string) string {
	if g := st.w.given[f]; g != "" {
		return g
	}
	return st.other.given[f]
}

// index records the words of a person's full name, so that later mentions
// by family name find the person: the last word, and the first when it is
// not a given name (Korean and Chinese names put the family name first:
// "Moon" after "Moon Jae-in"). A word two persons share is never linked:
// "Kim" after "Kim Jong-un" and "Kim Yo-jong" is neither.
func (st *personState) index(m Mention, words []string) {
	if len(words) < 2 {
		return
	}
	id := m.Entity.ID
	var folded []string
	for _, w := range words {
		folded = append(folded, schema.Fold(w))
	}
	if _, ok := st.full[id]; !ok {
		st.full[id] = folded
	}
	if _, ok := st.ment[id]; !ok {
		st.ment[id] = Mention{Entity: m.Entity, Country: m.Country, Role: m.Role}
	}
	if g := st.givenGender(folded[0]); g != "" && st.gender[id] == "" {
		st.gender[id] = g
	}
	add := func(w string) {
		if prev, ok := st.byWord[w]; ok && prev != id {
			st.amb[w] = true
		}
		st.byWord[w] = id
	}
	add(folded[len(folded)-1])
	if first := folded[0]; len(first) > 2 && !st.givenName(first) {
		add(first)
	}
}

// linkable: the capitalised run toks[i:j] of sentence si names a person
// named in full elsewhere in the article: "Ramaphosa", "Cyril Ramaphosa",
// not "Peter Ramaphosa" (another given name: another person) nor "the
// Moon" (a determiner before one word: not a person's name). The mention
// it returns is placed at toks[i:j], as a surname mention.
func (st *personState) linkable(si, i, j int) (Mention, bool) {
	if j-i > 2 {
		return Mention{}, false
	}
	f := st.d.Folded(si)
	last := f[j-1]
	id, ok := st.byWord[last]
	if !ok || st.amb[last] {
		return Mention{}, false
	}
	if j-i == 2 {
		found := false
		for _, w := range st.full[id] {
			if w == f[i] {
				found = true
			}
		}
		if !found {
			return Mention{}, false
		}
	} else if i > 0 {
		if _, det := st.w.definite[f[i-1]]; det {
			return Mention{}, false
		}
	}
	m, ok := st.ment[id]
	if !ok {
		return Mention{}, false
	}
	toks := st.d.Sents[si].Tokens
	m.Sent, m.From, m.To = si, i, j
	m.Span = schema.Span{Start: toks[i].Start, End: toks[j-1].End}
	m.Kind = schema.AliasSurname
	return m, true
}

// untitled decides what a capitalised run toks[i:j] without a title names:
// an organisation when its last word is an org cue ("Samsung Electronics
// Co Ltd", "Liverpool Crown Court"), a person when it starts with a given
// name, follows a role noun ("nominee Brett Kavanaugh"), or is followed by
// an apposition with one ("Edward Snowden, the whistleblower,") or an age
// ("Quinton Tellis, 29,"); nothing when a word of it is a place's
// ("Downing Street") or an org cue sits inside. For a person it returns
// the role the noun gives, for an organisation its kind.
func (st *personState) untitled(si, i, j int) (typ, info string) {
	w := st.w
	f := st.d.Folded(si)
	toks := st.d.Sents[si].Tokens
	n := j - i
	if kind, ok := w.orgCue[f[j-1]]; ok {
		if n >= 2 {
			return schema.Organization, kind
		}
		return "", ""
	}
	for k := i; k < j-1; k++ {
		if _, ok := w.orgCue[f[k]]; ok {
			return "", "" // "Group Chief Executive Mark Tucker": neither
		}
	}
	for k := i; k < j; k++ {
		if w.placeCue[f[k]] {
			return "", ""
		}
	}
	if n < 2 || n > 4 {
		return "", ""
	}
	role, cue := "", false
	if ph, m := w.roleNoun.endingAt(f, i); m > 0 {
		role, cue = ph.value, true
	}
	if st.givenName(f[i]) {
		cue = true
	}
	if j+2 < len(toks) && f[j] == "," {
		if isAge(toks[j+1].Text) && (f[j+2] == "," || j+3 < len(f) && isLowerWord(toks[j+2].Text) && f[j+3] == ",") {
			cue = true // "Quinton Tellis, 29,", « Quinton Tellis, 29 ans, »
		}
		for k := j + 1; k < len(f) && k <= j+5; k++ {
			if ph, m := w.roleNoun.at(f, k); m > 0 {
				if k+m < len(toks) && isNameWord(toks[k+m].Text) {
					break // ", Professor Johannes Tuchel": the next name's
				}
				if role == "" {
					role = ph.value
				}
				cue = true
				break
			}
			if determiners[f[k]] {
				continue
			}
			if f[k] == "," || boundaries[f[k]] || auxiliaries[f[k]] {
				break
			}
		}
	}
	if j+1 < len(f) && f[j] == "'s" && w.gender[f[j+1]] != "" {
		cue = true // "Assange's mother"
	}
	if !cue {
		return "", ""
	}
	return schema.Person, role
}

// orgComplement extends a run that ends with an org cue over its
// complement: "National Center for Disaster Prevention", « Ministère des
// Finances ». It returns the new end of the run and the cue's kind.
func (st *personState) orgComplement(si, i, j int, covered []bool) (int, string) {
	f := st.d.Folded(si)
	toks := st.d.Sents[si].Tokens
	kind, ok := st.w.orgCue[f[j-1]]
	if !ok || j >= len(toks) || !st.w.orgOf[f[j]] {
		return j, ""
	}
	k := j + 1
	if _, det := st.w.definite[f[min(k, len(f)-1)]]; det && k < len(toks) {
		k++ // « des Finances » is « de les Finances »
	}
	e := k
	for e < len(toks) && !covered[e] && isNameWord(toks[e].Text) && e-k < 4 {
		e++
	}
	if e == k {
		return j, ""
	}
	return e, kind
}

// isAge: digits only ("Ditta, 42,").
func isAge(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// titleCaseSentence spots headlines in title case ("Kavanaugh Accuser
// Agrees To Testify"), where capitals do not mark names.
func titleCaseSentence(toks []nlp.Token) bool {
	up, words := 0, 0
	for _, t := range toks {
		r := []rune(t.Text)
		if len(r) < 2 || !unicode.IsLetter(r[0]) {
			continue
		}
		words++
		if unicode.IsUpper(r[0]) {
			up++
		}
	}
	return words >= 5 && up*100 >= words*85
}

// coveredTokens marks the tokens of sentence si that a mention covers.
func coveredTokens(d *Doc, si int) []bool {
	covered := make([]bool, len(d.Sents[si].Tokens))
	for _, m := range d.Mentions[si] {
		for k := m.From; k < m.To; k++ {
			covered[k] = true
		}
	}
	return covered
}

// laterMentions links the family names of sentence si to persons named in
// full anywhere in the article, also later: a headline names "Ramaphosa"
// before the text names "Cyril Ramaphosa".
func (st *personState) laterMentions(si int) {
	d := st.d
	toks := d.Sents[si].Tokens
	covered := coveredTokens(d, si)
	var added []Mention
	for i := 0; i < len(toks); i++ {
		if covered[i] || !isNameWord(toks[i].Text) {
			continue
		}
		j := i
		for j < len(toks) && !covered[j] && isNameWord(toks[j].Text) && j-i < 3 {
			j++
		}
		if m, ok := st.linkable(si, i, j); ok {
			added = append(added, m)
		}
		i = j - 1
	}
	if len(added) > 0 {
		d.Mentions[si] = mergeMentions(d.Mentions[si], added)
		for _, m := range added {
			d.AddEntity(m, d.Article.Text[m.Span.Start:m.Span.End])
		}
		dropModifiers(d, si)
	}
}

// coref resolves the pronouns, possessives and definite descriptions of
// sentence si to actors named before, as mentions marked Resolved whose
// Via tells how.
func (st *personState) coref(si int) {
	d, w := st.d, st.w
	toks := d.Sents[si].Tokens
	f := d.Folded(si)
	covered := coveredTokens(d, si)
	var added []Mention
	for k := 0; k < len(toks); k++ {
		if covered[k] {
			continue
		}
		var ant Mention
		var from int
		ok := false
		to := k + 1
		if prs := w.pronoun[f[k]]; len(prs) > 0 {
			ant, from, ok = st.pronounAt(si, k, prs)
		} else if _, det := w.definite[f[k]]; det {
			ant, from, to, ok = st.descriptionAt(si, k, covered)
		}
		if !ok {
			continue
		}
		m := Mention{Sent: si, From: k, To: to, Span: schema.Span{Start: toks[k].Start, End: toks[to-1].End},
			Entity: ant.Entity, Kind: aliasPronoun, Country: ant.Country, Role: ant.Role, Resolved: true,
			Via: fmt.Sprintf("%s → %s (sentence %d)", d.Article.Text[toks[k].Start:toks[to-1].End], ant.Entity.Name, from+1)}
		if to > k+1 {
			m.Kind = aliasDescription
		}
		added = append(added, m)
		for x := k; x < to; x++ {
			covered[x] = true
		}
		k = to - 1
	}
	if len(added) > 0 {
		d.Mentions[si] = mergeMentions(d.Mentions[si], added)
	}
}

// pronounAt resolves the pronoun at token k: "he", "she" to the person
// last talked about whose gender fits; a possessive before a noun its
// possessor acts through ("his spokesman", « son gouvernement ») to the
// actor last talked about; "it" and « il », « elle » after a reporting
// verb to that verb's subject ("China said it would", « la Chine a
// annoncé qu'elle allait »).
func (st *personState) pronounAt(si, k int, prs []pronoun) (Mention, int, bool) {
	w := st.w
	f := st.d.Folded(si)
	possCtx := k+1 < len(f) && w.possessed[f[k+1]]
	if _, n := w.impersonal.at(f, k); n > 0 {
		return Mention{}, 0, false // « il y a », « il faut »
	}
	for _, p := range prs {
		if (p.cas == "poss") != possCtx {
			continue
		}
		switch {
		case p.cas == "poss":
			return st.salientActor(si, k, p.refers == "thing", p.refers == "person", p.gender)
		case p.refers == "person":
			return st.personAntecedent(si, k, p.gender)
		case p.refers == "thing":
			if m, ok := st.reportSubject(si, k); ok && schema.BaseType(m.Entity.Type) != schema.Person {
				return m, si, true
			}
		case p.refers == "any":
			if m, ok := st.reportSubject(si, k); ok {
				if schema.BaseType(m.Entity.Type) != schema.Person || st.genderFits(m.Entity.ID, p.gender) {
					return m, si, true
				}
				return Mention{}, 0, false
			}
			return st.personAntecedent(si, k, p.gender)
		}
	}
	return Mention{}, 0, false
}

func (st *personState) genderFits(id, g string) bool {
	h := st.gender[id]
	return g == "" || h == "" || g == h
}

// actorMention: a mention that can be an actor a pronoun picks up, not a
// demonym, a place or a pronoun of its own sentence's future.
func (st *personState) actorMention(si int, m Mention) bool {
	if m.Kind == schema.AliasDemonym || mentionIsPlace(st.d, si, m) {
		return false
	}
	switch schema.BaseType(m.Entity.Type) {
	case schema.Person, schema.Country, schema.Organization, schema.Group:
		return true
	}
	return false
}

// personAntecedent finds the person a personal pronoun at token k of
// sentence si stands for: the first person (the subject, in news) of this
// sentence before the pronoun whose gender fits, else of the nearest
// sentence before that names one. A capitalised name the resolver does
// not know before the pronoun is likelier its antecedent: nothing then.
func (st *personState) personAntecedent(si, k int, gender string) (Mention, int, bool) {
	d := st.d
	toks := d.Sents[si].Tokens
	covered := coveredTokens(d, si)
	for j := 1; j < k; j++ {
		if !covered[j] && isNameWord(toks[j].Text) && !titleWords[schema.Fold(toks[j].Text)] {
			return Mention{}, 0, false
		}
	}
	for s2 := si; s2 >= 0 && s2 >= si-pronounReach; s2-- {
		for _, m := range d.Mentions[s2] {
			if s2 == si && m.From >= k {
				break
			}
			if schema.BaseType(m.Entity.Type) == schema.Person && st.genderFits(m.Entity.ID, gender) && !st.complement(s2, m) {
				return m, s2, true
			}
		}
	}
	return Mention{}, 0, false
}

// complement: mention m is the complement of a preposition ("a supporter
// of X", « aux côtés de X »), not a subject a pronoun picks up.
func (st *personState) complement(si int, m Mention) bool {
	if m.From == 0 {
		return false
	}
	p := st.d.Folded(si)[m.From-1]
	return st.w.of[p] || placePreps[st.d.Article.Lang][p]
}

// salientActor finds what a possessive at token k stands for: the first
// actor of this sentence before it, else of the nearest sentence before;
// noPerson for "its", onlyPerson for "his" and "her".
func (st *personState) salientActor(si, k int, noPerson, onlyPerson bool, gender string) (Mention, int, bool) {
	d := st.d
	for s2 := si; s2 >= 0 && s2 >= si-pronounReach; s2-- {
		for _, m := range d.Mentions[s2] {
			if s2 == si && m.From >= k {
				break
			}
			if !st.actorMention(s2, m) || st.complement(s2, m) {
				continue
			}
			person := schema.BaseType(m.Entity.Type) == schema.Person
			if noPerson && person || onlyPerson && !person || person && !st.genderFits(m.Entity.ID, gender) {
				continue
			}
			return m, s2, true
		}
	}
	return Mention{}, 0, false
}

// reportSubject: the pronoun at token k is the subject of a clause that a
// reporting verb governs ("X said (that) it", « X a annoncé qu'il »); the
// verb's subject is the first actor of the sentence before the verb.
func (st *personState) reportSubject(si, k int) (Mention, bool) {
	w := st.w
	f := st.d.Folded(si)
	toks := st.d.Sents[si].Tokens
	if k+1 >= len(toks) || !isLowerWord(toks[k+1].Text) {
		return Mention{}, false // "denied it.": the object, not a clause's subject
	}
	e := k
	if e > 0 && w.complementizer[f[e-1]] {
		e--
	}
	v := -1
	for x := e; x >= 0 && x >= e-4; x-- {
		if _, n := w.reportVerb.endingAt(f, x); n > 0 {
			v = x - n
			break
		}
		if x < e && (boundaries[f[x]] || f[x] == ",") {
			break
		}
	}
	if v < 0 {
		return Mention{}, false
	}
	for _, m := range st.d.Mentions[si] {
		if m.To > v {
			break
		}
		if st.actorMention(si, m) {
			return m, true
		}
	}
	return Mention{}, false
}

// descriptionAt resolves a definite description starting with the
// determiner at token k ("the minister", « le chef de la diplomatie »,
// "the ministry", "the junta") to the latest actor it fits: a person
// whose role (and gender, and country when "of X" or a demonym follows)
// fits, an organisation whose name holds the noun or whose kind it names,
// a country. A description followed by a name is that name's title, not
// a reference.
func (st *personState) descriptionAt(si, k int, covered []bool) (Mention, int, int, bool) {
	d, w := st.d, st.w
	f := d.Folded(si)
	toks := d.Sents[si].Tokens
	ph, n := w.desc.at(f, k+1)
	if n == 0 {
		return Mention{}, 0, 0, false
	}
	idx, err := strconv.Atoi(ph.value)
	if err != nil || idx >= len(w.descs) {
		return Mention{}, 0, 0, false
	}
	desc := w.descs[idx]
	e := k + 1 + n
	if desc.refers == "countries" {
		return Mention{}, 0, 0, false // "the two neighbours": the relation rules take pairs
	}
	if e < len(toks) && (isNameWord(toks[e].Text) || covered[e] && schema.BaseType(st.mentionAt(si, e).Entity.Type) == schema.Person) {
		return Mention{}, 0, 0, false // "the president Moon Jae-in": a title
	}
	if e+1 < len(toks) && f[e] == "," && covered[e+1] && schema.BaseType(st.mentionAt(si, e+1).Entity.Type) == schema.Person {
		return Mention{}, 0, 0, false // "the minister, Ri Yong-ho,": an apposition
	}
	gender := desc.gender
	if gender == "" {
		gender = w.definite[f[k]]
	}
	// "the president of Kenya", "le président russe": the country
	country := ""
	for x := e; x < len(toks) && x < e+5; x++ {
		if covered[x] {
			m := st.mentionAt(si, x)
			if m.Kind == schema.AliasDemonym || schema.BaseType(m.Entity.Type) == schema.Country {
				if x == e || w.of[f[x-1]] || determiners[f[x-1]] && x-1 > e && w.of[f[x-2]] {
					country = m.Entity.ID
				}
			}
			break
		}
		if isDemonymWord(d, f[x]) {
			break
		}
		if !(w.of[f[x]] || determiners[f[x]] || titleWords[f[x]]) {
			break
		}
	}
	for s2 := si; s2 >= 0 && s2 >= si-descriptionReach; s2-- {
		ms := d.Mentions[s2]
		for mi := len(ms) - 1; mi >= 0; mi-- {
			m := ms[mi]
			if s2 == si && m.From >= k {
				continue
			}
			if st.fits(s2, m, desc, gender, country) {
				return m, s2, e, true
			}
		}
	}
	return Mention{}, 0, 0, false
}

// mentionAt returns the mention covering token x of sentence si.
func (st *personState) mentionAt(si, x int) Mention {
	for _, m := range st.d.Mentions[si] {
		if m.From <= x && x < m.To {
			return m
		}
	}
	return Mention{}
}

// fits: mention m is an actor the description can name.
func (st *personState) fits(si int, m Mention, desc description, gender, country string) bool {
	id := m.Entity.ID
	e := st.d.Entities[id]
	switch desc.refers {
	case "person":
		if schema.BaseType(m.Entity.Type) != schema.Person || !st.genderFits(id, gender) {
			return false
		}
		role, c := m.Role, m.Country
		if e != nil {
			if role == "" {
				role = e.Role
			}
			if c == "" {
				c = e.Country
			}
		}
		if country != "" && c != country {
			return false
		}
		for _, r := range desc.roles {
			if r == role {
				return true
			}
		}
	case "org":
		if schema.BaseType(m.Entity.Type) != schema.Organization {
			return false
		}
		if desc.kind != "" && (st.kinds[id] == desc.kind || strings.HasSuffix(m.Entity.Type, "/"+desc.kind)) {
			return true // the kind its name's cue gave, or the gazetteer's subtype ("organization/company")
		}
		for _, t := range nlp.Tokenize(m.Entity.Name, st.d.Article.Lang) {
			for _, w := range desc.match {
				if schema.Fold(t.Text) == w {
					return true
				}
			}
		}
	case "country":
		return schema.BaseType(m.Entity.Type) == schema.Country && m.Kind != schema.AliasDemonym && !mentionIsPlace(st.d, si, m)
	}
	return false
}

// pairNoun: f (folded) is a description of two countries after "two" /
// « deux » ("the two neighbours", « les deux voisins »).
func (w *langWords) pairNoun(f string) bool {
	if w == nil {
		return false
	}
	for _, ph := range w.desc[f] {
		if len(ph.words) != 1 {
			continue
		}
		if idx, err := strconv.Atoi(ph.value); err == nil && idx < len(w.descs) && w.descs[idx].refers == "countries" {
			return true
		}
	}
	return false
}

// viaOf tells how the mentions an argument spans were resolved, for
// --explain: "; he → Cyril Ramaphosa (sentence 2)", or "".
func (s *sent) viaOf(a *arg) string {
	if a == nil {
		return ""
	}
	out := ""
	for _, m := range s.men {
		if m.Via != "" && m.From >= a.from && m.To <= a.to && a.to > a.from {
			out += "; " + m.Via
		}
	}
	return out
}
