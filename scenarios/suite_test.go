package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/scenario"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/testutil"
)

// target is a bundle the suite runs against.
type target struct {
	name   string
	bundle *architect.Bundle
}

// targets returns the committed bundles (the repository root and every
// example), then the configs under configs/ rendered in memory: set-ups no
// committed bundle has, rendered fresh so they never go stale.
func targets(t *testing.T) []target {
	t.Helper()
	var out []target
	for _, dir := range testutil.CommittedBundles(t, "..") {
		name := strings.TrimPrefix(filepath.ToSlash(dir), "../")
		if dir == ".." {
			name = "root"
		}
		b, err := architect.Load(dir)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, target{name, b})
	}
	cfgs, _ := filepath.Glob("configs/*.yaml")
	for _, path := range cfgs {
		cfg, _, ds := config.Load(path)
		if cfg == nil {
			t.Fatalf("%s: %v", path, ds)
		}
		res, err := bundle.Render(cfg, bundle.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		fsys := fstest.MapFS{}
		for name, data := range res.Files {
			fsys[name] = &fstest.MapFile{Data: data}
		}
		b, err := architect.LoadFS(fsys)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, target{strings.TrimSuffix(path, ".yaml"), b})
	}
	return out
}

// TestSuite runs every scenario against every bundle it applies to. A
// failure prints the scenario's full report: the trace of each conversation
// and every expectation that did not hold. A scenario marked knownDefect is
// expected to fail until the defect is fixed; it fails the suite when it
// starts passing, so the mark goes with the fix.
func TestSuite(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	var scs []*scenario.Scenario
	for _, f := range files {
		s, err := scenario.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, s)
	}
	applied := map[string]int{}
	for _, tg := range targets(t) {
		for _, s := range scs {
			t.Run(tg.name+"/"+strings.TrimSuffix(s.File(), ".yaml"), func(t *testing.T) {
				rep, err := scenario.Run(context.Background(), s, tg.bundle, scenario.Options{BundleName: tg.name})
				if err != nil {
					t.Fatal(err)
				}
				if rep.Skipped != "" {
					t.Skip(rep.Skipped)
				}
				applied[s.File()]++
				var sb strings.Builder
				_ = rep.WriteText(&sb, true)
				switch {
				case s.KnownDefect != "" && rep.Passed:
					t.Errorf("the known defect is gone (%s): remove knownDefect from %s", s.KnownDefect, s.File())
				case s.KnownDefect != "":
					t.Logf("known defect, still present:\n%s", sb.String())
				case !rep.Passed:
					t.Error("\n" + sb.String())
				case os.Getenv("SCENARIO_TRACE") != "":
					t.Log("\n" + sb.String())
				}
			})
		}
	}
	// A scenario that applies nowhere tests nothing: the bundles changed or
	// its requirements are wrong.
	for _, s := range scs {
		if applied[s.File()] == 0 {
			t.Errorf("%s applies to no bundle", s.File())
		}
	}
}
