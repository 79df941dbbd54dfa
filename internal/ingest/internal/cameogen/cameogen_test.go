package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kg-news/kg/internal/devtools/reporoot"
	"github.com/kg-news/kg/schema"
)

// TestGenerated rebuilds the lexicon from ../shared/data (beside the
// repository) and checks that the result is deterministic and that the
// committed internal/ingest/lexicon-en-cameo.tsv and
// lexicon-forms-en-cameo.tsv are up to date.
func TestGenerated(t *testing.T) {
	root, err := reporoot.Find()
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, cameoPath)); err != nil {
		t.Skip("reference data not available:", err)
	}
	var runs [][]outFile
	for range 2 {
		files, err := build(root, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, files)
	}
	for i, f := range runs[0] {
		if !bytes.Equal(f.body, runs[1][i].body) {
			t.Fatalf("two builds of %s differ", f.name)
		}
		committed, err := os.ReadFile(filepath.Join(root, "internal", "ingest", f.name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(committed, f.body) {
			t.Errorf("internal/ingest/%s is stale: run go run ./internal/ingest/internal/cameogen", f.name)
		}
	}
}

func TestParseVerb(t *testing.T) {
	for _, c := range []struct {
		name, line string
		want       *verb
	}{
		{"plain", "ACCUSE ", &verb{words: []string{"accuse"}, code: "110"}},
		{"own code", "ASK     [020]", &verb{words: []string{"ask"}, code: "020"}},
		{"irregular forms", "FORBID {FORBADE FORBIDDEN FORBIDDING} # jw", &verb{words: []string{"forbid"}, forms: []string{"forbade", "forbidden", "forbidding"}, code: "110"}},
		{"particle verb", "+CRACK_DOWN {+CRACKED_DOWN , +CRACKS_DOWN}", &verb{words: []string{"crack", "down"}, forms: []string{"cracked", "cracks"}, code: "110"}},
		{"TABARI comment", "RIP {RIPPING RIPS RIPPED};shan   7/11/93", &verb{words: []string{"rip"}, forms: []string{"ripping", "rips", "ripped"}, code: "110"}},
		{"verb not first", "RE_+ARREST", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseVerb(c.line, "110")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("parseVerb(%q) = %+v, want %+v", c.line, got, c.want)
			}
		})
	}
}

func TestParsePattern(t *testing.T) {
	p, err := parsePattern("- * STRIKE (FOR RESIGNATION)   [1431]   # CALL , CALLED <ab 02 Dec 2005>")
	if err != nil {
		t.Fatal(err)
	}
	if p.code != "1431" || !reflect.DeepEqual(p.post, []string{"STRIKE", "(FOR", "RESIGNATION)"}) || !reflect.DeepEqual(p.origins, []string{"call", "called"}) {
		t.Errorf("got %+v", p)
	}
	its := items(p.post)
	if len(its) != 2 || its[0].kind != "word" || its[1].kind != "pp" || its[1].preps[0] != "FOR" || its[1].words[0] != "RESIGNATION" {
		t.Errorf("items: %+v", its)
	}
	if p, _ := parsePattern("- * (TO) # no code"); p != nil {
		t.Errorf("a pattern without a code: %+v", p)
	}
}

// TestResolve: a CAMEO code finds its kg relation through the PLOVER
// table and the most specific row of mapping.tsv.
func TestResolve(t *testing.T) {
	pl := map[string]plover{
		"072": {event: "AID", contexts: []string{"military"}},
		"070": {event: "AID"},
		"112": {event: "ACCUSE", mode: "disapprove"},
	}
	rules := []rule{
		{cameo: "*", event: "AID", mode: "*", context: "*", relation: "aids"},
		{cameo: "*", event: "AID", mode: "*", context: "military", relation: "supplies"},
		{cameo: "*", event: "ACCUSE", mode: "*", context: "*", relation: "criticizes"},
		{cameo: "112", event: "*", mode: "*", context: "*", relation: "accuses"},
		{cameo: "02", event: "*", mode: "*", context: "*", relation: "requests"},
	}
	for _, c := range []struct{ code, want string }{
		{"072", "supplies"}, {"0721", "supplies"}, {"070", "aids"}, {"112", "accuses"}, {"1121", "accuses"}, {"0211", "requests"}, {"999", ""},
	} {
		t.Run(c.code, func(t *testing.T) {
			r, _, ok := resolve(c.code, pl, rules)
			if got := r.relation; ok != (c.want != "") || got != c.want {
				t.Errorf("resolve(%s) = %q, %v; want %q", c.code, got, ok, c.want)
			}
		})
	}
}

// TestPolicyErrors: policy.tsv mistakes name their line.
func TestPolicyErrors(t *testing.T) {
	onto, err := schema.LoadOntology()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, src, want string }{
		{"unknown action", "hold\tkeep\t-\t-\t-\twhy\n", "p.tsv:1: action \"keep\""},
		{"bare without relation", "hold\tbare\t-\t-\t-\twhy\n", "p.tsv:1: bare needs one relation"},
		{"unknown relation", "hold\tnouns\tmeetz\t-\t-\twhy\n", "p.tsv:1: relation \"meetz\""},
		{"twice", "hold\tdrop\t-\t-\t-\twhy\nhold\tdrop\t-\t-\t-\twhy\n", "p.tsv:2: \"hold\" drop twice"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parsePolicy("p.tsv", c.src, onto)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}
