package schema

import (
	"fmt"
	"strings"
)

// EachTSVRow calls fn with the line number and fields of each data row of a tab-separated table kept as
// embedded data: blank lines and "#" comments are skipped, a first row
// whose first field is header is the column names and skipped too, and a
// row with another number of fields than want is an error naming
// name:line. fn's errors are wrapped the same way, so every data file
// reports its mistakes where an editor can jump to them.
func EachTSVRow(name, src string, want int, header string, fn func(line int, fields []string) error) error {
	first := true
	for i, line := range strings.Split(src, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != want {
			return fmt.Errorf("%s:%d: want %d tab-separated fields, got %d", name, i+1, want, len(f))
		}
		if first {
			first = false
			if header != "" && f[0] == header {
				continue
			}
		}
		if err := fn(i+1, f); err != nil {
			return fmt.Errorf("%s:%d: %w", name, i+1, err)
		}
	}
	return nil
}
