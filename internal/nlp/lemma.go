package nlp

import (
	"strings"
	"unicode/utf8"
)

// lemmatizer maps (lowercased form, UPOS) to the most frequent lemma and
// features seen in training; unknown words fall back to the most frequent
// suffix rewrite for their UPOS and longest known suffix.
type lemmatizer struct {
	dict  map[string]lemEntry // lower form + "\x00" + UPOS
	rules map[string]lemRule  // UPOS + "\x00" + suffix
}

type lemEntry struct{ lemma, feats string }

// lemRule rewrites a lowercased form: drop strip bytes, append add.
type lemRule struct {
	strip int
	add   string
	feats string
}

const maxSuffix = 5

func (l *lemmatizer) lookup(form, upos string) (lemma, feats string) {
	low := strings.ToLower(form)
	if e, ok := l.dict[low+"\x00"+upos]; ok {
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
		if r, ok := l.rules[upos+"\x00"+low[off:]]; ok {
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
	c.dict[k][lemEntry{lemma, feats}]++
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
		l.dict[k] = bestOf(m)
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
		return v.lemma + "\x00" + v.feats
	case lemRule:
		return string(rune('0'+v.strip)) + v.add + "\x00" + v.feats
	}
	return ""
}
