package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/kg-news/kg/internal/graph"
	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/internal/render"
	"github.com/kg-news/kg/schema"
	"github.com/spf13/cobra"
)

type ingestOpts struct {
	lang    string
	strict  bool
	minConf float64
	mapOut  string
}

func newIngestCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	o := &ingestOpts{}
	cmd := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Extract facts from articles and store them in the graph",
		Long: `Ingest reads articles (as kg extract does), extracts their facts and
stores them. Re-ingesting an unchanged article changes nothing; a changed
article replaces its facts. Bad inputs are named on stderr as FILE:LINE and
skipped (exit code 3); the others are stored.`,
		Example: `  kg ingest seeds/
  kg ingest --store /data/news.db archive/*.jsonl
  curl -s https://example.org/feed.jsonl | kg ingest -`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if o.lang != "" {
				if err := oneOf("lang", o.lang, "fr", "en"); err != nil {
					return err
				}
			}
			x, err := ingest.NewExtractor(ingest.Options{MinConfidence: o.minConf})
			if err != nil {
				return err
			}
			st, err := openStore(ctx, ios, g, true)
			if err != nil {
				return err
			}
			defer st.Close()
			start := time.Now()
			var nArt, nChanged, nFacts, bad int
			ents := map[string]bool{}
			err = ingest.Walk(args, ios.In, ingest.ReadOptions{Lang: o.lang, Strict: o.strict}, func(a schema.Article) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				res, err := x.Extract(a)
				if err != nil {
					bad++
					fmt.Fprintf(ios.ErrOut, "kg: %s: %v\n", a.Source, err)
					return nil
				}
				changed, err := st.PutArticle(ctx, a, res.Entities, res.Facts)
				if err != nil {
					return fmt.Errorf("%s: storing: %w", a.Source, err)
				}
				nArt++
				if changed {
					nChanged++
				}
				nFacts += len(res.Facts)
				for _, e := range res.Entities {
					ents[e.ID] = true
				}
				if ios.ErrTTY {
					el := time.Since(start).Seconds()
					fmt.Fprintf(ios.ErrOut, "\r\033[Kingest: %d articles, %d facts, %.0f articles/s", nArt, nFacts, float64(nArt)/max(el, 1e-3))
				}
				return nil
			}, func(err error) {
				bad++
				fmt.Fprintln(ios.ErrOut, "kg: "+err.Error())
			})
			if ios.ErrTTY {
				fmt.Fprint(ios.ErrOut, "\r\033[K")
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(ios.Out, "ingested %d articles (%d new or changed, %d unchanged): %d facts, %d entities into %s in %.1fs\n",
				nArt, nChanged, nArt-nChanged, nFacts, len(ents), g.storeURI(ios), time.Since(start).Seconds())
			if o.mapOut != "" {
				format, err := render.Format(o.mapOut)
				if err != nil {
					return withCode(exitUsage, err)
				}
				sg, err := st.Subgraph(ctx, graph.FactFilter{})
				if err != nil {
					return err
				}
				if err := renderFile(ctx, o.mapOut, format, sg, render.Options{Title: "kg map: " + strings.Join(args, ", ")}, false); err != nil {
					return err
				}
				fmt.Fprintf(ios.Out, "wrote %s: %d entities, %d facts\n", o.mapOut, len(sg.Nodes), len(sg.Edges))
			}
			if bad > 0 {
				return withCode(exitPartial, fmt.Errorf("%d input(s) skipped", bad))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.lang, "lang", "", "language of the input (fr or en); detected when empty")
	cmd.Flags().BoolVar(&o.strict, "strict", false, "a bad JSON Lines record rejects its whole file")
	cmd.Flags().Float64Var(&o.minConf, "min-confidence", 0, "store only facts with at least this confidence (0–1)")
	cmd.Flags().StringVar(&o.mapOut, "map", "", "after ingesting, draw the whole graph to this file (.svg, .png or .dot)")
	_ = cmd.RegisterFlagCompletionFunc("lang", fixedCompletion("fr", "en"))
	return cmd
}

