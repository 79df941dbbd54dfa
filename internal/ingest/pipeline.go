// Package ingest turns articles into facts: it reads inputs, and runs the
// extraction pipeline tokenize → sentences → tag/parse → mentions → resolve
// → relations → dates/modality. Each stage is a small interface over
// tokens that keep byte offsets, so a stage can be swapped (the token
// relation rules for parse-based ones) without touching the others, and
// every fact keeps the span it came from.
package ingest

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

// Segmenter tokenizes a text and splits it into sentences.
type Segmenter interface {
	Segment(text, lang string) []nlp.Sentence
}

// Annotator adds part-of-speech tags, lemmas and a dependency parse to a
// sentence in place. It is optional: the token rules work without it.
type Annotator interface {
	Annotate(lang string, s *nlp.Sentence)
}

// MentionFinder finds entity mentions in one sentence of a document.
type MentionFinder interface {
	Mentions(d *Doc, si int) []Mention
}

// Resolver links mentions across the document: pronouns and definite
// descriptions to the entities already named, persons to their countries.
type Resolver interface {
	Resolve(d *Doc)
}

// RelationFinder finds facts in one sentence of a document. Dates and
// modality are filled in by the next stage.
type RelationFinder interface {
	Relations(d *Doc, si int) []Candidate
}

// ParseFilter is implemented by relation finders that can tell, before
// the parse, which sentences may yield facts; the others are not parsed.
type ParseFilter interface {
	NeedsParse(d *Doc, si int) bool
}

// Decorator adds dates, modality and confidence to candidate facts.
type Decorator interface {
	Decorate(d *Doc, si int, c *Candidate)
}

// Mention is an entity named in a sentence: tokens [From, To) of sentence
// Sent, resolved to an entity.
type Mention struct {
	Sent     int
	From, To int // token indexes, half-open
	Span     schema.Span
	Entity   schema.EntityRef
	Kind     schema.AliasKind // how it was named: name, demonym, capital, surname, or "pronoun"/"description" for coreference
	Country  string           // for persons/organisations: their country id, when known
	Role     string
	Resolved bool // true when found by coreference rather than by name
	// Titled is set when the text gives the person's title beside the
	// name ("US President Donald Trump"), which states their role.
	Titled bool
	// Via says how a pronoun or description was resolved, for --explain:
	// "he → Cyril Ramaphosa (sentence 2)".
	Via string
}

// Candidate is a fact found in a sentence, before dates and modality: the
// relation finder fills the arguments, the decorator the rest.
type Candidate struct {
	Fact       schema.Fact
	Trigger    int // token index of the word that expresses the event
	Subj, Obj  *Mention
	Noun       bool // the trigger is an event noun: verbal negation does not reach it
	Embedded   bool // the event is a complement of another (accused of firing): its modality follows the governing verb's
	Hypothetic bool // set by frames that make their complement unreal (urge X to ...)
	Negated    bool // set by frames that deny their complement (denied shelling, refused to meet)
}

// Doc is an article under extraction with what each stage found.
type Doc struct {
	Article   schema.Article
	Sents     []nlp.Sentence
	Mentions  [][]Mention // per sentence, in token order
	Gaz       *schema.Gazetteer
	Entities  map[string]*schema.Entity // by id
	order     []string                  // entity ids in first-seen order
	sentDates [][]dateRef               // per sentence: dates found
	sentDone  []bool
	discourse *discourse
	// modifiers marks the tokens of names that only qualify a person
	// ("US" in "US President Donald Trump"), by sentence and token
	modifiers map[[2]int]bool
	folded    [][]string // per sentence, see Folded
	persons   *langWords // the resolver's words for persons, when it ran
	// the country the article is about, see dominant
	dominantCountry string
	dominantDone    bool
	demonymWords    map[string]bool // the extractor's, see demonymWords
}

// Folded returns sentence si's tokens folded for matching (accents and
// case removed), computed once: mentions, triggers, dates and modality all
// read the same folded words.
func (d *Doc) Folded(si int) []string {
	if d.folded == nil {
		d.folded = make([][]string, len(d.Sents))
	}
	if d.folded[si] == nil {
		toks := d.Sents[si].Tokens
		f := make([]string, len(toks))
		for i, t := range toks {
			f[i] = schema.Fold(t.Text)
		}
		d.folded[si] = f
	}
	return d.folded[si]
}

// demonyms returns the gazetteer's one-word demonyms, folded.
func (d *Doc) demonyms() map[string]bool { return d.demonymWords }

// demonymWords collects a gazetteer's one-word demonyms, folded, for
// "le président russe Vladimir Poutine" where the demonym qualifies a name.
func demonymWords(g *schema.Gazetteer) map[string]bool {
	m := map[string]bool{}
	for _, e := range g.Entries {
		for _, a := range e.Aliases {
			if a.Kind == schema.AliasDemonym && !strings.Contains(a.Text, " ") {
				m[schema.Fold(a.Text)] = true
			}
		}
	}
	return m
}

// AddEntity records an entity seen in the document, keeping the first
// name seen and every alias.
func (d *Doc) AddEntity(m Mention, surface string) {
	e, ok := d.Entities[m.Entity.ID]
	if !ok {
		e = &schema.Entity{EntityRef: m.Entity, Country: m.Country, Role: m.Role}
		d.Entities[m.Entity.ID] = e
		d.order = append(d.order, m.Entity.ID)
	}
	for _, a := range e.Aliases {
		if a == surface {
			return
		}
	}
	e.Aliases = append(e.Aliases, surface)
}

// Result is what extraction produced for one article.
type Result struct {
	Article  schema.Article
	Entities []schema.Entity
	Facts    []schema.Fact
}

// Extractor runs the pipeline. It is safe for concurrent use once built:
// stages keep no per-article state outside Doc.
type Extractor struct {
	Segmenter Segmenter
	Annotator Annotator // may be nil
	Mentions  MentionFinder
	Resolver  Resolver // may be nil
	// Sectors finds sector actors ("Kenyan police") once persons are
	// resolved, so a demonym that qualifies a person stays the person's;
	// may be nil.
	Sectors   Resolver
	Relations RelationFinder
	Decorator Decorator
	Gaz       *schema.Gazetteer
	Ontology  *schema.Ontology
	demonyms  map[string]bool
	// MinConfidence drops facts below it.
	MinConfidence float64
}

// Options configure NewExtractor.
type Options struct {
	MinConfidence float64
	// NoParse skips the tagger and parser (faster, token rules only).
	NoParse bool
	// ParseFirst lets the dependency parse win over word-order rules where
	// both find an argument; by default word order leads and the parse
	// fills the gaps, which measured better on the dev set and on
	// French–English agreement (see README).
	ParseFirst bool
	// Actors are user files of extra actors and aliases (the format of
	// schema.UserActorsHeader), merged into the gazetteer in order.
	Actors []string
}

// nlpAnnotator tags and parses with the embedded models, each loaded on
// first use: an English corpus never pays for the French model.
type nlpAnnotator struct {
	fr, en lazyModel
}

type lazyModel struct {
	once sync.Once
	m    *nlp.Model
	err  error
}

func (a *nlpAnnotator) model(lang string) (*nlp.Model, error) {
	l := &a.en
	if lang == "fr" {
		l = &a.fr
	}
	l.once.Do(func() { l.m, l.err = nlp.LoadModel(lang) })
	return l.m, l.err
}

// Prepare loads the model of lang, so Extract can report a broken model as
// an error before it annotates.
func (a *nlpAnnotator) Prepare(lang string) error {
	_, err := a.model(lang)
	return err
}

// Annotate fills the sentence's tags, lemmas and parse.
func (a *nlpAnnotator) Annotate(lang string, s *nlp.Sentence) {
	if m, err := a.model(lang); err == nil {
		m.Annotate(s)
	}
}

func newNLPAnnotator() (*nlpAnnotator, error) {
	return &nlpAnnotator{}, nil
}

// NewExtractor builds the default pipeline with the embedded gazetteer,
// lexicon and models. Errors name the embedded file and line at fault.
func NewExtractor(opt Options) (*Extractor, error) {
	gaz, err := schema.LoadGazetteer()
	if err != nil {
		return nil, err
	}
	for _, p := range opt.Actors {
		if err := gaz.MergeUserActors(p); err != nil {
			return nil, err
		}
	}
	ont, err := schema.LoadOntology()
	if err != nil {
		return nil, err
	}
	lex, err := LoadLexicon()
	if err != nil {
		return nil, err
	}
	pw, err := loadPersonWords()
	if err != nil {
		return nil, err
	}
	sectors, err := schema.LoadSectors()
	if err != nil {
		return nil, err
	}
	if err := lex.check(ont, sectors); err != nil {
		return nil, err
	}
	words, err := LoadArgWords()
	if err != nil {
		return nil, err
	}
	agents, err := LoadAgents(sectors)
	if err != nil {
		return nil, err
	}
	x := &Extractor{
		Segmenter:     nlpSegmenter{},
		Mentions:      NewGazetteerMatcher(gaz),
		Resolver:      corefResolver{words: pw},
		Sectors:       newSectorFinder(agents, gaz),
		Relations:     &TokenRules{Lex: lex, Words: words, NoDeps: opt.NoParse, PreferTokens: !opt.ParseFirst},
		Decorator:     &dateModality{Words: words},
		Gaz:           gaz,
		Ontology:      ont,
		demonyms:      demonymWords(gaz),
		MinConfidence: opt.MinConfidence,
	}
	if !opt.NoParse {
		a, err := newNLPAnnotator()
		if err != nil {
			return nil, err
		}
		x.Annotator = a
	}
	return x, nil
}

type nlpSegmenter struct{}

func (nlpSegmenter) Segment(text, lang string) []nlp.Sentence { return nlp.SplitSentences(text, lang) }

// Extract runs the pipeline on one article.
func (x *Extractor) Extract(a schema.Article) (Result, error) {
	if a.Lang != "fr" && a.Lang != "en" {
		return Result{}, fmt.Errorf("article %q: language %q not supported", a.ID, a.Lang)
	}
	d := &Doc{Article: a, Gaz: x.Gaz, Entities: map[string]*schema.Entity{}, demonymWords: x.demonyms}
	d.Sents = x.Segmenter.Segment(a.Text, a.Lang)
	d.Mentions = make([][]Mention, len(d.Sents))
	for i := range d.Sents {
		d.Mentions[i] = x.Mentions.Mentions(d, i)
		for _, m := range d.Mentions[i] {
			d.AddEntity(m, a.Text[m.Span.Start:m.Span.End])
		}
	}
	if x.Resolver != nil {
		x.Resolver.Resolve(d)
	}
	if x.Sectors != nil {
		x.Sectors.Resolve(d)
	}
	// Parsing is most of the cost; a sentence with no trigger word or no
	// actor cannot yield a fact, so only the others are parsed.
	if x.Annotator != nil {
		if p, ok := x.Annotator.(interface{ Prepare(string) error }); ok {
			if err := p.Prepare(a.Lang); err != nil {
				return Result{}, err
			}
		}
		pf, filter := x.Relations.(ParseFilter)
		for i := range d.Sents {
			if !filter || pf.NeedsParse(d, i) {
				x.Annotator.Annotate(a.Lang, &d.Sents[i])
			}
		}
	}
	var facts []schema.Fact
	seen := map[string]bool{}
	for i := range d.Sents {
		cands := x.Relations.Relations(d, i)
		speaker := sentenceSpeaker(d, i)
		for _, c := range cands {
			c := c
			x.Decorator.Decorate(d, i, &c)
			capEvidence(a.Text, &c.Fact.Evidence, candidateSpans(d, i, &c)...) // evidence.go
			if speaker != "" && c.Fact.Relation != "issues" && !strings.Contains(speaker, c.Fact.Subject.Name) {
				c.Fact.Speaker = speaker // reported speech: who says so
			}
			for _, f := range expandDates(c.Fact) {
				if f.Confidence < x.MinConfidence || f.Subject.ID == "" || f.Object.ID == "" || f.Subject.ID == f.Object.ID {
					continue
				}
				if r, ok := x.Ontology.Relation(f.Relation); ok {
					f.Event = r.Event
					if f.Mode == "" {
						f.Mode = r.Mode
					}
				}
				k := f.Key()
				if seen[k] {
					continue
				}
				seen[k] = true
				facts = append(facts, f)
			}
		}
	}
	for _, f := range roleFacts(d) {
		if k := f.Key(); !seen[k] && f.Confidence >= x.MinConfidence {
			seen[k] = true
			facts = append(facts, f)
		}
	}
	facts = dropUndatedTwins(facts)
	for i := range facts {
		facts[i].Published = a.Date // every fact carries its article's date
	}
	// Entities a fact names are entities of the article even when found
	// only by coreference or as new documents.
	for _, f := range facts {
		for _, e := range []schema.EntityRef{f.Subject, f.Object} {
			if _, ok := d.Entities[e.ID]; !ok {
				d.Entities[e.ID] = &schema.Entity{EntityRef: e, Country: e.Country}
				d.order = append(d.order, e.ID)
			}
		}
	}
	capAllEvidence(a.Text, facts) // evidence.go: facts made without a candidate
	res := Result{Article: a, Facts: facts}
	for _, id := range d.order {
		res.Entities = append(res.Entities, *d.Entities[id])
	}
	sort.SliceStable(res.Facts, func(i, j int) bool { return res.Facts[i].Evidence.Start < res.Facts[j].Evidence.Start })
	return res, nil
}

// sentenceSpeaker names who reports the sentence: the subject of its
// reporting verb ("..., Ri said", "a déclaré M. Ri"), or the source of
// "selon X" / "according to X".
func sentenceSpeaker(d *Doc, si int) string {
	if disc := d.discourse; disc != nil && disc.speakerSent == si+1 && len(disc.speakers) > 0 {
		var names []string
		for _, e := range disc.speakers {
			names = append(names, e.Name)
		}
		return strings.Join(names, ", ")
	}
	toks := d.Sents[si].Tokens
	for k, t := range toks {
		w := schema.Fold(t.Text)
		if w == "selon" || w == "according" && k+1 < len(toks) && schema.Fold(toks[k+1].Text) == "to" {
			for _, m := range d.Mentions[si] {
				if m.From > k && m.From <= k+4 {
					return m.Entity.Name
				}
			}
		}
	}
	return ""
}

// dropUndatedTwins removes a fact without a date when the same sentence
// gives the same fact with one (the parse and the word order may both
// find it, one of them with the date).
func dropUndatedTwins(facts []schema.Fact) []schema.Fact {
	dated := map[string]bool{}
	twin := func(f schema.Fact) string {
		return fmt.Sprint(f.Subject.ID, "\x1f", f.Relation, "\x1f", f.Object.ID, "\x1f", f.Modality, "\x1f", f.Evidence.Start)
	}
	for _, f := range facts {
		if f.Date != "" {
			dated[twin(f)] = true
		}
	}
	out := facts[:0]
	for _, f := range facts {
		if f.Date == "" && dated[twin(f)] {
			continue
		}
		out = append(out, f)
	}
	return out
}

// expandDates turns a fact carrying several dates ("on 30 December and 2
// January", joined by "|") into one fact per date, since each is an event.
func expandDates(f schema.Fact) []schema.Fact {
	if !strings.Contains(f.Date, "|") {
		return []schema.Fact{f}
	}
	var out []schema.Fact
	for _, d := range strings.Split(f.Date, "|") {
		g := f
		g.Date = d
		out = append(out, g)
	}
	return out
}
