package nlp

import (
	"fmt"
	"sort"
	"testing"
)

func top(m map[string]int, n int) {
	type kv struct {
		k string
		v int
	}
	var l []kv
	for k, v := range m {
		l = append(l, kv{k, v})
	}
	sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
	for i, e := range l {
		if i >= n {
			break
		}
		fmt.Println(" ", e.k, e.v)
	}
}

func TestTmpConf(t *testing.T) {
	m, _ := LoadModel("en")
	gold := loadGold(t, "en_ewt-ud-dev.conllu", 0)
	lab := map[string]int{}
	att := map[string]int{}
	for _, g := range gold {
		s := Sentence{Tokens: make([]Token, len(g.Tokens))}
		for i, tk := range g.Tokens {
			s.Tokens[i].Text = tk.Text
		}
		m.Annotate(&s)
		for i, tk := range s.Tokens {
			gt := g.Tokens[i]
			if tk.Head == gt.Head {
				if univ(tk.Dep) != univ(gt.Dep) {
					lab[univ(gt.Dep)+"->"+univ(tk.Dep)]++
				}
			} else {
				att[univ(gt.Dep)]++
			}
		}
	}
	fmt.Println("label errors on correct heads:")
	top(lab, 25)
	fmt.Println("attachment errors by gold label:")
	top(att, 20)
}
