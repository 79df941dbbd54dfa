package nlp

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func texts(toks []Token) string {
	s := make([]string, len(toks))
	for i, t := range toks {
		s[i] = t.Text
	}
	return strings.Join(s, "|")
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		lang, in, want string
	}{
		{"fr", "l'Union européenne", "l'|Union|européenne"},
		{"fr", "l’Union d’Europe", "l’|Union|d’|Europe"},
		{"fr", "Qu'il vienne jusqu'à Paris lorsqu'on", "Qu'|il|vienne|jusqu'|à|Paris|lorsqu'|on"},
		{"fr", "aujourd'hui", "aujourd'hui"},
		{"fr", "le prix du pétrole", "le|prix|de|le|pétrole"},
		{"fr", "Au Mali et aux États-Unis", "À|le|Mali|et|à|les|États-Unis"},
		{"fr", "la mort des soldats", "la|mort|de|les|soldats"},
		{"fr", "Des soldats ont tiré sur des civils", "Des|soldats|ont|tiré|sur|des|civils"},
		{"fr", "il y a des morts, des blessés", "il|y|a|des|morts|,|des|blessés"},
		{"fr", "le départ des troupes", "le|départ|de|les|troupes"},
		{"fr", "Kim Jong-Un et les Nord-Coréens", "Kim|Jong-Un|et|les|Nord-Coréens"},
		{"fr", "le Royaume-Uni", "le|Royaume-Uni"},
		{"fr", "ont-ils dit", "ont|-ils|dit"},
		{"fr", "a-t-il déclaré", "a|-t-il|déclaré"},
		{"fr", "Qu'est-ce que", "Qu'|est|-ce|que"},
		{"fr", "peut-être", "peut-être"},
		{"fr", "un rendez-vous", "un|rendez-vous"},
		{"fr", "« Non », dit-elle.", "«|Non|»|,|dit|-elle|."},
		{"fr", "3 000 morts", "3 000|morts"},
		{"fr", "3\u00a0000 morts", "3\u00a0000|morts"},
		{"fr", "1 250 000 euros", "1 250 000|euros"},
		{"fr", "en 2015 500 personnes", "en|2015|500|personnes"},
		{"fr", "3,5 %", "3,5|%"},
		{"fr", "M. Macron et Mme Le Pen", "M.|Macron|et|Mme|Le|Pen"},
		{"fr", "J. Dupont", "J.|Dupont"},
		{"fr", "voir https://ex.com/a?b=1.", "voir|https://ex.com/a?b=1|."},
		{"fr", "écrire à jean.dupont@exemple.fr.", "écrire|à|jean.dupont@exemple.fr|."},
		{"fr", "Attendez...", "Attendez|..."},
		{"en", "I don't know", "I|do|n't|know"},
		{"en", "It's John's car, isn't it?", "It|'s|John|'s|car|,|is|n't|it|?"},
		{"en", "we can't, we cannot", "we|ca|n't|,|we|can|not"},
		{"en", "they're here, I'll go", "they|'re|here|,|I|'ll|go"},
		{"en", "the U.S. and U.N. said", "the|U.S.|and|U.N.|said"},
		{"en", "Mr Smith met Dr. Jones", "Mr|Smith|met|Dr.|Jones"},
		{"en", "No. 10 Downing St.", "No.|10|Downing|St."},
		{"en", "\"Hello,\" he said.", "\"|Hello|,|\"|he|said|."},
		{"en", "O'Brien's", "O'Brien|'s"},
		{"en", "visit www.bbc.co.uk today", "visit|www.bbc.co.uk|today"},
		{"en", "", ""},
		{"en", "   ", ""},
		{"en", "3.5 million", "3.5|million"},
		{"en", "well-known", "well-known"},
		{"en", "Wait!?", "Wait|!?"},
	}
	for _, tc := range tests {
		got := Tokenize(tc.in, tc.lang)
		if g := texts(got); g != tc.want {
			t.Errorf("Tokenize(%q, %s) = %q, want %q", tc.in, tc.lang, g, tc.want)
		}
		checkOffsets(t, tc.in, got)
	}
}

// TestContractionOffsets checks both halves of "du" point at the written word.
func TestContractionOffsets(t *testing.T) {
	toks := Tokenize("prix du gaz", "fr")
	if len(toks) != 4 || toks[1].Start != 5 || toks[1].End != 7 || toks[2].Start != 5 || toks[2].End != 7 {
		t.Fatalf("bad contraction offsets: %+v", toks)
	}
}

// checkOffsets verifies offsets are in bounds, ordered, on rune boundaries
// and non-overlapping except for identical spans (split contractions).
func checkOffsets(t *testing.T, text string, toks []Token) {
	t.Helper()
	prevS, prevE := -1, 0
	for i, tk := range toks {
		if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End {
			t.Fatalf("token %d %q: bad span [%d,%d) in %q", i, tk.Text, tk.Start, tk.End, text)
		}
		if utf8.ValidString(text) && (!utf8.RuneStart(text[tk.Start]) || (tk.End < len(text) && !utf8.RuneStart(text[tk.End]))) {
			t.Fatalf("token %d: span [%d,%d) not on rune boundary in %q", i, tk.Start, tk.End, text)
		}
		if !(tk.Start == prevS && tk.End == prevE) && tk.Start < prevE {
			t.Fatalf("token %d %q overlaps previous in %q", i, tk.Text, text)
		}
		prevS, prevE = tk.Start, tk.End
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"l'Union du 3 000", "don't U.S. www.x.com", "« a-t-il »", "a\u00a0\xff'", "M. J. 3,5 ...?!"} {
		f.Add(s, "fr")
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		checkOffsets(t, text, Tokenize(text, lang))
	})
}
