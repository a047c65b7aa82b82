package testutil

import (
	"bytes"
	"os"
	"testing"
)

// GeneratedBlock keeps the text between the start and end markers of a
// committed file (a README table a test measures or derives) equal to want:
// it fails with both versions when they differ, and with -update rewrites the
// block instead. how says how to regenerate it.
func GeneratedBlock(t testing.TB, path, start, end, want, how string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(raw, []byte(start))
	j := bytes.Index(raw, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s has no generated block %q", path, start)
	}
	got := string(raw[i+len(start) : j])
	if got == want {
		return
	}
	if *Update {
		out := append(append(append([]byte{}, raw[:i+len(start)]...), want...), raw[j:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the generated block is stale (%s):\ngot:\n%s\nwant:\n%s", path, how, got, want)
}
