// Package testutil is shared test support. It defines the one -update flag:
// `go test ./... -update` passes the flag to every test binary, and a binary
// that does not define it fails, so every package with tests imports this
// package (those without goldens with a blank import in testflags_test.go).
package testutil

import (
	"bytes"
	"flag"
	"os"
	"runtime"
	"strings"
	"testing"
)

// Update asks tests with goldens to rewrite them instead of comparing.
var Update = flag.Bool("update", false, "rewrite goldens and committed renders from their sources instead of comparing")

// LiveHeap is the heap in use after a full collection, for benchmarks that
// report what a run leaves behind (retained bytes) rather than what it
// allocates.
func LiveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// GeneratedBlock checks that the text between the start and end markers of
// the file at path is want, and with -update rewrites it instead: README
// tables generated from the code they describe. hint says how to update.
func GeneratedBlock(t testing.TB, path, start, end, want, hint string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(raw, []byte(start))
	j := bytes.Index(raw, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s has no generated block %q", path, strings.TrimSpace(start))
	}
	if got := string(raw[i+len(start) : j]); got != want {
		if *Update {
			out := append(append(append([]byte{}, raw[:i+len(start)]...), want...), raw[j:]...)
			if err := os.WriteFile(path, out, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s: generated block is stale (%s):\ngot:\n%s\nwant:\n%s", path, hint, got, want)
	}
}
