package ingest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

// The rules tables (testdata/rules/{en,fr}.tsv) are sentences written by
// hand with the facts a reader finds in them, independently of what kg
// prints. Format, tab-separated, "#" comments:
//
//		id  text  expect  status
//
//	  - text: one sentence, or a few separated by " || " (one short article);
//	  - expect: facts separated by " ; ", each "SUBJ EVENT OBJ [negated|
//	    hypothetical]" — SUBJ/OBJ a Wikidata id (a sector actor of that
//	    country also matches, as the scorer accepts it), "Q114·police" for
//	    that sector only, or "name:Cyril_Ramaphosa" (underscores for
//	    spaces); EVENT a PLOVER type or a relation name; "-" expects no event
//	    fact at all (a trap: a word that looks like a trigger and is not);
//	  - status: empty when kg must get the row right; "todo" for a row kg
//	    does not handle yet (it is run and counted, and reported when it
//	    starts to pass, but does not fail the test).
//
// Each row is a subtest named by its id.
func TestRulesTables(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "rules", "*.tsv"))
	if len(files) == 0 {
		t.Skip("no testdata/rules/*.tsv")
	}
	x := newTestExtractor(t)
	for _, file := range files {
		lang := strings.TrimSuffix(filepath.Base(file), ".tsv")
		rows, err := readRulesTable(file)
		if err != nil {
			t.Fatal(err)
		}
		pass, todo, todoPass := 0, 0, 0
		status := map[int]bool{} // line -> right
		t.Run(lang, func(t *testing.T) {
			for _, r := range rows {
				right := false
				t.Run(r.id, func(t *testing.T) {
					text := strings.ReplaceAll(r.text, " || ", "\n")
					res, err := x.Extract(schema.Article{ID: r.id, Lang: lang, Date: "2024-01", Text: text})
					if err != nil {
						t.Fatal(err)
					}
					problems := checkRow(r, res.Facts)
					right = len(problems) == 0
					if *update {
						return
					}
					if r.todo {
						if right {
							t.Logf("%s:%d: todo row now passes: clear its status", file, r.line)
						}
						return
					}
					for _, p := range problems {
						t.Errorf("%s:%d: %s", file, r.line, p)
					}
				})
				status[r.line] = right
				switch {
				case r.todo:
					todo++
					if right {
						todoPass++
					}
				case right:
					pass++
				}
			}
		})
		t.Logf("%s: %d rows, %d must pass (%d do), %d todo (%d of them pass)", file, len(rows), len(rows)-todo, pass, todo, todoPass)
		if *update {
			if err := rewriteStatus(file, status); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// rewriteStatus sets each row's status from the run: "todo" where kg got
// it wrong, empty where right.
func rewriteStatus(path string, right map[int]bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		ok, isRow := right[i+1]
		if !isRow {
			continue
		}
		f := strings.Split(line, "\t")
		st := "todo"
		if ok {
			st = ""
		}
		lines[i] = strings.Join(append(f[:3], st), "\t")
	}
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}

type rulesRow struct {
	id, text string
	expect   []rulesFact
	none     bool // "-": no event fact
	todo     bool
	line     int
}

type rulesFact struct {
	s, ev, o, modality string
}

func readRulesTable(path string) ([]rulesRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []rulesRow
	seen := map[string]int{}
	for i, line := range strings.Split(string(b), "\n") {
		ln := i + 1
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 || len(f) > 4 {
			return nil, fmt.Errorf("%s:%d: want id, text, expect[, status]: %d fields", path, ln, len(f))
		}
		if f[0] == "id" {
			continue // header
		}
		r := rulesRow{id: f[0], text: f[1], line: ln}
		if prev, dup := seen[r.id]; dup {
			return nil, fmt.Errorf("%s:%d: id %q already at line %d", path, ln, r.id, prev)
		}
		seen[r.id] = ln
		if len(f) == 4 {
			switch strings.TrimSpace(f[3]) {
			case "":
			case "todo":
				r.todo = true
			default:
				return nil, fmt.Errorf("%s:%d: status %q: want empty or todo", path, ln, f[3])
			}
		}
		exp := strings.TrimSpace(f[2])
		if exp == "-" {
			r.none = true
		} else {
			for _, fact := range strings.Split(exp, ";") {
				w := strings.Fields(fact)
				if len(w) < 3 || len(w) > 4 {
					return nil, fmt.Errorf("%s:%d: fact %q: want SUBJ EVENT OBJ [modality]", path, ln, strings.TrimSpace(fact))
				}
				rf := rulesFact{s: w[0], ev: w[1], o: w[2], modality: "asserted"}
				if len(w) == 4 {
					if w[3] != "negated" && w[3] != "hypothetical" {
						return nil, fmt.Errorf("%s:%d: modality %q: want negated or hypothetical", path, ln, w[3])
					}
					rf.modality = w[3]
				}
				r.expect = append(r.expect, rf)
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// sideOf reads an entity reference as JSON, so fields the contract adds
// (a sector actor's country and sector) are seen as the scorer sees them.
func sideOf(e schema.EntityRef) map[string]string {
	b, _ := json.Marshal(e)
	m := map[string]string{}
	_ = json.Unmarshal(b, &m)
	return m
}

func specHolds(spec string, e schema.EntityRef) bool {
	m := sideOf(e)
	if name, ok := strings.CutPrefix(spec, "name:"); ok {
		return schema.Fold(strings.ReplaceAll(name, "_", " ")) == schema.Fold(m["name"])
	}
	if q, sector, ok := strings.Cut(spec, "·"); ok {
		return m["country"] == q && m["sector"] == sector
	}
	return m["id"] == spec || (m["sector"] != "" && m["country"] == spec)
}

func checkRow(r rulesRow, facts []schema.Fact) []string {
	var problems []string
	if r.none {
		for _, f := range facts {
			if f.Event != "" {
				problems = append(problems, fmt.Sprintf("want no event, got %s -%s/%s-> %s", f.Subject.ID, f.Relation, f.Event, f.Object.ID))
			}
		}
		return problems
	}
	for _, want := range r.expect {
		found := false
		for _, f := range facts {
			mod := string(f.Modality)
			if mod == "" {
				mod = "asserted"
			}
			if (f.Event == want.ev || f.Relation == want.ev) && mod == want.modality && specHolds(want.s, f.Subject) && specHolds(want.o, f.Object) {
				found = true
				break
			}
		}
		if !found {
			var got []string
			for _, f := range facts {
				got = append(got, fmt.Sprintf("%s -%s/%s-> %s [%s]", f.Subject.ID, f.Relation, f.Event, f.Object.ID, f.Modality))
			}
			problems = append(problems, fmt.Sprintf("want %s %s %s [%s]; got %v", want.s, want.ev, want.o, want.modality, got))
		}
	}
	return problems
}
