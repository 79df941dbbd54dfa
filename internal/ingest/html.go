package ingest

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// looksHTML reports whether data starts like an HTML page, so a web page
// saved as .txt is not read as markup soup.
func looksHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 512)]))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html"))
}

// HTMLText extracts an HTML page's title and readable text: scripts,
// styles, navigation and other non-content elements are dropped, block
// elements become paragraph breaks. Offsets of facts then refer to this
// extracted text, which is what the store keeps as evidence.
func HTMLText(data []byte) (title string, text []byte) {
	z := html.NewTokenizer(bytes.NewReader(data))
	var b strings.Builder
	skip := 0
	inTitle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(title), []byte(tidy(b.String()))
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style", "noscript", "template", "svg", "iframe", "nav", "header", "footer", "form", "button", "select":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "title":
				inTitle = tt == html.StartTagToken
			case "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "article", "section", "blockquote":
				b.WriteString("\n\n")
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if inTitle {
				title += t
				continue
			}
			b.WriteString(t)
		}
	}
}

// tidy collapses runs of blank lines and spaces left by markup.
func tidy(s string) string {
	var out []string
	for _, para := range strings.Split(s, "\n\n") {
		p := strings.Join(strings.Fields(para), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n") + "\n"
}
