package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitSentences tokenises text and groups the tokens into sentences.
// A sentence ends at a line break between tokens (the corpus has one
// segment per line and headlines lack a final period), or after ".", "?",
// "!", "…" (plus any closing quotes or brackets) when the next token does
// not start in lower case. Abbreviations keep their period inside the
// token and so never end a sentence.
func SplitSentences(text string, lang string) []Sentence {
	toks := Tokenize(text, lang)
	var out []Sentence
	start := 0
	quoteOpen := false // inside straight double quotes
	emit := func(end int) {
		if end > start {
			ts := make([]Token, end-start)
			copy(ts, toks[start:end])
			for k := range ts {
				ts[k].Head = -1
			}
			out = append(out, Sentence{Start: ts[0].Start, End: ts[len(ts)-1].End, Tokens: ts})
		}
		start = end
		quoteOpen = false
	}
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if k > start && toks[k-1].End < t.Start && strings.ContainsAny(text[toks[k-1].End:t.Start], "\n\r\u2028\u2029") {
			emit(k)
		}
		if t.Text == "\"" {
			quoteOpen = !quoteOpen
		}
		if !isTerminal(t.Text) {
			continue
		}
		// absorb closing quotes and brackets on the same line
		e := k + 1
		for e < len(toks) && isCloser(toks[e].Text, quoteOpen) && !(toks[e-1].End < toks[e].Start && strings.ContainsAny(text[toks[e-1].End:toks[e].Start], "\n\r")) {
			if toks[e].Text == "\"" {
				quoteOpen = false
			}
			e++
		}
		if e < len(toks) {
			r, _ := utf8.DecodeRuneInString(toks[e].Text)
			if unicode.IsLower(r) || isTerminal(toks[e].Text) || strings.ContainsRune(",;:)", r) {
				continue
			}
		}
		k = e - 1
		emit(e)
	}
	emit(len(toks))
	return out
}

func isTerminal(s string) bool {
	switch s {
	case ".", "?", "!", "…", "...", "....", "?!", "!?", "!!", "??", "!!!", "???":
		return true
	}
	return strings.Trim(s, "?!") == "" && s != ""
}

func isCloser(s string, quoteOpen bool) bool {
	switch s {
	case "»", "”", "’", ")", "]", "}", "›":
		return true
	case "\"", "'":
		return quoteOpen || s == "'"
	}
	return false
}
