package main

import "github.com/spf13/cobra"

// addStoreCommands adds the commands that read or write the graph store.
func addStoreCommands(root *cobra.Command, ios *IOStreams, g *globalOpts) {}
