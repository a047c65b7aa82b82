package flowyaml_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/testutil"
)

// BenchmarkParse reads the largest example's flows as vet does (placeholders
// as <ref> stand-ins), the render self-check's share of flow reading.
func BenchmarkParse(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "kitchen-sink", "flows", "*.yaml"))
	if len(paths) == 0 {
		b.Fatal("no kitchen-sink flows")
	}
	var texts []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(placeholder.ReplaceAll(data, []byte("<$1>"))))
	}
	b.ReportAllocs()
	defer testutil.ReportCPU(b)()
	for b.Loop() {
		for _, s := range texts {
			if _, err := flowyaml.ParseString(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}
