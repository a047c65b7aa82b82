package render_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/cli"
	"github.com/bpgen/bpgen/internal/testutil"
)

// BenchmarkRenderCommand is `bpgen render` in-process as a user runs it, on
// the largest example, into a bundle that is already current (the common
// case: a re-render after a small edit): config load and validation, render,
// vet, and the comparison with what is on disk. Process start and package
// init are not in it (compare `bpgen version` for those).
func BenchmarkRenderCommand(b *testing.B) {
	dir := b.TempDir()
	cfg, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "kitchen-sink", "bpgen.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bpgen.yaml"), cfg, 0o644); err != nil {
		b.Fatal(err)
	}
	args := []string{"render", "-c", filepath.Join(dir, "bpgen.yaml"), "-o", dir}
	var errb bytes.Buffer
	if code := cli.Run(context.Background(), args, strings.NewReader(""), io.Discard, &errb); code != 0 {
		b.Fatalf("first render: exit %d: %s", code, errb.String())
	}
	b.ReportAllocs()
	defer testutil.ReportCPU(b)()
	for b.Loop() {
		errb.Reset()
		if code := cli.Run(context.Background(), args, strings.NewReader(""), io.Discard, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}
