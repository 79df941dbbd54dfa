// Command kg builds a knowledge graph from French and English news: it
// extracts who did what to whom as typed, dated facts linked to Wikidata,
// stores them in Cayley, answers graph queries and draws relationship maps.
//
// Exit codes:
//
//	0  success
//	1  error: the command could not do its job (a store or I/O failure)
//	2  usage: bad flags or arguments
//	3  partial: some inputs were bad and skipped (named on stderr); the
//	   others were processed (kg extract: only when nothing could be
//	   extracted, unless --strict-exit)
//	4  not found: the entity, article or path asked for is not in the graph
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// Exit codes, documented in the package comment and in `kg --help`.
const (
	exitOK       = 0
	exitError    = 1
	exitUsage    = 2
	exitPartial  = 3
	exitNotFound = 4
)

// IOStreams are a command's standard streams, injected so tests capture
// them and so progress goes to stderr only on a terminal.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY is true when ErrOut is a terminal: progress lines are drawn
	// only then, so pipes and logs stay clean.
	ErrTTY bool
	Getenv func(string) string
}

// exitError carries an exit code with an error message.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &codeError{code: code, err: err}
}

func usageErr(format string, args ...any) error {
	return withCode(exitUsage, fmt.Errorf(format, args...))
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ios := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())), Getenv: os.Getenv}
	os.Exit(run(ctx, ios, os.Args[1:]))
}

// run executes kg with args and returns the exit code; errors are printed
// as one line on ErrOut, never as a stack.
func run(ctx context.Context, ios *IOStreams, args []string) int {
	root := newRootCmd(ios)
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(ios.ErrOut, "kg: "+err.Error())
	var ce *codeError
	if errors.As(err, &ce) {
		return ce.code
	}
	if isUsage(err) {
		return exitUsage
	}
	return exitError
}
