package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kg-news/kg/internal/graph"
)

// newCheckCmd is `kg check [--repair]`: it verifies the store's
// invariants (graph.Store.Check) and, with --repair, deletes what breaks
// them. Exit code 1 when problems remain, so scripts and cron can alert.
//
// Concurrency, as measured on the embedded bbolt store: one process holds
// the store's file lock while it has the store open. A writer (kg ingest,
// kg check --repair) takes it exclusively; readers (kg facts, kg stats,
// kg check) take it shared. So while a writer runs, any other kg command
// on the same store, reader or writer, fails after about a second with
// "store DIR is in use by another process" (exit 1) rather than waiting
// or reading a half-written article; several readers can run together,
// and a writer fails the same way while any reader has the store open.
// Readers never see a partial article: each article is one bbolt
// transaction. To read while ingesting, use a PostgreSQL store.
func newCheckCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	var repair bool
	var format string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Verify the store's integrity; --repair deletes what is broken",
		Long: `Check reads every quad of the store and verifies what kg relies on: no
quad with an empty subject, predicate, object or label; every quad
labelled with an article; every fact complete (subject, object, relation,
article, sentence, offsets) and filed under its own article; every
direct edge backed by a fact of the same article; every article with
its content hash. Such damage comes from a write that went wrong (the
Cayley bugs kg routes around, a crash on a non-transactional backend,
a hand edit), never from a normal ingest or a killed one.

With --repair, every damaged article is deleted whole (in delete-only
transactions), with the stray quads: ingest those articles again to
restore them (they are listed). Exit code 1 when problems remain.`,
		Example: "  kg check\n  kg check --repair && kg ingest archive/",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "text", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := openStore(ctx, ios, g, repair)
			if err != nil {
				return err
			}
			defer st.Close()
			rep, err := st.Check(ctx, repair)
			if err != nil {
				return err
			}
			if format == "json" {
				if rep.Problems == nil { // [] rather than null for JSON readers
					rep.Problems = []graph.Problem{}
				}
				if rep.Repaired && rep.Remaining == nil {
					rep.Remaining = []graph.Problem{}
				}
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printCheck(ios, g, rep)
			}
			switch {
			case rep.OK():
				return nil
			case repair:
				return fmt.Errorf("%d problem(s) remain after repair: export what is sound (kg export) and ingest into a fresh store", len(rep.Remaining))
			default:
				return fmt.Errorf("%d problem(s) found: run 'kg check --repair'", len(rep.Problems))
			}
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "delete the damaged articles and stray quads (then ingest those articles again)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// printCheck writes a Check report for people: counts, then each problem
// on one line (stored text made safe for a terminal).
func printCheck(ios *IOStreams, g *globalOpts, rep graph.Report) {
	fmt.Fprintf(ios.Out, "store     %s\nquads     %d\narticles  %d\nfacts     %d\n", g.storeName(ios), rep.Quads, rep.Articles, rep.Facts)
	if len(rep.Problems) == 0 {
		fmt.Fprintln(ios.Out, "ok: no problems")
		return
	}
	fmt.Fprintf(ios.Out, "%d problem(s):\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintln(ios.Out, "  "+termSafe(p.String()))
	}
	if !rep.Repaired {
		return
	}
	fmt.Fprintf(ios.Out, "repaired: %d quads deleted\n", rep.Deleted)
	if len(rep.Reingest) > 0 {
		fmt.Fprintf(ios.Out, "ingest these articles again to restore them: %s\n", termSafe(strings.Join(rep.Reingest, " ")))
	}
	for _, p := range rep.Remaining {
		fmt.Fprintln(ios.Out, "  remains: "+termSafe(p.String()))
	}
	if len(rep.Remaining) == 0 {
		fmt.Fprintln(ios.Out, "ok: no problems remain")
	}
}

// termSafe escapes control characters and bidirectional overrides in
// stored text before it reaches a terminal: an article can hold escape
// sequences or a right-to-left override that would rewrite the line.
func termSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0,
			r >= 0x200e && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
