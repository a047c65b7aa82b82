// Package orgfixture is the one emulated-org test fixture: a rendered bundle
// stood up in an emulated org served on loopback with its flows running
// (emulator/stack), closed when the test ends, with an API client
// authenticated as the harness's client and the bundle as verify reads it.
// It is a package of its own, not part of internal/testutil, because
// testutil is imported by every test package, the emulator's included.
package orgfixture

import (
	"testing"

	"github.com/bpgen/bpgen/emulator/stack"
	"github.com/bpgen/bpgen/gcloud/api"
	"github.com/bpgen/bpgen/verify"
)

// Start stands the bundle in dir up for the test (opts may be nil) and
// fails the test if it cannot. It returns the served org (with its
// deployment, outputs and flow runtime), a client for it, and the bundle.
func Start(t testing.TB, dir string, opts *stack.Options) (*stack.Org, *api.Client, *verify.Bundle) {
	t.Helper()
	e, err := stack.Start(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	c, err := e.Client()
	if err != nil {
		t.Fatal(err)
	}
	b, err := verify.LoadBundle(dir)
	if err != nil {
		t.Fatal(err)
	}
	return e, c, b
}
