package ingest

import (
	"fmt"
	"strings"
	"unicode"
)

// Function words that are frequent in one language and rare in the other;
// counting them tells French from English news reliably after a sentence.
var (
	frWords = set("le la les des du de et est une un dans pour que qui sur au aux avec par pas ont été ce cette ses leur il elle ils sont mais plus selon entre avoir être")
	enWords = set("the of and to in is was for that on with by as at from has have had are were it its this which be their said but not an will would")
)

// otherWords are function words of languages kg does not read. They are
// counted only so that a German or Spanish article is refused with its
// language named, instead of being read as English because it shares
// "in" or "a" with it. Words that are also French or English words ("de",
// "la", "que", "en", "es", "se", "il", "non", "ma", "mais", "des", "is")
// are left out: measured on the UD French treebanks, counting them called
// one French sentence in sixty Spanish. Now none of the 5,991 French and
// 16,622 English UD sentences is taken for another language.
var otherWords = map[string]map[string]bool{
	"de": set("der die das und ist nicht ein eine einer eines dem den mit sich auch auf für von zu wird wurde werden sind hat haben dass nach bei aus noch über oder wie"),
	"es": set("el los las del y una por con para su sus al lo como más pero fue este esta ha han según también entre sobre muy ya hay está están desde cuando hasta porque donde"),
	"it": set("lo gli della delle dei degli di che è per con sono nel nella alla anche come più ha hanno stato questo questa"),
	"pt": set("os das dos da em uma não para ao são foi mas pelo pela também seu sua como"), // not "do", "com": English "do", ".com"
	"nl": set("het een van niet zijn met voor op dat die aan ook bij werd wordt naar door heeft hebben"),
}

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// langCounts counts French, English and other-language function words in
// the first 2000 words of text; n is the number of words looked at.
func langCounts(text string) (fr, en, n int, other map[string]int) {
	other = map[string]int{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		w = strings.ToLower(w)
		if frWords[w] {
			fr++
		}
		if enWords[w] {
			en++
		}
		for lang, words := range otherWords {
			if words[w] {
				other[lang]++
			}
		}
		n++
		if n > 2000 {
			break
		}
	}
	return fr, en, n, other
}

// DetectLang guesses "fr" or "en" from function-word counts; it returns ""
// when the text has too few known words to tell (another language, or too
// short), so the caller can ask for --lang instead of guessing wrong.
func DetectLang(text string) string {
	fr, en, n, other := langCounts(text)
	best := max(fr, en)
	for _, c := range other {
		if c >= 3 && c > 2*best { // names like "von der Leyen" do not make English German
			return "" // German, Spanish...: not ours, whatever "in" says
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

// otherLang names the language a text DetectLang refused is most likely
// in ("de", "es", "it", "pt", "nl"), or "" when it cannot tell, so the
// message can say "German" rather than just "unknown".
func otherLang(text string) string {
	fr, en, _, other := langCounts(text)
	best, lang := max(fr, en, 1), ""
	for _, l := range []string{"de", "es", "it", "pt", "nl"} { // fixed order: stable on ties
		if other[l] > best {
			best, lang = other[l], l
		}
	}
	return lang
}

// langNames are the names used in messages for otherLang's codes.
var langNames = map[string]string{"de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}

// langError explains why an article's language was refused: lang is the
// language it was given or detected as ("" when detection failed), text
// the article, so the message can name the language it looks like; hint
// says how to force one in this input's form (a flag, a JSON field).
func langError(lang, text, hint string) error {
	if lang != "" {
		return fmt.Errorf("language %q not supported: kg reads French (fr) and English (en)", lang)
	}
	if o := otherLang(text); o != "" {
		return fmt.Errorf("text looks %s (%s), which kg does not read (French and English only); %s", langNames[o], o, hint)
	}
	return fmt.Errorf("cannot tell the language (too few French or English words); %s", hint)
}
