package ingest

import (
	"strings"

	"github.com/kg-news/kg/schema"
)

// Arguments across clauses: the subject of a that-clause as the object of
// a verb of demand or allegation ("insisted that Belgrade withdraw its
// police", « exige que Belgrade retire »), and the subject a coordinated
// verb or a participle shares with the verb before it ("Seoul condemned
// the launch and urged Pyongyang to...", "…, calling Rome…", « …,
// qualifiant Rome de… »). The complementizers and conjunctions are data
// (argwords.tsv: that, coord).

// thatObject finds the subject of a that-clause right after a that= verb,
// when the clause states an act (a trigger verb follows the subject): the
// demand or allegation is about that actor. With hyp the act is only
// demanded.
func (s *sent) thatObject(end int, t *Trigger) *arg {
	k := end
	for k < len(s.f) && (adverbs[s.f[k]] || s.f[k] == ",") {
		k++
	}
	n := s.w.at(s.lang, "that", s.f, k)
	if n == 0 {
		return nil
	}
	a := s.groupAt(k+n, 4, "that")
	if !a.ok() || a.from < k+n {
		return nil
	}
	for j := a.to; j < len(s.f) && j <= a.to+3; j++ {
		if boundaries[s.f[j]] {
			return nil
		}
		if len(s.trig[j]) > 0 && s.verbTriggerAt(j) {
			if t.Hyp {
				s.hyp[j] = true
			}
			return a
		}
	}
	return nil
}

// sharedSubject: the verb at i has no subject of its own because it shares
// one: it follows a conjunction ("and urged") or is a participle after a
// comma ("…, calling Rome"). The subject is that of the verb before it in
// the sentence, else the sentence's first actor.
func (s *sent) sharedSubject(i int) *arg {
	k := i - 1
	for k >= 0 && (auxiliaries[s.f[k]] || adverbs[s.f[k]] || negations[s.f[k]] || strings.HasPrefix(s.f[k], "-") || s.isClitic(k)) {
		k--
	}
	if k <= 0 {
		return nil
	}
	switch {
	case s.w.is(s.lang, "coord", s.f[k]):
		if s.at[k-1] >= 0 {
			return nil // "X and Y urged": a coordinated subject, not verbs
		}
	case s.f[k] == "," && s.participle(i):
	default:
		return nil
	}
	best := -1
	for j := range s.verbSubj {
		if j < k && j > best {
			best = j
		}
	}
	// not across a parenthesis or a quotation: "(…, praising Kim)" is
	// someone else's clause
	from := max(best, 0)
	for j := from; j < i; j++ {
		switch s.f[j] {
		case "(", ")", "\"", "«", "»", "“", "”":
			return nil
		}
	}
	if best >= 0 {
		a := *s.verbSubj[best]
		if s.verbBefore(a.from) {
			return nil // "The minister said Russia was ready to talk, praising…"
		}
		// a verb of a subordinate clause ("Craignant que Stockholm
		// autorise…, il a trouvé refuge…, demandant…") shares nothing
		p := a.from - 1
		for p >= 0 && s.isDet(p) && !boundaries[s.f[p]] {
			p--
		}
		if p >= 0 && boundaries[s.f[p]] {
			return nil
		}
		a.how = "shared"
		return &a
	}
	// no verb of ours before: the sentence's subject, if it opens the
	// sentence outside any subordinate clause
	for j := 0; j < k; j++ {
		if boundaries[s.f[j]] {
			return nil
		}
		if s.verbTriggerAt(j) {
			return nil
		}
		if s.at[j] >= 0 {
			if s.isPlace(j) {
				return nil
			}
			a := s.coordRight(j, "shared")
			if !a.ok() {
				return nil
			}
			return a
		}
	}
	return nil
}

// verbBefore: a verb of the lexicon comes before token k, so an actor at
// k is no main-clause subject.
func (s *sent) verbBefore(k int) bool {
	for j := 0; j < k && j < len(s.f); j++ {
		if s.at[j] < 0 && s.verbTriggerAt(j) {
			return true
		}
	}
	return false
}

// isClitic: token k is an object pronoun of the verb group it is in
// (argwords.tsv clitic, cliticto): « il l'accuse », « les a condamnés »,
// « lui demande ». Only in the verb group: the token after it is the verb
// or an auxiliary, a negation or another clitic, never a noun ("la Russie").
func (s *sent) isClitic(k int) bool {
	if k < 0 || k+1 >= len(s.f) || s.at[k] >= 0 {
		return false
	}
	w := s.f[k]
	if !s.w.is(s.lang, "clitic", w) && !s.w.is(s.lang, "cliticto", w) {
		return false
	}
	n := s.f[k+1]
	return s.at[k+1] < 0 && (auxiliaries[n] || negations[n] || s.verbTriggerAt(k+1) || s.w.is(s.lang, "clitic", n) || s.w.is(s.lang, "cliticto", n))
}

// cliticObject: the antecedent of a clitic object pronoun in the verb group
// of the trigger at i: a direct one (le, la, l', les) for an obj frame, an
// indirect one (lui, leur) for a to= frame. The antecedent is the actor
// named last before it in the sentence that is not the subject ("Le
// gouvernement rend la Renamo responsable… et l'accuse": Renamo).
func (s *sent) cliticObject(i int, subj *arg, t *Trigger) *arg {
	k := i - 1
	found := -1
	for k >= 0 && (auxiliaries[s.f[k]] || adverbs[s.f[k]] || negations[s.f[k]] || s.isClitic(k)) {
		if s.isClitic(k) && (t.Obj && s.w.is(s.lang, "clitic", s.f[k]) || t.Prep != "" && s.w.is(s.lang, "cliticto", s.f[k])) {
			found = k
		}
		k--
	}
	if found < 0 {
		return nil
	}
	isSubj := func(e string) bool {
		if !subj.ok() {
			return false
		}
		for _, x := range subj.ents {
			if x.ID == e {
				return true
			}
		}
		return false
	}
	// in this sentence only: across sentences the antecedent is as often
	// a noun phrase that names no one (« le pays… qui lui avait accordé »)
	for mi := len(s.men) - 1; mi >= 0; mi-- {
		m := s.men[mi]
		if m.From >= found || isSubj(m.Entity.ID) || mentionIsPlace(s.d, s.si, m) {
			continue
		}
		return &arg{ents: []schema.EntityRef{m.Entity}, from: found, to: found + 1, how: "clitic"}
	}
	return nil
}
