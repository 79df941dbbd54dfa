package nlp

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// lemmatizer maps (lowercased form, UPOS) to the most frequent lemma and
// features seen in training; unknown words fall back to the most frequent
// suffix rewrite for their UPOS and longest known suffix.
type lemmatizer struct {
	// training's maps
	dict  map[string]lemEntry // lower form + "\x00" + UPOS
	rules map[string]lemRule  // UPOS + "\x00" + suffix
	// a loaded model's tables, with the same keys
	fdict, frules *strTab
}

// entry returns the dictionary entry of a lowercased form and UPOS.
func (l *lemmatizer) entry(low, upos string) (lemEntry, bool) {
	if l.fdict == nil {
		e, ok := l.dict[low+"\x00"+upos]
		return e, ok
	}
	off := l.fdict.find(low, upos, true)
	if off < 0 {
		return lemEntry{}, false
	}
	r := l.fdict.at(off)
	e := lemEntry{lemma: r.str(), feats: r.str(), alts: r.str()}
	return e, r.err == nil
}

// rule returns the suffix rule of a UPOS and suffix.
func (l *lemmatizer) rule(upos, suf string) (lemRule, bool) {
	if l.frules == nil {
		r, ok := l.rules[upos+"\x00"+suf]
		return r, ok
	}
	off := l.frules.find(upos, suf, true)
	if off < 0 {
		return lemRule{}, false
	}
	r := l.frules.at(off)
	e := lemRule{strip: r.n(1 << 10), add: r.str(), feats: r.str()}
	return e, r.err == nil
}

type lemEntry struct {
	lemma, feats string
	alts         string // other frequent feature sets, "\x01"-separated
}

// lemRule rewrites a lowercased form: drop strip bytes, append add.
type lemRule struct {
	strip int
	add   string
	feats string
}

const maxSuffix = 5

func (l *lemmatizer) lookup(form, upos string) (lemma, feats string) {
	low := strings.ToLower(form)
	if e, ok := l.entry(low, upos); ok {
		return e.lemma, e.feats
	}
	if upos == "PROPN" {
		lemma = form
	} else if upos == "PUNCT" || upos == "SYM" || upos == "NUM" || upos == "X" {
		lemma = low
		if upos == "NUM" || upos == "X" {
			lemma = form
		}
	}
	// longest matching suffix rule, in runes
	n := utf8.RuneCountInString(low)
	for k := min(maxSuffix, n); k >= 1; k-- {
		off := len(low)
		for j := 0; j < k; j++ {
			_, sz := utf8.DecodeLastRuneInString(low[:off])
			off -= sz
		}
		if r, ok := l.rule(upos, low[off:]); ok {
			if lemma == "" && r.strip <= len(low) && utf8.ValidString(low[:len(low)-r.strip]) {
				lemma = low[:len(low)-r.strip] + r.add
			}
			if lemma == "" {
				lemma = low
			}
			return lemma, r.feats
		}
	}
	if lemma == "" {
		lemma = low
	}
	return lemma, ""
}

// lemCounter accumulates training counts for a lemmatizer.
type lemCounter struct {
	dict  map[string]map[lemEntry]int
	rules map[string]map[lemRule]int
}

func newLemCounter() *lemCounter {
	return &lemCounter{dict: map[string]map[lemEntry]int{}, rules: map[string]map[lemRule]int{}}
}

func (c *lemCounter) add(form, upos, lemma, feats string) {
	low := strings.ToLower(form)
	k := low + "\x00" + upos
	if c.dict[k] == nil {
		c.dict[k] = map[lemEntry]int{}
	}
	c.dict[k][lemEntry{lemma: lemma, feats: feats}]++
	// suffix rewrite from lowercased form to lemma
	ll := lemma
	if upos != "PROPN" {
		ll = strings.ToLower(lemma)
	}
	p := 0
	for p < len(low) && p < len(ll) && low[p] == ll[p] {
		p++
	}
	for p > 0 && p < len(low) && !utf8.RuneStart(low[p]) {
		p--
	}
	r := lemRule{strip: len(low) - p, add: ll[p:], feats: feats}
	off := len(low)
	for k := 1; k <= maxSuffix && off > 0; k++ {
		_, sz := utf8.DecodeLastRuneInString(low[:off])
		off -= sz
		rk := upos + "\x00" + low[off:]
		if c.rules[rk] == nil {
			c.rules[rk] = map[lemRule]int{}
		}
		c.rules[rk][r]++
	}
}

func (c *lemCounter) build() *lemmatizer {
	l := &lemmatizer{dict: map[string]lemEntry{}, rules: map[string]lemRule{}}
	for k, m := range c.dict {
		e := bestOf(m)
		// other feature sets seen often enough for this form and UPOS,
		// for the tree-based choice in disambiguateFeats
		fc := map[string]int{}
		tot := 0
		for le, n := range m {
			fc[le.feats] += n
			tot += n
		}
		var alts []string
		for f, n := range fc {
			if f != e.feats && n >= 2 && n*10 >= tot {
				alts = append(alts, f)
			}
		}
		slices.SortFunc(alts, func(a, b string) int {
			if fc[a] != fc[b] {
				return fc[b] - fc[a]
			}
			return strings.Compare(a, b)
		})
		if len(alts) > 3 {
			alts = alts[:3]
		}
		e.alts = strings.Join(alts, "\x01")
		l.dict[k] = e
	}
	for k, m := range c.rules {
		tot := 0
		for _, n := range m {
			tot += n
		}
		if tot < 2 {
			continue // a rule seen once is mostly noise
		}
		l.rules[k] = bestOf(m)
	}
	return l
}

// bestOf picks the most frequent key, breaking ties deterministically.
func bestOf[K comparable](m map[K]int) K {
	var best K
	bn := -1
	bs := ""
	for k, n := range m {
		s := keyString(k)
		if n > bn || (n == bn && s < bs) {
			best, bn, bs = k, n, s
		}
	}
	return best
}

func keyString(k any) string {
	switch v := k.(type) {
	case lemEntry:
		return v.lemma + "\x00" + v.feats + "\x00" + v.alts
	case lemRule:
		return string(rune('0'+v.strip)) + v.add + "\x00" + v.feats
	}
	return ""
}

// featCandidates returns the feature sets seen for form and UPOS in
// training, most frequent first (nil if the word is unknown).
func (l *lemmatizer) featCandidates(form, upos string) []string {
	e, ok := l.entry(strings.ToLower(form), upos)
	if !ok || e.alts == "" {
		return nil
	}
	return append([]string{e.feats}, strings.Split(e.alts, "\x01")...)
}

// disambiguateFeats picks, for verbs whose form is ambiguous ("accused":
// past tense or participle, active or passive; "respond": infinitive,
// imperative or present; "-ing": gerund or participle), the feature set
// that fits the parse: auxiliary and passive-auxiliary children, a
// subject (and its person and number), infinitive "to"/"de", and the
// verb's own relation. The dictionary alone only knows the most frequent
// reading of a form.
func disambiguateFeats(l *lemmatizer, lang string, s *Sentence) {
	n := len(s.Tokens)
	for i := range s.Tokens {
		t := &s.Tokens[i]
		if t.UPOS != "VERB" && t.UPOS != "AUX" {
			continue
		}
		cands := l.featCandidates(t.Text, t.UPOS)
		if cands == nil {
			cands = []string{t.Feats}
		}
		var aux, auxPass, subj, to bool
		subjFeats := ""
		for j := 0; j < n; j++ {
			c := &s.Tokens[j]
			if c.Head != i {
				continue
			}
			switch {
			case c.Dep == "aux:pass" || c.Dep == "nsubj:pass" || c.Dep == "obl:agent":
				auxPass = true
			case c.Dep == "aux" || c.Dep == "aux:tense":
				aux = true
			case c.Dep == "nsubj" || c.Dep == "csubj" || c.Dep == "expl:subj":
				subj = true
				subjFeats = c.Feats
				if c.UPOS != "PRON" && !strings.Contains(subjFeats, "Person=") {
					subjFeats += "|Person=3"
				}
			case c.Dep == "mark" && (strings.EqualFold(c.Text, "to") || strings.EqualFold(c.Text, "de") || strings.EqualFold(c.Text, "d'")):
				to = true
			}
		}
		if lang == "en" && t.UPOS == "VERB" {
			cands = append(cands, enVerbReadings(strings.ToLower(t.Text), t.Feats, subj && !aux && !auxPass, subjFeats)...)
		}
		if lang == "fr" && t.UPOS == "VERB" && strings.Contains(t.Feats, "VerbForm=Part") && strings.Contains(t.Feats, "Tense=Past") {
			// past participles: active (after avoir) or passive
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(t.Feats, "|Voice=Pass"), "|Voice=Act"), "|Voice=Mid")
			cands = append(cands, base, base+"|Voice=Pass")
		}
		if len(cands) < 2 {
			continue
		}
		modifier := t.Dep == "acl" || t.Dep == "amod" || strings.HasPrefix(t.Dep, "acl:")
		best, bs := cands[0], -1000
		for rank, c := range cands {
			sc := -rank // prefer the more frequent on ties
			part := strings.Contains(c, "VerbForm=Part")
			pass := strings.Contains(c, "Voice=Pass")
			switch {
			case part && strings.Contains(c, "Tense=Pres"):
				// English -ing: participle in progressives and clauses,
				// gerund in noun-like and modifier positions (as in EWT)
				if aux || auxPass {
					sc += 20
				} else if !gerundDep[univ(t.Dep)] {
					sc += 10
				}
			case part:
				if aux || auxPass {
					sc += 20
				}
				if (modifier || t.Dep == "advcl") && !subj {
					sc += 10
				}
				if subj && !aux && !auxPass {
					sc -= 20
				}
			case strings.Contains(c, "VerbForm=Ger"):
				if !aux && !auxPass && gerundDep[univ(t.Dep)] {
					sc += 15
				}
			case strings.Contains(c, "VerbForm=Fin"):
				if subj && !aux && !auxPass {
					sc += 20
				}
				if aux || auxPass || to {
					sc -= 20
				}
				if strings.Contains(c, "Mood=Imp") {
					if subj || t.Dep != "root" {
						sc -= 20
					} else if !aux && !to {
						sc += 25
					}
				}
			case strings.Contains(c, "VerbForm=Inf"):
				if aux || to {
					sc += 20
				}
				if subj && !aux {
					sc -= 10
				}
			}
			if pass && (auxPass || (modifier && part)) {
				sc += 5
			}
			if pass && aux && !auxPass {
				sc -= 30
			}
			if strings.Contains(c, "Voice=Act") {
				sc-- // Sequoia leaves active participles unmarked
			}
			if part && !pass && auxPass {
				sc -= 5
			}
			if subjFeats != "" && strings.Contains(c, "VerbForm=Fin") {
				// agreement with the subject
				for _, k := range []string{"Person", "Number"} {
					if a, b := featOf(c, k), featOf(subjFeats, k); a != "" && b != "" {
						if a == b {
							sc += 3
						} else {
							sc -= 3
						}
					}
				}
			}
			if sc > bs {
				best, bs = c, sc
			}
		}
		t.Feats = best
	}
}

// gerundDep are relations where EWT marks -ing verbs VerbForm=Ger.
var gerundDep = map[string]bool{"acl": true, "amod": true, "xcomp": true, "csubj": true, "obj": true, "compound": true, "obl": true, "nmod": true}

// enVerbReadings adds the standard readings of English verb forms that
// the dictionary may lack (unknown words, or a form seen in one reading).
func enVerbReadings(low, feats string, finite bool, subjFeats string) []string {
	switch {
	case strings.HasSuffix(low, "ing"):
		return []string{"VerbForm=Ger", "Tense=Pres|VerbForm=Part"}
	case strings.HasSuffix(low, "ed"):
		fin := "Mood=Ind|Tense=Past|VerbForm=Fin"
		if finite {
			num, per := featOf(subjFeats, "Number"), featOf(subjFeats, "Person")
			if num != "" && per != "" {
				fin = "Mood=Ind|" + num + "|" + per + "|Tense=Past|VerbForm=Fin"
			}
		}
		return []string{fin, "Tense=Past|VerbForm=Part", "Tense=Past|VerbForm=Part|Voice=Pass"}
	case feats == "VerbForm=Inf" || feats == "Mood=Imp|VerbForm=Fin" || strings.Contains(feats, "Tense=Pres|VerbForm=Fin"):
		out := []string{"VerbForm=Inf", "Mood=Imp|VerbForm=Fin"}
		if finite {
			num, per := featOf(subjFeats, "Number"), featOf(subjFeats, "Person")
			if num == "" {
				num = "Number=Sing"
			}
			if per == "" {
				per = "Person=3"
			}
			if strings.HasSuffix(low, "s") == (num == "Number=Sing" && per == "Person=3") {
				out = append(out, "Mood=Ind|"+num+"|"+per+"|Tense=Pres|VerbForm=Fin")
			}
		}
		return out
	}
	return nil
}

// featOf returns the "Name=Value" item of a feature string, or "".
func featOf(feats, name string) string {
	for _, f := range strings.Split(feats, "|") {
		if strings.HasPrefix(f, name+"=") {
			return f
		}
	}
	return ""
}
