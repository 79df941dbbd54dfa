package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/schema"
	"github.com/spf13/cobra"
)

type extractOpts struct {
	format  string
	explain bool
	lang    string
	minConf float64
	strict  bool
	rules   string
	// strictExit: exit 3 when any input was skipped, not only when all were
	strictExit bool
	jobs       int // extraction workers; 0: one per core
	actors     []string
}

func newExtractCmd(ios *IOStreams) *cobra.Command {
	o := &extractOpts{}
	cmd := &cobra.Command{
		Use:   "extract PATH...",
		Short: "Extract entities and facts from articles, without a store",
		Long: `Extract reads articles and prints the entities and facts found, one JSON
record per line (--format jsonl, the contract of ../shared/eval/README.md)
or as a table. PATH is a .txt/.md file (an optional first line
"date YYYY-MM[-DD]" gives the publication date), a .jsonl file (one
article per line: id, title, text, date, lang, url), an .html page, a
directory (read recursively) or - for standard input. Bad inputs are named
on stderr as FILE:LINE and skipped; the exit code is 3 only if nothing could
be extracted (or, with --strict-exit, if anything was skipped).`,
		Example: `  kg extract seeds/dprk-missiles-fr.txt --format table
  kg extract corpus.jsonl --format jsonl > facts.jsonl
  kg extract --explain seeds/
  echo "Russia attacked Ukraine on 3 March." | kg extract --lang en -`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", o.format, "jsonl", "table"); err != nil {
				return err
			}
			if o.lang != "" {
				if err := oneOf("lang", o.lang, "fr", "en"); err != nil {
					return err
				}
			}
			if err := oneOf("rules", o.rules, "parse", "tokens", "hybrid"); err != nil {
				return err
			}
			x, err := ingest.NewExtractor(ingest.Options{MinConfidence: o.minConf, NoParse: o.rules == "tokens", ParseFirst: o.rules == "parse", Actors: o.actors})
			if err != nil {
				return err
			}
			if o.jobs < 0 {
				return usageErr("--jobs %d: want 0 (one per core) or more", o.jobs)
			}
			if o.jobs == 0 {
				o.jobs = runtime.GOMAXPROCS(0)
			}
			var tw *tabwriter.Writer
			bad, done := 0, 0
			var why strings.Builder // --explain with --format table: reasons after the table
			row := 0
			// Each input is extracted on a worker and written in input
			// order: the output is the same whatever the number of cores.
			type item struct {
				art     schema.Article
				readErr error
				res     ingest.Result
				err     error
			}
			ctx := cmd.Context()
			out := bufio.NewWriter(ios.Out)
			if o.format == "table" {
				tw = tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "#\tDOC\tSUBJECT\tRELATION\tEVENT\tOBJECT\tDATE\tMODALITY\tCONF")
			}
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			produce := func(send func(item) error) error {
				return ingest.Walk(args, ios.In, ingest.ReadOptions{Lang: o.lang, Strict: o.strict},
					func(a schema.Article) error { return send(item{art: a}) },
					func(err error) { _ = send(item{readErr: err}) })
			}
			work := func(it item) item {
				if it.readErr == nil && ctx.Err() == nil {
					it.res, it.err = x.Extract(it.art)
				}
				return it
			}
			emit := func(it item) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				switch {
				case it.readErr != nil:
					bad += ingest.Rejected(it.readErr)
					fmt.Fprintln(ios.ErrOut, "kg: "+it.readErr.Error())
					return nil
				case it.err != nil:
					bad++
					fmt.Fprintf(ios.ErrOut, "kg: %s: %v\n", it.art.Source, it.err)
					return nil
				}
				done++
				if tw != nil {
					writeFactRows(tw, &why, it.res.Facts, o.explain, &row)
					return nil
				}
				if err := writeJSONL(enc, out, it.res, o.explain); err != nil {
					return err
				}
				return out.Flush() // a filter: each article's lines as soon as they are in order
			}
			err = inOrder(ctx, o.jobs, 8*o.jobs, produce, work, emit)
			if ferr := out.Flush(); err == nil {
				err = ferr
			}
			if tw != nil && err == nil {
				tw.Flush()
				out.Flush()
				if why.Len() > 0 {
					fmt.Fprintf(ios.Out, "\nwhy each fact is there:\n%s", why.String())
				}
			}
			if err != nil {
				return err
			}
			// extract is a filter: a corpus with a few bad records still
			// gives the others, named on stderr, and exits 0 so pipelines
			// and scorers go on; --strict-exit makes any skip exit 3, as
			// kg ingest always does
			if bad > 0 && (done == 0 || o.strictExit) {
				return withCode(exitPartial, fmt.Errorf("%d input(s) skipped", bad))
			}
			if bad > 0 {
				fmt.Fprintf(ios.ErrOut, "kg: %d input(s) skipped, %d article(s) extracted\n", bad, done)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "jsonl", "output format: jsonl or table")
	cmd.Flags().BoolVar(&o.explain, "explain", false, "show for each fact the rule, the path through the sentence, and the sentence")
	cmd.Flags().StringVar(&o.lang, "lang", "", "language of the input (fr or en); detected when empty")
	cmd.Flags().Float64Var(&o.minConf, "min-confidence", 0, "keep only facts with at least this confidence (0–1)")
	cmd.Flags().BoolVar(&o.strict, "strict", false, "a bad JSON Lines record rejects its whole file")
	cmd.Flags().BoolVar(&o.strictExit, "strict-exit", false, "exit 3 when any input was skipped (default: only when nothing could be extracted)")
	cmd.Flags().IntVarP(&o.jobs, "jobs", "j", 0, "articles extracted at once (0: one per core); output order is input order either way")
	cmd.Flags().StringSliceVar(&o.actors, "actors", nil, "your own actors and aliases: a TSV file (see 'kg schema --actors-format'), repeatable")
	cmd.Flags().StringVar(&o.rules, "rules", "hybrid", "relation rules: hybrid (word order first, the dependency parse fills gaps), parse (parse first, word order fills gaps) or tokens (no parse)")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion("jsonl", "table"))
	_ = cmd.RegisterFlagCompletionFunc("lang", fixedCompletion("fr", "en"))
	return cmd
}

func fixedCompletion(vals ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return vals, cobra.ShellCompDirectiveNoFileComp
	}
}

// entityRecord and factRecord are the JSON Lines contract of
// ../shared/eval/README.md.
type entityRecord struct {
	Kind string `json:"kind"`
	Doc  string `json:"doc"`
	schema.EntityRef
	Country string `json:"country,omitempty"`
	Role    string `json:"role,omitempty"`
}

type factRecord struct {
	Kind string `json:"kind"`
	schema.Fact
}

func writeJSONL(enc *json.Encoder, w io.Writer, res ingest.Result, explain bool) error {
	for _, e := range res.Entities {
		if err := enc.Encode(entityRecord{Kind: "entity", Doc: res.Article.ID, EntityRef: e.EntityRef, Country: e.Country, Role: e.Role}); err != nil {
			return err
		}
	}
	for _, f := range res.Facts {
		if !explain {
			f.Rule, f.Path = "", ""
		}
		if err := enc.Encode(factRecord{Kind: "fact", Fact: f}); err != nil {
			return err
		}
	}
	return nil
}

// writeFactRows writes one table row per fact; with explain, each row's
// reasons go to why, printed after the table so they do not break its
// columns.
func writeFactRows(tw io.Writer, why *strings.Builder, facts []schema.Fact, explain bool, n *int) {
	for _, f := range facts {
		*n++
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\n", *n, f.Doc, entLabel(f.Subject), f.Relation, dashIfEmpty(f.Event),
			entLabel(f.Object), dashIfEmpty(f.Date), f.Modality, f.Confidence)
		if explain {
			fmt.Fprintf(why, "%d. %s -%s-> %s\n   rule: %s\n   path: %s\n   sentence [%d:%d]: %s\n", *n, entLabel(f.Subject), f.Relation, entLabel(f.Object),
				f.Rule, f.Path, f.Evidence.Start, f.Evidence.End, oneLine(f.Evidence.Sentence))
		}
	}
}

func entLabel(e schema.EntityRef) string {
	if e.ID == "" {
		return e.Name
	}
	return e.Name + " (" + e.ID + ")"
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
