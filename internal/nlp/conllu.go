package nlp

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadCoNLLU reads sentences from a CoNLL-U stream. Multiword-token lines
// give the shared offsets of their parts; empty nodes (decimal ids) are
// skipped. Offsets are into a virtual text where tokens are separated by
// one space, which is enough for evaluation with gold tokenization.
// Head is converted to a 0-based index, -1 for the root.
func ReadCoNLLU(r io.Reader) ([]Sentence, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out []Sentence
	var cur Sentence
	pos := 0
	mwtEnd, mwtStart, mwtStop := 0, 0, 0 // current multiword token range and offsets
	line := 0
	flush := func() {
		if len(cur.Tokens) > 0 {
			cur.End = cur.Tokens[len(cur.Tokens)-1].End
			out = append(out, cur)
		}
		cur = Sentence{}
		pos, mwtEnd = 0, 0
	}
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), "\r")
		if l == "" {
			flush()
			continue
		}
		if strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 10 {
			return out, fmt.Errorf("conllu line %d: %d fields, want 10", line, len(f))
		}
		id := f[0]
		if strings.Contains(id, ".") {
			continue
		}
		if a, b, ok := strings.Cut(id, "-"); ok {
			_, e1 := strconv.Atoi(a)
			end, e2 := strconv.Atoi(b)
			if e1 != nil || e2 != nil {
				return out, fmt.Errorf("conllu line %d: bad range id %q", line, id)
			}
			mwtEnd, mwtStart, mwtStop = end, pos, pos+len(f[1])
			pos = mwtStop + 1
			continue
		}
		n, err := strconv.Atoi(id)
		if err != nil {
			return out, fmt.Errorf("conllu line %d: bad id %q", line, id)
		}
		if n != len(cur.Tokens)+1 {
			return out, fmt.Errorf("conllu line %d: id %d out of sequence", line, n)
		}
		t := Token{Text: f[1], Lemma: und(f[2]), UPOS: und(f[3]), Feats: und(f[5]), Dep: und(f[7]), Head: -1}
		if n <= mwtEnd {
			t.Start, t.End = mwtStart, mwtStop
		} else {
			t.Start, t.End = pos, pos+len(f[1])
			pos = t.End + 1
		}
		if f[6] != "_" {
			h, err := strconv.Atoi(f[6])
			if err != nil {
				return out, fmt.Errorf("conllu line %d: bad head %q", line, f[6])
			}
			t.Head = h - 1
		}
		cur.Tokens = append(cur.Tokens, t)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("conllu line %d: %w", line, err)
	}
	flush()
	for si, s := range out {
		for ti, t := range s.Tokens {
			if t.Head < -1 || t.Head >= len(s.Tokens) {
				return out, fmt.Errorf("conllu sentence %d token %d: head %d out of range", si+1, ti+1, t.Head+1)
			}
		}
	}
	return out, nil
}

func und(s string) string {
	if s == "_" {
		return ""
	}
	return s
}

func orUnd(s string) string {
	if s == "" {
		return "_"
	}
	return s
}

// WriteCoNLLU writes sentences in CoNLL-U (one word per line, no
// multiword-token lines). Empty fields are written as "_".
func WriteCoNLLU(w io.Writer, sents []Sentence) error {
	bw := bufio.NewWriter(w)
	for _, s := range sents {
		for i, t := range s.Tokens {
			head := t.Head + 1
			if head < 0 || head > len(s.Tokens) {
				head = 0
			}
			form := strings.Map(func(r rune) rune {
				if r == '\t' || r == '\n' || r == '\r' {
					return ' '
				}
				return r
			}, t.Text)
			if _, err := fmt.Fprintf(bw, "%d\t%s\t%s\t%s\t_\t%s\t%d\t%s\t_\t_\n", i+1, orUnd(form), orUnd(t.Lemma), orUnd(t.UPOS), orUnd(t.Feats), head, orUnd(t.Dep)); err != nil {
				return err
			}
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}
