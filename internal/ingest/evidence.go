package ingest

import (
	"unicode/utf8"

	"github.com/kg-news/kg/schema"
)

// MaxEvidenceBytes caps a fact's evidence: at most 1,000 bytes of UTF-8
// text, several times the longest sentence news prose has, so only text
// without sentence ends (a table, a list, a 5 MB "word" in a scraped page)
// is cut. Before the cap, such a "sentence" was copied into every fact it
// gave, and a 5 MB word doubled the store.
const MaxEvidenceBytes = 1000

// wordSnap is how far a cut moves to land on a space rather than inside a
// word.
const wordSnap = 40

// capEvidence shrinks evidence longer than MaxEvidenceBytes to a window of
// the article's text that keeps the keep spans (the subject, the object,
// the word that expresses the event) as far as they fit, cut between words
// where it can and always between UTF-8 characters. The offsets stay
// exact: Sentence is always text[Start:End].
func capEvidence(text string, ev *schema.Evidence, keep ...schema.Span) {
	if ev.End-ev.Start <= MaxEvidenceBytes || ev.Start < 0 || ev.End > len(text) {
		return
	}
	lo, hi := ev.End, ev.Start // the core the window must hold
	for _, k := range keep {
		if k.End <= k.Start || k.Start < ev.Start || k.End > ev.End {
			continue
		}
		lo, hi = min(lo, k.Start), max(hi, k.End)
	}
	if lo > hi { // nothing to keep: the sentence's start
		lo, hi = ev.Start, ev.Start
	}
	if hi-lo > MaxEvidenceBytes { // the kept spans are too far apart: the first ones
		hi = lo + MaxEvidenceBytes
	}
	coreLo, coreHi := lo, hi
	// widen the core evenly up to the cap, inside the sentence
	slack := MaxEvidenceBytes - (hi - lo)
	lo = max(ev.Start, lo-slack/2)
	hi = min(ev.End, lo+MaxEvidenceBytes)
	lo = max(ev.Start, hi-MaxEvidenceBytes)
	// land on character boundaries, and on spaces when one is near
	for lo < hi && !utf8.RuneStart(text[lo]) {
		lo++
	}
	for hi > lo && hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi--
	}
	if lo > ev.Start {
		for i := lo; i < min(lo+wordSnap, coreLo); i++ {
			if text[i] == ' ' {
				lo = i + 1
				break
			}
		}
	}
	if hi < ev.End {
		for i := hi - 1; i >= max(hi-wordSnap, coreHi); i-- {
			if text[i] == ' ' {
				hi = i
				break
			}
		}
	}
	ev.Start, ev.End, ev.Sentence = lo, hi, text[lo:hi]
}

// candidateSpans are the parts of a candidate's sentence its evidence must
// show: its subject, its object and its trigger word.
func candidateSpans(d *Doc, sent int, c *Candidate) []schema.Span {
	var out []schema.Span
	for _, m := range []*Mention{c.Subj, c.Obj} {
		if m != nil {
			out = append(out, m.Span)
		}
	}
	if toks := d.Sents[sent].Tokens; c.Trigger >= 0 && c.Trigger < len(toks) {
		out = append(out, schema.Span{Start: toks[c.Trigger].Start, End: toks[c.Trigger].End})
	}
	return out
}

// capAllEvidence caps the evidence of facts made without a candidate
// (roleFacts): they keep the start of their sentence.
func capAllEvidence(text string, facts []schema.Fact) {
	for i := range facts {
		capEvidence(text, &facts[i].Evidence)
	}
}
