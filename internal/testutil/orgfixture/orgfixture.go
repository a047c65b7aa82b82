// Package orgfixture is the one emulated-org test fixture: a rendered bundle
// stood up in an emulated org served on loopback, either with its flows
// running (Start: internal/emulator/stack, with an API client authenticated as the
// harness's client and the bundle as verify reads it) or applied only
// (Deploy, for what runs after apply), torn down when the test ends.
// It is a package of its own, not part of internal/testutil, because
// testutil is imported by every test package, the emulator's included.
package orgfixture

import (
	"net/http/httptest"
	"testing"

	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/harness"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/postapply/verify"
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

// Deployed is a bundle applied to a fresh emulated org served on loopback,
// as `terraform apply` would apply it, without a flow runtime: for tests of
// what runs after apply (verify, wire).
type Deployed struct {
	Org        *org.Org
	URL        string
	Deployment *deploy.Deployment
	Manifest   *manifest.Manifest
}

// Deploy serves a fresh org, registers clients, and applies the bundle in
// dir with harness.TestSecrets(existingID, existingSecret) as its variables
// (an existing data-actions client, for bundles that name one). The server
// stops when the test ends.
func Deploy(t testing.TB, dir, existingID, existingSecret string, clients ...org.OAuthClient) *Deployed {
	t.Helper()
	o := org.New()
	srv := httptest.NewServer(o.Handler())
	t.Cleanup(srv.Close)
	if err := o.SetBaseURL(srv.URL); err != nil {
		t.Fatal(err)
	}
	for _, c := range clients {
		if err := o.RegisterClient(c); err != nil {
			t.Fatal(err)
		}
	}
	man, err := manifest.Load(manifest.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	d, err := deploy.Apply(o, dir, &deploy.Options{Vars: harness.TestSecrets(man, existingID, existingSecret)})
	if err != nil {
		t.Fatalf("apply %s: %v", dir, err)
	}
	return &Deployed{Org: o, URL: srv.URL, Deployment: d, Manifest: man}
}

// Client returns an API client for the org, authenticated as a registered
// client; maxAttempts 0 keeps the client's default retries.
func (d *Deployed) Client(t testing.TB, id, secret string, maxAttempts int) *api.Client {
	t.Helper()
	ep, err := api.LocalEndpoints(d.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Config{Endpoints: ep, ClientID: id, ClientSecret: api.Secret(secret), MaxAttempts: maxAttempts})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
