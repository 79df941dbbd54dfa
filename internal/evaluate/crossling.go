package evaluate

import "sort"

// Agreement is the French–English agreement of two prediction sets over
// the same documents in two languages, as ../shared/eval/crossling.py
// measures it: facts with a Wikidata id on both sides compared as
// (subject, event or relation, object, modality), and entity ids, each as
// a micro Jaccard over documents.
type Agreement struct {
	Facts        float64 `json:"facts_jaccard"`
	FactsShared  int     `json:"facts_shared"`
	FactsUnion   int     `json:"facts_union"`
	Entities     float64 `json:"entities_jaccard"`
	EntShared    int     `json:"entities_shared"`
	EntUnion     int     `json:"entities_union"`
	DocsWithFact int     `json:"docs_with_facts"`
	// Diff lists, per document, the fact tuples only one side has
	// (for --explain): "A" or "B" and the tuple.
	Diff []AgreementDiff `json:"-"`
}

// AgreementDiff is one fact found on one side only.
type AgreementDiff struct {
	Doc, Side, Fact string
}

type tupleSets struct {
	facts, ents map[string]map[string]bool
}

func crossSets(preds []Pred) tupleSets {
	t := tupleSets{facts: map[string]map[string]bool{}, ents: map[string]map[string]bool{}}
	add := func(m map[string]map[string]bool, d, k string) {
		if m[d] == nil {
			m[d] = map[string]bool{}
		}
		m[d][k] = true
	}
	for i := range preds {
		p := &preds[i]
		switch p.Kind {
		case "fact":
			var s, o string
			if p.Subject != nil {
				s = qidOf(p.Subject.ID)
			}
			if p.Object != nil {
				o = qidOf(p.Object.ID)
			}
			for _, q := range []string{s, o} {
				if q != "" {
					add(t.ents, p.Doc, q)
				}
			}
			if s != "" && o != "" {
				ev := p.Event
				if ev == "" {
					ev = p.Relation
				}
				m := p.Modality
				if m == "" {
					m = "asserted"
				}
				add(t.facts, p.Doc, s+" "+ev+" "+o+" "+m)
			}
		case "entity":
			if q := qidOf(p.ID); q != "" {
				add(t.ents, p.Doc, q)
			}
		}
	}
	return t
}

func jaccard(a, b map[string]map[string]bool, diff func(doc, side, k string)) (float64, int, int) {
	docs := map[string]bool{}
	for d := range a {
		docs[d] = true
	}
	for d := range b {
		docs[d] = true
	}
	ids := make([]string, 0, len(docs))
	for d := range docs {
		ids = append(ids, d)
	}
	sort.Strings(ids)
	inter, union := 0, 0
	for _, d := range ids {
		x, y := a[d], b[d]
		var onlyA, onlyB []string
		for k := range x {
			if y[k] {
				inter++
			} else {
				onlyA = append(onlyA, k)
			}
			union++
		}
		for k := range y {
			if !x[k] {
				union++
				onlyB = append(onlyB, k)
			}
		}
		if diff != nil {
			sort.Strings(onlyA)
			sort.Strings(onlyB)
			for _, k := range onlyA {
				diff(d, "A", k)
			}
			for _, k := range onlyB {
				diff(d, "B", k)
			}
		}
	}
	return ratio(inter, union), inter, union
}

// Agree measures the agreement of predictions a and b (the same documents
// in two languages).
func Agree(a, b []Pred) Agreement {
	sa, sb := crossSets(a), crossSets(b)
	var ag Agreement
	ag.Facts, ag.FactsShared, ag.FactsUnion = jaccard(sa.facts, sb.facts, func(doc, side, k string) {
		ag.Diff = append(ag.Diff, AgreementDiff{Doc: doc, Side: side, Fact: k})
	})
	ag.Entities, ag.EntShared, ag.EntUnion = jaccard(sa.ents, sb.ents, nil)
	docs := map[string]bool{}
	for _, s := range []tupleSets{sa, sb} {
		for d, f := range s.facts {
			if len(f) > 0 {
				docs[d] = true
			}
		}
	}
	ag.DocsWithFact = len(docs)
	return ag
}
