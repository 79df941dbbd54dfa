package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kg-news/kg/schema"
)

// inputs is everything the generator reads.
type inputs struct {
	dict     *dictionary
	plover   map[string]plover
	rules    []rule
	policy   map[string]map[string]decision
	words    map[string]map[string]bool
	onto     *schema.Ontology
	handVerb map[string]bool // English verb triggers lexicon.tsv has ("call on")
	handForm map[string]bool // English lemmas lexicon-forms.tsv has forms for
}

func loadInputs(root, data string) (*inputs, error) {
	in := &inputs{handVerb: map[string]bool{}, handForm: map[string]bool{}}
	var err error
	if in.onto, err = schema.LoadOntology(); err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(data, cameoPath))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if in.dict, err = parseDictionary(cameoPath, f); err != nil {
		return nil, err
	}
	p, err := os.Open(filepath.Join(data, ploverPath))
	if err != nil {
		return nil, err
	}
	defer p.Close()
	if in.plover, err = parsePLOVER(ploverPath, p); err != nil {
		return nil, err
	}
	dir := filepath.Join(root, "internal", "ingest", "internal", "cameogen")
	read := func(name string) (string, string, error) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		return "internal/ingest/internal/cameogen/" + name, string(b), err
	}
	name, src, err := read("mapping.tsv")
	if err != nil {
		return nil, err
	}
	if in.rules, err = parseMapping(name, src, in.onto); err != nil {
		return nil, err
	}
	if name, src, err = read("policy.tsv"); err != nil {
		return nil, err
	}
	if in.policy, err = parsePolicy(name, src, in.onto); err != nil {
		return nil, err
	}
	if name, src, err = read("words.tsv"); err != nil {
		return nil, err
	}
	if in.words, err = parseWords(name, src); err != nil {
		return nil, err
	}
	// the hand-written lexicon wins over generated entries: leave its
	// verbs and their forms out
	lex, err := os.ReadFile(filepath.Join(root, "internal", "ingest", "lexicon.tsv"))
	if err != nil {
		return nil, err
	}
	err = schema.EachTSVRow("internal/ingest/lexicon.tsv", string(lex), 6, "lang", func(_ int, f []string) error {
		if f[0] == "en" && f[2] == "verb" {
			in.handVerb[schema.Fold(f[1])] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	forms, err := os.ReadFile(filepath.Join(root, "internal", "ingest", "lexicon-forms.tsv"))
	if err != nil {
		return nil, err
	}
	err = schema.EachTSVRow("internal/ingest/lexicon-forms.tsv", string(forms), 3, "", func(_ int, f []string) error {
		if f[0] == "en" {
			in.handForm[schema.Fold(f[1])] = true
		}
		return nil
	})
	return in, err
}

// entry is one generated trigger.
type entry struct {
	phrase   string // lower-case words: "crack down"
	relation string
	mode     string
	frame    []string // flags other than objnoun
	nouns    []string // objnoun words; nil: the phrase alone is the event
	order    int      // an objnoun entry's slot among its verb's
}

func (e *entry) frameKey() string { return strings.Join(e.frame, " ") }

type generator struct {
	in    *inputs
	log   *os.File
	used  map[string]bool     // policy.tsv rows that applied, by line
	bare  map[string][]*entry // phrase -> unconstrained candidates
	nouny map[string]*entry   // phrase, relation, mode, frame -> objnoun entry
	forms map[string][]string // first word -> irregular forms
	out   []*entry
}

func newGenerator(in *inputs, log *os.File) *generator {
	return &generator{in: in, log: log, used: map[string]bool{}, bare: map[string][]*entry{}, nouny: map[string]*entry{}, forms: map[string][]string{}}
}

func (g *generator) logf(format string, args ...any) {
	if g.log != nil {
		fmt.Fprintf(g.log, format+"\n", args...)
	}
}

// policy looks up a policy.tsv decision and notes that it applied.
func (g *generator) policy(what, action string) (decision, bool) {
	d, ok := g.in.policy[what][action]
	if ok {
		g.used[fmt.Sprint(d.line)] = true
	}
	return d, ok
}

// relationOf maps a CAMEO code to a kg relation, its lexicon mode and
// frame flags and the prepositions that may introduce its recipient. ok is
// false for non-events ("---", statements, codes no row maps).
func (g *generator) relationOf(code string) (r rule, mode string, ok bool) {
	code, _, _ = strings.Cut(code, ":") // a:b: the event itself, not its reverse
	if code == "" || code == "---" {
		return rule{}, "", false
	}
	r, p, ok := resolve(code, g.in.plover, g.in.rules)
	if !ok || r.relation == "skip" {
		return rule{}, "", false
	}
	mode = r.lexMode
	if mode == "=" {
		mode = ""
		rel, _ := g.in.onto.Relation(r.relation)
		if p.mode != "" && p.mode != rel.Mode && modeOf(rel.Event, p.mode) {
			mode = p.mode
		}
	}
	return r, mode, true
}

func modeOf(event, mode string) bool {
	for _, t := range schema.PLOVER {
		if t.Name == event {
			return contains(t.Modes, mode)
		}
	}
	return false
}

// frames gives the frames of an entry: the direct object first, then one
// frame for each preposition, each with the relation's flags. The
// separate frames try the direct object before any prepositional phrase
// ("attacked Kyiv on Monday at dawn").
func frames(flags, preps []string) [][]string {
	out := [][]string{append([]string{"obj"}, flags...)}
	for _, p := range preps {
		out = append(out, append([]string{"to=" + p}, flags...))
	}
	return out
}

// slotsFor picks a nouns row's recipient slots for relation rel: "with"
// and "obj" apply to every relation, "accuses:obj" only to accuses.
func slotsFor(slots []string, rel string) []string {
	var out []string
	for _, s := range slots {
		r, slot, qualified := strings.Cut(s, ":")
		if !qualified {
			out = append(out, s)
		} else if r == rel {
			out = append(out, slot)
		}
	}
	return out
}

// nounFrames gives the frames of an objnoun reading, one a recipient
// slot: a preposition ("held talks with X") or obj, the object before the
// noun ("gave Ukraine aid"). The direct object is no slot by default: the
// word after the verb is the noun's modifier ("launched a Russian
// missile"), not the recipient.
func nounFrames(flags, slots []string) [][]string {
	var out [][]string
	for _, p := range slots {
		f := "to=" + p
		if p == "obj" {
			f = p
		}
		out = append(out, append([]string{f}, flags...))
	}
	return out
}

func (g *generator) run() error {
	for _, b := range g.in.dict.blocks {
		_, blockDrop := g.policy("block:"+strings.ToLower(b.name), "drop")
		var live []*verb
		for _, v := range b.verbs {
			// a verb's own decision beats its block's: "tour" is a visit
			// though its block, "go somewhere", is dropped
			phrase := strings.Join(v.words, " ")
			_, drop := g.policy(phrase, "drop")
			_, bare := g.policy(phrase, "bare")
			_, nouns := g.policy(phrase, "nouns")
			if drop || blockDrop && !bare && !nouns {
				g.logf("drop verb %q (policy.tsv)", phrase)
				continue
			}
			if g.hasWordOf("conjunction", v.words) {
				g.logf("drop verb %q: a conjunction inside", phrase)
				continue
			}
			live = append(live, v)
			g.forms[v.words[0]] = append(g.forms[v.words[0]], v.forms...)
			g.addBare(v, b)
		}
		for _, p := range b.patterns {
			g.addPattern(p, b, live)
		}
	}
	g.settle()
	var unused []string
	for what, acts := range g.in.policy {
		for _, d := range acts {
			if !g.used[fmt.Sprint(d.line)] {
				unused = append(unused, fmt.Sprintf("internal/ingest/internal/cameogen/policy.tsv:%d: %s %q applies to no CAMEO verb or block", d.line, d.action, what))
			}
		}
	}
	if len(unused) > 0 {
		sort.Strings(unused)
		return fmt.Errorf("%s", strings.Join(unused, "\n"))
	}
	return nil
}

func (g *generator) hasWordOf(class string, words []string) bool {
	for _, w := range words {
		if g.in.words[class][strings.ToUpper(w)] {
			return true
		}
	}
	return false
}

// addBare adds the entries of a verb by itself, from its code or
// policy.tsv: the direct object, then the prepositions CAMEO gives the
// verb with the same code ("- * (AGAINST)"). The relation's prepositions
// (mapping.tsv) are for object nouns: a verb that takes its recipient
// by a preposition ("protest against") says so in policy.tsv.
func (g *generator) addBare(v *verb, b *block) {
	phrase := strings.Join(v.words, " ")
	if _, ok := g.policy(phrase, "nobare"); ok {
		return
	}
	if dec, ok := g.policy(phrase, "bare"); ok {
		for _, frame := range dec.frames() {
			g.bare[phrase] = append(g.bare[phrase], &entry{phrase: phrase, relation: dec.relations[0], mode: dec.mode, frame: frame})
		}
		return
	}
	r, mode, ok := g.relationOf(v.code)
	if !ok {
		return
	}
	var preps []string
	for _, p := range b.patterns {
		if len(p.pre) > 0 || !g.patternFor(p, v, b) {
			continue
		}
		its := items(p.post)
		if len(its) == 1 && its[0].kind == "pp" && len(its[0].words) == 0 {
			if pr, _, ok := g.relationOf(p.code); ok && pr.relation == r.relation {
				for _, x := range its[0].preps {
					if !g.in.words["notrecipient"][x] {
						preps = appendNew(preps, strings.ToLower(x))
					}
				}
			}
		}
	}
	for _, fr := range frames(r.flags, preps) {
		g.bare[phrase] = append(g.bare[phrase], &entry{phrase: phrase, relation: r.relation, mode: mode, frame: fr})
	}
}

func appendNew(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

// patternFor: the pattern came from verb v (its comment names v in some
// form), or names no verb of the block, when it is the block's.
func (g *generator) patternFor(p *pattern, v *verb, b *block) bool {
	named := false
	for _, o := range p.origins {
		for _, x := range b.verbs {
			if formOf(x, o) {
				named = true
				if x == v {
					return true
				}
			}
		}
	}
	return !named
}

// formOf: origin ("wiped out") is a form of verb v ("wipe out").
func formOf(v *verb, origin string) bool {
	ow := strings.Fields(origin)
	if len(ow) != len(v.words) || strings.Join(ow[1:], " ") != strings.Join(v.words[1:], " ") {
		return false
	}
	w, o := v.words[0], ow[0]
	if o == w || contains(v.forms, o) {
		return true
	}
	st := strings.TrimSuffix(w, "e")
	for _, f := range []string{w + "s", w + "es", w + "d", w + "ed", w + "ing", st + "ing", st + "ed", w + w[len(w)-1:] + "ed", w + w[len(w)-1:] + "ing"} {
		if o == f {
			return true
		}
	}
	if strings.HasSuffix(w, "y") {
		st := w[:len(w)-1]
		return o == st+"ies" || o == st+"ied"
	}
	return false
}

// addPattern turns one pattern into entries for the verbs it belongs to.
// A particle after the verb joins the phrase ("call off"); a prepositional
// phrase without a noun names the recipient's preposition ("(AGAINST)");
// an object noun, for the verbs policy.tsv lets take one, becomes an
// objnoun= reading ("stage" + strike), or for a verb lexicon.tsv has, a
// phrase ("strike deal"). Left out: patterns that constrain the subject
// (words before "*"), nouns with modifiers ("{AIR STRIKE}": the head
// alone would say something else), nouns only inside a prepositional
// phrase ("call (FOR ELECTIONS)": no recipient). A prepositional phrase
// with a noun after the object only narrows it and is ignored ("STRIKE
// (FOR RESIGNATION)").
func (g *generator) addPattern(p *pattern, b *block, verbs []*verb) {
	if len(p.pre) > 0 {
		return
	}
	r, mode, ok := g.relationOf(p.code)
	if !ok {
		return
	}
	its := items(p.post)
	var particles, nouns, preps []string
	k := 0
	for k < len(its) && its[k].kind == "word" && g.in.words["particle"][its[k].words[0]] {
		particles = append(particles, strings.ToLower(its[k].words[0]))
		k++
	}
	nounItems := 0
	for ; k < len(its); k++ {
		it := its[k]
		switch it.kind {
		case "word", "np":
			if it.kind == "word" && g.in.words["article"][it.words[0]] {
				continue
			}
			if it.kind == "np" && len(it.words) > 1 || len(preps) > 0 {
				return
			}
			nounItems++
			heads, ok := g.heads(it.words[0])
			if !ok {
				return
			}
			nouns = append(nouns, heads...)
		case "pp":
			if len(it.words) > 0 {
				if nounItems == 0 {
					return
				}
				continue
			}
			for _, x := range it.preps {
				if !g.in.words["notrecipient"][x] {
					preps = appendNew(preps, strings.ToLower(x))
				}
			}
		case "target":
		default:
			return
		}
	}
	if nounItems > 1 {
		return // "COURT MARTIAL", "OUT VIEWS ON": more than one noun
	}
	for _, v := range verbs {
		if !g.patternFor(p, v, b) {
			continue
		}
		phrase := strings.Join(append(append([]string{}, v.words...), particles...), " ")
		if len(nouns) == 0 {
			if len(particles) == 0 {
				continue // the bare verb's prepositions: addBare took them
			}
			pp := preps
			if len(pp) == 0 {
				pp = r.preps
			}
			for _, fr := range frames(r.flags, pp) {
				g.bare[phrase] = append(g.bare[phrase], &entry{phrase: phrase, relation: r.relation, mode: mode, frame: fr})
			}
			continue
		}
		dec, ok := g.policy(phrase, "nouns")
		if !ok || !contains(dec.relations, r.relation) {
			continue
		}
		slots := preps
		if len(slots) == 0 {
			slots = slotsFor(dec.frame, r.relation)
		}
		if len(slots) == 0 {
			slots = r.preps
		}
		if g.in.handVerb[schema.Fold(phrase)] {
			// lexicon.tsv has the verb: each noun makes a phrase of its own
			for _, n := range nouns {
				np := phrase + " " + n
				for _, fr := range nounFrames(r.flags, slots) {
					g.bare[np] = append(g.bare[np], &entry{phrase: np, relation: r.relation, mode: mode, frame: fr})
				}
			}
			continue
		}
		for i, fr := range nounFrames(r.flags, slots) {
			e := &entry{phrase: phrase, relation: r.relation, mode: mode, frame: fr, order: i}
			key := phrase + "\x00" + e.relation + "\x00" + e.mode + "\x00" + e.frameKey()
			if old, ok := g.nouny[key]; ok {
				e = old
			} else {
				g.nouny[key] = e
			}
			for _, n := range nouns {
				e.nouns = appendNew(e.nouns, n)
			}
		}
	}
}

// heads gives the nouns a pattern word stands for: itself, or a synonym
// set's one-word members. ok is false for what the objnoun flag cannot say.
func (g *generator) heads(h string) ([]string, bool) {
	if strings.HasPrefix(h, "&") {
		members, ok := g.in.dict.synsets[strings.TrimSuffix(h, "_")]
		if !ok {
			return nil, false
		}
		var out []string
		for _, m := range members {
			// "ARMED_FORCES", "AK-47": one word of letters only
			if m = strings.ToLower(m); nounRE.MatchString(m) {
				out = append(out, m)
			}
		}
		return out, len(out) > 0
	}
	w := strings.ToLower(strings.TrimSuffix(h, "_"))
	return []string{w}, nounRE.MatchString(w)
}

// settle resolves conflicts and fixes the output order: a phrase CAMEO
// gives several relations by itself is dropped unless policy.tsv decides;
// a noun under several relations of one phrase is dropped from all; an
// objnoun entry that repeats the phrase's own reading is dropped; phrases
// lexicon.tsv has, or policy.tsv drops, are left out.
func (g *generator) settle() {
	phrases := map[string]bool{}
	for p := range g.bare {
		phrases[p] = true
	}
	byPhrase := map[string][]*entry{}
	for _, e := range g.nouny {
		byPhrase[e.phrase] = append(byPhrase[e.phrase], e)
		phrases[e.phrase] = true
	}
	var names []string
	for p := range phrases {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if g.in.handVerb[schema.Fold(p)] {
			g.logf("skip %q: lexicon.tsv has it", p)
			continue
		}
		if _, ok := g.policy(p, "drop"); ok {
			g.logf("drop phrase %q (policy.tsv)", p)
			continue
		}
		bare := g.bare[p]
		rels := map[string]bool{}
		for _, e := range bare {
			rels[e.relation] = true
		}
		if len(rels) > 1 {
			if dec, ok := g.policy(p, "bare"); ok {
				var kept []*entry
				for _, e := range bare {
					if e.relation == dec.relations[0] {
						kept = append(kept, e)
					}
				}
				bare = kept
			} else {
				var list []string
				for r := range rels {
					list = append(list, r)
				}
				sort.Strings(list)
				g.logf("drop %q by itself: CAMEO reads it as %s", p, strings.Join(list, ", "))
				bare = nil
			}
		}
		nounRels := map[string]map[string]bool{}
		for _, e := range byPhrase[p] {
			for _, n := range e.nouns {
				if nounRels[n] == nil {
					nounRels[n] = map[string]bool{}
				}
				nounRels[n][e.relation] = true
			}
		}
		var constrained []*entry
		for _, e := range byPhrase[p] {
			var keep []string
			for _, n := range e.nouns {
				if len(nounRels[n]) > 1 {
					g.logf("drop %q objnoun %s: several relations", p, n)
					continue
				}
				keep = append(keep, n)
			}
			redundant := false
			for _, x := range bare {
				if x.relation == e.relation && x.frameKey() == e.frameKey() {
					redundant = true
				}
			}
			if len(keep) == 0 || redundant {
				continue
			}
			sort.Strings(keep)
			e.nouns = keep
			constrained = append(constrained, e)
		}
		sort.Slice(constrained, func(i, j int) bool {
			a, b := constrained[i], constrained[j]
			if a.relation != b.relation {
				return a.relation < b.relation
			}
			if a.order != b.order {
				return a.order < b.order // the slots in policy.tsv's order
			}
			if a.frameKey() != b.frameKey() {
				return a.frameKey() < b.frameKey()
			}
			if a.mode != b.mode {
				return a.mode < b.mode
			}
			return strings.Join(a.nouns, "|") < strings.Join(b.nouns, "|")
		})
		g.out = append(g.out, constrained...)
		seen := map[string]bool{}
		for _, e := range bare {
			k := e.relation + "\x00" + e.mode + "\x00" + e.frameKey()
			if !seen[k] {
				seen[k] = true
				g.out = append(g.out, e)
			}
		}
	}
}

func (g *generator) renderTriggers() []byte {
	var b bytes.Buffer
	b.WriteString(header("English trigger lexicon generated from the CAMEO verb dictionary; format: lexicon.tsv."))
	b.WriteString("lang\tlemma\tpos\trel\tmode\tframe\n")
	for _, e := range g.out {
		frame := append([]string{}, e.frame...)
		if e.nouns != nil {
			frame = append(frame, "objnoun="+strings.Join(e.nouns, "|"))
		}
		mode := e.mode
		if mode == "" {
			mode = "-"
		}
		fmt.Fprintf(&b, "en\t%s\tverb\t%s\t%s\t%s\n", e.phrase, e.relation, mode, strings.Join(frame, " "))
	}
	return b.Bytes()
}

// renderForms lists the irregular forms CAMEO gives for the first words of
// the generated triggers (regular ones lexicon.go makes itself).
func (g *generator) renderForms() []byte {
	used := map[string]bool{}
	for _, e := range g.out {
		used[strings.Fields(e.phrase)[0]] = true
	}
	var words []string
	for w := range used {
		if len(g.forms[w]) > 0 && !g.in.handForm[w] {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	var b bytes.Buffer
	b.WriteString(header("Irregular forms of lexicon-en-cameo.tsv's verbs; format: lexicon-forms.tsv."))
	for _, w := range words {
		var forms []string
		st := strings.TrimSuffix(w, "e")
		regular := map[string]bool{w: true, w + "s": true, w + "es": true, w + "d": true, w + "ed": true, w + "ing": true, st + "ing": true}
		for _, f := range g.forms[w] {
			if !regular[f] && !contains(forms, f) {
				forms = append(forms, f)
			}
		}
		if len(forms) == 0 {
			continue
		}
		sort.Strings(forms)
		fmt.Fprintf(&b, "en\t%s\t%s\n", w, strings.Join(forms, " "))
	}
	return b.Bytes()
}
