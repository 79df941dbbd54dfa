package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kg-news/kg/internal/graph"
)

// newCheckCmd is `kg check [--repair]`: it verifies the store's
// invariants (graph.Store.Check) and, with --repair, deletes what breaks
// them. Exit code 1 when problems remain, so scripts and cron can alert.
//
// Concurrency on the embedded bbolt store (graph/session.go): one writer
// at a time (kg ingest, kg serve --writable, kg check --repair) holds the
// store's writer lock; a second one fails after about a second with
// "store DIR is in use by another process" (exit 1). Readers (kg facts, kg
// stats, kg check, kg serve) read beside a writer: the writer opens the
// file only to commit a batch, and a read waits at most a few seconds
// for that commit, then answers from the last committed batch. Each batch
// is one transaction, so a reader never sees half an article or an
// article between its two versions. PostgreSQL behaves the same, through
// an advisory lock.
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

It also reports an article stored in more than one version (several
titles or hashes: two writers at once); --repair keeps the newest.

With --repair, every damaged article is deleted whole (in delete-only
transactions), with the stray quads: ingest those articles again to
restore them (they are listed). Exit code 1 when problems remain.

A bbolt file that is itself damaged (a truncated file, pages that do not
parse: other commands say "store ... is damaged") is read as far as it
goes: check lists what does not read and which articles still do;
--repair copies every article that reads back whole into a fresh store,
which takes the store's place, keeps the damaged one beside it
(PATH.damaged-TIMESTAMP) and lists the articles lost (exit code 3 if
any: ingest them again).`,
		Example: "  kg check\n  kg check --repair && kg ingest archive/",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := oneOf("format", format, "text", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			rep, salvaged, err := checkOrSalvage(ctx, ios, g, repair)
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
			if salvaged {
				return salvageResult(rep)
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

// checkOrSalvage runs graph.Store.Check, or graph.Salvage when the store
// is a damaged bbolt file (salvaged is then true).
func checkOrSalvage(ctx context.Context, ios *IOStreams, g *globalOpts, repair bool) (rep graph.Report, salvaged bool, err error) {
	uri := g.storeURI(ios)
	bolt := !strings.Contains(uri, "://") && !strings.HasPrefix(uri, "mem")
	path := strings.TrimPrefix(strings.TrimPrefix(uri, "bolt:"), "bbolt:")
	// the file's pages first, from its bytes: bbolt itself can loop for
	// ever on a page that points back up its tree
	err = nil
	if bolt {
		err = graph.CheckFile(path)
	}
	if err == nil {
		var st *graph.Store
		st, err = openStore(ctx, ios, g, repair)
		if err == nil {
			rep, err = st.Check(ctx, repair)
			st.Close()
		}
	}
	if !bolt {
		return rep, false, err
	}
	// What repair could not delete through Cayley (quads whose values were
	// changed in the file) goes the damaged store's way: salvage.
	leftover := err == nil && repair && !rep.OK()
	if !errors.Is(err, graph.ErrDamaged) && !leftover {
		return rep, false, err
	}
	why := err
	rep, err = graph.Salvage(ctx, path, repair)
	if why != nil { // what the reading found, first
		rep.Problems = append([]graph.Problem{{Kind: graph.Damaged, Detail: why.Error()}}, rep.Problems...)
	}
	return rep, true, err
}

// salvageResult is kg check's verdict on a damaged store.
func salvageResult(rep graph.Report) error {
	switch {
	case !rep.Repaired:
		return fmt.Errorf("store damaged: %d of %d article(s) read back; run 'kg check --repair' to copy them into a fresh store", rep.Salvaged, rep.Articles)
	case len(rep.Lost) > 0 || rep.Unread > 0:
		return withCode(exitPartial, fmt.Errorf("%d article(s) lost, %d quad(s) unread: ingest the articles again to restore them", len(rep.Lost), rep.Unread))
	case len(rep.Remaining) > 0:
		return fmt.Errorf("%d problem(s) remain in the fresh store", len(rep.Remaining))
	}
	return nil
}

// printCheck writes a Check report for people: counts, then each problem
// on one line (stored text made safe for a terminal).
func printCheck(ios *IOStreams, g *globalOpts, rep graph.Report) {
	fmt.Fprintf(ios.Out, "store     %s\nquads     %d\narticles  %d\nfacts     %d\n", g.storeName(ios), rep.Quads, rep.Articles, rep.Facts)
	if rep.Salvaged > 0 || len(rep.Lost) > 0 || rep.Moved != "" || slices.ContainsFunc(rep.Problems, func(p graph.Problem) bool { return p.Kind == graph.Damaged }) {
		printSalvage(ios, rep)
		return
	}
	if len(rep.Problems) == 0 {
		fmt.Fprintln(ios.Out, "ok: no problems")
		return
	}
	fmt.Fprintf(ios.Out, "%d problem(s):\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintln(ios.Out, "  "+termSafe(p.String()))
	}
	if len(rep.Merged) > 0 && rep.Repaired {
		fmt.Fprintf(ios.Out, "kept the newest version of: %s\n", termSafe(strings.Join(rep.Merged, " ")))
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

// printSalvage reports on a damaged store: what does not read, what does,
// and with --repair what was copied and what was lost.
func printSalvage(ios *IOStreams, rep graph.Report) {
	fmt.Fprintf(ios.Out, "the store's file is damaged: %d problem(s):\n", len(rep.Problems))
	for _, p := range rep.Problems {
		fmt.Fprintln(ios.Out, "  "+termSafe(p.String()))
	}
	fmt.Fprintf(ios.Out, "%d of %d article(s) read back whole\n", rep.Salvaged, rep.Articles)
	if rep.Repaired {
		fmt.Fprintf(ios.Out, "repaired: %d article(s) copied into a fresh store; the damaged store is kept at %s\n", rep.Salvaged, termSafe(rep.Moved))
	}
	if len(rep.Lost) > 0 {
		fmt.Fprintf(ios.Out, "lost (ingest them again to restore them): %s\n", termSafe(strings.Join(rep.Lost, " ")))
	}
	for _, p := range rep.Remaining {
		fmt.Fprintln(ios.Out, "  remains: "+termSafe(p.String()))
	}
}
