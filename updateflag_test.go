package bpgen_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every package with tests imports internal/testutil, which defines the one
// -update flag: a test binary without it fails `go test ./... -update` with
// "flag provided but not defined" (a new package forgot it once).
func TestEveryTestPackageAcceptsUpdate(t *testing.T) {
	hasTests, imports := map[string]bool{}, map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		dir := filepath.Dir(p)
		hasTests[dir] = true
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, is := range f.Imports {
			if path, _ := strconv.Unquote(is.Path.Value); path == module+"/internal/testutil" {
				imports[dir] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(hasTests) < 20 {
		t.Fatalf("only %d test packages found", len(hasTests))
	}
	for dir := range hasTests {
		if !imports[dir] && dir != filepath.FromSlash("internal/testutil") {
			t.Errorf("%s has tests but none imports internal/testutil: add a testflags_test.go with `import _ \"%s/internal/testutil\"`", dir, module)
		}
	}
}
