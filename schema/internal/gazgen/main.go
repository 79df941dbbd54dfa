// Command gazgen generates schema/gazetteer.tsv.gz, the gazetteer of
// countries, international organisations and political leaders that kg
// embeds, from the reference data in ../shared/data (relative to the
// repository root) and the curated additions in curated.tsv.
//
// Usage, from anywhere in the repository:
//
//	go run ./schema/internal/gazgen [-data DIR] [-out FILE] [-v]
//
// The output is deterministic: entries sorted by type and id, aliases sorted,
// gzip without name or timestamp. See README.md for sources and licenses.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// isoIDs gives the Wikidata ids that country-codes.csv lacks (Namibia's row
// has none; Kosovo is only in mledoze-countries.json). Source: Wikidata.
var isoIDs = map[string]string{"NA": "Q1030", "XK": "Q1246"}

// typeRank orders entry types in the output.
var typeRank = map[string]int{"country": 0, "organization/igo": 1, "person": 2}

func main() {
	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gazgen:", err)
		os.Exit(1)
	}
	data := flag.String("data", filepath.Join(root, "..", "shared", "data"), "directory of the reference data")
	out := flag.String("out", filepath.Join(root, "schema", "gazetteer.tsv.gz"), "output file")
	curated := flag.String("curated", filepath.Join(root, "schema", "internal", "gazgen", "curated.tsv"), "curated additions")
	verbose := flag.Bool("v", false, "log alias conflicts and their resolution")
	flag.Parse()
	if err := run(*data, *curated, *out, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "gazgen:", err)
		os.Exit(1)
	}
}

// repoRoot finds the directory of kg's go.mod, from the working directory up.
func repoRoot() (string, error) {
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

// run builds the gazetteer and writes it to out.
func run(data, curatedPath, out string, verbose bool) error {
	entries, err := build(data, curatedPath, verbose)
	if err != nil {
		return err
	}
	gz, err := render(entries)
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, gz, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	n := map[string]int{}
	for _, e := range entries {
		n[e.typ]++
	}
	fmt.Fprintf(os.Stderr, "gazgen: wrote %s: %d entries (%d countries, %d organisations, %d persons), %d bytes\n",
		out, len(entries), n["country"], n["organization/igo"], n["person"], len(gz))
	return nil
}

// build reads the sources and curated additions and returns the sorted entries.
func build(data, curatedPath string, verbose bool) ([]*entry, error) {
	cs, capitals, err := countries(data, isoIDs)
	if err != nil {
		return nil, err
	}
	orgs, err := organisations(filepath.Join(data, "supraverden-organisations.yaml"))
	if err != nil {
		return nil, err
	}
	byID := map[string]*entry{}
	var entries []*entry
	for _, e := range append(cs, orgs...) {
		if byID[e.id] != nil {
			return nil, fmt.Errorf("id %s is both %s and %s", e.id, byID[e.id].nameEN, e.nameEN)
		}
		byID[e.id] = e
		entries = append(entries, e)
	}
	lines, err := readCurated(curatedPath)
	if err != nil {
		return nil, err
	}
	if err := applyCurated(curatedPath, lines, byID, &entries); err != nil {
		return nil, err
	}
	// A capital from the data is written the same in both languages
	// (capital::Pyongyang) unless curated.tsv gives a French exonym
	// (Moscou), in which case the data's form is English (Moscow).
	for e, caps := range capitals {
		hasFR := false
		for _, a := range e.aliases {
			if a.kind == kindCapital && a.lang == "fr" {
				hasFR = true
			}
		}
		if !hasFR {
			continue
		}
		for i := range e.aliases {
			a := &e.aliases[i]
			if a.kind == kindCapital && a.lang == "" && !a.curated && containsVariant(caps, a.text) {
				a.lang = "en"
			}
		}
	}
	for _, c := range lines {
		e := byID[c.id]
		if e.country != "" {
			if ce := byID[e.country]; ce == nil || ce.typ != "country" {
				return nil, fmt.Errorf("%s:%d: country %s of %s is not a country in the gazetteer", curatedPath, c.line, e.country, c.id)
			}
		}
	}
	for _, msg := range resolveConflicts(entries) {
		if verbose {
			fmt.Fprintln(os.Stderr, "gazgen:", msg)
		}
	}
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		ra, oka := typeRank[a.typ]
		rb, okb := typeRank[b.typ]
		if !oka {
			ra = len(typeRank)
		}
		if !okb {
			rb = len(typeRank)
		}
		if ra != rb {
			return ra < rb
		}
		if a.typ != b.typ {
			return a.typ < b.typ
		}
		return qnum(a.id) < qnum(b.id)
	})
	return entries, nil
}

// containsVariant reports whether text is one of caps or an apostrophe
// variant of one.
func containsVariant(caps []string, text string) bool {
	norm := func(s string) string { return strings.ReplaceAll(s, "’", "'") }
	for _, c := range caps {
		if norm(c) == norm(text) {
			return true
		}
	}
	return false
}

// render writes the entries as gzip'd TSV with a comment header.
func render(entries []*entry) ([]byte, error) {
	var tsv bytes.Buffer
	tsv.WriteString("# kg gazetteer: generated by `go run ./schema/internal/gazgen`; do not edit.\n")
	tsv.WriteString("# Sources: country-codes (ODC-PDDL), mledoze/countries (ODbL 1.0), supraverden (CC BY-SA 4.0),\n")
	tsv.WriteString("# curated additions (schema/internal/gazgen/curated.tsv). See schema/internal/gazgen/README.md.\n")
	tsv.WriteString("# id\ttype\tname_en\tname_fr\tcountry\trole\taliases (kind:lang:text|...)\n")
	for _, e := range entries {
		tsv.WriteString(e.format())
		tsv.WriteByte('\n')
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// Header left zero: no name, no modification time, so output is reproducible.
	if _, err := zw.Write(tsv.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
