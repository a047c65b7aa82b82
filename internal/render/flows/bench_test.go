package flows_test

import (
	"path/filepath"
	"testing"

	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/testutil"
)

// BenchmarkBuildEncode is the flows' share of a render on the largest
// example: building the three documents and encoding each (issue 8's budget
// is for render + vet as a whole; this isolates the flows' part of it).
func BenchmarkBuildEncode(b *testing.B) {
	cfg, _, ds := config.Load(filepath.Join("../../../examples/kitchen-sink", "bpgen.yaml"))
	if cfg == nil {
		b.Fatal(ds)
	}
	m := model.Build(cfg)
	b.ReportAllocs()
	defer testutil.ReportCPU(b)()
	for b.Loop() {
		fl, err := flows.Build(m)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range fl {
			if _, err := f.Encode(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
