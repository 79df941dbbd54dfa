package ingest

import (
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

// TestFrenchLexicon: sentences with gazetteer actors give the fact the
// trigger of lexicon-fr.tsv or lexicon-curated.tsv states, and the senses
// left out on purpose give none.
func TestFrenchLexicon(t *testing.T) {
	x := newTestExtractor(t)
	for _, c := range []struct {
		name, lang, text string
		want             string // "subject relation object", or "" for no fact
		not              string // a fact that must not be found
	}{
		// verbs and light-verb phrases, one or more per PLOVER type
		{"expulser l'ambassadeur", "fr", "Le Kenya a expulsé l'ambassadeur somalien.", "Q114 expels Q1045", ""},
		{"expulser l'ambassadeur de", "fr", "L'Arabie saoudite a expulsé l'ambassadeur du Canada.", "Q851 expels Q16", ""},
		{"convoquer l'ambassadeur", "fr", "La France a convoqué l'ambassadeur d'Iran.", "Q142 criticizes Q794", ""},
		{"rompre ses relations", "fr", "L'Arabie saoudite a rompu ses relations diplomatiques avec le Qatar.", "Q851 sanctions Q846", ""},
		{"couper les ponts", "fr", "La Russie a coupé les ponts avec la Géorgie.", "Q159 sanctions Q230", ""},
		{"rappeler son ambassadeur", "fr", "Le Qatar a rappelé son ambassadeur en Égypte.", "Q846 sanctions Q79", ""},
		{"rappeler son ambassadeur au", "fr", "Le Canada a rappelé son ambassadeur au Venezuela.", "Q16 sanctions Q717", ""},
		{"rétablir les sanctions", "fr", "Washington a rétabli les sanctions contre l'Iran.", "Q30 sanctions Q794", ""},
		{"riposter", "fr", "Israël a riposté contre le Hamas.", "Q801 attacks Q38799", ""},
		{"pilonner en", "fr", "La Turquie a pilonné des positions kurdes en Syrie.", "Q43 attacks Q858", ""},
		{"ouvrir le feu", "fr", "Les États-Unis ont ouvert le feu sur des navires iraniens.", "Q30 attacks Q794", ""},
		{"abattre", "fr", "La Turquie a abattu un avion russe.", "Q43 attacks Q159", ""},
		{"lancer un ultimatum", "fr", "La Corée du Nord a lancé un ultimatum à la Corée du Sud.", "Q423 threatens Q884", ""},
		{"prévenir", "fr", "Moscou a prévenu Kiev de graves conséquences.", "Q159 threatens Q212", ""},
		{"dépêcher", "fr", "La France a dépêché des soldats en Centrafrique.", "Q142 mobilizes Q929", ""},
		{"dépêcher au", "fr", "L'Inde a dépêché des troupes au Népal.", "Q668 mobilizes Q837", ""},
		{"mobiliser contre", "fr", "La Russie a mobilisé des troupes contre l'Ukraine.", "Q159 mobilizes Q212", ""},
		{"masser des troupes", "fr", "La Russie a massé des troupes à la frontière ukrainienne.", "Q159 mobilizes Q212", ""},
		{"renforcer sa présence militaire", "fr", "L'OTAN a renforcé sa présence militaire en Pologne.", "Q7184 mobilizes Q36", ""},
		{"s'excuser auprès", "fr", "Le Japon s'est excusé auprès de la Corée du Sud.", "Q17 concedes Q884", ""},
		{"présenter ses excuses", "fr", "Le Japon a présenté ses excuses à la Chine.", "Q17 concedes Q148", ""},
		{"céder à", "fr", "La Chine a cédé à la pression américaine.", "Q148 concedes Q30", ""},
		{"lever les sanctions", "fr", "Washington a levé les sanctions contre Cuba.", "Q30 concedes Q241", ""},
		{"accorder une aide", "fr", "La France a accordé une aide à la Tunisie.", "Q142 aids Q948", ""},
		{"soutenir militairement", "fr", "Paris a soutenu militairement le Mali.", "Q142 aids Q912", ""},
		{"former", "fr", "La France a formé des soldats maliens.", "Q142 aids Q912", ""},
		{"téléphoner à", "fr", "Le président français a téléphoné à la chancelière allemande.", "Q142 calls Q183", ""},
		{"rendre visite", "fr", "Emmanuel Macron a rendu visite à l'Allemagne.", "Q3052772 visits Q183", ""},
		{"dépêcher un émissaire", "fr", "L'Inde a dépêché un émissaire au Népal.", "Q668 meets Q837", ""},
		{"exiger des excuses", "fr", "Le Brésil a exigé des excuses des États-Unis.", "Q155 requests Q30", ""},
		{"sommer de", "fr", "L'ONU a sommé la Syrie de cesser les bombardements.", "Q1065 requests Q858", ""},
		{"demander l'aide", "fr", "L'Ukraine a demandé l'aide de l'OTAN.", "Q212 requests Q7184", ""},
		{"mettre en demeure", "fr", "Pékin a mis en demeure Washington de retirer ses navires.", "Q148 requests Q30", ""},
		{"se retirer de", "fr", "La Russie s'est retirée de la Syrie.", "Q159 retreats Q858", ""},
		{"sortir de", "fr", "Le Royaume-Uni est sorti de l'Union européenne.", "Q145 retreats Q458", ""},
		{"reconnaître", "fr", "L'Argentine a reconnu le Kosovo.", "Q414 supports Q1246", ""},
		{"manifester son soutien", "fr", "La Russie a manifesté son soutien à la Syrie.", "Q159 supports Q858", ""},
		{"exprimer sa solidarité", "fr", "Le Japon a exprimé sa solidarité avec la France.", "Q17 supports Q142", ""},
		{"manifester contre", "fr", "Les Grecs ont manifesté contre l'Allemagne.", "Q41 protests Q183", ""},
		{"renouer avec", "fr", "La Corée du Sud a renoué avec le Japon.", "Q17 cooperates Q884", ""},
		{"rétablir leurs relations", "fr", "Cuba et les États-Unis ont rétabli leurs relations diplomatiques.", "Q30 cooperates Q241", ""},
		{"conclure un accord", "fr", "Les États-Unis et la Chine ont conclu un accord.", "Q30 agrees Q148", ""},
		{"interpeller", "fr", "La Colombie a interpellé un trafiquant vénézuélien.", "Q739 coerces Q717", ""},
		{"couper le gaz", "fr", "Moscou a coupé le gaz à l'Ukraine.", "Q159 coerces Q212", ""},
		{"intercepter", "fr", "La Chine a intercepté un navire japonais.", "Q148 coerces Q17", ""},
		{"porter plainte", "fr", "Le Liban a porté plainte contre Israël.", "Q822 investigates Q801", ""},
		{"lancer un mandat d'arrêt", "fr", "La CPI a lancé un mandat d'arrêt contre Poutine.", "Q47488 investigates Q7747", ""},
		{"tirer à boulets rouges", "fr", "La Grèce a tiré à boulets rouges sur l'Allemagne.", "Q41 criticizes Q183", "Q41 attacks Q183"},
		{"insulter", "fr", "Trump a insulté le Mexique.", "Q22686 criticizes Q96", ""},
		// event nouns
		{"pourparlers entre", "fr", "Les pourparlers entre l'Iran et les États-Unis ont échoué.", "Q30 meets Q794", ""},
		{"arrestation", "fr", "L'Iran a annoncé l'arrestation de deux Français.", "Q794 coerces Q142", ""},
		{"incursion", "fr", "L'incursion turque en Syrie inquiète l'Europe.", "Q43 attacks Q858", ""},
		{"affrontements entre", "fr", "Les affrontements entre l'Inde et la Chine ont fait vingt morts.", "Q668 attacks Q148", ""},
		{"soutien de à", "fr", "Le soutien de la Chine à la Russie irrite Washington.", "Q148 supports Q159", ""},
		{"appel de à", "fr", "L'appel de l'ONU à la Birmanie est resté lettre morte.", "Q1065 requests Q836", ""},
		{"déploiement", "fr", "Le déploiement de soldats américains en Pologne a commencé.", "Q30 mobilizes Q36", ""},
		{"trêve entre", "fr", "La trêve entre Israël et le Hamas tient.", "Q801 agrees Q38799", ""},
		{"ultimatum", "fr", "L'ultimatum de la Turquie à la Grèce expire demain.", "Q43 threatens Q41", ""},
		{"cyberattaque", "fr", "La cyberattaque russe contre l'Estonie a paralysé le pays.", "Q159 coerces Q191", ""},
		{"excuses de à", "fr", "Les excuses du Japon à la Corée du Sud ont été jugées insuffisantes.", "Q17 concedes Q884", ""},
		{"partenariat entre", "fr", "Le partenariat entre la France et l'Inde se renforce.", "Q142 cooperates Q668", ""},
		{"blocus contre", "fr", "Le blocus israélien contre le Hamas dure depuis 2007.", "Q801 coerces Q38799", ""},
		{"apology to", "en", "Japan's apology to South Korea was rejected.", "Q17 concedes Q884", ""},
		{"clashes between", "en", "The clashes between India and China killed twenty soldiers.", "Q668 attacks Q148", ""},
		{"incursion into", "en", "Turkey's incursion into Syria worried Europe.", "Q43 attacks Q858", ""},
		{"support for", "en", "China's support for Russia angered Washington.", "Q148 supports Q159", ""},
		{"withdrawal from", "en", "The withdrawal of the United States from Syria surprised Israel.", "Q30 retreats Q858", ""},
		{"deployment to", "en", "The deployment of American troops to Poland began.", "Q30 mobilizes Q36", ""},
		{"ceasefire between", "en", "A ceasefire between Israel and Hamas took effect.", "Q801 agrees Q38799", ""},
		// senses left out: no fact, or not this one
		{"rompre avec une politique", "fr", "La Russie a rompu avec la politique américaine.", "", "Q159 sanctions Q30"},
		{"taxer de", "fr", "La Chine a taxé les États-Unis d'hypocrisie.", "", "Q148 sanctions Q30"},
		{"cibler avec des taxes", "fr", "Washington a ciblé la Chine avec de nouvelles taxes.", "", "Q30 attacks Q148"},
		{"convoquer un conseil", "fr", "Poutine a convoqué le Conseil de sécurité russe.", "", "Q7747 criticizes Q37470"},
		{"proposer un candidat", "fr", "L'Espagne a proposé un candidat à l'ONU.", "", "Q29 agrees Q1065"},
		{"voter contre un texte", "fr", "Londres a voté contre la résolution.", "", "Q145 adopts"},
		{"échanger des tirs", "fr", "L'Inde et le Pakistan ont échangé des tirs.", "", "Q668 meets Q843"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := x.Extract(schema.Article{ID: "lexfr", Lang: c.lang, Date: "2024-03-15", Text: c.text})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			has := func(want string) bool {
				w := strings.Fields(want)
				for _, f := range res.Facts {
					if actorIs(f.Subject, w[0]) && f.Relation == w[1] && (len(w) < 3 || actorIs(f.Object, w[2])) {
						return true
					}
				}
				return false
			}
			for _, f := range res.Facts {
				if !strings.HasSuffix(f.Relation, "_of") {
					got = append(got, f.Subject.ID+" "+f.Relation+" "+f.Object.ID)
				}
			}
			if c.want != "" && !has(c.want) {
				t.Errorf("%q: no fact %q; got %v", c.text, c.want, got)
			}
			if c.want == "" && c.not == "" && len(got) > 0 {
				t.Errorf("%q: want no fact, got %v", c.text, got)
			}
			if c.not != "" && has(c.not) {
				t.Errorf("%q: fact %q should not be found; got %v", c.text, c.not, got)
			}
		})
	}
}

// TestLexiconReach: the trigger lexicon has dictionary reach in French (at
// least 1,000 verb lemmas and 200 event nouns) and the English event nouns
// to match, counting each lemma once across all lexicon files.
func TestLexiconReach(t *testing.T) {
	l, err := LoadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]map[string]bool{}
	for _, tr := range l.Triggers {
		pos := "verb"
		if tr.Noun {
			pos = "noun"
		}
		k := tr.Lang + " " + pos
		if count[k] == nil {
			count[k] = map[string]bool{}
		}
		lemma := strings.Join(append([]string{tr.Lemma}, tr.Rest...), " ")
		if tr.Reflexive {
			lemma = "se " + lemma
		}
		count[k][lemma] = true
	}
	for _, c := range []struct {
		key string
		min int
	}{
		{"fr verb", 1000},
		{"fr noun", 200},
		{"en noun", 200},
	} {
		t.Run(c.key, func(t *testing.T) {
			if n := len(count[c.key]); n < c.min {
				t.Errorf("%d %s lemmas, want at least %d", n, c.key, c.min)
			}
		})
	}
}

// TestLexiconModes: a trigger's mode is one of the PLOVER modes of its
// relation's event type, so exported records carry valid modes.
func TestLexiconModes(t *testing.T) {
	l, err := LoadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	o, err := schema.LoadOntology()
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]map[string]bool{}
	for _, p := range schema.PLOVER {
		modes[p.Name] = map[string]bool{}
		for _, m := range p.Modes {
			modes[p.Name][m] = true
		}
	}
	for _, tr := range l.Triggers {
		r, ok := o.Relation(tr.Relation)
		if !ok {
			t.Errorf("%s:%d: relation %q is not in schema/relations.tsv", tr.File, tr.Line, tr.Relation)
			continue
		}
		if tr.Mode != "" && r.Event != "" && !modes[r.Event][tr.Mode] {
			t.Errorf("%s:%d: mode %q is not a mode of %s", tr.File, tr.Line, tr.Mode, r.Event)
		}
	}
}

// actorIs: the entity is id, or a sector actor of that country ("Russian
// forces" for Q159), as the scorer counts it.
func actorIs(e schema.EntityRef, id string) bool {
	return e.ID == id || e.Sector != "" && e.Country == id
}
