package graph_test

import (
	"context"
	"fmt"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/schema"
)

func Example() {
	ctx := context.Background()
	// A directory path (or "bolt:DIR") gives the embedded bbolt store.
	s, err := graph.Open(ctx, "memstore:", graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	nk := schema.EntityRef{ID: "Q423", Name: "Corée du Nord", Type: schema.Country}
	jp := schema.EntityRef{ID: "Q17", Name: "Japon", Type: schema.Country}
	a := schema.Article{ID: "afp-1", Text: "…", Date: "2024-01-10", Lang: "fr"}
	changed, err := s.PutArticle(ctx, a,
		[]schema.Entity{{EntityRef: nk, Aliases: []string{"RPDC"}}, {EntityRef: jp}},
		[]schema.Fact{{Subject: nk, Relation: "threatens", Event: "THREATEN", Object: jp,
			Date: "2024-01-10", Modality: schema.Asserted, Confidence: 0.8}})
	fmt.Println(changed, err)
	changed, err = s.PutArticle(ctx, a, nil, nil) // same hash: skipped
	fmt.Println(changed, err)

	refs, _ := s.FindEntities(ctx, "rpdc")
	fmt.Println(refs[0].ID, refs[0].Name)
	facts, _ := s.Facts(ctx, graph.FactFilter{Subjects: []string{"Q423"}, Since: "2024-01"})
	for _, f := range facts {
		fmt.Println(f.Doc, f.Subject.ID, f.Relation, f.Object.ID, f.Date)
	}
	g, truncated, _ := s.Neighbors(ctx, "Q17", 1, 0)
	fmt.Println(len(g.Nodes), len(g.Edges), truncated)
	// Output:
	// true <nil>
	// false <nil>
	// Q423 Corée du Nord
	// afp-1 Q423 threatens Q17 2024-01-10
	// 2 1 false
}
