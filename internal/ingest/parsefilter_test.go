package ingest

import (
	"testing"

	"github.com/kg-news/kg/schema"
)

// TestNeedsParse: only sentences that can yield a fact go to the parser;
// a phrase trigger needs its whole phrase, not its first word.
func TestNeedsParse(t *testing.T) {
	x := newTestExtractor(t)
	tr := x.Relations.(*TokenRules)
	for _, c := range []struct {
		name, lang, text string
		want             bool
	}{
		{"verb-trigger", "fr", "La France a condamné la Russie.", true},
		{"phrase-whole", "fr", "La France a fait la paix avec l'Allemagne.", true},
		{"phrase-first-word-only", "fr", "La France a fait un pas vers l'Allemagne.", false},
		{"phrase-first-word-only-en", "en", "France set a record against Germany.", false},
		{"doconly-without-document", "en", "France said Germany was ready.", false},
		{"doconly-with-document", "en", "France said in a statement that Germany was ready.", true},
		{"one-actor", "en", "France condemned the decision.", false},
		{"impersonal-pronoun", "fr", "Il faut que la France condamne cette décision.", false},
		{"plural-pronoun", "fr", "Ils ont condamné la France.", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := prepareDoc(x, schema.Article{ID: c.name, Lang: c.lang, Text: c.text})
			if got := tr.NeedsParse(d, 0); got != c.want {
				t.Errorf("%q: NeedsParse = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

// prepareDoc runs the pipeline up to the parse: sentences, mentions,
// coreference and sector actors.
func prepareDoc(x *Extractor, a schema.Article) *Doc {
	d := &Doc{Article: a, Gaz: x.Gaz, Entities: map[string]*schema.Entity{}, demonymWords: x.demonyms}
	d.Sents = x.Segmenter.Segment(a.Text, a.Lang)
	d.Mentions = make([][]Mention, len(d.Sents))
	for i := range d.Sents {
		d.Mentions[i] = x.Mentions.Mentions(d, i)
	}
	x.Resolver.Resolve(d)
	x.Sectors.Resolve(d)
	return d
}
