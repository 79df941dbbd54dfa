package graph

import (
	"context"
	"database/sql"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/kg-news/kg/schema"
)

// testDump stores the fixtures (one article without facts), dumps the
// store into a second one with PutQuads and compares what the two answer;
// open returns an empty store.
func testDump(t *testing.T, open func(t *testing.T) *Store) {
	ctx := context.Background()
	src, dst := open(t), open(t)
	defer src.Close()
	defer dst.Close()
	empty := schema.Article{ID: "no-facts", Text: "Nothing happened.", Date: "2024", Lang: "en"}
	if _, err := src.PutBatch(ctx, []ArticleData{{artA1, entsA1(), factsA1()}, {artA2, entsA2(), factsA2()},
		{empty, []schema.Entity{{EntityRef: jp}}, nil}}); err != nil {
		t.Fatal(err)
	}
	var dump []ArticleQuads
	n, err := src.Dump(ctx, func(a ArticleQuads) error { dump = append(dump, a); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if st := stats(t, src); n != st.Quads || len(dump) != 3 {
		t.Fatalf("dumped %d quads of %d articles; the store holds %d quads of %d", n, len(dump), st.Quads, st.Articles)
	}
	if dump[0].ID != "a1" || dump[2].ID != "no-facts" {
		t.Errorf("articles out of order: %s, ..., %s", dump[0].ID, dump[2].ID)
	}
	out, err := dst.PutQuads(ctx, dump)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, []Outcome{Added, Added, Added}) {
		t.Errorf("outcomes %v", out)
	}
	eqFacts(t, "facts", facts(t, dst, FactFilter{}), facts(t, src, FactFilter{}))
	for _, c := range []struct {
		name string
		read func(*Store) (any, error)
	}{
		{"stats", func(s *Store) (any, error) { return s.Stats(ctx) }},
		{"entities", func(s *Store) (any, error) { return s.Entities(ctx) }},
		{"articles", func(s *Store) (any, error) { return s.Articles(ctx) }},
		{"neighbors", func(s *Store) (any, error) { g, _, err := s.Neighbors(ctx, "Q423", 2, 0); return g, err }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := c.read(src)
			if err != nil {
				t.Fatal(err)
			}
			b, err := c.read(dst)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("differ:\n%+v\n%+v", a, b)
			}
		})
	}
	var again []ArticleQuads
	if _, err := dst.Dump(ctx, func(a ArticleQuads) error { again = append(again, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, dump) {
		t.Error("the copy dumps differently")
	}
	if out, err := dst.PutQuads(ctx, dump); err != nil || !reflect.DeepEqual(out, []Outcome{Unchanged, Unchanged, Unchanged}) {
		t.Errorf("putting the dump again: %v %v", out, err)
	}
	if rep, err := dst.Check(ctx, false); err != nil || len(rep.Problems) > 0 {
		t.Errorf("check of the copy: %v %v", rep.Problems, err)
	}

	// an article cut from a selection (no hash) or with a stray quad is
	// refused before anything is written
	label := quad.IRI(schema.ArticleIRI("a1"))
	noHash := ArticleQuads{ID: "a1"}
	for _, q := range dump[0].Quads {
		if q.Predicate != pHash {
			noHash.Quads = append(noHash.Quads, q)
		}
	}
	stray := ArticleQuads{ID: "a2", Quads: append(append([]quad.Quad(nil), dump[1].Quads...),
		quad.Quad{Subject: label, Predicate: pTitle, Object: quad.String("x"), Label: label})}
	for _, c := range []struct {
		name string
		a    ArticleQuads
		want string
	}{
		{"without hash", noHash, "one kg:hash (0 found)"},
		{"a quad of another article", stray, "not <" + schema.ArticleIRI("a2") + ">"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := stats(t, dst)
			_, err := dst.PutQuads(ctx, []ArticleQuads{dump[2], c.a})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
			if after := stats(t, dst); !reflect.DeepEqual(before, after) {
				t.Errorf("store changed: %+v -> %+v", before, after)
			}
		})
	}
}

func TestDumpMemstore(t *testing.T) { testDump(t, openMem) }

func TestDumpBolt(t *testing.T) {
	testDump(t, func(t *testing.T) *Store { return openBolt(t, t.TempDir(), Options{NoBloom: true}) })
}

// TestDumpPostgres copies between two schemas of the test database.
func TestDumpPostgres(t *testing.T) {
	uri := os.Getenv("KG_TEST_POSTGRES")
	if uri == "" {
		t.Skip("KG_TEST_POSTGRES (a postgres:// URI to an empty, disposable database) not set")
	}
	n := 0
	testDump(t, func(t *testing.T) *Store {
		n++
		return openPostgresSchema(t, uri, "kg_dump_"+string(rune('a'+n-1)))
	})
}

// openPostgresSchema opens a store in a fresh schema of the test
// database (dropped at the end), so one test can hold two stores.
func openPostgresSchema(t *testing.T, uri, name string) *Store {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("postgres", uri)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE; CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("postgres", uri); err == nil {
			db.Exec("DROP SCHEMA IF EXISTS " + name + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	s, err := Open(ctx, uri+sep+"search_path="+name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
