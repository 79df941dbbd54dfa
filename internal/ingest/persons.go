package ingest

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// Titles that introduce a person's name: "Foreign Minister Ri Yong-ho",
// "le ministre Ri Yong Ho", "Mr Park", "ambassador Terry Branstad".
var personTitles = map[string]string{
	"president": "president", "presidente": "president", "minister": "minister", "ministre": "minister",
	"secretary": "minister", "secretaire": "minister", "chancellor": "head_of_government", "chanceliere": "head_of_government", "chancelier": "head_of_government",
	"premier": "head_of_government", "ambassador": "ambassador", "ambassadeur": "ambassador", "ambassadrice": "ambassador",
	"envoy": "ambassador", "envoye": "ambassador", "spokesman": "spokesperson", "spokeswoman": "spokesperson", "porte-parole": "spokesperson",
	"leader": "leader", "dirigeant": "leader", "chef": "leader", "lawmaker": "member", "depute": "member", "deputee": "member",
	"senator": "member", "senateur": "member", "senatrice": "member", "governor": "member", "gouverneur": "member",
	"general": "member", "king": "head_of_state", "roi": "head_of_state", "queen": "head_of_state", "reine": "head_of_state",
	"mr": "", "mr.": "", "mrs": "", "mrs.": "", "ms": "", "ms.": "", "dr": "", "dr.": "", "m.": "", "mme": "", "mlle": "",
	"prime": "head_of_government", "foreign": "minister", "defence": "minister", "defense": "minister",
	"procureur": "member", "attorney": "member", "judge": "member", "juge": "member", "mayor": "member", "maire": "member",
	"commissioner": "member", "commissaire": "member", "director": "member", "directeur": "member", "directrice": "member",
	"chairman": "leader", "chairwoman": "leader", "ceo": "leader", "secretary-general": "leader", "secretaire-general": "leader",
	"vice-president": "member", "vice-president.": "member", "rapporteur": "member", "emir": "head_of_state", "prince": "member",
	"chief": "leader", "pope": "head_of_state", "pape": "head_of_state", "colonel": "member", "commander": "member", "commandant": "member",
}

// Words of organisations and places, never of a person's name.
var orgWords = set("department departement council conseil association administration agency agence online center centre party parti ministry ministere committee comite commission university universite inc corp group groupe news times post bank banque court cour office organisation organization institute institut foundation fondation company compagnie force forces army armee union league ligue club federation house maison street rue airport aeroport hospital hopital school ecole college station network media press presse service services senate senat assembly assemblee")

// personName: at least two words, no acronym, no organisation word.
func personName(toks []nlp.Token) bool {
	for _, t := range toks {
		if orgWords[schema.Fold(t.Text)] {
			return false
		}
		up, letters := 0, 0
		for _, r := range t.Text {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					up++
				}
			}
		}
		if letters >= 2 && up == letters {
			return false // an acronym: "BNPB", "SAP"
		}
	}
	return true
}

// nameParticles occur inside names in lower case.
var nameParticles = set("bin ben ibn al el von van der den de da di du")

// Words of titles that are capitalised but not names.
var titleWords = set("former ancien ancienne ex late feu diplomatie diplomacy state etat foreign affairs affaires etrangeres defence defense interior interieur finance finances justice trade commerce home general national security securite house senate house chamber republic republique")

// Capitalised words that are not names.
var notNames = set("le la les l' un une des de du the a an in on at of to for and et ou or but mais this ce cette ces il elle ils they he she we nous on if si when quand after apres before avant while selon according by par with avec as comme")

// corefResolver finds persons the gazetteer lacks, from titles,
// appositions, given names and the nouns beside a name, and organisations
// from the words of their names; links later mentions by surname
// ("Branstad", "Mr Park") to them; and resolves pronouns, possessives and
// definite descriptions to the actor named before (resolve.go).
type corefResolver struct {
	words *personWords
}

// Resolve adds person mentions to the document.
func (r corefResolver) Resolve(d *Doc) {
	other := "fr"
	if d.Article.Lang == "fr" {
		other = "en"
	}
	st := newPersonState(d, r.words.lang(d.Article.Lang), r.words.lang(other))
	d.persons = st.w
	for _, id := range d.order {
		e := d.Entities[id]
		if schema.BaseType(e.Type) != schema.Person {
			continue
		}
		m := Mention{Entity: e.EntityRef, Country: e.Country, Role: e.Role}
		for _, a := range e.Aliases {
			st.index(m, strings.Fields(a))
		}
	}
	for si := range d.Sents {
		st.names(si)
	}
	for si := range d.Sents {
		st.laterMentions(si)
	}
	for si := range d.Sents {
		st.coref(si)
	}
}

// names finds the persons and organisations of sentence si that the
// gazetteer lacks.
func (st *personState) names(si int) {
	d, w := st.d, st.w
	toks := d.Sents[si].Tokens
	f := d.Folded(si)
	covered := make([]bool, len(toks))
	for _, m := range d.Mentions[si] {
		for k := m.From; k < m.To; k++ {
			covered[k] = true
		}
	}
	titleCase := titleCaseSentence(toks)
	var added []Mention
	for i := 0; i < len(toks); i++ {
		if covered[i] || !isNameWord(toks[i].Text) {
			continue
		}
		// a run of capitalised words
		j := i
		for j < len(toks) && !covered[j] && j-i < 5 {
			if isNameWord(toks[j].Text) {
				j++
				continue
			}
			// "Osama bin Laden", "Ursula von der Leyen": particles
			// inside a name, before another name word
			if j > i && nameParticles[toks[j].Text] && j+1 < len(toks) && !covered[j+1] && (isNameWord(toks[j+1].Text) || nameParticles[toks[j+1].Text] && j+2 < len(toks) && isNameWord(toks[j+2].Text)) {
				j++
				continue
			}
			// "Marine Le Pen": a capitalised particle after a given name
			if j > i && w.particle[f[j]] && st.givenName(f[i]) && j+1 < len(toks) && !covered[j+1] && startsUpper(toks[j+1].Text) && isNameLike(toks[j+1].Text) {
				j += 2 // the family name may be a word: "Bruno Le Maire"
				continue
			}
			break
		}
		if _, org := w.orgCue[f[j-1]]; org && i > 0 && covered[i-1] {
			// "Samsung Electronics Co Ltd", "Thales Alenia SA": a run
			// ending in an organisation word right after a known
			// organisation is the rest of its name, not a second one
			if m := mentionEnding(d.Mentions[si], i-1); m != nil && schema.BaseType(m.Entity.Type) == schema.Organization {
				m.To, m.Span.End = j, toks[j-1].End
				for k := i; k < j; k++ {
					covered[k] = true
				}
				i = j - 1
				continue
			}
		}
		if _, org := w.orgCue[f[j-1]]; titleWords[f[i]] && !(org && j-i >= 2) {
			continue // "Secretary of State Mike Pompeo": "State" is the title's; but "the Finance Ministry" is a name
		}
		if _, ok := w.honorific[f[i]]; ok && j-i >= 2 {
			i++ // "Lord Adonis", "Sir Keir Starmer": the honorific is not the name
		}
		for {
			_, m := w.roleNoun.at(f, i)
			if m == 0 || j-i-m < 2 {
				break
			}
			i += m // "Professor Johannes Tuchel", "Billionaire MP Clive Palmer": the role is not the name
		}
		if m, ok := st.linkable(si, i, j); ok {
			// a later mention by surname, maybe with its given name
			added = append(added, m)
			i = j - 1
			continue
		}
		title, country := "", ""
		hasTitle := false
		gender := ""
		for k := i - 1; k >= 0 && k >= i-8; k-- {
			wk := f[k]
			if r, ok := personTitles[wk]; ok {
				hasTitle = true
				if title == "" || r == "head_of_government" && title == "minister" && title != "minister!" {
					title = r // "Prime Minister": the whole title counts
				}
				if g := w.gender[wk]; g != "" && gender == "" {
					gender = g
				}
				continue
			}
			if ms := mentionEnding(d.Mentions[si], k); ms != nil && (ms.Kind == schema.AliasDemonym || schema.BaseType(ms.Entity.Type) == schema.Country) {
				// "North Korean Foreign Minister", "le ministre nord-coréen"
				if country == "" {
					country = ms.Entity.ID
				}
				k = ms.From
				continue
			}
			if wk == "of" || wk == "de" || wk == "du" || wk == "'s" || wk == "the" || wk == "le" || wk == "la" || wk == "l'" || wk == "," || wk == "des" || wk == "les" {
				continue
			}
			// "le ministre nord-coréen des Affaires étrangères, Ri
			// Yong-ho": the words of the title
			if titleWords[wk] {
				if wk == "diplomatie" || wk == "diplomacy" {
					title = "minister" // "le chef de la diplomatie"
				}
				continue
			}
			break
		}
		// "Mr Ditta", « Mme Kamar »: one word is a name after an honorific
		honorific := false
		if i > 0 {
			if g, ok := w.honorific[f[i-1]]; ok {
				honorific = true
				if g != "" {
					gender = g
				}
			}
		}
		// apposition after: "Terry Branstad, the U.S. ambassador to China"
		if !hasTitle && j-i >= 2 && j+2 < len(toks) && toks[j].Text == "," {
			for k := j + 1; k < len(toks) && k <= j+5; k++ {
				wk := f[k]
				if r, ok := personTitles[wk]; ok && r != "" {
					if titleBeforeName(toks, k+1, covered) || !closedApposition(toks, k+1) {
						// "..., U.S. Interior Secretary Ryan Zinke": the
						// title is the next name's; "X, le chef de la
						// diplomatie américaine a justifié": the title
						// is the main clause's subject
						break
					}
					hasTitle, title = true, r
					for k2 := j + 1; k2 < k; k2++ {
						if ms := mentionEnding(d.Mentions[si], k2); ms != nil {
							country = ms.Entity.ID
						}
					}
					break
				}
			}
		}
		if !hasTitle && j-i >= 2 && j-i <= 3 && speaker(toks, i, j) {
			// "Park Byeong-seug, citing data ..., said", "said Marvin
			// Cooke": a name as the subject of a speech verb
			hasTitle = true
		}
		typ, kind := schema.Person, ""
		if e, k := st.orgComplement(si, i, j, covered); e > j && !hasTitle && !honorific && !titleCase {
			j, typ, kind = e, schema.Organization, k
		} else if !hasTitle && !honorific && !titleCase {
			// no title: the words of the name and around it decide
			typ, kind = st.untitled(si, i, j)
			if typ == schema.Person {
				title = kind // the role a noun beside the name gives
			}
		}
		if !hasTitle && !honorific {
			country = ""
		}
		if typ == "" || notNames[f[i]] || j-i < 2 && !honorific || typ == schema.Person && !personName(toks[i:j]) {
			// a person is named by at least a given and a family name,
			// none of them an acronym or an organisation's word, unless
			// an honorific says one word is a name
			i = j - 1
			continue
		}
		name := d.Article.Text[toks[i].Start:toks[j-1].End]
		m := Mention{Sent: si, From: i, To: j, Span: schema.Span{Start: toks[i].Start, End: toks[j-1].End},
			Entity: schema.EntityRef{ID: schema.ProjectID(typ, name), Name: name, Type: typ},
			Kind:   schema.AliasName, Country: country, Role: title, Titled: title != "" && hasTitle}
		if typ == schema.Organization {
			m.Role = ""
			st.kinds[m.Entity.ID] = kind
		} else {
			if gender == "" {
				gender = w.given[f[i]]
			}
			if gender != "" && st.gender[m.Entity.ID] == "" {
				st.gender[m.Entity.ID] = gender
			}
			words := make([]string, 0, j-i)
			for k := i; k < j; k++ {
				words = append(words, toks[k].Text)
			}
			st.index(m, words)
		}
		added = append(added, m)
		i = j - 1
	}
	added = append(added, northSouth(d, si)...)
	if len(added) > 0 {
		d.Mentions[si] = mergeMentions(d.Mentions[si], added)
		for _, m := range added {
			d.AddEntity(m, d.Article.Text[m.Span.Start:m.Span.End])
		}
	}
	dropModifiers(d, si)
}

func isNameWord(w string) bool {
	r := []rune(w)
	if len(r) == 0 || !unicode.IsUpper(r[0]) {
		return false
	}
	if notNames[schema.Fold(w)] {
		return false
	}
	for _, c := range r {
		if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '.' {
			return false
		}
	}
	if _, ok := months[schema.Fold(w)]; ok {
		return false
	}
	if _, ok := weekdays[schema.Fold(w)]; ok {
		return false
	}
	if _, ok := personTitles[schema.Fold(w)]; ok {
		return false
	}
	return true
}

func mentionEnding(ms []Mention, k int) *Mention {
	for i := range ms {
		if ms[i].To-1 == k {
			return &ms[i]
		}
	}
	return nil
}

func mergeMentions(a, b []Mention) []Mention {
	out := append(append([]Mention{}, a...), b...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].From < out[j-1].From; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// dropModifiers removes country mentions that only qualify the person
// after them ("US President Donald Trump", "le président russe Vladimir
// Poutine"): the person is the actor. It returns role facts the title
// states, to be emitted with the sentence.
func dropModifiers(d *Doc, si int) {
	ms := d.Mentions[si]
	toks := d.Sents[si].Tokens
	var keep []Mention
	for k, m := range ms {
		typ := schema.BaseType(m.Entity.Type)
		if typ == schema.Country || typ == schema.Organization || m.Kind == schema.AliasDemonym {
			if p := nextPerson(ms, k, toks); p >= 0 {
				if d.modifiers == nil {
					d.modifiers = map[[2]int]bool{}
				}
				for j := m.From; j < m.To; j++ {
					d.modifiers[[2]int{si, j}] = true
				}
				person := &d.Mentions[si][p]
				person.Country = m.Entity.ID
				person.Titled = true
				if r := titleRole(toks, m.To, person.From); r != "" {
					person.Role = r
				} else if m.From > 0 {
					person.Role = titleRole(toks, max(0, m.From-2), m.From)
				}
				if e, ok := d.Entities[person.Entity.ID]; ok && e.Country == "" {
					e.Country = m.Entity.ID
				}
				continue
			}
		}
		keep = append(keep, m)
	}
	d.Mentions[si] = keep
}

// nextPerson returns the index of a person mention that follows mention k
// after at most three title words ("President", "Foreign Minister"), or
// after the title with the demonym inside ("président russe").
func nextPerson(ms []Mention, k int, toks []nlp.Token) int {
	m := ms[k]
	// French: "le président russe Vladimir Poutine": the demonym follows a title
	titleBefore := m.From > 0 && personTitles[schema.Fold(toks[m.From-1].Text)] != ""
	for p := k + 1; p < len(ms); p++ {
		if schema.BaseType(ms[p].Entity.Type) != schema.Person {
			return -1
		}
		gap := ms[p].From - m.To
		if gap < 0 || gap > 3 {
			return -1
		}
		titled := gap == 0 && titleBefore
		for j := m.To; j < ms[p].From; j++ {
			w := schema.Fold(toks[j].Text)
			if _, ok := personTitles[w]; ok {
				titled = true
				continue
			}
			if !titleWords[w] && w != "of" && w != "de" && w != "des" && w != "du" && w != "'s" {
				return -1
			}
		}
		if titled {
			return p
		}
		return -1
	}
	return -1
}

// northSouth resolves "the North", "le Nord", "the South", "le Sud" to a
// country already named whose name says so (North Korea, Corée du Sud,
// South Sudan), as news does after naming both once.
func northSouth(d *Doc, si int) []Mention {
	toks := d.Sents[si].Tokens
	covered := make([]bool, len(toks))
	for _, m := range d.Mentions[si] {
		for k := m.From; k < m.To; k++ {
			covered[k] = true
		}
	}
	var out []Mention
	for i, t := range toks {
		if covered[i] {
			continue // "la Corée du Sud" is already a name
		}
		var en, fr string
		switch t.Text {
		case "North", "Nord":
			en, fr = "North ", " du Nord"
		case "South", "Sud":
			en, fr = "South ", " du Sud"
		default:
			continue
		}
		if i == 0 || !(schema.Fold(toks[i-1].Text) == "the" || schema.Fold(toks[i-1].Text) == "le") {
			continue
		}
		if i+1 < len(toks) && isNameWord(toks[i+1].Text) {
			continue // "the North Atlantic"
		}
		found := ""
		for _, id := range d.order {
			e := d.Entities[id]
			if schema.BaseType(e.Type) != schema.Country {
				continue
			}
			if g, ok := d.Gaz.Lookup(id); ok && (strings.HasPrefix(g.NameEN, en) || strings.HasSuffix(g.NameFR, fr)) {
				if found != "" && found != id {
					found = "" // two candidates: do not guess
					break
				}
				found = id
			}
		}
		if found == "" {
			continue
		}
		e := d.Entities[found]
		out = append(out, Mention{Sent: si, From: i, To: i + 1, Span: schema.Span{Start: t.Start, End: t.End},
			Entity: e.EntityRef, Kind: schema.AliasName, Resolved: true})
	}
	return out
}

// titleRole reads the role of the title words in toks[from:to]: "Foreign
// Minister" is a minister, "Prime Minister" a head of government.
func titleRole(toks []nlp.Token, from, to int) string {
	role := ""
	for j := from; j < to && j < len(toks); j++ {
		if w := schema.Fold(toks[j].Text); w == "diplomatie" || w == "diplomacy" {
			return "minister" // "le chef de la diplomatie": the foreign minister
		}
		if r, ok := personTitles[schema.Fold(toks[j].Text)]; ok && r != "" {
			if role == "" || r == "head_of_government" {
				role = r
			}
		}
	}
	return role
}

// roleRelations maps a title's role to the relation linking the person to
// their country.
var roleRelations = map[string]string{
	"president": "head_of_state_of", "head_of_state": "head_of_state_of",
	"head_of_government": "leader_of", "leader": "leader_of",
	"minister": "minister_of", "foreign_minister": "minister_of",
	"ambassador": "ambassador_of", "member": "member_of", "spokesperson": "member_of",
}

// roleFacts states the roles the text gives with a title and a country:
// "North Korean Foreign Minister Ri Yong-ho" is minister_of North Korea.
// Roles from the gazetteer alone are not asserted: they change with time,
// and the article's date may not be the gazetteer's.
func roleFacts(d *Doc) []schema.Fact {
	var out []schema.Fact
	done := map[string]bool{}
	for si, ms := range d.Mentions {
		for _, m := range ms {
			if !m.Titled || m.Country == "" || schema.BaseType(m.Entity.Type) != schema.Person || done[m.Entity.ID] {
				continue
			}
			rel := roleRelations[m.Role]
			if rel == "" {
				continue
			}
			c, ok := d.Entities[m.Country]
			var obj schema.EntityRef
			if ok {
				obj = c.EntityRef
			} else if g, ok := d.Gaz.Lookup(m.Country); ok {
				obj = schema.EntityRef{ID: g.ID, Name: g.Name(d.Article.Lang), Type: g.Type}
			} else {
				continue
			}
			if schema.BaseType(obj.Type) != schema.Country {
				continue
			}
			done[m.Entity.ID] = true
			sent := d.Sents[si]
			out = append(out, schema.Fact{Doc: d.Article.ID, Subject: m.Entity, Relation: rel, Object: obj,
				Modality: schema.Asserted, Confidence: 0.8,
				Evidence: schema.Evidence{Sentence: d.Article.Text[sent.Start:sent.End], Span: schema.Span{Start: sent.Start, End: sent.End}},
				Rule:     "title", Path: fmt.Sprintf("title %q beside %s, country %s", m.Role, m.Entity.Name, obj.Name)})
		}
	}
	return out
}

// speechVerbs are the reporting verbs whose subject is a person.
var speechVerbs = set("said says told added wrote declared insisted explained declare affirme affirmait explique ajoute estime souligne precise indique")

// speaker: the run toks[i:j] starts its sentence and a reporting verb
// follows it, or it comes right after one ("said John Smith").
func speaker(toks []nlp.Token, i, j int) bool {
	if i > 0 {
		p := schema.Fold(toks[i-1].Text)
		if speechVerbs[p] || p == "selon" || p == "according" {
			return true
		}
		if i > 1 && (schema.Fold(toks[i-2].Text) == "a" || schema.Fold(toks[i-2].Text) == "according") && (p == "declare" || p == "dit" || p == "affirme" || p == "indique" || p == "ajoute" || p == "explique" || p == "to") {
			return true // "a déclaré Jean Dupont", "according to John Smith"
		}
		return false
	}
	for k := j; k < len(toks) && k < j+40; k++ {
		w := schema.Fold(toks[k].Text)
		if speechVerbs[w] {
			return true
		}
		if w == "a" && k+1 < len(toks) {
			if n := schema.Fold(toks[k+1].Text); n == "declare" || n == "dit" || n == "affirme" || n == "indique" || n == "ajoute" || n == "explique" {
				return true
			}
		}
		if w == "." || w == ";" {
			break
		}
	}
	return false
}

// titleBeforeName: a capitalised name follows the title at k, so the title
// is that name's, not an apposition to the one before.
func titleBeforeName(toks []nlp.Token, k int, covered []bool) bool {
	for j := k; j < len(toks) && j < k+3; j++ {
		w := toks[j].Text
		if isNameWord(w) && !titleWords[schema.Fold(w)] && !covered[j] {
			return true
		}
		if w == "," || w == "." {
			return false
		}
	}
	return false
}

// closedApposition: the title phrase from k ends with a comma, a dash or
// the sentence before any auxiliary or verb, as an apposition does.
func closedApposition(toks []nlp.Token, k int) bool {
	for j := k; j < len(toks) && j < k+30; j++ {
		w := schema.Fold(toks[j].Text)
		switch {
		case w == "," || w == "." || w == "-" || w == "–" || w == ")" || w == ";":
			return true
		case auxiliaries[w] || speechVerbs[w]:
			return false
		}
	}
	return false
}
