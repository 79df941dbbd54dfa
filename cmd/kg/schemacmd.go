package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kg-news/kg/schema"
	"github.com/spf13/cobra"
)

func newSchemaCmd(ios *IOStreams) *cobra.Command {
	var format string
	var actorsFormat bool
	cmd := &cobra.Command{
		Use:     "schema",
		Short:   "Print kg's ontology: entity types, relations and their PLOVER events, sectors",
		Example: "  kg schema\n  kg schema --format json | jq '.relations[] | select(.event==\"ACCUSE\")'",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if actorsFormat {
				_, err := io.WriteString(ios.Out, schema.UserActorsHeader+"id\ttype\tname\taliases\tcountry\trole\n")
				return err
			}
			if err := oneOf("format", format, "table", "json"); err != nil {
				return err
			}
			ont, err := schema.LoadOntology()
			if err != nil {
				return err
			}
			sectors, err := schema.LoadSectors()
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"entity_types": schema.EntityTypes, "relations": ont.Relations, "plover": schema.PLOVER, "sectors": sectors.List})
			}
			tw := tabwriter.NewWriter(ios.Out, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ENTITY TYPE\tMEANING")
			for _, t := range schema.EntityTypes {
				fmt.Fprintf(tw, "%s\t%s\n", t.Name, t.Doc)
			}
			fmt.Fprintln(tw, "\t")
			fmt.Fprintln(tw, "RELATION\tPLOVER EVENT\tMODE\tSUBJECT → OBJECT\tMEANING")
			for _, r := range ont.Relations {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s\t%s\n", r.Name, dashIfEmpty(r.Event), dashIfEmpty(r.Mode),
					strings.Join(r.Subject, "|"), strings.Join(r.Object, "|"), r.Meaning)
			}
			// a sector actor ("Kenyan police") is a country plus one of these
			fmt.Fprintln(tw, "\t")
			fmt.Fprintln(tw, "SECTOR\tCAMEO\tMEANING")
			for _, s := range sectors.List {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, dashIfEmpty(strings.Join(s.CAMEO, "|")), s.Meaning)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.Flags().BoolVar(&actorsFormat, "actors-format", false, "print the format of an actors file (--actors), a header to start one from")
	return cmd
}
