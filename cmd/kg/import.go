package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kg-news/kg/internal/export"
	"github.com/kg-news/kg/internal/graph"
	"github.com/spf13/cobra"
)

// isNQuads reports whether a path names an N-Quads file, which kg ingest
// hands to kg import.
func isNQuads(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".nq", ".nquads":
		return true
	}
	return false
}

func newImportCmd(ios *IOStreams, g *globalOpts) *cobra.Command {
	batch := defaultBatch
	cmd := &cobra.Command{
		Use:   "import FILE.nq...",
		Short: "Load a store exported with kg export --format nquads",
		Long: `Import reads N-Quads written by 'kg export --format nquads' (the whole
store: every quad of every article) and stores each article as it was, so
that kg facts, kg entities and kg stats answer as on the original store.
It is the backup and the way from one backend to another (bbolt and
PostgreSQL). Articles the store holds with the same content hash are left
unchanged, others replaced whole, as kg ingest does; articles of the store
that the file lacks are kept. Every file is checked before anything is
stored: a line that is not N-Quads, a quad of no article, an article cut
from a selection export (no content hash) stop the import, named as
FILE:LINE. "-" reads standard input.`,
		Example: `  kg export --format nquads -o backup.nq
  kg --store postgres://kg@db/kg?sslmode=disable import backup.nq
  kg --store .kg/copy.db ingest backup.nq        # the same`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if batch < 1 {
				return usageErr("--batch %d: want at least 1", batch)
			}
			return runImport(cmd.Context(), ios, g, args, batch)
		},
	}
	cmd.Flags().IntVar(&batch, "batch", defaultBatch, "articles stored per transaction")
	return cmd
}

// importStats are kg import's counts.
type importStats struct {
	stored, replaced, unchanged int
	quads                       int64
}

// runImport checks every file, then stores their articles in batches.
func runImport(ctx context.Context, ios *IOStreams, g *globalOpts, args []string, batch int) error {
	stdin, cleanup, err := spoolStdin(ios, args)
	if err != nil {
		return err
	}
	defer cleanup()
	// each file is read twice: checked whole first, so that a broken
	// backup stores nothing, then stored
	each := func(fn func(export.ArticleQuads) error) error {
		for _, p := range args {
			if err := readNQuadsFile(p, stdin, fn); err != nil {
				return err
			}
		}
		return nil
	}
	seen := map[string]string{} // article id → where it is
	articles := 0
	err = each(func(a export.ArticleQuads) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := graph.CheckArticleQuads(graph.ArticleQuads{ID: a.ID, Quads: a.Quads}); err != nil {
			return fmt.Errorf("%s: %w", a.Where, err)
		}
		if w, ok := seen[a.ID]; ok {
			return fmt.Errorf("%s: article %q again (first at %s)", a.Where, a.ID, w)
		}
		seen[a.ID] = a.Where
		articles++
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w; nothing imported", err)
	}
	st, err := openIngestStore(ctx, ios, g)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	var s importStats
	var pending []graph.ArticleQuads
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		out, err := st.PutQuads(ctx, pending)
		if err != nil {
			return fmt.Errorf("storing %d articles from %s: %w", len(pending), pending[0].ID, err)
		}
		for i, o := range out {
			switch o {
			case graph.Added:
				s.stored++
			case graph.Replaced:
				s.replaced++
			default:
				s.unchanged++
				continue
			}
			s.quads += int64(len(pending[i].Quads))
		}
		pending = pending[:0]
		return nil
	}
	err = each(func(a export.ArticleQuads) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		pending = append(pending, graph.ArticleQuads{ID: a.ID, Quads: a.Quads})
		if len(pending) >= batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.Out, "imported %s: %d stored, %d replaced, %d unchanged; %d quads written to %s in %.1fs\n",
		plural(articles, "article"), s.stored, s.replaced, s.unchanged, s.quads, g.storeName(ios), time.Since(start).Seconds())
	return nil
}

// readNQuadsFile reads one argument of kg import: a file, or "-".
func readNQuadsFile(path string, stdin func() io.Reader, fn func(export.ArticleQuads) error) error {
	if path == "-" {
		return export.ReadNQuads(stdin(), "<stdin>", fn)
	}
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	return export.ReadNQuads(f, path, fn)
}

// spoolStdin copies standard input to a temporary file when "-" is among
// the inputs, since import reads its inputs twice (checked whole, then
// stored); the returned function gives a reader at its start each time.
// cleanup removes the file.
func spoolStdin(ios *IOStreams, args []string) (stdin func() io.Reader, cleanup func(), err error) {
	if !slices.Contains(args, "-") {
		return func() io.Reader { return ios.In }, func() {}, nil
	}
	f, err := os.CreateTemp("", "kg-stdin-*")
	if err != nil {
		return nil, nil, fmt.Errorf("keeping standard input: %w", err)
	}
	cleanup = func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, ios.In); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("reading standard input: %w", err)
	}
	return func() io.Reader {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return errReader{err}
		}
		return f
	}, cleanup, nil
}

// errReader is a reader that fails, for a spool that cannot be rewound.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
