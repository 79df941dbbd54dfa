package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/kg-news/kg/schema"
)

// plover is one row of CAMEO2PLOVER-2021.txt: "0312: AGREE,  ,   military".
type plover struct {
	event, mode string
	contexts    []string
}

// parsePLOVER reads the CAMEO → PLOVER table, keyed on CAMEO code.
func parsePLOVER(name string, r io.Reader) (map[string]plover, error) {
	out := map[string]plover{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if strings.HasPrefix(strings.TrimSpace(line), "~") {
			break
		}
		code, rest, ok := strings.Cut(line, ":")
		if !ok || !strings.Contains(rest, ",") {
			continue // blank lines and group headings ("03: AGREE")
		}
		f := strings.Split(rest, ",")
		if len(f) < 2 {
			return nil, fmt.Errorf("%s:%d: want TYPE, mode, context", name, n)
		}
		p := plover{event: strings.TrimSpace(f[0]), mode: strings.TrimSpace(f[1])}
		if !schema.IsPLOVER(p.event) {
			return nil, fmt.Errorf("%s:%d: %q is not a PLOVER type", name, n, p.event)
		}
		if len(f) > 2 {
			for _, c := range strings.Split(f[2], ";") {
				if c = strings.TrimSpace(c); c != "" {
					p.contexts = append(p.contexts, c)
				}
			}
		}
		code = strings.TrimSpace(code)
		if _, dup := out[code]; !dup {
			out[code] = p
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no CAMEO codes", name)
	}
	return out, nil
}

// rule is one row of mapping.tsv: which kg relation a CAMEO code becomes.
type rule struct {
	cameo, event, mode, context string // "*" matches anything
	relation                    string // "skip": not an event
	lexMode                     string // "=": the PLOVER mode; "" none
	flags                       []string
	preps                       []string
	line                        int
}

// parseMapping reads mapping.tsv.
func parseMapping(name, src string, o *schema.Ontology) ([]rule, error) {
	var out []rule
	err := schema.EachTSVRow(name, src, 8, "cameo", func(ln int, f []string) error {
		r := rule{cameo: f[0], event: f[1], mode: dashEmpty(f[2]), context: dashEmpty(f[3]), relation: f[4],
			lexMode: dashEmpty(f[5]), flags: fields(f[6]), preps: fields(f[7]), line: ln}
		if r.event != "*" && !schema.IsPLOVER(r.event) {
			return fmt.Errorf("%q is not a PLOVER type", r.event)
		}
		if r.relation != "skip" {
			if _, ok := o.Relation(r.relation); !ok {
				return fmt.Errorf("relation %q is not in schema/relations.tsv", r.relation)
			}
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

func dashEmpty(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func fields(s string) []string {
	if s == "-" {
		return nil
	}
	return strings.Fields(s)
}

// resolve finds the mapping row for a CAMEO code: the PLOVER type, mode
// and context of its longest listed prefix, then the row with the longest
// CAMEO prefix, then the most specific mode and context. ok is false when
// no row matches.
func resolve(code string, pl map[string]plover, rules []rule) (r rule, p plover, ok bool) {
	for k := len(code); k >= 2; k-- {
		if x, found := pl[code[:k]]; found {
			p = x
			break
		}
	}
	best := -1
	for _, x := range rules {
		if x.cameo != "*" && !strings.HasPrefix(code, x.cameo) {
			continue
		}
		if x.event != "*" && x.event != p.event {
			continue
		}
		if x.mode != "*" && x.mode != p.mode {
			continue
		}
		if x.context != "*" && !contains(p.contexts, x.context) {
			continue
		}
		score := 0
		if x.cameo != "*" {
			score += 100 * len(x.cameo)
		}
		if x.event != "*" {
			score += 10
		}
		if x.mode != "*" {
			score += 2
		}
		if x.context != "*" {
			score++
		}
		if score > best {
			best, r, ok = score, x, true
		}
	}
	return r, p, ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// decision is one row of policy.tsv: what to do with a CAMEO block or
// verb beyond what its codes say.
type decision struct {
	what   string // "block:NAME" or a verb phrase, lower case
	action string // drop, nobare, bare, nouns
	// bare: the relation and mode; nouns: the relations its objnoun
	// readings may have
	relations []string
	mode      string
	frame     []string // bare: the frames, ";" between; nouns: the recipient's prepositions
	line      int
}

// frames splits a bare decision's frame column: "to=on; to=against" is
// two entries. No frame is the direct object.
func (d decision) frames() [][]string {
	if d.frame == nil {
		return [][]string{{"obj"}}
	}
	var out [][]string
	for _, f := range strings.Split(strings.Join(d.frame, " "), ";") {
		if fl := strings.Fields(f); len(fl) > 0 {
			out = append(out, fl)
		}
	}
	return out
}

// policyActions are the actions of policy.tsv; a verb may have both a
// bare or nobare row and a nouns row.
var policyActions = map[string]bool{"drop": true, "nobare": true, "bare": true, "nouns": true}

// parsePolicy reads policy.tsv into what -> action -> decision.
func parsePolicy(name, src string, o *schema.Ontology) (map[string]map[string]decision, error) {
	out := map[string]map[string]decision{}
	err := schema.EachTSVRow(name, src, 6, "what", func(ln int, f []string) error {
		d := decision{what: f[0], action: f[1], relations: fields(f[2]), mode: dashEmpty(f[3]), frame: fields(f[4]), line: ln}
		if !policyActions[d.action] {
			return fmt.Errorf("action %q: want drop, nobare, bare or nouns", d.action)
		}
		switch d.action {
		case "drop", "nobare":
			if d.relations != nil || d.mode != "" || d.frame != nil {
				return fmt.Errorf("%s takes no relation, mode or frame", d.action)
			}
		case "bare":
			if len(d.relations) != 1 {
				return fmt.Errorf("bare needs one relation")
			}
		case "nouns":
			if len(d.relations) == 0 || d.mode != "" {
				return fmt.Errorf("nouns needs the relations its readings may have, and no mode")
			}
		}
		for _, r := range d.relations {
			if _, ok := o.Relation(r); !ok {
				return fmt.Errorf("relation %q is not in schema/relations.tsv", r)
			}
		}
		if out[d.what] == nil {
			out[d.what] = map[string]decision{}
		}
		acts := out[d.what]
		if _, dup := acts[d.action]; dup {
			return fmt.Errorf("%q %s twice", d.what, d.action)
		}
		if len(acts) > 0 {
			_, drop := acts["drop"]
			_, nouns := acts["nouns"]
			if drop || d.action == "drop" || !(nouns || d.action == "nouns") {
				return fmt.Errorf("%q: only nouns goes with another action", d.what)
			}
		}
		acts[d.action] = d
		return nil
	})
	return out, err
}

// parseWords reads words.tsv: a word class and its words.
func parseWords(name, src string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	err := schema.EachTSVRow(name, src, 2, "class", func(_ int, f []string) error {
		if out[f[0]] == nil {
			out[f[0]] = map[string]bool{}
		}
		for _, w := range strings.Fields(f[1]) {
			out[f[0]][strings.ToUpper(w)] = true
		}
		return nil
	})
	for _, c := range []string{"particle", "article", "notrecipient"} {
		if err == nil && out[c] == nil {
			err = fmt.Errorf("%s: no %s words", name, c)
		}
	}
	return out, err
}
