package schema

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// UserActorsHeader documents the format of a user's actors file (kg
// extract/ingest/eval --actors FILE, or actors.tsv beside the store).
const UserActorsHeader = `# kg actors: your own actors and aliases, merged into the gazetteer.
# One actor a line, 6 tab-separated fields; "-" leaves a field empty:
#   id       a Wikidata id (Q123) or your own id (group/my-ngo, person/jane-doe)
#   type     country | organization[/sub] | person | group[/sub] ...
#   name     its name (English or as you want it shown)
#   aliases  other names, "|"-separated; plain text is a name in both
#            languages, or kind:lang:text with kind name, demonym, capital
#            or surname and lang en, fr or empty ("name:fr:Mon ONG")
#   country  the Wikidata id of its country, for persons and national bodies
#   role     for persons: head_of_state, head_of_government, foreign_minister,
#            minister, leader, ambassador, ...
# A line whose id the gazetteer already has adds its aliases to that entry
# and overrides the fields it gives (type, name, country, role may be "-").
`

// MergeUserActors reads a user's actors file (the format of
// UserActorsHeader) and merges it into g. Errors name FILE:LINE; on an
// error g is left as it was.
func (g *Gazetteer) MergeUserActors(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return g.mergeUserActors(path, f)
}

func (g *Gazetteer) mergeUserActors(name string, r io.Reader) error {
	type change struct {
		e   GazEntry
		old bool
	}
	var changes []change
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return fmt.Errorf("%s:%d: want 6 tab-separated fields (id, type, name, aliases, country, role), got %d", name, ln, len(f))
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if f[0] == "id" && f[1] == "type" {
			continue // a header line
		}
		id := f[0]
		if id == "" || id == "-" {
			return fmt.Errorf("%s:%d: empty id", name, ln)
		}
		if !IsQID(id) && !strings.Contains(id, "/") {
			return fmt.Errorf("%s:%d: id %q: want a Wikidata id (Q123) or a project id with a type (group/my-ngo)", name, ln, id)
		}
		if prev, dup := seen[id]; dup {
			return fmt.Errorf("%s:%d: id %s already at line %d", name, ln, id, prev)
		}
		seen[id] = ln
		var e GazEntry
		old := false
		if cur, ok := g.Lookup(id); ok {
			e, old = *cur, true
			e.Aliases = append([]Alias(nil), cur.Aliases...)
		} else {
			e.ID = id
			if dash(f[1]) == "" || dash(f[2]) == "" {
				return fmt.Errorf("%s:%d: %s is not in the gazetteer: give its type and name", name, ln, id)
			}
		}
		if t := dash(f[1]); t != "" {
			e.Type = t
		}
		if n := dash(f[2]); n != "" {
			if !old {
				e.NameEN, e.NameFR = n, n
			}
			e.Aliases = append(e.Aliases, Alias{Text: n, Kind: AliasName}) // names are matched through aliases
		}
		if a := dash(f[3]); a != "" {
			for _, s := range strings.Split(a, "|") {
				s = strings.TrimSpace(s)
				if s == "" {
					continue
				}
				al := Alias{Text: s, Kind: AliasName}
				if parts := strings.SplitN(s, ":", 3); len(parts) == 3 {
					switch k := AliasKind(parts[0]); k {
					case AliasName, AliasDemonym, AliasCapital, AliasSurname:
						if parts[1] != "" && parts[1] != "en" && parts[1] != "fr" {
							return fmt.Errorf("%s:%d: alias %q: language %q: want en, fr or empty", name, ln, s, parts[1])
						}
						if parts[2] == "" {
							return fmt.Errorf("%s:%d: alias %q: empty text", name, ln, s)
						}
						al = Alias{Text: parts[2], Kind: k, Lang: parts[1]}
					}
				}
				e.Aliases = append(e.Aliases, al)
			}
		}
		if c := dash(f[4]); c != "" {
			if !IsQID(c) {
				return fmt.Errorf("%s:%d: country %q: want a Wikidata id (Q142)", name, ln, c)
			}
			e.Country = c
		}
		if ro := dash(f[5]); ro != "" {
			e.Role = ro
		}
		changes = append(changes, change{e, old})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, c := range changes {
		if c.old {
			g.Entries[g.byID[c.e.ID]] = c.e
			continue
		}
		g.byID[c.e.ID] = len(g.Entries)
		g.Entries = append(g.Entries, c.e)
	}
	return nil
}
