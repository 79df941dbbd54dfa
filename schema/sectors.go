package schema

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed sectors.tsv
var sectorsTSV string

// Sector is one kind of domestic actor: a country's police, military,
// protesters... PLOVER and CAMEO code an actor as a country plus a sector,
// so a sector actor ("Kenyan police") stands for its country in an event.
type Sector struct {
	Name    string   `json:"name"`
	CAMEO   []string `json:"cameo,omitempty"` // CAMEO agent codes ("COP"), none for kg's own
	Meaning string   `json:"meaning"`
}

// Sectors is the sector list, in priority order, indexed by name.
type Sectors struct {
	List   []Sector
	byName map[string]int
	byCode map[string]int
}

// LoadSectors parses the embedded sector list (schema/sectors.tsv).
func LoadSectors() (*Sectors, error) {
	return ParseSectors("schema/sectors.tsv", sectorsTSV)
}

// ParseSectors parses a sector list in the sectors.tsv format; name is used
// in error messages.
func ParseSectors(name, src string) (*Sectors, error) {
	s := &Sectors{byName: map[string]int{}, byCode: map[string]int{}}
	err := EachTSVRow(name, src, 3, "sector", func(_ int, f []string) error {
		sec := Sector{Name: f[0], Meaning: f[2]}
		if sec.Name == "" || sec.Name != strings.ToLower(sec.Name) || strings.ContainsAny(sec.Name, " /\t") {
			return fmt.Errorf("bad sector name %q: lower case, no space or slash", sec.Name)
		}
		if _, dup := s.byName[sec.Name]; dup {
			return fmt.Errorf("sector %q defined twice", sec.Name)
		}
		if sec.Meaning == "" {
			return fmt.Errorf("sector %q has no meaning", sec.Name)
		}
		if f[1] != "-" {
			for _, c := range strings.Split(f[1], "|") {
				if len(c) != 3 || strings.ToUpper(c) != c {
					return fmt.Errorf("bad CAMEO code %q: three capital letters", c)
				}
				if prev, dup := s.byCode[c]; dup {
					return fmt.Errorf("CAMEO code %s already belongs to %s", c, s.List[prev].Name)
				}
				s.byCode[c] = len(s.List)
				sec.CAMEO = append(sec.CAMEO, c)
			}
		}
		s.byName[sec.Name] = len(s.List)
		s.List = append(s.List, sec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.List) == 0 {
		return nil, fmt.Errorf("%s: no sectors", name)
	}
	return s, nil
}

// Has reports whether name is a sector.
func (s *Sectors) Has(name string) bool {
	_, ok := s.byName[name]
	return ok
}

// ForCodes returns the sector of a compound CAMEO agent code ("OPPEDU", a
// student protester): of the three-letter codes it is made of, the one
// whose sector comes first in the list. ok is false when none has one.
func (s *Sectors) ForCodes(compound string) (name string, ok bool) {
	best := -1
	for i := 0; i+3 <= len(compound); i += 3 {
		if k, found := s.byCode[compound[i:i+3]]; found && (best < 0 || k < best) {
			best = k
		}
	}
	if best < 0 {
		return "", false
	}
	return s.List[best].Name, true
}

// SectorID is the project id of a country's sector actor:
// "sector/Q114/police". It ends in the sector, never in the country's
// Q-id, so no reader takes it for the country itself.
func SectorID(country, sector string) string { return "sector/" + country + "/" + sector }

// SectorCountry returns the country of a sector actor's id
// ("sector/Q114/police" -> "Q114"), or "" for any other id.
func SectorCountry(id string) string {
	rest, ok := strings.CutPrefix(id, "sector/")
	if !ok {
		return ""
	}
	c, _, ok := strings.Cut(rest, "/")
	if !ok || !IsQID(c) {
		return ""
	}
	return c
}
