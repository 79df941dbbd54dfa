package nlp

import (
	"strings"
	"testing"
)

func sentTexts(text string, ss []Sentence) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = text[s.Start:s.End]
	}
	return strings.Join(out, " || ")
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		lang, in, want string
	}{
		{"fr", "M. Macron est arrivé. Il a parlé.", "M. Macron est arrivé. || Il a parlé."},
		{"fr", "« Nous ne céderons pas. » Le ministre a quitté la salle.", "« Nous ne céderons pas. » || Le ministre a quitté la salle."},
		{"fr", "« Pourquoi ? » a-t-il demandé.", "« Pourquoi ? » a-t-il demandé."},
		{"fr", "Titre sans point\nLe texte commence ici.", "Titre sans point || Le texte commence ici."},
		{"fr", "Premier paragraphe\n\nSecond paragraphe", "Premier paragraphe || Second paragraphe"},
		{"fr", "Vraiment ? Oui ! Enfin…Bon.", "Vraiment ? || Oui ! || Enfin… || Bon."},
		{"fr", "Il a vu Mme Dupont et J. Martin hier.", "Il a vu Mme Dupont et J. Martin hier."},
		{"fr", "Il coûte 3,5 millions. Cher.", "Il coûte 3,5 millions. || Cher."},
		{"en", "The U.S. said no. Mr. Smith agreed.", "The U.S. said no. || Mr. Smith agreed."},
		{"en", "\"We will win.\" He left.", "\"We will win.\" || He left."},
		{"en", "Dr. Jones met No. 10 staff. Then he left!", "Dr. Jones met No. 10 staff. || Then he left!"},
		{"en", "Really?! Yes.", "Really?! || Yes."},
		{"en", "", ""},
	}
	for _, tc := range tests {
		got := SplitSentences(tc.in, tc.lang)
		if g := sentTexts(tc.in, got); g != tc.want {
			t.Errorf("SplitSentences(%q) = %q, want %q", tc.in, g, tc.want)
		}
		for _, s := range got {
			checkOffsets(t, tc.in, s.Tokens)
			for _, tk := range s.Tokens {
				if tk.Start < s.Start || tk.End > s.End || tk.Head != -1 {
					t.Errorf("token %+v outside sentence [%d,%d) or head not -1", tk, s.Start, s.End)
				}
			}
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"A. B.\nC « d. » e", "M. X. U.S.\n\n?!…", "\"x.\" y"} {
		f.Add(s, "fr")
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		prev := 0
		for _, s := range SplitSentences(text, lang) {
			if len(s.Tokens) == 0 || s.Start < prev || s.End > len(text) || s.Start >= s.End {
				t.Fatalf("bad sentence span [%d,%d) in %q", s.Start, s.End, text)
			}
			checkOffsets(t, text, s.Tokens)
			prev = s.End
		}
	})
}
