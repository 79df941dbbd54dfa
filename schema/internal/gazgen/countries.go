package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mledozeCountry is the part of a mledoze-countries.json record gazgen uses.
type mledozeCountry struct {
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	CCA2         string   `json:"cca2"`
	Independent  bool     `json:"independent"`
	Capital      []string `json:"capital"`
	AltSpellings []string `json:"altSpellings"`
	Translations map[string]struct {
		Official string `json:"official"`
		Common   string `json:"common"`
	} `json:"translations"`
	Area     float64                      `json:"area"`
	Demonyms map[string]map[string]string `json:"demonyms"`
}

// countryRow is the part of a country-codes.csv row gazgen uses.
type countryRow struct {
	line                                       int
	iso2, iso3, wikidata, independent, capital string
	nameEN, shortEN, formalEN, cldr            string
	nameFR, shortFR, formalFR                  string
}

// readCountryCodes reads country-codes.csv, keyed by ISO 3166 alpha-2 code.
func readCountryCodes(path string) (map[string]*countryRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	need := []string{"ISO3166-1-Alpha-2", "ISO3166-1-Alpha-3", "wikidata_id", "is_independent", "Capital",
		"official_name_en", "UNTERM English Short", "UNTERM English Formal", "CLDR display name",
		"official_name_fr", "UNTERM French Short", "UNTERM French Formal"}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("%s:1: no column %q", path, n)
		}
	}
	rows := map[string]*countryRow{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err) // csv.ParseError carries the line
		}
		get := func(n string) string { return strings.TrimSpace(rec[col[n]]) }
		row := &countryRow{
			line: line, iso2: get("ISO3166-1-Alpha-2"), iso3: get("ISO3166-1-Alpha-3"), independent: get("is_independent"), capital: get("Capital"),
			nameEN: get("official_name_en"), shortEN: get("UNTERM English Short"), formalEN: get("UNTERM English Formal"), cldr: get("CLDR display name"),
			nameFR: get("official_name_fr"), shortFR: get("UNTERM French Short"), formalFR: get("UNTERM French Formal"),
		}
		if wd := get("wikidata_id"); wd != "" {
			row.wikidata = wd[strings.LastIndexByte(wd, '/')+1:]
			if !validID(row.wikidata) {
				return nil, fmt.Errorf("%s:%d: bad wikidata_id %q", path, line, wd)
			}
		}
		if len(row.iso2) != 2 {
			return nil, fmt.Errorf("%s:%d: bad ISO3166-1-Alpha-2 %q", path, line, row.iso2)
		}
		if rows[row.iso2] != nil {
			return nil, fmt.Errorf("%s:%d: ISO code %s listed twice", path, line, row.iso2)
		}
		rows[row.iso2] = row
	}
	return rows, nil
}

// readMledoze reads mledoze-countries.json.
func readMledoze(path string) ([]mledozeCountry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cs []mledozeCountry
	if err := json.Unmarshal(b, &cs); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		off := int64(-1)
		if errors.As(err, &se) {
			off = se.Offset
		} else if errors.As(err, &te) {
			off = te.Offset
		}
		if off >= 0 {
			return nil, fmt.Errorf("%s:%d: %w", path, 1+strings.Count(string(b[:off]), "\n"), err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cs, nil
}

var (
	articleParen = regexp.MustCompile(`\s*\((the|le|la|les|l'|l’)\)\s*$`)
	leadArticle  = regexp.MustCompile(`^(?i:the|le|la|les) |^(?i:l'|l’)`)
)

// unterm cleans a UNTERM name: drops the "*" footnote mark, the trailing
// "(the)"/"(la)" article and a leading article, and returns "" for names that
// keep parentheses ("Iran (Islamic Republic of)").
func unterm(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "*"))
	s = articleParen.ReplaceAllString(s, "")
	s = leadArticle.ReplaceAllString(s, "")
	if strings.ContainsAny(s, "()") {
		return ""
	}
	if s != "" {
		r, n := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	return s
}

// countries builds one entry per country and territory from country-codes.csv
// (ids, UN names, capitals) and mledoze-countries.json (common names, French
// translations, alternative spellings, demonyms). Entries without a Wikidata
// id in the data (Namibia, Kosovo) get it from curatedIDs, keyed by ISO code.
// It also returns the Wikidata ids by ISO 3166 alpha-3 code, which the
// petrarch2 dictionaries use.
func countries(dir string, curatedIDs map[string]string) ([]*entry, map[*entry][]string, map[string]string, error) {
	csvPath := filepath.Join(dir, "country-codes.csv")
	jsonPath := filepath.Join(dir, "mledoze-countries.json")
	rows, err := readCountryCodes(csvPath)
	if err != nil {
		return nil, nil, nil, err
	}
	ml, err := readMledoze(jsonPath)
	if err != nil {
		return nil, nil, nil, err
	}
	byISO := map[string]*mledozeCountry{}
	for i := range ml {
		byISO[ml[i].CCA2] = &ml[i]
	}
	var isos []string
	seen := map[string]bool{}
	for iso := range rows {
		isos = append(isos, iso)
		seen[iso] = true
	}
	for iso := range byISO {
		if !seen[iso] {
			isos = append(isos, iso)
		}
	}
	capitals := map[*entry][]string{}
	iso3 := map[string]string{}
	var out []*entry
	for _, iso := range isos {
		row, m := rows[iso], byISO[iso]
		id := curatedIDs[iso]
		if id == "" && row != nil {
			id = row.wikidata
		}
		if id == "" {
			where := jsonPath
			if row != nil {
				where = fmt.Sprintf("%s:%d", csvPath, row.line)
			}
			return nil, nil, nil, fmt.Errorf("%s: country %s has no Wikidata id; add it to gazgen's isoIDs", where, iso)
		}
		e := &entry{id: id, typ: "country"}
		if row != nil && len(row.iso3) == 3 {
			iso3[row.iso3] = id
		}
		var capEN []string
		if m != nil {
			e.independent = m.Independent
			e.area = m.Area
			if !strings.ContainsAny(m.Name.Common, "()") {
				e.nameEN = m.Name.Common
				e.addVariants(kindName, "en", m.Name.Common, false)
			}
			e.addVariants(kindName, "en", unterm(m.Name.Official), false)
			if fr, ok := m.Translations["fra"]; ok {
				if !strings.ContainsAny(fr.Common, "()") {
					e.nameFR = fr.Common
					e.addVariants(kindName, "fr", fr.Common, false)
				}
				e.addVariants(kindName, "fr", unterm(fr.Official), false)
			}
			for _, s := range m.AltSpellings {
				if okAltSpelling(s) {
					e.addVariants(kindName, "", s, false)
				}
			}
			if d, ok := m.Demonyms["eng"]; ok {
				for _, w := range englishDemonyms(d["m"], d["f"]) {
					e.add(kindDemonym, "en", w, false)
				}
			}
			if d, ok := m.Demonyms["fra"]; ok {
				for _, w := range frenchDemonyms(d["m"], d["f"]) {
					e.addVariants(kindDemonym, "fr", w, false)
				}
			}
			if len(m.Capital) > 0 {
				capEN = append(capEN, m.Capital[0])
			}
		}
		if row != nil {
			e.independent = e.independent || row.independent == "Yes"
			if e.nameEN == "" {
				e.nameEN = row.nameEN
			}
			for _, s := range []string{row.nameEN, unterm(row.shortEN), unterm(row.formalEN), row.cldr} {
				if s != "" && !strings.Contains(s, " - ") && !strings.ContainsAny(s, "()") {
					e.addVariants(kindName, "en", s, false)
				}
			}
			if e.nameFR == "" {
				e.nameFR = unterm(row.shortFR)
			}
			if e.nameFR == "" {
				e.nameFR = row.nameFR
			}
			for _, s := range []string{row.nameFR, unterm(row.shortFR), unterm(row.formalFR)} {
				if s != "" && !strings.ContainsAny(s, "()") {
					e.addVariants(kindName, "fr", s, false)
				}
			}
			if row.capital != "" {
				capEN = append(capEN, row.capital)
			}
		}
		for _, c := range capEN {
			e.addVariants(kindCapital, "", c, false)
		}
		capitals[e] = capEN
		out = append(out, e)
	}
	return out, capitals, iso3, nil
}

// okAltSpelling filters mledoze's altSpellings: Latin script, no ISO
// two-letter codes, no inverted ISO forms ("Korea, Republic of").
func okAltSpelling(s string) bool {
	return isLatin(s) && utf8.RuneCountInString(s) >= 3 && !strings.ContainsAny(s, ",()")
}

// splitDemonym splits compound demonyms: "Antiguan, Barbudan",
// "Kittitian or Nevisian", "Antiguaise et barbudien".
func splitDemonym(s string) []string {
	s = strings.ReplaceAll(s, " or ", ", ")
	s = strings.ReplaceAll(s, " et ", ", ")
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// englishDemonyms returns the singular and plural English demonyms:
// "North Korean", "North Koreans"; "British" and "Chinese" have no plural.
func englishDemonyms(m, f string) []string {
	var out []string
	for _, d := range []string{m, f} {
		for _, w := range splitDemonym(d) {
			out = append(out, w)
			if !hasAnySuffix(w, "ese", "ish", "ch", "sh", "s", "x", "z") {
				out = append(out, w+"s")
			}
		}
	}
	return out
}

// frenchDemonyms returns the French demonyms in both genders and numbers, as
// lower-case adjectives ("nord-coréen", "nord-coréennes") and as capitalised
// nouns ("Nord-Coréen", "Nord-Coréennes").
func frenchDemonyms(m, f string) []string {
	var out []string
	for _, d := range []string{m, f} {
		for _, w := range splitDemonym(d) {
			lower := strings.ToLower(w)
			forms := []string{lower}
			if !hasAnySuffix(lower, "s", "x", "z") {
				forms = append(forms, lower+"s")
			}
			for _, x := range forms {
				out = append(out, x, capitalizeParts(x))
			}
		}
	}
	return out
}

// capitalizeParts upper-cases the first letter of each hyphen- or
// space-separated part: "nord-coréennes" → "Nord-Coréennes".
func capitalizeParts(s string) string {
	rs := []rune(s)
	start := true
	for i, r := range rs {
		if start && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
		}
		start = r == '-' || r == ' '
	}
	return string(rs)
}

// hasAnySuffix reports whether s ends with one of the suffixes.
func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}
