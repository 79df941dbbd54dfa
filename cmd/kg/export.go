package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newExportCmd is replaced by the exporter (issue 5).
func newExportCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	return &cobra.Command{Use: "export", Short: "Export the graph (not yet built)", Hidden: true,
		RunE: func(*cobra.Command, []string) error { return errors.New("export: not built yet") }}
}
