package schema

import (
	"strings"
	"testing"
)

func TestMergeUserActors(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	n := len(g.Entries)
	src := "# comment\nid\ttype\tname\taliases\tcountry\trole\n" +
		"person/jane-roe\tperson\tJane Roe\tRoe|name:fr:Jeanne Roe|surname::Roe\tQ142\tforeign_minister\n" +
		"Q423\t-\t-\tNordkorea\t-\t-\n"
	if err := g.mergeUserActors("a.tsv", strings.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	if len(g.Entries) != n+1 {
		t.Fatalf("%d entries, want %d", len(g.Entries), n+1)
	}
	for _, c := range []struct {
		name, id, alias string
	}{
		{"new person", "person/jane-roe", "Jeanne Roe"},
		{"alias for an existing country", "Q423", "Nordkorea"},
		{"existing aliases kept", "Q423", "North Korea"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, ok := g.Lookup(c.id)
			if !ok {
				t.Fatalf("%s not found", c.id)
			}
			found := false
			for _, a := range e.Aliases {
				found = found || a.Text == c.alias
			}
			if !found {
				t.Fatalf("%s lacks alias %q", c.id, c.alias)
			}
		})
	}
	if e, _ := g.Lookup("Q423"); e.NameEN != "North Korea" || e.Type != "country" {
		t.Fatalf("Q423 changed: %+v", e)
	}
	if e, _ := g.Lookup("person/jane-roe"); e.Country != "Q142" || e.Role != "foreign_minister" {
		t.Fatalf("jane roe: %+v", e)
	}
}

func TestMergeUserActorsErrors(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"fields", "a\tb\n", "a.tsv:1: want 6 tab-separated fields"},
		{"no id", "-\tperson\tX\t-\t-\t-\n", "a.tsv:1: empty id"},
		{"bare id", "jane\tperson\tJane\t-\t-\t-\n", `a.tsv:1: id "jane": want a Wikidata id`},
		{"new needs a name", "\nperson/x\tperson\t-\t-\t-\t-\n", "a.tsv:2: person/x is not in the gazetteer: give its type and name"},
		{"country", "person/x\tperson\tX\t-\tFrance\t-\n", `a.tsv:1: country "France"`},
		{"alias language", "person/x\tperson\tX\tname:de:Xer\t-\t-\n", `language "de"`},
		{"twice", "person/x\tperson\tX\t-\t-\t-\nperson/x\tperson\tX\t-\t-\t-\n", "a.tsv:2: id person/x already at line 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := LoadGazetteer()
			if err != nil {
				t.Fatal(err)
			}
			n := len(g.Entries)
			err = g.mergeUserActors("a.tsv", strings.NewReader(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if len(g.Entries) != n {
				t.Fatalf("a failed merge changed the gazetteer")
			}
		})
	}
}
