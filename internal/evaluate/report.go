package evaluate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Report is a whole evaluation: the gold's counts, one score per run (a
// language, or a predictions file), and the agreement between two
// languages when both were scored.
type Report struct {
	GoldFiles []string
	Split     string
	Gold      Counts
	// Runs are scored in the order of Names.
	Names  []string
	Scores map[string]*Score
	// Agreement between the first two runs (en and fr), when both exist;
	// AgreementDocs is how many documents it covers.
	Agreement     *Agreement
	AgreementDocs int
}

// Types are PLOVER's 16 types in the manual's order, for tables.
var Types = []string{"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
	"REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}

func f3(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }

// WriteTable writes the report for a person: totals per run, then per
// PLOVER type, then the agreement; with explain, each miss and extra
// first.
func (r *Report) WriteTable(w io.Writer, explain bool) error {
	bw := bufio.NewWriter(w)
	if explain {
		for _, name := range r.Names {
			s := r.Scores[name]
			fmt.Fprintf(bw, "== %s: misses and extras\n", name)
			for _, m := range s.Misses {
				fmt.Fprintf(bw, "  MISSED  %s %s (%s): %s\n", m.Doc, m.Fact, m.Type, m.Note)
			}
			for _, e := range s.Extras {
				fmt.Fprintf(bw, "  EXTRA   %s %s\n", e.Doc, describe(e.Fact))
			}
			for _, m := range s.NoEntity {
				fmt.Fprintf(bw, "  NO ENTITY %s %s\n", m.Doc, m.Fact)
			}
			for _, m := range s.ExtraEntity {
				fmt.Fprintf(bw, "  EXTRA ENTITY %s %s\n", m.Doc, m.Fact)
			}
		}
		if r.Agreement != nil && len(r.Names) >= 2 {
			fmt.Fprintf(bw, "== agreement %s (A) vs %s (B): facts on one side only\n", r.Names[0], r.Names[1])
			for _, d := range r.Agreement.Diff {
				fmt.Fprintf(bw, "  only %s  %s %s\n", d.Side, d.Doc, d.Fact)
			}
		}
		fmt.Fprintln(bw)
	}
	split := r.Split
	if split == "" {
		split = "all"
	}
	fmt.Fprintf(bw, "gold %s, split %s: %d documents, %d required facts, %d optional\n\n",
		strings.Join(r.GoldFiles, " "), split, r.Gold.Docs, r.Gold.Required, r.Gold.Optional)
	tw := tabwriter.NewWriter(bw, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tDOCS\tP\tR\tF1\tCORRECT/PRED\tFOUND/GOLD\tDATES\tMODALITY\tENTITY P\tENTITY R")
	for _, name := range r.Names {
		t := r.Scores[name].Total
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d/%d\t%d/%d\t%s (%d/%d)\t%s (%d/%d)\t%s\t%s (%d/%d)\n", name, len(r.Scores[name].PerDoc),
			f3(t.Precision()), f3(t.Recall()), f3(t.F1()), t.PredOK, t.Pred, t.ReqHit, t.Req,
			f3(t.DateAccuracy()), t.DatesOK, t.Dates, f3(t.ModalityAccuracy()), t.ModOK, t.ModArgs,
			f3(t.EntityPrecision()), f3(t.EntityRecall()), t.EntHit, t.Ent)
	}
	tw.Flush()
	fmt.Fprintln(bw)
	tw = tabwriter.NewWriter(bw, 2, 4, 2, ' ', 0)
	head := "TYPE\tGOLD"
	for _, name := range r.Names {
		head += fmt.Sprintf("\t%s P\t%s R\t%s F1", name, name, name)
	}
	fmt.Fprintln(tw, head)
	types := append(append([]string{}, Types...), "-")
	for _, ty := range types {
		gold := 0
		var cells []string
		seen := false
		for _, name := range r.Names {
			tt := r.Scores[name].PerType[ty]
			if tt == nil {
				tt = &TypeTally{}
			}
			gold = max(gold, tt.Gold)
			seen = seen || tt.Gold > 0 || tt.Pred > 0
			cells = append(cells, fmt.Sprintf("%s\t%s\t%s", frac(tt.PredOK, tt.Pred), frac(tt.Found, tt.Gold), f3(tt.F1())))
		}
		if !seen {
			continue
		}
		label := ty
		if ty == "-" {
			label = "(no event)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", label, gold, strings.Join(cells, "\t"))
	}
	tw.Flush()
	if a := r.Agreement; a != nil {
		fmt.Fprintf(bw, "\nagreement %s vs %s over %d documents: facts J=%s (%d/%d) | entities J=%s (%d/%d) | docs with facts %d\n",
			r.Names[0], r.Names[1], r.AgreementDocs, f3(a.Facts), a.FactsShared, a.FactsUnion, f3(a.Entities), a.EntShared, a.EntUnion, a.DocsWithFact)
	}
	return bw.Flush()
}

// frac is a ratio with its counts, or "-" when nothing was counted.
func frac(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%d/%d)", f3(ratio(a, b)), a, b)
}

func describe(p *Pred) string {
	side := func(e *Ent) string {
		if e == nil {
			return "?"
		}
		s := fmt.Sprintf("%s (%s)", e.Name, e.ID)
		if e.Sector != "" {
			s += fmt.Sprintf(" [%s·%s]", e.Country, e.Sector)
		}
		return s
	}
	m := p.Modality
	if m == "" {
		m = "asserted"
	}
	return fmt.Sprintf("%s -%s/%s-> %s [%s]", side(p.Subject), p.Relation, p.Event, side(p.Object), m)
}

// Summary is one run's figures for JSON: counts and the ratios derived
// from them, rounded as score.py rounds.
type Summary struct {
	Tally
	FactPrecision    float64 `json:"fact_precision"`
	FactRecall       float64 `json:"fact_recall"`
	FactF1           float64 `json:"fact_f1"`
	DateAccuracy     float64 `json:"date_accuracy"`
	ModalityAccuracy float64 `json:"modality_accuracy"`
	EntityRecall     float64 `json:"entity_recall"`
	EntityPrecision  float64 `json:"entity_precision"`
	Docs             int     `json:"docs"`
}

func round3(x float64) float64 {
	v, _ := strconv.ParseFloat(f3(x), 64)
	return v
}

// Summarize returns a score's figures.
func (s *Score) Summarize() Summary {
	t := s.Total
	return Summary{Tally: t, FactPrecision: round3(t.Precision()), FactRecall: round3(t.Recall()), FactF1: round3(t.F1()),
		DateAccuracy: round3(t.DateAccuracy()), ModalityAccuracy: round3(t.ModalityAccuracy()),
		EntityRecall: round3(t.EntityRecall()), EntityPrecision: round3(t.EntityPrecision()), Docs: len(s.PerDoc)}
}

type typeJSON struct {
	TypeTally
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

type runJSON struct {
	Total   Summary             `json:"total"`
	PerType map[string]typeJSON `json:"per_type"`
	PerDoc  map[string]Tally    `json:"per_doc"`
	Misses  []Miss              `json:"misses,omitempty"`
	Extras  []string            `json:"extras,omitempty"`
}

// WriteJSON writes the report as one JSON object, for notebooks; with
// explain, misses and extras are included.
func (r *Report) WriteJSON(w io.Writer, explain bool) error {
	runs := map[string]runJSON{}
	for _, name := range r.Names {
		s := r.Scores[name]
		rj := runJSON{Total: s.Summarize(), PerType: map[string]typeJSON{}, PerDoc: s.PerDoc}
		for ty, tt := range s.PerType {
			rj.PerType[ty] = typeJSON{TypeTally: *tt, Precision: round3(tt.Precision()), Recall: round3(tt.Recall()), F1: round3(tt.F1())}
		}
		if explain {
			rj.Misses = s.Misses
			for _, e := range s.Extras {
				rj.Extras = append(rj.Extras, e.Doc+" "+describe(e.Fact))
			}
		}
		runs[name] = rj
	}
	out := map[string]any{
		"gold":  map[string]any{"files": r.GoldFiles, "split": r.Split, "docs": r.Gold.Docs, "required": r.Gold.Required, "optional": r.Gold.Optional, "per_type": r.Gold.PerType},
		"runs":  runs,
		"order": r.Names,
	}
	if r.Agreement != nil {
		out["agreement"] = map[string]any{"a": r.Names[0], "b": r.Names[1], "docs": r.AgreementDocs, "facts_jaccard": round3(r.Agreement.Facts),
			"facts_shared": r.Agreement.FactsShared, "facts_union": r.Agreement.FactsUnion,
			"entities_jaccard": round3(r.Agreement.Entities), "entities_shared": r.Agreement.EntShared,
			"entities_union": r.Agreement.EntUnion, "docs_with_facts": r.Agreement.DocsWithFact}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}

// Ratchet is the held-out fact F1 per split and run that CI holds kg to:
// a score may not fall more than Slack below it.
type Ratchet struct {
	Path  string
	Rows  []RatchetRow
	Slack float64
}

// RatchetRow is one recorded figure.
type RatchetRow struct {
	Split, Run string
	F1         float64
	Line       int
}

// DefaultSlack is how far below its recorded figure a score may fall.
const DefaultSlack = 0.02

// LoadRatchet reads a ratchet file: "split<TAB>run<TAB>f1" lines, "#"
// comments. Errors name FILE:LINE.
func LoadRatchet(path string) (*Ratchet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &Ratchet{Path: path, Slack: DefaultSlack}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want split<TAB>run<TAB>f1, got %d fields", path, i+1, len(f))
		}
		if f[0] == "split" {
			continue // header
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil || v < 0 || v > 1 {
			return nil, fmt.Errorf("%s:%d: f1 %q: want a number from 0 to 1", path, i+1, f[2])
		}
		r.Rows = append(r.Rows, RatchetRow{Split: f[0], Run: f[1], F1: v, Line: i + 1})
	}
	return r, nil
}

// Check compares a report with the ratchet: one line per figure it
// holds, and an error when a score fell more than Slack below its record.
func (r *Ratchet) Check(rep *Report) ([]string, error) {
	var lines, bad []string
	split := rep.Split
	if split == "" {
		split = "all"
	}
	for _, row := range r.Rows {
		s, ok := rep.Scores[row.Run]
		if row.Split != split || !ok {
			continue
		}
		got := round3(s.Total.F1())
		verdict := "ok"
		if got < row.F1-r.Slack-1e-9 {
			verdict = "FELL"
			bad = append(bad, fmt.Sprintf("%s %s fact F1 %s is more than %.2f below %s (%s:%d)", split, row.Run, f3(got), r.Slack, f3(row.F1), r.Path, row.Line))
		} else if got > row.F1+1e-9 {
			verdict = "rose: raise it with --update-ratchet"
		}
		lines = append(lines, fmt.Sprintf("ratchet %s %s: fact F1 %s, recorded %s: %s", split, row.Run, f3(got), f3(row.F1), verdict))
	}
	if len(bad) > 0 {
		return lines, fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return lines, nil
}

// Update raises the recorded figures that the report beats (never lowers
// one) and adds rows for runs the ratchet lacks, then rewrites the file.
func (r *Ratchet) Update(rep *Report) error {
	split := rep.Split
	if split == "" {
		split = "all"
	}
	have := map[string]bool{}
	for i := range r.Rows {
		row := &r.Rows[i]
		if s, ok := rep.Scores[row.Run]; ok && row.Split == split {
			have[row.Run] = true
			row.F1 = max(row.F1, round3(s.Total.F1()))
		}
	}
	for _, name := range rep.Names {
		if !have[name] {
			r.Rows = append(r.Rows, RatchetRow{Split: split, Run: name, F1: round3(rep.Scores[name].Total.F1())})
		}
	}
	sort.SliceStable(r.Rows, func(i, j int) bool {
		if r.Rows[i].Split != r.Rows[j].Split {
			return r.Rows[i].Split < r.Rows[j].Split
		}
		return r.Rows[i].Run < r.Rows[j].Run
	})
	var b strings.Builder
	b.WriteString(ratchetHeader)
	b.WriteString("split\trun\tf1\n")
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", row.Split, row.Run, f3(row.F1))
	}
	return os.WriteFile(r.Path, []byte(b.String()), 0o644)
}

const ratchetHeader = `# The fact F1 that CI holds kg to, per split and language: kg eval
# --ratchet fails when a score falls more than 0.02 below its figure here.
# Raised (never lowered) by kg eval --update-ratchet when a score rises.
`

// NewRatchet returns an empty ratchet that Update will write to path.
func NewRatchet(path string) *Ratchet { return &Ratchet{Path: path, Slack: DefaultSlack} }
