package ingest

import "github.com/kg-news/kg/schema"

// Implied actors. A passive with no agent still has one a reader knows:
// "Ditta was arrested at his home" (the police), « il a été condamné à
// trois ans de prison » (a court). The lexicon says which sector does the
// act (implied=police, implied=judiciary); the country is the one where it
// happens: a place the clause names ("arrested in Cairo"), else the
// patient's own (a sector actor's country, a person's), else the country
// the article is about, as the sector stage computes it for bare agents
// ("the police").

// impliedActor returns the sector actor of the country where the passive
// at hand happens, or nil when no country is clear.
func (s *sent) impliedActor(sector string, end int, patient *arg) *arg {
	c := s.placeCountry(max(end, patient.to))
	if c == "" {
		for k := patient.from; k < patient.to && k < len(s.at) && c == ""; k++ {
			if s.at[k] < 0 {
				continue
			}
			m := s.men[s.at[k]]
			switch {
			case m.Kind == KindSector && m.Entity.Country != "":
				c = m.Entity.Country
			case schema.BaseType(m.Entity.Type) == schema.Person && m.Country != "":
				c = m.Country
			}
		}
	}
	if c == "" {
		c = s.d.dominant()
	}
	if c == "" {
		return nil
	}
	e := schema.EntityRef{ID: schema.SectorID(c, sector), Name: sector, Type: SectorType, Country: c, Sector: sector}
	return &arg{ents: []schema.EntityRef{e}, from: patient.from, to: patient.from, how: "implied:" + sector}
}

// placeCountry: the country of a place named in the clause after token
// from ("were arrested in Cairo", « interpellés à Marseille », "expelled
// from Poland", « expulsés de Pologne »).
func (s *sent) placeCountry(from int) string {
	for k := from; k < len(s.f) && k < from+12; k++ {
		if boundaries[s.f[k]] {
			break
		}
		if s.at[k] < 0 || s.men[s.at[k]].From != k {
			continue
		}
		p := k - 1
		for p > from && s.isDet(p) {
			p--
		}
		if !s.isPlace(k) && !(p >= from && (s.w.is(s.lang, "placefrom", s.f[p]) || s.w.is(s.lang, "placeprep", s.f[p]))) {
			continue
		}
		m := s.men[s.at[k]]
		switch {
		case schema.BaseType(m.Entity.Type) == schema.Country:
			return m.Entity.ID
		case schema.BaseType(m.Entity.Type) == schema.Location && m.Country != "":
			return m.Country
		}
	}
	return ""
}

// dominant is the country the article is about (dominantCountry),
// computed once.
func (d *Doc) dominant() string {
	if !d.dominantDone {
		d.dominantCountry, d.dominantDone = dominantCountry(d), true
	}
	return d.dominantCountry
}

// personPatient: an unnamed person in the subject position of the passive
// at i ("a 32-year-old man was arrested", "three suspects were charged",
// « un homme a été interpellé »): a civilian of the country where it
// happens, as an event coder writes it. It returns nil when no country is
// clear.
func (s *sent) personPatient(i, end int) *arg {
	k := i - 1
	for k >= 0 && (auxiliaries[s.f[k]] || adverbs[s.f[k]] || negations[s.f[k]] || timeWords[s.f[k]]) {
		k--
	}
	if k < 0 || s.at[k] >= 0 || !s.w.is(s.lang, "person", s.f[k]) {
		return nil
	}
	c := s.placeCountry(end)
	if c == "" {
		c = s.d.dominant()
	}
	if c == "" {
		return nil
	}
	e := schema.EntityRef{ID: schema.SectorID(c, civilianSector), Name: s.toks[k].Text, Type: SectorType, Country: c, Sector: civilianSector}
	return &arg{ents: []schema.EntityRef{e}, from: k, to: k + 1, how: "person"}
}

// civilianSector is the sector of ordinary people (schema/sectors.tsv).
const civilianSector = "civilians"
