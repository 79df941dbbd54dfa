package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSummarise(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"github.com/kg-news/kg/a","Test":"TestA"}`,
		`{"Action":"pass","Package":"github.com/kg-news/kg/a","Test":"TestA"}`,
		`{"Action":"output","Package":"github.com/kg-news/kg/a","Test":"TestB","Output":"=== RUN   TestB\n"}`,
		`{"Action":"output","Package":"github.com/kg-news/kg/a","Test":"TestB","Output":"    b_test.go:9: no chromium: the page was not tested\n"}`,
		`{"Action":"skip","Package":"github.com/kg-news/kg/a","Test":"TestB"}`,
		`{"Action":"pass","Package":"github.com/kg-news/kg/a","Elapsed":1.5}`,
	}, "\n")
	var out bytes.Buffer
	if code := summarise(strings.NewReader(in), &out); code != 0 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"ok    a ", "  a TestB: no chromium: the page was not tested\n", "1 passed, 0 failed, 1 skipped\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	fail := `{"Action":"output","Package":"p","Test":"T","Output":"boom\n"}` + "\n" + `{"Action":"fail","Package":"p","Test":"T"}`
	out.Reset()
	if code := summarise(strings.NewReader(fail), &out); code != 1 || !strings.Contains(out.String(), "FAIL p T\nboom") {
		t.Errorf("failure: exit %d\n%s", code, out.String())
	}
}
