package hclparse_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/bpgen/bpgen/internal/format/hclparse"
)

// The largest rendered file of the example with the most varied text
// (non-ASCII names, escapes, $${ in Velocity templates).
func kitchenSinkActions(b *testing.B) []byte {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "kitchen-sink", "terraform", "data_actions.tf"))
	if err != nil {
		b.Fatal(err)
	}
	if !hclparse.FastPath(src, hcl.InitialPos) {
		b.Fatal("data_actions.tf is not on the fast path")
	}
	return src
}

func BenchmarkParseConfig(b *testing.B) {
	src := kitchenSinkActions(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		hclparse.ParseConfig(src, "data_actions.tf", hcl.InitialPos)
	}
}

func BenchmarkHCLSyntaxParseConfig(b *testing.B) {
	src := kitchenSinkActions(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		hclsyntax.ParseConfig(src, "data_actions.tf", hcl.InitialPos)
	}
}
