package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// newServeCmd is replaced by the HTTP server (issue 5).
func newServeCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	return &cobra.Command{Use: "serve", Short: "Serve the graph over HTTP (not yet built)", Hidden: true,
		RunE: func(*cobra.Command, []string) error { return errors.New("serve: not built yet") }}
}
