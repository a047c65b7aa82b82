package expr

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestRenderedFunctionsEmulated: every function the committed bundles' flows
// call (the root bundle and every example) is in the table, passes Check, and
// is one the emulator runs, so simulate exercises the flows as rendered.
// TestFunctions covers each of them against the catalogue's semantics.
func TestRenderedFunctionsEmulated(t *testing.T) {
	files, _ := filepath.Glob("../../../flows/*.yaml")
	more, _ := filepath.Glob("../../../examples/*/flows/*.yaml")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no committed flows found")
	}
	called := map[string]bool{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
				if k, v := n.Content[i], n.Content[i+1]; k.Value == "exp" && v.Kind == yaml.ScalarNode {
					for _, err := range Check(v.Value) {
						t.Errorf("%s:%d: %v", file, v.Line, err)
					}
					if e, err := Parse(v.Value); err == nil {
						for _, f := range e.Funcs() {
							called[f] = true
						}
					}
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&doc)
	}
	var names []string
	for f := range called {
		names = append(names, f)
		if info, ok := LookupFunc(f); !ok || !info.Emulated {
			t.Errorf("rendered flows call %s, which the emulator does not run", f)
		}
	}
	sort.Strings(names)
	t.Logf("functions the rendered flows call: %v", names)
}
