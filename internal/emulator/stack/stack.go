// Package stack stands a rendered bundle up the way an acceptance run finds it
// in a real org, without one: the bundle applied to an emulated org as
// `terraform apply` would apply it (internal/emulator/deploy, with the same outputs),
// its flows answering conversations (internal/emulator/architect, running on that
// deployment rather than deploying objects of its own), and the org served
// over HTTP with the Platform API, OAuth and the guest WebSocket on one base
// URL. verify's deployment checks and its conversation end to end then run
// against it unchanged, which is how `go test ./...` covers the harness's
// path offline. It links no test code: `bpgen org serve` stands a bundle up
// the same way (it was package e2e, a name that said "test fixture").
package stack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
)

// Options tune Start. The zero value is the usual choice.
type Options struct {
	// Vars are Terraform input variables, as TF_VAR_<name> would set them.
	// Without them, deploy makes up what a user would bring: a webhook
	// secret, an existing data-actions client or integration.
	Vars map[string]string
	// Addr is where to listen (default 127.0.0.1 on a free port).
	Addr string
	// OnDone, when set, receives every finished conversation.
	OnDone func(*architect.Result)
	// ClientCredentials runs Terraform as the harness's OAuth client (a
	// client-credentials grant, as a CI pipeline does) instead of a user's
	// token. A bundle that creates the data actions' role then takes the
	// README's client-credentials path: apply the role alone, have an
	// administrator who holds it grant it to the client once, apply again.
	ClientCredentials bool
	// SkipOneTimeGrant leaves out that grant, so the apply fails as it would
	// in a real org.
	SkipOneTimeGrant bool
	// KeepTraces bounds the finished conversations whose traces are kept
	// (architect.Options.KeepTraces); 0 keeps all.
	KeepTraces int
	// KeepConversations bounds the settled conversations the org keeps,
	// with their per-conversation state and a call log to match
	// (org.WithConversationLimit); 0 keeps all.
	KeepConversations int
}

// Org is a bundle deployed into an emulated org with its flows running.
type Org struct {
	// Org is the emulated org, for assertions a real org would not allow.
	Org *org.Org
	// URL is where the org is served; Endpoints point every service at it.
	URL       string
	Endpoints api.Endpoints
	// ClientID and ClientSecret are an OAuth client registered for the
	// caller, standing in for the harness's own client in a real org.
	ClientID     string
	ClientSecret api.Secret
	// Manifest is the bundle's manifest.
	Manifest *manifest.Manifest
	// Deployment is what internal/emulator/deploy applied; Outputs its Terraform outputs.
	Deployment *deploy.Deployment
	Outputs    map[string]string
	// Runtime runs the flows.
	Runtime *architect.Runtime

	srv     *http.Server
	handler atomic.Pointer[http.Handler]
}

// SetHandler replaces what the server answers with, e.g. to add paths in
// front of the org's own handler. The server keeps running.
func (e *Org) SetHandler(h http.Handler) { e.handler.Store(&h) }

// Start serves a fresh emulated org, applies the bundle in dir to it and
// attaches the flow runtime to the deployment. Close releases it all.
func Start(dir string, opts *Options) (_ *Org, err error) {
	if opts == nil {
		opts = &Options{}
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	man, err := manifest.Load(manifest.Dir(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("bundle %s: not a rendered bundle: %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", dir, err)
	}
	e, err := serveOrg(addr, org.OAuthClient{ID: "bpgen-harness"}, orgOptions(opts)...)
	if err != nil {
		return nil, err
	}
	e.Manifest = man
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	// What a user brings (a webhook secret, an existing data-actions client
	// or integration) deploy makes up as fixtures unless Vars say otherwise.
	if e.Deployment, err = e.apply(dir, opts); err != nil {
		return nil, err
	}
	e.Outputs = e.Deployment.Outputs
	if e.Runtime, err = e.attach(opts.OnDone, opts.KeepTraces); err != nil {
		return nil, err
	}
	return e, nil
}

// StartEmpty serves a fresh emulated org with nothing applied (the home
// division and the org's settings only), as `bpgen org serve --empty` does,
// for a real client such as the Terraform provider to populate over the
// API. The flows it publishes through Architect jobs are compiled and run
// (architect.StartPublished). Manifest and Deployment stay nil; Outputs is empty.
func StartEmpty(opts *Options) (_ *Org, err error) {
	if opts == nil {
		opts = &Options{}
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	e, err := serveOrg(addr, org.OAuthClient{ID: "bpgen-terraform", Name: "bpgen org serve (Terraform)"}, orgOptions(opts)...)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	e.Outputs = map[string]string{}
	if e.Runtime, err = architect.StartPublished(e.Org, architect.Options{BaseURL: e.URL, OnDone: opts.OnDone, KeepTraces: opts.KeepTraces}); err != nil {
		return nil, err
	}
	return e, nil
}

// orgOptions are the org options opts asks for.
func orgOptions(opts *Options) []org.Option {
	var out []org.Option
	if n := opts.KeepConversations; n > 0 {
		out = append(out, org.WithConversationLimit(n))
	}
	return out
}

// serveOrg serves a fresh org on addr with client registered (a new
// secret is generated), for Start and StartEmpty.
func serveOrg(addr string, client org.OAuthClient, orgOpts ...org.Option) (*Org, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	e := &Org{Org: org.New(orgOpts...), URL: "http://" + ln.Addr().String(), ClientID: client.ID}
	e.SetHandler(e.Org.Handler())
	e.srv = &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*e.handler.Load()).ServeHTTP(w, r) }),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = e.srv.Serve(ln) }()
	// Data actions call the org back over HTTP, as the platform calls itself.
	if err := e.Org.SetBaseURL(e.URL); err != nil {
		e.Close()
		return nil, err
	}
	if e.Endpoints, err = api.LocalEndpoints(e.URL); err != nil {
		e.Close()
		return nil, err
	}
	e.ClientSecret = api.Secret(randomHex(24))
	client.Secret = e.ClientSecret.Reveal()
	if err := e.Org.RegisterClient(client); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// apply applies the bundle as Terraform would, under the caller opts choose.
func (e *Org) apply(dir string, opts *Options) (*deploy.Deployment, error) {
	do := &deploy.Options{Vars: opts.Vars}
	if !opts.ClientCredentials {
		return deploy.Apply(e.Org, dir, do)
	}
	do.Caller = deploy.Caller{ClientID: e.ClientID}
	roles := e.Manifest.ByKind(contract.KindRole)
	if len(roles) != 1 || !roles[0].Managed || opts.SkipOneTimeGrant {
		return deploy.Apply(e.Org, dir, do)
	}
	roleObj := roles[0].ID
	// 1. terraform apply -target=genesyscloud_auth_role.data_actions
	first, err := deploy.Apply(e.Org, dir, &deploy.Options{Vars: opts.Vars, Caller: do.Caller, Targets: []string{roleObj}})
	if err != nil {
		return nil, fmt.Errorf("first apply (the role alone): %w", err)
	}
	role, _ := first.Object(roleObj)
	// 2. The one-time grant, by an administrator who holds the role.
	admin, err := e.Org.CreateUser(org.User{Name: "bpgen fixture: org administrator", Roles: []string{role.OrgID}})
	if err == nil {
		var c org.OAuthClient
		if c, err = e.Org.OAuthClient(e.ClientID); err == nil {
			grants := append(c.RoleDivisions, org.RoleDivision{RoleID: role.OrgID, DivisionID: org.AllDivisions})
			err = e.Org.SetOAuthClientRoles(org.Caller{UserID: admin.ID}, e.ClientID, grants)
		}
	}
	if err != nil {
		first.Destroy()
		return nil, fmt.Errorf("one-time grant: %w", err)
	}
	// 3. terraform apply
	do.State = first
	d, err := deploy.Apply(e.Org, dir, do)
	if err != nil {
		first.Destroy()
		return nil, fmt.Errorf("second apply: %w", err)
	}
	return d, nil
}

// attach starts the flow runtime on the deployment (Deployment.StartRuntime),
// so the runtime creates nothing that Terraform (here, deploy) already created.
func (e *Org) attach(onDone func(*architect.Result), keepTraces int) (*architect.Runtime, error) {
	return e.Deployment.StartRuntime(architect.Options{BaseURL: e.URL, OnDone: onDone, KeepTraces: keepTraces})
}

// Client returns an API client authenticated as the caller's client.
func (e *Org) Client() (*api.Client, error) {
	return api.New(api.Config{Endpoints: e.Endpoints, ClientID: e.ClientID, ClientSecret: e.ClientSecret})
}

// Settle waits for a conversation's flow to finish and says whether it
// ended the way every bpgen flow must: in the queue, without a runtime
// error. It is verify.ConversationOptions.Settle for the emulated org.
func (e *Org) Settle(ctx context.Context, conversationID string) error {
	res, err := e.Runtime.Wait(ctx, conversationID)
	if err != nil {
		return err
	}
	switch {
	case res.Error != "":
		return fmt.Errorf("the flow's error handling ran: %s", res.Error)
	case res.Ended != "transferred":
		return fmt.Errorf("the flow ended %s, not in a queue", res.Ended)
	}
	return nil
}

// Destroy deletes what Apply created, as `terraform destroy` does.
func (e *Org) Destroy() error {
	if e.Deployment == nil {
		return nil // StartEmpty: whoever populated the org destroys it
	}
	return e.Deployment.Destroy()
}

// Close stops the runtime, the guest sessions and the server. Safe to call
// more than once and on a partly started Org.
func (e *Org) Close() {
	if e.Runtime != nil {
		_ = e.Runtime.Close()
	}
	e.Org.CloseGuestSessions()
	if e.srv != nil {
		_ = e.srv.Close()
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
