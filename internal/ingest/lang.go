package ingest

import (
	"strings"
	"unicode"
)

// Function words that are frequent in one language and rare in the other;
// counting them tells French from English news reliably after a sentence.
var (
	frWords = set("le la les des du de et est une un dans pour que qui sur au aux avec par pas ont été ce cette ses leur il elle ils sont mais plus selon entre avoir être")
	enWords = set("the of and to in is was for that on with by as at from has have had are were it its this which be their said but not an will would")
)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// DetectLang guesses "fr" or "en" from function-word counts; it returns ""
// when the text has too few known words to tell (another language, or too
// short), so the caller can ask for --lang instead of guessing wrong.
func DetectLang(text string) string {
	fr, en := 0, 0
	n := 0
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		w = strings.ToLower(w)
		if frWords[w] {
			fr++
		}
		if enWords[w] {
			en++
		}
		n++
		if n > 2000 {
			break
		}
	}
	switch {
	case fr+en < 2 && n > 30:
		return ""
	case fr+en == 0:
		return ""
	case fr > en:
		return "fr"
	case en > fr:
		return "en"
	}
	return ""
}
