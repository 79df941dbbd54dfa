package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokenize splits text into tokens following Universal Dependencies
// conventions for lang ("fr" or "en"; anything else is tokenised as
// English). Offsets always point into text. French contractions (du, au,
// aux, des, duquel, ...) become two tokens sharing the written word's
// offsets, as UD multiword tokens do.
func Tokenize(text string, lang string) []Token {
	fr := lang == "fr"
	var toks []Token
	i := 0
	n := len(text)
	for i < n {
		r, sz := utf8.DecodeRuneInString(text[i:])
		if isSpace(r) {
			i += sz
			continue
		}
		if j := scanURL(text, i); j > i {
			toks = append(toks, Token{Text: text[i:j], Start: i, End: j})
			i = j
			continue
		}
		if isWordRune(r) {
			j := scanChunk(text, i, fr)
			toks = splitChunk(toks, text, i, j, fr)
			i = j
			continue
		}
		j := scanPunct(text, i)
		toks = append(toks, Token{Text: text[i:j], Start: i, End: j})
		i = j
	}
	return toks
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0xA0 || r == 0x202F || r == 0x2007 || r == 0xFEFF || r == 0x200B
}

// isNumSep reports spaces used as thousands separators ("3 000").
func isNumSep(r rune) bool { return r == ' ' || r == 0xA0 || r == 0x202F || r == 0x2009 }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func isApos(r rune) bool { return r == '\'' || r == '’' }

func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return utf8.RuneError, 0
	}
	return utf8.DecodeRuneInString(s[i:])
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// scanURL returns the end of a URL starting at i, or i when there is none.
// Trailing sentence punctuation is left out of the URL.
func scanURL(text string, i int) int {
	rest := text[i:]
	if !(hasPrefixFold(rest, "http://") || hasPrefixFold(rest, "https://") || hasPrefixFold(rest, "www.")) {
		return i
	}
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:i]); isWordRune(r) {
			return i
		}
	}
	j := i
	for j < len(text) {
		r, sz := utf8.DecodeRuneInString(text[j:])
		if isSpace(r) || r == '<' || r == '>' || r == '"' || r == '«' || r == '»' || r == '“' || r == '”' {
			break
		}
		j += sz
	}
	for j > i {
		r, sz := utf8.DecodeLastRuneInString(text[i:j])
		if strings.ContainsRune(".,;:!?)]}'’", r) {
			j -= sz
			continue
		}
		break
	}
	if j-i <= 4 {
		return i
	}
	return j
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// scanChunk returns the end of a word-like chunk starting at i: letters and
// digits joined by inner hyphens, apostrophes, periods, commas between
// digits, @ (emails) and spaces inside digit groups ("3 000").
func scanChunk(text string, i int, fr bool) int {
	j := i
	for j < len(text) {
		r, sz := utf8.DecodeRuneInString(text[j:])
		if isWordRune(r) {
			j += sz
			continue
		}
		next, nsz := runeAt(text, j+sz)
		switch {
		case r == '-' || r == '‐' || r == '.' || r == '@' || r == '_' || r == '&':
			if nsz > 0 && isWordRune(next) {
				j += sz
				continue
			}
		case isApos(r):
			if nsz > 0 && unicode.IsLetter(next) {
				j += sz
				continue
			}
			// A bare elided article before a space ("l' Union") keeps its apostrophe.
			if fr && isElision(strings.ToLower(text[lastWordStart(text, i, j):j])) {
				j += sz
				return j
			}
		case r == ',':
			if j > i && isDigitByte(text[j-1]) && nsz > 0 && next >= '0' && next <= '9' {
				j += sz
				continue
			}
		case isNumSep(r):
			if k := digitGroupEnd(text, i, j, sz); k > j {
				j = k
				continue
			}
		}
		break
	}
	// Keep the final period of a known abbreviation or initial.
	if j < len(text) && text[j] == '.' {
		if isAbbrev(text[i:j+1], fr) && (!numAbbrevs[strings.ToLower(text[i:j+1])] || digitFollows(text, j+1)) {
			j++
		}
	}
	return j
}

// lastWordStart finds where the last apostrophe/hyphen-free piece of the
// chunk [i,j) starts, so "jusqu" in "jusqu' à" can be recognised.
func lastWordStart(text string, i, j int) int {
	k := j
	for k > i {
		r, sz := utf8.DecodeLastRuneInString(text[i:k])
		if !isWordRune(r) {
			break
		}
		k -= sz
	}
	return k
}

// digitGroupEnd extends a number across a thousands separator: the chunk
// so far must be 1–3 digits (or already grouped digits) and the separator
// must be followed by exactly three digits.
func digitGroupEnd(text string, i, j, sepSize int) int {
	// chunk must be digits and separators only, last group length 1..3
	grp := 0
	for k := j - 1; k >= i; k-- {
		if isDigitByte(text[k]) {
			grp++
			continue
		}
		break
	}
	if grp < 1 || grp > 3 {
		return j
	}
	for k := i; k < j; {
		r, sz := utf8.DecodeRuneInString(text[k:])
		if !(r >= '0' && r <= '9') && !isNumSep(r) {
			return j
		}
		k += sz
	}
	k := j + sepSize
	if k+3 > len(text) || !isDigitByte(text[k]) || !isDigitByte(text[k+1]) || !isDigitByte(text[k+2]) {
		return j
	}
	if k+3 < len(text) {
		r, _ := utf8.DecodeRuneInString(text[k+3:])
		if isWordRune(r) {
			return j
		}
	}
	return k + 3
}

var abbrevs = map[string]bool{
	"m.": true, "mm.": true, "mme.": true, "mmes.": true, "mlle.": true, "dr.": true, "pr.": true, "me.": true,
	"mr.": true, "mrs.": true, "ms.": true, "st.": true, "ste.": true, "jr.": true, "sr.": true, "no.": true,
	"nos.": true, "inc.": true, "ltd.": true, "co.": true, "corp.": true, "vs.": true, "etc.": true, "gen.": true,
	"gov.": true, "sen.": true, "rep.": true, "prof.": true, "col.": true, "lt.": true, "sgt.": true, "capt.": true,
	"jan.": true, "feb.": true, "aug.": true, "sept.": true, "sep.": true, "oct.": true, "nov.": true, "dec.": true,
	"av.": true, "bd.": true, "cf.": true, "p.": true, "pp.": true, "vol.": true, "art.": true, "ch.": true,
	"env.": true, "min.": true, "mgr.": true, "fig.": true, "approx.": true, "dept.": true, "est.": true,
}

// isAbbrev reports whether w (ending in ".") is an abbreviation whose period
// belongs to the word: listed titles, single-letter initials ("J.") and
// dotted acronyms ("U.S.", "e.g.").
func isAbbrev(w string, fr bool) bool {
	if abbrevs[strings.ToLower(w)] {
		return true
	}
	body := w[:len(w)-1]
	if r, sz := utf8.DecodeRuneInString(body); sz == len(body) && unicode.IsUpper(r) {
		return true
	}
	// dotted acronym: letter(.letter)+
	if strings.Contains(body, ".") {
		for _, p := range strings.Split(body, ".") {
			if utf8.RuneCountInString(p) != 1 {
				return false
			}
			r, _ := utf8.DecodeRuneInString(p)
			if !unicode.IsLetter(r) {
				return false
			}
		}
		return true
	}
	return false
}

// numAbbrevs are abbreviations only when a number follows ("No. 10"),
// since "no." also ends English sentences.
var numAbbrevs = map[string]bool{"no.": true, "nos.": true, "p.": true, "pp.": true, "vol.": true, "art.": true, "ch.": true, "fig.": true}

func digitFollows(text string, j int) bool {
	for j < len(text) {
		r, sz := utf8.DecodeRuneInString(text[j:])
		if isSpace(r) {
			j += sz
			continue
		}
		return r >= '0' && r <= '9'
	}
	return false
}

var elisions = map[string]bool{
	"l": true, "d": true, "qu": true, "n": true, "s": true, "c": true, "j": true, "m": true, "t": true,
	"jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
}

func isElision(w string) bool { return elisions[w] }

// scanPunct returns the end of a punctuation token at i; runs of dots,
// ?/! combinations and double hyphens stay together.
func scanPunct(text string, i int) int {
	r, sz := utf8.DecodeRuneInString(text[i:])
	j := i + sz
	switch r {
	case '.':
		for j < len(text) && text[j] == '.' {
			j++
		}
	case '?', '!':
		for j < len(text) && (text[j] == '?' || text[j] == '!') {
			j++
		}
	case '-':
		for j < len(text) && text[j] == '-' {
			j++
		}
	}
	return j
}

// contractions maps French contracted forms to their UD parts.
var contractions = map[string][2]string{
	"du": {"de", "le"}, "au": {"à", "le"}, "aux": {"à", "les"}, "des": {"de", "les"},
	"duquel": {"de", "lequel"}, "auquel": {"à", "lequel"}, "auxquels": {"à", "lesquels"},
	"auxquelles": {"à", "lesquelles"}, "desquels": {"de", "lesquels"}, "desquelles": {"de", "lesquelles"},
}

// desAsArticle lists words after which "des" is the indefinite article,
// which UD keeps whole, rather than "de" + "les": prepositions (a second
// preposition cannot follow them), auxiliaries, and sentence or clause
// starts. Elsewhere the contraction is more frequent in Sequoia and GSD.
var desAsArticle = map[string]bool{
	"à": true, "par": true, "sur": true, "dans": true, "pour": true, "chez": true, "avec": true, "sans": true,
	"entre": true, "contre": true, "vers": true, "comme": true, "selon": true, "en": true, "parmi": true,
	"a": true, "ont": true, "avait": true, "avaient": true, "aura": true, "auront": true, "aurait": true, "auraient": true,
	"sont": true, "étaient": true, "seront": true, "seraient": true, "y": true,
	",": true, ":": true, ";": true, "(": true, "«": true, "\"": true, "“": true, ".": true, "!": true, "?": true, "…": true, "-": true, "–": true, "—": true,
}

func indefiniteDes(prev []Token) bool {
	if len(prev) == 0 {
		return true
	}
	return desAsArticle[strings.ToLower(prev[len(prev)-1].Text)]
}

// inversion pronouns split off a French verb ("ont-ils" → "ont" "-ils").
var inversions = []string{"-t-ils", "-t-elles", "-t-il", "-t-elle", "-t-on", "-ils", "-elles", "-il", "-elle", "-on",
	"-je", "-tu", "-nous", "-vous", "-ce", "-moi", "-toi", "-lui", "-leur", "-le", "-la", "-les", "-y", "-en"}

// inversionExceptions are compounds whose second part looks like a pronoun.
var inversionExceptions = map[string]bool{"rendez": true, "vis": true, "sur": true, "pince": true, "passe": true}

var enClitics = []string{"n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m"}

// splitChunk appends the tokens of chunk text[i:j].
func splitChunk(toks []Token, text string, i, j int, fr bool) []Token {
	w := text[i:j]
	if fr {
		// elisions, possibly several ("qu'l'...")
		for {
			k := strings.IndexAny(w, "'’")
			if k <= 0 {
				break
			}
			if !isElision(strings.ToLower(w[:k])) {
				break
			}
			_, asz := utf8.DecodeRuneInString(w[k:])
			toks = append(toks, Token{Text: w[:k+asz], Start: i, End: i + k + asz})
			i += k + asz
			w = w[k+asz:]
			if w == "" {
				return toks
			}
		}
		// verb-pronoun inversion
		lw := strings.ToLower(w)
		for _, suf := range inversions {
			if len(w) > len(suf) && strings.HasSuffix(w, suf) {
				pre := w[:len(w)-len(suf)]
				if inversionExceptions[strings.ToLower(pre)] || strings.ContainsAny(pre, "-‐") {
					break
				}
				r, _ := utf8.DecodeLastRuneInString(pre)
				if !unicode.IsLetter(r) {
					break
				}
				toks = splitChunk(toks, text, i, i+len(pre), fr)
				return append(toks, Token{Text: w[len(pre):], Start: i + len(pre), End: j})
			}
		}
		if lw == "des" && indefiniteDes(toks) {
			return append(toks, Token{Text: w, Start: i, End: j})
		}
		if parts, ok := contractions[lw]; ok {
			first := parts[0]
			if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
				first = upperFirst(first)
			}
			return append(toks, Token{Text: first, Start: i, End: j}, Token{Text: parts[1], Start: i, End: j})
		}
		return append(toks, Token{Text: w, Start: i, End: j})
	}
	lw := strings.ToLower(w)
	if lw == "cannot" {
		return append(toks, Token{Text: w[:3], Start: i, End: i + 3}, Token{Text: w[3:], Start: i + 3, End: j})
	}
	for _, c := range enClitics {
		if len(lw) > len(c) && strings.HasSuffix(lw, c) {
			k := len(w) - len(c)
			return append(toks, Token{Text: w[:k], Start: i, End: i + k}, Token{Text: w[k:], Start: i + k, End: j})
		}
	}
	return append(toks, Token{Text: w, Start: i, End: j})
}

func upperFirst(s string) string {
	r, sz := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[sz:]
}
