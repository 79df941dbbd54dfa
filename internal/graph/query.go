package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// hop is one direct edge seen from an entity: to the other end, by which
// relation, and whether the entity is the edge's subject (out) or object.
type hop struct {
	to, rel string
	out     bool
}

// relationOf returns the relation name of a direct-edge predicate, or ""
// for attributes and foreign predicates.
func relationOf(p quad.Value) string {
	iri, ok := p.(quad.IRI)
	if !ok || attributes[iri] {
		return ""
	}
	rel, ok := strings.CutPrefix(string(iri), schema.VocabBase)
	if !ok {
		return ""
	}
	return rel
}

// adjacent lists the direct edges of an entity in both directions, once
// each however many articles state them, sorted for stable traversal.
// Callers hold mu.
func (s *Store) adjacent(ctx context.Context, id string) ([]hop, error) {
	node := quad.IRI(schema.EntityIRI(id))
	notAttr, _, err := s.predicates(true, attributeList...)
	if err != nil {
		return nil, err
	}
	seen := map[hop]bool{}
	var out []hop
	for _, dir := range []quad.Direction{quad.Subject, quad.Object} {
		other := quad.Object
		if dir == quad.Object {
			other = quad.Subject
		}
		err := s.scan(ctx, dir, node, notAttr, func(r graph.Ref) error {
			_, p, err := s.end(r, quad.Predicate)
			if err != nil {
				return err
			}
			rel := relationOf(p)
			if rel == "" {
				return nil
			}
			_, o, err := s.end(r, other)
			if err != nil {
				return err
			}
			to := entityID(o)
			if to == "" {
				return nil
			}
			h := hop{to: to, rel: rel, out: dir == quad.Subject}
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sortHops(out)
	return out, nil
}

// sortHops orders hops by the entity they reach, then relation, outgoing
// first, so traversals (and where a cap cuts them) are reproducible.
func sortHops(hs []hop) {
	sort.Slice(hs, func(i, j int) bool {
		a, b := hs[i], hs[j]
		if a.to != b.to {
			return a.to < b.to
		}
		if a.rel != b.rel {
			return a.rel < b.rel
		}
		return a.out && !b.out
	})
}

// traverser is what Neighbors and Path read: the quad store (quadReader)
// or, on bbolt stores, the read view (viewReader), which must answer the
// same.
type traverser interface {
	// exists reports whether an entity is stored.
	exists(ctx context.Context, id string) (bool, error)
	// adjacent lists an entity's direct edges, sorted by sortHops.
	adjacent(ctx context.Context, id string) ([]hop, error)
	// between returns the facts whose subject is one of ids and whose
	// object is in in, sorted by sortFacts.
	between(ctx context.Context, ids []string, in map[string]bool) ([]schema.Fact, error)
	// edgeFact returns the first fact (in sortFacts order) backing a
	// direct edge.
	edgeFact(ctx context.Context, subj, rel, obj string) (schema.Fact, bool, error)
	// node returns an entity's attributes.
	node(ctx context.Context, id string) (schema.Entity, error)
}

// quadReader reads through Cayley's quad indexes.
type quadReader struct {
	s     *Store
	names map[any]quad.Value
}

func (r *quadReader) exists(ctx context.Context, id string) (bool, error) { return r.s.exists(ctx, id) }

func (r *quadReader) adjacent(ctx context.Context, id string) ([]hop, error) {
	return r.s.adjacent(ctx, id)
}

func (r *quadReader) between(ctx context.Context, ids []string, in map[string]bool) ([]schema.Fact, error) {
	// both ends in the selection: the index sets intersect before any fact
	// node is read, so a hub's facts with outside entities cost nothing
	facts, err := r.s.facts(ctx, FactFilter{Subjects: ids, Objects: ids})
	if err != nil {
		return nil, err
	}
	kept := facts[:0]
	for _, f := range facts {
		if in[f.Object.ID] && in[f.Subject.ID] {
			kept = append(kept, f)
		}
	}
	return kept, nil
}

func (r *quadReader) edgeFact(ctx context.Context, subj, rel, obj string) (schema.Fact, bool, error) {
	facts, err := r.s.facts(ctx, FactFilter{Relations: []string{rel}, Subjects: []string{subj}, Objects: []string{obj}, Limit: 1})
	if err != nil || len(facts) == 0 {
		return schema.Fact{}, false, err
	}
	return facts[0], true, nil
}

func (r *quadReader) node(ctx context.Context, id string) (schema.Entity, error) {
	if r.names == nil {
		r.names = map[any]quad.Value{}
	}
	e, err := r.s.entityAttrs(ctx, quad.IRI(schema.EntityIRI(id)), r.names)
	return e.Entity, err
}

// reader returns the read view when it is current, else the quad reader;
// done must be called when the read is over. Callers hold mu.
func (s *Store) reader() (t traverser, done func(), err error) {
	tx, vr, ok, err := s.viewTx()
	if err != nil {
		return nil, nil, err
	}
	if ok {
		return vr, func() { tx.Rollback() }, nil
	}
	return &quadReader{s: s}, func() {}, nil
}

// exists reports whether an entity is stored: it has an rdf:type kg:Entity
// quad. A node reference alone is not enough, since Cayley leaks reference
// counts and can keep nodes whose quads are all deleted.
func (s *Store) exists(ctx context.Context, id string) (bool, error) {
	types, err := s.out(ctx, quad.IRI(schema.EntityIRI(id)), rdfType)
	for _, t := range types {
		if t == classEntity {
			return true, err
		}
	}
	return false, err
}

// graphOf builds a Graph from an ordered node list and the facts whose
// both ends are in it. Callers hold mu.
func (s *Store) graphOf(ctx context.Context, ids []string, facts []schema.Fact) (schema.Graph, error) {
	g := schema.Graph{Nodes: make([]schema.Entity, 0, len(ids)), Edges: facts}
	if g.Edges == nil {
		g.Edges = []schema.Fact{}
	}
	r, done, err := s.reader()
	if err != nil {
		return g, err
	}
	defer done()
	g.Nodes, err = nodesOf(ctx, r, ids)
	return g, err
}

// Neighbors returns the subgraph within depth hops of the entity, following
// direct edges in either direction: the nodes (the entity first, then by
// distance and id) and every fact between two of them. maxNodes caps the
// node count (0 = no cap); truncated reports that nodes were left out. An
// unknown entity gives an empty graph.
func (s *Store) Neighbors(ctx context.Context, id string, depth, maxNodes int) (g schema.Graph, truncated bool, err error) {
	err = s.read(func() error {
		g, truncated, err = s.neighborsOf(ctx, id, depth, maxNodes)
		return err
	})
	return g, truncated, err
}

// neighborsOf is Neighbors for callers inside Store.read or Store.write.
func (s *Store) neighborsOf(ctx context.Context, id string, depth, maxNodes int) (g schema.Graph, truncated bool, err error) {
	r, done, err := s.reader()
	if err != nil {
		return g, false, err
	}
	defer done()
	return neighbors(ctx, r, id, depth, maxNodes)
}

// neighbors is Neighbors over either reader.
func neighbors(ctx context.Context, r traverser, id string, depth, maxNodes int) (g schema.Graph, truncated bool, err error) {
	g = schema.Graph{Nodes: []schema.Entity{}, Edges: []schema.Fact{}}
	if ok, err := r.exists(ctx, id); err != nil || !ok {
		return g, false, err
	}
	ids := []string{id}
	in := map[string]bool{id: true}
	frontier := []string{id}
	for d := 0; d < depth && len(frontier) > 0; d++ {
		var next []string
		for _, n := range frontier {
			hops, err := r.adjacent(ctx, n)
			if err != nil {
				return g, false, err
			}
			for _, h := range hops {
				if in[h.to] {
					continue
				}
				if maxNodes > 0 && len(ids) >= maxNodes {
					truncated = true
					continue
				}
				in[h.to] = true
				ids = append(ids, h.to)
				next = append(next, h.to)
			}
		}
		sort.Strings(next)
		frontier = next
	}
	facts, err := r.between(ctx, ids, in)
	if err != nil {
		return g, false, err
	}
	if len(facts) > 0 {
		g.Edges = facts
	}
	g.Nodes, err = nodesOf(ctx, r, ids)
	return g, truncated, err
}

// nodesOf reads the entities of ids, in that order.
func nodesOf(ctx context.Context, r traverser, ids []string) ([]schema.Entity, error) {
	nodes := make([]schema.Entity, 0, len(ids))
	for _, id := range ids {
		e, err := r.node(ctx, id)
		if err != nil {
			return nodes, err
		}
		nodes = append(nodes, e)
	}
	return nodes, nil
}

// Subgraph returns the facts matching f and the entities at their ends. An
// empty filter returns the whole graph, including entities without facts.
func (s *Store) Subgraph(ctx context.Context, f FactFilter) (g schema.Graph, err error) {
	err = s.read(func() error {
		g, err = s.subgraph(ctx, f)
		return err
	})
	return g, err
}

// subgraph is Subgraph for callers inside Store.read or Store.write.
func (s *Store) subgraph(ctx context.Context, f FactFilter) (schema.Graph, error) {
	facts, err := s.facts(ctx, f)
	if err != nil {
		return schema.Graph{}, err
	}
	seen := map[string]bool{}
	var ids []string
	if f.empty() {
		nodes, err := s.in(ctx, []quad.IRI{rdfType}, classEntity)
		if err != nil {
			return schema.Graph{}, err
		}
		for _, n := range nodes {
			if id := entityID(n); id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	for _, fa := range facts {
		for _, id := range []string{fa.Subject.ID, fa.Object.ID} {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	return s.graphOf(ctx, ids, facts)
}

// DefaultPathDepth is the hop limit Path uses when maxDepth <= 0.
const DefaultPathDepth = 6

// Path returns a shortest chain of facts linking a to b, following direct
// edges in either direction, up to maxDepth hops (DefaultPathDepth if
// maxDepth <= 0). Each hop is backed by one fact (the first in Facts
// order); a fact's direction may run against the chain. The result is
// empty if there is no such chain or a == b.
func (s *Store) Path(ctx context.Context, a, b string, maxDepth int) (chain []schema.Fact, err error) {
	err = s.read(func() error {
		chain, err = s.path(ctx, a, b, maxDepth)
		return err
	})
	return chain, err
}

// path is Path for callers inside Store.read or Store.write.
func (s *Store) path(ctx context.Context, a, b string, maxDepth int) ([]schema.Fact, error) {
	if maxDepth <= 0 {
		maxDepth = DefaultPathDepth
	}
	if a == b {
		return nil, nil
	}
	r, done, err := s.reader()
	if err != nil {
		return nil, err
	}
	defer done()
	type step struct {
		from string
		h    hop
	}
	parent := map[string]step{a: {}}
	frontier := []string{a}
	found := false
	for d := 0; d < maxDepth && len(frontier) > 0 && !found; d++ {
		var next []string
		for _, n := range frontier {
			hops, err := r.adjacent(ctx, n)
			if err != nil {
				return nil, err
			}
			for _, h := range hops {
				if _, ok := parent[h.to]; ok {
					continue
				}
				parent[h.to] = step{from: n, h: h}
				next = append(next, h.to)
				if h.to == b {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		frontier = next
	}
	if !found {
		return nil, nil
	}
	var chain []schema.Fact
	for n := b; n != a; n = parent[n].from {
		st := parent[n]
		subj, obj := st.from, n
		if !st.h.out {
			subj, obj = n, st.from
		}
		f, ok, err := r.edgeFact(ctx, subj, st.h.rel, obj)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("graph: edge %s %s %s has no backing fact", subj, st.h.rel, obj)
		}
		chain = append(chain, f)
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, nil
}
