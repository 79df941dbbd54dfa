package ingest

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// Sector actors: a country plus a sector ("Kenyan police": Kenya,
// police), the way PLOVER and CAMEO code the actors of domestic events
// (police against protesters, the army against rebels, a court against a
// former minister). The agent nouns are data (agents-en.tsv, generated
// from the PETRARCH agents dictionary; agents-fr.tsv, written by hand),
// and so are the patterns that give them a country (agent-patterns.tsv):
// a demonym ("Kenyan police", « la police kényane »), a genitive or
// complement ("Kenya's police", "the army of Israel", « l'armée
// d'Israël », « les autorités de Kiev »), a place of residence ("protesters
// in Barcelona"), or nothing at all ("the police"), when an earlier
// mention of that sector or the article's topic gives the country.

//go:embed agents-*.tsv agent-patterns.tsv
var agentsFS embed.FS

// agentPatternsFile is the pattern table, not an agent lexicon.
const agentPatternsFile = "agent-patterns.tsv"

// KindSector marks a mention of a sector actor.
const KindSector schema.AliasKind = "sector"

// SectorType is the entity type of a sector actor: a group, an unnamed
// collective actor (schema.Group).
const SectorType = schema.Group

// Agent is one agent noun or phrase: "police", "riot police", « forces de
// l'ordre », with the sector it names.
type Agent struct {
	Lang   string
	Text   string
	Sector string
	Flags  map[string]bool // bare, verb, plural
	toks   []string        // folded tokens
	File   string
	Line   int
}

// agentFlags are the flags an agent line may carry.
var agentFlags = map[string]bool{"bare": true, "verb": true, "plural": true}

// Slots of an agent pattern.
const (
	slotWord = iota
	slotAgent
	slotDemonym
	slotCountry
	slotDet
	slotMod
)

type patElem struct {
	slot  int
	words map[string]bool // for slotWord
}

// AgentPattern is one line of agent-patterns.tsv of kind "actor".
type AgentPattern struct {
	Lang    string
	Text    string
	elems   []patElem
	needs   []string
	except  map[string]bool
	placed  bool // the pattern names the country ({demonym} or {country})
	initial bool // it begins with the agent, so the word before matters
	Line    int
}

// AgentLexicon holds the agent nouns and the patterns of both languages.
type AgentLexicon struct {
	Agents   []*Agent
	Patterns []*AgentPattern
	byFirst  map[string][]*Agent // lang + "\x00" + first folded token; longest first
	opens    map[string]map[string]bool
	owner    map[string]map[string]bool
	owned    map[string]map[string]bool
	closed   map[string]map[string]bool // conjunctions and other words no modifier is
	// qualified: endings of a word that qualifies a bare agent, by language
	qualified map[string][]string
	// quantity: word sequences that count an agent, by language, folded
	quantity map[string][][]string
}

// LoadAgents parses the embedded agent lexicons (agents-*.tsv) and
// patterns (agent-patterns.tsv), checking each sector against sectors.
// Errors carry file:line.
func LoadAgents(sectors *schema.Sectors) (*AgentLexicon, error) {
	names, err := fs.Glob(agentsFS, "agents-*.tsv")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var files []LexiconFile
	for _, n := range names {
		b, err := agentsFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		files = append(files, LexiconFile{Name: "internal/ingest/" + n, Src: string(b)})
	}
	b, err := agentsFS.ReadFile(agentPatternsFile)
	if err != nil {
		return nil, err
	}
	return ParseAgents(files, LexiconFile{Name: "internal/ingest/" + agentPatternsFile, Src: string(b)}, sectors)
}

// ParseAgents parses agent lexicons (lang, agent, sector, flags) and a
// pattern table (lang, kind, pattern, needs, except, example).
func ParseAgents(files []LexiconFile, patterns LexiconFile, sectors *schema.Sectors) (*AgentLexicon, error) {
	lx := &AgentLexicon{byFirst: map[string][]*Agent{},
		opens: map[string]map[string]bool{}, owner: map[string]map[string]bool{}, owned: map[string]map[string]bool{}, closed: map[string]map[string]bool{},
		qualified: map[string][]string{}, quantity: map[string][][]string{}}
	seen := map[string]string{}
	for _, file := range files {
		err := schema.EachTSVRow(file.Name, file.Src, 4, "lang", func(line int, f []string) error {
			lang, text, sector := f[0], strings.TrimSpace(f[1]), f[2]
			if lang != "fr" && lang != "en" {
				return fmt.Errorf("language %q: fr or en", lang)
			}
			if !sectors.Has(sector) {
				return fmt.Errorf("unknown sector %q (schema/sectors.tsv)", sector)
			}
			a := &Agent{Lang: lang, Text: text, Sector: sector, Flags: map[string]bool{}, File: file.Name, Line: line}
			if f[3] != "-" {
				for _, fl := range strings.Split(f[3], ",") {
					if !agentFlags[fl] {
						return fmt.Errorf("unknown flag %q (bare, verb, plural)", fl)
					}
					a.Flags[fl] = true
				}
			}
			for _, t := range nlp.Tokenize(text, lang) {
				a.toks = append(a.toks, schema.Fold(t.Text))
			}
			if len(a.toks) == 0 {
				return fmt.Errorf("empty agent")
			}
			key := lang + "\x00" + strings.Join(a.toks, " ")
			if prev, dup := seen[key]; dup {
				return fmt.Errorf("agent %q already defined at %s", text, prev)
			}
			seen[key] = fmt.Sprintf("%s:%d", file.Name, line)
			lx.Agents = append(lx.Agents, a)
			k := lang + "\x00" + a.toks[0]
			lx.byFirst[k] = append(lx.byFirst[k], a)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, v := range lx.byFirst {
		sort.SliceStable(v, func(i, j int) bool { return len(v[i].toks) > len(v[j].toks) })
	}
	err := schema.EachTSVRow(patterns.Name, patterns.Src, 6, "lang", func(line int, f []string) error {
		lang, kind := f[0], f[1]
		if lang != "fr" && lang != "en" {
			return fmt.Errorf("language %q: fr or en", lang)
		}
		switch kind {
		case "quantity":
			for _, q := range strings.Fields(f[2]) {
				lx.quantity[lang] = append(lx.quantity[lang], strings.Split(schema.Fold(q), "_"))
			}
			return nil
		case "qualified":
			lx.qualified[lang] = append(lx.qualified[lang], strings.Fields(f[2])...)
			return nil
		case "opens", "owner", "owned", "closed":
			m := map[string]map[string]map[string]bool{"opens": lx.opens, "owner": lx.owner, "owned": lx.owned, "closed": lx.closed}[kind]
			if m[lang] == nil {
				m[lang] = map[string]bool{}
			}
			for _, w := range strings.Fields(f[2]) {
				m[lang][schema.Fold(w)] = true
			}
			return nil
		case "actor":
		default:
			return fmt.Errorf("unknown kind %q (actor, opens, owner, owned, closed, qualified, quantity)", kind)
		}
		p, err := parsePattern(lang, f[2], sectors)
		if err != nil {
			return err
		}
		p.Line = line
		if f[3] != "-" {
			for _, fl := range strings.Split(f[3], ",") {
				if !agentFlags[fl] {
					return fmt.Errorf("needs: unknown flag %q", fl)
				}
				p.needs = append(p.needs, fl)
			}
		}
		if f[4] != "-" {
			for _, x := range strings.Split(f[4], ",") {
				if !agentFlags[x] && !sectors.Has(x) {
					return fmt.Errorf("except: %q is neither a flag nor a sector", x)
				}
				p.except[x] = true
			}
		}
		if !p.placed && !p.need("bare") {
			return fmt.Errorf("a pattern without {demonym} or {country} must need bare")
		}
		lx.Patterns = append(lx.Patterns, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lx, nil
}

func parsePattern(lang, src string, sectors *schema.Sectors) (*AgentPattern, error) {
	p := &AgentPattern{Lang: lang, Text: src, except: map[string]bool{}}
	agents := 0
	for i, w := range strings.Fields(src) {
		var e patElem
		switch w {
		case "{agent}":
			e.slot = slotAgent
			agents++
			if i == 0 {
				p.initial = true
			}
		case "{demonym}":
			e.slot = slotDemonym
			p.placed = true
		case "{country}":
			e.slot = slotCountry
			p.placed = true
		case "{det}":
			e.slot = slotDet
		case "{mod}":
			e.slot = slotMod
		default:
			if strings.HasPrefix(w, "{") {
				return nil, fmt.Errorf("unknown slot %s ({agent}, {demonym}, {country}, {det}, {mod})", w)
			}
			e.words = map[string]bool{}
			for _, a := range strings.Split(w, "|") {
				e.words[schema.Fold(a)] = true
			}
		}
		p.elems = append(p.elems, e)
	}
	if agents != 1 {
		return nil, fmt.Errorf("pattern %q: want one {agent}, got %d", src, agents)
	}
	if sl := p.elems[len(p.elems)-1].slot; sl == slotDet || sl == slotMod {
		return nil, fmt.Errorf("pattern %q ends with an optional slot", src)
	}
	return p, nil
}

func (p *AgentPattern) need(flag string) bool {
	for _, f := range p.needs {
		if f == flag {
			return true
		}
	}
	return false
}

// fits: the agent has the flags the pattern needs and none it excludes.
func (p *AgentPattern) fits(a *Agent) bool {
	for _, f := range p.needs {
		if !a.Flags[f] {
			return false
		}
	}
	if p.except[a.Sector] {
		return false
	}
	for f := range a.Flags {
		if p.except[f] {
			return false
		}
	}
	return true
}

// sectorFinder is the stage that finds sector actors. It runs after the
// person resolver, so titles and names are settled: a demonym that
// qualifies a person ("the Kenyan police chief John Doe") is left alone.
type sectorFinder struct {
	lex *AgentLexicon
	// pluralDemonyms are the English demonyms that are plural nouns
	// ("Kenyans", beside "Kenyan"): "Kenyans protest" is no "Kenyan
	// protest"; folded.
	pluralDemonyms map[string]bool
}

func newSectorFinder(lex *AgentLexicon, g *schema.Gazetteer) *sectorFinder {
	f := &sectorFinder{lex: lex, pluralDemonyms: map[string]bool{}}
	for _, e := range g.Entries {
		forms := map[string]bool{}
		for _, a := range e.Aliases {
			if a.Kind == schema.AliasDemonym && a.Lang == "en" {
				forms[schema.Fold(a.Text)] = true
			}
		}
		for d := range forms {
			if s, ok := strings.CutSuffix(d, "s"); ok && forms[s] {
				f.pluralDemonyms[d] = true
			}
		}
	}
	return f
}

// sectorMatch is one pattern matched in a sentence.
type sectorMatch struct {
	from, to  int // tokens, half-open
	agent     *Agent
	agentFrom int    // the agent's first token
	country   string // "" for a bare agent
	consumed  []int  // indexes of the mentions the match takes in (the demonym, the country)
}

// Resolve adds the sector mentions of the document: first those whose
// country the sentence gives, then the bare agents, in reading order.
func (f *sectorFinder) Resolve(d *Doc) {
	for si := range d.Sents {
		f.sentence(d, si, false, nil)
	}
	dominant := dominantCountry(d)
	for si := range d.Sents {
		f.sentence(d, si, true, func(m sectorMatch) string {
			// a bare agent is, in this order: the sector named in this
			// sentence or the two before ("Kenyan police ... the
			// police"); the country of another sector actor of its
			// sentence, as a domestic event has both sides in one
			// country ("Kenyan police arrested three journalists"); the
			// article's country; the sector named anywhere before. The
			// article's country comes before an older mention, which is
			// often a foreign aside ("South Africa's apartheid
			// government ... the government").
			earlier := func(back int) string {
				for sj := si; sj >= 0 && sj >= si-back; sj-- {
					ms := d.Mentions[sj]
					for k := len(ms) - 1; k >= 0; k-- {
						if ms[k].Kind == KindSector && ms[k].Entity.Sector == m.agent.Sector && (sj < si || ms[k].To <= m.from) {
							return ms[k].Entity.Country
						}
					}
				}
				return ""
			}
			if c := earlier(2); c != "" {
				return c
			}
			for _, o := range d.Mentions[si] {
				if o.Kind == KindSector {
					return o.Entity.Country
				}
			}
			if dominant != "" {
				return dominant
			}
			return earlier(si)
		})
	}
}

// sentence finds the sector mentions of sentence si: the placed patterns,
// or with bare the patterns without a country, whose country place gives.
func (f *sectorFinder) sentence(d *Doc, si int, bare bool, place func(sectorMatch) string) {
	lang := d.Article.Lang
	toks := d.Sents[si].Tokens
	ms := d.Mentions[si]
	at := make([]int, len(toks))
	for i := range at {
		at[i] = -1
	}
	for mi, m := range ms {
		for k := m.From; k < m.To && k < len(at); k++ {
			at[k] = mi
		}
	}
	var found []sectorMatch
	prevEnd := 0
	for i := 0; i < len(toks); {
		var best *sectorMatch
		for _, p := range f.lex.Patterns {
			if p.Lang != lang || p.placed == bare {
				continue
			}
			if m, ok := f.match(d, si, i, p, at); ok && (best == nil || m.to > best.to) {
				mm := m
				best = &mm
			}
		}
		if best == nil {
			// past the agent that begins here, so none of its words is
			// read as an agent of its own
			if a := f.agentAt(d, si, i, at); a != nil {
				i += len(a.toks)
			} else {
				i++
			}
			continue
		}
		// "60 demonstrators", "thousands of protesters": the count is
		// part of the mention, so "arrested 60 demonstrators" has it as
		// its object
		best.from = f.quantityStart(d, si, best.from, prevEnd, at)
		prevEnd = best.to
		if !bare {
			found = append(found, *best)
		} else if c := place(*best); c != "" {
			best.country = c
			found = append(found, *best)
		}
		i = best.to
	}
	if len(found) == 0 {
		return
	}
	drop := map[int]bool{}
	var added []Mention
	text := d.Article.Text
	for _, m := range found {
		for _, mi := range m.consumed {
			drop[mi] = true
		}
		span := schema.Span{Start: toks[m.from].Start, End: toks[m.to-1].End}
		name := text[span.Start:span.End]
		ref := schema.EntityRef{ID: schema.SectorID(m.country, m.agent.Sector), Name: name, Type: SectorType,
			Country: m.country, Sector: m.agent.Sector}
		added = append(added, Mention{Sent: si, From: m.from, To: m.to, Span: span, Entity: ref,
			Kind: KindSector, Country: m.country, Role: m.agent.Sector})
	}
	var keep []Mention
	for mi, m := range ms {
		if !drop[mi] {
			keep = append(keep, m)
		}
	}
	d.Mentions[si] = mergeMentions(keep, added)
	for _, m := range added {
		d.AddEntity(m, text[m.Span.Start:m.Span.End])
	}
}

// match tries pattern p at token i.
func (f *sectorFinder) match(d *Doc, si, i int, p *AgentPattern, at []int) (sectorMatch, bool) {
	lang := d.Article.Lang
	toks := d.Sents[si].Tokens
	folded := d.Folded(si)
	ms := d.Mentions[si]
	n := len(toks)
	var best sectorMatch
	ok := false
	var step func(e, k int, cur sectorMatch)
	step = func(e, k int, cur sectorMatch) {
		if ok {
			return
		}
		if e == len(p.elems) {
			cur.to = k
			if f.accept(d, si, p, &cur, at) {
				best, ok = cur, true
			}
			return
		}
		el := p.elems[e]
		switch el.slot {
		case slotWord:
			if k < n && at[k] < 0 && el.words[folded[k]] {
				step(e+1, k+1, cur)
			}
		case slotDet:
			// without it first, so a match prefers the longest agent
			step(e+1, k, cur)
			if k < n && at[k] < 0 && determiners[folded[k]] {
				step(e+1, k+1, cur)
			}
		case slotAgent:
			// the longest agent at k, or none: "members of parliament" is
			// not "parliament", even where only the shorter one would fit
			a := f.agentAt(d, si, k, at)
			if a != nil && p.fits(a) {
				c := cur
				c.agent, c.agentFrom = a, k
				step(e+1, k+len(a.toks), c)
			}
		case slotMod:
			// without it first: "Iraqi security forces" is the agent
			// "security forces", not "forces" qualified
			step(e+1, k, cur)
			if k < n && at[k] < 0 && isLowerWord(toks[k].Text) && f.lexOpen(lang, folded[k]) {
				step(e+1, k+1, cur)
			}
		case slotDemonym, slotCountry:
			if k >= n || at[k] < 0 || ms[at[k]].From != k {
				return
			}
			m := ms[at[k]]
			country := ""
			if el.slot == slotDemonym {
				if m.Kind != schema.AliasDemonym || schema.BaseType(m.Entity.Type) != schema.Country || !f.adjective(lang, d.Article.Text[m.Span.Start:m.Span.End]) {
					return
				}
				country = m.Entity.ID
			} else {
				switch {
				case m.Kind == schema.AliasDemonym || m.Kind == KindSector:
				case schema.BaseType(m.Entity.Type) == schema.Country:
					country = m.Entity.ID
				case schema.BaseType(m.Entity.Type) == schema.Location && m.Country != "":
					country = m.Country // a city the gazetteer places
				}
			}
			if country == "" {
				return
			}
			c := cur
			c.country = country
			c.consumed = append(append([]int{}, cur.consumed...), at[k])
			step(e+1, m.To, c)
		}
	}
	step(0, i, sectorMatch{from: i})
	return best, ok
}

// quantityStart returns where the count before token from begins (from if
// there is none), not before token min.
func (f *sectorFinder) quantityStart(d *Doc, si, from, min int, at []int) int {
	folded := d.Folded(si)
	toks := d.Sents[si].Tokens
	for from > min {
		k := from - 1
		if at[k] >= 0 {
			break
		}
		if isNumber(toks[k].Text) {
			from = k
			continue
		}
		longest := 0
		for _, q := range f.lex.quantity[d.Article.Lang] {
			if len(q) <= longest || len(q) > from-min {
				continue
			}
			fit := true
			for j, w := range q {
				if p := from - len(q) + j; folded[p] != w || at[p] >= 0 {
					fit = false
					break
				}
			}
			if fit {
				longest = len(q)
			}
		}
		if longest == 0 {
			break
		}
		from -= longest
	}
	return from
}

// isQuantity: w alone counts an agent ("three", « plusieurs »).
func (f *sectorFinder) isQuantity(lang, w string) bool {
	for _, q := range f.lex.quantity[lang] {
		if len(q) == 1 && q[0] == w {
			return true
		}
	}
	return false
}

// isNumber: digits, maybe with separators ("60", "20,000", "2 000").
func isNumber(s string) bool {
	digit := false
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case r == ',' || r == '.' || r == ' ' || r == '\u00a0' || r == '\u202f':
		default:
			return false
		}
	}
	return digit
}

// agentAt returns the longest agent of the lexicon at token k, or nil.
func (f *sectorFinder) agentAt(d *Doc, si, k int, at []int) *Agent {
	folded := d.Folded(si)
	if k < 0 || k >= len(folded) {
		return nil
	}
	for _, a := range f.lex.byFirst[d.Article.Lang+"\x00"+folded[k]] {
		if k+len(a.toks) > len(folded) {
			continue
		}
		fit := true
		for j, w := range a.toks {
			if folded[k+j] != w || at[k+j] >= 0 || d.modifiers[[2]int{si, k + j}] {
				fit = false
				break
			}
		}
		if fit {
			return a // sorted longest first
		}
	}
	return nil
}

// lexOpen: w is an open-class word of lang, one a modifier may be
// ("Kenya's new government"), not a determiner, auxiliary, preposition or
// conjunction.
func (f *sectorFinder) lexOpen(lang, w string) bool {
	return !determiners[w] && !auxiliaries[w] && !boundaries[w] && !negations[w] && !modalVerbs[w] && !placePreps[lang][w] &&
		!f.lex.owner[lang][w] && !f.lex.opens[lang][w] && !f.lex.closed[lang][w]
}

// adjective: a demonym used as an adjective. English demonyms are
// capitalised either way, but a plural ("Kenyans") is a noun; French ones
// are capitalised only as nouns (« les Kényans », « la police kényane »).
func (f *sectorFinder) adjective(lang, surface string) bool {
	if lang == "fr" {
		return !startsUpper(surface)
	}
	return !f.pluralDemonyms[schema.Fold(surface)]
}

// accept checks the context of a match: a name right after it makes the
// phrase a title ("Kenyan police chief John Doe"); in a language with an
// "opens" list, an agent that begins the match must follow one of those
// words (« les opérations militaires » is an adjective); and a bare agent
// must be nobody else's.
func (f *sectorFinder) accept(d *Doc, si int, p *AgentPattern, m *sectorMatch, at []int) bool {
	lang := d.Article.Lang
	toks := d.Sents[si].Tokens
	folded := d.Folded(si)
	ms := d.Mentions[si]
	nameAt := func(k int) bool {
		if k < 0 || k >= len(toks) {
			return false
		}
		if at[k] >= 0 {
			return true
		}
		return isNameWord(toks[k].Text) && !f.lexStarts(lang, folded[k])
	}
	if k := m.to; k < len(toks) && (at[k] >= 0 && schema.BaseType(ms[at[k]].Entity.Type) == schema.Person || isNameWord(toks[k].Text) && !f.lexStarts(lang, folded[k])) {
		return false
	}
	// "the Free Syrian Army": a capitalised agent after a capitalised
	// word is a name's
	if m.from > 0 && nameish(toks[m.from-1].Text) && startsUpper(toks[m.agentFrom].Text) {
		return false
	}
	if p.initial && m.from > 0 {
		if opens := f.lex.opens[lang]; opens != nil && !isPunct(toks[m.from-1].Text) && !isNumber(toks[m.from-1].Text) && !opens[folded[m.from-1]] &&
			!(m.from > 1 && opens[folded[m.from-2]+"_"+folded[m.from-1]]) {
			return false
		}
	}
	if p.placed {
		return true
	}
	// a bare agent
	// the word before it says whose it is: "Hamas fighters", "Hamas's
	// fighters", "its army", "the National Police", "M23 rebels"; at the
	// start of a sentence a capital says nothing, so "Local police" is
	// lost too. Past one modifier, only a genitive or a possessive does:
	// "our broken government", "South Africa's apartheid government" (a
	// name two words back may be a verb's subject: "police detained
	// activists"). A count ends the search: "three journalists".
	if k := m.from - 1; k >= 0 && !isNumber(toks[k].Text) && !f.isQuantity(lang, folded[k]) {
		w := folded[k]
		if at[k] >= 0 || f.lex.owned[lang][w] || nameish(toks[k].Text) && !f.lexStarts(lang, w) {
			return false
		}
		if k2 := k - 1; k2 >= 0 && isLowerWord(toks[k].Text) && f.lexOpen(lang, w) && f.lex.owned[lang][folded[k2]] {
			return false
		}
	}
	if k := m.to; k < len(toks) {
		if isLowerWord(toks[k].Text) {
			for _, end := range f.lex.qualified[lang] {
				if strings.HasSuffix(folded[k], end) {
					return false // « l'armée populaire »
				}
			}
		}
		if at[k] >= 0 && ms[at[k]].Kind == schema.AliasDemonym {
			return false // « les rebelles houthis » when the pattern did not take it
		}
		if f.lex.owner[lang][folded[k]] {
			j := k + 1
			for j < len(toks) && determiners[folded[j]] {
				j++
			}
			if nameAt(j) {
				return false // "the army of Haftar", « les soldats de l'ONU »
			}
		}
	}
	// "the court" after the International Criminal Court is that court:
	// an organisation of the article whose name ends in the agent's word
	last := m.agent.toks[len(m.agent.toks)-1]
	for _, id := range d.order {
		e := d.Entities[id]
		if schema.BaseType(e.Type) != schema.Organization {
			continue
		}
		for _, a := range append([]string{e.Name}, e.Aliases...) {
			for _, w := range strings.Fields(schema.Fold(a)) {
				if w == last || strings.TrimSuffix(w, "s") == strings.TrimSuffix(last, "s") {
					return false
				}
			}
		}
	}
	return true
}

// lexStarts: the word begins an agent of the language, so a capital
// letter on it is no name ("the Army", "Police").
func (f *sectorFinder) lexStarts(lang, w string) bool {
	return len(f.lex.byFirst[lang+"\x00"+w]) > 0
}

// nameish: a word written as part of a name: capitalised (not a
// determiner or another closed-class word), or letters with digits ("M23").
func nameish(s string) bool {
	if startsUpper(s) && !notNames[schema.Fold(s)] && !determiners[schema.Fold(s)] {
		return true
	}
	digit, letter := false, false
	for _, r := range s {
		digit = digit || unicode.IsDigit(r)
		letter = letter || unicode.IsLetter(r)
	}
	return digit && letter
}

func isPunct(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// dominantCountry is the country an article is about, when it clearly has
// one: named (by name, capital, demonym, a sector actor, a person's
// country or a city's) at least three times, and at least twice as often as any
// other. Bare agents ("the police") take it; an article that names two
// countries about as often leaves them without one, which costs recall
// but never gives a foreign army to the wrong side.
func dominantCountry(d *Doc) string {
	count := map[string]int{}
	for _, ms := range d.Mentions {
		for _, m := range ms {
			switch {
			case m.Kind == KindSector && m.Entity.Country != "":
				count[m.Entity.Country]++
			case schema.BaseType(m.Entity.Type) == schema.Country:
				count[m.Entity.ID]++
			case schema.BaseType(m.Entity.Type) == schema.Person && m.Country != "":
				count[m.Country]++
			case schema.BaseType(m.Entity.Type) == schema.Location && m.Country != "":
				count[m.Country]++ // a city the gazetteer places: "in Liverpool"
			}
		}
	}
	best, second := "", 0
	for id, n := range count {
		if best == "" || n > count[best] || n == count[best] && id < best {
			best = id
		}
	}
	for id, n := range count {
		if id != best {
			second = max(second, n)
		}
	}
	if best == "" || count[best] < 3 || count[best] < 2*second {
		return ""
	}
	return best
}
