package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/kg-news/kg/schema"
)

// InputError is a problem with one input: a file, or one line of a JSON
// Lines file. Its message reads "path:line: what", as a compiler's does, so
// a user can jump to the spot.
type InputError struct {
	Path string
	Line int // 0 when the error is about the whole file
	Err  error
	// Inputs is how many inputs (articles, JSON Lines records) the error
	// rejects when that is not one; see Rejected.
	Inputs int
}

// Error gives "path:line: what", or "path: what" for a whole file.
func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

// Unwrap returns the cause, so errors.Is sees through the position.
func (e *InputError) Unwrap() error { return e.Err }

// Rejected returns how many inputs the error turns away: one, unless it
// stands for several (the bad lines of a file not shown one by one, or a
// whole file rejected by --strict), so callers can count every input.
func (e *InputError) Rejected() int {
	if e.Inputs > 0 {
		return e.Inputs
	}
	return 1
}

// Rejected counts the inputs an error reported by Walk turns away: one
// for most errors, more for an *InputError that stands for several.
func Rejected(err error) int {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Rejected()
	}
	return 1
}

// MaxArticleBytes bounds one article's text; larger inputs are skipped with
// an error rather than risking memory on a runaway file.
const MaxArticleBytes = 8 << 20

// ReadOptions tune how inputs become articles.
type ReadOptions struct {
	Lang string // force a language ("fr", "en"); "" detects it
	// Strict makes the first bad JSON Lines record fail its whole file, so
	// nothing from that file is ingested.
	Strict bool
	// QualifyLang appends "@" and the article's language to ids taken from
	// a record's "id" ("ntrex/bbc.381736@en"): parallel corpora give an
	// article and its translation the same id, and a store must keep both.
	// Always, not only when the other language turns up, so that an id
	// does not depend on what else was read. kg extract leaves it off: its
	// doc is the corpus id the scorers join on.
	QualifyLang bool
	// IDPrefix is prepended to every article id, for users who merge
	// collections whose ids may clash.
	IDPrefix string
}

// Languages are the languages kg reads, the qualifiers QualifyLang adds.
var Languages = []string{"en", "fr"}

// finishID applies the options to an article's id: the language when the
// id is a record's own (fromRecord), then the prefix.
func (opt ReadOptions) finishID(a *schema.Article, fromRecord bool) {
	if fromRecord && opt.QualifyLang && a.Lang != "" {
		a.ID += "@" + a.Lang
	}
	a.ID = opt.IDPrefix + a.ID
}

// TextID is the id of an article nothing else names (text on standard
// input, a record without "id" or "url"): "text/" and the start of the
// SHA-256 of its text, so the same text read twice is one article and two
// texts are two.
func TextID(text string) string {
	h := sha256.Sum256([]byte(text))
	return "text/" + hex.EncodeToString(h[:8])
}

// Walk reads every article under the given paths and calls fn for each,
// in a stable order. Paths may be .txt/.md files (one article), .jsonl
// files (one article per line), .html/.htm files (text extracted),
// directories (walked recursively, other files ignored) or "-" for stdin
// (JSON Lines if it starts with "{", else one text article). A bad input is
// reported to onErr (as an *InputError) and skipped, so one broken file
// loses nothing else; an error returned by fn stops the walk.
//
// An article's id is its record's "id" (see ReadOptions.QualifyLang),
// else its record's "url", else, for a file, its path relative to the
// argument it was found under, symlinks resolved and extension dropped
// (seeds/a.txt given alone or within seeds/ is "a", and so is a link to
// it), else TextID. So the same article reached by two paths is one id.
func Walk(paths []string, stdin io.Reader, opt ReadOptions, fn func(schema.Article) error, onErr func(error)) error {
	for _, p := range paths {
		if p == "-" {
			if err := readStdin(stdin, opt, fn, onErr); err != nil {
				return err
			}
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			onErr(&InputError{Path: p, Err: cleanOSError(err)})
			continue
		}
		root, err := filepath.EvalSymlinks(p)
		if err != nil {
			onErr(&InputError{Path: p, Err: cleanOSError(err)})
			continue
		}
		if !st.IsDir() {
			if err := readFile(p, fileID(filepath.Base(root)), opt, fn, onErr, true); err != nil {
				return err
			}
			continue
		}
		// Walk the resolved directory (WalkDir does not follow a symlink,
		// even as its root) and name files by the path as given.
		shown := func(f string) string {
			if rel, err := filepath.Rel(root, f); err == nil {
				return filepath.Join(p, rel)
			}
			return f
		}
		var files []string
		werr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				onErr(&InputError{Path: shown(path), Err: cleanOSError(err)})
				return nil
			}
			if !d.IsDir() && Supported(path) {
				files = append(files, path)
			}
			return nil
		})
		if werr != nil {
			return werr
		}
		sort.Strings(files)
		for _, f := range files {
			if err := readFile(shown(f), relID(root, f), opt, fn, onErr, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// relID is the id of file f found by walking root (a directory argument
// with its symlinks resolved): f's resolved path relative to root. A link
// to a file outside the tree is named by where the link is.
func relID(root, f string) string {
	if real, err := filepath.EvalSymlinks(f); err == nil {
		if rel, err := filepath.Rel(root, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fileID(rel)
		}
	}
	if rel, err := filepath.Rel(root, f); err == nil {
		return fileID(rel)
	}
	return fileID(f)
}

// fileID makes an id of a relative file path: slash-separated, without
// its extension.
func fileID(rel string) string {
	p := filepath.ToSlash(filepath.Clean(rel))
	return strings.TrimSuffix(p, filepath.Ext(p))
}

// Supported reports whether a file name has an extension kg reads.
func Supported(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".md", ".jsonl", ".ndjson", ".html", ".htm":
		return true
	}
	return false
}

// readStdin reads "-": JSON Lines if the first byte that is not white
// space (or a byte order mark) is "{", else one text article. It streams:
// only the leading white space is held before deciding, and a text article
// is read up to MaxArticleBytes, so a runaway pipe cannot exhaust memory.
func readStdin(stdin io.Reader, opt ReadOptions, fn func(schema.Article) error, onErr func(error)) error {
	const name = "<stdin>"
	br := bufio.NewReaderSize(stdin, 1<<16)
	var pre []byte // leading white space, kept: offsets and line numbers count it
	for len(pre) <= MaxArticleBytes {
		c, err := br.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			onErr(&InputError{Path: name, Err: err})
			return nil
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF {
			pre = append(pre, c) // 0xEF 0xBB 0xBF: a UTF-8 byte order mark
			continue
		}
		if err := br.UnreadByte(); err != nil {
			return err
		}
		if c == '{' {
			return readJSONL(name, io.MultiReader(bytes.NewReader(pre), br), opt, fn, onErr)
		}
		break
	}
	rest, err := io.ReadAll(io.LimitReader(br, int64(MaxArticleBytes+1-len(pre))))
	if err != nil {
		onErr(&InputError{Path: name, Err: err})
		return nil
	}
	data := append(pre, rest...)
	if len(data) > MaxArticleBytes {
		onErr(&InputError{Path: name, Err: tooLarge()})
		return nil
	}
	a, perr := parseText(name, "", data, opt)
	if perr != nil {
		onErr(perr)
		return nil
	}
	return fn(a)
}

// tooLarge is the error for an article over MaxArticleBytes.
func tooLarge() error {
	return fmt.Errorf("larger than %d MB: not read (split it into articles, one per line of a .jsonl file)", MaxArticleBytes>>20)
}

func cleanOSError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readFile reads one file; id is the id its text articles get (a JSON
// Lines file's records name themselves).
func readFile(path, id string, opt ReadOptions, fn func(schema.Article) error, onErr func(error), explicit bool) error {
	ext := strings.ToLower(filepath.Ext(path))
	if !Supported(path) && !explicit {
		return nil
	}
	f, err := OpenInput(path) // special.go: a FIFO or a device is skipped, never waited on
	if err != nil {
		onErr(&InputError{Path: path, Err: cleanOSError(err)})
		return nil
	}
	defer f.Close()
	if ext == ".jsonl" || ext == ".ndjson" {
		return readJSONL(path, f, opt, fn, onErr)
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxArticleBytes {
		onErr(&InputError{Path: path, Err: tooLarge()}) // refused before reading a byte
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxArticleBytes+1))
	if err != nil {
		onErr(&InputError{Path: path, Err: err})
		return nil
	}
	if len(data) > MaxArticleBytes {
		onErr(&InputError{Path: path, Err: tooLarge()})
		return nil
	}
	if ext == ".html" || ext == ".htm" || (explicit && looksHTML(data)) {
		var title string
		title, data = HTMLText(data)
		a, err := parseText(path, id, data, opt)
		if err != nil {
			onErr(err)
			return nil
		}
		if a.Title == "" {
			a.Title = title
		}
		return fn(a)
	}
	a, err := parseText(path, id, data, opt)
	if err != nil {
		onErr(err)
		return nil
	}
	return fn(a)
}

var dateLineRE = regexp.MustCompile(`^\s*date:?\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*$`)

// parseText turns one text file into an article: an optional first line
// "date YYYY-MM[-DD]" sets the publication date; the text keeps its bytes
// (offsets refer to the text after that line). An empty id names the
// article by its text (TextID).
func parseText(path, id string, data []byte, opt ReadOptions) (schema.Article, error) {
	if err := checkText(data, "file"); err != nil {
		return schema.Article{}, &InputError{Path: path, Err: err}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	text := string(data)
	a := schema.Article{ID: id, Source: path}
	first, rest, _ := strings.Cut(text, "\n")
	if m := dateLineRE.FindStringSubmatch(first); m != nil {
		if err := ValidDate(m[1]); err != nil {
			return a, &InputError{Path: path, Line: 1, Err: err}
		}
		a.Date = m[1]
		text = rest
	}
	if strings.TrimSpace(text) == "" {
		return a, &InputError{Path: path, Err: errors.New("empty article: no text to extract")}
	}
	a.Text = text
	a.Lang = opt.Lang
	if a.Lang == "" {
		a.Lang = DetectLang(text)
	}
	if a.Lang != "fr" && a.Lang != "en" {
		return a, &InputError{Path: path, Err: langError(a.Lang, text, "if it is French or English, pass --lang fr or --lang en")}
	}
	if a.ID == "" {
		a.ID = TextID(text)
	}
	opt.finishID(&a, false)
	return a, nil
}

// checkText rejects what is not text: invalid UTF-8 (with the byte
// offset, counted from the start of the unit, "file" or "line", so a user
// can find it with a hex viewer or cut -b), and binary data (NUL bytes).
func checkText(data []byte, unit string) error {
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return errGzip
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fmt.Errorf("binary data (NUL byte at byte offset %d of the %s): not a text article", i, unit)
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return fmt.Errorf("invalid UTF-8 at byte offset %d of the %s: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", off, unit)
	}
	return nil
}

// ValidDate checks a YYYY, YYYY-MM or YYYY-MM-DD date.
func ValidDate(s string) error {
	if !schema.ValidDate(s) {
		return fmt.Errorf("bad date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	return nil
}

// jsonArticle is one JSON Lines record.
type jsonArticle struct {
	ID     *string `json:"id"`
	Title  string  `json:"title"`
	Text   *string `json:"text"`
	Date   string  `json:"date"`
	Lang   string  `json:"lang"`
	URL    string  `json:"url"`
	Source string  `json:"source"`
}

// maxLineErrors bounds the bad lines reported one by one per file: a
// file that is not JSON Lines at all (a PDF renamed .jsonl) would
// otherwise print one error per line. The rest are counted in one message.
const maxLineErrors = 20

// errGzip is the message for compressed input, which kg does not unpack.
var errGzip = errors.New("gzip-compressed: decompress it first (gunzip -k FILE)")

func readJSONL(path string, r io.Reader, opt ReadOptions, fn func(schema.Article) error, onErr func(error)) error {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		onErr(&InputError{Path: path, Err: errGzip})
		return nil
	}
	var pending []schema.Article // with Strict, held until the file is known good
	ln, nBad := 0, 0
	report := onErr
	onErr = func(err error) {
		if nBad++; nBad <= maxLineErrors {
			report(err)
		}
	}
	defer func() {
		if more := nBad - maxLineErrors; more > 0 {
			report(&InputError{Path: path, Err: fmt.Errorf("%d more bad lines not shown (%d in all)", more, nBad), Inputs: more})
		}
	}()
	// strictFail rejects the whole file for its bad line ie: the records
	// held so far, ie's line and every record after it count as rejected.
	strictFail := func(ie *InputError) error {
		ie.Inputs = len(pending) + 1 + countRecords(br)
		onErr(fmt.Errorf("%w (--strict: nothing from %s ingested)", ie, path))
		return nil
	}
	for {
		line, err := readLine(br, MaxArticleBytes)
		if err == io.EOF && line == nil {
			break
		}
		ln++
		if err != nil && err != io.EOF {
			if errors.Is(err, errLineTooLong) {
				ie := &InputError{Path: path, Line: ln, Err: fmt.Errorf("line longer than %d MB: skipped", MaxArticleBytes>>20)}
				if opt.Strict {
					return strictFail(ie)
				}
				onErr(ie)
				continue
			}
			onErr(&InputError{Path: path, Line: ln, Err: err})
			return nil
		}
		a, bad := parseJSONLine(path, ln, line, opt)
		if bad != nil {
			var ie *InputError
			if opt.Strict && errors.As(bad, &ie) {
				return strictFail(ie)
			}
			onErr(bad)
			continue
		}
		if a.ID == "" {
			continue // blank line
		}
		if opt.Strict {
			pending = append(pending, a)
			continue
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	for _, a := range pending {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// countRecords reads the rest of a JSON Lines file and counts its
// non-blank lines, the records a rejected file would have held.
func countRecords(br *bufio.Reader) int {
	n, blank := 0, true
	for {
		chunk, err := br.ReadSlice('\n')
		if len(bytes.TrimSpace(chunk)) > 0 {
			blank = false
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if !blank {
			n++
		}
		blank = true
		if err != nil {
			return n
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line without its newline, bounded to limit bytes; a
// longer line is drained and reported as errLineTooLong.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > limit {
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			return []byte{}, errLineTooLong
		}
		if len(buf)+len(chunk) > cap(buf) {
			// grow by doubling, capped at limit: append's 1.25x growth on
			// large slices allocated 5x the line length in total
			nb := make([]byte, len(buf), min(limit, max(2*cap(buf), len(buf)+len(chunk))))
			copy(nb, buf)
			buf = nb
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return bytes.TrimRight(buf, "\r\n"), nil
		}
		if err != nil {
			return nil, err
		}
		return bytes.TrimRight(buf, "\r\n"), nil
	}
}

func parseJSONLine(path string, ln int, line []byte, opt ReadOptions) (schema.Article, error) {
	bad := func(format string, args ...any) error {
		return &InputError{Path: path, Line: ln, Err: fmt.Errorf(format, args...)}
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return schema.Article{}, nil
	}
	if err := checkText(line, "line"); err != nil {
		return schema.Article{}, bad("%v", err)
	}
	if t := bytes.TrimLeft(line, " \t\ufeff"); len(t) == 0 || t[0] != '{' {
		return schema.Article{}, bad("not a JSON object: a JSON Lines record is one {...} per line")
	}
	var j jsonArticle
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&j); err != nil {
		return schema.Article{}, bad("bad JSON: %v", jsonErr(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		// Decode stops after the first value; "{...} {...}" or "{...}x"
		// is two records or garbage on one line, not one article.
		return schema.Article{}, bad("extra data after the JSON object (at byte %d): one record per line", dec.InputOffset())
	}
	// the record's id, else its URL, else (once the text is known) its
	// text's hash: see Walk
	id, fromRecord := "", false
	switch {
	case j.ID != nil && strings.TrimSpace(*j.ID) != "":
		id, fromRecord = *j.ID, true
	case strings.TrimSpace(j.URL) != "":
		id = strings.TrimSpace(j.URL)
	}
	name := fmt.Sprintf("%q", id) // how messages name the record
	if id == "" {
		name = "without id or url"
	}
	if (j.Text == nil || strings.TrimSpace(*j.Text) == "") && strings.TrimSpace(j.Title) != "" {
		// a headline-only article (the corpora have some): its title is
		// all there is to read, so it is the text the offsets refer to
		t := j.Title
		j.Text = &t
	}
	if j.Text == nil || strings.TrimSpace(*j.Text) == "" {
		return schema.Article{}, bad(`article %s has no "text"`, name)
	}
	if j.Date != "" {
		if err := ValidDate(j.Date); err != nil {
			return schema.Article{}, bad("%v", err)
		}
	}
	// "EN", "fr-FR", "en_GB": feeds spell languages as BCP 47 tags
	lang := strings.ToLower(strings.TrimSpace(j.Lang))
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	a := schema.Article{ID: id, Title: j.Title, Text: *j.Text, Date: j.Date, Lang: lang, URL: j.URL,
		Source: fmt.Sprintf("%s:%d", path, ln)}
	if opt.Lang != "" {
		a.Lang = opt.Lang
	}
	if a.Lang == "" {
		a.Lang = DetectLang(a.Text)
	}
	if a.Lang != "fr" && a.Lang != "en" {
		return schema.Article{}, bad("article %s: %v", name, langError(a.Lang, a.Text, `if it is French or English, set "lang" in the record or pass --lang`))
	}
	if a.ID == "" {
		a.ID = TextID(a.Text)
	}
	opt.finishID(&a, fromRecord)
	return a, nil
}

// jsonErr rewords encoding/json's errors for users: syntax errors get the
// byte offset in the line, type errors name the field instead of Go types.
func jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v (at byte %d)", se, se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %q must be a string, not a %s (at byte %d)", te.Field, te.Value, te.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("the line ends inside the object (unclosed { or string)")
	}
	return err
}
