package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/internal/nlp"
	"github.com/spf13/cobra"
)

func newParseCmd(ios *IOStreams) *cobra.Command {
	var lang, eval string
	cmd := &cobra.Command{
		Use:   "parse FILE|-",
		Short: "Tokenize, tag and parse text; print CoNLL-U, or score a treebank with --eval",
		Long: `Parse runs kg's NLP core — tokenizer, sentence splitter, part-of-speech
tagger, lemmatiser and dependency parser, trained on Universal Dependencies —
and prints CoNLL-U. With --eval GOLD.conllu it parses the gold-tokenized
sentences and prints the accuracy, the last line reading
"UPOS 95.12 UAS 85.60 LAS 82.10 tokens 25096".`,
		Example: `  kg parse seeds/dprk-missiles-fr.txt
  echo "Russia fired missiles at Ukraine." | kg parse --lang en -
  kg parse --lang en --eval ../shared/ud/en_ewt-ud-test.conllu`,
		Args: func(cmd *cobra.Command, args []string) error {
			if eval != "" {
				return exactArgs(0)(cmd, args)
			}
			return exactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if lang != "" {
				if err := oneOf("lang", lang, "fr", "en"); err != nil {
					return err
				}
			}
			if eval != "" {
				if lang == "" {
					lang = langFromName(eval)
				}
				if lang == "" {
					return usageErr("--eval needs --lang fr or en")
				}
				m, err := nlp.LoadModel(lang)
				if err != nil {
					return err
				}
				t0 := time.Now()
				sc, err := nlp.EvalFile(m, eval)
				if err != nil {
					return err
				}
				if ios.ErrTTY {
					fmt.Fprintf(ios.ErrOut, "parsed in %.1fs\n", time.Since(t0).Seconds())
				}
				fmt.Fprintln(ios.Out, sc.String())
				return nil
			}
			var data []byte
			var err error
			if args[0] == "-" {
				data, err = io.ReadAll(io.LimitReader(ios.In, ingest.MaxArticleBytes+1))
			} else {
				data, err = os.ReadFile(args[0])
			}
			if err != nil {
				return err
			}
			if len(data) > ingest.MaxArticleBytes {
				return fmt.Errorf("%s: larger than %d MB", args[0], ingest.MaxArticleBytes>>20)
			}
			text := string(data)
			// the optional "date" first line of kg's text files is not text
			if first, rest, ok := strings.Cut(text, "\n"); ok && strings.HasPrefix(first, "date ") {
				text = rest
			}
			if lang == "" {
				lang = ingest.DetectLang(text)
			}
			if lang == "" {
				return usageErr("cannot tell the language: pass --lang fr or en")
			}
			m, err := nlp.LoadModel(lang)
			if err != nil {
				return err
			}
			return nlp.WriteCoNLLU(ios.Out, m.Parse(text))
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "language: fr or en (detected when empty; from the file name with --eval)")
	cmd.Flags().StringVar(&eval, "eval", "", "score the parser on this gold CoNLL-U file (gold tokenization)")
	_ = cmd.RegisterFlagCompletionFunc("lang", fixedCompletion("fr", "en"))
	return cmd
}

// langFromName guesses a treebank's language from its UD file name
// ("en_ewt-ud-test.conllu").
func langFromName(path string) string {
	base := path[strings.LastIndex(path, "/")+1:]
	switch {
	case strings.HasPrefix(base, "en_"):
		return "en"
	case strings.HasPrefix(base, "fr_"):
		return "fr"
	}
	return ""
}
