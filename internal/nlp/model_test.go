package nlp

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// udDir is the shared treebank directory, relative to this package.
const udDir = "../../../shared/ud"

func loadGold(t testing.TB, name string, maxSents int) []Sentence {
	t.Helper()
	f, err := os.Open(filepath.Join(udDir, name))
	if err != nil {
		t.Skipf("treebank not available: %v", err)
	}
	defer f.Close()
	s, err := ReadCoNLLU(f)
	if err != nil {
		t.Fatal(err)
	}
	if maxSents > 0 && len(s) > maxSents {
		s = s[:maxSents]
	}
	return s
}

// TestModelScores guards the committed models against regressions: each
// must stay above a floor on a slice of a held-out set.
func TestModelScores(t *testing.T) {
	tests := []struct {
		lang, file     string
		upos, uas, las float64
	}{
		// floors about one point under the committed models' scores on
		// the first 400 sentences, so a real regression fails
		{"en", "en_ewt-ud-test.conllu", 95.7, 84.4, 80.5},
		{"fr", "fr_sequoia-ud-test.conllu", 97.3, 89.0, 86.2},
		{"fr", "fr_gsd-ud-test.conllu", 95.2, 84.5, 80.2},
		{"fr", "fr_pud-ud-test.conllu", 93.4, 82.2, 77.8},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			gold := loadGold(t, tc.file, 400)
			m, err := LoadModel(tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			sc := Evaluate(m, gold)
			t.Logf("%s: %s", tc.file, sc)
			if sc.UPOS < tc.upos || sc.UAS < tc.uas || sc.LAS < tc.las {
				t.Errorf("%s: %s below floor UPOS %.1f UAS %.1f LAS %.1f", tc.file, sc, tc.upos, tc.uas, tc.las)
			}
		})
	}
}

func TestLoadModel(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		t0 := time.Now()
		m, err := LoadModel(lang)
		if err != nil {
			t.Fatalf("LoadModel(%s): %v", lang, err)
		}
		t.Logf("%s loaded in %s", lang, time.Since(t0))
		if m.Lang != lang {
			t.Errorf("Lang = %q, want %q", m.Lang, lang)
		}
	}
	if _, err := LoadModel("xx"); err == nil {
		t.Error("LoadModel(xx) succeeded")
	}
}

func TestReadModelCorrupt(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("garbage"), []byte(modelMagic + "\x00\x00\x00\x00\xff\xff\xff\xff")} {
		if _, err := ReadModel(bytes.NewReader(in)); err == nil {
			t.Errorf("ReadModel(%q) succeeded", in)
		}
	}
	data := []byte(modelFR)
	if _, err := ReadModel(bytes.NewReader(data[:len(data)/2])); err == nil {
		t.Error("truncated model loaded")
	}
	flipped := slices.Clone(data)
	flipped[len(flipped)/2] ^= 0x40
	if _, err := ReadModel(bytes.NewReader(flipped)); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("model with a flipped bit: err = %v, want a checksum mismatch", err)
	}
}

// TestParseAPI checks the annotations rules rely on: lemmas, heads, labels.
func TestParseAPI(t *testing.T) {
	tests := []struct {
		lang, text string
		lemma      map[string]string // token text -> lemma
		dep        map[string]string // token text -> relation
	}{
		{"fr", "La Russie a dénoncé les sanctions de l'Union européenne.",
			map[string]string{"dénoncé": "dénoncer", "sanctions": "sanction"},
			map[string]string{"Russie": "nsubj", "sanctions": "obj", "dénoncé": "root"}},
		{"en", "Russia condemned the sanctions imposed by the European Union.",
			map[string]string{"condemned": "condemn", "sanctions": "sanction", "imposed": "impose"},
			map[string]string{"Russia": "nsubj", "sanctions": "obj", "condemned": "root"}},
	}
	for _, tc := range tests {
		m, err := LoadModel(tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		ss := m.Parse(tc.text)
		if len(ss) != 1 {
			t.Fatalf("%q: %d sentences", tc.text, len(ss))
		}
		var b strings.Builder
		WriteCoNLLU(&b, ss)
		roots := 0
		for _, tk := range ss[0].Tokens {
			if tk.Head == -1 {
				roots++
			}
			if tk.Head < -1 || tk.Head >= len(ss[0].Tokens) {
				t.Errorf("bad head %d", tk.Head)
			}
			if want, ok := tc.lemma[tk.Text]; ok && tk.Lemma != want {
				t.Errorf("%s: lemma %q, want %q\n%s", tk.Text, tk.Lemma, want, b.String())
			}
			if want, ok := tc.dep[tk.Text]; ok && tk.Dep != want {
				t.Errorf("%s: dep %q, want %q\n%s", tk.Text, tk.Dep, want, b.String())
			}
		}
		if roots != 1 {
			t.Errorf("%d roots\n%s", roots, b.String())
		}
	}
}

func TestAnnotateEdgeCases(t *testing.T) {
	m, err := LoadModel("en")
	if err != nil {
		t.Fatal(err)
	}
	var nilModel *Model
	nilModel.Annotate(&Sentence{Tokens: []Token{{Text: "x"}}})
	m.Annotate(nil)
	m.Annotate(&Sentence{})
	long := strings.Repeat("word , ", 600)
	for _, s := range m.Parse(long + "\n\xff\xfe «»") {
		for _, tk := range s.Tokens {
			if tk.Head < -1 || tk.Head >= len(s.Tokens) || tk.UPOS == "" || tk.Dep == "" {
				t.Fatalf("bad annotation %+v", tk)
			}
		}
	}
}

// TestAnnotateConcurrent checks that annotating from several goroutines
// at once (each takes its own scratch memory from the model's pool) gives
// the same parses as one at a time.
func TestAnnotateConcurrent(t *testing.T) {
	for _, tc := range []struct{ lang, file string }{{"en", "en_ewt-ud-dev.conllu"}, {"fr", "fr_sequoia-ud-dev.conllu"}} {
		t.Run(tc.lang, func(t *testing.T) {
			gold := loadGold(t, tc.file, 60)
			m, err := LoadModel(tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			parse := func() string {
				var b strings.Builder
				for _, g := range gold {
					s := Sentence{Tokens: make([]Token, len(g.Tokens))}
					for j, tk := range g.Tokens {
						s.Tokens[j].Text = tk.Text
					}
					m.Annotate(&s)
					WriteCoNLLU(&b, []Sentence{s})
				}
				return b.String()
			}
			want := parse()
			got := make(chan string, 4)
			for range 4 {
				go func() { got <- parse() }()
			}
			for range 4 {
				if g := <-got; g != want {
					t.Error("concurrent parses differ from sequential ones")
				}
			}
		})
	}
}

func TestCoNLLURoundTrip(t *testing.T) {
	in := "# text = Il parle du gaz.\n1\tIl\til\tPRON\t_\tPerson=3\t2\tnsubj\t_\t_\n2\tparle\tparler\tVERB\t_\t_\t0\troot\t_\t_\n3-4\tdu\t_\t_\t_\t_\t_\t_\t_\t_\n3\tde\tde\tADP\t_\t_\t5\tcase\t_\t_\n4\tle\tle\tDET\t_\t_\t5\tdet\t_\t_\n5\tgaz\tgaz\tNOUN\t_\t_\t2\tobl\t_\t_\n5.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\n6\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n"
	ss, err := ReadCoNLLU(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || len(ss[0].Tokens) != 6 || ss[0].Tokens[1].Head != -1 || ss[0].Tokens[2].Start != ss[0].Tokens[3].Start {
		t.Fatalf("bad read: %+v", ss)
	}
	var b bytes.Buffer
	if err := WriteCoNLLU(&b, ss); err != nil {
		t.Fatal(err)
	}
	ss2, err := ReadCoNLLU(&b)
	if err != nil || len(ss2) != 1 || ss2[0].Tokens[4].Dep != "obl" || ss2[0].Tokens[4].Head != 1 {
		t.Fatalf("round trip failed: %v %+v", err, ss2)
	}
	for _, bad := range []string{"1\tx\n", "x\ta\tb\tc\td\te\tf\tg\th\ti\n", "1\ta\ta\tX\t_\t_\t9\tdep\t_\t_\n"} {
		if _, err := ReadCoNLLU(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadCoNLLU(%q) succeeded", bad)
		}
	}
}

// TestTrainTiny trains a model on a handful of sentences built here and
// checks it can reproduce them, exercising the training code path.
func TestTrainTiny(t *testing.T) {
	src := `1	Paris	Paris	PROPN	_	_	2	nsubj	_	_
2	accuse	accuser	VERB	_	_	0	root	_	_
3	Moscou	Moscou	PROPN	_	_	2	obj	_	_
4	.	.	PUNCT	_	_	2	punct	_	_

1	Le	le	DET	_	_	2	det	_	_
2	ministre	ministre	NOUN	_	_	3	nsubj	_	_
3	dénonce	dénoncer	VERB	_	_	0	root	_	_
4	les	le	DET	_	_	5	det	_	_
5	frappes	frappe	NOUN	_	_	3	obj	_	_
6	.	.	PUNCT	_	_	3	punct	_	_

`
	gold, err := ReadCoNLLU(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train("fr", gold, TrainOptions{TagEpochs: 5, ParseEpochs: 10, LabelEpochs: 5, Folds: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if sc := Evaluate(m2, gold); sc.UPOS < 99 || sc.LAS < 99 {
		t.Errorf("tiny model does not fit its training data: %s", sc)
	}
	if s := m2.Parse("Le ministre accuse Moscou."); len(s) != 1 || s[0].Tokens[2].Lemma != "accuser" {
		t.Errorf("bad parse %+v", s)
	}
}

func TestScoresString(t *testing.T) {
	got := Scores{UPOS: 95.123, UAS: 85.6, LAS: 82.1, Tokens: 25096}.String()
	if want := "UPOS 95.12 UAS 85.60 LAS 82.10 tokens 25096"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func BenchmarkLoadModel(b *testing.B) {
	for _, lang := range []string{"en", "fr"} {
		b.Run(lang, func(b *testing.B) {
			c0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := LoadModel(lang); err != nil {
					b.Fatal(err)
				}
			}
			if c := cpuTime() - c0; c > 0 {
				b.ReportMetric(float64(c.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

// BenchmarkAnnotate reports tag+parse throughput in tokens/s (target
// ≥ 30,000 on one core) and tokens per CPU-second, the figure that holds
// on a shared machine. The model is loaded and the sentences are built
// outside the timed region.
func BenchmarkAnnotate(b *testing.B) {
	for _, tc := range []struct{ lang, file string }{{"en", "en_ewt-ud-dev.conllu"}, {"fr", "fr_sequoia-ud-dev.conllu"}} {
		b.Run(tc.lang, func(b *testing.B) {
			gold := loadGold(b, tc.file, 500)
			m, err := LoadModel(tc.lang)
			if err != nil {
				b.Fatal(err)
			}
			ntok := 0
			for _, s := range gold {
				ntok += len(s.Tokens)
			}
			sents := make([]Sentence, len(gold))
			b.ResetTimer()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				for k, g := range gold {
					sents[k] = Sentence{Tokens: make([]Token, len(g.Tokens))}
					for j, t := range g.Tokens {
						sents[k].Tokens[j].Text = t.Text
					}
				}
				b.StartTimer()
				c0 := cpuTime()
				for k := range sents {
					m.Annotate(&sents[k])
				}
				cpu += cpuTime() - c0
			}
			b.ReportMetric(float64(ntok*b.N)/b.Elapsed().Seconds(), "tokens/s")
			if cpu > 0 {
				b.ReportMetric(float64(ntok*b.N)/cpu.Seconds(), "tokens/cpu-s")
			}
		})
	}
}

// FuzzReadModel checks corrupt model data yields errors, never panics.
func FuzzReadModel(f *testing.F) {
	gold, err := ReadCoNLLU(strings.NewReader("1\tIl\til\tPRON\t_\t_\t2\tnsubj\t_\t_\n2\tdort\tdormir\tVERB\t_\t_\t0\troot\t_\t_\n\n"))
	if err != nil {
		f.Fatal(err)
	}
	m, err := Train("fr", gold, TrainOptions{TagEpochs: 1, ParseEpochs: 1, LabelEpochs: 1, Folds: 1, Parsers: []ParserSpec{{System: 1}, {System: 0, Reverse: true}}})
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0, 2, 0, 0xff, 0xff})
	// also feed the table and dictionary decoders, which the checksum
	// hides from mutations of a whole file
	f.Add(appendTable(nil, m.parsers[0].tab.(*table)))
	f.Add(appendTable(nil, m.lab.tab.(*table)))
	f.Add(appendStrTab(nil, []strTabEntry{{"il", []byte{0}}, {"dort", []byte{1}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadModel(bytes.NewReader(data))
		if err == nil {
			m.Parse("Il dort.")
		}
		if tb, err := readQTable(string(data), nil); err == nil {
			tb.score([]uint32{1, 2, 3}, make([]float32, tb.nc))
		}
		r := &frd{s: string(data)}
		if st := r.strTab(); r.err == nil {
			st.find("il", "", false)
			st.find("dort", "VERB", true)
		}
	})
}

// FuzzParse runs the embedded French model on arbitrary text.
func FuzzParse(f *testing.F) {
	m, err := LoadModel("fr")
	if err != nil {
		f.Skip(err)
	}
	for _, s := range []string{"L'ONU a condamné l'attaque.\nTitre", "« a-t-il dit » 3 000 €", "\xff\x00…"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range m.Parse(text) {
			roots := 0
			for _, tk := range s.Tokens {
				if tk.Head < -1 || tk.Head >= len(s.Tokens) {
					t.Fatalf("head out of range: %+v", tk)
				}
				if tk.Head == -1 {
					roots++
				}
			}
			if roots != 1 {
				t.Fatalf("%d roots in %q", roots, text)
			}
		}
	})
}

// TestVerbFeats checks the tree-based choice of verb features that
// relation rules rely on (finite vs participle, passive voice).
func TestVerbFeats(t *testing.T) {
	tests := []struct {
		lang, text, word, want string
	}{
		{"en", "Russia supplied weapons to Syria.", "supplied", "VerbForm=Fin"},
		{"en", "They were accused of bribery.", "accused", "Voice=Pass"},
		{"en", "The UN has condemned the coup.", "condemned", "VerbForm=Part"},
		{"en", "Germany is supplying tanks.", "supplying", "VerbForm=Part"},
		{"fr", "Le ministre a été accusé de corruption.", "accusé", "Voice=Pass"},
		{"fr", "Paris a dénoncé l'attaque.", "dénoncé", "VerbForm=Part"},
		{"fr", "La France dénonce les frappes.", "dénonce", "VerbForm=Fin"},
	}
	for _, tc := range tests {
		m, err := LoadModel(tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range m.Parse(tc.text) {
			for _, tk := range s.Tokens {
				if tk.Text == tc.word && !strings.Contains(tk.Feats, tc.want) {
					t.Errorf("%q: %s has feats %q, want %s", tc.text, tk.Text, tk.Feats, tc.want)
				}
			}
		}
	}
	// "a dénoncé" is active: no passive voice
	m, _ := LoadModel("fr")
	for _, tk := range m.Parse("Paris a dénoncé l'attaque.")[0].Tokens {
		if tk.Text == "dénoncé" && strings.Contains(tk.Feats, "Voice=Pass") {
			t.Errorf("active participle marked passive: %q", tk.Feats)
		}
	}
}
