package ingest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kg-news/kg/schema"
)

// TestCapEvidence: a long evidence span shrinks to at most
// MaxEvidenceBytes around what it must keep, on character (and, near
// them, word) boundaries, and stays text[Start:End] exactly.
func TestCapEvidence(t *testing.T) {
	long := strings.Repeat("mot ", 600)        // 2,400 bytes of words
	accents := strings.Repeat("é", 1500)       // 3,000 bytes, two per character, no spaces
	word := strings.Repeat("x", 5000)          // one long word
	subject := "La Russie a attaqué l'Ukraine" // what the fact is about
	cases := []struct {
		name, text string
		keep       string // a part of text the window must hold ("" = none)
	}{
		{"short sentence untouched", "Russia attacked Ukraine.", "Ukraine"},
		{"words, kept span at the end", long + subject + ".", subject},
		{"words, kept span at the start", subject + " " + long + ".", subject},
		{"kept span in the middle", long + subject + " " + long, subject},
		{"multibyte without spaces", accents + subject + accents, subject},
		{"one long word", subject + " " + word + " fin.", subject},
		{"nothing to keep", long, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := "Avant. " + c.text + " Après."
			ev := schema.Evidence{Span: schema.Span{Start: len("Avant. "), End: len("Avant. ") + len(c.text)}}
			ev.Sentence = text[ev.Start:ev.End]
			var keep []schema.Span
			if c.keep != "" {
				i := strings.Index(text, c.keep)
				keep = append(keep, schema.Span{Start: i, End: i + len(c.keep)})
			}
			orig := ev
			capEvidence(text, &ev, keep...)
			if ev.Sentence != text[ev.Start:ev.End] {
				t.Fatalf("sentence %q is not text[%d:%d]", ev.Sentence, ev.Start, ev.End)
			}
			if len(ev.Sentence) > MaxEvidenceBytes || !utf8.ValidString(ev.Sentence) {
				t.Errorf("capped sentence: %d bytes, valid UTF-8 %v", len(ev.Sentence), utf8.ValidString(ev.Sentence))
			}
			if ev.Start < orig.Start || ev.End > orig.End {
				t.Errorf("window [%d:%d] leaves the sentence [%d:%d]", ev.Start, ev.End, orig.Start, orig.End)
			}
			if len(orig.Sentence) <= MaxEvidenceBytes && ev != orig {
				t.Errorf("a short sentence changed: %+v", ev)
			}
			if len(orig.Sentence) > MaxEvidenceBytes && len(ev.Sentence) < MaxEvidenceBytes-2*wordSnap-4 {
				t.Errorf("capped to %d bytes, far below the cap", len(ev.Sentence))
			}
			for _, k := range keep {
				if k.Start < ev.Start || k.End > ev.End {
					t.Errorf("the kept span %q is cut: window [%d:%d], span [%d:%d]", text[k.Start:k.End], ev.Start, ev.End, k.Start, k.End)
				}
			}
		})
	}
}

// TestEvidenceCappedEndToEnd extracts an article whose sentence holds a
// 5 MB "word" (the case: a 5 MB evidence sentence on each fact,
// the store doubled): the fact comes out with evidence of at most
// MaxEvidenceBytes that still shows who did what to whom, at its exact
// offsets.
func TestEvidenceCappedEndToEnd(t *testing.T) {
	x := newTestExtractor(t)
	junk := strings.Repeat("z", 5<<20)
	text := "Russia attacked Ukraine on 3 March 2022 " + junk + " according to officials.\nFrance condemned Russia on 4 March 2022."
	start := time.Now()
	res, err := x.Extract(schema.Article{ID: "big", Lang: "en", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("extracted %d facts in %v", len(res.Facts), time.Since(start).Round(time.Millisecond))
	found := false
	for _, f := range res.Facts {
		ev := f.Evidence
		if len(ev.Sentence) > MaxEvidenceBytes {
			t.Errorf("%s: evidence of %d bytes", f.Key(), len(ev.Sentence))
		}
		if ev.Start < 0 || ev.End > len(text) || text[ev.Start:ev.End] != ev.Sentence {
			t.Errorf("%s: evidence is not text[%d:%d]", f.Key(), ev.Start, ev.End)
		}
		if f.Relation == "attacks" && strings.HasPrefix(ev.Sentence, "Russia attacked Ukraine") {
			found = true
		}
	}
	if !found {
		t.Errorf("no attacks fact with its words in the evidence: %+v", res.Facts)
	}
}
