package schema

import (
	"strings"
	"testing"
)

func TestLoadSectors(t *testing.T) {
	s, err := LoadSectors()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"government", "military", "police", "judiciary", "legislature", "rebels", "opposition", "protesters", "civilians", "media", "business", "refugees", "criminals"} {
		if !s.Has(want) {
			t.Errorf("sector %q missing", want)
		}
	}
	for _, c := range []struct{ code, want string }{
		{"COP", "police"}, {"GOVMED", "government"}, {"OPPEDU", "opposition"}, {"MUSUAF", "armed"}, {"CHRCTH", "religious"}, {"PPL", ""},
	} {
		t.Run(c.code, func(t *testing.T) {
			got, ok := s.ForCodes(c.code)
			if got != c.want || ok != (c.want != "") {
				t.Errorf("ForCodes(%q) = %q, %v; want %q", c.code, got, ok, c.want)
			}
		})
	}
}

func TestParseSectorsErrors(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"dup", "a\tGOV\tx\na\tMIL\ty\n", "x.tsv:2: sector \"a\" defined twice"},
		{"code twice", "a\tGOV\tx\nb\tGOV\ty\n", "x.tsv:2: CAMEO code GOV already belongs to a"},
		{"bad code", "a\tgov\tx\n", "x.tsv:1: bad CAMEO code"},
		{"upper name", "Police\tCOP\tx\n", "x.tsv:1: bad sector name"},
		{"fields", "a\tCOP\n", "x.tsv:1: want 3"},
		{"empty", "# nothing\n", "no sectors"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseSectors("x.tsv", c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}
