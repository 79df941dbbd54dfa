package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestServeCayleyAPI asks the seed's store through Cayley's own HTTP API,
// as Cayley's clients do.
func TestServeCayleyAPI(t *testing.T) {
	base := startServe(t, seededStore(t), "--quiet")
	code, body := httpDo(t, "POST", base+"api/v2/query?lang=gizmo", "application/javascript",
		`g.V("<http://www.wikidata.org/entity/Q423>").Out("<https://kg-news.github.io/vocab#supplies>").All()`)
	var res struct {
		Result []map[string]string `json:"result"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &res) != nil || len(res.Result) != 1 || res.Result[0]["id"] != "<http://www.wikidata.org/entity/Q159>" {
		t.Errorf("who does North Korea supply: %d %s", code, body)
	}
	code, body = httpDo(t, "GET", base+"api/v2/read?sub="+url.QueryEscape("<http://www.wikidata.org/entity/Q423>"), "", "")
	if code != 200 || !strings.Contains(body, "<http://www.wikidata.org/entity/Q423> <https://kg-news.github.io/vocab#supplies> <http://www.wikidata.org/entity/Q159>") {
		t.Errorf("read: %d %.300s", code, body)
	}
	code, body = httpDo(t, "GET", base+"api/v2/read?format=json&pred="+url.QueryEscape("<https://kg-news.github.io/vocab#attacks>"), "", "")
	var quads []map[string]string
	if code != 200 || json.Unmarshal([]byte(body), &quads) != nil || len(quads) == 0 || quads[0]["object"] != "<http://www.wikidata.org/entity/Q212>" {
		t.Errorf("read as JSON: %d %.300s", code, body)
	}
	if code, body = httpDo(t, "POST", base+"api/v2/write", "application/n-quads", "<a> <b> <c> .\n"); code != 403 {
		t.Errorf("write on a read-only server: %d %s", code, body)
	}
}

// TestServeArticleAndSearch checks what the page reads: an English
// substring finds the French-named entities, and an article comes back
// with its text when its file is unchanged.
func TestServeArticleAndSearch(t *testing.T) {
	base := startServe(t, seededStore(t), "--quiet")
	code, body := httpDo(t, "GET", base+"api/entities?q=Korea", "", "")
	var ents []struct {
		ID     string            `json:"id"`
		Labels map[string]string `json:"labels"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &ents) != nil || len(ents) != 2 || ents[0].ID != "Q423" || ents[0].Labels["en"] != "North Korea" {
		t.Errorf("entities matching Korea: %d %.300s", code, body)
	}
	code, body = httpDo(t, "GET", base+"api/article?id="+url.QueryEscape("dprk-missiles-fr"), "", "")
	var art struct {
		TextAvailable bool `json:"text_available"`
		Pieces        []struct {
			Text  string `json:"text"`
			Facts []int  `json:"facts"`
		} `json:"pieces"`
		Facts []json.RawMessage `json:"facts"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &art) != nil || !art.TextAvailable || len(art.Facts) == 0 {
		t.Fatalf("article: %d %.300s", code, body)
	}
	marked := 0
	for _, p := range art.Pieces {
		if len(p.Facts) > 0 {
			marked++
		}
	}
	if marked == 0 || !strings.Contains(body, "Corée du Nord pour avoir fourni des missiles balistiques") {
		t.Errorf("article pieces: %d marked: %.300s", marked, body)
	}
}
