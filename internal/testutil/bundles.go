package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// CommittedBundles lists the committed bundles, the renders CI keeps
// current: the repository root first, then every directory under examples/,
// in name order. root is the repository root relative to
// the test's package directory ("../.."). The test fails when no example is
// found, so a moved tree cannot make a loop over them vacuous.
func CommittedBundles(t testing.TB, root string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{root}
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(root, "examples", e.Name()))
		}
	}
	if len(dirs) < 2 {
		t.Fatalf("no committed example under %s/examples", root)
	}
	return dirs
}

// CommittedConfigs is the bpgen.yaml of every committed bundle, in the same
// order.
func CommittedConfigs(t testing.TB, root string) []string {
	t.Helper()
	var out []string
	for _, dir := range CommittedBundles(t, root) {
		out = append(out, filepath.Join(dir, "bpgen.yaml"))
	}
	return out
}
