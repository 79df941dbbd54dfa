package ingest

import (
	"strings"

	"github.com/kg-news/kg/schema"
)

// Argument finding over dependency parses. When the sentence carries a
// parse (the Annotator ran), the relation stage asks the tree first: the
// subject is the trigger's nsubj (or its obl:agent when passive), the
// object its obj or the oblique introduced by the frame's preposition,
// coordination is conj, a controlled complement (xcomp/advcl) takes its
// controller, a participle (acl) takes the noun it modifies, a relative
// clause (acl:relcl) takes its antecedent. Where the tree gives no actor
// (a parse error, an unknown name), the token rules of relations.go fill
// the gap, so a bad parse costs recall, not the whole sentence.

// tree holds a sentence's dependency structure.
type tree struct {
	kids [][]int
}

func (s *sent) parsed() bool {
	for _, t := range s.toks {
		if t.Dep != "" {
			return true
		}
	}
	return false
}

func (s *sent) tree() *tree {
	if s.tr != nil {
		return s.tr
	}
	t := &tree{kids: make([][]int, len(s.toks))}
	for i, tk := range s.toks {
		if tk.Head >= 0 && tk.Head < len(s.toks) && tk.Head != i {
			t.kids[tk.Head] = append(t.kids[tk.Head], i)
		}
	}
	s.tr = t
	return t
}

func depBase(dep string) string {
	if i := strings.IndexByte(dep, ':'); i >= 0 {
		return dep[:i]
	}
	return dep
}

// childrenBy returns the children of h whose relation is one of deps
// (full "obl:agent" or base "obl").
func (s *sent) childrenBy(h int, deps ...string) []int {
	var out []int
	for _, c := range s.tree().kids[h] {
		d := s.toks[c].Dep
		for _, want := range deps {
			if d == want || (!strings.Contains(want, ":") && depBase(d) == want) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// caseOf returns the folded preposition (case or mark child) of token c.
func (s *sent) caseOf(c int) string {
	for _, k := range s.tree().kids[c] {
		if d := depBase(s.toks[k].Dep); d == "case" {
			return s.f[k]
		}
	}
	return ""
}

// actorAt turns the phrase headed by c into an argument: the mention at
// its head, with its conjuncts ("X et Y"); a demonym adjective ("les
// autorités russes"); the actor in a noun's complement when the noun is an
// agent noun ("le président de la Russie"); a document noun; or a pronoun
// or group noun resolved by coreference.
func (s *sent) actorAt(c int, how string, wantDoc bool) *arg {
	var ents []schema.EntityRef
	from, to := c, c+1
	var add func(h int, depth int)
	add = func(h int, depth int) {
		if depth > 3 {
			return
		}
		if e, ok := s.headActor(h); ok {
			ents = appendEnt(ents, e)
		}
		for _, k := range s.childrenBy(h, "conj") {
			if k > to-1 {
				to = k + 1
			}
			add(k, depth+1)
		}
	}
	add(c, 0)
	if len(ents) > 0 {
		return &arg{ents: ents, from: from, to: to, how: how}
	}
	if wantDoc {
		if d := s.documentAt(c); d != nil {
			return d
		}
	}
	if a := s.corefAt(max(0, c-1), c+1); a.ok() {
		return a
	}
	return nil
}

// headActor finds the entity a phrase headed by h names, if any.
func (s *sent) headActor(h int) (schema.EntityRef, bool) {
	if s.at[h] >= 0 {
		m := s.men[s.at[h]]
		if !s.isPlace(h) {
			return m.Entity, true
		}
		return schema.EntityRef{}, false
	}
	// the name may be headed by another of its tokens (flat, compound):
	// any mention inside the head's flat/compound/amod children
	for _, k := range s.childrenBy(h, "flat", "compound", "amod", "nmod") {
		if s.at[k] < 0 {
			continue
		}
		m := s.men[s.at[k]]
		d := depBase(s.toks[k].Dep)
		switch {
		case d == "flat" || d == "compound" && schema.BaseType(m.Entity.Type) != schema.Country:
			return m.Entity, true
		case (d == "amod" || d == "compound") && m.Kind == schema.AliasDemonym || d == "compound" && s.lang == "en":
			// "les autorités russes", "Chinese officials", "U.S. sanctions"
			if agentNouns[s.f[h]] || s.isEventNoun(h) {
				return m.Entity, true
			}
		case d == "nmod" && agentNouns[s.f[h]] && !s.isPlace(k) && isOf(s.caseOf(k)):
			// "le président de la Russie", "the leaders of the two countries"
			return m.Entity, true
		}
	}
	return schema.EntityRef{}, false
}

func isOf(c string) bool {
	return c == "de" || c == "du" || c == "des" || c == "d'" || c == "of"
}

func (s *sent) isEventNoun(h int) bool {
	for _, t := range s.trig[h] {
		if t.Noun {
			return true
		}
	}
	return s.f[h] == "sanctions" || s.f[h] == "forces" || s.f[h] == "troupes" || s.f[h] == "troops"
}

// depVerbArgs finds a verb trigger's arguments in the parse.
func (s *sent) depVerbArgs(i int, t *Trigger) (subj, obj *arg, passive bool) {
	passive = strings.Contains(s.toks[i].Feats, "Voice=Pass") && len(s.childrenBy(i, "aux:pass")) > 0 ||
		len(s.childrenBy(i, "nsubj:pass", "aux:pass")) > 0 && len(s.childrenBy(i, "expl:pass", "expl:pv")) == 0
	if len(s.childrenBy(i, "expl:pv", "expl:comp")) > 0 {
		passive = false // "se sont réunis": pronominal, not passive
	}
	if passive {
		for _, c := range s.childrenBy(i, "obl:agent") {
			subj = s.actorAt(c, "dep:agent", false)
		}
		for _, c := range s.childrenBy(i, "nsubj:pass") {
			obj = s.actorAt(c, "dep:patient", t.Doc)
		}
	} else {
		// several nsubj children: a coordination the parser did not link
		for _, c := range s.childrenBy(i, "nsubj") {
			if s.toks[c].Dep == "nsubj:pass" {
				continue
			}
			if a := s.actorAt(c, "dep:nsubj", false); a.ok() {
				if subj.ok() {
					for _, e := range a.ents {
						subj.ents = appendEnt(subj.ents, e)
					}
					subj.from = min(subj.from, a.from)
				} else {
					subj = a
				}
			}
		}
	}
	// reduced participle: "des missiles fournis par Pyongyang"
	if d := s.toks[i].Dep; (d == "acl" || strings.HasPrefix(d, "acl:")) && !strings.HasPrefix(d, "acl:relcl") && s.toks[i].Head >= 0 {
		if !subj.ok() {
			for _, c := range s.childrenBy(i, "obl:agent", "obl") {
				if cs := s.caseOf(c); cs == "par" || cs == "by" {
					subj = s.actorAt(c, "dep:agent", false)
				}
			}
		}
		if !obj.ok() {
			obj = s.actorAt(s.toks[i].Head, "dep:acl", t.Doc)
		}
	}
	// relative clause: "les résolutions que la Russie a soutenues"
	if strings.HasPrefix(s.toks[i].Dep, "acl:relcl") && s.toks[i].Head >= 0 {
		h := s.toks[i].Head
		relObj := false
		for _, c := range s.childrenBy(i, "obj") {
			if relObject[s.f[c]] {
				relObj = true
			}
		}
		if !subj.ok() && !relObj {
			subj = s.actorAt(h, "dep:antecedent", false)
		} else if !obj.ok() {
			obj = s.actorAt(h, "dep:antecedent", t.Doc)
		}
	}
	// a conjunct verb shares its head's subject: "ont dénoncé ... et soutenu"
	if !subj.ok() && s.toks[i].Dep == "conj" && s.toks[i].Head >= 0 {
		h := s.toks[i].Head
		if s.ctrl[h] != nil {
			subj = s.ctrl[h]
		} else {
			for _, c := range s.childrenBy(h, "nsubj") {
				subj = s.actorAt(c, "dep:shared", false)
			}
		}
	}
	if passive {
		if t.Prep != "" && !obj.ok() {
			obj = s.depPrepObject(i, t.Prep)
		}
		return subj, obj, passive
	}
	if t.Prep != "" {
		obj = s.depPrepObject(i, t.Prep)
	}
	if !obj.ok() && t.Obj {
		for _, c := range s.childrenBy(i, "obj") {
			if relObject[s.f[c]] {
				continue
			}
			obj = s.actorAt(c, "dep:obj", t.Doc)
		}
	}
	return subj, obj, passive
}

// depPrepObject: the oblique or nominal complement of h introduced by
// preposition p ("fournir des missiles à la Russie", "fire at Ukraine").
func (s *sent) depPrepObject(h int, p string) *arg {
	cands := s.childrenBy(h, "obl", "iobj", "nmod")
	// the item's own complement: "fournir des missiles à la Russie" is
	// often parsed with "à la Russie" under "missiles"
	for _, c := range s.childrenBy(h, "obj", "obl") {
		cands = append(cands, s.childrenBy(c, "nmod")...)
	}
	for _, c := range cands {
		cs := s.caseOf(c)
		if cs == p || p == "a" && (cs == "au" || cs == "aux") || p == "de" && (cs == "d'" || cs == "du" || cs == "des") {
			if p == "a" && s.lang == "fr" && s.at[c] >= 0 && s.isPlace(c) {
				continue // "à Singapour"
			}
			if a := s.actorAt(c, "dep:"+p, true); a.ok() {
				return a
			}
		}
	}
	if s.toks[h].Dep == "iobj" {
		return nil
	}
	for _, c := range s.childrenBy(h, "iobj") {
		if a := s.actorAt(c, "dep:iobj", false); a.ok() {
			return a
		}
	}
	return nil
}

// depControl: after a verb with a ctrl frame found its object, give the
// object as subject to the controlled complement ("accuse Moscou d'avoir
// tiré", "urged Americans to shop").
func (s *sent) depControl(i int, obj *arg, t *Trigger) {
	for _, c := range s.childrenBy(i, "xcomp", "advcl", "ccomp", "acl") {
		if len(s.trig[c]) == 0 || len(s.childrenBy(c, "nsubj")) > 0 {
			continue
		}
		s.ctrl[c] = &arg{ents: obj.ents, from: obj.from, to: obj.to, how: "control"}
		if t.Hyp {
			s.hyp[c] = true
		}
		for _, k := range s.childrenBy(c, "conj") {
			if len(s.trig[k]) > 0 && len(s.childrenBy(k, "nsubj")) == 0 {
				s.ctrl[k] = s.ctrl[c]
			}
		}
	}
}

// depNominalArgs: arguments of an event noun from its dependents.
func (s *sent) depNominalArgs(i int, t *Trigger) (subj, obj *arg) {
	mods := s.childrenBy(i, "nmod", "nmod:poss", "acl", "amod", "compound")
	for _, c := range mods {
		d := s.toks[c].Dep
		cs := s.caseOf(c)
		switch {
		case t.Pair && (cs == "entre" || cs == "between"):
			if g := s.actorAt(c, "pair", false); g.ok() && len(g.ents) >= 2 {
				return &arg{ents: g.ents[:1], how: "pair"}, &arg{ents: g.ents[1:], how: "pair"}
			}
		case d == "nmod:poss" || cs == "'s":
			if a := s.actorAt(c, "dep:genitive", false); a.ok() && !subj.ok() {
				subj = a
			}
		case d == "acl" || strings.HasPrefix(d, "acl:"):
			// "une frappe lancée par la Russie contre l'Ukraine"
			for _, k := range s.childrenBy(c, "obl:agent", "obl") {
				if ks := s.caseOf(k); (ks == "par" || ks == "by") && !subj.ok() {
					subj = s.actorAt(k, "dep:agent", false)
				}
				if ks := s.caseOf(k); t.Prep != "" && ks == t.Prep && !obj.ok() {
					obj = s.actorAt(k, "dep:"+ks, t.Doc)
				}
			}
		case (d == "amod" || d == "compound") && s.at[c] >= 0 && !subj.ok():
			// "frappes russes", "Russian strikes", "U.S. sanctions"
			subj = &arg{ents: []schema.EntityRef{s.men[s.at[c]].Entity}, from: c, to: c + 1, how: "dep:modifier"}
		case t.Prep != "" && (cs == t.Prep || t.Prep == "a" && (cs == "au" || cs == "aux")) && !obj.ok():
			obj = s.actorAt(c, "dep:"+cs, t.Doc)
		case t.Agent && (cs == "de" || cs == "d'" || cs == "du" || cs == "des" || cs == "of" || cs == "by" || cs == "par") && !subj.ok():
			if a := s.actorAt(c, "dep:of", false); a.ok() {
				subj = a
			}
		}
	}
	return subj, obj
}
