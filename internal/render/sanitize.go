package render

import (
	"bytes"
	"encoding/xml"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on user text. Names and evidence come from scraped news, so any of
// them may be huge or hostile; these caps keep one bad string from blowing up
// a layout or an SVG.
const (
	maxToken    = 40  // runes in one whitespace-free token before "…"
	maxName     = 80  // runes in a node label line
	maxSentence = 400 // runes of one evidence sentence in a tooltip
	maxTooltip  = 6   // evidence sentences listed per merged edge
)

// clean makes user text safe to hand to Graphviz or to an XML encoder:
// control characters (which Graphviz copies raw into SVG, breaking the XML)
// and bidirectional overrides (which can make a label read backwards) are
// dropped, runs of whitespace collapse to one space, tokens longer than
// maxToken runes and texts longer than max runes are cut with "…". It does
// not escape anything: see dotText for that.
func clean(s string, max int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	n, tok := 0, 0
	space := false
	cut := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			tok = 0
			continue
		case isBidiControl(r), unicode.IsControl(r), r == 0xFFFE, r == 0xFFFF,
			unicode.Is(unicode.Cs, r), unicode.Is(unicode.Co, r):
			continue
		}
		if tok >= maxToken {
			// Inside an over-long token: swallow the rest of it. The ellipsis
			// was written when the token reached the limit.
			continue
		}
		if n >= max {
			cut = true
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
		tok++
		if tok == maxToken {
			b.WriteString("…")
			n++
		}
	}
	if cut {
		return strings.TrimRight(b.String(), " ") + "…"
	}
	return b.String()
}

// isBidiControl reports the Unicode bidirectional formatting characters
// (U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, the LRM/RLM
// marks and U+061C): a U+202E in an entity name would display the rest of
// the label reversed, so "Iran" could be made to look like "nari".
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200E || r == 0x200F || r == 0x061C
}

// dotText escapes cleaned text for a Graphviz label set through the cgraph
// API. The API takes values verbatim, so quotes and "];" are inert there,
// but two things still need care:
//   - Graphviz interprets backslash escapes (\N, \G, \E, \n, \l, \r) in
//     labels: a name containing `\N` would print the node's internal name.
//     A doubled backslash is literal.
//   - Plain labels have their HTML entities decoded ("&lt;b&gt;" would print
//     as "<b>"), so "&" becomes "&amp;".
//
// Doubling every backslash also keeps user text clear of a Graphviz 12 DOT
// writer bug (see dotValue).
func dotText(s string) string {
	return escaper.Replace(s)
}

var escaper = strings.NewReplacer(`\`, `\\`, "&", "&amp;")

// tipText escapes cleaned text for a Graphviz tooltip. Tooltips go through
// Graphviz's escape substitution twice (once when the object's map data is
// prepared, once when the SVG anchor is written; measured with Graphviz
// 12.1.2: `\\N` still printed the node name), so a backslash needs four.
func tipText(s string) string {
	return tipEscaper.Replace(s)
}

var tipEscaper = strings.NewReplacer(`\`, `\\\\`, "&", "&amp;")

// dotValue guards every attribute value against a bug in Graphviz 12.1.2's
// DOT writer (agstrcanon, used by DOT): after an escape sequence such as
// `\n` it stops escaping `"` until it meets a character that cannot be
// part of an unquoted id, so in `\nx"]; evil [label="pwned` the quote is
// written bare and the rest becomes DOT (measured). dotText's doubled
// backslashes never leave the writer in that state, and kg's own escapes
// (the `\n` before a Wikidata id) are followed by nothing quoted, so this
// only replaces, should that ever change, a quote at risk with U+FF02 ＂.
func dotValue(v string) string {
	if !strings.Contains(v, `\`) || !strings.Contains(v, `"`) {
		return v
	}
	b := []byte(v)
	stale := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && stale:
			// The writer is not tracking escapes now: a backslash neither
			// starts one nor ends the stale state.
		case c == '\\' && i+1 < len(b):
			stale = strings.IndexByte("EGHLNTlnr", b[i+1]) >= 0
			i++ // the escaped character is consumed with the backslash
		case c == '"':
			if stale {
				return dotValue(string(b[:i]) + "＂" + string(b[i+1:]))
			}
		case c >= 0x80 || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			// id characters keep the writer's stale state
		default:
			stale = false
		}
	}
	return v
}

// label returns user text ready for a Graphviz label: cleaned, capped to
// max runes and escaped.
func label(s string, max int) string { return dotText(clean(s, max)) }

// safeURL returns u when it is an absolute http or https URL, else "".
// Graphviz copies URL/href attributes verbatim into xlink:href, so a
// "javascript:" or "file:" URL would become live in the SVG.
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	l := strings.ToLower(u)
	if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
		return ""
	}
	for _, r := range u {
		if r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '\\' || isBidiControl(r) {
			return ""
		}
	}
	return u
}

// xmlEscape writes s escaped for XML text or a quoted attribute value;
// encoding/xml also replaces characters XML cannot hold with U+FFFD.
func xmlEscape(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s))
}

// defuseSchemes rewrites "javascript:", "vbscript:" and "data:" anywhere in
// a finished SVG document as "javascript&#58;" etc. Such text can only sit
// in escaped character data or attribute values (no link is ever built from
// user text), where the character reference displays the same colon; the
// rewrite just means no scanner, sanitiser or careless consumer that
// pattern-matches the raw bytes will ever find a live-looking scheme.
func defuseSchemes(svg []byte) []byte {
	low := bytes.ToLower(svg)
	var out []byte
	last := 0
	for i := 0; i < len(low); i++ {
		if low[i] != ':' {
			continue
		}
		for _, s := range []string{"javascript", "vbscript", "data"} {
			if i >= len(s) && string(low[i-len(s):i]) == s {
				out = append(out, svg[last:i]...)
				out = append(out, "&#58;"...)
				last = i + 1
				break
			}
		}
	}
	if out == nil {
		return svg
	}
	return append(out, svg[last:]...)
}
