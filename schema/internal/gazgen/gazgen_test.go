package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kg-news/kg/internal/devtools/reporoot"
)

func TestFrenchDemonyms(t *testing.T) {
	got := frenchDemonyms("Nord-coréen", "Nord-coréenne")
	for _, w := range []string{"nord-coréen", "nord-coréenne", "nord-coréens", "nord-coréennes", "Nord-Coréen", "Nord-Coréens", "Nord-Coréennes"} {
		if !slices.Contains(got, w) {
			t.Errorf("frenchDemonyms(Nord-coréen) lacks %q: %v", w, got)
		}
	}
	got = frenchDemonyms("Français", "Française")
	if slices.Contains(got, "françaiss") || !slices.Contains(got, "françaises") || !slices.Contains(got, "Français") {
		t.Errorf("frenchDemonyms(Français) = %v", got)
	}
	got = frenchDemonyms("Saint-Pierrais, Miquelonais", "Saint-Pierraise, Miquelonaise")
	if !slices.Contains(got, "miquelonaises") || !slices.Contains(got, "Saint-Pierrais") {
		t.Errorf("compound demonym not split: %v", got)
	}
}

func TestEnglishDemonyms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"North Korean", []string{"North Korean", "North Koreans", "North Korean", "North Koreans"}},
		{"British", []string{"British", "British"}},
		{"Chinese", []string{"Chinese", "Chinese"}},
		{"Iraqi", []string{"Iraqi", "Iraqis", "Iraqi", "Iraqis"}},
	} {
		if got := englishDemonyms(tc.in, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("englishDemonyms(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestUnterm(t *testing.T) {
	for in, want := range map[string]string{
		"États-Unis d'Amérique (les)":    "États-Unis d'Amérique",
		"les États-Unis d'Amérique":      "États-Unis d'Amérique",
		"the Republic of Korea":          "Republic of Korea",
		"Holy See (the) *":               "Holy See",
		"Iran (Islamic Republic of)":     "",
		"l'État de Palestine *":          "État de Palestine",
		"Les états-unis d'Amérique":      "États-unis d'Amérique",
		"United States of America (the)": "United States of America",
	} {
		if got := unterm(in); got != want {
			t.Errorf("unterm(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAddVariants(t *testing.T) {
	e := &entry{}
	e.addVariants(kindCapital, "fr", "l'Élysée", true)
	for _, w := range []string{"l'Élysée", "l’Élysée", "l'Elysée", "l’Elysée"} {
		if !slices.ContainsFunc(e.aliases, func(a alias) bool { return a.text == w }) {
			t.Errorf("no variant %q in %v", w, e.aliases)
		}
	}
	e.add(kindName, "en", "Canada", false)
	e.add(kindName, "fr", "Canada", false)
	e.add(kindName, "en", "CANADA", false) // all upper: matched as written, kept beside "Canada"
	e.add(kindName, "en", "canada", false) // lower case: matches more than "Canada", kept
	e.add(kindName, "fr", "CAnada", false) // same case class: merged into the one with more capitals
	if n := len(e.aliases); n != 7 || e.aliases[4].lang != "" || e.aliases[4].text != "CAnada" || e.aliases[5].text != "CANADA" || e.aliases[6].text != "canada" {
		t.Errorf("merging failed: %v", e.aliases)
	}
}

func TestResolveConflicts(t *testing.T) {
	big := &entry{id: "Q1", typ: "country", independent: true, area: 10}
	small := &entry{id: "Q2", typ: "country", area: 100}
	org1 := &entry{id: "Q3", typ: "organization/igo"}
	org2 := &entry{id: "Q4", typ: "organization/igo"}
	big.add(kindDemonym, "en", "Congolese", false)
	small.add(kindDemonym, "en", "congolese", false)
	org1.add(kindName, "en", "ISA", false)
	org2.add(kindName, "en", "ISA", false)
	org1.add(kindName, "en", "ESA", false)
	org2.add(kindName, "en", "ESA", true)
	resolveConflicts([]*entry{big, small, org1, org2})
	if len(big.aliases) != 1 || len(small.aliases) != 0 {
		t.Errorf("sovereign state should keep the demonym: %v / %v", big.aliases, small.aliases)
	}
	if len(org1.aliases) != 0 || len(org2.aliases) != 1 || org2.aliases[0].text != "ESA" {
		t.Errorf("ambiguous acronym should be dropped, curated one kept: %v / %v", org1.aliases, org2.aliases)
	}
}

func TestReadSupraverden(t *testing.T) {
	dir := t.TempDir()
	good := "Org One:\n  Wikidata_code: Q1\n  Name_en: Org One Thing\n  Abbreviation_en: OOT\n  Name_fr: 'L''organisation'\n  LEI_bic:\n  - X\n? Long Key\n: Wikidata_code: Q2\n  Name_en: Long Key\n"
	p := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(p, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := readSupraverden(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].fields["Name_fr"] != "L'organisation" || recs[1].key != "Long Key" || recs[1].fields["Wikidata_code"] != "Q2" {
		t.Errorf("parsed %+v", recs)
	}
	for in, want := range map[string]string{
		"  Name_en: x\n":             ":1: indented line before any top-level key",
		"A:\n  Name_en: x\nB\n":      ":3: want a top-level key",
		"A:\n  Name_en: |\n":         ":2: block scalars",
		"A:\n      deep: x\n":        ":2: unexpected indentation",
		"A:\n  Wikidata_code: X12\n": ":2: bad Wikidata_code", // from organisations
		"A:\n  Name_en:x\n":          ":2: want a space after ':'",
	} {
		p := filepath.Join(dir, "bad.yaml")
		if err := os.WriteFile(p, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := organisations(p)
		if err == nil || !strings.Contains(err.Error(), "bad.yaml"+want) {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
}

func TestReadCurated(t *testing.T) {
	dir := t.TempDir()
	for in, want := range map[string]string{
		"# c\nQ1\tcountry\tA\tB\t-\t-\t-\n":             ":2: want 8 tab-separated fields",
		"X1\tcountry\tA\tB\t-\t-\t-\tsrc\n":             ":1: bad id",
		"Q1\tcountry\tA\tB\tFrance\t-\t-\tsrc\n":        ":1: bad country",
		"Q1\tcountry\tA\tB\t-\t-\t-\t-\n":               ":1: empty source",
		"Q1\tcountry\tA\tB\t-\t-\tnick:en:A\tsrc\n":     ":1: unknown alias kind",
		"Q1\tcountry\tA\tB\t-\t-\tname:de:A\tsrc\n":     ":1: unknown language",
		"Q1\tcountry\tA\tB\t-\t-\tname:en\tsrc\n":       ":1: bad alias",
		"\nQ1\tcountry\tA\tB\t-\t-\tname:en:A|!\tsrc\n": ":2: empty removal",
	} {
		p := filepath.Join(dir, "c.tsv")
		if err := os.WriteFile(p, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := readCurated(p)
		if err == nil || !strings.Contains(err.Error(), "c.tsv"+want) {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
	p := filepath.Join(dir, "c.tsv")
	if err := os.WriteFile(p, []byte("Q1\t-\t-\t-\t-\t-\t!Nowhere\tsrc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lines, err := readCurated(p)
	if err != nil {
		t.Fatal(err)
	}
	var entries []*entry
	err = applyCurated(p, lines, map[string]*entry{"Q1": {id: "Q1", typ: "country"}}, &entries)
	if err == nil || !strings.Contains(err.Error(), "c.tsv:1: Q1 has no alias") {
		t.Errorf("removing a missing alias: %v", err)
	}
}

// TestGenerated rebuilds the gazetteer from ../shared/data and checks that
// the result is deterministic and that schema/gazetteer.tsv.gz is up to date.
func TestGenerated(t *testing.T) {
	root, err := reporoot.Find()
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "country-codes.csv")); err != nil {
		t.Skip("reference data not available:", err)
	}
	src := sources{data: data, ud: filepath.Join(root, "..", "shared", "ud"), curated: filepath.Join(root, "schema", "internal", "gazgen")}
	if _, err := os.Stat(filepath.Join(src.ud, udTreebanks[0])); err != nil {
		t.Skip("treebanks not available:", err)
	}
	var outs [][]byte
	for range 2 {
		entries, err := build(src, false)
		if err != nil {
			t.Fatal(err)
		}
		b, err := render(entries)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two builds differ")
	}
	committed, err := os.ReadFile(filepath.Join(root, "schema", "gazetteer.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, outs[0]) {
		t.Error("schema/gazetteer.tsv.gz is stale: run go run ./schema/internal/gazgen")
	}
	// about 17,000 persons from petrarch2 make most of it; loading stays
	// under 0.1 s (BenchmarkLoadGazetteer in schema)
	if len(outs[0]) > 900_000 {
		t.Errorf("gazetteer is %d bytes gzip'd, want 900 KB at most", len(outs[0]))
	}
}
