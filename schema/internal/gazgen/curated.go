package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/kg-news/kg/schema"
)

// curatedLine is one line of curated.tsv.
type curatedLine struct {
	line                                   int
	id, typ, nameEN, nameFR, country, role string
	aliases                                []string // kind:lang:text, or !text to remove
	source                                 string
}

// readCurated reads curated.tsv: "#" comments, blank lines, and lines of
// eight tab-separated fields, id type name_en name_fr country role aliases
// source, "-" marking an empty field. Errors carry file:line.
func readCurated(path string) ([]curatedLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	var out []curatedLine
	ln := 0
	for sc.Scan() {
		ln++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 8 {
			return nil, fmt.Errorf("%s:%d: want 8 tab-separated fields, got %d", path, ln, len(f))
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
			if f[i] == "-" {
				f[i] = ""
			}
		}
		c := curatedLine{line: ln, id: f[0], typ: f[1], nameEN: f[2], nameFR: f[3], country: f[4], role: f[5], source: f[7]}
		if !validEntityID(c.id) {
			return nil, fmt.Errorf("%s:%d: bad id %q (want a Wikidata id like Q423 or a project id like group/boko-haram)", path, ln, c.id)
		}
		if c.typ != "" && !validID(c.id) && !strings.HasPrefix(c.id, schema.BaseType(c.typ)+"/") {
			return nil, fmt.Errorf("%s:%d: project id %q does not start with its type %q", path, ln, c.id, schema.BaseType(c.typ))
		}
		if c.country != "" && !validID(c.country) {
			return nil, fmt.Errorf("%s:%d: bad country %q (want a Wikidata id)", path, ln, c.country)
		}
		if c.source == "" {
			return nil, fmt.Errorf("%s:%d: empty source", path, ln)
		}
		if f[6] != "" {
			for _, a := range strings.Split(f[6], "|") {
				a = strings.TrimSpace(a)
				if strings.HasPrefix(a, "!") {
					if len(a) == 1 {
						return nil, fmt.Errorf("%s:%d: empty removal '!'", path, ln)
					}
					c.aliases = append(c.aliases, a)
					continue
				}
				p := strings.SplitN(a, ":", 3)
				if len(p) != 3 || p[2] == "" {
					return nil, fmt.Errorf("%s:%d: bad alias %q (want kind:lang:text or !text)", path, ln, a)
				}
				if _, ok := kindRank[p[0]]; !ok {
					return nil, fmt.Errorf("%s:%d: unknown alias kind %q in %q", path, ln, p[0], a)
				}
				if p[1] != "" && p[1] != "en" && p[1] != "fr" {
					return nil, fmt.Errorf("%s:%d: unknown language %q in %q", path, ln, p[1], a)
				}
				if _, ok := cleanText(p[2]); !ok {
					return nil, fmt.Errorf("%s:%d: bad alias text in %q", path, ln, a)
				}
				c.aliases = append(c.aliases, a)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, ln+1, err)
	}
	return out, nil
}

// applyCurated merges curated lines into the entries: a line whose id is
// already known overrides the non-empty fields and adds or removes aliases;
// a new id makes a new entry, which needs a type and a name. Curated aliases
// win conflicts with generated ones (see resolveConflicts).
func applyCurated(path string, lines []curatedLine, byID map[string]*entry, entries *[]*entry) error {
	for _, c := range lines {
		e := byID[c.id]
		if e == nil {
			if c.typ == "" || (c.nameEN == "" && c.nameFR == "") {
				return fmt.Errorf("%s:%d: new entry %s needs a type and a name", path, c.line, c.id)
			}
			e = &entry{id: c.id}
			byID[c.id] = e
			*entries = append(*entries, e)
		}
		if c.typ != "" {
			e.typ = c.typ
		}
		if c.nameEN != "" {
			e.nameEN = c.nameEN
			e.addVariants(kindName, "en", c.nameEN, true)
		}
		if c.nameFR != "" {
			e.nameFR = c.nameFR
			e.addVariants(kindName, "fr", c.nameFR, true)
		}
		if c.country != "" {
			e.country = c.country
		}
		if c.role != "" {
			e.role = c.role
		}
		for _, a := range c.aliases {
			if strings.HasPrefix(a, "!") {
				if e.remove(a[1:]) == 0 {
					return fmt.Errorf("%s:%d: %s has no alias %q to remove", path, c.line, c.id, a[1:])
				}
				continue
			}
			p := strings.SplitN(a, ":", 3)
			e.addVariants(p[0], p[1], p[2], true)
		}
	}
	return nil
}

// officeLine is one line of offices.tsv: a dated office of a person.
type officeLine struct {
	line                   int
	id, role, of, from, to string
	source                 string
}

// readOffices reads offices.tsv: "#" comments, blank lines, and lines of
// six tab-separated fields, id role of from to source, where id is the
// person's (Wikidata or project id), of the country's or organisation's id,
// and from and to are YYYY[-MM[-DD]] or "-" (unknown start, still in
// office). Errors carry file:line.
func readOffices(path string) ([]officeLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var out []officeLine
	ln := 0
	for sc.Scan() {
		ln++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) != 6 {
			return nil, fmt.Errorf("%s:%d: want 6 tab-separated fields, got %d", path, ln, len(p))
		}
		for i := range p {
			p[i] = strings.TrimSpace(p[i])
			if p[i] == "-" {
				p[i] = ""
			}
		}
		o := officeLine{line: ln, id: p[0], role: p[1], of: p[2], from: p[3], to: p[4], source: p[5]}
		switch {
		case !validEntityID(o.id):
			return nil, fmt.Errorf("%s:%d: bad id %q", path, ln, o.id)
		case o.role == "" || strings.ContainsAny(o.role, ":|"):
			return nil, fmt.Errorf("%s:%d: bad role %q", path, ln, o.role)
		case !validEntityID(o.of):
			return nil, fmt.Errorf("%s:%d: bad office holder's country or organisation %q", path, ln, o.of)
		case o.from != "" && !schema.ValidDate(o.from), o.to != "" && !schema.ValidDate(o.to):
			return nil, fmt.Errorf("%s:%d: bad date (want YYYY[-MM[-DD]] or -)", path, ln)
		case o.from != "" && o.to != "" && o.from > o.to:
			return nil, fmt.Errorf("%s:%d: office ends before it starts", path, ln)
		case o.source == "":
			return nil, fmt.Errorf("%s:%d: empty source", path, ln)
		}
		out = append(out, o)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, ln+1, err)
	}
	return out, nil
}
