package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

// resolveText runs the pipeline on text up to the resolver: the mentions
// and entities the relation rules then read.
func resolveText(x *Extractor, text, lang string) *Doc {
	a := schema.Article{ID: "test", Lang: lang, Text: text}
	d := &Doc{Article: a, Gaz: x.Gaz, Entities: map[string]*schema.Entity{}, demonymWords: x.demonyms}
	d.Sents = x.Segmenter.Segment(a.Text, a.Lang)
	d.Mentions = make([][]Mention, len(d.Sents))
	for i := range d.Sents {
		d.Mentions[i] = x.Mentions.Mentions(d, i)
		for _, m := range d.Mentions[i] {
			d.AddEntity(m, a.Text[m.Span.Start:m.Span.End])
		}
	}
	x.Resolver.Resolve(d)
	return d
}

// TestPersons reads testdata/persons/{en,fr}.tsv: each line a name, a text
// of one to three sentences, and checks separated by " ; ":
//
//	person:NAME      an entity of type person named NAME
//	org:NAME         an entity of type organisation named NAME
//	!person:NAME     no person named NAME (also !org:)
//	ref:WORDS=NAME   a mention written WORDS stands for the entity NAME
//	!ref:WORDS=NAME  no mention written WORDS stands for NAME
//	!ref:WORDS       no mention is written WORDS
//	fact:S|REL|O     a fact S -REL-> O, by entity names
//	!fact:S|REL|O    no such fact
func TestPersons(t *testing.T) {
	x := newTestExtractor(t)
	for _, lang := range []string{"en", "fr"} {
		path := filepath.Join("testdata", "persons", lang+".tsv")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = schema.EachTSVRow(path, string(src), 3, "name", func(line int, f []string) error {
			n++
			t.Run(fmt.Sprintf("%s/%d_%s", lang, line, f[0]), func(t *testing.T) {
				checkPersons(t, x, lang, f[1], strings.Split(f[2], " ; "))
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n < 150 {
			t.Errorf("%s: %d cases, want at least 150", path, n)
		}
	}
}

func checkPersons(t *testing.T, x *Extractor, lang, text string, checks []string) {
	d := resolveText(x, text, lang)
	var res Result
	factsDone := false
	facts := func() []schema.Fact {
		if !factsDone {
			var err error
			res, err = x.Extract(schema.Article{ID: "test", Lang: lang, Text: text})
			if err != nil {
				t.Fatal(err)
			}
			factsDone = true
		}
		return res.Facts
	}
	// an entity of that type named so, or named so in the text: the
	// gazetteer's canonical name may differ ("The New York Times",
	// "Valerie Pecresse")
	hasEntity := func(typ, name string) bool {
		for _, e := range d.Entities {
			if schema.BaseType(e.Type) == typ && schema.Fold(e.Name) == schema.Fold(name) {
				return true
			}
		}
		for _, ms := range d.Mentions {
			for _, m := range ms {
				surface := strings.TrimPrefix(schema.Fold(text[m.Span.Start:m.Span.End]), "the ")
				surface = strings.TrimPrefix(surface, "le ")
				if schema.BaseType(m.Entity.Type) == typ && surface == schema.Fold(name) {
					return true
				}
			}
		}
		return false
	}
	// refs: surface -> the names of the entities its mentions stand for
	refs := map[string][]string{}
	for _, ms := range d.Mentions {
		for _, m := range ms {
			s := text[m.Span.Start:m.Span.End]
			refs[s] = append(refs[s], m.Entity.Name)
		}
	}
	for _, c := range checks {
		c = strings.TrimSpace(c)
		neg := strings.HasPrefix(c, "!")
		c = strings.TrimPrefix(c, "!")
		kind, arg, ok := strings.Cut(c, ":")
		if !ok {
			t.Fatalf("check %q: want kind:argument", c)
		}
		var got bool
		switch kind {
		case "person":
			got = hasEntity(schema.Person, arg)
		case "org":
			got = hasEntity(schema.Organization, arg) || hasEntity("group", arg) // a movement or armed group is an organisation too
		case "ref":
			words, name, named := strings.Cut(arg, "=")
			if !named {
				got = len(refs[words]) > 0
				break
			}
			for _, n := range refs[words] {
				if n == name {
					got = true
				}
			}
		case "fact":
			p := strings.Split(arg, "|")
			if len(p) != 3 {
				t.Fatalf("check %q: want fact:S|REL|O", c)
			}
			for _, f := range facts() {
				if f.Subject.Name == p[0] && f.Relation == p[1] && f.Object.Name == p[2] {
					got = true
				}
			}
		default:
			t.Fatalf("check %q: kind %q unknown", c, kind)
		}
		if got == neg {
			t.Errorf("%s%s:%s failed; entities %s; mentions %s", map[bool]string{true: "!"}[neg], kind, arg, entityNames(d), mentionList(d, text))
		}
	}
}

func entityNames(d *Doc) string {
	var out []string
	for _, id := range d.order {
		e := d.Entities[id]
		out = append(out, e.Name+" ("+e.Type+")")
	}
	return strings.Join(out, ", ")
}

func mentionList(d *Doc, text string) string {
	var out []string
	for _, ms := range d.Mentions {
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%q=%s", text[m.Span.Start:m.Span.End], m.Entity.Name))
		}
	}
	return strings.Join(out, ", ")
}

// TestPersonWordsErrors: the data files report their mistakes by file and
// line.
func TestPersonWordsErrors(t *testing.T) {
	head := "lang\tclass\twords\tfeatures\n"
	given := "lang\tname\tgender\tcount\n"
	cases := []struct{ name, src, want string }{
		{"class", head + "en\tfoo\tbar\t-\n", "p.tsv:2: class \"foo\" unknown"},
		{"feature", head + "en\tpronoun\the\trefers=person case=subj colour=red\n", "p.tsv:2: feature \"colour\""},
		{"value", head + "en\tpronoun\the\trefers=person case=dative\n", "p.tsv:2: feature case=dative"},
		{"fields", head + "en\tpronoun\the\n", "p.tsv:2: want 4"},
		{"language", head + "de\tgiven\tHans\tgender=m\n", "p.tsv:2: language \"de\""},
		{"role", head + "en\tdescription\tminister\trefers=person\n", "p.tsv:2: a person description needs role="},
		{"one word", head + "en\tgiven\tJohn Paul\t-\n", "p.tsv:2: class given takes one word"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parsePersonWords("p.tsv", c.src, "g.tsv", given)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	if _, err := parsePersonWords("p.tsv", head, "g.tsv", given+"en\tJohn\tx\t3\n"); err == nil || !strings.Contains(err.Error(), "g.tsv:2:") {
		t.Errorf("given-names gender: got %v", err)
	}
	if _, err := loadPersonWords(); err != nil {
		t.Errorf("embedded files: %v", err)
	}
}

// TestCorefExplain: a fact whose actor a pronoun or a description names
// says in its path how it was resolved, for kg extract --explain.
func TestCorefExplain(t *testing.T) {
	x := newTestExtractor(t)
	cases := []struct{ lang, text, want string }{
		{"en", "Cyril Ramaphosa met William Ruto in Nairobi. He urged Iran to release the prisoners.", "He → Cyril Ramaphosa (sentence 1)"},
		{"fr", "Le ministre des Affaires étrangères Sergueï Lavrov est arrivé à Paris. Le chef de la diplomatie a condamné l'Ukraine.", "Le chef de la diplomatie → Sergueï Lavrov (sentence 1)"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			res, err := x.Extract(schema.Article{ID: "test", Lang: c.lang, Text: c.text})
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, f := range res.Facts {
				if strings.Contains(f.Path, c.want) {
					return
				}
				paths = append(paths, f.Path)
			}
			t.Errorf("no fact path says %q; paths %q", c.want, paths)
		})
	}
}
