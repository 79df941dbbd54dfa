// Package reporoot finds kg's repository root, for the generators
// (gazgen, cameogen, agentgen, namegen) that read ../shared beside it and
// write the project's tables.
package reporoot

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Find returns the directory of kg's go.mod, from the working directory up.
func Find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/kg-news/kg") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the kg repository (no go.mod for github.com/kg-news/kg above the working directory)")
		}
		dir = parent
	}
}
