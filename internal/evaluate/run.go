package evaluate

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/kg-news/kg/internal/ingest"
	"github.com/kg-news/kg/schema"
)

// Extractor is what Run needs of the ingest pipeline.
type Extractor interface {
	Extract(schema.Article) (ingest.Result, error)
}

// Records converts an extraction result to the prediction records `kg
// extract --format jsonl` prints. It goes through the same JSON encoding,
// so every field the contract carries (a sector actor's country and
// sector, say) reaches the scorer as it would from a file.
func Records(res ingest.Result) ([]Pred, error) {
	out := make([]Pred, 0, len(res.Entities)+len(res.Facts))
	for _, e := range res.Entities {
		out = append(out, Pred{Kind: "entity", Doc: res.Article.ID, ID: e.ID, Name: e.Name, Type: e.Type, Country: e.Country, Sector: e.Sector})
	}
	for _, f := range res.Facts {
		b, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		var p Pred
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, err
		}
		p.Kind = "fact"
		out = append(out, p)
	}
	return out, nil
}

// Corpus is the articles of the corpus files, by language.
type Corpus struct {
	ByLang map[string][]schema.Article
	// Skipped counts inputs that could not be read (named to onErr).
	Skipped int
}

// Langs returns the corpus's languages, sorted.
func (c *Corpus) Langs() []string {
	var ls []string
	for l := range c.ByLang {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return ls
}

// ReadCorpus reads articles from paths (what `kg extract` accepts), keeping
// only those whose ids keep says to (nil keeps all). Bad inputs go to onErr
// and are skipped.
func ReadCorpus(paths []string, keep func(id string) bool, onErr func(error)) (*Corpus, error) {
	c := &Corpus{ByLang: map[string][]schema.Article{}}
	err := ingest.Walk(paths, nil, ingest.ReadOptions{}, func(a schema.Article) error {
		if keep == nil || keep(a.ID) {
			c.ByLang[a.Lang] = append(c.ByLang[a.Lang], a)
		}
		return nil
	}, func(err error) {
		c.Skipped++
		if onErr != nil {
			onErr(err)
		}
	})
	return c, err
}

// Run extracts every article with x on jobs workers (0: one per core) and
// returns the prediction records in article order. An article that fails
// to extract is an error naming it: a score over a silently smaller set
// would mislead.
func Run(ctx context.Context, x Extractor, arts []schema.Article, jobs int) ([]Pred, error) {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	out := make([][]Pred, len(arts))
	errs := make([]error, len(arts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, err := x.Extract(arts[i])
				if err == nil {
					out[i], err = Records(res)
				}
				errs[i] = err
			}
		}()
	}
	for i := range arts {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var all []Pred
	for i, p := range out {
		if errs[i] != nil {
			return nil, fmt.Errorf("%s: %v", arts[i].ID, errs[i])
		}
		all = append(all, p...)
	}
	return all, nil
}
