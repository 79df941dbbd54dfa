package ingest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kg-news/kg/schema"
)

// dateRef is a date expression found in a sentence, resolved against the
// article's date.
type dateRef struct {
	from, to int    // token range
	value    string // YYYY, YYYY-MM or YYYY-MM-DD
	since    bool   // introduced by "depuis/since": a starting point, not the event's date
	sinceAt  int    // token of a "since" a few words before: the date is of a noun after it
	modifier bool   // modifies a noun ("the Nov. 6 elections"): not an event date
	group    int    // coordinated dates share a group: "le 30 décembre et le 2 janvier"
}

// pubDate is the article's date as far as it is known.
type pubDate struct {
	y, m, d int // 0 when unknown
}

func parsePub(s string) pubDate {
	var p pubDate
	parts := strings.Split(s, "-")
	if len(parts) > 0 {
		p.y, _ = strconv.Atoi(parts[0])
	}
	if len(parts) > 1 {
		p.m, _ = strconv.Atoi(parts[1])
	}
	if len(parts) > 2 {
		p.d, _ = strconv.Atoi(parts[2])
	}
	return p
}

// yearFor picks the year of a month (and day) given without one: the
// latest that is not after the article (news reports the past).
func (p pubDate) yearFor(m, d int) int {
	if p.y == 0 {
		return 0
	}
	if p.m == 0 {
		return p.y
	}
	if m > p.m || (m == p.m && p.d > 0 && d > p.d+1) {
		return p.y - 1
	}
	return p.y
}

func fmtDate(y, m, d int) string {
	switch {
	case y == 0:
		return ""
	case m == 0:
		return fmt.Sprintf("%04d", y)
	case d == 0:
		return fmt.Sprintf("%04d-%02d", y, m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

func year4(w string) int {
	if len(w) != 4 {
		return 0
	}
	y, err := strconv.Atoi(w)
	if err != nil || y < 1800 || y > 2100 {
		return 0
	}
	return y
}

func dayNum(w string) int {
	w = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(w, "er"), "st"), "nd"), "rd"), "th")
	d, err := strconv.Atoi(w)
	if err != nil || d < 1 || d > 31 {
		return 0
	}
	return d
}

// findDates finds and resolves the date expressions of a sentence.
func findDates(f []string, pub pubDate, prev []dateRef) []dateRef {
	var out []dateRef
	n := len(f)
	at := func(i int) string {
		if i >= 0 && i < n {
			return f[i]
		}
		return ""
	}
	for i := 0; i < n; i++ {
		w := f[i]
		var r dateRef
		r.from = i
		r.sinceAt = -1
		switch {
		case months[w] > 0 && !(w == "may" || w == "mars" || w == "mar" || w == "march") || months[w] > 0 && (dayNum(at(i-1)) > 0 || dayNum(at(i+1)) > 0 || year4(at(i+1)) > 0 || at(i-1) == "en" || at(i-1) == "in" && (w == "march" || w == "may")):
			m := months[w]
			d := dayNum(at(i - 1))
			from, to := i, i+1
			if d > 0 {
				from = i - 1
				if at(i-2) == "1er" || at(i-2) == "le" || at(i-2) == "the" {
					from = i - 2
				}
			} else if d2 := dayNum(at(i + 1)); d2 > 0 && !(i+2 < n && (at(i+2) == "%" || months[at(i+2)] > 0)) {
				d = d2
				to = i + 2
				if at(to) == "," {
					to++
				}
			}
			y := year4(at(to))
			if y > 0 {
				to++
			} else {
				y = pub.yearFor(m, d)
			}
			r.from, r.to, r.value = from, to, fmtDate(y, m, d)
		case year4(w) > 0 && (at(i-1) == "en" || at(i-1) == "in" || at(i-1) == "depuis" || at(i-1) == "since" || at(i-1) == "des" || at(i-1) == "from" || at(i-1) == "of" || at(i-1) == "de" || at(i-1) == "l'an" || at(i-1) == "fin" || at(i-1) == "debut" || at(i-1) == "early" || at(i-1) == "late"):
			r.to, r.value = i+1, fmtDate(year4(w), 0, 0)
		case weekdays[w] > 0 || w == "dimanche" || w == "sunday":
			if pub.d == 0 {
				// "on Saturday" in an article dated only by month: that
				// month, as precise as we can honestly be
				if pub.m == 0 || !(at(i-1) == "on" || at(i-1) == "last" || at(i-1) == "this" || at(i+1) == "dernier" || at(i+1) == "matin" || at(i+1) == "soir" || at(i+1) == "," || at(i+1) == "." || i == 0 || at(i-1) == ",") {
					continue
				}
				r.to, r.value = i+1, fmtDate(pub.y, pub.m, 0)
				break
			}
			t := time.Date(pub.y, time.Month(pub.m), pub.d, 0, 0, 0, 0, time.UTC)
			back := (int(t.Weekday()) - weekdays[w] + 7) % 7
			if back == 0 && (at(i-1) == "last" || at(i+1) == "dernier") {
				back = 7
			}
			t = t.AddDate(0, 0, -back)
			r.to, r.value = i+1, t.Format("2006-01-02")
		case (w == "hier" || w == "yesterday") && pub.d == 0 && pub.m > 0:
			r.to, r.value = i+1, fmtDate(pub.y, pub.m, 0)
		case (w == "hier" || w == "yesterday") && pub.d > 0:
			t := time.Date(pub.y, time.Month(pub.m), pub.d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
			r.to, r.value = i+1, t.Format("2006-01-02")
		case (w == "year" && at(i-1) == "last") || (w == "annee" && at(i+1) == "derniere") || (w == "an" && at(i+1) == "dernier"):
			if pub.y > 0 {
				r.to, r.value = i+1, fmtDate(pub.y-1, 0, 0)
			}
		case (w == "month" && (at(i-1) == "this" || at(i-1) == "last")) || (w == "mois" && (at(i+1) == "dernier" || at(i-1) == "ce")):
			if pub.m > 0 {
				y, m := pub.y, pub.m
				if at(i-1) == "last" || at(i+1) == "dernier" {
					m--
					if m == 0 {
						y, m = y-1, 12
					}
				}
				r.to, r.value = i+1, fmtDate(y, m, 0)
			}
		case (w == "jours" || w == "days" || w == "jour" || w == "day") && (at(i-1) == "deux" || at(i-1) == "two" || at(i-2) == "ces" || at(i-2) == "these" || at(i-1) == "ces" || at(i-1) == "these" || at(i+1) == "-la" || at(i+1) == "la" || at(i-1) == "that" || at(i-1) == "same" || at(i-1) == "meme"):
			// "ces deux jours", "ce jour-là", "that day": the dates just named
			g := -1
			for _, p := range prev {
				if p.since || p.modifier {
					continue
				}
				if g >= 0 && p.group != g && (w == "jour" || w == "day") {
					continue
				}
				g = p.group
				q := p
				q.from, q.to = i, i+1
				q.group = -1
				out = append(out, q)
			}
			continue
		default:
			continue
		}
		if r.value == "" {
			continue
		}
		// "depuis 2006", "since the start of the war in February 2022": a
		// starting point, not when the event happened
		for k := r.from - 1; k >= 0 && k >= r.from-7; k-- {
			w := at(k)
			if w == "depuis" || w == "since" || w == "until" || w == "jusqu'" || w == "jusqu'a" {
				r.since = true
				// "since the start of the war in 2022" dates something else
				// (unless the event itself sits in between: "depuis la
				// rencontre en septembre")
				if k < r.from-2 {
					r.sinceAt = k
				}
				break
			}
			if w == "," || boundaries[w] || auxiliaries[w] {
				break
			}
		}
		// "the Nov. 6 U.S. congressional elections": a date before a noun
		next := at(r.to)
		if at(r.from-1) == "the" && next != "" && next != "," && next != "." && next != "and" && !determiners[next] && !boundaries[next] && next != "when" && next != "'s" {
			r.modifier = true
		}
		out = append(out, r)
		i = r.to - 1
	}
	// group coordinated dates
	g := 0
	for k := range out {
		if out[k].group == -1 {
			out[k].group = 1000 // carried-over dates form one group
			continue
		}
		if k > 0 && out[k-1].group != 1000 && coordinated(f, out[k-1].to, out[k].from) {
			out[k].group = out[k-1].group
			continue
		}
		g++
		out[k].group = g
	}
	return out
}

// coordinated: only "et/and/ou/or", commas and articles between.
func coordinated(f []string, from, to int) bool {
	if to-from > 3 {
		return false
	}
	for k := from; k < to; k++ {
		switch f[k] {
		case "et", "and", "ou", "or", ",", "le", "the", "on":
		default:
			return false
		}
	}
	return true
}

// eventDate picks the date of the event triggered at token i: the group
// of event dates nearest to it, joined by "|" when coordinated.
func eventDate(dates []dateRef, i int) string {
	if d := nearestDate(dates, i, false); d != "" {
		return d
	}
	// only "since 2006" in the sentence: when it started
	return nearestDate(dates, i, true)
}

func nearestDate(dates []dateRef, i int, since bool) string {
	// "depuis la rencontre en septembre": the event between "depuis" and
	// its date owns the date
	own := func(r dateRef) bool { return r.sinceAt >= 0 && r.sinceAt < i && i < r.from }
	best, bestDist := -1, 1<<30
	for _, r := range dates {
		if own(r) {
			r.since = false
		} else if r.sinceAt >= 0 {
			continue
		}
		if r.since != since || r.modifier {
			continue
		}
		dist := r.from - i
		if dist < 0 {
			dist = i - r.to
		}
		if dist < bestDist {
			best, bestDist = r.group, dist
		}
	}
	if best < 0 {
		return ""
	}
	var vals []string
	for _, r := range dates {
		if own(r) {
			r.since = false
		} else if r.sinceAt >= 0 {
			continue
		}
		if r.group == best && r.since == since && !r.modifier {
			vals = appendUniq(vals, r.value)
		}
	}
	return strings.Join(vals, "|")
}

func appendUniq(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// dateModality is the default Decorator: event dates, modality and the
// speaker of reported speech.
type dateModality struct {
	// Words are the closed classes of argwords.tsv (hypaux); nil reads as
	// empty.
	Words *ArgWords
}

// Decorate fills the candidate's date and modality.
func (dm dateModality) Decorate(d *Doc, si int, c *Candidate) {
	if d.sentDates == nil {
		d.sentDates = make([][]dateRef, len(d.Sents))
		d.sentDone = make([]bool, len(d.Sents))
	}
	if !d.sentDone[si] {
		var prev []dateRef
		if si > 0 && d.sentDone[si-1] {
			prev = d.sentDates[si-1]
		} else if si > 0 {
			prev = findDates(d.Folded(si-1), parsePub(d.Article.Date), nil)
		}
		d.sentDates[si] = findDates(d.Folded(si), parsePub(d.Article.Date), prev)
		d.sentDone[si] = true
	}
	c.Fact.Date = eventDate(d.sentDates[si], c.Trigger)
	c.Fact.Modality = modality(d, si, c)
	if c.Fact.Modality == schema.Asserted && dm.futureAux(d, si, c) {
		c.Fact.Modality = schema.Hypothetical
	}
}

// futureAux: a future or conditional auxiliary right before the verb
// trigger (argwords.tsv hypaux: « où sera jugé Morsi », « seront
// expulsés »): the act is to come.
func (dm dateModality) futureAux(d *Doc, si int, c *Candidate) bool {
	if c.Noun {
		return false
	}
	f := d.Folded(si)
	for k := c.Trigger - 1; k >= 0 && k >= c.Trigger-3; k-- {
		if dm.Words.is(d.Article.Lang, "hypaux", f[k]) {
			return true
		}
		if !(auxiliaries[f[k]] || adverbs[f[k]]) {
			return false
		}
	}
	return false
}

// hypotheticalCues make what follows only wanted, planned or possible.
var hypotheticalCues = set("prepare prepares preparing preparer prepare prepares preparent dispose disposee disposes prete pret prets pretes willing ready plans plan planning intends intend envisage envisagent veut veulent souhaite souhaitent wants want hopes hope espere esperent pourrait pourraient may might could would should devrait devraient")

// modality says whether the event is asserted, negated or hypothetical,
// from the words before its trigger in the same clause.
func modality(d *Doc, si int, c *Candidate) schema.Modality {
	f := d.Folded(si)
	i := c.Trigger
	if c.Negated {
		return schema.Negated
	}
	if c.Hypothetic {
		return schema.Hypothetical
	}
	neg, hyp := false, false
	for k := i - 1; k >= 0 && k >= i-5; k-- {
		w := f[k]
		if boundaries[w] && w != "que" && w != "qu'" && w != "that" {
			if w == "si" || w == "if" {
				hyp = true
			}
			break
		}
		if hypotheticalCues[w] || w == "possible" && !c.Noun {
			hyp = true // "willing to visit", "prêt à signer", "a possible deal"
		}
		switch {
		case c.Noun && (w == "possible" || w == "potentielle" || w == "potentiel" || w == "potential" || w == "eventuelle" || w == "eventuel" || w == "projet" || w == "planned" || w == "proposed"):
			hyp = true // "la possible signature d'un accord"
		case c.Noun && k < i-2:
			// an event noun is negated only by its own determiner: "no
			// agreement", "aucun accord", "pas d'accord"
		case c.Noun && (w == "no" || w == "aucun" || w == "aucune" || w == "sans" || w == "without" || w == "pas"):
			neg = true
		case c.Noun:
		case w == "pas" || w == "jamais" || w == "not" || w == "n't" || w == "never" || w == "ni":
			neg = true
		case modalVerbs[w] || w == "va" || w == "vont" || w == "'ll" || w == "aurait" || w == "auraient" || w == "serait" || w == "seraient" || w == "pourrait":
			hyp = true
		case w == "nie" || w == "nient" || w == "dement" || w == "dementent" || w == "denies" || w == "denied" || w == "deny":
			neg = true
		case w == "potentielle" || w == "potentiel" || w == "potential" || w == "possible" || w == "eventuelle" || w == "eventuel" || w == "projet" || w == "planned" || w == "proposed":
			hyp = true
		}
	}
	// "la coopération potentielle", "a possible meeting": the noun's
	// adjective after it
	if i+1 < len(f) && (f[i+1] == "potentielle" || f[i+1] == "potentiel" || f[i+1] == "eventuelle" || f[i+1] == "eventuel" || f[i+1] == "envisagee" || f[i+1] == "prevue") {
		hyp = true
	}
	// French future and conditional endings on the trigger itself
	if w := f[i]; d.Article.Lang == "fr" && (strings.HasSuffix(w, "era") || strings.HasSuffix(w, "eront") || strings.HasSuffix(w, "erait") || strings.HasSuffix(w, "eraient") || strings.HasSuffix(w, "ira") || strings.HasSuffix(w, "iront") || strings.HasSuffix(w, "irait")) {
		hyp = true
	}
	switch {
	case neg:
		return schema.Negated
	case hyp:
		return schema.Hypothetical
	}
	return schema.Asserted
}
