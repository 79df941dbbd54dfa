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

// skipTags are elements whose content is not article text.
var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true,
	"iframe": true, "nav": true, "header": true, "footer": true, "form": true, "button": true, "select": true,
	"textarea": true, "noembed": true, "noframes": true, "xmp": true, "object": true, "math": true}

// rawTags are the elements golang.org/x/net/html reads as raw text up to
// their end tag even when the start tag is written self-closing
// ("<script/>alert(1)</script>"): it then reports a SelfClosingTagToken
// and the raw body as an ordinary text token, which must still be dropped.
var rawTags = map[string]bool{"script": true, "style": true, "noscript": true, "iframe": true,
	"textarea": true, "noembed": true, "noframes": true, "xmp": true, "title": true}

// blockTags end a paragraph.
var blockTags = map[string]bool{"p": true, "div": true, "br": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "li": true, "tr": true, "article": true, "section": true, "blockquote": true, "hr": true,
	"td": true, "th": true, "dd": true, "dt": true, "figcaption": true, "main": true, "aside": true, "pre": true}

// HTMLText extracts an HTML page's title and readable text: scripts,
// styles, navigation and other non-content elements are dropped, block
// elements become paragraph breaks, entities are decoded. Offsets of facts
// then refer to this extracted text, which is what the store keeps as
// evidence. Hostile markup cannot smuggle script text into it: a
// self-closing <script/> still drops its raw body, and <plaintext> (which
// swallows the rest of the page as text) is treated as text.
func HTMLText(data []byte) (title string, text []byte) {
	z := html.NewTokenizer(bytes.NewReader(data))
	var b strings.Builder
	skip := 0
	inTitle := false
	dropRaw := false // the next text token is the raw body of a self-closing raw tag
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(strings.Join(strings.Fields(title), " ")), []byte(tidy(b.String()))
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			dropRaw = tt == html.SelfClosingTagToken && rawTags[tag]
			switch {
			case skipTags[tag]:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				b.WriteByte(' ') // "Russia<script>..</script>attacked" stays two words
			case tag == "title":
				inTitle = tt == html.StartTagToken
			case blockTags[tag]:
				b.WriteString("\n\n")
			}
		case html.TextToken:
			if dropRaw {
				dropRaw = false
				continue
			}
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
