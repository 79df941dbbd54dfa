package main

import (
	"errors"
	"net/url"
	"strings"

	"github.com/spf13/cobra"
)

// defaultStore is where kg keeps its graph when neither --store nor
// KG_STORE says otherwise: an embedded bbolt file under the current
// directory, so a project's graph lives beside its articles.
const defaultStore = ".kg/graph.db"

type globalOpts struct {
	store string
}

func newRootCmd(ios *IOStreams) *cobra.Command {
	g := &globalOpts{}
	root := &cobra.Command{
		Use:   "kg",
		Short: "Build a knowledge graph of who did what to whom from French and English news",
		Long: `kg extracts who did what to whom from news articles in French or English —
typed facts with PLOVER event types, Wikidata ids, dates, modality and the
sentence they came from — stores them in Cayley, answers graph queries and
renders Graphviz SVG relationship maps.

The store is --store, else $KG_STORE, else ` + defaultStore + ` (embedded bbolt).
"memstore:" keeps it in memory; "postgres://..." uses PostgreSQL.

Exit codes: 0 ok, 1 error, 2 usage, 3 some inputs skipped, 4 not found.`,
		Example: `  kg ingest seeds/
  kg facts --relation condemns --object "Corée du Nord"
  kg neighbors Russia --depth 2
  kg render --entity Q159 --depth 1 -o out/russia.svg`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.store, "store", "", "graph store: a bbolt file path, memstore:, or postgres://... (default $KG_STORE or "+defaultStore+")")
	// CommandPath is "kg facts" for a subcommand and "kg" for the root,
	// whose Name is "kg" too: "kg "+Name said "see 'kg kg --help'"
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%v (see '%s --help')", err, c.CommandPath())
	})
	root.Version = version()
	root.SetVersionTemplate("kg {{.Version}}\n")
	root.AddCommand(
		newExtractCmd(ios),
		newSchemaCmd(ios),
		newParseCmd(ios),
		NewCmdEval(ios, nil),
		newVersionCmd(ios),
	)
	addStoreCommands(root, ios, g)
	return root
}

// storeURI resolves the store location: flag, then environment, then the
// documented default.
func (g *globalOpts) storeURI(ios *IOStreams) string {
	if g.store != "" {
		return g.store
	}
	if ios.Getenv != nil {
		if v := ios.Getenv("KG_STORE"); v != "" {
			return v
		}
	}
	return defaultStore
}

// storeName is storeURI for messages: a URI's password is masked.
func (g *globalOpts) storeName(ios *IOStreams) string {
	uri := g.storeURI(ios)
	if u, err := url.Parse(uri); err == nil && u.User != nil {
		return u.Redacted()
	}
	return uri
}

// isUsage recognises cobra's own argument errors.
func isUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "invalid argument", "flag needs an argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	var ce *codeError
	return errors.As(err, &ce) && ce.code == exitUsage
}

// exactArgs is cobra.ExactArgs with a usage exit code.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr("%s takes %d argument(s), got %d (see '%s --help')", cmd.Name(), n, len(args), cmd.CommandPath())
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErr("%s needs at least %d argument(s) (see '%s --help')", cmd.Name(), n, cmd.CommandPath())
		}
		return nil
	}
}

func oneOf(flag, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return usageErr("--%s %q: want one of %s", flag, v, strings.Join(allowed, ", "))
}
