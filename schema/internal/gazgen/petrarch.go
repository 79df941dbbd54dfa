package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/kg-news/kg/schema"
)

// tabariEntry is one entry of a TABARI .actors dictionary (the petrarch2
// Phoenix files): a name in upper case with "_" for spaces, its "+"
// synonyms, and its CAMEO codes with date ranges.
type tabariEntry struct {
	line        int
	name        string
	synonyms    []string
	codes       []tabariCode
	countryInfo bool  // the entry comes from CountryInfo.txt: a head of state, of government or a minister
	revenue     int64 // a company's yearly revenue in dollars when the comment gives it, else -1
}

var revenue = regexp.MustCompile(`\$([0-9][0-9,]*)`)

// tabariCode is one [CODE dates] of an entry: "[USAGOV 090121-130201]".
type tabariCode struct {
	code, from, to string // dates as YYYY-MM-DD, "" when open
	dated          bool   // the code had a date range
}

var bracket = regexp.MustCompile(`\[([^\]]*)\]`)

// readTabari parses a TABARI actors file. Entry lines start at the margin,
// synonyms with "+", code lines with white space; "#" starts a comment. The
// files have typos in a few dates (seven or ten digits): those codes are
// dropped and reported in the returned log.
func readTabari(path string) ([]*tabariEntry, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	var out []*tabariEntry
	var log []string
	var cur *tabariEntry
	ln := 0
	for sc.Scan() {
		ln++
		raw := strings.TrimRight(sc.Text(), " \r")
		line, comment, _ := strings.Cut(raw, "#")
		if strings.TrimSpace(line) == "" {
			continue
		}
		codes := func() error {
			for _, m := range bracket.FindAllStringSubmatch(line, -1) {
				c, ok := parseTabariCode(m[1])
				if !ok {
					log = append(log, fmt.Sprintf("%s:%d: unreadable code [%s] dropped", path, ln, m[1]))
					continue
				}
				if cur == nil {
					return fmt.Errorf("%s:%d: code before any entry", path, ln)
				}
				cur.codes = append(cur.codes, c)
			}
			return nil
		}
		switch {
		case line[0] == '+':
			if cur == nil {
				return nil, nil, fmt.Errorf("%s:%d: synonym before any entry", path, ln)
			}
			if s := tabariName(line[1:]); s != "" {
				cur.synonyms = append(cur.synonyms, s)
			}
			if err := codes(); err != nil {
				return nil, nil, err
			}
		case line[0] == ' ' || line[0] == '\t':
			if err := codes(); err != nil {
				return nil, nil, err
			}
		default:
			cur = &tabariEntry{line: ln, name: tabariName(line), countryInfo: strings.Contains(comment, "CountryInfo"), revenue: -1}
			if m := revenue.FindStringSubmatch(comment); m != nil {
				cur.revenue, _ = strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
			}
			out = append(out, cur)
			if err := codes(); err != nil {
				return nil, nil, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s:%d: %w", path, ln+1, err)
	}
	return out, log, nil
}

// tabariName returns the name part of an entry or synonym line, before any
// code, with words separated by single spaces: "JOHN_KERRY_ [USAGOV]" →
// "JOHN KERRY".
func tabariName(s string) string {
	if i := strings.IndexByte(s, '['); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, "_", " ")
	return strings.Join(strings.Fields(s), " ")
}

// parseTabariCode reads the inside of a bracket: "USAGOV", "USAGOV
// >130201", "USAGOV <900823", "USAGOV 090121-130201".
func parseTabariCode(s string) (tabariCode, bool) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return tabariCode{}, false
	}
	c := tabariCode{code: f[0]}
	rest := strings.Join(f[1:], "")
	if rest == "" {
		return c, true
	}
	c.dated = true
	var ok bool
	switch {
	case strings.HasPrefix(rest, ">"):
		c.from, ok = tabariDate(rest[1:])
	case strings.HasPrefix(rest, "<"):
		c.to, ok = tabariDate(rest[1:])
	default:
		a, b, cut := strings.Cut(rest, "-")
		if !cut {
			return c, false
		}
		var ok2 bool
		c.from, ok = tabariDate(a)
		c.to, ok2 = tabariDate(b)
		ok = ok && ok2 && c.from <= c.to
	}
	return c, ok
}

// tabariDate reads YYMMDD (the file was compiled in 2014: years up to 15
// are 20YY) or YYYYMMDD, and returns YYYY-MM-DD.
func tabariDate(s string) (string, bool) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	switch len(s) {
	case 6:
		if s[:2] <= "15" {
			s = "20" + s
		} else {
			s = "19" + s
		}
	case 8:
	default:
		return "", false
	}
	y, m, d := s[:4], s[4:6], s[6:]
	if m < "01" || m > "12" || d < "01" || d > "31" {
		return "", false
	}
	return y + "-" + m + "-" + d, true
}

// petrarchRules is petrarch.tsv: how gazgen reads the petrarch2
// dictionaries (country codes, roles, words that mark titles and
// organisations, name particles, legal suffixes of companies).
type petrarchRules struct {
	codes     map[string]string // CAMEO country or organisation code → Wikidata id
	roles     map[string]string // sector suffix of a code ("GOVMIL") → role
	titles    map[string]bool   // words of titles: a synonym with one is not a name
	orgWords  map[string]bool   // words of organisations: never in a person's name
	particles map[string]bool   // lower-case name particles: "al", "bin", "von"
	legal     map[string]bool   // legal suffixes of companies: "Inc", "Ltd"
}

// readPetrarchRules reads petrarch.tsv: "kind <TAB> key [<TAB> value]"
// lines; code and role take a value.
func readPetrarchRules(path string) (*petrarchRules, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &petrarchRules{codes: map[string]string{}, roles: map[string]string{}, titles: map[string]bool{},
		orgWords: map[string]bool{}, particles: map[string]bool{}, legal: map[string]bool{}}
	sc := bufio.NewScanner(f)
	ln := 0
	for sc.Scan() {
		ln++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) < 2 || len(p) > 3 || p[1] == "" {
			return nil, fmt.Errorf("%s:%d: want kind, key and maybe a value, tab-separated", path, ln)
		}
		key, val := p[1], ""
		if len(p) == 3 {
			val = p[2]
		}
		if (p[0] == "code" || p[0] == "role") != (val != "") {
			return nil, fmt.Errorf("%s:%d: kinds code and role take a value, the others none", path, ln)
		}
		switch p[0] {
		case "code":
			if !validID(val) {
				return nil, fmt.Errorf("%s:%d: bad Wikidata id %q", path, ln, val)
			}
			r.codes[key] = val
		case "role":
			r.roles[key] = val
		case "title":
			r.titles[schema.Fold(key)] = true
		case "org":
			r.orgWords[schema.Fold(key)] = true
		case "particle":
			r.particles[schema.Fold(key)] = true
		case "legal":
			r.legal[schema.Fold(key)] = true
		default:
			return nil, fmt.Errorf("%s:%d: unknown kind %q", path, ln, p[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, ln+1, err)
	}
	return r, nil
}

// properCase turns a petrarch name into the way news write it: "NOURI
// AL-MALIKI" → "Nouri al-Maliki", "JOHN J MCCLOY" → "John J McCloy". Short
// words without a vowel stay upper case ("BHP").
func (r *petrarchRules) properCase(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		words[i] = r.properWord(w, i > 0)
	}
	return strings.Join(words, " ")
}

// properCaseOrg is properCase for organisations, whose two-letter words
// are abbreviations: "US AIRWAYS" → "US Airways".
func (r *petrarchRules) properCaseOrg(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		if len([]rune(w)) > 2 || r.particles[schema.Fold(w)] && i > 0 {
			words[i] = r.properWord(w, i > 0)
		}
	}
	return strings.Join(words, " ")
}

func (r *petrarchRules) properWord(w string, inner bool) string {
	var parts []string
	for j, p := range strings.Split(w, "-") {
		low := strings.ToLower(p)
		switch {
		case p == "":
		case j == 0 && inner && r.particles[schema.Fold(low)]:
			p = low // "bin Laden", "von der Leyen", "al-Maliki"
		case !hasVowel(p) || len([]rune(p)) == 1:
			// "BHP", "J": initials and acronyms stay as written
		default:
			rs := []rune(low)
			rs[0] = unicode.ToUpper(rs[0])
			for k := 1; k < len(rs); k++ {
				// "McCloy", "O'Brien", but "Brink's"
				if k == 2 && (rs[1] == '\'' || rs[0] == 'M' && rs[1] == 'c') {
					rs[k] = unicode.ToUpper(rs[k])
				}
			}
			p = string(rs)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "-")
}

func hasVowel(s string) bool { return strings.ContainsAny(strings.ToUpper(s), "AEIOUY") }

// nameWords counts the words of a name other than particles and initials.
func (r *petrarchRules) nameWords(name string) int {
	n := 0
	for _, w := range strings.Fields(name) {
		if r.particles[schema.Fold(w)] || len([]rune(strings.TrimSuffix(w, "."))) <= 1 {
			continue
		}
		n++
	}
	return n
}

// personForm reports whether a petrarch name can be matched as a person's
// full name: two words or more besides particles and initials, no title
// and no word of an organisation, only letters, hyphens, apostrophes and
// dots.
func (r *petrarchRules) personForm(name string) bool {
	if r.nameWords(name) < 2 {
		return false
	}
	for _, w := range strings.Fields(name) {
		for _, f := range strings.Split(schema.Fold(w), "-") {
			if r.titles[f] || r.orgWords[f] {
				return false
			}
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '.' {
				return false
			}
		}
	}
	return true
}

// petrarchPerson is a person read from Phoenix.Countries.actors.txt.
type petrarchPerson struct {
	name    string   // proper case
	aliases []string // proper case, the name first
	roles   []role
	country string // Wikidata id of the person's (latest) country
	line    int
}

// role is one dated office of an entry while the gazetteer is built.
type role struct {
	role, of, from, to string
	curated            bool // from offices.tsv
}

// persons reads the persons of Phoenix.Countries.actors.txt: the entries
// taken from CountryInfo.txt (heads of state and government, ministers),
// and the hand-added entries that look like a person's full name and have a
// dated code or an elite code. Each code becomes a dated role whose country
// is the code's first three letters; undated government codes and elite
// codes are not offices and give no role. Persons of countries the
// gazetteer does not know (the Soviet Union, Yugoslavia) are left out.
func (r *petrarchRules) persons(path string, iso3 map[string]string) ([]*petrarchPerson, []string, error) {
	entries, log, err := readTabari(path)
	if err != nil {
		return nil, nil, err
	}
	var out []*petrarchPerson
	for _, e := range entries {
		if !e.countryInfo {
			ok := false
			for _, c := range e.codes {
				// a bare country code ("[SSD >110709]") is a country's
				if len(c.code) > 3 && (c.dated || strings.HasSuffix(c.code, "ELI")) {
					ok = true
				}
			}
			if !ok {
				continue
			}
		}
		if !r.personForm(e.name) {
			continue
		}
		p := &petrarchPerson{name: r.properCase(e.name), line: e.line}
		p.aliases = append(p.aliases, p.name)
		for _, s := range e.synonyms {
			if r.personForm(s) {
				p.aliases = append(p.aliases, r.properCase(s))
			}
		}
		latest := ""
		for _, c := range e.codes {
			if len(c.code) < 3 {
				continue
			}
			of := r.codes[c.code[:3]]
			if of == "" {
				of = iso3[c.code[:3]]
			}
			sector := c.code[3:]
			if strings.HasPrefix(c.code, "IGO") {
				// IGOUNOIAE: the IAEA; IGOUNO: the UN
				of = ""
				for k := len(c.code); k >= 6; k -= 3 {
					if id := r.codes[c.code[:k]]; id != "" {
						of = id
						break
					}
				}
				sector = "IGO"
			}
			if of == "" {
				continue
			}
			if !strings.HasPrefix(c.code, "IGO") && (p.country == "" || c.from >= latest) {
				p.country, latest = of, c.from
			}
			rl := r.roles[sector]
			if rl == "" || rl == "-" || !c.dated {
				continue // an undated code says what they are, not when
			}
			p.roles = append(p.roles, role{role: rl, of: of, from: c.from, to: c.to})
		}
		if p.country == "" || !recent(p.roles) {
			continue
		}
		out = append(out, p)
	}
	return out, log, nil
}

// petrarchOrg is a non-state actor read from Phoenix.International.actors.txt.
type petrarchOrg struct {
	name    string
	aliases []string
	typ     string
	country string
}

// orgs reads the NGOs, companies and media of Phoenix.International.actors.txt
// (the intergovernmental organisations come from supraverden). Entries with
// dated codes are officials, not organisations, and are left out.
func (r *petrarchRules) orgs(path string, iso3 map[string]string) ([]*petrarchOrg, []string, error) {
	entries, log, err := readTabari(path)
	if err != nil {
		return nil, nil, err
	}
	var out []*petrarchOrg
	for _, e := range entries {
		if len(e.codes) == 0 {
			continue
		}
		typ := ""
		country := ""
		dated := false
		for _, c := range e.codes {
			dated = dated || c.dated
		}
		c := e.codes[0].code
		switch {
		case dated:
			continue
		case e.revenue >= 0 && e.revenue < minRevenue:
			continue
		case strings.HasPrefix(c, "NGO"):
			typ = "organization/ngo"
		case strings.HasPrefix(c, "MNC"):
			typ = "organization/company"
		case strings.HasSuffix(c, "MED") && len(c) <= 6:
			typ = "organization/media"
			if len(c) == 6 {
				country = iso3[c[:3]]
			}
		default:
			continue
		}
		if typ != "organization/media" && len(c) >= 6 {
			country = iso3[c[3:6]]
		}
		name := r.properCaseOrg(e.name)
		if !orgForm(name) {
			continue
		}
		o := &petrarchOrg{name: name, typ: typ, country: country}
		o.aliases = append(o.aliases, name)
		for _, s := range e.synonyms {
			if s = r.properCaseOrg(s); orgForm(s) {
				o.aliases = append(o.aliases, s)
			}
		}
		// "The Guardian" → "Guardian"; "Aar Corp" → "Aar"; the common-word
		// guard later drops the forms that are English or French words
		// but not down to one word: "Harris Corp" is not "Harris", a
		// surname, nor "Holly Corp" "Holly"
		for _, a := range append([]string(nil), o.aliases...) {
			w := strings.Fields(a)
			if len(w) > 2 && schema.Fold(w[0]) == "the" {
				o.aliases = append(o.aliases, strings.Join(w[1:], " "))
			}
			if len(w) > 2 && r.legal[schema.Fold(strings.TrimSuffix(w[len(w)-1], "."))] {
				o.aliases = append(o.aliases, strings.Join(w[:len(w)-1], " "))
			}
		}
		out = append(out, o)
	}
	return out, log, nil
}

// minRevenue: the dictionaries list the companies of a stock exchange with
// their revenue; those under a billion dollars seldom act in international
// news, and would make the gazetteer twice as large.
const minRevenue = 1_000_000_000

// orgForm: a name with a letter, no stray punctuation, and not a generic
// word list ("MNCS").
func orgForm(name string) bool {
	letters := 0
	for _, c := range name {
		if unicode.IsLetter(c) {
			letters++
		} else if !unicode.IsDigit(c) && !strings.ContainsRune(" -'.&", c) {
			return false
		}
	}
	return letters >= 3
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// sinceYear: a person whose every office ended before it is history, not
// news; persons with no dated office are kept.
const sinceYear = "1990"

// recent reports whether a person held an office in sinceYear or later.
func recent(rs []role) bool {
	if len(rs) == 0 {
		return true
	}
	for _, r := range rs {
		if r.to == "" || r.to >= sinceYear {
			return true
		}
	}
	return false
}
