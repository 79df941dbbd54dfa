package ingest

import (
	"fmt"
	"os"
	"testing"

	"github.com/kg-news/kg/schema"
)

func TestZZDbg(t *testing.T) {
	text := os.Getenv("ZZ_TEXT")
	if text == "" {
		t.Skip()
	}
	x := newTestExtractor(t)
	a := schema.Article{ID: "x", Lang: os.Getenv("ZZ_LANG"), Text: text}
	d := prepareDoc(x, a)
	tr := x.Relations.(*TokenRules)
	for si := range d.Sents {
		for _, m := range d.Mentions[si] {
			fmt.Printf(" [%s|%s|%s|c=%s %d-%d]", a.Text[m.Span.Start:m.Span.End], m.Entity.ID, m.Kind, m.Country, m.From, m.To)
		}
		fmt.Println()
		for i, tk := range d.Sents[si].Tokens {
			ts, _ := tr.Lex.Match(a.Lang, d.Sents[si].Tokens, i)
			for _, tt := range ts {
				fmt.Printf("  %d %s: %s %s noun=%v %s:%d\n", i, tk.Text, tt.Relation, tt.Prep, tt.Noun, tt.File, tt.Line)
			}
		}
	}
}

func TestZZRel(t *testing.T) {
	text := os.Getenv("ZZ_TEXT")
	if text == "" {
		t.Skip()
	}
	x := newTestExtractor(t)
	res, _ := x.Extract(schema.Article{ID: "x", Lang: os.Getenv("ZZ_LANG"), Text: text})
	for _, f := range res.Facts {
		fmt.Println(f.Subject.ID, f.Relation, f.Object.ID, f.Modality, f.Path)
	}
}
