package flowyaml_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/testutil"
)

// BenchmarkParseTree reads the largest example's flows as vet does
// (placeholders as <ref> stand-ins, into the compact tree), the render
// self-check's share of flow reading; BenchmarkParse reads them into
// yaml.v3's tree, as the emulator does.
func BenchmarkParseTree(b *testing.B) {
	benchmarkParse(b, func(s string) error { _, err := flowyaml.ParseTree(s); return err })
}

func BenchmarkParse(b *testing.B) {
	benchmarkParse(b, func(s string) error { _, err := flowyaml.ParseString(s); return err })
}

func benchmarkParse(b *testing.B, parse func(string) error) {
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
			if err := parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}
