package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// udTreebanks are the Universal Dependencies files whose lower-case words
// make the common-word guard: English EWT and French Sequoia and GSD.
var udTreebanks = []string{"en_ewt-ud-train.conllu", "fr_sequoia-ud-train.conllu", "fr_gsd-ud-dev.conllu"}

// minCommon is how often a word must occur in lower case to be common:
// web text has a few lower-cased names ("richard").
const minCommon = 3

// commonWords reads the word forms that the treebanks write in lower case
// (lower-cased, accents kept: "marié" is not "Marie"): a name that is one of them ("Target", "Shell", "Orange") is a
// common word in running text, and an alias made only of them is too
// ambiguous to match. The treebanks are in dir (../shared/ud).
func commonWords(dir string) (map[string]bool, error) {
	counts := map[string]int{}
	for _, name := range udTreebanks {
		path := filepath.Join(dir, name)
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<16), 1<<22)
		ln := 0
		for sc.Scan() {
			ln++
			line := sc.Text()
			if line == "" || line[0] == '#' {
				continue
			}
			cols := strings.Split(line, "\t")
			if len(cols) != 10 {
				f.Close()
				return nil, fmt.Errorf("%s:%d: want 10 CoNLL-U columns, got %d", path, ln, len(cols))
			}
			form := cols[1]
			if r, _ := utf8.DecodeRuneInString(form); unicode.IsLower(r) {
				counts[strings.ToLower(form)]++
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, ln+1, err)
		}
	}
	words := map[string]bool{}
	for w, n := range counts {
		if n >= minCommon {
			words[w] = true
		}
	}
	return words, nil
}

// commonForm reports whether every word of text is a common word: such an
// alias ("Guardian", "Free Press") would match ordinary text.
func commonForm(text string, common map[string]bool) bool {
	for _, w := range strings.Fields(text) {
		if !common[strings.ToLower(w)] {
			return false
		}
	}
	return true
}
