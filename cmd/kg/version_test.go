package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errs, code := kgRun(t, "", args...)
			if code != 0 || !strings.HasPrefix(out, "kg ") || !strings.Contains(out, runtime.Version()) || strings.Count(out, "\n") != 1 {
				t.Errorf("exit %d, %q %q", code, out, errs)
			}
		})
	}
}

func TestFlagErrorNamesTheCommand(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"root", []string{"--no-such-flag"}, "(see 'kg --help')"},
		{"subcommand", []string{"facts", "--no-such-flag"}, "(see 'kg facts --help')"},
		{"arguments", []string{"stats", "extra"}, "(see 'kg stats --help')"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := kgRun(t, "", c.args...)
			if code != exitUsage || !strings.Contains(errs, c.want) || strings.Contains(errs, "kg kg") {
				t.Errorf("exit %d, %q", code, errs)
			}
		})
	}
}
