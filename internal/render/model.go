package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kg-news/kg/schema"
)

// model is the graph as it will be drawn: entities deduplicated, facts
// merged into one edge per (subject, relation, object, modality). It is
// built in pure Go before any Graphviz call, so the size check and the
// merging cost nothing when the graph is refused.
type model struct {
	nodes []*mnode
	edges []*medge
	byID  map[string]int
}

type mnode struct {
	schema.Entity
	name string // Graphviz's internal name: "n0", "n1"... never user text
}

type medge struct {
	from, to int
	relation string
	event    string
	modality schema.Modality
	facts    []schema.Fact
}

// buildModel merges g into a model. Entities only named by a fact (not in
// g.Nodes) are added from the fact's reference, so an edge never points at a
// node Graphviz would invent with an empty label.
func buildModel(g schema.Graph) *model {
	m := &model{byID: map[string]int{}}
	add := func(e schema.Entity) int {
		if i, ok := m.byID[e.ID]; ok {
			n := m.nodes[i]
			if n.Name == "" {
				n.Name = e.Name
			}
			if n.Type == "" {
				n.Type = e.Type
			}
			return i
		}
		i := len(m.nodes)
		m.byID[e.ID] = i
		m.nodes = append(m.nodes, &mnode{Entity: e, name: fmt.Sprintf("n%d", i)})
		return i
	}
	for _, e := range g.Nodes {
		add(e)
	}
	type key struct {
		from, to int
		rel      string
		mod      schema.Modality
	}
	idx := map[key]int{}
	for _, f := range g.Edges {
		s := add(schema.Entity{EntityRef: f.Subject})
		o := add(schema.Entity{EntityRef: f.Object})
		mod := f.Modality
		if mod == "" {
			mod = schema.Asserted
		}
		// Modality is part of the key: "X attacks Y" and "X denies attacking
		// Y" must stay two visibly different edges.
		k := key{s, o, f.Relation, mod}
		if i, ok := idx[k]; ok {
			m.edges[i].facts = append(m.edges[i].facts, f)
			continue
		}
		idx[k] = len(m.edges)
		m.edges = append(m.edges, &medge{from: s, to: o, relation: f.Relation, event: f.Event, modality: mod, facts: []schema.Fact{f}})
	}
	return m
}

// nodeLabel is the entity's name, plus its id on a second line when it is a
// Wikidata id, so two entities with the same name can be told apart.
func nodeLabel(e schema.Entity) string {
	lines := nodeLabelLines(e)
	for i, l := range lines {
		lines[i] = dotText(l)
	}
	// Graphviz's own line-break escape: a QID is [Q0-9]+, so nothing quoted
	// follows it (see dotValue).
	return strings.Join(lines, `\n`)
}

// nodeTooltip describes the entity in full (the label may be truncated).
func nodeTooltip(e schema.Entity) string {
	lines := []string{clean(e.Name, 200)}
	t := clean(e.Type, 60)
	if t == "" {
		t = "entity"
	}
	lines = append(lines, t+" · "+clean(e.ID, 120))
	if e.Role != "" {
		lines = append(lines, "role: "+clean(e.Role, 120))
	}
	if e.Country != "" {
		lines = append(lines, "country: "+clean(e.Country, 120))
	}
	if len(e.Aliases) > 0 {
		var as []string
		for _, a := range e.Aliases {
			if len(as) == 8 {
				as = append(as, "…")
				break
			}
			as = append(as, clean(a, 60))
		}
		lines = append(lines, "aliases: "+strings.Join(as, ", "))
	}
	return tooltipLines(lines)
}

// tooltipLines joins lines for a Graphviz tooltip with real newlines, which
// Graphviz writes as &#10; in xlink:title. Graphviz's `\n` escape would work
// too, but every backslash in a value is one more case for its DOT writer's
// quote handling (see dotText) to get wrong.
func tooltipLines(lines []string) string {
	for i, l := range lines {
		l = tipText(l)
		if strings.HasSuffix(l, `\`) {
			// A backslash before a newline is a line continuation in DOT.
			l += " "
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// edgeLabel is the relation, "not …" for a negated fact, "?" suffix for a
// hypothetical one, and "×N" when N facts were merged.
func (e *medge) label() string {
	l := clean(e.relation, 40)
	if l == "" {
		l = "related to"
	}
	switch e.modality {
	case schema.Negated:
		l = "not " + l
	case schema.Hypothetical:
		l += "?"
	}
	if n := len(e.facts); n > 1 {
		l += fmt.Sprintf(" ×%d", n)
	}
	return dotText(l)
}

// tooltip lists the evidence of the merged facts: date, article id and the
// sentence, newest first, capped at maxTooltip sentences so a hub edge does
// not produce a megabyte of SVG.
func (e *medge) tooltip(m *model) string {
	facts := append([]schema.Fact(nil), e.facts...)
	sort.SliceStable(facts, func(i, j int) bool { return facts[i].Date > facts[j].Date })
	s, o := m.nodes[e.from], m.nodes[e.to]
	head := clean(s.Name, 60) + " " + clean(e.relation, 40) + " " + clean(o.Name, 60)
	switch e.modality {
	case schema.Negated:
		head += " (negated)"
	case schema.Hypothetical:
		head += " (hypothetical)"
	}
	if ev := clean(e.event, 20); ev != "" {
		head += " [" + ev + "]"
	}
	lines := []string{head}
	seen := map[string]bool{}
	shown := 0
	for _, f := range facts {
		sent := clean(f.Evidence.Sentence, maxSentence)
		k := f.Doc + "\x00" + sent
		if seen[k] {
			continue
		}
		seen[k] = true
		if shown == maxTooltip {
			lines = append(lines, fmt.Sprintf("… and %d more", len(facts)-shown))
			break
		}
		shown++
		d, by := f.When("")
		date := clean(d, 20)
		switch {
		case date == "":
			date = "undated"
		case by == schema.ByPublished:
			date += " (published)" // the text gives no event date
		}
		meta := date + " · " + clean(f.Doc, 80)
		if f.Speaker != "" {
			meta += " · according to " + clean(f.Speaker, 60)
		}
		if f.Instrument != "" {
			meta += " · with " + clean(f.Instrument, 60)
		}
		lines = append(lines, meta)
		if sent != "" {
			lines = append(lines, "“"+sent+"”")
		}
	}
	return tooltipLines(lines)
}
