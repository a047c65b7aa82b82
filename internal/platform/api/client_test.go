package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

const (
	testClientID = "client-123"
	testSecret   = "s3cr3t-do-not-leak-8c1f"
)

// fakeOrg is a minimal emulated org: /oauth/token plus an API handler.
type fakeOrg struct {
	t         *testing.T
	srv       *httptest.Server
	tokenHits atomic.Int32
	apiHits   atomic.Int32
	// expiresIn is returned by the token endpoint.
	expiresIn int
	// tokenHandler, when set, replaces the default token endpoint.
	tokenHandler http.HandlerFunc
	// api handles /api/v2/...; the bearer has already been checked to be a
	// token this server issued.
	api http.HandlerFunc

	mu     sync.Mutex
	issued []string
}

func newFakeOrg(t *testing.T, api http.HandlerFunc) *fakeOrg {
	t.Helper()
	o := &fakeOrg{t: t, api: api, expiresIn: 86399}
	o.srv = httptest.NewServer(http.HandlerFunc(o.serve))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *fakeOrg) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("inin-correlation-id", "corr-"+r.Method)
	if r.URL.Path == "/oauth/token" {
		o.tokenHits.Add(1)
		if o.tokenHandler != nil {
			o.tokenHandler(w, r)
			return
		}
		id, secret, ok := r.BasicAuth()
		if err := r.ParseForm(); err != nil || !ok || id != testClientID || secret != testSecret || r.PostForm.Get("grant_type") != "client_credentials" {
			writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "bad client credentials"})
			return
		}
		o.mu.Lock()
		tok := fmt.Sprintf("tok-%d-%s", len(o.issued)+1, strings.Repeat("x", 20))
		o.issued = append(o.issued, tok)
		o.mu.Unlock()
		writeJSON(w, 200, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": o.expiresIn})
		return
	}
	o.apiHits.Add(1)
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	o.mu.Lock()
	known := false
	for _, t := range o.issued {
		known = known || (ok && t == tok)
	}
	o.mu.Unlock()
	if !known {
		writeJSON(w, 401, map[string]any{"message": "Invalid login credentials.", "code": "bad.credentials", "status": 401})
		return
	}
	o.api(w, r)
}

func (o *fakeOrg) issuedTokens() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.issued...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// sleepRecorder replaces real waits so retry tests run instantly.
type sleepRecorder struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.sleeps...)
}

func newTestClient(t *testing.T, o *fakeOrg, mod func(*Config)) (*Client, *sleepRecorder) {
	t.Helper()
	ep, err := LocalEndpoints(o.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	rec := &sleepRecorder{}
	cfg := Config{Endpoints: ep, ClientID: testClientID, ClientSecret: testSecret, Sleep: rec.sleep}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

func okFlow(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"id": "f1", "name": "Inbound", "type": "INBOUNDSHORTMESSAGE"})
}

func TestTokenFetchedOnceAndSharedByConcurrentCalls(t *testing.T) {
	o := newFakeOrg(t, okFlow)
	c, _ := newTestClient(t, o, nil)
	ctx := t.Context()

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := c.GetFlow(ctx, "f1"); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, err := c.GetFlow(ctx, "f1"); err != nil {
		t.Fatal(err)
	}
	if n := o.tokenHits.Load(); n != 1 {
		t.Errorf("token endpoint hit %d times, want 1", n)
	}
	if n := o.apiHits.Load(); n != 21 {
		t.Errorf("API hit %d times, want 21", n)
	}
}

func TestTokenRefreshedShortlyBeforeExpiry(t *testing.T) {
	o := newFakeOrg(t, okFlow)
	o.expiresIn = 300
	now := time.Date(2026, 1, 8, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	c, _ := newTestClient(t, o, func(cfg *Config) { cfg.Now = clock })
	ctx := t.Context()

	mustGet := func() {
		t.Helper()
		if _, err := c.GetFlow(ctx, "f1"); err != nil {
			t.Fatal(err)
		}
	}
	mustGet()
	advance(260 * time.Second) // 300 s token, refreshed 30 s early: still valid
	mustGet()
	if n := o.tokenHits.Load(); n != 1 {
		t.Fatalf("after 260 s: token endpoint hit %d times, want 1", n)
	}
	advance(15 * time.Second) // 275 s: inside the refresh margin
	mustGet()
	if n := o.tokenHits.Load(); n != 2 {
		t.Fatalf("after 275 s: token endpoint hit %d times, want 2", n)
	}
}

func TestRevokedTokenIsReplacedOnce(t *testing.T) {
	var rejectFirst atomic.Bool
	rejectFirst.Store(true)
	var o *fakeOrg
	o = newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("Authorization"), o.issuedTokens()[0]) && rejectFirst.Load() {
			writeJSON(w, 401, map[string]any{"message": "Invalid login credentials.", "code": "bad.credentials", "status": 401})
			return
		}
		okFlow(w, r)
	})
	c, rec := newTestClient(t, o, nil)
	f, err := c.GetFlow(t.Context(), "f1")
	if err != nil {
		t.Fatalf("GetFlow after a revoked token: %v", err)
	}
	if f.ID != "f1" {
		t.Errorf("flow id = %q", f.ID)
	}
	if n := o.tokenHits.Load(); n != 2 {
		t.Errorf("token endpoint hit %d times, want 2", n)
	}
	if len(rec.get()) != 0 {
		t.Errorf("401 refresh slept %v; want no wait", rec.get())
	}
}

func TestUnauthorizedEvenAfterRefresh(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]any{"message": "Invalid login credentials.", "code": "bad.credentials", "status": 401})
	})
	c, _ := newTestClient(t, o, nil)
	_, err := c.GetQueue(t.Context(), "q1")
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v, want a 401 APIError", err)
	}
	if got, want := err.Error(), "GET /api/v2/routing/queues/q1: 401 bad.credentials: Invalid login credentials."; !strings.HasPrefix(got, want) {
		t.Errorf("Error() = %q, want prefix %q", got, want)
	}
	if n := o.apiHits.Load(); n != 2 {
		t.Errorf("API hit %d times, want 2 (one refresh, no retry loop)", n)
	}
}

func TestBadClientCredentials(t *testing.T) {
	o := newFakeOrg(t, okFlow)
	c, _ := newTestClient(t, o, func(cfg *Config) { cfg.ClientSecret = "wrong-secret-value" })
	_, err := c.GetFlow(t.Context(), "f1")
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v, want 401", err)
	}
	for _, want := range []string{"GET /api/v2/flows/f1", "POST /oauth/token: 401 invalid_client: bad client credentials"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("error leaks the secret: %q", err)
	}
	if n := o.tokenHits.Load(); n != 1 {
		t.Errorf("token endpoint hit %d times, want 1 (401 is not retried)", n)
	}
}

func TestNotFoundDecoded(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("inin-correlation-id", "hdr-corr-1")
		writeJSON(w, 404, map[string]any{
			"message": "The requested operation failed with status 404", "code": "not.found", "status": 404,
			"contextId": "d11bd3b3-ab7e-4fd4-9687-d04af9f30a63", "details": []any{}, "errors": []any{},
		})
	})
	c, rec := newTestClient(t, o, nil)
	_, err := c.GetFlow(t.Context(), "abc")
	if !IsNotFound(err) {
		t.Fatalf("IsNotFound(%v) = false", err)
	}
	want := "GET /api/v2/flows/abc: 404 not.found: The requested operation failed with status 404 [correlation d11bd3b3-ab7e-4fd4-9687-d04af9f30a63]"
	if err.Error() != want {
		t.Errorf("Error() =\n %q\nwant\n %q", err, want)
	}
	e, ok := errors.AsType[*APIError](err)
	if !ok {
		t.Fatalf("not an *APIError: %T", err)
	}
	if e.Method != "GET" || e.Path != "/api/v2/flows/abc" || e.Status != 404 || e.Code != "not.found" || e.CorrelationID != "hdr-corr-1" || e.Attempts != 1 {
		t.Errorf("APIError = %+v", e)
	}
	if len(rec.get()) != 0 || o.apiHits.Load() != 1 {
		t.Errorf("404 was retried: %d hits, sleeps %v", o.apiHits.Load(), rec.get())
	}
}

func TestErrorWithoutBodyUsesCorrelationHeader(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("inin-correlation-id", "hdr-corr-2")
		w.WriteHeader(http.StatusForbidden)
	})
	c, _ := newTestClient(t, o, nil)
	err := c.DeleteExternalContact(t.Context(), "c1")
	want := "DELETE /api/v2/externalcontacts/contacts/c1: 403 Forbidden [correlation hdr-corr-2]"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	var hits atomic.Int32
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			writeJSON(w, 429, map[string]any{"message": "Rate limit exceeded", "code": "too.many.requests", "status": 429})
			return
		}
		okFlow(w, r)
	})
	c, rec := newTestClient(t, o, nil)
	if _, err := c.GetFlow(t.Context(), "f1"); err != nil {
		t.Fatal(err)
	}
	if got := rec.get(); len(got) != 1 || got[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s]", got)
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	var hits atomic.Int32
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(429)
			return
		}
		okFlow(w, r)
	})
	c, rec := newTestClient(t, o, func(cfg *Config) { cfg.MaxRetryAfter = 5 * time.Second })
	if _, err := c.GetFlow(t.Context(), "f1"); err != nil {
		t.Fatal(err)
	}
	if got := rec.get(); len(got) != 1 || got[0] != 5*time.Second {
		t.Errorf("waits = %v, want [5s]", got)
	}
}

func TestServiceUnavailableRetriedThenSucceeds(t *testing.T) {
	var hits atomic.Int32
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= 2 {
			w.WriteHeader(503)
			return
		}
		okFlow(w, r)
	})
	c, rec := newTestClient(t, o, func(cfg *Config) { cfg.RetryBackoff = 100 * time.Millisecond })
	f, err := c.GetFlow(t.Context(), "f1")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Inbound" {
		t.Errorf("flow = %+v", f)
	}
	got := rec.get()
	if len(got) != 2 {
		t.Fatalf("waits = %v, want 2", got)
	}
	// Exponential backoff with up to 25% jitter: ~100 ms then ~200 ms.
	for i, base := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond} {
		if got[i] < base || got[i] > base+base/4 {
			t.Errorf("wait %d = %v, want in [%v, %v]", i, got[i], base, base+base/4)
		}
	}
}

func TestAttemptCap(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, map[string]any{"message": "Service Unavailable", "code": "service.unavailable", "status": 503})
	})
	c, rec := newTestClient(t, o, func(cfg *Config) { cfg.MaxAttempts = 3 })
	_, err := c.GetIntegration(t.Context(), "i1")
	if StatusCode(err) != 503 {
		t.Fatalf("err = %v, want 503", err)
	}
	if n := o.apiHits.Load(); n != 3 {
		t.Errorf("API hit %d times, want 3", n)
	}
	if n := len(rec.get()); n != 2 {
		t.Errorf("waited %d times, want 2", n)
	}
	if !strings.Contains(err.Error(), "(after 3 attempts)") {
		t.Errorf("error %q does not say how many attempts were made", err)
	}
}

func TestGatewayTimeoutNotRetriedForCreate(t *testing.T) {
	// A 504 may mean the contact was created; creating it again would leave a
	// duplicate that breaks identifier lookups.
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(504) })
	c, _ := newTestClient(t, o, nil)
	if _, err := c.CreateExternalContact(t.Context(), apimodel.ExternalContact{WorkEmail: "a@example.com"}); StatusCode(err) != 504 {
		t.Fatalf("err = %v, want 504", err)
	}
	if n := o.apiHits.Load(); n != 1 {
		t.Errorf("create hit %d times, want 1", n)
	}
	// A lookup changes nothing, so it is retried.
	o.apiHits.Store(0)
	if _, err := c.LookupContact(t.Context(), apimodel.ContactIdentifier{Type: contract.IdentifierEmail, Value: "a@example.com"}); StatusCode(err) != 504 {
		t.Fatalf("err = %v, want 504", err)
	}
	if n := o.apiHits.Load(); n != DefaultMaxAttempts {
		t.Errorf("lookup hit %d times, want %d", n, DefaultMaxAttempts)
	}
}

func TestContextCancelledDuringRetryWait(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(429)
	})
	c, _ := newTestClient(t, o, func(cfg *Config) { cfg.Sleep = nil })
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetFlow(ctx, "f1")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d < 40*time.Millisecond || d > 5*time.Second {
		t.Errorf("returned after %v; want the real wait to run until the cancel at 50 ms", d)
	}
}

func TestDeadlineShorterThanRetryAfterFailsFast(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, map[string]any{"message": "Rate limit exceeded", "code": "too.many.requests", "status": 429})
	})
	c, rec := newTestClient(t, o, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err := c.GetFlow(ctx, "f1")
	if StatusCode(err) != 429 {
		t.Fatalf("err = %v, want the 429 itself", err)
	}
	if len(rec.get()) != 0 {
		t.Errorf("slept %v although the deadline was sooner", rec.get())
	}
}

func TestContextCancelledWhileWaitingForToken(t *testing.T) {
	release := make(chan struct{})
	o := newFakeOrg(t, okFlow)
	o.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		<-release
		writeJSON(w, 200, map[string]any{"access_token": "slow-token", "expires_in": 3600})
	}
	defer close(release)
	c, _ := newTestClient(t, o, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.GetFlow(ctx, "f1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

func TestSecretAndTokenNeverPrinted(t *testing.T) {
	// The server misbehaves and echoes credentials back in its errors.
	var o *fakeOrg
	var hits atomic.Int32
	o = newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(503) // so that a retry gets logged
			return
		}
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, 400, map[string]any{
			"message": "bad request for token " + tok + " and secret " + testSecret,
			"code":    "bad.request", "status": 400,
			"errors": []any{map[string]any{"message": "nested " + tok}},
		})
	})
	var logs strings.Builder
	c, _ := newTestClient(t, o, func(cfg *Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	_, apiErr := c.GetFlow(t.Context(), "f1")
	if apiErr == nil {
		t.Fatal("want an error")
	}
	tokens := o.issuedTokens()
	if len(tokens) == 0 {
		t.Fatal("no token issued")
	}
	e, _ := errors.AsType[*APIError](apiErr)

	// Token endpoint echoing the secret.
	o2 := newFakeOrg(t, okFlow)
	o2.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		_, secret, _ := r.BasicAuth()
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "client secret " + secret + " revoked"})
	}
	c2, _ := newTestClient(t, o2, nil)
	_, tokErr := c2.GetFlow(t.Context(), "f1")

	cfg := Config{ClientID: testClientID, ClientSecret: testSecret}
	outputs := map[string]string{
		"api error":          apiErr.Error(),
		"api error %+v":      fmt.Sprintf("%+v", e),
		"token error":        fmt.Sprint(tokErr),
		"client %v":          fmt.Sprintf("%v", c),
		"client %+v":         fmt.Sprintf("%+v", c),
		"client %#v":         fmt.Sprintf("%#v", c),
		"client value %+v":   fmt.Sprintf("%+v", *c),
		"client value %#v":   fmt.Sprintf("%#v", *c),
		"config %+v":         fmt.Sprintf("%+v", cfg),
		"config %#v":         fmt.Sprintf("%#v", cfg),
		"secret %s %q %x %d": fmt.Sprintf("%s %q %x %d", cfg.ClientSecret, cfg.ClientSecret, cfg.ClientSecret, cfg.ClientSecret),
		"logs":               logs.String(),
	}
	if b, err := json.Marshal(cfg); err == nil {
		outputs["config json"] = string(b)
	}
	for name, out := range outputs {
		if strings.Contains(out, testSecret) {
			t.Errorf("%s leaks the secret: %s", name, out)
		}
		for _, tok := range tokens {
			if strings.Contains(out, tok) {
				t.Errorf("%s leaks a token: %s", name, out)
			}
		}
	}
	if !strings.Contains(logs.String(), "api: retrying") {
		t.Errorf("expected a retry log line, got %q", logs.String())
	}
	if !strings.Contains(apiErr.Error(), "[redacted]") {
		t.Errorf("echoed credentials should read [redacted]: %q", apiErr)
	}
	if tokErr == nil || !strings.Contains(tokErr.Error(), "invalid_client") {
		t.Errorf("token error = %v, want invalid_client", tokErr)
	}
}

func TestDoRejectsForeignHostsAndEmptyIDs(t *testing.T) {
	o := newFakeOrg(t, okFlow)
	c, _ := newTestClient(t, o, nil)
	for _, p := range []string{"https://evil.example.com/api/v2/flows", "//evil.example.com/x", "api/v2/flows"} {
		if err := c.Do(t.Context(), "GET", p, nil, nil); err == nil {
			t.Errorf("Do(%q) succeeded; it must refuse to send the token elsewhere", p)
		}
	}
	if _, err := c.GetFlow(t.Context(), ""); err == nil || !strings.Contains(err.Error(), "missing id") {
		t.Errorf("GetFlow(\"\") = %v, want a missing-id error", err)
	}
	if o.tokenHits.Load() != 0 || o.apiHits.Load() != 0 {
		t.Errorf("rejected calls reached the server")
	}
}

func TestDoRawBodies(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"echo":%s,"path":%q}`, b, r.URL.RequestURI())
	})
	c, _ := newTestClient(t, o, nil)
	var out struct {
		Echo map[string]int `json:"echo"`
		Path string         `json:"path"`
	}
	if err := c.Do(t.Context(), "PATCH", "/api/v2/things/1?x=y", json.RawMessage(`{"a":1}`), &out); err != nil {
		t.Fatal(err)
	}
	if out.Echo["a"] != 1 || out.Path != "/api/v2/things/1?x=y" {
		t.Errorf("out = %+v", out)
	}
}
