package bundle_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/vet"
)

// A render keeps nothing once its result is dropped. Node slabs shared
// between renders once chained every render to the one before it (a slab
// stays alive while any node in it does, and holds the previous render's
// last nodes), so a process rendering repeatedly grew by ~0.8 MB a render.
func TestRendersRetainNothing(t *testing.T) {
	cfg, _, ds := config.Load(filepath.Join("../../../examples/kitchen-sink", "bpgen.yaml"))
	if cfg == nil {
		t.Fatal(ds)
	}
	heap := func(renders int) uint64 {
		for range renders {
			res, err := bundle.Render(cfg, bundle.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if ds := vet.Check(res); ds.HasErrors() {
				t.Fatal(ds)
			}
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap(10) // caches that fill once (tables, parsed expressions)
	after := heap(60)
	const slack = 4 << 20 // the leak was ~48 MB over these 60 renders
	if after > before+slack {
		t.Errorf("60 more renders grew the live heap from %d KB to %d KB", before>>10, after>>10)
	}
}
