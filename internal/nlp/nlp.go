// Package nlp is kg's French and English language core: tokenisation with
// byte offsets, sentence splitting, part-of-speech tagging, lemmas and a
// dependency parser, all pure Go and offline, with models trained from
// Universal Dependencies treebanks and embedded in the binary.
//
// Typical use:
//
//	m, err := nlp.LoadModel("fr") // once; the model is safe for concurrent use
//	for _, s := range m.Parse(text) {
//		for _, t := range s.Tokens { ... t.Lemma, t.UPOS, t.Feats, t.Head, t.Dep ... }
//	}
//
// Tokenize and SplitSentences need no model. The tagger is a bidirectional
// averaged perceptron; lemmas and features come from a dictionary built
// from the treebanks (form+UPOS, suffix rules for unknown words), with verb
// features (VerbForm, Voice, agreement) chosen from the parse; heads come
// from an ensemble of greedy arc-hybrid and arc-eager parsers combined by
// Eisner's algorithm, and relations from a labeller that sees the tree.
// Models are trained by ./cmd/train; sources and licenses are in NOTICE.md.
package nlp

// Token is one word of a text. Start and End are byte offsets into the
// original text, so every later stage can point back at its source. A
// contraction such as French "du" yields two tokens (de + le) that share
// the same offsets, as Universal Dependencies splits them.
type Token struct {
	Text  string // the word as written (for a split contraction, the UD form: "de", "le")
	Start int    // byte offset of the first byte in the text
	End   int    // byte offset after the last byte
	// Filled by the tagger and parser; zero values until then.
	UPOS  string // universal part of speech: NOUN, PROPN, VERB, ...
	Feats string // UD morphological features, "Mood=Ind|Tense=Past|VerbForm=Fin"
	Lemma string // dictionary form: "dénoncer", "supply"
	Head  int    // index of the head token in the sentence, -1 for the root
	Dep   string // UD relation to the head: nsubj, obj, obl:agent, ...
}

// Sentence is a run of tokens with the byte span it covers.
type Sentence struct {
	Start, End int
	Tokens     []Token
}
