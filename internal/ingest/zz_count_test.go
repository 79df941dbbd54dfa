package ingest

import (
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/kg-news/kg/schema"
)

type countAnn struct {
	n, parsed int
	a         Annotator
	why       map[string]int
}

func TestZZCountParse(t *testing.T) {
	x := newTestExtractor(t)
	tr := x.Relations.(*TokenRules)
	for _, lang := range []string{"en", "fr"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "*."+lang+".jsonl"))
		var arts []schema.Article
		Walk(files, nil, ReadOptions{}, func(a schema.Article) error { arts = append(arts, a); return nil }, func(error) {})
		total, need := 0, 0
		words := map[string]int{}
		for _, a := range arts {
			d := &Doc{Article: a, Gaz: x.Gaz, Entities: map[string]*schema.Entity{}, demonymWords: x.demonyms}
			d.Sents = x.Segmenter.Segment(a.Text, a.Lang)
			d.Mentions = make([][]Mention, len(d.Sents))
			for i := range d.Sents {
				d.Mentions[i] = x.Mentions.Mentions(d, i)
			}
			x.Resolver.Resolve(d)
			x.Sectors.Resolve(d)
			for i := range d.Sents {
				total++
				if tr.NeedsParse(d, i) {
					need++
					for k, f := range d.Folded(i) {
						if len(tr.Lex.byForm[a.Lang+"\x00"+f]) > 0 {
							ts, _ := tr.Lex.Match(a.Lang, d.Sents[i].Tokens, k)
							if len(ts) == 0 {
								words["NOMATCH:"+f]++
							} else {
								words[f]++
							}
						}
					}
				}
			}
		}
		fmt.Println(lang, "sentences", total, "parsed", need)
		type kv struct {
			k string
			v int
		}
		var l []kv
		for k, v := range words {
			l = append(l, kv{k, v})
		}
		sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
		for i := 0; i < 40 && i < len(l); i++ {
			fmt.Print(l[i].k, ":", l[i].v, " ")
		}
		fmt.Println()
	}
}
