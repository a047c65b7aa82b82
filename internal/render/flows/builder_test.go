package flows

import (
	"testing"

	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/testutil"
)

// Build's Builder hands out one node per scalar text and per value form
// ({exp: ...}, {noValue: true}) wherever it appears. Code that changed such
// a node after making it (a style, an added entry) would change every other
// place too: the flows come out the same with a nil Builder, which makes
// every node on its own.
func TestSharedNodesAreNotChanged(t *testing.T) {
	for p, m := range committedModels(t) {
		shared, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		alone, err := buildAll(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(shared) != len(alone) {
			t.Fatalf("%s: %d flows, %d without sharing", p, len(shared), len(alone))
		}
		for i := range shared {
			a, err := shared[i].Encode()
			if err != nil {
				t.Fatal(err)
			}
			b, err := alone[i].Encode()
			if err != nil {
				t.Fatal(err)
			}
			if string(a) != string(b) {
				t.Errorf("%s %s: differs from the flow built without shared scalars", p, shared[i].File)
			}
		}
	}
}

// BuildEncode writes what Build and Encode write, flow for flow.
func TestBuildEncodeIsBuildThenEncode(t *testing.T) {
	for p, m := range committedModels(t) {
		fl, encoded, err := BuildEncode(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encoded()
		if err != nil {
			t.Fatal(err)
		}
		want, err := Build(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(fl) != len(want) {
			t.Fatalf("%s: %d flows, Build makes %d", p, len(fl), len(want))
		}
		for i, f := range want {
			b, err := f.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if fl[i].File != f.File || string(got[i]) != string(b) {
				t.Errorf("%s: flow %d (%s) differs from Build then Encode", p, i, f.File)
			}
		}
	}
}

// committedModels is the model of every committed config, by path.
func committedModels(t *testing.T) map[string]*model.Model {
	t.Helper()
	out := map[string]*model.Model{}
	for _, p := range testutil.CommittedConfigs(t, "../../..") {
		cfg, _, ds := config.Load(p)
		if cfg == nil {
			t.Fatalf("%s: %v", p, ds)
		}
		out[p] = model.Build(cfg)
	}
	return out
}
