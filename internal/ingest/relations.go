package ingest

import (
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// TokenRules is the first relation stage: rules over tokens and mentions,
// no parse needed. For each trigger word of the lexicon it finds the
// subject to the left and the object to the right within the clause,
// handling passives ("cosigné par X"), coordination ("X et Y"), lists
// ("dont X, Y et Z"), controlled complements ("accuse X d'avoir tiré"),
// nominal events ("la rencontre entre X et Y", "une frappe lancée par X
// contre Y") and actors named before (pronouns, "la coalition", "ce pays").
type TokenRules struct {
	Lex *Lexicon
	// Words are the closed word classes of the argument rules
	// (argwords.tsv); nil reads as empty classes.
	Words *ArgWords
	// NoDeps ignores dependency parses even when the sentences have one.
	NoDeps bool
	// PreferTokens lets word-order rules win over the parse where both
	// find an argument (the parse then only fills gaps).
	PreferTokens bool
}

// arg is a resolved argument: one or more entities and where they were.
type arg struct {
	ents     []schema.EntityRef
	from, to int    // token range in the sentence (from == to for a carried-over actor)
	how      string // for --explain: "left", "par", "coref:ils", ...
}

func (a *arg) ok() bool { return a != nil && len(a.ents) > 0 }

// sent is one sentence with the lookups the rules need.
type sent struct {
	d    *Doc
	si   int
	lang string
	toks []nlp.Token
	f    []string // folded token texts
	at   []int    // token -> index in men, or -1
	men  []Mention
	trig [][]*Trigger
	// frames: the entries with no event at each token (control verbs)
	frames [][]*Trigger
	tlen   []int
	// subjects assigned by a governing verb to its complement's trigger
	ctrl map[int]*arg
	hyp  map[int]bool
	neg  map[int]bool // the complement is negated ("denied shelling", "refused to meet")
	comp map[int]int  // sctrl verb -> its complement's trigger
	w    *ArgWords
	// verbSubj: the subject found for each verb trigger so far, by token,
	// for a coordinated verb or a participle that shares it
	verbSubj map[int]*arg
	// the dependency tree, when the sentence is parsed
	tr           *tree
	useDep       bool
	preferTokens bool
	// placeIsObject: for visits the place is what the event is about
	placeIsObject bool
}

// discourse is what the rules remember across sentences of one article.
type discourse struct {
	lastPlural  []schema.EntityRef
	lastSingle  []schema.EntityRef
	lastSubject map[string][]schema.EntityRef // by relation: who did it last
	speakers    []schema.EntityRef            // the last who said something
	speakerSent int                           // 1 + the sentence where they said it
	// the last pair of an event noun ("the meeting between X and Y"):
	// "they" may be them, "the allies" may not
	lastPair            []schema.EntityRef
	seq, pairSeq, plSeq int
}

func (d *Doc) disc() *discourse {
	if d.discourse == nil {
		d.discourse = &discourse{lastSubject: map[string][]schema.EntityRef{}}
	}
	return d.discourse
}

// Relations finds the candidate facts of sentence si.
func (r *TokenRules) Relations(d *Doc, si int) []Candidate {
	s := &sent{d: d, si: si, lang: d.Article.Lang, toks: d.Sents[si].Tokens, men: d.Mentions[si],
		ctrl: map[int]*arg{}, hyp: map[int]bool{}, neg: map[int]bool{}, comp: map[int]int{}, w: r.Words, verbSubj: map[int]*arg{}}
	n := len(s.toks)
	s.f = d.Folded(si)
	s.at = make([]int, n)
	s.trig = make([][]*Trigger, n)
	s.frames = make([][]*Trigger, n)
	s.tlen = make([]int, n)
	for i := range s.at {
		s.at[i] = -1
	}
	for mi, m := range s.men {
		for k := m.From; k < m.To; k++ {
			s.at[k] = mi
		}
	}
	headline := allUpperSentence(s.toks)
	for i := range s.toks {
		if s.at[i] >= 0 {
			continue
		}
		// a capitalised word inside a sentence is a name ("the Korean
		// War", "the United States"), not a trigger
		if i > 0 && !headline && startsUpper(s.toks[i].Text) && !(i > 0 && (s.f[i-1] == "\"" || s.f[i-1] == "«" || s.f[i-1] == ":")) {
			continue
		}
		ts, n := r.Lex.Match(s.lang, s.toks, i)
		// frames ("decide to", « tenter de ») are kept apart: they are no
		// events, and their forms must not cut clauses ("des tentes")
		for _, t := range ts {
			if t.Relation == "" {
				s.frames[i] = append(s.frames[i], t)
			} else {
				s.trig[i] = append(s.trig[i], t)
			}
		}
		s.tlen[i] = n
	}
	s.useDep = !r.NoDeps && s.parsed()
	s.preferTokens = r.PreferTokens
	var out []Candidate
	inQuote := quoteMap(s.f)
	for i := 0; i < n; i++ {
		for _, t := range s.frames[i] {
			r.apply(s, i, t, inQuote) // passes its subject on, gives no fact
		}
		for _, t := range s.trig[i] {
			c, ok := r.apply(s, i, t, inQuote)
			if !ok {
				continue
			}
			out = append(out, c...)
			break
		}
	}
	return out
}

// NeedsParse: a sentence needs its parse only if it has a trigger word
// (by form: lemmas come from the tagger) and an actor or a pronoun.
func (r *TokenRules) NeedsParse(d *Doc, si int) bool {
	if r.NoDeps {
		return false
	}
	// A fact joins two different actors, so a sentence needs two: two
	// entities named (or resolved by coreference), or one and a word the
	// rules can read as an actor (a pronoun, "the two allies", "ce pays",
	// or a statement, which becomes a document node).
	// Requiring one actor only parsed most sentences of general news.
	actors := 0
	var first string
	for _, m := range d.Mentions[si] {
		if actors == 0 {
			first, actors = m.Entity.ID, 1
		} else if m.Entity.ID != first {
			actors = 2
			break
		}
	}
	// A singular pronoun is not counted: the resolver has made a mention
	// of those that name someone ("he" → Ditta), and the others are mostly
	// impersonal (« il faut », "it is"), which sent a fifth of all
	// sentences to the parser for nothing.
	f := d.Folded(si)
	for _, w := range f {
		if actors >= 2 {
			break
		}
		if pluralPronouns[w] || groupNouns[w] || countryNouns[w] || documentNouns[w] != "" {
			actors++
		}
	}
	return actors >= 2 && r.mayTrigger(d, si)
}

// mayTrigger: some token of sentence si starts a trigger as Relations
// would read it before the tagger ran: outside a name, not a capitalised
// word inside the sentence, the whole phrase present ("lancer une
// attaque", not "lancer" alone), an objnoun= noun following, and a
// document noun in the sentence for a doconly trigger ("said in a
// statement"). Counting a phrase's first word alone sent hundreds of
// sentences to the parser for nothing.
func (r *TokenRules) mayTrigger(d *Doc, si int) bool {
	f := d.Folded(si)
	toks := d.Sents[si].Tokens
	inName := make([]bool, len(f))
	for _, m := range d.Mentions[si] {
		for k := m.From; k < m.To && k < len(f); k++ {
			inName[k] = true
		}
	}
	docNoun := false
	for _, w := range f {
		if documentNouns[w] != "" {
			docNoun = true
			break
		}
	}
	headline := allUpperSentence(toks)
	lang := d.Article.Lang
	for i, w := range f {
		if inName[i] || len(r.Lex.byForm[lang+"\x00"+w]) == 0 {
			continue
		}
		if i > 0 && !headline && startsUpper(toks[i].Text) && !(f[i-1] == "\"" || f[i-1] == "«" || f[i-1] == ":") {
			continue
		}
		ts, n := r.Lex.Match(lang, toks, i)
		for _, t := range ts {
			if t.DocOnly && !docNoun || t.Relation == "" {
				continue // a frame ("decide to") is no event of its own
			}
			if t.ObjNoun != nil {
				end := i + 1
				if len(t.Rest) > 0 {
					end = i + n
				}
				if !nounWithin(f, end, t.ObjNoun) {
					continue
				}
			}
			return true
		}
	}
	return false
}

// quoteMap marks tokens inside quotation marks.
func quoteMap(f []string) []bool {
	in := make([]bool, len(f))
	open := false
	for i, w := range f {
		switch w {
		case "\"", "«", "»", "“", "”":
			if w == "«" || w == "“" {
				open = true
			} else if w == "»" || w == "”" {
				open = false
			} else {
				open = !open
			}
			continue
		}
		in[i] = open
	}
	return in
}

// apply runs one trigger; it returns candidates for each subject × object.
func (r *TokenRules) apply(s *sent, i int, t *Trigger, inQuote []bool) ([]Candidate, bool) {
	isNoun := t.Noun
	if !isNoun && r.hasNounReading(s, i) && (s.prevIsDeterminer(i) || s.prevIsDeterminerOrAdj(i)) {
		return nil, false // "the attack", "la frappe" read as nouns by their own entries
	}
	if isNoun && !s.prevIsDeterminerOrAdj(i) && !s.afterLightVerb(i) && !s.participationPP(i) && i > 0 {
		// a noun trigger needs a determiner or adjective before it, or to start the sentence
		if !(s.lang == "en" && (s.f[i-1] == "'s" || s.at[i-1] >= 0)) {
			return nil, false
		}
	}
	var subj, obj *arg
	rule := ""
	end := i + s.tlen[i]
	if len(t.Rest) == 0 {
		// a phrase trigger at i ("ask for") spans more; this single word
		// does not, and its object may sit in what the phrase took
		// ("asked China for help")
		end = i + 1
	}
	if t.ObjNoun != nil && !s.nounFollows(end, t.ObjNoun) {
		return nil, false // "called a strike", not "called the minister"
	}
	if t.Relation == "" && s.prevIsDeterminer(i) {
		return nil, false // "the plan to", "Russia's plan to": a noun
	}
	s.placeIsObject = t.Relation == "visits"
	defer func() { s.placeIsObject = false }()
	if isNoun {
		subj, obj, rule = s.nominalArgs(i, end, t)
	} else {
		subj, obj, rule = s.verbArgs(i, end, t)
	}
	if !subj.ok() || t.Relation == "" {
		return nil, false // a frame only passed its subject on
	}
	disc := s.d.disc()
	if obj.ok() && obj.how != "sym" && len(subj.ents) > 1 {
		// one group cannot be both sides ("accuse Uganda and Rwanda of
		// supporting ..." is not Uganda supporting Rwanda), unless the event
		// is symmetric
		shared := 0
		for _, e := range obj.ents {
			for _, x := range subj.ents {
				if x.ID == e.ID {
					shared++
				}
			}
		}
		if shared > 0 {
			obj = nil
		}
	}
	if !obj.ok() {
		// still remember who acts, for "ces bombardements" later
		disc.lastSubject[t.Relation] = subj.ents
		return nil, false
	}
	disc.lastSubject[t.Relation] = subj.ents
	// only actors in subject position become the topic that pronouns and
	// "la coalition" pick up; passive agents ("cosigné par ...") are
	// backgrounded
	disc.seq++
	if subj.how == "pair" {
		disc.lastPair = append(append([]schema.EntityRef{}, subj.ents...), obj.ents...)
		disc.pairSeq = disc.seq
	} else if strings.HasPrefix(subj.how, "coref:") && len(subj.ents) > 1 && !pluralPronouns[strings.TrimPrefix(subj.how, "coref:")] {
		disc.plSeq = disc.seq // "les alliés" names the plural topic again
	} else if subj.how == "par" || strings.HasPrefix(subj.how, "coref") || strings.HasPrefix(subj.how, "event") {
	} else if len(subj.ents) > 1 {
		disc.lastPlural = subj.ents
		disc.plSeq = disc.seq
	} else {
		disc.lastSingle = subj.ents
	}
	sentence := s.d.Sents[s.si]
	ev := schema.Evidence{Sentence: s.d.Article.Text[sentence.Start:sentence.End], Span: schema.Span{Start: sentence.Start, End: sentence.End}}
	conf := 0.9
	subjVia, objVia := s.viaOf(subj), s.viaOf(obj)
	if strings.HasPrefix(subj.how, "coref") || strings.HasPrefix(obj.how, "coref") || subjVia != "" || objVia != "" {
		conf = 0.7
	}
	if strings.HasPrefix(subj.how, "event") || strings.HasPrefix(subj.how, "implied") {
		conf = 0.6
	}
	if strings.HasPrefix(rule, "dep-") {
		conf -= 0.1 // an argument only the parse found: parses of news err more than word order on these frames
	}
	var out []Candidate
	for _, a := range subj.ents {
		objs := obj.ents
		for _, b := range objs {
			if a.ID == b.ID {
				continue
			}
			rel := t.Relation
			if rel == "attacks" && isNoun && s.tradeWar(i) {
				rel = "sanctions" // "trade war", "guerre commerciale": tariffs, not force
			}
			if j, ok := s.comp[i]; ok && t.Event == "AGREE" && s.promiseOfHarm(j) {
				rel = threatRelation // "vowed to retaliate against Israel": a threat
			}
			if symmetric[rel] || (t.Sym || t.Pair) && rel == "agrees" && obj.how != "complement" {
				// (an agreement to do something to Y is directed: "Armenia
				// agreed to return villages to Azerbaijan")
				// one direction for a symmetric event, whichever order the
				// sentence used, so "X met Y" and "Y a reçu X" agree
				if idLess(b.ID, a.ID) {
					a, b = b, a
				}
			}
			f := schema.Fact{Doc: s.d.Article.ID, Subject: a, Relation: rel, Mode: t.Mode, Object: b,
				Evidence: ev, Confidence: conf,
				Rule: fmt.Sprintf("%s:%d %s %q", path.Base(t.File), t.Line, rule, s.toks[i].Text),
				Path: fmt.Sprintf("subject[%s%s]=%s trigger=%s object[%s%s]=%s", subj.how, subjVia, a.Name, s.toks[i].Text, obj.how, objVia, b.Name)}
			if b.Type != "" && schema.BaseType(b.Type) == schema.Document && t.Relation == "supports" {
				f.Mode = ""
			}
			if itemRelations[rel] && !(isNoun && rel != "supplies" && rel != "aids") {
				f.Instrument = s.item(i, end, isNoun)
			}
			out = append(out, Candidate{Fact: f, Trigger: i, Noun: isNoun && subj.how != "light-verb", Hypothetic: s.hyp[i], Negated: s.neg[i], Embedded: s.ctrl[i] != nil})
		}
		if t.Sym && len(subj.ents) > 1 && obj.how == "sym" {
			break
		}
	}
	return out, len(out) > 0
}

// nounFollows: one of the nouns comes within the clause after token end,
// as an objnoun= trigger needs ("staged a nationwide strike").
func (s *sent) nounFollows(end int, nouns map[string]bool) bool { return nounWithin(s.f, end, nouns) }

func nounWithin(f []string, end int, nouns map[string]bool) bool {
	for k := end; k < len(f) && k < end+8; k++ {
		if boundaries[f[k]] {
			break
		}
		if nouns[f[k]] {
			return true
		}
	}
	return false
}

// isDemonymWord: a lower-case demonym adjective, as in "le président
// russe" (its mention was dropped as a modifier of the name after it).
func isDemonymWord(d *Doc, w string) bool {
	return d.demonyms()[w]
}

// itemRelations take an item or instrument: what is supplied, fired,
// deployed or sold.
var itemRelations = map[string]bool{"supplies": true, "aids": true, "attacks": true, "mobilizes": true, "sanctions": true}

// item finds the thing an event is about: the direct object that is not
// an actor ("fournir des missiles balistiques à la Russie", "fire
// missiles at"), the noun's complement ("la fourniture d'équipements
// létaux") or the noun a participle modifies ("des missiles fournis par").
func (s *sent) item(i, end int, noun bool) string {
	k := end
	if noun {
		if k < len(s.f) && (s.f[k] == "de" || s.f[k] == "d'" || s.f[k] == "of") {
			k++
		} else {
			return ""
		}
	} else if i > 0 && s.at[i-1] < 0 && isLowerWord(s.toks[i-1].Text) && !s.isDet(i-1) && !auxiliaries[s.f[i-1]] && k < len(s.f) && (s.f[k] == "par" || s.f[k] == "by") {
		// "des missiles fournis par": the noun before
		j := i - 1
		for j > 0 && s.at[j-1] < 0 && isLowerWord(s.toks[j-1].Text) && !s.isDet(j-1) && !boundaries[s.f[j-1]] && !auxiliaries[s.f[j-1]] && i-j < 3 {
			j--
		}
		return s.d.Article.Text[s.toks[j].Start:s.toks[i-1].End]
	}
	for k < len(s.f) && (s.isDet(k) || s.f[k] == "de" || s.f[k] == "d'" || adverbs[s.f[k]]) {
		k++
	}
	from := k
	for k < len(s.f) && k < from+4 && s.at[k] < 0 && isLowerWord(s.toks[k].Text) && !boundaries[s.f[k]] &&
		!placePreps[s.lang][s.f[k]] && s.f[k] != "de" && s.f[k] != "of" && s.f[k] != "par" && s.f[k] != "by" && s.f[k] != "sur" && s.f[k] != "on" && s.f[k] != "contre" && s.f[k] != "against" && s.f[k] != "with" && s.f[k] != "avec" && s.f[k] != "et" && s.f[k] != "and" && len(s.trig[k]) == 0 {
		k++
	}
	if k == from {
		return ""
	}
	return s.d.Article.Text[s.toks[from].Start:s.toks[k-1].End]
}

// tradeWar: "trade war", "guerre commerciale", "tariff war".
func (s *sent) tradeWar(i int) bool {
	for k := max(0, i-2); k < len(s.f) && k <= i+2; k++ {
		switch s.f[k] {
		case "trade", "tariff", "commerciale", "commerciales", "tarifaire", "douaniere", "economique":
			return true
		}
	}
	return false
}

// symmetric relations hold both ways.
var symmetric = map[string]bool{"meets": true, "cooperates": true}

// idLess orders entity ids: Wikidata ids by number, then the others.
func idLess(a, b string) bool {
	qa, qb := schema.IsQID(a), schema.IsQID(b)
	if qa && qb {
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	}
	if qa != qb {
		return qa
	}
	return a < b
}

func (r *TokenRules) hasNounReading(s *sent, i int) bool {
	for _, t := range r.Lex.byForm[s.lang+"\x00"+s.f[i]] {
		if t.Noun {
			return true
		}
	}
	return false
}

// isDet: a determiner that is not part of a name ("un" but not "UN").
func (s *sent) isDet(k int) bool {
	if k < 0 || k >= len(s.f) || s.at[k] >= 0 || !determiners[s.f[k]] {
		return false
	}
	// French "a" is "has", not an article
	return !(s.lang == "fr" && (s.f[k] == "a" || s.f[k] == "an"))
}

func (s *sent) prevIsDeterminer(i int) bool {
	return i > 0 && (s.isDet(i-1) || s.f[i-1] == "'s")
}

func (s *sent) prevIsDeterminerOrAdj(i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if s.isDet(k) || s.f[k] == "'s" {
			return true
		}
		if !isLowerWord(s.toks[k].Text) || auxiliaries[s.f[k]] || boundaries[s.f[k]] {
			return false
		}
	}
	return false
}

// afterLightVerb: a light verb, maybe with one adjective, right before i
// ("announced new sanctions", "imposed tariffs", "held talks").
func (s *sent) afterLightVerb(i int) bool {
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		if lightVerbs[s.f[k]] {
			return true
		}
		if !isLowerWord(s.toks[k].Text) || s.at[k] >= 0 {
			return false
		}
	}
	return false
}

func isLowerWord(w string) bool {
	for _, r := range w {
		return unicode.IsLower(r)
	}
	return false
}

// verbArgs finds the subject and object of a verb trigger: from the
// dependency parse when there is one, with the token rules filling what
// the parse leaves out (or the other way round, with PreferTokens).
func (s *sent) verbArgs(i, end int, t *Trigger) (subj, obj *arg, rule string) {
	depPassive := false
	if !s.useDep {
		subj, obj, rule = s.tokenVerbArgs(i, end, t)
	} else {
		dsubj, dobj, dpass := s.depVerbArgs(i, t)
		depPassive = dpass
		tsubj, tobj, trule := s.tokenVerbArgs(i, end, t)
		first, second := dsubj, tsubj
		if s.preferTokens {
			first, second = tsubj, dsubj
		}
		subj = pickArg(first, second)
		first, second = dobj, tobj
		if s.preferTokens {
			first, second = tobj, dobj
		}
		obj = pickArg(first, second)
		if t.DocOnly && obj.ok() && schema.BaseType(obj.ents[0].Type) != schema.Document {
			obj = nil
		}
		rule = trule
		if subj == dsubj && dsubj.ok() || obj == dobj && dobj.ok() {
			rule = "dep-" + trule
		}
	}
	if !subj.ok() && t.Implied != "" && (depPassive || strings.HasSuffix(rule, "passive")) {
		// "X was arrested", « X a été écroué »: the police or the courts
		// of the country where it happens; "a man was arrested": a
		// civilian of that country
		if !obj.ok() {
			obj = s.personPatient(i, end)
		}
		if obj.ok() && schema.BaseType(obj.ents[0].Type) != schema.Document {
			subj = s.impliedActor(t.Implied, end, obj) // (« l'accord a été jugé insuffisant »: no one's act)
		}
	}
	if subj.ok() {
		s.verbSubj[i] = subj
	}
	if t.SCtrl && subj.ok() {
		s.markSubjectControl(i, end, subj, obj, t)
	}
	if obj.ok() && t.Ctrl {
		s.markControl(obj, t, end)
		if s.useDep {
			s.depControl(i, obj, t)
		}
	}
	if t.DocOnly && subj.ok() {
		// who speaks: "nous" in the quote is them
		s.d.disc().speakers = subj.ents
		s.d.disc().speakerSent = s.si + 1
	}
	return subj, obj, rule
}

func pickArg(a, b *arg) *arg {
	if a.ok() {
		return a
	}
	return b
}

// tokenVerbArgs finds the subject and object of a verb trigger from word
// order alone.
func (s *sent) tokenVerbArgs(i, end int, t *Trigger) (subj, obj *arg, rule string) {
	passive := s.isPassive(i, end)
	rule = "verb"
	if passive {
		rule = "passive"
		subj = s.agentAfter(end)
		// the patient is the subject position: "Le communiqué a été cosigné",
		// or the noun the participle modifies: "des missiles fournis par"
		obj = s.leftActor(i, t, true)
		if judgementEvents[t.Event] && (!obj.ok() || obj.from < len(s.at) && s.at[obj.from] >= 0 && s.isPlace(obj.from)) {
			// "the incursion of Turkey into Syria was criticised": the
			// judged act's agent, not where it was
			if a := s.eventAgentBefore(i); a.ok() {
				obj = a
			}
		}
		if t.Prep != "" {
			if o := s.prepObject(end, t.Prep); o.ok() {
				obj = o
			}
		}
		if !obj.ok() && t.Doc {
			obj = s.leftDocument(i)
		}
		return subj, obj, rule
	}
	subj = s.ctrl[i]
	if subj.ok() {
		rule = "control"
	} else {
		subj = s.leftActor(i, t, false)
	}
	if !subj.ok() && s.participle(i) {
		// "a resolution condemning Iran", "une résolution condamnant
		// l'Iran": the noun the participle follows does it
		if d := s.documentAt(i - 1); d != nil {
			subj = d
			rule = "participle"
		} else if i > 0 && s.at[i-1] >= 0 {
			subj = s.coordLeft(s.at[i-1], "participle")
			rule = "participle"
		}
	}
	if !subj.ok() {
		// "condemned the launch and urged Pyongyang", "…, calling Rome…"
		if a := s.sharedSubject(i); a.ok() {
			subj, rule = a, "shared"
		}
	}
	if !subj.ok() && s.afterQuote(i) {
		// reported speech with the subject after the verb: `"...", ont
		// déclaré les deux alliés`, `"...", said Branstad`
		subj = s.groupAt(end, 5, "inverted")
		if subj.ok() && subj.to > end {
			end = subj.to
		}
	}
	if t.DocOnly {
		if t.Prep != "" {
			obj = s.prepObject(end, t.Prep)
		}
		if !obj.ok() || schema.BaseType(obj.ents[0].Type) != schema.Document {
			return subj, nil, rule
		}
		return subj, obj, rule
	}
	if t.Prep != "" {
		obj = s.prepObject(end, t.Prep)
	}
	if !obj.ok() && t.Obj {
		obj = s.directObject(end, t)
	}
	if !obj.ok() && t.That {
		obj = s.thatObject(end, t)
	}
	if !obj.ok() && (t.Obj || t.Prep != "") {
		// « Le gouvernement l'accuse d'attaquer », « Pékin lui a demandé
		// de »: the object is a clitic pronoun before the verb
		obj = s.cliticObject(i, subj, t)
	}
	if !obj.ok() && (t.Relation == "threatens" || t.CTarget) {
		// "threatened to destroy North Korea", "a menacé de frapper
		// l'Iran", "pledged to help Ukraine": the target of the act
		obj = s.complementTarget(end)
	}
	if !obj.ok() && subj.ok() && subj.how == "left" {
		// "les résolutions que la Russie a soutenues": the antecedent
		obj = s.relativeAntecedent(subj.from, t)
	}
	if !obj.ok() && t.Sym && subj.ok() && len(subj.ents) > 1 && subj.how != "coref" {
		// "X and Y met": each meets the other
		obj = &arg{ents: subj.ents, how: "sym"}
	}
	return subj, obj, rule
}

// participle: the trigger is a present participle used as an adjective
// ("condemning", "condamnant"), not a progressive after "is/was".
func (s *sent) participle(i int) bool {
	if i == 0 {
		return false
	}
	w := s.f[i]
	if s.lang == "en" {
		return strings.HasSuffix(w, "ing") && !auxiliaries[s.f[i-1]]
	}
	return strings.HasSuffix(w, "ant") && s.f[i-1] != "en"
}

// afterQuote: the verb (with its auxiliaries) follows a closing quote
// and a comma, as in reported speech.
func (s *sent) afterQuote(i int) bool {
	k := i - 1
	for k >= 0 && (auxiliaries[s.f[k]] || s.f[k] == "-t-" || s.f[k] == "-") {
		k--
	}
	if k >= 0 && s.f[k] == "," {
		k--
	}
	return k >= 0 && (s.f[k] == "\"" || s.f[k] == "»" || s.f[k] == "”")
}

// relativeAntecedent: when the subject at from is preceded by a relative
// "que/which/that", the verb's object is the noun before it: a document
// noun if the verb takes one, else a mention.
func (s *sent) relativeAntecedent(from int, t *Trigger) *arg {
	k := from - 1
	for k >= 0 && s.isDet(k) {
		k--
	}
	if k < 0 || !relObject[s.f[k]] {
		return nil
	}
	k--
	for k >= 0 && (s.f[k] == "\"" || s.f[k] == "«" || s.f[k] == "," || s.f[k] == "»") {
		k--
	}
	if s.at[k] >= 0 && !t.Doc {
		return s.coordLeft(s.at[k], "relative")
	}
	for j := k; j >= 0 && j >= k-12; j-- {
		if boundaries[s.f[j]] || len(s.trig[j]) > 0 && !s.trig[j][0].Noun {
			break
		}
		if d := s.documentAt(j); d != nil {
			d.how = "relative"
			return d
		}
	}
	return nil
}

// isPassive: an auxiliary "être/be" right before the participle, or a
// reduced participle followed by "par/by".
func (s *sent) isPassive(i, end int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		w := s.f[k]
		if w == "ete" || w == "etre" || w == "been" || w == "be" || w == "being" ||
			w == "was" || w == "were" || w == "is" || w == "are" || w == "est" || w == "sont" || w == "etait" || w == "etaient" || w == "fut" || s.w.is(s.lang, "passaux", w) {
			// "se sont réunis" is reflexive, not passive
			return !(k > 0 && (s.f[k-1] == "se" || s.f[k-1] == "s'"))
		}
		if !adverbs[w] && !negations[w] {
			break
		}
	}
	k := end
	for k < len(s.f) && adverbs[s.f[k]] {
		k++
	}
	return k < len(s.f) && (s.f[k] == "par" || s.f[k] == "by") && !strings.HasSuffix(s.f[i], "ing") && !strings.HasSuffix(s.f[i], "ant")
}

// agentAfter finds the "par X" / "by X" agent, with lists introduced by
// "dont", "including", "notamment", "such as".
func (s *sent) agentAfter(end int) *arg {
	for k := end; k < len(s.f) && k < end+3; k++ {
		if s.f[k] == "par" || s.f[k] == "by" {
			return s.groupAt(k+1, 14, "par")
		}
	}
	return nil
}

// groupAt finds the actor group starting at or soon after token k: a
// coordination of mentions, or a quantified noun with a list ("près de 50
// pays, dont le Japon, la Corée du Sud ... et le Royaume-Uni").
func (s *sent) groupAt(k, window int, how string) *arg {
	limit := min(len(s.f), k+window)
	for j := k; j < limit; j++ {
		if s.at[j] >= 0 {
			if (how == "pair" || how == "agent" || how == "par") && s.isPlace(j) {
				j = s.men[s.at[j]].To - 1
				continue
			}
			return s.coordRight(j, how)
		}
		w := s.f[j]
		if w == "dont" || w == "including" || w == "notamment" || w == "such" || w == "among" || w == "parmi" {
			continue
		}
		if boundaries[w] && w != "dont" {
			break
		}
		if len(s.trig[j]) > 0 && !s.trig[j][0].Noun {
			break
		}
		if d := s.documentAt(j); d != nil && how != "par" {
			return d
		}
	}
	if a := s.corefAt(k, limit); a.ok() {
		return a
	}
	return nil
}

// coordRight collects the coordinated mentions from mention-start j
// rightwards: "le Japon, la Corée du Sud, l'Argentine ... et le Royaume-Uni".
func (s *sent) coordRight(j int, how string) *arg {
	if p := s.qualifiedPerson(j); p >= 0 {
		j = p // "defend Supreme Court nominee Brett Kavanaugh": the person
	}
	// "X's N": the possessor is what an act on its thing is about ("rejected
	// Iraq's proposal", "block Sweden's NATO bid"), and the actor when the
	// thing acts for it ("Russia's army"); but a name it owns is the
	// object itself ("Trump's Republican Party")
	if mi := s.at[j]; mi >= 0 && how != "pair" {
		e := s.men[mi].To
		if e < len(s.f) && s.f[e] == "'s" {
			k := e + 1
			named, owned := false, false
			for k < len(s.f) && k < e+4 && s.at[k] < 0 && !agentNouns[s.f[k]] && !s.isEventNoun(k) && (isLowerWord(s.toks[k].Text) || startsUpper(s.toks[k].Text)) && !boundaries[s.f[k]] {
				named = named || startsUpper(s.toks[k].Text)
				owned = owned || s.w.is(s.lang, "owned", s.f[k])
				k++
			}
			if k < len(s.f) && s.at[k] >= 0 && s.nounAfter(s.men[s.at[k]].To) {
				owned = owned || s.w.is(s.lang, "owned", s.f[s.men[s.at[k]].To]) // "Sweden's NATO bid"
			}
			switch {
			case k < len(s.f) && (agentNouns[s.f[k]] || s.isEventNoun(k)):
			case owned:
			case k < len(s.f) && s.at[k] >= 0:
				return s.coordRight(k, how)
			default:
				return &arg{from: j, to: e, how: how}
			}
		}
	}
	a := &arg{from: j, how: how}
	k := j
	for k < len(s.f) {
		mi := s.at[k]
		if mi < 0 {
			break
		}
		m := s.men[mi]
		a.ents = appendEnt(a.ents, s.actorOf(m))
		a.to = m.To
		k = m.To
		// skip a parenthetical expansion "(République populaire ...)"
		if k < len(s.f) && s.f[k] == "(" {
			for k < len(s.f) && s.f[k] != ")" {
				k++
			}
			k++
		}
		// separators: ",", "et", "and", "ou", "or", "as well as", then determiners
		sep := k
		conj := false
		for sep < len(s.f) && (s.f[sep] == "," || s.f[sep] == "et" || s.f[sep] == "and" || s.f[sep] == "ou" || s.f[sep] == "or" || s.f[sep] == "ainsi" || s.f[sep] == "as" || s.f[sep] == "well" || s.isDet(sep) && s.f[sep] != "that") {
			if !s.isDet(sep) {
				conj = true
			}
			sep++
		}
		// "et le président russe Vladimir Poutine": a title before the name
		for j := sep; conj && j < len(s.f) && j < sep+4 && s.at[sep] < 0; j++ {
			if _, ok := personTitles[s.f[j]]; !ok && !titleWords[s.f[j]] && !isDemonymWord(s.d, s.f[j]) {
				break
			}
			if j+1 < len(s.f) && s.at[j+1] >= 0 && schema.BaseType(s.men[s.at[j+1]].Entity.Type) == schema.Person {
				sep = j + 1
			}
		}
		if !conj || sep >= len(s.f) || s.at[sep] < 0 {
			break
		}
		k = sep
	}
	return a
}

// coordLeft collects coordinated mentions ending at token e (exclusive)
// leftwards: "L'Union européenne et les États-Unis".
func (s *sent) coordLeft(mi int, how string) *arg {
	m := s.men[mi]
	a := &arg{from: m.From, to: m.To, how: how, ents: []schema.EntityRef{s.actorOf(m)}}
	k := m.From - 1
	conj := false
	for k >= 0 {
		// skip determiners, then one separator; a comma joins only a list
		// that ends with "and": "A, B and C", not "at the UN, Trump, who"
		for k >= 0 && s.isDet(k) {
			k--
		}
		if k < 0 || !(s.f[k] == "," && conj || s.f[k] == "et" || s.f[k] == "and" || s.f[k] == "ou" || s.f[k] == "or") {
			break
		}
		if s.f[k] != "," {
			conj = true
		}
		k--
		for k >= 0 && s.isDet(k) {
			k--
		}
		if k < 0 || s.at[k] < 0 {
			break
		}
		pm := s.men[s.at[k]]
		a.ents = append([]schema.EntityRef{s.actorOf(pm)}, a.ents...)
		a.from = pm.From
		k = pm.From - 1
	}
	return a
}

func appendEnt(list []schema.EntityRef, e schema.EntityRef) []schema.EntityRef {
	for _, x := range list {
		if x.ID == e.ID {
			return list
		}
	}
	return append(list, e)
}

// actorOf returns the entity a mention stands for as an actor: persons as
// themselves, everything else as named.
func (s *sent) actorOf(m Mention) schema.EntityRef { return m.Entity }

// leftActor finds the subject to the left of a verb: the nearest mention
// group in the same clause, skipping auxiliaries, adverbs, negation,
// agent nouns ("Chinese officials") and place modifiers ("the U.S.
// ambassador to China"); a relative "qui/which" takes its antecedent; a
// pronoun or group noun takes an actor named before.
func (s *sent) leftActor(i int, t *Trigger, patient bool) *arg {
	a := s.leftActor1(i, t, patient)
	return a
}

func (s *sent) leftActor1(i int, t *Trigger, patient bool) (res *arg) {
	k := i - 1
	skippedAgent := false
	var fallback *arg
	defer func() {
		if !res.ok() && fallback.ok() {
			res = fallback
		}
	}()
	for k >= 0 {
		w := s.f[k]
		switch {
		case s.at[k] >= 0:
			mi := s.at[k]
			m := s.men[mi]
			// "l'éviction de Biden", "the district of Columbia": the
			// complement of a noun is not the actor; keep it in case the
			// noun is an agent noun ("le président de la Russie")
			if j := m.From - 1; !patient && j > 0 && (s.f[j] == "de" || s.f[j] == "du" || s.f[j] == "des" || s.f[j] == "of" || s.f[j] == "d'" || s.isDet(j) && j > 1 && (s.f[j-1] == "de" || s.f[j-1] == "of")) {
				h := j - 1
				if s.isDet(j) {
					h = j - 2
				}
				for h >= 0 && s.isDet(h) {
					h--
				}
				if h >= 0 && s.at[h] < 0 && isLowerWord(s.toks[h].Text) && !auxiliaries[s.f[h]] {
					if agentNouns[s.f[h]] && fallback == nil {
						fallback = s.coordLeft(mi, "modifier")
					}
					k = h - 1
					skippedAgent = skippedAgent || agentNouns[s.f[h]]
					continue
				}
			}
			// "ambassador to China": a place modifier, not the actor
			if m.From > 0 && placePreps[s.lang][s.f[m.From-1]] && !patient {
				k = m.From - 2
				for k >= 0 && s.at[k] < 0 && (agentNouns[s.f[k]] || s.isDet(k) || isLowerWord(s.toks[k].Text) && !boundaries[s.f[k]] && !auxiliaries[s.f[k]] && k > m.From-4) {
					k--
				}
				continue
			}
			return s.coordLeft(mi, "left")
		case auxiliaries[w] || adverbs[w] || negations[w] || modalVerbs[w] || intensifiers[w] || timeWords[w] || w == "-" || w == "se" || w == "s'" || s.isClitic(k) ||
			strings.HasSuffix(w, "ment") && s.lang == "fr" || strings.HasSuffix(w, "ly") && s.lang == "en":
		case agentNouns[w] || (skippedAgent && determiners[w]):
			skippedAgent = true
		case w == "," && k > 0 && skippedAgent:
			// "Terry Branstad, the U.S. ambassador to China, said": the appositive's actor
		case w == "," && k > 0 && s.at[k-1] >= 0 && schema.BaseType(s.men[s.at[k-1]].Entity.Type) == schema.Person:
			// "le ministre ..., Ri Yong-ho, a imputé": a person in apposition
		case w == "\"" || w == "»" || w == "”" || w == "«" || w == "“":
			// a quotation between subject and verb
			k2 := k - 1
			for k2 >= 0 && !(s.f[k2] == "\"" || s.f[k2] == "«" || s.f[k2] == "“") {
				k2--
			}
			if k2 < 0 {
				return s.pronounActor(k, t)
			}
			k = k2
		case relSubject[w] && !patient:
			// "X, qui a dénoncé": the antecedent
			j := k - 1
			if j >= 0 && s.f[j] == "," {
				j--
			}
			if j >= 0 && s.at[j] >= 0 {
				return s.coordLeft(s.at[j], "relative")
			}
			return s.pronounActor(k, t)
		case relObject[w] && patient:
			return nil
		default:
			if patient {
				if d := s.documentAt(k); d != nil {
					return d
				}
				// "des missiles fournis par Pyongyang": the item, not an actor
				return nil
			}
			return s.pronounActor(k, t)
		}
		k--
	}
	return s.pronounActor(0, t)
}

// pronounActor resolves the word at k (or the sentence start) when it is a
// pronoun or a description of an actor named before: "ils", "la
// coalition", "les deux alliés", "ce pays", "the North".
func (s *sent) pronounActor(k int, t *Trigger) *arg {
	if k < 0 || k >= len(s.f) {
		return nil
	}
	return s.corefAt(max(0, k-3), k+1)
}

// corefAt looks for a pronoun or anaphoric description in tokens [from, to).
func (s *sent) corefAt(from, to int) *arg {
	disc := s.d.disc()
	for k := to - 1; k >= from && k < len(s.f); k-- {
		w := s.f[k]
		switch {
		case (w == "nous" || w == "we") && len(disc.speakers) > 0:
			return &arg{ents: disc.speakers, from: k, to: k + 1, how: "coref:" + w}
		case pluralPronouns[w] && len(disc.lastPair) > 0 && disc.pairSeq > disc.plSeq:
			return &arg{ents: disc.lastPair, from: k, to: k + 1, how: "coref:" + w}
		case pluralPronouns[w] || groupNouns[w] && k > 0 && (s.isDet(k-1) || s.f[k-1] == "deux"):
			if len(disc.lastPlural) > 0 {
				return &arg{ents: disc.lastPlural, from: k, to: k + 1, how: "coref:" + w}
			}
		case singularPronouns[w] && w != "it":
			// he, she: the first person named in this sentence before the
			// pronoun, else in the previous ones (subjects come first)
			if e, ok := s.firstPerson(k); ok {
				return &arg{ents: []schema.EntityRef{e}, from: k, to: k + 1, how: "coref:" + w}
			}
		case (countryNouns[w] || s.d.persons.pairNoun(w)) && k > 0 && (s.f[k-1] == "deux" || s.f[k-1] == "two"):
			// "the two countries", "les deux pays"
			if len(disc.lastPlural) == 2 {
				return &arg{ents: disc.lastPlural, from: k - 1, to: k + 1, how: "coref:" + w}
			}
			if es := s.lastCountries(2); len(es) == 2 {
				return &arg{ents: es, from: k - 1, to: k + 1, how: "coref:" + w}
			}
		case countryNouns[w] && k > 0 && (s.f[k-1] == "ce" || s.f[k-1] == "this" || s.f[k-1] == "the" || s.f[k-1] == "le" || s.f[k-1] == "cet"):
			if e, ok := s.lastCountry(); ok {
				return &arg{ents: []schema.EntityRef{e}, from: k - 1, to: k + 1, how: "coref:" + w}
			}
		}
	}
	return nil
}

// firstPerson finds the first person mentioned before token k in this
// sentence, else in the two sentences before.
func (s *sent) firstPerson(k int) (schema.EntityRef, bool) {
	// "Martin a dit qu'il avait demandé": a name we do not know comes
	// first, so "il" is probably that one; do not reach back
	for j := 0; j < k; j++ {
		if s.at[j] < 0 && j > 0 && startsUpper(s.toks[j].Text) && isNameLike(s.toks[j].Text) {
			return schema.EntityRef{}, false
		}
		if j == 0 && s.at[j] < 0 && startsUpper(s.toks[j].Text) && j+1 < k && !isLowerWord(s.toks[j+1].Text) == false && isNameLike(s.toks[j].Text) && !notNames[s.f[j]] && !pluralPronouns[s.f[j]] && !singularPronouns[s.f[j]] {
			if auxiliaries[s.f[j+1]] || len(s.trig[j+1]) > 0 {
				return schema.EntityRef{}, false // "Martin a dit"
			}
		}
	}
	for si := s.si; si >= 0 && si >= s.si-2; si-- {
		for _, m := range s.d.Mentions[si] {
			if si == s.si && m.From >= k {
				break
			}
			if schema.BaseType(m.Entity.Type) == schema.Person {
				return m.Entity, true
			}
		}
	}
	return schema.EntityRef{}, false
}

// isNameLike: letters only, as a name is.
func isNameLike(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return w != ""
}

// lastCountries returns the n distinct countries named most recently.
func (s *sent) lastCountries(n int) []schema.EntityRef {
	var out []schema.EntityRef
	for si := s.si; si >= 0 && si >= s.si-3 && len(out) < n; si-- {
		ms := s.d.Mentions[si]
		for k := len(ms) - 1; k >= 0 && len(out) < n; k-- {
			if schema.BaseType(ms[k].Entity.Type) == schema.Country && !mentionIsPlace(s.d, si, ms[k]) {
				out = appendEnt(out, ms[k].Entity)
			}
		}
	}
	return out
}

// lastCountry is the country named most recently before this point.
func (s *sent) lastCountry() (schema.EntityRef, bool) {
	for si := s.si; si >= 0 && si >= s.si-3; si-- {
		ms := s.d.Mentions[si]
		for k := len(ms) - 1; k >= 0; k-- {
			if schema.BaseType(ms[k].Entity.Type) == schema.Country && ms[k].Kind != schema.AliasDemonym {
				return ms[k].Entity, true
			}
		}
	}
	return schema.EntityRef{}, false
}

// prepObject finds "P X" after the trigger (fournir ... à la Russie).
func (s *sent) prepObject(end int, prep string) *arg {
	for k := end; k < len(s.f) && k < end+12; k++ {
		w := s.f[k]
		if boundaries[w] {
			break
		}
		if len(s.trig[k]) > 0 && !s.trig[k][0].Noun && k > end && !(k+1 < len(s.f) && (s.f[k+1] == "par" || s.f[k+1] == "by")) {
			// another verb's clause; a participle with its agent
			// ("missiles supplied by North Korea at Ukraine") is skipped
			break
		}
		if w == prep || (prep == "a" && (w == "au" || w == "aux")) || (prep == "de" && (w == "d'" || w == "du" || w == "des")) {
			j := k + 1
			for j < len(s.f) && s.isDet(j) {
				j++
			}
			if j < len(s.f) && s.at[j] >= 0 {
				if s.isPlace(j) && !(s.lang == "en") && prep == "a" && !s.placeIsObject {
					continue // "à Singapour": where, not to whom
				}
				return s.coordRight(j, prep)
			}
			if a := s.postDemonym(j); a != nil {
				return a
			}
			if j < len(s.f) {
				if d := s.documentAt(j); d != nil {
					return d
				}
			}
			if a := s.possessiveOwner(k+1, j); a.ok() {
				return a // "strikes on its territory": the clause's subject's
			}
			if a := s.corefAt(j, min(len(s.f), j+2)); a.ok() {
				return a
			}
		}
	}
	return nil
}

// directObject: the first mention group after the verb, skipping only
// determiners, adverbs and quoted asides; any other word first means the
// object is something else ("soutenu la guerre ... contre l'Ukraine").
func (s *sent) directObject(end int, t *Trigger) *arg {
	k := end
	for k < len(s.f) {
		w := s.f[k]
		if s.at[k] >= 0 {
			return s.coordRight(k, "object")
		}
		switch {
		case determiners[w] || adverbs[w] || negations[w] || strings.HasSuffix(w, "ment") && s.lang == "fr" || strings.HasSuffix(w, "ly") && s.lang == "en":
		case w == "\"" || w == "«" || w == "“":
			// skip a quoted aside: "avec la plus grande fermeté"
			k++
			for k < len(s.f) && !(s.f[k] == "\"" || s.f[k] == "»" || s.f[k] == "”") {
				k++
			}
		case w == "on" && s.lang == "en":
			// "call on X": the particle
		case s.titleBeforePerson(k):
			// "met German Chancellor Olaf Scholz": the title and its demonym
		default:
			if a := s.postDemonym(k); a != nil {
				return a // "la décision américaine"
			}
			if a := s.nounObject(k, t); a.ok() {
				return a // "the invasion of Kuwait by Iraq", "sites in Iran"
			}
			if t.Doc {
				// "the joint statement", "la déclaration commune"
				for j := k; j < len(s.f) && j <= k+2; j++ {
					if d := s.documentAt(j); d != nil {
						return d
					}
				}
			}
			if a := s.corefAt(k, min(len(s.f), k+2)); a.ok() {
				return a
			}
			return nil
		}
		k++
	}
	return nil
}

// qualifiedPerson: the name at k qualifies a person named after a role
// noun (persons.tsv rolenoun): "Supreme Court nominee Brett Kavanaugh".
// It returns the person's first token, or -1.
func (s *sent) qualifiedPerson(k int) int {
	if s.d.persons == nil || s.at[k] < 0 {
		return -1
	}
	e := s.men[s.at[k]].To
	if _, n := s.d.persons.roleNoun.at(s.f, e); n > 0 && e+n < len(s.f) && s.at[e+n] >= 0 &&
		schema.BaseType(s.men[s.at[e+n]].Entity.Type) == schema.Person && s.men[s.at[e+n]].From == e+n {
		return e + n
	}
	return -1
}

// titleBeforePerson: token k is a title word or demonym and a person's
// name follows within three tokens ("le chancelier allemand Olaf Scholz").
func (s *sent) titleBeforePerson(k int) bool {
	qual := func(j int) bool {
		_, title := personTitles[s.f[j]]
		return title || titleWords[s.f[j]] || isDemonymWord(s.d, s.f[j]) || s.d.modifiers[[2]int{s.si, j}]
	}
	if !qual(k) {
		return false
	}
	for j := k + 1; j < len(s.f) && j <= k+4; j++ {
		if s.at[j] >= 0 {
			return schema.BaseType(s.men[s.at[j]].Entity.Type) == schema.Person
		}
		if !qual(j) && !s.isDet(j) {
			return false
		}
	}
	return false
}

// postDemonym: "aux sanctions américaines", "les autorités russes": a
// noun whose demonym adjective follows names the country as the actor.
func (s *sent) postDemonym(j int) *arg {
	if s.lang != "fr" || j+1 >= len(s.f) || s.at[j] >= 0 || !isLowerWord(s.toks[j].Text) || s.at[j+1] < 0 {
		return nil
	}
	m := s.men[s.at[j+1]]
	if m.Kind != schema.AliasDemonym {
		return nil
	}
	return &arg{ents: []schema.EntityRef{m.Entity}, from: j, to: m.To, how: "demonym"}
}

// markControl gives a following infinitive trigger its subject: "accuse
// Moscou d'avoir tiré" (Moscou fires), "urge China to stop".
func (s *sent) markControl(obj *arg, t *Trigger, end int) {
	k := max(obj.to, end) // a clitic object stands before the verb: « lui a demandé de »
	if k <= 0 || k >= len(s.f) {
		return
	}
	if s.f[k] == "(" {
		for k < len(s.f) && s.f[k] != ")" {
			k++
		}
		k++
	}
	if k >= len(s.f) || !ctrlMarkers[s.f[k]] {
		return
	}
	for j := k + 1; j < len(s.f) && j <= k+4; j++ {
		w := s.f[j]
		if len(s.trig[j]) > 0 {
			s.ctrl[j] = &arg{ents: obj.ents, from: obj.from, to: obj.to, how: "control"}
			if t.Hyp {
				s.hyp[j] = true
			}
			// coordinated complements: "pour avoir fourni ... et soutenu ..."
			return
		}
		if !(auxiliaries[w] || w == "avoir" || w == "having" || negations[w] || adverbs[w] || w == "ne") {
			// a gerund in English: "of using", "for supplying"
			if strings.HasSuffix(w, "ing") {
				continue
			}
			return
		}
	}
}

// nominalArgs finds the arguments of an event noun: "la rencontre entre
// X et Y", "the meeting between X and Y", "une frappe lancée par X contre
// Y", "X's attack on Y", "la visite de X à Y".
func (s *sent) nominalArgs(i, end int, t *Trigger) (subj, obj *arg, rule string) {
	if !s.useDep {
		return s.tokenNominalArgs(i, end, t)
	}
	dsubj, dobj := s.depNominalArgs(i, t)
	if dsubj.ok() && dsubj.how == "pair" && !s.preferTokens {
		return dsubj, dobj, "dep-nominal-pair"
	}
	tsubj, tobj, trule := s.tokenNominalArgs(i, end, t)
	if s.preferTokens {
		return pickArg(tsubj, dsubj), pickArg(tobj, dobj), trule
	}
	subj, obj = pickArg(dsubj, tsubj), pickArg(dobj, tobj)
	rule = trule
	if subj == dsubj && dsubj.ok() || obj == dobj && dobj.ok() {
		rule = "dep-" + trule
	}
	return subj, obj, rule
}

func (s *sent) tokenNominalArgs(i, end int, t *Trigger) (subj, obj *arg, rule string) {
	rule = "nominal"
	if t.Pair {
		for k := end; k < len(s.f) && k < end+5; k++ {
			if s.f[k] == "entre" || s.f[k] == "between" {
				g := s.groupAt(k+1, 6, "pair")
				if !g.ok() || len(g.ents) < 2 {
					g = s.pairAfter(k + 1)
				}
				if g.ok() && len(g.ents) >= 2 {
					return &arg{ents: g.ents[:1], how: "pair"}, &arg{ents: g.ents[1:], how: "pair"}, "nominal-pair"
				}
			}
		}
	}
	// agent: "X's attack", "lancée par X", "de X", "by X"
	if i >= 2 && s.f[i-1] == "'s" && s.at[i-2] >= 0 {
		subj = s.coordLeft(s.at[i-2], "genitive")
	} else if i >= 1 && s.at[i-1] >= 0 && s.lang == "en" {
		subj = s.coordLeft(s.at[i-1], "modifier") // "U.S. sanctions", "Russian strikes"
	}
	if !subj.ok() {
		subj = s.nominalAgent(end, t)
	}
	if !subj.ok() {
		// French adjective demonyms follow the noun: "frappes russes"
		if end < len(s.f) && s.at[end] >= 0 && s.men[s.at[end]].Kind == schema.AliasDemonym {
			subj = &arg{ents: []schema.EntityRef{s.men[s.at[end]].Entity}, from: end, to: end + 1, how: "demonym"}
		}
	}
	if !subj.ok() {
		subj = s.lightVerbSubject(i, t)
	}
	if t.Prep != "" {
		obj = s.prepObject(end, t.Prep)
	}
	if !obj.ok() && t.Pair {
		// "la rencontre de X avec Y"
		obj = s.prepObject(end, "avec")
		if !obj.ok() {
			obj = s.prepObject(end, "with")
		}
	}
	if obj.ok() && !subj.ok() && t.Pair && s.participationPP(i) {
		// "X pledged in a meeting with Y", "X said after talks with Y":
		// the clause's subject met Y
		subj = s.clauseSubject(i)
	}
	if !obj.ok() && (t.Relation == "sanctions" || t.Relation == "attacks") {
		for _, p := range []string{"contre", "sur", "against", "on"} {
			if obj = s.prepObject(end, p); obj.ok() {
				break
			}
		}
	}
	if !obj.ok() && t.Relation == "sanctions" {
		// "un embargo ... interdisant l'exportation d'armes en provenance
		// de ce pays": the country the embargo is about
		for k := end; k < len(s.f) && k < end+25; k++ {
			if s.f[k] == "." || s.f[k] == ";" {
				break
			}
			if s.at[k] >= 0 && schema.BaseType(s.men[s.at[k]].Entity.Type) == schema.Country && !(subj.ok() && subj.ents[0].ID == s.men[s.at[k]].Entity.ID) {
				obj = &arg{ents: []schema.EntityRef{s.men[s.at[k]].Entity}, from: k, to: k + 1, how: "about"}
				break
			}
			if a := s.corefAt(k, k+1); a.ok() && strings.HasPrefix(a.how, "coref:") && countryNouns[strings.TrimPrefix(a.how, "coref:")] {
				obj = a
				break
			}
		}
	}
	return subj, obj, rule
}

// nominalAgent finds the agent complement right after an event noun, past
// at most two adjectives: "la visite de Poutine", "la frappe lancée par
// la Russie", "an attack by Russia"; not "une violation de résolutions du
// Conseil" (the first complement is not an actor) nor "sanctions et
// l'opposition des États-Unis" (another noun's complement).
func (s *sent) nominalAgent(end int, t *Trigger) *arg {
	k := end
	adj := 0
	for k < len(s.f) && adj <= 2 {
		w := s.f[k]
		switch {
		case w == "par" || w == "by":
			return s.groupAt(k+1, 4, "agent")
		case s.w.at(s.lang, "source", s.f, k) > 0 && t.Agent && !s.isPrep(t, k):
			// "an offer from Brazil", "deliveries from France": the source,
			// though "from" also names places
			j := k + s.w.at(s.lang, "source", s.f, k)
			for s.isDet(j) {
				j++
			}
			if j < len(s.f) && s.at[j] >= 0 {
				return s.coordRight(j, "agent")
			}
			return nil
		case s.isPrep(t, k):
			// the patient first, the agent after it: "the arrest of X by
			// Y", « l'invasion du Koweït par l'Irak »
			j := k + 1
			for s.isDet(j) {
				j++
			}
			if j < len(s.f) && s.at[j] < 0 {
				// a patient not named: "the invasion of its territory by
				// Iraq", « le bombardement de villes ukrainiennes par »
				for n := 0; n < 3 && j < len(s.f) && (s.at[j] < 0 && isLowerWord(s.toks[j].Text) || s.at[j] >= 0 && s.men[s.at[j]].Kind == schema.AliasDemonym) && !boundaries[s.f[j]] && !s.verbTriggerAt(j) && !s.w.is(s.lang, "by", s.f[j]); n++ {
					if s.at[j] >= 0 {
						j = s.men[s.at[j]].To
					} else {
						j++
					}
				}
				k = j
				continue
			}
			if j >= len(s.f) {
				return nil
			}
			k = s.coordRight(j, "patient").to
			if k <= j {
				k = s.men[s.at[j]].To
			}
			continue
		case (w == "de" || w == "du" || w == "des" || w == "of" || w == "d'") && t.Agent:
			if t.Prep == w {
				return nil
			}
			j := k + 1
			for s.isDet(j) || j < len(s.f) && s.titleBeforePerson(j) {
				j++
			}
			if j < len(s.f) && s.at[j] >= 0 && !s.isPlace(j) {
				return s.coordRight(j, "de")
			}
			if itemRelations[t.Relation] && j == k+1 && j < len(s.f) && s.at[j] < 0 && isLowerWord(s.toks[j].Text) && !boundaries[s.f[j]] {
				// the item, then the agent: « les livraisons d'armes de la
				// France »
				k = j
				adj++
				break
			}
			return nil
		case s.at[k] >= 0 && k > end && s.men[s.at[k]].Kind == schema.AliasDemonym:
			// past adjectives or the item, a demonym: « une frappe
			// aérienne russe », « le tir de missile nord-coréen »
			m := s.men[s.at[k]]
			return &arg{ents: []schema.EntityRef{m.Entity}, from: k, to: m.To, how: "demonym"}
		case s.at[k] < 0 && isLowerWord(s.toks[k].Text) && !boundaries[w] && !s.isDet(k) && w != "et" && w != "and" && w != "ou" && w != "or" && len(s.trig[k]) == 0 || w == "\"":
			adj++ // an adjective or participle: "aérienne", "lancée", "massive"
		case len(s.trig[k]) > 0 && !s.trig[k][0].Noun:
			adj++ // a participle that is itself a trigger: "lancée"
		default:
			return nil
		}
		k++
	}
	return nil
}

// isPrep: token k is the preposition that introduces trigger t's object
// (its to= flag), or a contracted form of it (argwords.tsv prepform: « au »
// for « à »).
func (s *sent) isPrep(t *Trigger, k int) bool {
	if t.Prep == "" || k >= len(s.f) {
		return false
	}
	w := s.f[k]
	return w == t.Prep || s.w.pair(s.lang, "prepform", w, t.Prep)
}

// mentionIsPlace: a mention used as a place, not an actor: "à
// Singapour", "in Pyongyang", "at the UN". French puts no article before
// cities and city-states ("à Moscou") but one before countries ("à la
// Russie").
func mentionIsPlace(d *Doc, si int, m Mention) bool {
	if m.Kind == KindSector || schema.BaseType(m.Entity.Type) == schema.Person {
		// "fired at protesters", « a téléphoné à Barack Obama »: a group or
		// a person is never where
		return false
	}
	f := d.Folded(si)
	p := m.From - 1
	if p > 0 && d.Article.Lang == "en" && f[p] == "the" {
		p-- // "at the United Nations"
	}
	if p < 0 {
		return false
	}
	w := f[p]
	if d.Article.Lang == "fr" {
		return w == "a" || w == "en" || w == "depuis" || w == "vers"
	}
	return w == "in" || w == "at" || w == "from"
}

// isPlace is mentionIsPlace for the mention at token k.
func (s *sent) isPlace(k int) bool { return mentionIsPlace(s.d, s.si, s.men[s.at[k]]) }

// lightVerbSubject: the subject of "imposer un embargo", "launch strikes",
// or of "constitue une violation" when that subject is itself an event
// ("la fourniture d'armes constitue une violation": the supplier).
func (s *sent) lightVerbSubject(i int, t *Trigger) *arg {
	// "a renforcé à l'unanimité les sanctions": an adverbial phrase may
	// sit between the light verb and its noun
	for k := i - 1; k >= 0 && k >= i-6; k-- {
		w := s.f[k]
		if lightVerbs[w] || (s.lang == "fr" && strings.HasPrefix(w, "impos")) || strings.HasPrefix(w, "lanc") {
			a := s.leftActor(k, t, false)
			if a.ok() {
				a.how = "light-verb"
				return a
			}
			// the subject is an event noun: its actor
			for j := k - 1; j >= 0; j-- {
				for _, tr := range s.trig[j] {
					if tr.Noun {
						if subj := s.d.disc().lastSubject[tr.Relation]; len(subj) > 0 {
							return &arg{ents: subj, how: "event:" + tr.Relation}
						}
					}
				}
			}
			// or a document: "ces résolutions ... ont imposé un embargo"
			for j := k - 1; j >= 0; j-- {
				if d := s.documentAt(j); d != nil {
					return d
				}
			}
			return nil
		}
		if !(determiners[w] || auxiliaries[w] || adverbs[w] || isLowerWord(s.toks[k].Text)) {
			break
		}
	}
	// no agent named: "ces bombardements" — whoever did it last
	if subj := s.d.disc().lastSubject[t.Relation]; len(subj) > 0 && i > 0 && (s.f[i-1] == "ces" || s.f[i-1] == "these" || s.f[i-1] == "la" || s.f[i-1] == "the") {
		return &arg{ents: subj, how: "event:" + t.Relation}
	}
	return nil
}

// pairAfter collects the two sides of "between a serving U.S. president
// and a North Korean leader", "entre un président américain et un
// dirigeant nord-coréen": the first actor before "and", the first after.
func (s *sent) pairAfter(k int) *arg {
	var a, b *Mention
	conj := false
	for j := k; j < len(s.f) && j < k+12; j++ {
		w := s.f[j]
		if boundaries[w] || w == "," {
			break
		}
		if w == "and" || w == "et" {
			if a == nil {
				return nil
			}
			conj = true
			continue
		}
		if s.at[j] >= 0 && !s.isPlace(j) {
			m := &s.men[s.at[j]]
			if !conj && a == nil {
				a = m
			} else if conj && b == nil {
				b = m
				break
			}
		}
	}
	if a == nil || b == nil || a.Entity.ID == b.Entity.ID {
		return nil
	}
	return &arg{ents: []schema.EntityRef{a.Entity, b.Entity}, from: a.From, to: b.To, how: "pair"}
}

// participationPP: the event noun at i is in a phrase that makes the
// clause's subject take part in it ("in a meeting", "during talks",
// "following a meeting", "lors d'une rencontre", "à la suite d'une
// réunion"), not merely a time reference ("after the summit").
func (s *sent) participationPP(i int) bool {
	// past the noun's determiners and up to two modifiers ("during
	// two-day talks", « lors d'une longue rencontre »)
	n := 0
	for k := i - 1; k >= 0; k-- {
		if s.w.endingAt(s.lang, "participation", s.f, k+1) > 0 {
			return true
		}
		switch {
		case s.isDet(k):
		case n < 2 && s.at[k] < 0 && isLowerWord(s.toks[k].Text) && !boundaries[s.f[k]] && !auxiliaries[s.f[k]] && !s.w.is(s.lang, "of", s.f[k]) && !placePreps[s.lang][s.f[k]]:
			n++
		default:
			return false
		}
	}
	return false
}

// clauseSubject: the first actor named in the clause before token i, the
// subject of the verb that governs an event noun in a prepositional
// phrase.
func (s *sent) clauseSubject(i int) *arg {
	start := 0
	for k := i - 1; k >= 0; k-- {
		if boundaries[s.f[k]] && s.f[k] != "that" {
			start = k + 1
			break
		}
	}
	for k := start; k < i; k++ {
		if s.at[k] >= 0 && !s.isPlace(k) {
			a := s.coordRight(k, "clause-subject")
			if a.ok() {
				return a
			}
		}
	}
	// "Lors d'une réunion avec Moon ce mois-ci, la Corée du Nord s'est
	// engagée": the phrase opens the sentence, its subject follows the comma
	if start == 0 {
		for k := i; k < len(s.f); k++ {
			if s.f[k] != "," {
				continue
			}
			for j := k + 1; j < len(s.f) && j <= k+3; j++ {
				if s.at[j] >= 0 && !s.isPlace(j) {
					return s.coordRight(j, "clause-subject")
				}
				if !s.isDet(j) {
					break
				}
			}
			break
		}
	}
	return nil
}

// leftDocument finds a document noun before the trigger.
func (s *sent) leftDocument(i int) *arg {
	for k := i - 1; k >= 0; k-- {
		if d := s.documentAt(k); d != nil {
			return d
		}
		if boundaries[s.f[k]] {
			break
		}
	}
	return nil
}

// documentAt makes a document entity of a document noun at k ("le
// communiqué", "ces résolutions", "the statement"); the same noun in one
// article is the same document, so "le communiqué" signed in one sentence
// is the one that condemns in another.
func (s *sent) documentAt(k int) *arg {
	kind, ok := documentNouns[s.f[k]]
	if !ok || kind == "" {
		return nil
	}
	// a determiner before it, maybe past one modifier: "a trade agreement",
	// "the joint statement", "un accord commercial"
	if k == 0 || !(s.isDet(k-1) || s.f[k-1] == "joint" || s.f[k-1] == "conjoint" ||
		k >= 2 && s.isDet(k-2) && isLowerWord(s.toks[k-1].Text) && s.at[k-1] < 0) {
		return nil
	}
	name := s.toks[k].Text
	id := "document/" + schema.Slug(s.d.Article.ID) + "-" + kind
	e := schema.EntityRef{ID: id, Name: name, Type: "document/" + kind}
	return &arg{ents: []schema.EntityRef{e}, from: k, to: k + 1, how: "document"}
}
