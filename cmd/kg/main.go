// Command kg builds a knowledge graph from French and English news: it
// extracts who did what to whom as typed, dated facts linked to Wikidata,
// stores them in Cayley, answers graph queries and draws relationship maps.
//
// Exit codes:
//
//	0  success
//	1  error: the command could not do its job (a store or I/O failure, a
//	   damaged store, an ingest stopped by a signal, a bug in kg)
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
	"runtime/debug"
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
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	// The first SIGINT or SIGTERM cancels the command's context: kg ingest
	// then stores its current batch and summarises; a second one ends kg
	// at once.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		stop()
		<-sigs
		fmt.Fprintln(os.Stderr, "kg: stopped at once (second signal)")
		os.Exit(exitError)
	}()
	ios := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())), Getenv: os.Getenv}
	os.Exit(run(ctx, ios, os.Args[1:]))
}

// newRoot builds the command tree run executes; a test swaps it to plant
// a panic.
var newRoot = newRootCmd

// bugReports is where the panic message sends people.
const bugReports = "https://github.com/kg-news/kg/issues"

// run executes kg with args and returns the exit code; errors are printed
// as one line on ErrOut, never as a stack. A panic is a bug in kg (a
// damaged store is caught in the graph package and reported as such):
// it is reported with its stack and a request to file it, and exits 1,
// never 2, which Go's own panic exit would share with usage errors.
func run(ctx context.Context, ios *IOStreams, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(ios.ErrOut, "kg: internal error: %v\n"+
				"This is a bug in kg. Please report it at %s with the command you ran and everything below.\n%s",
				r, bugReports, debug.Stack())
			code = exitError
		}
	}()
	root := newRoot(ios)
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
