package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// The CAMEO verb dictionary of PETRARCH2 (CAMEO.2.0.txt) has three parts:
// synonym sets ("&CURRENCY" then "+DOLLAR" lines), verb blocks, and
// transformations, which the generator ignores. A verb block is
//
//	---  ACCUSE   [112]  ---          block name and default code
//	ACCUSE                            a verb; its own [code] may follow
//	FORBID {FORBADE FORBIDDEN ...}    irregular forms in braces
//	+CRACK_DOWN                       a particle verb: "+" marks the verb
//	- * (OF &CRIME)  [1121]  # ACCUSE a pattern: words before "*" precede
//	                                  the verb, after it follow; (P ...) is
//	                                  a prepositional phrase, {A B} a noun
//	                                  phrase, &SET a synonym set, + the
//	                                  target, $ the source; the comment
//	                                  names the verbs the pattern came from
//
// Codes are CAMEO codes; "---" is no event; "a:b" pairs a code with the
// reverse event's; ":b" codes only the reverse (the target acts).

// dictionary is what the generator reads of CAMEO.2.0.txt.
type dictionary struct {
	synsets map[string][]string // "&NAME" -> words, upper case, singular
	blocks  []*block
}

type block struct {
	name, code string
	line       int
	verbs      []*verb
	patterns   []*pattern
}

// verb is one verb line: its words (lower case, "crack down"), the
// irregular forms of the inflected first word, its code.
type verb struct {
	words []string
	forms []string
	code  string
	line  int
}

type pattern struct {
	pre, post []string // tokens before and after "*"
	code      string
	origins   []string // verb forms named in the comment, lower case
	line      int
}

var (
	codeRE = regexp.MustCompile(`\[([^\]]*)\]`)
	wordRE = regexp.MustCompile(`^[A-Za-z][A-Za-z'-]*$`) // a verb form, not "," or "}"
	nounRE = regexp.MustCompile(`^[a-z][a-z-]*$`)        // a noun objnoun= can hold
)

// parseDictionary reads the verb dictionary; name is used in errors.
func parseDictionary(name string, r io.Reader) (*dictionary, error) {
	d := &dictionary{synsets: map[string][]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	section := "synsets"
	synset := ""
	var b *block
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "####### VERB PATTERNS"):
			section = "verbs"
			continue
		case strings.HasPrefix(line, "######## TRANSFORMATIONS"):
			section = "done"
			continue
		}
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" || section == "done" {
			if strings.TrimSpace(line) == "" {
				synset = ""
			}
			continue
		}
		if section == "synsets" {
			text := strings.TrimSpace(stripComment(line))
			switch {
			case strings.HasPrefix(text, "&"):
				synset = text
			case strings.HasPrefix(text, "+") && synset != "":
				// PETRARCH adds plurals; the lexicon's objnoun flag does too
				w := strings.TrimSuffix(text[1:], "_")
				label := strings.TrimSuffix(synset, "_")
				d.synsets[label] = append(d.synsets[label], w)
			default:
				return nil, fmt.Errorf("%s:%d: synonym set line outside a set: %q", name, n, line)
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "---"):
			f := strings.Fields(line)
			if len(f) < 2 {
				return nil, fmt.Errorf("%s:%d: block header without a name", name, n)
			}
			code := "---"
			if m := codeRE.FindStringSubmatch(line); m != nil {
				code = m[1]
			}
			b = &block{name: f[1], code: code, line: n}
			d.blocks = append(d.blocks, b)
		case b == nil:
			return nil, fmt.Errorf("%s:%d: verb line before any block", name, n)
		case strings.HasPrefix(line, "-"):
			p, err := parsePattern(line)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			if p != nil {
				p.line = n
				b.patterns = append(b.patterns, p)
			}
		default:
			v, err := parseVerb(line, b.code)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			if v != nil {
				v.line = n
				b.verbs = append(b.verbs, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(d.blocks) == 0 {
		return nil, fmt.Errorf("%s: no verb blocks (is it CAMEO.2.0.txt?)", name)
	}
	return d, nil
}

// stripComment drops "# ..." and TABARI's "; ..." comments.
func stripComment(s string) string {
	if i := strings.IndexAny(s, "#;"); i >= 0 {
		return s[:i]
	}
	return s
}

// parseVerb reads "FORBID {FORBADE FORBIDDEN} [172]" or "+CRACK_DOWN". It
// returns nil for verbs whose inflected word is not the first (the
// lexicon keys multiword triggers on their first word).
func parseVerb(line, blockCode string) (*verb, error) {
	text := stripComment(line)
	code := blockCode
	if m := codeRE.FindStringSubmatch(text); m != nil {
		code = strings.TrimSpace(m[1])
		text = codeRE.ReplaceAllString(text, " ")
	}
	var forms []string
	if i := strings.Index(text, "{"); i >= 0 {
		j := strings.Index(text, "}")
		if j < i {
			return nil, fmt.Errorf("unclosed { in %q", line)
		}
		forms = strings.Fields(text[i+1 : j])
		text = text[:i] + text[j+1:]
	}
	f := strings.Fields(text)
	if len(f) == 0 {
		return nil, nil
	}
	w := f[0]
	if strings.Contains(w, "_") && !strings.HasPrefix(w, "+") {
		return nil, nil // RE_+ARREST: the verb is not the first word
	}
	w = strings.TrimPrefix(w, "+")
	v := &verb{words: strings.Fields(strings.ToLower(strings.ReplaceAll(w, "_", " "))), code: code}
	for _, fm := range forms {
		// "+MET_WITH": the form of the first word
		fm = strings.TrimPrefix(fm, "+")
		if k := strings.Index(fm, "_"); k >= 0 {
			fm = fm[:k]
		}
		if wordRE.MatchString(fm) {
			v.forms = append(v.forms, strings.ToLower(fm))
		}
	}
	return v, nil
}

// parsePattern reads "- * (OF &CRIME) [1121] # ACCUSE , BLAME". Patterns
// without a code are skipped.
func parsePattern(line string) (*pattern, error) {
	body, comment, _ := strings.Cut(line[1:], "#")
	m := codeRE.FindStringSubmatch(body)
	if m == nil {
		return nil, nil
	}
	code := strings.TrimSpace(strings.TrimSuffix(m[1], "!"))
	body = codeRE.ReplaceAllString(body, " ")
	pre, post, ok := strings.Cut(body, "*")
	if !ok {
		return nil, fmt.Errorf("pattern without *: %q", line)
	}
	p := &pattern{pre: strings.Fields(pre), post: strings.Fields(post), code: code}
	for _, o := range strings.FieldsFunc(comment, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if strings.HasPrefix(o, "<") || strings.ContainsAny(o, "0123456789/") {
			break // "<ab 02 Dec 2005>": a coder's note, not a verb
		}
		p.origins = append(p.origins, strings.ToLower(strings.ReplaceAll(o, "_", " ")))
	}
	return p, nil
}

// item is one element of a pattern after the verb: a word (noun or
// particle), a noun phrase (its head last), or a prepositional phrase.
type item struct {
	kind  string   // "word", "np", "pp", "target", "source", "other"
	words []string // upper case; for np the words, head last; for pp the nouns inside
	preps []string // for pp: the preposition(s), "BY/WITH" split
}

// items parses the tokens after "*".
func items(toks []string) []item {
	var out []item
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case strings.HasPrefix(t, "("):
			// (P ...) up to the token ending with ")"
			var inner []string
			j := i
			for ; j < len(toks); j++ {
				inner = append(inner, toks[j])
				if strings.HasSuffix(toks[j], ")") {
					break
				}
			}
			i = j
			s := strings.Trim(strings.Join(inner, " "), "()")
			f := strings.Fields(s)
			if len(f) == 0 {
				out = append(out, item{kind: "other"})
				continue
			}
			it := item{kind: "pp", preps: strings.Split(f[0], "/")}
			for _, w := range f[1:] {
				w = strings.Trim(w, "{}")
				if w == "+" || w == "$" || w == "^" || w == "%" {
					continue
				}
				it.words = append(it.words, w)
			}
			out = append(out, it)
		case strings.HasPrefix(t, "{"):
			var inner []string
			j := i
			for ; j < len(toks); j++ {
				inner = append(inner, strings.Trim(toks[j], "{}"))
				if strings.HasSuffix(toks[j], "}") {
					break
				}
			}
			i = j
			out = append(out, item{kind: "np", words: inner})
		case t == "+":
			out = append(out, item{kind: "target"})
		case t == "$":
			out = append(out, item{kind: "source"})
		case t == "^" || t == "%":
			out = append(out, item{kind: "other"})
		default:
			out = append(out, item{kind: "word", words: []string{t}})
		}
	}
	return out
}
