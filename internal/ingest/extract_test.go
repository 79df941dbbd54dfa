package ingest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func newTestExtractor(t testing.TB) *Extractor {
	t.Helper()
	x, err := NewExtractor(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func readSeed(t testing.TB) schema.Article {
	t.Helper()
	var arts []schema.Article
	err := Walk([]string{"../../seeds/dprk-missiles-fr.txt"}, nil, ReadOptions{}, func(a schema.Article) error {
		arts = append(arts, a)
		return nil
	}, func(err error) { t.Fatal(err) })
	if err != nil || len(arts) != 1 {
		t.Fatalf("reading the seed: %v, %d articles", err, len(arts))
	}
	return arts[0]
}

// TestSeedGolden compares the extraction of the seed article with
// testdata/seed.golden.jsonl; run `go test ./internal/ingest -update` to
// accept a change after reviewing its diff.
func TestSeedGolden(t *testing.T) {
	x := newTestExtractor(t)
	a := readSeed(t)
	if a.Date != "2024-01" || a.Lang != "fr" {
		t.Fatalf("seed read as date %q lang %q, want 2024-01 fr", a.Date, a.Lang)
	}
	res, err := x.Extract(a)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, e := range res.Entities {
		enc.Encode(e)
	}
	for _, f := range res.Facts {
		// evidence offsets must point at the sentence in the article
		if f.Evidence.Start < 0 || f.Evidence.End > len(a.Text) || a.Text[f.Evidence.Start:f.Evidence.End] != f.Evidence.Sentence {
			t.Errorf("fact %s: evidence [%d:%d] does not match the article text", f.Key(), f.Evidence.Start, f.Evidence.End)
		}
		enc.Encode(f)
	}
	golden := filepath.Join("testdata", "seed.golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		got := strings.Split(buf.String(), "\n")
		exp := strings.Split(string(want), "\n")
		for i := 0; i < len(got) || i < len(exp); i++ {
			var g, e string
			if i < len(got) {
				g = got[i]
			}
			if i < len(exp) {
				e = exp[i]
			}
			if g != e {
				t.Errorf("line %d differs:\n got %s\nwant %s", i+1, g, e)
				break
			}
		}
		t.Errorf("extraction of the seed differs from %s (%d vs %d lines); review and run -update", golden, len(got), len(exp))
	}
}

// TestSeedFacts checks the facts a reader of the seed expects, independent
// of the golden file's exact content.
func TestSeedFacts(t *testing.T) {
	x := newTestExtractor(t)
	res, err := x.Extract(readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	has := func(s, rel, o, date string) bool {
		for _, f := range res.Facts {
			if f.Subject.ID == s && f.Relation == rel && (o == "" || f.Object.ID == o) && (date == "" || f.Date == date) {
				return true
			}
		}
		return false
	}
	for _, c := range []struct{ s, rel, o, date string }{
		{"Q458", "condemns", "Q423", ""}, // the EU condemns North Korea
		{"Q30", "condemns", "Q423", ""},  // and so do the US
		{"Q423", "supplies", "Q159", ""}, // North Korea supplies Russia
		{"Q17", "signs", "", ""},         // Japan signs the statement
		{"Q145", "signs", "", ""},        // the UK too
		{"Q159", "attacks", "Q212", "2023-12-30"},
		{"Q159", "attacks", "Q212", "2024-01-02"},
		{"Q212", "requests", "Q458", ""}, // Kiev implores Brussels
	} {
		if !has(c.s, c.rel, c.o, c.date) {
			t.Errorf("missing fact %s -%s-> %s [%s]", c.s, c.rel, c.o, c.date)
		}
	}
	for _, f := range res.Facts {
		if f.Subject.ID == "Q423" && f.Relation == "supports" && f.Object.ID == "Q212" {
			t.Errorf("North Korea does not support Ukraine: %s", f.Evidence.Sentence)
		}
	}
}

func TestExtractEnglish(t *testing.T) {
	x := newTestExtractor(t)
	for _, c := range []struct {
		text, s, rel, o, date string
		mod                   schema.Modality
	}{
		{"The European Union and the United States condemned North Korea on Wednesday.", "Q458", "condemns", "Q423", "", schema.Asserted},
		{"Russia fired missiles supplied by North Korea at Ukraine on 30 December.", "Q159", "attacks", "Q212", "2023-12-30", schema.Asserted},
		{"Japan signed the joint statement.", "Q17", "signs", "", "", schema.Asserted},
		{"China did not condemn Russia.", "Q148", "condemns", "Q159", "", schema.Negated},
		{"France could sanction Iran.", "Q142", "sanctions", "Q794", "", schema.Hypothetical},
	} {
		res, err := x.Extract(schema.Article{ID: "t", Lang: "en", Date: "2024-01-10", Text: c.text})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range res.Facts {
			if f.Subject.ID == c.s && f.Relation == c.rel && (c.o == "" || f.Object.ID == c.o) {
				found = true
				if c.date != "" && f.Date != c.date {
					t.Errorf("%q: date %q, want %q", c.text, f.Date, c.date)
				}
				if f.Modality != c.mod {
					t.Errorf("%q: modality %q, want %q", c.text, f.Modality, c.mod)
				}
			}
		}
		if !found {
			t.Errorf("%q: no fact %s -%s-> %s; got %+v", c.text, c.s, c.rel, c.o, res.Facts)
		}
	}
}

// FuzzExtract: no input makes extraction panic, and every fact's evidence
// lies within the text.
func FuzzExtract(f *testing.F) {
	x := newTestExtractor(f)
	f.Add("L'Union européenne et les États-Unis ont dénoncé la Corée du Nord le 30 décembre.", "fr")
	f.Add("Russia fired missiles supplied by North Korea at Ukraine on 30 December.", "en")
	f.Add("\"Nous\" « ils » l'UE d'« avoir » (RPDC) -- ... ; : du au aux", "fr")
	f.Fuzz(func(t *testing.T, text, lang string) {
		if lang != "fr" {
			lang = "en"
		}
		res, err := x.Extract(schema.Article{ID: "fuzz", Lang: lang, Date: "2024-01", Text: text})
		if err != nil {
			t.Fatal(err)
		}
		for _, fa := range res.Facts {
			if fa.Evidence.Start < 0 || fa.Evidence.End > len(text) || fa.Evidence.Start > fa.Evidence.End {
				t.Fatalf("evidence [%d:%d] out of bounds (%d bytes)", fa.Evidence.Start, fa.Evidence.End, len(text))
			}
		}
	})
}

// BenchmarkExtract measures extraction per article: on the seed, and on
// each language of the shared corpus (../shared/corpus, NTREX and
// newstest2014) when it is present. The models load before the timer
// starts, so the figures are the steady state; cpu-ms/article is the
// process's CPU time (user + system), steadier than wall time on a shared
// machine, and the target (150 articles/s on one core) is
// cpu-ms/article <= 6.7.
func BenchmarkExtract(b *testing.B) {
	x := newTestExtractor(b)
	b.Run("seed", func(b *testing.B) {
		benchArticles(b, x, []schema.Article{readSeed(b)})
	})
	for _, lang := range []string{"en", "fr"} {
		b.Run(lang, func(b *testing.B) {
			files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "*."+lang+".jsonl"))
			if len(files) == 0 {
				b.Skip("no shared corpus (../shared/corpus)")
			}
			var arts []schema.Article
			Walk(files, nil, ReadOptions{}, func(a schema.Article) error { arts = append(arts, a); return nil }, func(error) {})
			if len(arts) == 0 {
				b.Skip("no articles in " + strings.Join(files, ", "))
			}
			benchArticles(b, x, arts)
		})
	}
}

func benchArticles(b *testing.B, x *Extractor, arts []schema.Article) {
	// the first article loads the language's models: outside the timing
	if _, err := x.Extract(arts[0]); err != nil {
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := x.Extract(arts[i%len(arts)]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/article")
}

// TestSameFactsInBothLanguages: a sentence and its translation give the
// same facts (subject, relation, object, modality), the property the
// French–English agreement score measures.
func TestSameFactsInBothLanguages(t *testing.T) {
	x := newTestExtractor(t)
	for _, c := range []struct{ en, fr, want string }{
		{"The United States imposed new sanctions on Russia on Friday.",
			"Les États-Unis ont imposé de nouvelles sanctions à la Russie vendredi.", "Q30 sanctions Q159"},
		{"French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin.",
			"Le président français Emmanuel Macron a rencontré le chancelier allemand Olaf Scholz à Berlin.", "Q61053 meets Q3052772"},
		{"Japan and South Korea agreed to resume talks.",
			"Le Japon et la Corée du Sud ont convenu de reprendre les discussions.", "Q17 agrees Q884"},
		{"Ukraine accused Russia of shelling the nuclear plant.",
			"L'Ukraine a accusé la Russie d'avoir bombardé la centrale nucléaire.", "Q212 accuses Q159"},
		{"Iran has supplied drones to Russia, according to Washington.",
			"L'Iran a fourni des drones à la Russie, selon Washington.", "Q794 supplies Q159"},
		{"Moscow expelled two British diplomats last week.",
			"Moscou a expulsé deux diplomates britanniques la semaine dernière.", "Q159 expels sector/Q145/government"}, // the diplomats: the UK government as a sector actor
		{"Washington announced new sanctions against Moscow on Thursday.",
			"Washington a annoncé jeudi de nouvelles sanctions contre Moscou.", "Q30 sanctions Q159"},
		{"Indian Prime Minister Narendra Modi travelled to Moscow in July.",
			"Le Premier ministre indien Narendra Modi s'est rendu à Moscou en juillet.", "Q1058 visits Q159"},
		{"The Security Council adopted a resolution condemning Iran.",
			"Le Conseil de sécurité a adopté une résolution condamnant l'Iran.", ""},
		{"The United States and China signed a trade agreement.",
			"Les États-Unis et la Chine ont signé un accord commercial.", ""},
		{"President Macron paid tribute to Belgium.",
			"Le président Macron a rendu hommage à la Belgique.", ""},
		{`Trump, who last year threatened to "totally destroy" North Korea, praised Kim.`,
			"Trump, qui avait menacé l'an dernier de « détruire totalement » la Corée du Nord, a salué Kim.", "Q22686 threatens Q423"},
		{"The Security Council has unanimously boosted sanctions on North Korea since 2006.",
			"Le Conseil de sécurité a renforcé à l'unanimité les sanctions contre la Corée du Nord depuis 2006.", "Q37470 sanctions Q423"},
		{"China did not condemn the invasion.",
			"La Chine n'a pas condamné l'invasion.", ""},
	} {
		facts := func(text, lang string) map[string]bool {
			res, err := x.Extract(schema.Article{ID: "pair", Lang: lang, Date: "2024-03-15", Text: text})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, f := range res.Facts {
				if strings.HasSuffix(f.Relation, "_of") {
					continue // roles from titles are checked elsewhere
				}
				out[f.Subject.ID+" "+f.Relation+" "+f.Object.ID+" "+string(f.Modality)] = true
			}
			return out
		}
		en, fr := facts(c.en, "en"), facts(c.fr, "fr")
		if c.want != "" && !en[c.want+" asserted"] {
			t.Errorf("%q: want %q, got %v", c.en, c.want, en)
		}
		if c.want != "" && !fr[c.want+" asserted"] {
			t.Errorf("%q: want %q, got %v", c.fr, c.want, fr)
		}
		for k := range en {
			if !fr[k] {
				t.Errorf("%q gives %q, its French %q does not (%v)", c.en, k, c.fr, fr)
			}
		}
		for k := range fr {
			if !en[k] {
				t.Errorf("%q gives %q, its English %q does not (%v)", c.fr, k, c.en, en)
			}
		}
	}
}

// TestLexiconErrors: a bad lexicon line is reported as file:line.
func TestLexiconErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"lang\tlemma\tpos\trel\tmode\tframe\nfr\tdénoncer\tverb\tcondemns\t-\tobj\nde\tsagen\tverb\tcondemns\t-\tobj\n", "lex.tsv:3: language \"de\""},
		{"fr\tdénoncer\tverb\tcondemns\n", "lex.tsv:1: want 6 tab-separated fields, got 4"},
		{"fr\tdénoncer\tverb\tcondemns\t-\tobj wobble\n", "lex.tsv:1: unknown frame flag \"wobble\""},
	} {
		_, err := ParseLexicon("lex.tsv", c.src, "forms.tsv", "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
	if _, err := ParseLexicon("lex.tsv", "", "forms.tsv", "fr\tvendre\n"); err == nil || !strings.Contains(err.Error(), "forms.tsv:1:") {
		t.Errorf("forms error: %v", err)
	}
}

// TestHeadlineOnlyArticle: a JSON Lines record with an empty text but a
// title is read as its title (WMT newstest2014 has such articles), not
// rejected.
func TestHeadlineOnlyArticle(t *testing.T) {
	in := `{"id":"h1","lang":"en","title":"Russia attacked Ukraine.","text":""}` + "\n"
	var got []schema.Article
	err := Walk([]string{"-"}, strings.NewReader(in), ReadOptions{}, func(a schema.Article) error {
		got = append(got, a)
		return nil
	}, func(err error) { t.Errorf("unexpected input error: %v", err) })
	if err != nil || len(got) != 1 || got[0].Text != "Russia attacked Ukraine." {
		t.Fatalf("got %+v, %v", got, err)
	}
}
