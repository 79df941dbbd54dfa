package ingest

import (
	"testing"

	"github.com/kg-news/kg/internal/nlp"
	"github.com/kg-news/kg/schema"
)

func TestEventDates(t *testing.T) {
	for _, c := range []struct {
		pub, lang, text, trigger, want string
	}{
		{"2024-01", "fr", "La coalition accuse Moscou d'avoir tiré des missiles le 30 décembre et le 2 janvier.", "accuse", "2023-12-30|2024-01-02"},
		{"2024-01-10", "fr", "Le communiqué publié mercredi matin dénonce la Corée du Nord.", "dénonce", "2024-01-10"},
		{"2024-01", "fr", "Le communiqué publié mercredi matin dénonce la Corée du Nord.", "dénonce", "2024-01"},
		{"2018-10", "en", "But on Saturday, Ri blamed US sanctions.", "blamed", "2018-10"},
		{"2024-01", "fr", "depuis la rencontre en septembre entre Vladimir Poutine et Kim Jong-Un", "rencontre", "2023-09"},
		{"2024-01", "fr", "la plus importante frappe depuis le début de la guerre en février 2022", "frappe", ""},
		{"2018-10-06", "en", "Trump last Wednesday referred to the paper after accusing China.", "accusing", "2018-10-03"},
		{"2018-10", "en", "Kim and Trump met on June 12 in Singapore.", "met", "2018-06-12"},
		{"2018-10", "en", "They met on Dec. 26, 2004 in Aceh.", "met", "2004-12-26"},
		{"2018-10", "en", "The Council has boosted sanctions on North Korea since 2006.", "sanctions", "2006"},
		{"2018-10", "en", "China accused the U.S. of meddling in the Nov. 6 congressional elections.", "accused", ""},
		{"2018-10", "en", "Russia attacked Ukraine last year.", "attacked", "2017"},
		{"2018-10-20", "fr", "La Russie a attaqué l'Ukraine hier.", "attaqué", "2018-10-19"},
	} {
		toks := nlp.Tokenize(c.text, c.lang)
		f := make([]string, len(toks))
		ti := -1
		for i, tk := range toks {
			f[i] = schema.Fold(tk.Text)
			if tk.Text == c.trigger {
				ti = i
			}
		}
		if ti < 0 {
			t.Fatalf("%q: no trigger %q", c.text, c.trigger)
		}
		got := eventDate(findDates(f, parsePub(c.pub), nil), ti)
		if got != c.want {
			t.Errorf("%q (published %s): date %q, want %q", c.text, c.pub, got, c.want)
		}
	}
}
