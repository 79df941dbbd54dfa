package main

import (
	"strings"
	"testing"

	"github.com/kg-news/kg/schema"
)

func TestPlural(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"soldier", "soldiers"}, {"militia", "militias"}, {"authority", "authorities"}, {"journalist", "journalists"},
		{"policeman", "policemen"}, {"boss", "bosses"}, {"forces", ""}, {"gunmen", ""}, {"court of appeals", "courts of appeals"},
		{"riot police", "riot polices"}, {"army", "armies"}, {"chinese", ""},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := pluralPhrase(c.in); got != c.want {
				t.Errorf("pluralPhrase(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

const sample = `# header
!PERSON! = MAN, MEN
POLICE {} [~COP]
POLICE!PERSON!  [~COP] # a comment
AD!PERSON!RATION [~GOV]
STUDENT_PROTESTER [~OPPEDU]
F-16 [~MIL]
TRUCE_MONITOR [IGO~]
HEAD_OF_STATE {HEADS_OF_STATE} [~GOV]
`

func TestParseAgents(t *testing.T) {
	sectors, err := schema.LoadSectors()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := parseAgents(sample, sectors, false)
	if err != nil {
		t.Fatal(err)
	}
	cur := "action\tform\tvalue\twhy\nsector\tstudent protester\tprotesters\tprotesters\nflag\tpolice\tbare\tthe commonest\nadd\tforces\tmilitary:plural\tmissing\n"
	forms, err := curate(entries, cur, "curation.tsv", sectors, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range forms {
		got = append(got, f.text+"/"+f.sector+"/"+strings.Join(f.flags, ","))
	}
	want := "forces/military/plural head of state/government/ heads of state/government/plural police/police/bare policeman/police/ policemen/police/plural student protester/protesters/ student protesters/protesters/plural"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestCurationErrors(t *testing.T) {
	sectors, _ := schema.LoadSectors()
	for _, c := range []struct{ name, src, want string }{
		{"unknown form", "drop\tnothing\t-\twhy\n", "curation.tsv:1: drop \"nothing\": no such form"},
		{"no why", "drop\tpolice\t-\t\n", "say why"},
		{"bad sector", "sector\tpolice\tcops\twhy\n", "unknown sector"},
		{"bad flag", "flag\tpolice\tloud\twhy\n", "unknown flag"},
		{"bad action", "keep\tpolice\t-\twhy\n", "unknown action"},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries, err := parseAgents(sample, sectors, false)
			if err != nil {
				t.Fatal(err)
			}
			_, err = curate(entries, c.src, "curation.tsv", sectors, false)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}
