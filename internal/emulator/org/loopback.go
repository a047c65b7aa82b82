package org

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/bpgen/bpgen/internal/emulator/dataaction"
)

// Data actions of the purecloud-data-actions integration call the org they
// belong to. This file decides where "the org" is for a given execution and
// keeps one data-action runtime (with its cached token) per place and
// credential, so repeated executions reuse the token like the platform does.

// inProcessBase is the base URL of executions that never leave the process
// (no base URL known). It is never dialled: the transport hands the request
// to Handler() directly.
const inProcessBase = "http://org.in-process.invalid"

// WithBaseURL sets the URL this org is served at (see SetBaseURL).
func WithBaseURL(u string) Option { return func(o *Org) { o.exec.base = strings.TrimRight(u, "/") } }

// SetBaseURL tells the org where it is served, e.g. an httptest.Server's
// URL, so data actions call it over loopback like the platform calls
// itself. Without it, actions run over HTTP call back the address the
// request came in on, and ExecuteDataAction calls Handler() in process.
func (o *Org) SetBaseURL(u string) error {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	if u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("org: base URL %q must be an absolute http(s) URL", u)
		}
	}
	o.exec.mu.Lock()
	o.exec.base = u
	o.exec.mu.Unlock()
	return nil
}

// actionExec caches data-action runtimes by (base URL, credential).
type actionExec struct {
	mu       sync.Mutex
	base     string
	runtimes map[execKey]*dataaction.Runtime
}

type execKey struct{ base, credentialID string }

// requestBase is the base URL that reaches the org a request came in on.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// runtime returns the runtime for one execution. requestBase is where the
// triggering HTTP request came in ("" for Go callers); a configured base URL
// wins over it.
func (e *actionExec) runtime(o *Org, requestBase, credID string, cred *IntegrationCredential) (*dataaction.Runtime, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	base := e.base
	if base == "" {
		base = requestBase
	}
	var hc *http.Client
	if base == "" {
		base = inProcessBase
		hc = &http.Client{Transport: inProcessTransport{h: o.Handler()}}
	}
	if cred == nil || cred.Type != CredentialTypeOAuthClient {
		// Not cached: the action fails with ACTION.AUTHENTICATION, as an
		// integration without usable credentials does on the platform.
		reason := "the integration has no " + CredentialTypeOAuthClient + " credential"
		if credID != "" {
			reason = "credential " + credID + " does not exist or is not a " + CredentialTypeOAuthClient + " credential"
		}
		return dataaction.New(base, failingTokens(reason), &dataaction.Options{HTTPClient: hc})
	}
	k := execKey{base, credID}
	if rt, ok := e.runtimes[k]; ok {
		return rt, nil
	}
	tokens := &dataaction.ClientCredentials{
		TokenURL: base + "/oauth/token", ClientID: cred.Fields["clientId"], ClientSecret: cred.Fields["clientSecret"], HTTPClient: hc,
	}
	rt, err := dataaction.New(base, tokens, &dataaction.Options{HTTPClient: hc})
	if err != nil {
		return nil, err
	}
	if e.runtimes == nil {
		e.runtimes = map[execKey]*dataaction.Runtime{}
	}
	e.runtimes[k] = rt
	return rt, nil
}

// forget drops the runtimes of a deleted credential, so a new credential
// reusing nothing of it starts with a fresh token.
func (e *actionExec) forget(credID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k := range e.runtimes {
		if k.credentialID == credID {
			delete(e.runtimes, k)
		}
	}
}

type failingTokens string

func (f failingTokens) Token(context.Context) (string, error) { return "", errors.New(string(f)) }

// inProcessTransport serves requests with an http.Handler without a socket.
// The handler runs in its own goroutine so a caller whose context ends (an
// action timeout against a Latency fault) is released at once, as a real
// client would be.
type inProcessTransport struct{ h http.Handler }

func (t inProcessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil {
		req.Body = http.NoBody
	}
	// Server handlers read RequestURI-free requests fine; Host and the
	// remote address only feed logs.
	req.RemoteAddr = "in-process"
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.h.ServeHTTP(rec, req)
	}()
	select {
	case <-done:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
