package org

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const (
	testClientID     = "test-client"
	testClientSecret = "test-secret-0123456789"
)

type env struct {
	t     testing.TB
	org   *Org
	srv   *httptest.Server
	token string
}

func newEnv(t testing.TB, opts ...Option) *env {
	t.Helper()
	o := New(opts...)
	if err := o.RegisterClient(OAuthClient{ID: testClientID, Secret: testClientSecret}); err != nil {
		t.Fatal(err)
	}
	tok, _, err := o.IssueToken(testClientID)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(o.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, org: o, srv: srv, token: tok}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r resp) contact(t testing.TB) Contact {
	t.Helper()
	var c Contact
	r.decode(t, &c)
	return c
}

// call sends a request with the env's bearer token. body may be nil, a
// string (sent verbatim) or a value (JSON-encoded).
func (e *env) call(method, path string, body any) resp {
	return e.callAuth(method, path, "Bearer "+e.token, body)
}

func (e *env) callAuth(method, path, auth string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: raw}
}

// must fails the test unless the response has the given status.
func (r resp) must(t testing.TB, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

// checkError asserts the exact standard error body: status, code, a
// message, contextId equal to the correlation header, details and errors
// present as arrays.
func checkError(t testing.TB, r resp, status int, code string) ErrorBody {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	var raw map[string]json.RawMessage
	r.decode(t, &raw)
	for _, k := range []string{"message", "code", "status", "contextId", "details", "errors"} {
		if _, ok := raw[k]; !ok {
			t.Fatalf("error body lacks %q: %s", k, r.body)
		}
	}
	var b ErrorBody
	r.decode(t, &b)
	if b.Status != status || b.Code != code || b.Message == "" {
		t.Fatalf("error body %+v, want status %d code %q", b, status, code)
	}
	if cid := r.header.Get(CorrelationHeader); cid == "" || b.ContextID != cid {
		t.Fatalf("contextId %q, correlation header %q", b.ContextID, cid)
	}
	if b.Details == nil || b.Errors == nil || string(raw["errors"]) != "[]" {
		t.Fatalf("details/errors must be arrays: %s", r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("content-type %q", ct)
	}
	return b
}

func mustContact(t testing.TB, o *Org, c Contact) Contact {
	t.Helper()
	out, err := o.CreateContact(c)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustSource(t testing.TB, o *Org, name string) ExternalSource {
	t.Helper()
	s, err := o.CreateExternalSource(ExternalSource{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func refIDs(refs []Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

func jsonReader(t testing.TB, v any) io.Reader {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(raw)
}
