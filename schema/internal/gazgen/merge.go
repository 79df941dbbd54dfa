package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/kg-news/kg/schema"
)

// addPetrarch adds the persons of Phoenix.Countries.actors.txt and the
// NGOs, companies and media of Phoenix.International.actors.txt to the
// entries, after the curated files: an entry whose project id or name a
// curated line already has is merged into it (its dated offices join a
// curated person's), a name that two petrarch persons of different
// countries share is left out (two people, not one), and aliases that are
// only common words are dropped. It returns a log of what it left out.
func addPetrarch(dir string, rules *petrarchRules, iso3 map[string]string, common map[string]bool, byID map[string]*entry, entries *[]*entry) ([]string, error) {
	persons, log, err := rules.persons(filepath.Join(dir, "Phoenix.Countries.actors.txt"), iso3)
	if err != nil {
		return nil, err
	}
	orgs, olog, err := rules.orgs(filepath.Join(dir, "Phoenix.International.actors.txt"), iso3)
	if err != nil {
		return nil, err
	}
	log = append(log, olog...)
	// names of the curated entries, to merge petrarch's into them
	personNames, orgNames := map[string]*entry{}, map[string]*entry{}
	taken := map[string]bool{} // any alias of a country or an organisation
	for _, e := range *entries {
		for _, a := range e.aliases {
			if schema.BaseType(e.typ) != schema.Person {
				taken[schema.Fold(a.text)] = true
			}
			if a.kind != kindName {
				continue
			}
			switch schema.BaseType(e.typ) {
			case schema.Person:
				personNames[schema.Fold(a.text)] = e
			case schema.Organization, schema.Group:
				orgNames[schema.Fold(a.text)] = e
			}
		}
	}
	// Entries that share a name are one person listed twice ("SALVA_KIIR"
	// and "SALVA_KIIR_MAYARDIT" with the other as synonym) when they are of
	// one country; their id is the first entry's.
	parent := make([]int, len(persons))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	seen := map[string]int{}
	for i, p := range persons {
		for _, a := range p.aliases {
			k := schema.Fold(a)
			if j, ok := seen[k]; ok {
				if ri, rj := find(i), find(j); ri != rj {
					parent[max(ri, rj)] = min(ri, rj)
				}
			} else {
				seen[k] = i
			}
		}
	}
	byPID := map[string][]*petrarchPerson{}
	for i, p := range persons {
		id := schema.ProjectID(schema.Person, persons[find(i)].name)
		byPID[id] = append(byPID[id], p)
	}
	for _, id := range sortedKeys(byPID) {
		ps := byPID[id]
		country := ps[0].country
		same := true
		for _, p := range ps[1:] {
			same = same && p.country == country
		}
		if !same {
			log = append(log, fmt.Sprintf("person %q: in several countries' lists, left out", ps[0].name))
			continue
		}
		target := byID[id]
		if target == nil {
			for _, p := range ps {
				for _, a := range p.aliases {
					if c := personNames[schema.Fold(a)]; c != nil && target == nil {
						target = c
					}
				}
			}
		}
		if target != nil && (target.typ != "person" || target.country != "" && target.country != country) {
			log = append(log, fmt.Sprintf("person %q of %s: name of %s (%s, %s), left out", ps[0].name, country, target.id, target.typ, target.country))
			continue
		}
		var names []string
		for _, p := range ps {
			for _, a := range p.aliases {
				if !commonForm(a, common) && !taken[schema.Fold(a)] {
					names = append(names, a)
				}
			}
		}
		if len(names) == 0 {
			log = append(log, fmt.Sprintf("person %q: only common words, left out", ps[0].name))
			continue
		}
		if target == nil {
			target = &entry{id: id, typ: "person", nameEN: ps[0].name}
			byID[id] = target
			*entries = append(*entries, target)
		}
		if target.country == "" {
			target.country = country
		}
		for _, n := range names {
			target.add(kindName, "", n, false)
		}
		for _, p := range ps {
			target.roles = append(target.roles, p.roles...)
		}
	}
	for _, o := range orgs {
		id := schema.ProjectID(o.typ, o.name)
		target := byID[id]
		if target == nil {
			for _, a := range o.aliases {
				if c := orgNames[schema.Fold(a)]; c != nil && target == nil {
					target = c
				}
			}
		}
		var names []string
		for _, a := range o.aliases {
			if okOrgAlias(a, common) {
				names = append(names, a)
			}
		}
		if len(names) == 0 {
			continue
		}
		if target == nil {
			target = &entry{id: id, typ: o.typ, nameEN: o.name, country: o.country}
			byID[id] = target
			*entries = append(*entries, target)
		}
		for _, a := range o.aliases {
			if orgNames[schema.Fold(a)] == nil {
				orgNames[schema.Fold(a)] = target
			}
		}
		if schema.BaseType(target.typ) == schema.Person || target.typ == "country" {
			continue
		}
		for _, n := range names {
			target.add(kindName, "", n, false)
		}
	}
	return log, nil
}

// okOrgAlias reports whether a petrarch organisation's name is safe to
// match: not only common words, and a single word has at least four
// letters, or three in upper case ("BBC").
func okOrgAlias(a string, common map[string]bool) bool {
	if commonForm(a, common) {
		return false
	}
	if strings.Contains(a, " ") {
		return true
	}
	letters, upper := 0, true
	for _, r := range a {
		if unicode.IsLetter(r) {
			letters++
			upper = upper && unicode.IsUpper(r)
		}
	}
	return letters >= 4 || upper && letters >= 3
}

// defaultRole sets a person's default role and country, for articles
// without a date, from their latest office when curated.tsv gave none.
func defaultRole(e *entry, byID map[string]*entry) {
	if len(e.roles) == 0 {
		return
	}
	best := e.roles[0]
	later := func(a, b role) bool { // a ends later than b
		if (a.to == "") != (b.to == "") {
			return a.to == ""
		}
		if a.to != b.to {
			return a.to > b.to
		}
		return a.from > b.from
	}
	for _, r := range e.roles[1:] {
		if later(r, best) {
			best = r
		}
	}
	if e.role == "" {
		e.role = best.role
	}
	if c := byID[best.of]; e.country == "" && c != nil && c.typ == "country" {
		e.country = best.of
	}
}

// dropStaleRoles removes, from a person offices.tsv gives terms to, the
// petrarch2 terms still open: they mean "in office when the dictionary was
// compiled (2014)", and the curated terms say when they ended.
func dropStaleRoles(e *entry) {
	curated := false
	for _, r := range e.roles {
		curated = curated || r.curated
	}
	if !curated {
		return
	}
	kept := e.roles[:0]
	for _, r := range e.roles {
		if r.curated || r.to != "" {
			kept = append(kept, r)
		}
	}
	e.roles = kept
}
