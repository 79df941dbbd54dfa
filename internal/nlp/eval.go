package nlp

import (
	"fmt"
	"os"
	"strings"
)

// Scores are percentages over all words, punctuation included, as in the
// CoNLL 2018 shared task evaluation; LAS compares universal relation
// labels only (subtypes such as obl:agent count as obl).
type Scores struct {
	UPOS, UAS, LAS float64
	Tokens         int
}

// String formats scores as "UPOS 95.12 UAS 85.60 LAS 82.10 tokens 25096".
func (s Scores) String() string {
	return fmt.Sprintf("UPOS %.2f UAS %.2f LAS %.2f tokens %d", s.UPOS, s.UAS, s.LAS, s.Tokens)
}

// Evaluate annotates copies of the gold sentences (gold tokenization, only
// the word forms are kept) and scores them against gold.
func Evaluate(m *Model, gold []Sentence) Scores {
	var n, pos, ua, la int
	for _, g := range gold {
		s := Sentence{Start: g.Start, End: g.End, Tokens: make([]Token, len(g.Tokens))}
		for i, t := range g.Tokens {
			s.Tokens[i] = Token{Text: t.Text, Start: t.Start, End: t.End, Head: -1}
		}
		m.Annotate(&s)
		for i, t := range s.Tokens {
			gt := g.Tokens[i]
			n++
			if t.UPOS == gt.UPOS {
				pos++
			}
			if t.Head == gt.Head {
				ua++
				if univ(t.Dep) == univ(gt.Dep) {
					la++
				}
			}
		}
	}
	if n == 0 {
		return Scores{}
	}
	f := 100 / float64(n)
	return Scores{UPOS: float64(pos) * f, UAS: float64(ua) * f, LAS: float64(la) * f, Tokens: n}
}

func univ(dep string) string {
	if i := strings.IndexByte(dep, ':'); i >= 0 {
		return dep[:i]
	}
	return dep
}

// EvalFile reads a CoNLL-U file and evaluates m on it with gold tokenization.
func EvalFile(m *Model, path string) (Scores, error) {
	f, err := os.Open(path)
	if err != nil {
		return Scores{}, err
	}
	defer f.Close()
	gold, err := ReadCoNLLU(f)
	if err != nil {
		return Scores{}, fmt.Errorf("%s: %w", path, err)
	}
	return Evaluate(m, gold), nil
}
