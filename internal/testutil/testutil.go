// Package testutil is shared test support. It defines the one -update flag:
// `go test ./... -update` passes the flag to every test binary, and a binary
// that does not define it fails, so every package with tests imports this
// package (those without goldens with a blank import in testflags_test.go).
package testutil

import (
	"flag"
	"runtime"
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
