package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// yamlRecord is one top-level mapping of supraverden-organisations.yaml: the
// key line's text and its scalar fields.
type yamlRecord struct {
	key    string
	line   int
	fields map[string]string
	lines  map[string]int // line of each field, for errors
}

// readSupraverden parses the subset of YAML that supraverden-organisations.yaml
// uses: top-level keys ("European Union:"), each followed by two-space
// indented "Field: value" scalars and "- item" lists (ignored), with values
// optionally single-quoted. Anything else is an error with file:line.
func readSupraverden(path string) ([]yamlRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	var recs []yamlRecord
	var cur *yamlRecord
	ln := 0
	for sc.Scan() {
		ln++
		line := strings.TrimRight(sc.Text(), " \r")
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("%s:%d: invalid UTF-8", path, ln)
		}
		trim := strings.TrimSpace(line)
		switch {
		case trim == "" || strings.HasPrefix(trim, "#") || trim == "---":
			continue
		case strings.HasPrefix(line, "? "):
			// explicit key, used for keys too long for a plain scalar
			recs = append(recs, yamlRecord{key: unquote(strings.TrimSpace(line[2:])), line: ln, fields: map[string]string{}, lines: map[string]int{}})
			cur = &recs[len(recs)-1]
		case strings.HasPrefix(line, ": ") && cur != nil && len(cur.fields) == 0:
			// the explicit key's value: a mapping whose first field is on this line
			if err := cur.setField(path, ln, strings.TrimSpace(line[2:])); err != nil {
				return nil, err
			}
		case !strings.HasPrefix(line, " "):
			if !strings.HasSuffix(line, ":") {
				return nil, fmt.Errorf("%s:%d: want a top-level key ending in ':', got %q", path, ln, line)
			}
			recs = append(recs, yamlRecord{key: unquote(strings.TrimSuffix(line, ":")), line: ln, fields: map[string]string{}, lines: map[string]int{}})
			cur = &recs[len(recs)-1]
		case cur == nil:
			return nil, fmt.Errorf("%s:%d: indented line before any top-level key", path, ln)
		case strings.HasPrefix(trim, "- "):
			continue // list item (LEI_bic); not used
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
			if err := cur.setField(path, ln, trim); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%s:%d: unexpected indentation: %q", path, ln, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path, ln+1, err)
	}
	return recs, nil
}

// setField parses one "Field: value" line into r.
func (r *yamlRecord) setField(path string, ln int, trim string) error {
	k, v, ok := strings.Cut(trim, ":")
	if !ok || strings.ContainsAny(k, " \t") {
		return fmt.Errorf("%s:%d: want 'Field: value', got %q", path, ln, trim)
	}
	if v != "" && v[0] != ' ' {
		return fmt.Errorf("%s:%d: want a space after ':' in %q", path, ln, trim)
	}
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">") {
		return fmt.Errorf("%s:%d: block scalars are not supported", path, ln)
	}
	if strings.HasPrefix(v, "\"") {
		return fmt.Errorf("%s:%d: double-quoted scalars are not supported", path, ln)
	}
	r.fields[k] = unquote(v)
	r.lines[k] = ln
	return nil
}

// unquote strips YAML single quotes ('it”s' → it's).
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	return v
}

// missing reports whether a supraverden value means "no value".
func missing(v string) bool {
	return v == "" || v == "null" || v == "~" || strings.HasPrefix(v, "[No ")
}

// organisations builds one "organization/igo" entry per supraverden record
// with a Wikidata id. Its names become aliases only when they have at least
// two words, and its abbreviations only when they have at least three
// letters, to keep noise ("Safefood", "AU") out; curated.tsv adds the rest.
func organisations(path string) ([]*entry, error) {
	recs, err := readSupraverden(path)
	if err != nil {
		return nil, err
	}
	byID := map[string]*entry{}
	var out []*entry
	for _, r := range recs {
		id := r.fields["Wikidata_code"]
		if missing(id) {
			continue
		}
		if !validID(id) {
			return nil, fmt.Errorf("%s:%d: bad Wikidata_code %q", path, r.lines["Wikidata_code"], id)
		}
		e := byID[id]
		if e == nil {
			e = &entry{id: id, typ: "organization/igo"}
			byID[id] = e
			out = append(out, e)
		}
		if e.nameEN == "" && !missing(r.fields["Name_en"]) {
			e.nameEN = r.fields["Name_en"]
		}
		if e.nameEN == "" {
			e.nameEN = r.key
		}
		if e.nameFR == "" && !missing(r.fields["Name_fr"]) {
			e.nameFR = upperFirst(r.fields["Name_fr"])
		}
		keys := make([]string, 0, len(r.fields))
		for k := range r.fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := r.fields[k]
			if missing(v) {
				continue
			}
			var lang string
			switch {
			case strings.HasSuffix(k, "_en"):
				lang = "en"
			case strings.HasSuffix(k, "_fr"):
				lang = "fr"
			default:
				continue
			}
			switch {
			case strings.HasPrefix(k, "Abbreviation_former"):
				continue
			case strings.HasPrefix(k, "Abbreviation"):
				if okAcronym(v) {
					e.addVariants(kindName, lang, v, false)
				}
			case strings.HasPrefix(k, "Name_"):
				if len(strings.Fields(v)) >= 2 {
					e.addVariants(kindName, lang, upperFirst(v), false)
				}
			}
		}
		if len(strings.Fields(r.key)) >= 2 {
			e.addVariants(kindName, "en", r.key, false)
		}
	}
	return out, nil
}

// upperFirst upper-cases the first letter of a name: supraverden copies
// Wikidata's French labels, which start in lower case ("communauté des États
// indépendants").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// okAcronym reports whether an abbreviation is safe to match: at least three
// letters, and at least four when it is not all upper case (a matcher
// compares mixed-case aliases case-insensitively: "CoR" would match "cor").
func okAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	if !isAllUpper(s) {
		return n >= 4
	}
	return n >= 3
}
