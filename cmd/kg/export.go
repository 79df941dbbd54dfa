package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/kg-news/kg/internal/export"
	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/schema"
	"github.com/spf13/cobra"
)

// exportExt maps output file extensions to formats, so `-o graph.graphml`
// needs no --format.
var exportExt = map[string]string{
	".nq": "nquads", ".nquads": "nquads", ".jsonld": "jsonld", ".graphml": "graphml",
	".csv": "csv", ".jsonl": "plover", ".ndjson": "plover",
}

// newExportCmd builds `kg export`: the graph or a selection of it in a
// format other tools read.
func newExportCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var ff factFlags
	var format, out, entity string
	var depth int
	cmd := &cobra.Command{
		Use:   "export --format FORMAT [-o FILE]",
		Short: "Export the graph, or a selection of it, as N-Quads, JSON-LD, GraphML, CSV or PLOVER",
		Long: `Export writes the whole graph, or the same selections as kg render (--entity
and --depth, or the fact filters), for other tools:

  nquads   RDF N-Quads in the store's own data model (direct edges and fact
           nodes, each quad labelled with its article): load into Cayley,
           Jena, rdflib... Without a selection, every quad of the store:
           the backup that kg import reads back into any store
  jsonld   JSON-LD with kg's @context inline (also served by kg serve at
           /context.jsonld); the same triples as nquads
  graphml  GraphML for networkx, Gephi or yEd: entities as nodes, facts as
           edges with relation, event, date, modality, evidence... as
           declared attributes
  csv      two files, PREFIX-nodes.csv and PREFIX-edges.csv (-o PREFIX is
           required); formula-like cells are prefixed with '
  plover   PLOVER event records as JSON Lines (facts with a PLOVER event
           only; actors of the same event in one sentence merged)

Every format carries each fact's event date (date) and its article's
publication date (published), typed xsd:date, xsd:gYearMonth or xsd:gYear
in RDF. Without -o the output goes to standard output. The format follows -o's
extension (.nq, .jsonld, .graphml, .jsonl) when --format is not given. A
file is written whole or not at all.`,
		Example: `  kg export --format nquads -o out/graph.nq
  kg export --format jsonld > graph.jsonld
  kg export -o out/russia.graphml --entity Russia --depth 2
  kg export --format csv -o out/kg              # out/kg-nodes.csv, out/kg-edges.csv
  kg export --format plover --event ACCUSE --since 2024-01 > accusations.jsonl`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "" && out != "" {
				format = exportExt[strings.ToLower(filepath.Ext(out))]
			}
			if format == "" {
				return usageErr("--format is required: %s", strings.Join(export.Formats, ", "))
			}
			if err := oneOf("format", format, export.Formats...); err != nil {
				return err
			}
			if format == "csv" && out == "" {
				return usageErr("--format csv writes two files: give -o PREFIX (writes PREFIX-nodes.csv and PREFIX-edges.csv)")
			}
			if entity == "" && depth != 1 && cmd.Flags().Changed("depth") {
				return usageErr("--depth needs --entity")
			}
			ctx := cmd.Context()
			st, r, err := openReader(ctx, ios, g)
			if err != nil {
				return err
			}
			defer st.Close()
			if whole := entity == "" && ff.empty(); whole && (format == "nquads" || format == "jsonld") {
				return exportStore(ctx, ios, st, format, out)
			}
			sg, _, err := selectGraph(ctx, st, r, entity, depth, &ff)
			if err != nil {
				return err
			}
			if len(sg.Nodes) == 0 && len(sg.Edges) == 0 {
				return withCode(exitNotFound, errors.New("nothing to export: the selection is empty"))
			}
			if entity == "" {
				dateNote(ios, &ff, sg.Edges)
			}
			arts, err := articleMetas(ctx, st, sg)
			if err != nil {
				return err
			}
			for i := range arts {
				// A selection holds part of each article: without its hash
				// it cannot pass for the whole article when read back
				// (kg import refuses it; the whole store is the backup).
				arts[i].Hash = ""
			}
			write := func(w io.Writer) error {
				switch format {
				case "nquads":
					return export.NQuads(w, sg, arts...)
				case "jsonld":
					return export.JSONLD(w, sg, arts...)
				case "graphml":
					return export.GraphML(w, sg, arts...)
				default:
					return export.PLOVER(w, sg.Edges, arts...)
				}
			}
			switch {
			case format == "csv":
				prefix := strings.TrimSuffix(out, ".csv")
				nodes, edges := prefix+"-nodes.csv", prefix+"-edges.csv"
				var edgeBuf strings.Builder
				err = writeFileAtomic(nodes, func(w io.Writer) error { return export.CSV(w, &edgeBuf, sg, arts...) })
				if err == nil {
					err = writeFileAtomic(edges, func(w io.Writer) error { _, err := io.WriteString(w, edgeBuf.String()); return err })
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(ios.ErrOut, "wrote %s and %s: %d entities, %d facts\n", nodes, edges, len(sg.Nodes), len(sg.Edges))
			case out == "" || out == "-":
				return write(ios.Out)
			default:
				if err := writeFileAtomic(out, write); err != nil {
					return err
				}
				fmt.Fprintf(ios.ErrOut, "wrote %s (%s): %d entities, %d facts\n", out, format, len(sg.Nodes), len(sg.Edges))
			}
			return nil
		},
	}
	ff.add(cmd)
	cmd.Flags().StringVar(&format, "format", "", "output format: "+strings.Join(export.Formats, ", ")+" (default: from -o's extension)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "output file (csv: file name prefix); standard output when empty")
	cmd.Flags().StringVar(&entity, "entity", "", "export the neighbourhood of this entity")
	cmd.Flags().IntVar(&depth, "depth", 1, "with --entity: how many hops")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(export.Formats...))
	return cmd
}

// exportStore writes the whole store as N-Quads (the backup kg import
// reads back: every quad of every article, those without facts included)
// or as JSON-LD built from the same quads.
func exportStore(ctx context.Context, ios *IOStreams, st *graph.Store, format, out string) error {
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	if stats.Articles == 0 {
		return withCode(exitNotFound, errors.New("nothing to export: the store is empty"))
	}
	var articles, total int64
	write := func(w io.Writer) error {
		articles = 0
		if format == "jsonld" {
			var all []quad.Quad
			n, err := st.Dump(ctx, func(a graph.ArticleQuads) error { articles++; all = append(all, a.Quads...); return nil })
			total = n
			if err != nil {
				return err
			}
			return export.JSONLDQuads(w, all)
		}
		nw := export.NewNQuadsWriter(w)
		n, err := st.Dump(ctx, func(a graph.ArticleQuads) error {
			articles++
			for _, q := range a.Quads {
				if err := nw.Write(q); err != nil {
					return err
				}
			}
			return nil
		})
		total = n
		if err != nil {
			return err
		}
		return nw.Close()
	}
	if out == "" || out == "-" {
		err = write(ios.Out)
	} else if err = writeFileAtomic(out, write); err == nil {
		fmt.Fprintf(ios.ErrOut, "wrote %s (%s): the whole store, %d articles, %d quads\n", out, format, articles, total)
	}
	if err != nil {
		return err
	}
	if total < stats.Quads {
		fmt.Fprintf(ios.ErrOut, "kg: %d quads of the store belong to no article and were not exported ('kg check' names them)\n", stats.Quads-total)
	}
	return nil
}

// articleMetas reads the stored metadata and hash of the articles the
// selection's facts cite, so exports carry titles, dates and URLs (and
// N-Quads the store's own article quads).
func articleMetas(ctx context.Context, st *graph.Store, sg schema.Graph) ([]export.ArticleMeta, error) {
	cited := map[string]bool{}
	for _, f := range sg.Edges {
		cited[f.Doc] = true
	}
	if len(cited) == 0 {
		return nil, nil
	}
	all, err := st.Articles(ctx)
	if err != nil {
		return nil, err
	}
	var out []export.ArticleMeta
	for _, a := range all {
		if !cited[a.ID] {
			continue
		}
		h, _, err := st.ArticleHash(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, export.ArticleMeta{Article: a, Hash: h})
	}
	return out, nil
}

// writeFileAtomic writes a file through a temporary file in the same
// directory and renames it into place, so an error half-way (a closed
// store, a full disk) never leaves a truncated export that looks complete.
func writeFileAtomic(path string, fn func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".kg-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = fn(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
