package schema

import "testing"

func TestFactWhen(t *testing.T) {
	for _, c := range []struct {
		name       string
		f          Fact
		by         string
		date, used string
	}{
		{"event date first", Fact{Date: "2023-12-30", Published: "2024-01"}, "", "2023-12-30", ByEvent},
		{"publication date when the text gives none", Fact{Published: "2024-01"}, "", "2024-01", ByPublished},
		{"neither", Fact{}, "", "", ByEvent},
		{"by event only", Fact{Published: "2024-01"}, ByEvent, "", ByEvent},
		{"by publication only", Fact{Date: "2023-12-30", Published: "2024-01"}, ByPublished, "2024-01", ByPublished},
		{"by publication, unknown", Fact{Date: "2023-12-30"}, ByPublished, "", ByPublished},
	} {
		t.Run(c.name, func(t *testing.T) {
			if d, u := c.f.When(c.by); d != c.date || u != c.used {
				t.Errorf("When(%q) = %q, %q; want %q, %q", c.by, d, u, c.date, c.used)
			}
		})
	}
}
