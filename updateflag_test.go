package bpgen_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"
)

// Every package with tests imports internal/testutil, which defines the one
// -update flag: a test binary without it fails `go test ./... -update` with
// "flag provided but not defined" (a new package forgot it once).
func TestEveryTestPackageAcceptsUpdate(t *testing.T) {
	hasTests, imports := map[string]bool{}, map[string]bool{}
	goFiles(t, true, parser.ImportsOnly, func(p string, _ *token.FileSet, f *ast.File) {
		dir := filepath.Dir(p)
		hasTests[dir] = true
		for _, is := range f.Imports {
			if path, _ := strconv.Unquote(is.Path.Value); path == module+"/internal/testutil" {
				imports[dir] = true
			}
		}
	})
	if len(hasTests) < 20 {
		t.Fatalf("only %d test packages found", len(hasTests))
	}
	for dir := range hasTests {
		if !imports[dir] && dir != filepath.FromSlash("internal/testutil") {
			t.Errorf("%s has tests but none imports internal/testutil: add a testflags_test.go with `import _ \"%s/internal/testutil\"`", dir, module)
		}
	}
}
