// Command gazgen generates schema/gazetteer.tsv.gz, the gazetteer of
// countries, international organisations and political leaders that kg
// embeds, from the reference data in ../shared/data (relative to the
// repository root) and the curated additions in curated.tsv.
//
// Usage, from anywhere in the repository:
//
//	go run ./schema/internal/gazgen [-data DIR] [-ud DIR] [-out FILE] [-v]
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

	"github.com/kg-news/kg/internal/devtools/reporoot"
)

// isoIDs gives the Wikidata ids that country-codes.csv lacks (Namibia's row
// has none; Kosovo is only in mledoze-countries.json). Source: Wikidata.
var isoIDs = map[string]string{"NA": "Q1030", "XK": "Q1246"}

// typeRank orders entry types in the output; other types come between the
// organisations and the persons, in alphabetical order.
var typeRank = map[string]int{"country": 0, "organization/igo": 1, "person": 3}

// curatedFiles are the curated additions in this directory, applied in
// this order: countries and organisations, non-state actors, persons.
var curatedFiles = []string{"curated.tsv", "actors.tsv", "persons.tsv"}

func main() {
	root, err := reporoot.Find()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gazgen:", err)
		os.Exit(1)
	}
	data := flag.String("data", filepath.Join(root, "..", "shared", "data"), "directory of the reference data")
	out := flag.String("out", filepath.Join(root, "schema", "gazetteer.tsv.gz"), "output file")
	ud := flag.String("ud", filepath.Join(root, "..", "shared", "ud"), "directory of the Universal Dependencies treebanks (common-word guard)")
	dir := flag.String("curated", filepath.Join(root, "schema", "internal", "gazgen"), "directory of the curated additions (curated.tsv, actors.tsv, persons.tsv, offices.tsv, petrarch.tsv)")
	verbose := flag.Bool("v", false, "log alias conflicts and their resolution")
	flag.Parse()
	if err := run(sources{data: *data, ud: *ud, curated: *dir}, *out, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "gazgen:", err)
		os.Exit(1)
	}
}

// sources are the directories gazgen reads.
type sources struct {
	data    string // ../shared/data
	ud      string // ../shared/ud
	curated string // this directory
}

// run builds the gazetteer and writes it to out.
func run(src sources, out string, verbose bool) error {
	entries, err := build(src, verbose)
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
	fmt.Fprintf(os.Stderr, "gazgen: wrote %s: %d entries, %d bytes\n", out, len(entries), len(gz))
	for _, t := range sortedKeys(n) {
		fmt.Fprintf(os.Stderr, "gazgen:   %6d %s\n", n[t], t)
	}
	return nil
}

// build reads the sources and curated additions and returns the sorted entries.
func build(src sources, verbose bool) ([]*entry, error) {
	data := src.data
	cs, capitals, iso3, err := countries(data, isoIDs)
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
	var lines []curatedLine
	var linePaths []string
	for _, name := range curatedFiles {
		path := filepath.Join(src.curated, name)
		ls, err := readCurated(path)
		if err != nil {
			return nil, err
		}
		if err := applyCurated(path, ls, byID, &entries); err != nil {
			return nil, err
		}
		for range ls {
			linePaths = append(linePaths, path)
		}
		lines = append(lines, ls...)
	}
	common, err := commonWords(src.ud)
	if err != nil {
		return nil, err
	}
	rules, err := readPetrarchRules(filepath.Join(src.curated, "petrarch.tsv"))
	if err != nil {
		return nil, err
	}
	plog, err := addPetrarch(filepath.Join(data, "petrarch2"), rules, iso3, common, byID, &entries)
	if err != nil {
		return nil, err
	}
	offices, err := readOffices(filepath.Join(src.curated, "offices.tsv"))
	if err != nil {
		return nil, err
	}
	officesPath := filepath.Join(src.curated, "offices.tsv")
	for _, o := range offices {
		e := byID[o.id]
		if e == nil || e.typ != "person" {
			return nil, fmt.Errorf("%s:%d: %s is not a person in the gazetteer", officesPath, o.line, o.id)
		}
		if byID[o.of] == nil {
			return nil, fmt.Errorf("%s:%d: %s is not in the gazetteer", officesPath, o.line, o.of)
		}
		e.roles = append(e.roles, role{role: o.role, of: o.of, from: o.from, to: o.to, curated: true})
	}
	for _, e := range entries {
		dropStaleRoles(e)
	}
	for _, e := range entries {
		if e.typ == "person" {
			defaultRole(e, byID)
		}
	}
	if verbose {
		for _, m := range plog {
			fmt.Fprintln(os.Stderr, "gazgen:", m)
		}
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
	for i, c := range lines {
		e := byID[c.id]
		if e.country != "" {
			if ce := byID[e.country]; ce == nil || ce.typ != "country" {
				return nil, fmt.Errorf("%s:%d: country %s of %s is not a country in the gazetteer", linePaths[i], c.line, e.country, c.id)
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
			ra = 2
		}
		if !okb {
			rb = 2
		}
		if ra != rb {
			return ra < rb
		}
		if a.typ != b.typ {
			return a.typ < b.typ
		}
		if qnum(a.id) != qnum(b.id) {
			return qnum(a.id) < qnum(b.id)
		}
		return a.id < b.id
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
	tsv.WriteString("# openeventdata/petrarch2 Phoenix dictionaries (MIT), Universal Dependencies EWT, Sequoia, GSD (common-word guard),\n")
	tsv.WriteString("# curated additions (schema/internal/gazgen/*.tsv). See schema/internal/gazgen/README.md.\n")
	tsv.WriteString("# id\ttype\tname_en\tname_fr\tcountry\trole\taliases (kind:lang:text|...)\troles (role:of:from:to|...)\n")
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
