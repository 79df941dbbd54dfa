// Command gvpatch writes internal/render/gographviz: a copy of
// github.com/goccy/go-graphviz v0.2.10 (MIT) whose WebAssembly Graphviz
// is compiled and instantiated on first use instead of in package init,
// where it cost every kg command 30-120 ms at start-up, drawing or not,
// and whose calls into it reuse their function handles.
// Run from the repository root:
//
//	go run ./internal/render/internal/gvpatch -from $(go env GOMODCACHE)/github.com/goccy/go-graphviz@v0.2.10
//
// The copy leaves out tests, examples and test data. The edits, each
// checked to apply exactly once:
//   - internal/wasm: init becomes load, run once by getMod, through which
//     every use of the module goes (its compilation cache in the directory
//     CacheBase names, set by graphviz.SetCacheBase); the 93 enum values init read from the
//     module become the declarations' initial values (enums.tsv, measured
//     from v0.2.10's graphviz.wasm), since other packages copy them when
//     they initialise; ExportedFunction hands out pooled handles instead
//     of making one (and a call stack) per call;
//   - cgraph: init becomes Init (the graph descriptors and error level),
//     called by graphviz.New, graphviz.NewWithPlugins and ParseBytes;
//   - gvc: init becomes registerEngines, called by New and NewWithPlugins;
//   - graphviz: New and NewWithPlugins set Directed and the other
//     descriptors once cgraph has made them; SetCacheBase;
//   - gofmt of cgraph/attribute.go (upstream is not formatted).
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

//go:embed enums.tsv
var enumsTSV string

const note = "kg patch: "

func main() {
	from := flag.String("from", "", "go-graphviz v0.2.10 module directory")
	to := flag.String("to", "internal/render/gographviz", "output directory")
	flag.Parse()
	if err := run(*from, *to); err != nil {
		fmt.Fprintln(os.Stderr, "gvpatch:", err)
		os.Exit(1)
	}
}

func run(from, to string) error {
	if from == "" {
		return fmt.Errorf("-from is required")
	}
	if b, err := os.ReadFile(filepath.Join(from, "graphviz.version")); err != nil {
		return err
	} else if !strings.Contains(string(b), "12.") {
		return fmt.Errorf("%s: not the go-graphviz this patch is for (v0.2.10, Graphviz 12)", from)
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if rel == "_examples" || rel == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		return err
	}
	enums, err := readEnums()
	if err != nil {
		return err
	}
	for _, e := range []struct {
		file string
		f    func(string) (string, error)
	}{
		{"internal/wasm/bind.go", func(s string) (string, error) { return patchBind(s, enums) }},
		{"internal/wasm/ext.go", func(s string) (string, error) { return useGetMod(s), nil }},
		{"cgraph/init.go", patchCgraphInit},
		{"cgraph/cgraph.go", patchParseBytes},
		{"gvc/init.go", patchGvcInit},
		{"gvc/gvc.go", patchGvcNew},
		{"graphviz.go", patchRoot},
		{"cgraph/attribute.go", func(s string) (string, error) { return s, nil }},
	} {
		s, err := e.f(string(files[e.file]))
		if err != nil {
			return fmt.Errorf("%s: %w", e.file, err)
		}
		b, err := format.Source([]byte(s))
		if err != nil {
			return fmt.Errorf("%s: %w", e.file, err)
		}
		files[e.file] = b
	}
	if err := os.RemoveAll(to); err != nil {
		return err
	}
	for rel, b := range files {
		p := filepath.Join(to, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %s (%d files)\n", to, len(files))
	return nil
}

type enum struct{ name, value string }

func readEnums() ([]enum, error) {
	var out []enum
	sc := bufio.NewScanner(strings.NewReader(enumsTSV))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 2 {
			return nil, fmt.Errorf("enums.tsv:%d: want NAME<TAB>VALUE", n)
		}
		out = append(out, enum{f[0], f[1]})
	}
	return out, sc.Err()
}

// replaceOnce replaces old by new, which must occur exactly once.
func replaceOnce(s, old, new string) (string, error) {
	if n := strings.Count(s, old); n != 1 {
		return s, fmt.Errorf("%q found %d times, want 1", strings.SplitN(old, "\n", 2)[0], n)
	}
	return strings.Replace(s, old, new, 1), nil
}

// chain applies replaceOnce pairs in turn.
func chain(s string, pairs ...string) (string, error) {
	var err error
	for i := 0; i+1 < len(pairs) && err == nil; i += 2 {
		s, err = replaceOnce(s, pairs[i], pairs[i+1])
	}
	return s, err
}

var modUse = regexp.MustCompile(`(^|[^\w.])mod\.`)

// useGetMod sends every use of the package's module variable through
// getMod (leaving fields such as m.mod alone).
func useGetMod(s string) string { return modUse.ReplaceAllString(s, "${1}getMod().") }

func patchBind(s string, enums []enum) (string, error) {
	for _, e := range enums {
		decl := regexp.MustCompile(`(?m)^(\t` + regexp.QuoteMeta(e.name) + `\s+\w+\s*=\s*)-?\d+$`)
		if n := len(decl.FindAllStringIndex(s, -1)); n != 1 {
			return s, fmt.Errorf("declaration of %s found %d times", e.name, n)
		}
		s = decl.ReplaceAllString(s, "${1}"+e.value)
		set := regexp.MustCompile(`(?m)^\t` + regexp.QuoteMeta(e.name) + ` = \w+\(mod\.getEnumValue\(ctx, "\w+"\)\)\n`)
		if n := len(set.FindAllStringIndex(s, -1)); n != 1 {
			return s, fmt.Errorf("assignment of %s found %d times", e.name, n)
		}
		s = set.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "mod.getEnumValue(ctx") {
		return s, fmt.Errorf("enum values left that enums.tsv does not give")
	}
	s, err := chain(s,
		"\nfunc init() {\n\tctx := context.Background()\n",
		"\n// load was init ("+note+"it instantiated the module in every program\n// importing the package, tens of milliseconds at start-up).\nfunc load() {\n\tctx := context.Background()\n",
		"\nvar mod *WasmModule\n",
		"\nvar (\n\tmod     *WasmModule\n\tmodOnce sync.Once\n)\n\n// getMod returns the module, loaded on first use ("+note+"not in init).\nfunc getMod() *WasmModule {\n\tmodOnce.Do(load)\n\treturn mod\n}\n",
		"\t\"strconv\"\n", "\t\"strconv\"\n\t\"sync\"\n",
	)
	if err != nil {
		return s, err
	}
	s, err = chain(s,
		"func (m *WasmModule) ExportedFunction(name string) api.Function {\n\treturn m.mod.ExportedFunction(name)\n}\n",
		exportedFunction,
		"func getCompilationCache() wazero.CompilationCache {\n\ttmpDir := os.TempDir()\n",
		"// CacheBase, when set, returns the directory the compilation cache goes\n// in, \"\" for none ("+note+"it was always os.TempDir(), where the first\n// user's cache made every other user's load fail).\nvar CacheBase func() string\n\nfunc getCompilationCache() wazero.CompilationCache {\n\ttmpDir := os.TempDir()\n\tif CacheBase != nil {\n\t\ttmpDir = CacheBase()\n\t}\n",
	)
	if err != nil {
		return s, err
	}
	return useGetMod(s), nil
}

// exportedFunction replaces WasmModule.ExportedFunction: wazero makes a
// new function, with its own call stack, each time it hands one out,
// which was an eighth of a map's CPU (every attribute set is several
// calls).
const exportedFunction = `// ExportedFunction returns a reusable handle on an exported function
// (` + note + `wazero allocates a call stack for each handle it makes, an
// eighth of the CPU of a render). A handle is taken from a pool and put
// back when its Call returns, so one in use (re-entered from a host
// callback, say) is never shared.
func (m *WasmModule) ExportedFunction(name string) api.Function {
	fnPoolMu.Lock()
	if fs := fnPool[name]; len(fs) > 0 {
		f := fs[len(fs)-1]
		fnPool[name] = fs[:len(fs)-1]
		fnPoolMu.Unlock()
		return f
	}
	fnPoolMu.Unlock()
	return &pooledFunc{Function: m.mod.ExportedFunction(name), name: name}
}

var (
	fnPoolMu sync.Mutex
	fnPool   = map[string][]*pooledFunc{}
)

type pooledFunc struct {
	api.Function
	name string
}

// Call calls the function, copies the results (wazero's are only valid
// until the handle's next call) and puts the handle back.
func (f *pooledFunc) Call(ctx context.Context, params ...uint64) ([]uint64, error) {
	res, err := f.Function.Call(ctx, params...)
	res = append([]uint64(nil), res...)
	fnPoolMu.Lock()
	fnPool[f.name] = append(fnPool[f.name], f)
	fnPoolMu.Unlock()
	return res, err
}
`

func patchCgraphInit(s string) (string, error) {
	return chain(s,
		"func init() {\n\tif err := setGlobalVars(context.Background()); err != nil {\n\t\tpanic(err)\n\t}\n}\n",
		"var (\n\tinitOnce sync.Once\n\tinitErr  error\n)\n\n// Init sets up the graph descriptors and the error level ("+note+"it was\n// init, which instantiated the wasm module at start-up).\nfunc Init() error {\n\tinitOnce.Do(func() { initErr = setGlobalVars(context.Background()) })\n\treturn initErr\n}\n",
		"import (\n\t\"context\"\n", "import (\n\t\"context\"\n\t\"sync\"\n",
	)
}

func patchParseBytes(s string) (string, error) {
	return chain(s, "func ParseBytes(bytes []byte) (*Graph, error) {\n",
		"func ParseBytes(bytes []byte) (*Graph, error) {\n\tif err := Init(); err != nil {\n\t\treturn nil, err\n\t}\n")
}

func patchGvcInit(s string) (string, error) {
	return chain(s,
		"func init() {\n",
		"var registerOnce sync.Once\n\n// registerEngines binds the render engines; New and NewWithPlugins call\n// it ("+note+"it was init, which instantiated the wasm module at start-up).\nfunc registerEngines() { registerOnce.Do(register) }\n\nfunc register() {\n",
		"import (\n", "import (\n\t\"sync\"\n\n",
	)
}

func patchGvcNew(s string) (string, error) {
	return chain(s,
		"func New(ctx context.Context) (*Context, error) {\n", "func New(ctx context.Context) (*Context, error) {\n\tregisterEngines()\n",
		"func NewWithPlugins(ctx context.Context, plugins ...Plugin) (*Context, error) {\n", "func NewWithPlugins(ctx context.Context, plugins ...Plugin) (*Context, error) {\n\tregisterEngines()\n",
	)
}

func patchRoot(s string) (string, error) {
	const check = "\tif err := initDescriptors(); err != nil {\n\t\treturn nil, err\n\t}\n"
	s, err := chain(s,
		"func New(ctx context.Context) (*Graphviz, error) {\n", "func New(ctx context.Context) (*Graphviz, error) {\n"+check,
		"func NewWithPlugins(ctx context.Context, plugins ...Plugin) (*Graphviz, error) {\n", "func NewWithPlugins(ctx context.Context, plugins ...Plugin) (*Graphviz, error) {\n"+check,
		"\t\"io/fs\"\n", "\t\"io/fs\"\n\t\"sync\"\n",
	)
	var b bytes.Buffer
	b.WriteString(s)
	b.WriteString("\n// SetCacheBase sets the function that names the directory of the\n// WebAssembly compilation cache, called on first use; it returns \"\" for\n// no cache (" + note + "upstream always uses os.TempDir(), shared by every\n// user).\nfunc SetCacheBase(dir func() string) { wasm.CacheBase = dir }\n")
	b.WriteString("\nvar descOnce sync.Once\n\n// initDescriptors sets Directed and the other descriptors once cgraph has\n// made them (" + note + "cgraph no longer makes them in init).\n")
	b.WriteString("func initDescriptors() error {\n\tif err := cgraph.Init(); err != nil {\n\t\treturn err\n\t}\n\tdescOnce.Do(func() {\n\t\tDirected, StrictDirected = cgraph.Directed, cgraph.StrictDirected\n\t\tUnDirected, StrictUnDirected = cgraph.UnDirected, cgraph.StrictUnDirected\n\t})\n\treturn nil\n}\n")
	return b.String(), err
}
