package nlp

import (
	"fmt"
	"testing"
)

func TestTmpGoldTags(t *testing.T) {
	m, _ := LoadModel("en")
	gold := loadGold(t, "en_ewt-ud-dev.conllu", 0)
	n, ua := 0, 0
	for _, g := range gold {
		tags := make([]string, len(g.Tokens))
		for i, tk := range g.Tokens {
			tags[i] = tk.UPOS
		}
		pt := ptoks(g, tags, m.tagdict)
		heads := parseGreedy(m.system, m.parser, pt, len(g.Tokens))
		for i, tk := range g.Tokens {
			n++
			if heads[i+1]-1 == tk.Head {
				ua++
			}
		}
	}
	fmt.Printf("gold-tag UAS %.2f\n", 100*float64(ua)/float64(n))
}
