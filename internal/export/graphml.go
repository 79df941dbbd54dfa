package export

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kg-news/kg/schema"
)

// graphmlKey declares one GraphML attribute.
type graphmlKey struct {
	id, domain, name, typ string
}

// Node and edge attributes, declared as <key>s so networkx, Gephi and yEd
// read them as typed columns rather than dropping them.
var (
	nodeKeys = []graphmlKey{
		{"n_name", "node", "name", "string"},
		{"n_type", "node", "type", "string"},
		{"n_wikidata", "node", "wikidata", "string"},
		{"n_country", "node", "country", "string"},
		{"n_role", "node", "role", "string"},
		{"n_aliases", "node", "aliases", "string"},
		{"n_iri", "node", "iri", "string"},
	}
	edgeKeys = []graphmlKey{
		{"e_relation", "edge", "relation", "string"},
		{"e_event", "edge", "event", "string"},
		{"e_mode", "edge", "mode", "string"},
		{"e_date", "edge", "date", "string"},
		{"e_published", "edge", "published", "string"},
		{"e_modality", "edge", "modality", "string"},
		{"e_article", "edge", "article", "string"},
		{"e_evidence", "edge", "evidence", "string"},
		{"e_confidence", "edge", "confidence", "double"},
		{"e_instrument", "edge", "instrument", "string"},
		{"e_speaker", "edge", "speaker", "string"},
		{"e_fact", "edge", "fact", "string"},
	}
)

// GraphML writes the graph as a directed GraphML multigraph: one node per
// entity (id = entity id) and one edge per fact (id = the fact's IRI), so
// parallel facts between two entities stay apart. Every value goes
// through encoding/xml's escaping, which also replaces the characters XML
// 1.0 cannot hold (most control characters) with U+FFFD: the document is
// well-formed whatever the names and sentences contain. Aliases are
// joined with " | ". Edges carry the event date (date, when the text
// gives one) and the article's publication date (published).
func GraphML(w io.Writer, g schema.Graph, arts ...ArticleMeta) error {
	meta := articleIndex(arts)
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range append(append([]graphmlKey{}, nodeKeys...), edgeKeys...) {
		fmt.Fprintf(bw, `  <key id="%s" for="%s" attr.name="%s" attr.type="%s"/>`+"\n", k.id, k.domain, k.name, k.typ)
	}
	bw.WriteString(`  <graph id="kg" edgedefault="directed">` + "\n")
	for _, e := range entities(g) {
		bw.WriteString(`    <node id="` + xmlEscape(e.ID) + `">` + "\n")
		wikidata := ""
		if schema.IsQID(e.ID) {
			wikidata = e.ID
		}
		for _, d := range [][2]string{
			{"n_name", e.Name}, {"n_type", e.Type}, {"n_wikidata", wikidata}, {"n_country", e.Country},
			{"n_role", e.Role}, {"n_aliases", strings.Join(e.Aliases, " | ")}, {"n_iri", entityIRI(e.ID)},
		} {
			writeData(bw, d[0], d[1])
		}
		bw.WriteString("    </node>\n")
	}
	facts, ids := uniqueFacts(g.Edges)
	for i, f := range facts {
		id := ids[i]
		fmt.Fprintf(bw, `    <edge id="%s" source="%s" target="%s">`+"\n", xmlEscape(id), xmlEscape(f.Subject.ID), xmlEscape(f.Object.ID))
		for _, d := range [][2]string{
			{"e_relation", f.Relation}, {"e_event", f.Event}, {"e_mode", f.Mode}, {"e_date", f.Date}, {"e_published", published(f, meta)},
			{"e_modality", string(f.Modality)}, {"e_article", f.Doc}, {"e_evidence", f.Evidence.Sentence},
			{"e_confidence", strconv.FormatFloat(f.Confidence, 'g', -1, 64)}, {"e_instrument", f.Instrument},
			{"e_speaker", f.Speaker}, {"e_fact", id},
		} {
			writeData(bw, d[0], d[1])
		}
		bw.WriteString("    </edge>\n")
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	return bw.Flush()
}

// writeData writes a <data> element, skipping empty values so a missing
// date reads as missing (NaN in pandas), not as "".
func writeData(w *bufio.Writer, key, val string) {
	if val == "" {
		return
	}
	w.WriteString(`      <data key="` + key + `">` + xmlEscape(val) + "</data>\n")
}

// xmlEscape escapes text for element content and attribute values alike
// (quotes included, newlines as character references so attribute
// normalisation cannot eat them).
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(validUTF8(s))) // a strings.Builder never fails
	return b.String()
}
