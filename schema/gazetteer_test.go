package schema

import (
	"strings"
	"testing"
	"unicode"
)

// gazAlias reports whether e has an alias with this text, and of this kind
// unless kind is empty.
func gazAlias(e *GazEntry, kind AliasKind, text string) bool {
	for _, a := range e.Aliases {
		if a.Text == text && (kind == "" || a.Kind == kind) {
			return true
		}
	}
	return false
}

func TestGazetteerEmbedded(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatalf("LoadGazetteer: %v", err)
	}
	types := map[string]int{}
	seen := map[string]bool{}
	for i := range g.Entries {
		e := &g.Entries[i]
		types[e.Type]++
		if seen[e.ID] {
			t.Errorf("id %s listed twice", e.ID)
		}
		seen[e.ID] = true
		if e.NameEN == "" && e.NameFR == "" {
			t.Errorf("%s has no name", e.ID)
		}
		for _, a := range e.Aliases {
			if strings.TrimSpace(a.Text) == "" || strings.ContainsAny(a.Text, "\t|\n") {
				t.Errorf("%s: bad alias text %q", e.ID, a.Text)
			}
			if a.Lang != "" && a.Lang != "en" && a.Lang != "fr" {
				t.Errorf("%s: alias %q has language %q", e.ID, a.Text, a.Lang)
			}
		}
		if e.Type == "person" {
			if c, ok := g.Lookup(e.Country); !ok || c.Type != "country" {
				t.Errorf("person %s: country %q is not a country entry", e.ID, e.Country)
			}
			for _, r := range e.Roles {
				if _, ok := g.Lookup(r.Of); !ok {
					t.Errorf("person %s: office %s in %q, which is not in the gazetteer", e.ID, r.Role, r.Of)
				}
			}
		}
	}
	if types["country"] < 240 {
		t.Errorf("%d countries, want at least 240", types["country"])
	}
	t.Logf("entries by type: %v", types)

	want := []struct {
		id   string
		kind AliasKind
		text string
	}{
		{"Q423", AliasName, "RPDC"},
		{"Q423", AliasName, "DPRK"},
		{"Q423", AliasName, "Corée du Nord"},
		{"Q423", AliasName, "République populaire démocratique de Corée"},
		{"Q423", AliasCapital, "Pyongyang"},
		{"Q423", AliasDemonym, "North Korean"},
		{"Q423", AliasDemonym, "nord-coréen"},
		{"Q423", AliasDemonym, "nord-coréenne"},
		{"Q423", AliasDemonym, "nord-coréens"},
		{"Q423", AliasDemonym, "nord-coréennes"},
		{"Q423", AliasDemonym, "Nord-Coréens"},
		{"Q159", AliasCapital, "Moscou"},
		{"Q159", AliasCapital, "Moscow"},
		{"Q159", AliasCapital, "le Kremlin"},
		{"Q159", AliasCapital, "Kremlin"},
		{"Q159", AliasDemonym, "russes"},
		{"Q30", AliasName, "États-Unis"},
		{"Q30", AliasName, "Etats-Unis"},
		{"Q30", AliasName, "USA"},
		{"Q30", AliasName, "U.S."},
		{"Q30", AliasCapital, "Washington"},
		{"Q30", AliasCapital, "Maison Blanche"},
		{"Q30", AliasCapital, "la Maison-Blanche"},
		{"Q30", AliasDemonym, "américaines"},
		{"Q145", AliasName, "Royaume-Uni"},
		{"Q145", AliasCapital, "Londres"},
		{"Q145", AliasCapital, "Downing Street"},
		{"Q884", AliasCapital, "Séoul"},
		{"Q148", AliasCapital, "Pékin"},
		{"Q142", AliasCapital, "l'Élysée"},
		{"Q212", AliasCapital, "Kyiv"},
		{"Q212", AliasCapital, "Kiev"},
		{"Q458", AliasName, "UE"},
		{"Q458", AliasCapital, "Bruxelles"},
		{"Q7184", AliasName, "OTAN"},
		{"Q7184", AliasName, "NATO"},
		{"Q1065", AliasName, "ONU"},
		{"Q37470", AliasName, "Conseil de sécurité"},
		{"Q41984", AliasName, "AIEA"},
		{"Q7747", AliasSurname, "Poutine"},
		{"Q7747", AliasSurname, "Putin"},
	}
	for _, w := range want {
		e, ok := g.Lookup(w.id)
		if !ok {
			t.Errorf("%s missing", w.id)
			continue
		}
		if !gazAlias(e, w.kind, w.text) {
			t.Errorf("%s (%s): no %s alias %q", w.id, e.NameEN, w.kind, w.text)
		}
	}
	if e, ok := g.Lookup("Q7747"); !ok || e.Type != "person" || e.Country != "Q159" || e.Role != "head_of_state" {
		t.Errorf("Q7747 = %+v, want a person of Q159, head of state", e)
	}
	if e, ok := g.Lookup("Q37470"); !ok || !strings.HasPrefix(e.Type, "organization") {
		t.Errorf("Q37470 (UN Security Council) = %+v, want an organisation", e)
	}
	// Forms that must not be aliases anywhere: common words and a region.
	for _, bad := range []string{"us", "un", "Amérique", "Korean peninsula", "péninsule coréenne", "Island", "Réunion", "Polish"} {
		for i := range g.Entries {
			if gazAlias(&g.Entries[i], "", bad) {
				t.Errorf("%s has risky alias %q", g.Entries[i].ID, bad)
			}
		}
	}
}

func TestParseGazetteerErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Q1\tcountry\tA\tB\t-\t-\t-\n", "bad.tsv:1: want 8 tab-separated fields"},
		{"# c\n\nQ1\tcountry\tA\tB\t-\t-\tname:en:A\t-\nQ1\tcountry\tA\tB\t-\t-\t-\t-\n", "bad.tsv:4: id Q1 listed twice"},
		{"Q1\tcountry\tA\tB\t-\t-\tname:en\t-\n", "bad.tsv:1: bad alias"},
		{"Q1\tcountry\tA\tB\t-\t-\tnick:en:A\t-\n", "bad.tsv:1: unknown alias kind"},
		{"\tcountry\tA\tB\t-\t-\t-\t-\n", "bad.tsv:1: empty id or type"},
		{"p/a\tperson\tA\t-\tQ1\t-\t-\tminister:Q1:2001\n", "bad.tsv:1: bad role"},
		{"p/a\tperson\tA\t-\tQ1\t-\t-\tminister:Q1:2001-1:\n", "bad.tsv:1: bad date"},
		{"p/a\tperson\tA\t-\tQ1\t-\t-\t:Q1::\n", "bad.tsv:1: bad role"},
	} {
		_, err := ParseGazetteer("bad.tsv", strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseGazetteer(%q) = %v, want error containing %q", tc.in, err, tc.want)
		}
	}
	g, err := ParseGazetteer("ok.tsv", strings.NewReader("Q1\tcountry\tA\t-\t-\t-\tname:fr:B|capital::C\t-\n"))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := g.Lookup("Q1")
	if !ok || e.NameFR != "" || e.Name("fr") != "A" || len(e.Aliases) != 2 || e.Aliases[1] != (Alias{Text: "C", Kind: AliasCapital}) {
		t.Errorf("parsed %+v", e)
	}
}

func TestRoleOn(t *testing.T) {
	const in = "Q30\tcountry\tUnited States\t-\t-\t-\tname::United States\t-\n" +
		"Q1065\torganization/igo\tUnited Nations\t-\t-\t-\tname::United Nations\t-\n" +
		"person/a\tperson\tA\t-\tQ30\tforeign_minister\tname::A\tgovernment:Q30:1985-01-03:2013-02-01|foreign_minister:Q30:2013-02-01:2017-01-20\n" +
		"person/b\tperson\tB\t-\tQ30\tforeign_minister\tname::B\tforeign_minister:Q30:2018-04-26:2021-01-20|leader:Q1065:2021:\n" +
		"person/c\tperson\tC\t-\tQ30\thead_of_state\tname::C\t-\n"
	g, err := ParseGazetteer("t.tsv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ id, date, country, role string }{
		{"person/a", "", "Q30", "foreign_minister"},           // no date: the default
		{"person/a", "2010-05", "Q30", "government"},          // an earlier office
		{"person/a", "2013-02-01", "Q30", "foreign_minister"}, // both: the senior one
		{"person/a", "2013", "Q30", "foreign_minister"},
		{"person/a", "2019-06-01", "Q30", ""}, // out of office
		{"person/b", "2019", "Q30", "foreign_minister"},
		{"person/b", "2024-03", "Q30", "leader"}, // an organisation's office: the person's country
		{"person/b", "2017", "Q30", ""},
		{"person/c", "2019", "Q30", "head_of_state"}, // no dated office: the default
		{"person/z", "2019", "", ""},
		{"person/a", "June 2013", "Q30", "foreign_minister"}, // not a date: the default
	} {
		t.Run(tc.id+"@"+tc.date, func(t *testing.T) {
			c, r := g.RoleOn(tc.id, tc.date)
			if c != tc.country || r != tc.role {
				t.Errorf("RoleOn(%s, %s) = %q, %q; want %q, %q", tc.id, tc.date, c, r, tc.country, tc.role)
			}
		})
	}
	names := func(es []*GazEntry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.NameEN)
		}
		return strings.Join(s, ",")
	}
	if got := names(g.Holders("foreign_minister", "Q30", "2013")); got != "A" {
		t.Errorf("US foreign minister in 2013: %s", got)
	}
	if got := names(g.Holders("foreign_minister", "Q30", "2019-01")); got != "B" {
		t.Errorf("US foreign minister in 2019: %s", got)
	}
}

func BenchmarkLoadGazetteer(b *testing.B) {
	for range b.N {
		if _, err := LoadGazetteer(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGazetteerActors checks non-state actors and office holders in both
// languages: names, acronyms, types, countries and dated offices.
func TestGazetteerActors(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id, typ, country string
		aliases          []string
	}{
		{"group/boko-haram", "group/armed", "Q1033", []string{"Boko Haram"}},
		{"group/al-shabaab", "group/armed", "Q1045", []string{"al-Shabaab", "Shabaab", "shebab", "Chebab"}},
		{"group/wagner-group", "group/armed", "Q159", []string{"Wagner Group", "groupe Wagner"}},
		{"group/kurdistan-workers-party", "group/armed", "Q43", []string{"PKK", "Parti des travailleurs du Kurdistan", "Kurdistan Workers' Party"}},
		{"group/hezbollah", "group/armed", "Q822", []string{"Hezbollah", "Hizbollah"}},
		{"group/march-23-movement", "group/armed", "Q974", []string{"M23", "Mouvement du 23 mars"}},
		{"group/al-qaeda-in-the-islamic-maghreb", "group/armed", "Q262", []string{"AQMI", "AQIM", "Al-Qaïda au Maghreb islamique"}},
		{"group/syrian-democratic-forces", "group/armed", "Q858", []string{"SDF", "FDS", "Forces démocratiques syriennes"}},
		{"group/houthis", "group/armed", "Q805", []string{"Houthis", "Ansar Allah"}},
		{"Q2429253", "group/armed", "", []string{"État islamique", "Etat islamique", "Islamic State", "EI", "Daech", "ISIS", "ISIL"}},
		{"Q42418", "group/armed", "Q889", []string{"Taliban", "talibans"}},
		{"Q38799", "group/armed", "Q219060", []string{"Hamas"}},
		{"group/muslim-brotherhood", "group/movement", "Q79", []string{"Frères musulmans", "Muslim Brotherhood"}},
		{"group/yellow-vests", "group/movement", "Q142", []string{"gilets jaunes", "Yellow Vests"}},
		{"organization/human-rights-watch", "organization/ngo", "Q30", []string{"Human Rights Watch", "HRW"}},
		{"organization/amnesty-international", "organization/ngo", "Q145", []string{"Amnesty International"}},
		{"organization/medecins-sans-frontieres", "organization/ngo", "", []string{"Médecins sans frontières", "Doctors Without Borders", "MSF"}},
		{"organization/red-cross", "organization/ngo", "", []string{"Croix-Rouge", "Red Cross"}},
		{"Q5987345", "organization/ngo", "Q39", []string{"CICR", "ICRC"}},
		{"organization/reporters-without-borders", "organization/ngo", "Q142", []string{"Reporters sans frontières", "RSF"}},
		{"organization/labour-party", "organization/party", "Q145", []string{"Labour", "Parti travailliste", "travaillistes"}},
		{"organization/national-front", "organization/party", "Q142", []string{"Front national", "FN"}},
		{"organization/republican-party", "organization/party", "Q30", []string{"GOP", "Parti républicain"}},
		{"organization/alternative-for-germany", "organization/party", "Q183", []string{"AfD", "Alternative pour l'Allemagne"}},
		{"organization/le-monde", "organization/media", "Q142", []string{"Le Monde"}},
		{"organization/die-zeit", "organization/media", "Q183", []string{"Die Zeit"}},
		{"organization/agence-france-presse", "organization/media", "Q142", []string{"AFP", "Agence France-Presse"}},
		{"organization/xinhua", "organization/media", "Q148", []string{"Xinhua", "Chine nouvelle"}},
		{"organization/air-niugini", "organization/company", "Q691", []string{"Air Niugini"}},
		{"organization/huawei", "organization/company", "Q148", []string{"Huawei"}},
		{"person/john-kerry", "person", "Q30", []string{"John Kerry"}},
		{"person/sergei-shoigu", "person", "Q159", []string{"Sergei Shoigu", "Sergueï Choïgou"}},
		{"person/petro-poroshenko", "person", "Q212", []string{"Petro Poroshenko", "Petro Porochenko"}},
		{"person/abu-bakr-al-baghdadi", "person", "Q796", []string{"Abu Bakr al-Baghdadi", "Abou Bakr al-Baghdadi"}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			e, ok := g.Lookup(tc.id)
			if !ok {
				t.Fatalf("%s missing", tc.id)
			}
			if e.Type != tc.typ || e.Country != tc.country {
				t.Errorf("%s: type %q, country %q; want %q, %q", tc.id, e.Type, e.Country, tc.typ, tc.country)
			}
			if b := BaseType(e.Type); b != Organization && b != Group && b != Person {
				t.Errorf("%s: base type %q is not one of kg's", tc.id, b)
			}
			for _, want := range tc.aliases {
				// spellings that differ only by inner capitals are one
				// alias ("Front National" matches "Front national")
				found := false
				for _, a := range e.Aliases {
					found = found || a.Kind == AliasName && strings.EqualFold(a.Text, want) && startsUpper(a.Text) == startsUpper(want)
				}
				if !found {
					t.Errorf("%s (%s): no name alias %q", tc.id, e.NameEN, want)
				}
			}
		})
	}
	// Dated offices: the role and country on an article's date.
	for _, tc := range []struct{ id, date, country, role string }{
		{"person/john-kerry", "2013-06", "Q30", "foreign_minister"},
		{"person/john-kerry", "2019", "Q30", ""},
		{"person/mike-pompeo", "2019-05-01", "Q30", "foreign_minister"},
		{"Q6294", "2011", "Q30", "foreign_minister"},    // Hillary Clinton
		{"Q192", "2014", "Q145", "head_of_government"},  // David Cameron, prime minister
		{"Q192", "2024-01", "Q145", "foreign_minister"}, // then foreign secretary
		{"Q7747", "2010", "Q159", "head_of_government"}, // Putin, prime minister
		{"Q7747", "2019", "Q159", "head_of_state"},
		{"person/francois-hollande", "2015", "Q142", "head_of_state"},
		{"person/francois-hollande", "2018", "Q142", ""},
		{"Q311440", "2019", "Q45", "leader"},                  // Guterres, of the UN: his own country
		{"person/evo-morales", "2020", "Q750", ""},            // petrarch's open term is closed by offices.tsv
		{"person/hassan-nasrallah", "2019", "Q822", "leader"}, // of Hezbollah
	} {
		t.Run(tc.id+"@"+tc.date, func(t *testing.T) {
			if c, r := g.RoleOn(tc.id, tc.date); c != tc.country || r != tc.role {
				t.Errorf("RoleOn(%s, %s) = %q, %q; want %q, %q", tc.id, tc.date, c, r, tc.country, tc.role)
			}
		})
	}
	for _, tc := range []struct{ role, of, date, want string }{
		{"foreign_minister", "Q30", "2013", "Hillary Clinton,John Kerry"},
		{"foreign_minister", "Q30", "2019", "Mike Pompeo"},
		{"head_of_government", "Q145", "2019-09", "Boris Johnson"},
		{"leader", "Q1065", "2015", "Ban Ki-moon"},
	} {
		var got []string
		for _, e := range g.Holders(tc.role, tc.of, tc.date) {
			got = append(got, e.NameEN)
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("Holders(%s, %s, %s) = %v, want %s", tc.role, tc.of, tc.date, got, tc.want)
		}
	}
	// Persons without a Wikidata id are matched by full name only: no
	// surname alone, no one-word name made from the sources.
	for i := range g.Entries {
		e := &g.Entries[i]
		if e.Type != "person" || !strings.HasPrefix(e.ID, "person/") {
			continue
		}
		for _, a := range e.Aliases {
			if a.Kind == AliasSurname {
				t.Errorf("%s: surname alias %q", e.ID, a.Text)
			}
		}
	}
}

func startsUpper(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}
