package lt

import (
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/kg-news/kg/internal/nlp"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestLoadCPU(t *testing.T) {
	for _, c := range []struct{ l, f string }{{"en", "en_ewt-ud-dev.conllu"}, {"fr", "fr_sequoia-ud-dev.conllu"}} {
		nlp.LoadModel(c.l)
		c0, w0 := cpu(), time.Now()
		var m *nlp.Model
		for i := 0; i < 5; i++ {
			m, _ = nlp.LoadModel(c.l)
		}
		t.Logf("%s: load cpu %v wall %v", c.l, (cpu()-c0)/5, time.Since(w0)/5)
		f, _ := os.Open("/work/shared/ud/" + c.f)
		gold, _ := nlp.ReadCoNLLU(f)
		f.Close()
		n := 0
		c0 = cpu()
		for _, g := range gold {
			s := nlp.Sentence{Tokens: make([]nlp.Token, len(g.Tokens))}
			for j, tk := range g.Tokens {
				s.Tokens[j].Text = tk.Text
			}
			m.Annotate(&s)
			n += len(s.Tokens)
		}
		t.Logf("%s: %.0f tokens per cpu-second", c.l, float64(n)/(cpu()-c0).Seconds())
	}
}
