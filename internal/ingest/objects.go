package ingest

import "github.com/kg-news/kg/schema"

// Objects that are not actors by name. A verb's object is often a thing
// of an actor rather than the actor: an act ("condemned the invasion of
// Kuwait by Iraq": Iraq; "rejected Iraq's proposal", « a rejeté la
// proposition de l'Irak », "an offer from Brazil": the owner), or a place
// or asset of a country ("struck sites in Iran", "Russian air bases", « des
// positions kurdes en Syrie »: the country). The prepositions are data
// (argwords.tsv: of, source, placeprep).

// nounAfter: token k is a lower-case open-class word, the head noun a
// name before it qualifies ("Sweden's NATO bid").
func (s *sent) nounAfter(k int) bool {
	if k >= len(s.f) || s.at[k] >= 0 || !isLowerWord(s.toks[k].Text) {
		return false
	}
	w := s.f[k]
	return !(determiners[w] || auxiliaries[w] || boundaries[w] || negations[w] || adverbs[w] || placePreps[s.lang][w] ||
		s.w.is(s.lang, "of", w) || s.w.is(s.lang, "source", w) || s.w.is(s.lang, "placeprep", w) || s.w.is(s.lang, "coord", w) || s.verbTriggerAt(k))
}

// nounObject reads the object of trigger t in the noun phrase whose head
// is at k (its determiners skipped): an event noun's agent, the owner
// named in the phrase's complement, or, for hostile acts, the country of
// the place the phrase names. It returns nil when the phrase names none.
func (s *sent) nounObject(k int, t *Trigger) *arg {
	if k >= len(s.f) || s.at[k] >= 0 || !isLowerWord(s.toks[k].Text) && !startsUpper(s.toks[k].Text) {
		return nil
	}
	if nt := s.eventNounAt(k); nt != nil {
		// a judgement of an act is about its agent: "a dénoncé l'invasion
		// du Koweït par l'Irak", "welcomed the withdrawal of Russian troops"
		if !judgementEvents[t.Event] {
			return nil
		}
		subj, _, _ := s.tokenNominalArgs(k, k+max(1, s.tlen[k]), nt)
		if subj.ok() && explicitAgent(subj.how) {
			subj.how = "act:" + subj.how
			return subj
		}
		return nil
	}
	place := hostileEvents[t.Event]
	owned := false
	for j, words := k, 0; j < len(s.f) && words < 4; j++ {
		w := s.f[j]
		if boundaries[w] || w == "," || j > k && s.verbTriggerAt(j) && !isNounReading(s.trig[j]) {
			return nil
		}
		if s.at[j] >= 0 {
			m := s.men[s.at[j]]
			if j > k && m.Kind == schema.AliasDemonym && schema.BaseType(m.Entity.Type) == schema.Country {
				// "des bases aériennes russes": an asset of the country
				return &arg{ents: []schema.EntityRef{m.Entity}, from: j, to: m.To, how: "asset"}
			}
			return nil
		}
		if n := s.w.at(s.lang, "of", s.f, j) + s.w.at(s.lang, "source", s.f, j); n > 0 && j > k {
			if !owned {
				return nil
			}
			if a := s.ownerAt(j + n); a != nil {
				return a
			}
			// "l'offre de négociations de Moscou": the next complement
			j += n - 1
			words = 0
			continue
		}
		if n := s.w.at(s.lang, "placeprep", s.f, j); n > 0 && j > k {
			if place {
				return s.placeCountryAt(j + n)
			}
			return nil
		}
		if !isLowerWord(s.toks[j].Text) && !(j == k && startsUpper(s.toks[j].Text)) || s.isDet(j) && j > k {
			return nil // a capital only on the first word: "Kurdish positions"
		}
		owned = owned || s.w.is(s.lang, "owned", w)
		words++
	}
	return nil
}

// judgementEvents are the PLOVER types of verbs that judge an act, so
// that an event noun as their object makes the act's agent their object:
// condemning, backing, rejecting or accepting what someone did.
var judgementEvents = map[string]bool{"ACCUSE": true, "SUPPORT": true, "REJECT": true, "AGREE": true}

// ownerAt: the actor named at k, past determiners, owning the thing before
// it ("the proposal of Iraq", "an offer from Brazil", « les bases de
// l'armée »).
func (s *sent) ownerAt(k int) *arg {
	for k < len(s.f) && s.isDet(k) {
		k++
	}
	if k >= len(s.f) || s.at[k] < 0 || s.isPlace(k) {
		return nil
	}
	a := s.coordRight(k, "owner")
	if !a.ok() {
		return nil
	}
	return a
}

// placeCountryAt: the country of the place named at k, past
// determiners: the country itself, or a city's.
func (s *sent) placeCountryAt(k int) *arg {
	for k < len(s.f) && s.isDet(k) {
		k++
	}
	if k >= len(s.f) || s.at[k] < 0 {
		return nil
	}
	m := s.men[s.at[k]]
	switch {
	case schema.BaseType(m.Entity.Type) == schema.Country && m.Kind != schema.AliasDemonym:
		return &arg{ents: []schema.EntityRef{m.Entity}, from: k, to: m.To, how: "place"}
	case schema.BaseType(m.Entity.Type) == schema.Location && m.Country != "":
		if ref, ok := s.d.countryRef(m.Country); ok {
			return &arg{ents: []schema.EntityRef{ref}, from: k, to: m.To, how: "place"}
		}
	}
	return nil
}

// countryRef is the entity of country id: as the article names it, else
// from the gazetteer.
func (d *Doc) countryRef(id string) (schema.EntityRef, bool) {
	if e, ok := d.Entities[id]; ok {
		return e.EntityRef, true
	}
	if d.Gaz != nil {
		if g, ok := d.Gaz.Lookup(id); ok && schema.BaseType(g.Type) == schema.Country {
			return schema.EntityRef{ID: g.ID, Name: g.Name(d.Article.Lang), Type: g.Type}, true
		}
	}
	return schema.EntityRef{}, false
}

// eventNounAt returns the noun reading of the trigger at k, if any.
func (s *sent) eventNounAt(k int) *Trigger {
	for _, t := range s.trig[k] {
		if t.Noun {
			return t
		}
	}
	return nil
}

func isNounReading(ts []*Trigger) bool {
	for _, t := range ts {
		if t.Noun {
			return true
		}
	}
	return false
}

// explicitAgent: an event noun's agent the phrase names ("by Iraq", "de
// X", "X's", a demonym), not one carried over from an earlier sentence.
func explicitAgent(how string) bool {
	switch how {
	case "agent", "genitive", "de", "demonym", "modifier", "dep:agent", "dep:genitive", "dep:of", "dep:modifier":
		return true
	}
	return false
}

// eventAgentBefore: the explicit agent of the event noun that opens the
// clause before token i, the patient of a passive judgement ("L'incursion
// de la Turquie en Syrie a été critiquée": Turkey).
func (s *sent) eventAgentBefore(i int) *arg {
	for k := 0; k < i; k++ {
		if boundaries[s.f[k]] {
			return nil
		}
		nt := s.eventNounAt(k)
		if nt == nil || !s.prevIsDeterminerOrAdj(k) && k > 0 {
			continue
		}
		subj, _, _ := s.tokenNominalArgs(k, k+max(1, s.tlen[k]), nt)
		if subj.ok() && explicitAgent(subj.how) && subj.from < i {
			subj.how = "act:" + subj.how
			return subj
		}
		return nil
	}
	return nil
}

// possessiveOwner: a possessive determiner in [from, j) before an owned
// noun at j ("the Indian strikes on its territory", « les frappes
// iraniennes sur son territoire »): the thing is the clause subject's, so
// the act is against it.
func (s *sent) possessiveOwner(from, j int) *arg {
	if j >= len(s.f) || !s.w.is(s.lang, "owned", s.f[j]) {
		return nil
	}
	for k := from; k < j; k++ {
		if s.w.is(s.lang, "possessive", s.f[k]) {
			if a := s.clauseSubject(from); a.ok() {
				a.how = "possessive"
				return a
			}
			return nil
		}
	}
	return nil
}
