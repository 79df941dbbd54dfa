package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/internal/render"
	"github.com/kg-news/kg/schema"
	"github.com/spf13/cobra"
)

// addStoreCommands adds the commands that read or write the graph store.
func addStoreCommands(root *cobra.Command, ios *IOStreams, g *globalOpts) {
	root.AddCommand(
		newIngestCmd(ios, g),
		newImportCmd(ios, g),
		newFactsCmd(ios, g),
		newEntitiesCmd(ios, g),
		newNeighborsCmd(ios, g),
		newPathCmd(ios, g),
		newQueryCmd(ios, g),
		newRenderCmd(ios, g),
		newStatsCmd(ios, g),
		newExportCmd(ios, g),
		newServeCmd(ios, g),
		newCheckCmd(ios, g),
	)
}

// openStore opens the store for a command; readers open it read-only and
// without the Bloom filter, which only speeds up bulk writes.
func openStore(ctx context.Context, ios *IOStreams, g *globalOpts, write bool) (*graph.Store, error) {
	uri := g.storeURI(ios)
	if !write && !strings.Contains(uri, "://") && !strings.HasPrefix(uri, "mem") {
		p := strings.TrimPrefix(strings.TrimPrefix(uri, "bolt:"), "bbolt:")
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no graph store at %s: run 'kg ingest PATH' first, or pass --store", p)
		}
	}
	if write && !strings.Contains(uri, "://") && !strings.HasPrefix(uri, "mem") {
		p := strings.TrimPrefix(strings.TrimPrefix(uri, "bolt:"), "bbolt:")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
	}
	return graph.Open(ctx, uri, graph.Options{ReadOnly: !write, NoBloom: !write, Status: statusFunc(ios)})
}

// openReader opens the store read-only with an entity resolver, the
// start of every command that answers a question.
func openReader(ctx context.Context, ios *IOStreams, g *globalOpts) (*graph.Store, *entityResolver, error) {
	st, err := openStore(ctx, ios, g, false)
	if err != nil {
		return nil, nil, err
	}
	r, err := newEntityResolver(st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, r, nil
}

// selectGraph returns what a command was asked to draw or export: the
// neighbourhood of --entity to --depth, else the facts the filters select.
// focus is the entity's id, or "".
func selectGraph(ctx context.Context, st *graph.Store, r *entityResolver, entity string, depth int, ff *factFlags) (sg schema.Graph, focus string, err error) {
	if entity != "" {
		ids, err := r.resolve(ctx, entity)
		if err != nil {
			return sg, "", err
		}
		sg, _, err = neighborhood(ctx, st, r, ids[0], depth, 0)
		return sg, ids[0], err
	}
	filter, err := ff.filter(ctx, r)
	if err != nil {
		return sg, "", err
	}
	sg, err = st.Subgraph(ctx, filter)
	return sg, "", err
}

// neighborhood is the graph within depth hops of id and, for a country,
// of each of its sector actors (its police, army, ...), which are the
// country in PLOVER's coding.
func neighborhood(ctx context.Context, st *graph.Store, r *entityResolver, id string, depth, maxNodes int) (schema.Graph, bool, error) {
	ids, err := r.withSectors(ctx, &sectorIndex{}, []string{id})
	if err != nil {
		return schema.Graph{}, false, err
	}
	var out schema.Graph
	truncated := false
	nodes, edges := map[string]bool{}, map[string]bool{}
	for _, x := range ids {
		sg, tr, err := st.Neighbors(ctx, x, depth, maxNodes)
		if err != nil {
			return out, false, err
		}
		truncated = truncated || tr
		for _, n := range sg.Nodes {
			if !nodes[n.ID] {
				nodes[n.ID] = true
				out.Nodes = append(out.Nodes, n)
			}
		}
		for _, e := range sg.Edges {
			if k := e.Key() + "\x1f" + e.Evidence.Sentence; !edges[k] {
				edges[k] = true
				out.Edges = append(out.Edges, e)
			}
		}
	}
	return out, truncated, nil
}

// entityResolver turns what a user types ("Corée du Nord", "DPRK", "Q423",
// "Poutine") into entity ids: the store's names first, then the
// gazetteer's aliases in both languages. The gazetteer is loaded only when
// the store does not know the name: loading it costs more than most
// queries on a large store (~100 ms and ~100 MB).
type entityResolver struct {
	st    *graph.Store
	mu    sync.Mutex          // kg serve resolves concurrently
	alias map[string][]string // folded alias -> ids; nil until needed
}

func newEntityResolver(st *graph.Store) (*entityResolver, error) {
	return &entityResolver{st: st}, nil
}

// aliases returns the gazetteer's folded aliases, loading them once.
func (r *entityResolver) aliases() (map[string][]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.alias != nil {
		return r.alias, nil
	}
	gaz, err := schema.LoadGazetteer()
	if err != nil {
		return nil, err
	}
	alias := map[string][]string{}
	add := func(s, id string) {
		k := schema.Fold(s)
		for _, x := range alias[k] {
			if x == id {
				return
			}
		}
		alias[k] = append(alias[k], id)
	}
	for _, e := range gaz.Entries {
		add(e.NameEN, e.ID)
		add(e.NameFR, e.ID)
		for _, a := range e.Aliases {
			if a.Kind != schema.AliasDemonym {
				add(a.Text, e.ID)
			}
		}
	}
	r.alias = alias
	return alias, nil
}

// resolve returns the ids q names; an error with exitNotFound if none.
func (r *entityResolver) resolve(ctx context.Context, q string) ([]string, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, usageErr("empty entity name")
	}
	var ids []string
	refs, err := r.st.FindEntities(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, e := range refs {
		ids = appendUniqStr(ids, e.ID)
	}
	if len(ids) == 0 {
		alias, err := r.aliases()
		if err != nil {
			return nil, err
		}
		for _, id := range alias[schema.Fold(q)] {
			ids = appendUniqStr(ids, id)
		}
	}
	if len(ids) == 0 {
		if schema.IsQID(q) || strings.Contains(q, "/") {
			return []string{q}, nil
		}
		return nil, withCode(exitNotFound, fmt.Errorf("no entity named %q in the graph or the gazetteer (try 'kg entities')", q))
	}
	return ids, nil
}

func (r *entityResolver) resolveAll(ctx context.Context, qs []string) ([]string, error) {
	var out []string
	for _, q := range qs {
		ids, err := r.resolve(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	return out, nil
}

// sectorIndex maps a country's id to its stored sector actors' ids. It
// is built on first use and lives for one request (the store may change
// under a long-lived resolver, as in kg serve --writable), so a command
// that selects by subject and object lists the entities once.
type sectorIndex struct {
	byCountry map[string][]string
}

// withSectors adds to ids the stored sector actors of each country among
// them ("Israel" also selects "Israeli troops", sector/Q801/military), as
// PLOVER codes an actor by country and sector.
func (r *entityResolver) withSectors(ctx context.Context, idx *sectorIndex, ids []string) ([]string, error) {
	for _, id := range ids {
		if !schema.IsQID(id) {
			continue
		}
		if idx.byCountry == nil {
			ents, err := r.st.Entities(ctx)
			if err != nil {
				return nil, err
			}
			idx.byCountry = map[string][]string{}
			for _, e := range ents {
				if c := schema.SectorCountry(e.ID); c != "" {
					idx.byCountry[c] = append(idx.byCountry[c], e.ID)
				}
			}
		}
		for _, s := range idx.byCountry[id] {
			ids = appendUniqStr(ids, s)
		}
	}
	return ids, nil
}

func appendUniqStr(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

type factFlags struct {
	subjects, objects, relations, events, articles []string
	since, until, by                               string
	limit                                          int
	// countryOnly keeps a country named in --subject/--object to itself;
	// by default its sector actors (its police, army, ...) count too
	countryOnly bool
}

func (f *factFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringSliceVar(&f.subjects, "subject", nil, "subject entity: Wikidata id, name or alias in any language (repeatable)")
	fl.StringSliceVar(&f.objects, "object", nil, "object entity (repeatable)")
	fl.StringSliceVar(&f.relations, "relation", nil, "relation name, see 'kg schema' (repeatable)")
	fl.StringSliceVar(&f.events, "event", nil, "PLOVER event type: ACCUSE, AID, ... (repeatable)")
	fl.StringSliceVar(&f.articles, "article", nil, "article id; a corpus id selects each of its languages (repeatable)")
	fl.StringVar(&f.since, "since", "", "facts dated on or after YYYY[-MM[-DD]] (see --by)")
	fl.StringVar(&f.until, "until", "", "facts dated on or before YYYY[-MM[-DD]] (see --by)")
	fl.StringVar(&f.by, "by", "", "date facts by their event date (event) or their article's publication date (published); default: the event date, else the publication date")
	fl.IntVar(&f.limit, "limit", 0, "at most this many facts (0: all)")
	fl.BoolVar(&f.countryOnly, "country-only", false, "a country given to --subject or --object stands for itself only, not also for its sector actors (its police, army, government, ...)")
	_ = cmd.RegisterFlagCompletionFunc("relation", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		ont, err := schema.LoadOntology()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return ont.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("event", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, p := range schema.PLOVER {
			out = append(out, p.Name)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("by", fixedCompletion(schema.ByEvent, schema.ByPublished))
}

// empty reports whether no filter is set: the whole graph.
func (f *factFlags) empty() bool {
	return len(f.subjects)+len(f.objects)+len(f.relations)+len(f.events)+len(f.articles) == 0 &&
		f.since == "" && f.until == "" && f.limit == 0
}

func (f *factFlags) filter(ctx context.Context, r *entityResolver) (graph.FactFilter, error) {
	ff := graph.FactFilter{Relations: f.relations, Since: f.since, Until: f.until, By: f.by, Limit: f.limit}
	if f.by != "" {
		if err := oneOf("by", f.by, schema.ByEvent, schema.ByPublished); err != nil {
			return ff, err
		}
	}
	for _, d := range []string{f.since, f.until} {
		if d != "" {
			if err := ingest.ValidDate(d); err != nil {
				return ff, withCode(exitUsage, err)
			}
		}
	}
	for _, e := range f.events {
		e = strings.ToUpper(e)
		if !schema.IsPLOVER(e) {
			return ff, usageErr("--event %q is not a PLOVER event type (see 'kg schema')", e)
		}
		ff.Events = append(ff.Events, e)
	}
	if len(f.relations) > 0 {
		ont, err := schema.LoadOntology()
		if err != nil {
			return ff, err
		}
		for _, rel := range f.relations {
			if _, ok := ont.Relation(rel); !ok {
				return ff, usageErr("--relation %q is not a relation (see 'kg schema')", rel)
			}
		}
	}
	var err error
	if ff.Articles, err = articleIDs(ctx, r.st, f.articles); err != nil {
		return ff, err
	}
	if ff.Subjects, err = r.resolveAll(ctx, f.subjects); err != nil {
		return ff, err
	}
	if ff.Objects, err = r.resolveAll(ctx, f.objects); err != nil {
		return ff, err
	}
	if !f.countryOnly {
		var idx sectorIndex
		if ff.Subjects, err = r.withSectors(ctx, &idx, ff.Subjects); err != nil {
			return ff, err
		}
		if ff.Objects, err = r.withSectors(ctx, &idx, ff.Objects); err != nil {
			return ff, err
		}
	}
	return ff, nil
}

// dateNote tells, on stderr, which dates a date filter went by: the
// event date of some facts, the publication date of others (--by).
func dateNote(ios *IOStreams, ff *factFlags, facts []schema.Fact) {
	if ff.since == "" && ff.until == "" || len(facts) == 0 {
		return
	}
	n := map[string]int{}
	for _, f := range facts {
		_, used := f.When(ff.by)
		n[used]++
	}
	switch ff.by {
	case "":
		fmt.Fprintf(ios.ErrOut, "kg: dated by the event date for %s, by the article's publication date for %d (--by event or --by published: one only)\n",
			plural(n[schema.ByEvent], "fact"), n[schema.ByPublished])
	case schema.ByEvent:
		fmt.Fprintf(ios.ErrOut, "kg: dated by the event date for %s\n", plural(len(facts), "fact"))
	default:
		fmt.Fprintf(ios.ErrOut, "kg: dated by the article's publication date for %s\n", plural(len(facts), "fact"))
	}
}

// articleIDs resolves --article values: a stored id stands for itself; a
// corpus id that kg ingest qualified by language ("ntrex/bbc.381736")
// stands for each stored language version ("ntrex/bbc.381736@en", "@fr").
func articleIDs(ctx context.Context, st *graph.Store, ids []string) ([]string, error) {
	var out []string
	for _, id := range ids {
		if _, ok, err := st.ArticleHash(ctx, id); err != nil {
			return nil, err
		} else if ok {
			out = append(out, id)
			continue
		}
		n := len(out)
		for _, l := range ingest.Languages {
			if _, ok, err := st.ArticleHash(ctx, id+"@"+l); err != nil {
				return nil, err
			} else if ok {
				out = append(out, id+"@"+l)
			}
		}
		if len(out) == n {
			out = append(out, id) // matches nothing, as the user will see
		}
	}
	return out, nil
}

func newFactsCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var ff factFlags
	var format string
	var evidence bool
	cmd := &cobra.Command{
		Use:   "facts",
		Short: "List facts, filtered by subject, relation, event, object, article or date",
		Example: `  kg facts --relation condemns --object "Corée du Nord"     # who condemned North Korea?
  kg facts --subject DPRK --event AID                        # what did North Korea supply, to whom?
  kg facts --relation signs --evidence                       # who signed the statement?
  kg facts --since 2023-12-01 --format csv > facts.csv`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "table", "json", "csv"); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, r, err := openReader(ctx, ios, g)
			if err != nil {
				return err
			}
			defer st.Close()
			filter, err := ff.filter(ctx, r)
			if err != nil {
				return err
			}
			facts, err := st.Facts(ctx, filter)
			if err != nil {
				return err
			}
			dateNote(ios, &ff, facts)
			if err := writeFacts(ios.Out, format, facts, evidence, ff.by); err != nil {
				return err
			}
			if len(facts) == 0 {
				return withCode(exitNotFound, errors.New("no facts match"))
			}
			return nil
		},
	}
	ff.add(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or csv")
	cmd.Flags().BoolVar(&evidence, "evidence", false, "show each fact's evidence sentence in the table")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("table", "json", "csv"))
	return cmd
}

var factHeader = []string{"article", "subject_id", "subject", "relation", "event", "mode", "object_id", "object", "date", "published", "modality", "confidence", "instrument", "evidence"}

func factRow(f schema.Fact) []string {
	return []string{f.Doc, f.Subject.ID, f.Subject.Name, f.Relation, f.Event, f.Mode, f.Object.ID, f.Object.Name, f.Date, f.Published,
		string(f.Modality), fmt.Sprintf("%.2f", f.Confidence), f.Instrument, oneLine(f.Evidence.Sentence)}
}

// factDate is a table's DATE cell: the date the fact is placed by (see
// schema.Fact.When), marked when it is the article's publication date.
func factDate(f schema.Fact, by string) string {
	d, used := f.When(by)
	switch {
	case d == "":
		return "-"
	case used == schema.ByPublished:
		return d + " (published)"
	}
	return d
}

// writeFacts writes facts as a table, JSON or CSV; by is the date the
// table shows (--by).
func writeFacts(out io.Writer, format string, facts []schema.Fact, evidence bool, by string) (err error) {
	// thousands of rows: one write per row was a fifth of a large query
	w := bufio.NewWriter(out)
	defer func() {
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
	}()
	switch format {
	case "json":
		if facts == nil {
			facts = []schema.Fact{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(facts)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(factHeader)
		for _, f := range facts {
			cw.Write(csvSafe(factRow(f)))
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	items := false
	for _, f := range facts {
		items = items || f.Instrument != ""
	}
	// the ITEM column (what was supplied, fired) only when some fact has one
	if items {
		fmt.Fprintln(tw, "SUBJECT\tRELATION\tEVENT\tOBJECT\tITEM\tDATE\tMODALITY\tARTICLE")
	} else {
		fmt.Fprintln(tw, "SUBJECT\tRELATION\tEVENT\tOBJECT\tDATE\tMODALITY\tARTICLE")
	}
	for _, f := range facts {
		obj := entLabel(f.Object)
		if items {
			obj += "\t" + dashIfEmpty(f.Instrument)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", entLabel(f.Subject), f.Relation, dashIfEmpty(f.Event), obj,
			factDate(f, by), f.Modality, f.Doc)
		if evidence {
			fmt.Fprintf(tw, "  └ %s\t\t\t\t\t\t\n", truncate(oneLine(f.Evidence.Sentence), 160))
		}
	}
	return tw.Flush()
}

// csvSafe defuses spreadsheet formulas: a cell starting with = + - @ is
// prefixed with a quote, so opening the CSV cannot run anything.
func csvSafe(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func newEntitiesCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var format, typ string
	cmd := &cobra.Command{
		Use:     "entities",
		Short:   "List the entities in the graph with their fact and article counts",
		Example: "  kg entities\n  kg entities --type person --format csv",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "table", "json", "csv"); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := openStore(ctx, ios, g, false)
			if err != nil {
				return err
			}
			defer st.Close()
			ents, err := st.Entities(ctx)
			if err != nil {
				return err
			}
			var out []graph.EntityInfo
			for _, e := range ents {
				if typ == "" || schema.BaseType(e.Type) == typ {
					out = append(out, e)
				}
			}
			sort.SliceStable(out, func(i, j int) bool {
				if out[i].Facts != out[j].Facts {
					return out[i].Facts > out[j].Facts
				}
				return out[i].ID < out[j].ID
			})
			switch format {
			case "json":
				if out == nil {
					out = []graph.EntityInfo{}
				}
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(out)
			case "csv":
				cw := csv.NewWriter(ios.Out)
				cw.Write([]string{"id", "name", "type", "country", "facts", "articles", "aliases"})
				for _, e := range out {
					cw.Write(csvSafe([]string{e.ID, e.Name, e.Type, e.Country, fmt.Sprint(e.Facts), fmt.Sprint(e.Articles), strings.Join(e.Aliases, "|")}))
				}
				cw.Flush()
				return cw.Error()
			}
			tw := tabwriter.NewWriter(ios.Out, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tTYPE\tFACTS\tARTICLES")
			for _, e := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", e.ID, e.Name, e.Type, e.Facts, e.Articles)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&typ, "type", "", "only entities of this type (country, organization, person, ...)")
	return cmd
}

func newNeighborsCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var depth, maxNodes int
	var format string
	cmd := &cobra.Command{
		Use:     "neighbors ENTITY",
		Short:   "Show the facts around an entity, up to --depth hops away",
		Example: "  kg neighbors Russia --depth 1\n  kg neighbors Q423 --depth 2 --format json",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "table", "json", "csv"); err != nil {
				return err
			}
			if depth < 1 {
				return usageErr("--depth must be at least 1")
			}
			ctx := cmd.Context()
			st, r, err := openReader(ctx, ios, g)
			if err != nil {
				return err
			}
			defer st.Close()
			ids, err := r.resolve(ctx, args[0])
			if err != nil {
				return err
			}
			sg, truncated, err := neighborhood(ctx, st, r, ids[0], depth, maxNodes)
			if err != nil {
				return err
			}
			if len(sg.Edges) == 0 {
				return withCode(exitNotFound, fmt.Errorf("%s (%s) has no facts in the graph", args[0], ids[0]))
			}
			if format == "json" {
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(sg)
			}
			if err := writeFacts(ios.Out, format, sg.Edges, false, ""); err != nil {
				return err
			}
			if truncated {
				fmt.Fprintf(ios.ErrOut, "kg: stopped at %d nodes (--max-nodes)\n", maxNodes)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&depth, "depth", 1, "how many hops from the entity")
	cmd.Flags().IntVar(&maxNodes, "max-nodes", 500, "stop after this many nodes (0: no cap)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or csv")
	return cmd
}

func newPathCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var maxDepth int
	var format string
	cmd := &cobra.Command{
		Use:     "path A B",
		Short:   "Show how two entities are connected: the shortest chain of facts",
		Example: `  kg path Japon Russia      # how is Japan connected to Russia?`,
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "table", "json", "csv"); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, r, err := openReader(ctx, ios, g)
			if err != nil {
				return err
			}
			defer st.Close()
			a, err := r.resolve(ctx, args[0])
			if err != nil {
				return err
			}
			b, err := r.resolve(ctx, args[1])
			if err != nil {
				return err
			}
			facts, err := st.Path(ctx, a[0], b[0], maxDepth)
			if err != nil {
				return err
			}
			if len(facts) == 0 {
				return withCode(exitNotFound, fmt.Errorf("no path of at most %d facts between %s and %s", maxDepth, args[0], args[1]))
			}
			if format == "table" {
				// a chain reads best as a chain
				for i, f := range facts {
					fmt.Fprintf(ios.Out, "%d. %s -%s-> %s", i+1, entLabel(f.Subject), f.Relation, entLabel(f.Object))
					if f.Date != "" {
						fmt.Fprintf(ios.Out, " [%s]", f.Date)
					}
					fmt.Fprintf(ios.Out, "\n   %s (%s)\n", truncate(oneLine(f.Evidence.Sentence), 160), f.Doc)
				}
				return nil
			}
			return writeFacts(ios.Out, format, facts, false, "")
		},
	}
	cmd.Flags().IntVar(&maxDepth, "max-depth", 6, "longest chain to look for")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or csv")
	return cmd
}

func newQueryCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var timeout time.Duration
	var limit int
	cmd := &cobra.Command{
		Use:   "query GIZMO",
		Short: "Run a raw Cayley Gizmo query against the store",
		Long: `Query runs a Gizmo (JavaScript) query on the Cayley store and prints each
result as a JSON line. It stops after --timeout or --limit results. It
runs in the sandbox kg serve's /api/query uses: the VM is interrupted at
the timeout or when the query has grown the heap by 128 MB, and two
queries run at a time.
Predicates are IRIs under ` + schema.VocabBase + `; entities are Wikidata IRIs.`,
		Example: `  kg query 'g.V("<http://www.wikidata.org/entity/Q423>").In("<` + schema.Vocab("condemns") + `>").All()'`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openStore(cmd.Context(), ios, g, false)
			if err != nil {
				return err
			}
			defer st.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			res, err := st.Query(ctx, args[0], limit)
			if err != nil {
				if errors.Is(err, context.DeadlineExceeded) {
					return fmt.Errorf("query stopped after %v (--timeout)", timeout)
				}
				return err
			}
			enc := json.NewEncoder(ios.Out)
			enc.SetEscapeHTML(false)
			for _, r := range res {
				if err := enc.Encode(r); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "stop the query after this long")
	cmd.Flags().IntVar(&limit, "limit", 1000, "stop after this many results")
	return cmd
}

func newRenderCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var ff factFlags
	var out, entity, layout string
	var depth, maxNodes int
	var timeline bool
	cmd := &cobra.Command{
		Use:   "render -o FILE",
		Short: "Draw the graph, or a selection of it, as an SVG, PNG or DOT map",
		Long: `Render draws a relationship map: nodes shaped and coloured by entity type,
edges labelled by relation and coloured by PLOVER event, each edge's
evidence sentence and article in its tooltip, and a legend. The format
follows the file's extension (.svg, .png, .dot). Select with --entity and
--depth, or with the fact filters; big selections are refused with a hint.
--timeline draws the selected events on a time axis by actor instead.`,
		Example: `  kg render -o out/map.svg
  kg render --entity Russia --depth 1 -o out/russia.svg
  kg render --event ACCUSE --since 2023-12 -o out/accusations.png
  kg render --timeline --subject Russia --subject "Corée du Nord" -o out/timeline.svg`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("-o FILE is required (.svg, .png or .dot)")
			}
			format, err := render.Format(out)
			if err != nil {
				return withCode(exitUsage, err)
			}
			if timeline && format != "svg" {
				return usageErr("--timeline writes SVG only")
			}
			ctx := cmd.Context()
			st, r, err := openReader(ctx, ios, g)
			if err != nil {
				return err
			}
			defer st.Close()
			sg, focus, err := selectGraph(ctx, st, r, entity, depth, &ff)
			if err != nil {
				return err
			}
			title := "kg map"
			if entity != "" {
				title = fmt.Sprintf("%s — %d hop(s)", entity, depth)
			}
			if len(sg.Edges) == 0 {
				return withCode(exitNotFound, errors.New("nothing to draw: the selection has no facts"))
			}
			if timeline {
				title = strings.Replace(title, "kg map", "kg timeline", 1)
				if entity != "" {
					title = "timeline: " + title
				}
			}
			if entity == "" {
				dateNote(ios, &ff, sg.Edges)
			}
			opt := render.Options{Title: title, Layout: layout, MaxNodes: maxNodes, Focus: focus, DateBy: ff.by}
			if err := renderFile(ctx, out, format, sg, opt, timeline); err != nil {
				return err
			}
			fmt.Fprintf(ios.Out, "wrote %s: %d entities, %d facts\n", out, len(sg.Nodes), len(sg.Edges))
			return nil
		},
	}
	ff.add(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "output file: .svg, .png or .dot")
	cmd.Flags().StringVar(&entity, "entity", "", "draw the neighbourhood of this entity")
	cmd.Flags().IntVar(&depth, "depth", 1, "with --entity: how many hops")
	cmd.Flags().StringVar(&layout, "layout", "auto", "layout engine: auto, dot, sfdp or neato")
	cmd.Flags().IntVar(&maxNodes, "max-nodes", 300, "refuse to draw more nodes than this")
	cmd.Flags().BoolVar(&timeline, "timeline", false, "draw events on a time axis by actor (SVG)")
	_ = cmd.RegisterFlagCompletionFunc("layout", fixedCompletion("auto", "dot", "sfdp", "neato"))
	_ = cmd.MarkFlagFilename("output", "svg", "png", "dot")
	return cmd
}

// renderFile draws sg into out through a temporary file renamed into
// place, so a failed render never leaves half a map behind.
func renderFile(ctx context.Context, out, format string, sg schema.Graph, opt render.Options, timeline bool) error {
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".kg-render-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	switch {
	case timeline:
		err = render.Timeline(tmp, sg.Edges, opt)
	case format == "svg":
		err = render.SVG(ctx, tmp, sg, opt)
	case format == "png":
		err = render.PNG(ctx, tmp, sg, opt)
	default:
		err = render.DOT(ctx, tmp, sg, opt)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if errors.Is(err, render.ErrTooLarge) {
			return withCode(exitUsage, err)
		}
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

func newStatsCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "stats",
		Short:   "Summarise the store: articles, entities, facts, quads, by relation and event",
		Example: "  kg stats\n  kg stats --format json",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "table", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := openStore(ctx, ios, g, false)
			if err != nil {
				return err
			}
			defer st.Close()
			s, err := st.Stats(ctx)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(s)
			}
			fmt.Fprintf(ios.Out, "store     %s\narticles  %d\nentities  %d\nfacts     %d\nquads     %d\n", g.storeName(ios), s.Articles, s.Entities, s.Facts, s.Quads)
			for _, sec := range []struct {
				name string
				m    map[string]int
			}{{"by relation", s.ByRelation}, {"by event", s.ByEvent}, {"entities by type", s.ByType}} {
				fmt.Fprintf(ios.Out, "%s:\n", sec.name)
				keys := make([]string, 0, len(sec.m))
				for k := range sec.m {
					keys = append(keys, k)
				}
				sort.Slice(keys, func(i, j int) bool {
					return sec.m[keys[i]] > sec.m[keys[j]] || sec.m[keys[i]] == sec.m[keys[j]] && keys[i] < keys[j]
				})
				for _, k := range keys {
					fmt.Fprintf(ios.Out, "  %-14s %d\n", dashIfEmpty(k), sec.m[k])
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}
