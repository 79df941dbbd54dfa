package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSectorActorsInQueries: a country named to --subject, neighbors,
// render and the PLOVER export stands for its sector actors too ("the
// Kenyan police" is Kenya·police), unless --country-only.
func TestSectorActorsInQueries(t *testing.T) {
	store := filepath.Join(t.TempDir(), "graph.db")
	text := "La police kényane a arrêté des enseignants. Le Kenya a condamné la Somalie.\n"
	if _, errs, code := kgRun(t, text, "--store", store, "ingest", "--lang", "fr", "-"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	svg := filepath.Join(t.TempDir(), "map.svg")
	for _, c := range []struct {
		name      string
		args      []string
		want, not []string
	}{
		{"facts by country include its sectors", []string{"facts", "--subject", "Kenya"}, []string{"sector/Q114/police", "Q1045"}, nil},
		{"country only", []string{"facts", "--subject", "Kenya", "--country-only"}, []string{"Q1045"}, []string{"sector/Q114/police"}},
		{"neighbors of the country reach its sectors", []string{"neighbors", "Q114"}, []string{"sector/Q114/education"}, nil},
		{"plover actors carry country and sector", []string{"export", "--format", "plover"}, []string{`"country":"Q114","sector":"police"`}, nil},
		{"map draws the sector beside its country", []string{"render", "-o", svg}, []string{"wrote"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := kgRun(t, "", append([]string{"--store", store}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.not {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
	b, err := os.ReadFile(svg)
	if err != nil || !strings.Contains(string(b), "a sector of Kenya") {
		t.Fatalf("map: %v, no sector line to Kenya", err)
	}
}

// TestUserActors: --actors and an actors.tsv beside the store add actors
// the gazetteer lacks; a bad file is named with its line.
func TestUserActors(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "graph.db")
	actors := "group/front-vert\tgroup/armed\tFront vert\tGreen Front\tQ1028\t-\n"
	if err := os.WriteFile(filepath.Join(dir, "actors.tsv"), []byte(actors), 0o644); err != nil {
		t.Fatal(err)
	}
	text := "The Green Front attacked Morocco.\n"
	if _, errs, code := kgRun(t, text, "--store", store, "ingest", "--lang", "en", "-"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	out, errs, code := kgRun(t, "", "--store", store, "facts", "--subject", "group/front-vert")
	if code != 0 || !strings.Contains(out, "Front vert (group/front-vert)") {
		t.Fatalf("facts: exit %d: %s %s", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte("# x\nonly\ttwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code = kgRun(t, text, "extract", "--lang", "en", "--actors", bad, "-")
	if code != exitError || !strings.Contains(errs, bad+":2: want 6 tab-separated fields") {
		t.Fatalf("bad actors: exit %d: %s", code, errs)
	}
}
