package ingest

// Subject control. A verb with the sctrl frame passes its subject to the
// infinitive or gerund after it: "Moscow denied shelling Aleppo" (Moscow
// shelled, negated), "Russia threatened to attack Ukraine" (Russia
// attacks, hypothetically), "Mali decided to expel the ambassador",
// « Moscou a démenti avoir bombardé Alep », « tenter de », « chercher à ».
// The verb may be an event itself (threaten, promise, refuse) or only a
// frame (decide, try, vouloir: relation "-" in the lexicon). Its hyp and
// neg flags set the complement's modality; a complement inherits the
// modality its governing verb passed down ("threatened to try to seize").

// complementAt finds the verb trigger of the infinitive or gerund
// complement that starts at token k: past adverbs and negations, an
// infinitive marker (argwords.tsv ctrlmark: "to", « de », « à ») and an
// auxiliary (perfect: "having", « avoir »). Without a marker the verb must
// come at once, as a gerund ("denied striking") or a bare French
// infinitive ("nie avoir menacé"). It returns -1 if there is none.
func (s *sent) complementAt(k int) int {
	n := len(s.f)
	for k < n && (adverbs[s.f[k]] || negations[s.f[k]]) {
		k++
	}
	marked := false
	if m := s.w.at(s.lang, "ctrlmark", s.f, k); m > 0 {
		k += m
		marked = true
	}
	for j := k; j < n && j <= k+3; j++ {
		w := s.f[j]
		if s.at[j] < 0 && s.verbTriggerAt(j) {
			if !marked && !s.verbForm(j) {
				return -1
			}
			return j
		}
		if !(adverbs[w] || negations[w] || s.w.is(s.lang, "perfect", w)) {
			return -1
		}
	}
	return -1
}

// verbTriggerAt: a verb reading of the lexicon starts at token j (an
// event verb or a frame such as "decide").
func (s *sent) verbTriggerAt(j int) bool {
	if len(s.frames[j]) > 0 {
		return true
	}
	for _, t := range s.trig[j] {
		if !t.Noun {
			return true
		}
	}
	return false
}

// verbForm: token j can be a verb where nothing marks it as one: the tagger
// says so, or there is no tag to say otherwise.
func (s *sent) verbForm(j int) bool {
	p := s.toks[j].UPOS
	return p == "" || p == "VERB" || p == "AUX"
}

// markSubjectControl gives the complement of the sctrl verb at i its
// subject. The complement follows the verb (end) or its object ("promised
// Kyiv to deliver"); the parse's xcomp is asked when word order finds
// none. It returns the complement's token, or -1.
func (s *sent) markSubjectControl(i, end int, subj, obj *arg, t *Trigger) int {
	// a phrase ("refuser de rencontrer") may hold its complement: look
	// right after its first word too
	j := s.complementAt(i + 1)
	if j < 0 && end > i+1 {
		j = s.complementAt(end)
	}
	if j < 0 && obj.ok() && obj.to > end {
		j = s.complementAt(obj.to)
	}
	if j < 0 && s.useDep {
		for _, c := range s.childrenBy(i, "xcomp") {
			if s.verbTriggerAt(c) && len(s.childrenBy(c, "nsubj")) == 0 {
				j = c
				break
			}
		}
	}
	if j < 0 {
		return j
	}
	s.comp[i] = j
	if s.ctrl[j] != nil {
		return j
	}
	s.ctrl[j] = &arg{ents: subj.ents, from: subj.from, to: subj.to, how: "sctrl"}
	switch {
	case s.hyp[i]:
		// "appealing to the US to refuse to give aid": under a demand, the
		// refused act is only wanted not to happen, not denied
		s.hyp[j] = true
	case s.neg[i]:
		s.neg[j] = true // "refused to try to block"
	default:
		s.hyp[j], s.neg[j] = t.Hyp, t.Neg
	}
	return j
}

// complementTarget finds the object of the act a complement names
// ("threatened to destroy North Korea", "pledged to help Ukraine", « a
// menacé de frapper l'Iran »): after the infinitive marker and its verb,
// the first actor before the clause ends.
func (s *sent) complementTarget(end int) *arg {
	marker := -1
	for k := end; k < len(s.f) && k < end+6; k++ {
		if m := s.w.at(s.lang, "ctrlmark", s.f, k); m > 0 {
			marker = k + m - 1
			break
		}
		if boundaries[s.f[k]] || s.at[k] >= 0 {
			return nil
		}
	}
	if marker < 0 {
		return nil
	}
	place := -1
	for k := marker + 1; k < len(s.f) && k < marker+9; k++ {
		if boundaries[s.f[k]] || s.f[k] == "," {
			break
		}
		if s.at[k] >= 0 && !s.isPlace(k) {
			return s.coordRight(k, "complement")
		}
		if s.at[k] >= 0 && place < 0 {
			place = k
		}
	}
	// only a place: the act is about it ("committed to stationing a
	// brigade in Lithuania")
	if place >= 0 {
		if a := s.placeCountryAt(place); a.ok() {
			a.how = "complement"
			return a
		}
	}
	return nil
}

// hostileEvents are the PLOVER types whose promise is a threat: "vowed to
// retaliate against Israel", « a promis de riposter » threaten, as PLOVER
// codes a pledge of harm. A promised deployment is not: allies are
// promised troops.
var hostileEvents = map[string]bool{"ASSAULT": true, "COERCE": true, "SANCTION": true}

// threatRelation is the relation a promise of harm becomes.
const threatRelation = "threatens"

// promiseOfHarm: the complement at j is a hostile act, so an AGREE verb
// governing it is a threat.
func (s *sent) promiseOfHarm(j int) bool {
	if j < 0 {
		return false
	}
	// the reading that applies: the first verb reading whose object noun,
	// if it needs one, follows ("resume talks" is no "resume fighting")
	for _, t := range s.trig[j] {
		if t.Noun || t.ObjNoun != nil && !s.nounFollows(j+1, t.ObjNoun) {
			continue
		}
		return hostileEvents[t.Event]
	}
	return false
}
