package render

import (
	"fmt"

	"github.com/kg-news/kg/schema"
)

func ent(id, name, typ string) schema.Entity {
	return schema.Entity{EntityRef: schema.EntityRef{ID: id, Name: name, Type: typ}}
}

func fact(doc string, s, o schema.Entity, rel, event, date string, mod schema.Modality, sent string) schema.Fact {
	return schema.Fact{Doc: doc, Subject: s.EntityRef, Object: o.EntityRef, Relation: rel, Event: event,
		Date: date, Modality: mod, Confidence: 0.9, Evidence: schema.Evidence{Sentence: sent}}
}

// testGraph is a small news graph: countries, an organization, a document,
// condemns/supplies/signs edges, one negated and one hypothetical fact.
func testGraph() schema.Graph {
	fr := ent("Q142", "France", "country")
	kp := ent("Q423", "Corée du Nord", "country")
	ru := ent("Q159", "Russie", "country")
	us := ent("Q30", "États-Unis", "country")
	un := ent("Q37470", "Conseil de sécurité des Nations unies", "organization/igo")
	kim := ent("person/kim-jong-un", "Kim Jong-un", "person")
	res := ent("document/resolution-2397", "Résolution 2397", "document/resolution")
	g := schema.Graph{Nodes: []schema.Entity{fr, kp, ru, us, un, kim, res}}
	g.Edges = []schema.Fact{
		fact("afp-2024-01-15", fr, kp, "condemns", "ACCUSE", "2024-01-15", schema.Asserted, "La France condamne fermement le tir de missile balistique de la Corée du Nord."),
		fact("lemonde-2024-02-02", fr, kp, "condemns", "ACCUSE", "2024-02-02", schema.Asserted, "Paris a de nouveau condamné les essais nord-coréens."),
		fact("reuters-2024-03-01", us, kp, "condemns", "ACCUSE", "2024-03-01", schema.Asserted, "The United States condemned the launch."),
		fact("afp-2024-01-20", kp, ru, "supplies", "AID", "2024-01-20", schema.Asserted, "Pyongyang livre des missiles balistiques à Moscou."),
		fact("afp-2024-01-21", ru, kp, "supplies", "AID", "2024-01-21", schema.Negated, "Moscou dément avoir livré du pétrole à Pyongyang."),
		fact("afp-2024-04-02", us, kp, "sanctions", "SANCTION", "", schema.Hypothetical, "Washington pourrait imposer de nouvelles sanctions."),
		fact("un-2017-12-22", fr, res, "signs", "", "2017-12-22", schema.Asserted, "La France a voté la résolution 2397."),
		fact("un-2017-12-22", un, res, "adopts", "", "2017-12-22", schema.Asserted, "Le Conseil de sécurité a adopté à l'unanimité la résolution 2397."),
		fact("afp-2024-01-20", kp, res, "violates", "", "2024-01-20", schema.Asserted, "Ces livraisons violent la résolution 2397."),
		fact("kcna-2024-01-10", kim, kp, "leader_of", "", "", schema.Asserted, "Kim Jong-un dirige la Corée du Nord."),
		fact("kcna-2024-01-11", kim, ru, "visits", "CONSULT", "2023-09-13", schema.Asserted, "Kim Jong-un s'est rendu en Russie."),
	}
	return g
}

// bigGraph is a synthetic graph of n entities and about 1.5 n facts, shaped
// like a news selection: a few hubs and many leaves.
func bigGraph(n int) schema.Graph {
	types := []string{"country", "organization", "person", "document", "group", "location"}
	rels := []struct{ rel, ev string }{{"condemns", "ACCUSE"}, {"supplies", "AID"}, {"meets", "CONSULT"}, {"sanctions", "SANCTION"}, {"signs", ""}, {"attacks", "ASSAULT"}}
	var g schema.Graph
	for i := 0; i < n; i++ {
		g.Nodes = append(g.Nodes, ent(fmt.Sprintf("Q%d", 1000+i), fmt.Sprintf("Entity number %d", i), types[i%len(types)]))
	}
	seed := uint32(42)
	rnd := func(k int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % k }
	for i := 0; i < n*3/2; i++ {
		s := g.Nodes[rnd(n)]
		o := g.Nodes[rnd(n)]
		if i%3 == 0 {
			o = g.Nodes[rnd(8)] // hubs
		}
		r := rels[rnd(len(rels))]
		g.Edges = append(g.Edges, fact(fmt.Sprintf("doc-%d", i), s, o, r.rel, r.ev, fmt.Sprintf("2024-%02d-%02d", 1+rnd(12), 1+rnd(28)), schema.Asserted, "Some evidence sentence for this fact."))
	}
	return g
}
