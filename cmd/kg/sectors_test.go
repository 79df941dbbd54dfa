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
