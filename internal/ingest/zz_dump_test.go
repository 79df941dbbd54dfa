package ingest

import (
	"fmt"
	"os"
	"testing"

	"github.com/kg-news/kg/schema"
)

func TestZZDump(t *testing.T) {
	path := os.Getenv("ZZ_FILE")
	if path == "" {
		t.Skip()
	}
	x := newTestExtractor(t)
	//

	Walk([]string{path}, nil, ReadOptions{}, func(a schema.Article) error {
		d := prepareDoc(x, a)
		fmt.Println("dominant:", d.dominant())
		for si := range d.Sents {
			fmt.Printf("S%d:", si)
			for _, m := range d.Mentions[si] {
				fmt.Printf(" [%s|%s|%s|c=%s]", a.Text[m.Span.Start:m.Span.End], m.Entity.ID, m.Kind, m.Country)
			}
			fmt.Println()
		}
		return nil
	}, func(error) {})
}
