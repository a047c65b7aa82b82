// Package testutil is shared test support. It defines the one -update flag:
// `go test ./... -update` passes the flag to every test binary, and a binary
// that does not define it fails, so every package with tests imports this
// package (those without goldens with a blank import in testflags_test.go).
package testutil

import "flag"

// Update asks tests with goldens to rewrite them instead of comparing.
var Update = flag.Bool("update", false, "rewrite goldens and committed renders from their sources instead of comparing")
