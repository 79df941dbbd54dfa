package export

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/kg-news/kg/schema"
)

// NodeHeader and EdgeHeader are the columns of the two CSV files. Edges
// name their ends by entity id (source, target) like nodes' id column, the
// shape networkx.from_pandas_edgelist and Gephi's importer expect.
var (
	NodeHeader = []string{"id", "name", "type", "wikidata", "country", "role", "aliases", "iri"}
	EdgeHeader = []string{"id", "source", "target", "source_name", "target_name", "relation", "event", "mode",
		"date", "published", "modality", "confidence", "article", "article_title", "article_url", "instrument", "speaker", "evidence"}
)

// CSV writes the graph as two CSV files (RFC 4180, UTF-8, header row): one
// row per entity to nodes and one per fact to edges. Cells that a
// spreadsheet would run as a formula (starting with = + - @, tab or CR)
// are prefixed with a quote ('), so opening the file cannot execute
// anything; such a prefix also marks a cell that was changed. Aliases are
// joined with " | ". Each edge carries its event date (date, when the text
// gives one) and its article's publication date (published), and, when
// arts has them, the article's title and URL.
func CSV(nodes, edges io.Writer, g schema.Graph, arts ...ArticleMeta) error {
	meta := articleIndex(arts)
	nw := csv.NewWriter(nodes)
	nw.Write(NodeHeader)
	for _, e := range entities(g) {
		wikidata := ""
		if schema.IsQID(e.ID) {
			wikidata = e.ID
		}
		nw.Write(csvSafe([]string{e.ID, e.Name, e.Type, wikidata, e.Country, e.Role, strings.Join(e.Aliases, " | "), entityIRI(e.ID)}))
	}
	nw.Flush()
	if err := nw.Error(); err != nil {
		return err
	}
	ew := csv.NewWriter(edges)
	ew.Write(EdgeHeader)
	facts, ids := uniqueFacts(g.Edges)
	for i, f := range facts {
		id, a := ids[i], meta[f.Doc]
		ew.Write(csvSafe([]string{id, f.Subject.ID, f.Object.ID, f.Subject.Name, f.Object.Name, f.Relation, f.Event, f.Mode,
			f.Date, published(f, meta), string(f.Modality), strconv.FormatFloat(f.Confidence, 'f', -1, 64), f.Doc, a.Title, a.URL,
			f.Instrument, f.Speaker, f.Evidence.Sentence}))
	}
	ew.Flush()
	return ew.Error()
}

// csvSafe defuses spreadsheet formulas (OWASP "CSV injection") and
// replaces invalid UTF-8, in place.
func csvSafe(row []string) []string {
	for i, c := range row {
		c = validUTF8(c)
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			c = "'" + c
		}
		row[i] = c
	}
	return row
}
