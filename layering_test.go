// Package bpgen_test holds the repository-wide checks no single package
// owns: the import layering (which part of bpgen may import which), and that
// names two parts must agree on are spelled in internal/contract only.
package bpgen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/testutil"
)

const module = "github.com/bpgen/bpgen"

// layers assigns every package to a layer by its path (the longest prefix
// that matches whole path segments wins). A package in no layer fails
// TestLayering: a new folder must say where it belongs.
var layers = []struct{ prefix, layer, why string }{
	{"internal/contract", "shared", "names the generator writes and the rest reads"},
	{"internal/tokencache", "shared", "the OAuth token cache of the client and the data-action runtime"},
	{"internal/tfbin", "shared", "finding the terraform binary"},
	{"internal/format", "format", "file and wire formats both halves read: manifest, data actions, outputs, error body"},
	{"internal/archy", "language", "the Architect expression language, its quoting, and reading Archy flow YAML"},
	{"internal/render", "render", "config → model → emitters → file set → writer, and the bundle's prose"},
	{"internal/emulator", "emulator", "the emulated org, data actions, Architect runtime, deployer, scenarios"},
	{"internal/platform", "client", "the Platform API and guest WebSocket clients"},
	{"internal/postapply", "postapply", "after apply: verify a deployment, wire what the provider cannot"},
	{"internal/harness", "fixture", "the Terraform acceptance harness"},
	{"internal/testutil", "fixture", "the -update flag, committed bundles, the emulated-org fixture"},
	{"scenarios", "fixture", "the scenario suite"},
	{"internal/cli", "cli", "the commands"},
	{"cmd", "cli", "main"},
}

// allowed lists, per layer, the other layers its non-test code may import
// (a layer may always import itself). Test files may import anything the
// compiler allows; fixtures are for them.
var allowed = map[string][]string{
	"shared":    {},
	"format":    {"shared"},
	"language":  {"shared"},
	"render":    {"format", "language", "shared"},
	"client":    {"format", "shared"},
	"emulator":  {"client", "format", "language", "shared"},
	"postapply": {"client", "format", "language", "shared"},
	"fixture":   {"render", "emulator", "client", "postapply", "format", "language", "shared"},
	"cli":       {"render", "emulator", "client", "postapply", "format", "language", "shared"},
}

// layerOf returns the layer of a module-relative package path, or "".
func layerOf(pkg string) string {
	best, layer := -1, ""
	for _, l := range layers {
		if (pkg == l.prefix || strings.HasPrefix(pkg, l.prefix+"/")) && len(l.prefix) > best {
			best, layer = len(l.prefix), l.layer
		}
	}
	return layer
}

// violations checks non-test imports (package → module-relative imports)
// against the table: one line per wrong-way import, and per package in no layer.
func violations(imports map[string][]string) []string {
	var out []string
	for _, pkg := range slices.Sorted(func(yield func(string) bool) {
		for k := range imports {
			if !yield(k) {
				return
			}
		}
	}) {
		from := layerOf(pkg)
		if from == "" {
			out = append(out, fmt.Sprintf("%s is in no layer: add it to layers in layering_test.go", pkg))
			continue
		}
		for _, imp := range imports[pkg] {
			to := layerOf(imp)
			if to == from || slices.Contains(allowed[from], to) {
				continue
			}
			out = append(out, fmt.Sprintf("%s (%s) imports %s (%s): %s may import only %s", pkg, from, imp, orNone(to), from, orNone(strings.Join(allowed[from], ", "))))
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "no layer"
	}
	return s
}

// goFiles parses the module's Go files with mode, the test files when
// tests is set and the others when not, skipping hidden folders and
// testdata, and hands each to fn with its module-relative path.
func goFiles(t *testing.T, tests bool, mode parser.Mode, fn func(path string, fset *token.FileSet, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") != tests {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, mode)
		if err != nil {
			return err
		}
		fn(p, fset, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// moduleImports parses every non-test Go file of the module (imports only)
// and returns package → module-relative imports.
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	goFiles(t, false, parser.ImportsOnly, func(p string, _ *token.FileSet, f *ast.File) {
		pkg := filepath.ToSlash(filepath.Dir(p))
		if _, ok := out[pkg]; !ok {
			out[pkg] = nil
		}
		for _, is := range f.Imports {
			path, _ := strconv.Unquote(is.Path.Value)
			if rel, ok := strings.CutPrefix(path, module+"/"); ok && !slices.Contains(out[pkg], rel) {
				out[pkg] = append(out[pkg], rel)
			}
		}
	})
	return out
}

// TestLayering: no package imports against the directions in allowed.
func TestLayering(t *testing.T) {
	imports := moduleImports(t)
	if len(imports) < 30 {
		t.Fatalf("found only %d packages: is the test running at the repository root?", len(imports))
	}
	for _, v := range violations(imports) {
		t.Error(v)
	}
}

// TestLayeringCatchesWrongWayImports feeds the checker imports that must be
// refused, so TestLayering passing means something.
func TestLayeringCatchesWrongWayImports(t *testing.T) {
	for _, tc := range []struct{ pkg, imp, want string }{
		{"internal/render/flows", "internal/emulator/org", "internal/render/flows (render) imports internal/emulator/org (emulator)"},
		{"internal/format/manifest", "internal/render/model", "internal/format/manifest (format) imports internal/render/model (render)"},
		{"internal/render/vet", "internal/postapply/verify", "internal/render/vet (render) imports internal/postapply/verify (postapply)"},
		{"internal/emulator/architect", "internal/render/flows", "internal/emulator/architect (emulator) imports internal/render/flows (render)"},
		{"internal/platform/api", "internal/emulator/org", "internal/platform/api (client) imports internal/emulator/org (emulator)"},
		{"internal/cli/orgserve", "internal/testutil", "internal/cli/orgserve (cli) imports internal/testutil (fixture)"},
		{"internal/cli/simulate", "internal/testutil/orgfixture", "imports internal/testutil/orgfixture (fixture)"},
		{"internal/postapply/verify", "internal/emulator/stack", "internal/postapply/verify (postapply) imports internal/emulator/stack (emulator)"},
		{"internal/contract", "internal/format/manifest", "internal/contract (shared) imports internal/format/manifest (format)"},
		{"newtop/pkg", "internal/contract", "newtop/pkg is in no layer"},
		{"generator/vet", "internal/contract", "generator/vet is in no layer"}, // the pre-internal/ tree cannot come back
	} {
		got := violations(map[string][]string{tc.pkg: {tc.imp}})
		if len(got) != 1 || !strings.Contains(got[0], tc.want) {
			t.Errorf("%s → %s: got %q, want one violation containing %q", tc.pkg, tc.imp, got, tc.want)
		}
	}
	// And what the table allows passes: the language package from both sides.
	if got := violations(map[string][]string{"internal/render/archy": {"internal/archy/expr"}, "internal/postapply/verify": {"internal/archy/expr", "internal/platform/api"}, "internal/emulator/org": {"internal/format/errorbody"}}); len(got) > 0 {
		t.Errorf("allowed imports refused: %q", got)
	}
}

const (
	layersStart = "<!-- bpgen:layers (generated from layering_test.go; go test . -update) -->\n"
	layersEnd   = "<!-- /bpgen:layers -->"
)

// layersMarkdown is the README's copy of the table.
func layersMarkdown() string {
	var b strings.Builder
	b.WriteString("| layer | packages | may import (besides itself) |\n|---|---|---|\n")
	order := []string{"shared", "format", "language", "render", "client", "emulator", "postapply", "fixture", "cli"}
	for _, layer := range order {
		var pkgs []string
		for _, l := range layers {
			if l.layer == layer {
				pkgs = append(pkgs, "`"+l.prefix+"`")
			}
		}
		may := "nothing"
		if len(allowed[layer]) > 0 {
			may = strings.Join(allowed[layer], ", ")
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", layer, strings.Join(pkgs, ", "), may)
	}
	return b.String()
}

// The README's layer table is the one above.
func TestREADMELayers(t *testing.T) {
	testutil.GeneratedBlock(t, "README.md", layersStart, layersEnd, layersMarkdown(), "go test . -update")
}

// TestREADMEDesignTable: every package is named in the README's design
// table (a row may name a package's subpackages as (+`/sub`), and
// `internal/cli/<command>` covers each command), and every name there exists.
func TestREADMEDesignTable(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i := strings.Index(text, "| package | job |")
	if i < 0 {
		t.Fatal("README.md has no design table")
	}
	table := text[i:]
	table = table[:strings.Index(table, "\n\n")]
	named := map[string]bool{}
	for _, row := range strings.Split(table, "\n")[2:] {
		cell := strings.SplitN(strings.TrimPrefix(row, "|"), "|", 2)[0]
		last := ""
		for _, part := range strings.Split(cell, "`")[1:] {
			switch {
			case strings.HasPrefix(part, "/"):
				named[last+part] = true
			case part != "" && !strings.ContainsAny(part, " ,()+"):
				last = strings.TrimSuffix(part, "/")
				named[last] = true
			}
		}
	}
	pkgs := moduleImports(t)
	for pkg := range pkgs {
		if pkg == "." || named[pkg] || named[filepath.ToSlash(filepath.Dir(pkg))+"/<command>"] {
			continue
		}
		t.Errorf("package %s is not in the README's design table", pkg)
	}
	for name := range named {
		if _, ok := pkgs[name]; !ok && !strings.HasSuffix(name, "/<command>") {
			if _, err := os.Stat(name); err != nil {
				t.Errorf("the README's design table names %s, which does not exist", name)
			}
		}
	}
}

// TestContractNamesSpelledOnce: the identifier and contact types are string
// literals in internal/contract only; every other non-test file uses its
// symbols, so a rename cannot miss one. "Email" and "Phone" are left out:
// the same words are values of open messaging's channel.from.idType and an
// Architect variable namespace, other enums that only share the spelling.
func TestContractNamesSpelledOnce(t *testing.T) {
	var names []string
	for _, n := range append(contract.IdentifierTypes(), contract.ContactTypes...) {
		if n != contract.IdentifierEmail && n != contract.IdentifierPhone {
			names = append(names, n)
		}
	}
	found := map[string][]string{}
	goFiles(t, false, 0, func(_ string, fset *token.FileSet, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && slices.Contains(names, s) {
					found[s] = append(found[s], fset.Position(lit.Pos()).String())
				}
			}
			return true
		})
	})
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var outside []string
		for _, pos := range found[k] {
			if !strings.HasPrefix(filepath.ToSlash(pos), "internal/contract/") {
				outside = append(outside, pos)
			}
		}
		if len(outside) > 0 {
			t.Errorf("%q is spelled outside internal/contract: %s", k, strings.Join(outside, ", "))
		}
	}
	if len(found[contract.IdentifierSocialWhatsapp]) != 1 {
		t.Errorf("%q spelled %d times in internal/contract, want once", contract.IdentifierSocialWhatsapp, len(found[contract.IdentifierSocialWhatsapp]))
	}
}
