package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

// TestActorTable checks sector actors and armed groups sentence by
// sentence: testdata/actors/LANG.tsv gives, per line, the sentences
// before (the article so far, "-" for none), the sentence, and the fact
// expected from it: subject, relation, object, each a country or
// organisation id ("Q38799") or a sector actor as country/sector
// ("Q114/police"). A relation "-" says the sentence must give no fact
// with a sector actor (subject and object "-" too).
func TestActorTable(t *testing.T) {
	x := newTestExtractor(t)
	for _, lang := range []string{"en", "fr"} {
		path := filepath.Join("testdata", "actors", lang+".tsv")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = schema.EachTSVRow(path, string(src), 5, "context", func(line int, f []string) error {
			n++
			context, sentence, subj, rel, obj := f[0], f[1], f[2], f[3], f[4]
			t.Run(fmt.Sprintf("%s/%d_%s", lang, line, caseName(sentence)), func(t *testing.T) {
				text := sentence
				if context != "-" {
					text = context + "\n" + sentence
				}
				res, err := x.Extract(schema.Article{ID: "actors", Lang: lang, Date: "2024-03-15", Text: text})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, fc := range res.Facts {
					if fc.Evidence.Sentence != sentence {
						continue
					}
					got = append(got, refSpec(fc.Subject)+" "+fc.Relation+" "+refSpec(fc.Object))
					if rel == "-" {
						if fc.Subject.Sector != "" || fc.Object.Sector != "" {
							t.Errorf("%s:%d: want no sector actor, got %s", path, line, got[len(got)-1])
						}
						continue
					}
				}
				if rel == "-" {
					return
				}
				want := subj + " " + rel + " " + obj
				for _, g := range got {
					if g == want {
						return
					}
				}
				t.Errorf("%s:%d: want %s, got %v", path, line, want, got)
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n < 150 {
			t.Errorf("%s: %d sentences, want at least 150", path, n)
		}
	}
}

// refSpec writes an entity as the actor table does: a sector actor as
// country/sector, anything else by id.
func refSpec(e schema.EntityRef) string {
	if e.Sector != "" {
		return e.Country + "/" + e.Sector
	}
	return e.ID
}

// caseName is a subtest name from a sentence: its first words, slugged.
func caseName(s string) string {
	w := strings.Split(schema.Slug(s), "-")
	if len(w) > 6 {
		w = w[:6]
	}
	return strings.Join(w, "-")
}

func TestSectorID(t *testing.T) {
	id := schema.SectorID("Q114", "police")
	if id != "sector/Q114/police" {
		t.Errorf("SectorID = %q", id)
	}
	if schema.IsQID(id) || strings.HasSuffix(id, "Q114") {
		t.Errorf("%q must not read as the country's id", id)
	}
}

func TestParseAgentsErrors(t *testing.T) {
	sectors, err := schema.LoadSectors()
	if err != nil {
		t.Fatal(err)
	}
	pats := LexiconFile{Name: "p.tsv", Src: "en\tactor\t{demonym} {agent}\t-\t-\tx\n"}
	for _, c := range []struct{ name, agents, patterns, want string }{
		{"sector", "en\tpolice\tcops\t-\n", "", "a.tsv:1: unknown sector \"cops\""},
		{"flag", "en\tpolice\tpolice\tloud\n", "", "a.tsv:1: unknown flag \"loud\""},
		{"lang", "de\tpolizei\tpolice\t-\n", "", "a.tsv:1: language \"de\""},
		{"twice", "en\tpolice\tpolice\t-\nen\tPolice\tmilitary\t-\n", "", "a.tsv:2: agent \"Police\" already defined at a.tsv:1"},
		{"fields", "en\tpolice\tpolice\n", "", "a.tsv:1: want 4"},
		{"two agents", "", "en\tactor\t{agent} {agent}\t-\t-\tx\n", "p.tsv:1: pattern \"{agent} {agent}\": want one {agent}, got 2"},
		{"slot", "", "en\tactor\t{agent} {city}\t-\t-\tx\n", "p.tsv:1: unknown slot {city}"},
		{"bare", "", "en\tactor\t{agent}\t-\t-\tx\n", "p.tsv:1: a pattern without {demonym} or {country} must need bare"},
		{"except", "", "en\tactor\t{demonym} {agent}\t-\tcops\tx\n", "p.tsv:1: except: \"cops\" is neither a flag nor a sector"},
		{"kind", "", "en\tmaybe\tx\t-\t-\tx\n", "p.tsv:1: unknown kind \"maybe\""},
		{"ends", "", "en\tactor\t{demonym} {agent} {det}\t-\t-\tx\n", "ends with an optional slot"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := pats
			if c.patterns != "" {
				p = LexiconFile{Name: "p.tsv", Src: c.patterns}
			}
			_, err := ParseAgents([]LexiconFile{{Name: "a.tsv", Src: c.agents}}, p, sectors)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestLoadAgents(t *testing.T) {
	sectors, err := schema.LoadSectors()
	if err != nil {
		t.Fatal(err)
	}
	lx, err := LoadAgents(sectors)
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]int{}
	for _, a := range lx.Agents {
		langs[a.Lang]++
	}
	if langs["en"] < 1000 || langs["fr"] < 300 {
		t.Errorf("agents per language: %v", langs)
	}
}
