package org

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func tokenRequest(t *testing.T, e *env, form url.Values, basicID, basicSecret string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(basicID, basicSecret)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m, res.Header
}

func TestOAuthToken(t *testing.T) {
	e := newEnv(t)
	cc := url.Values{"grant_type": {"client_credentials"}}
	withForm := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
	tests := []struct {
		name       string
		form       url.Values
		id, secret string
		status     int
		errCode    string
	}{
		{"basic", cc, testClientID, testClientSecret, 200, ""},
		{"form", withForm, "", "", 200, ""},
		{"bad secret", cc, testClientID, "nope", 401, "invalid_client"},
		{"unknown client", cc, "ghost", "x", 401, "invalid_client"},
		{"no credentials", cc, "", "", 401, "invalid_client"},
		{"wrong grant", url.Values{"grant_type": {"password"}}, testClientID, testClientSecret, 400, "unsupported_grant_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body, hdr := tokenRequest(t, e, tc.form, tc.id, tc.secret)
			if status != tc.status {
				t.Fatalf("status %d, want %d (%v)", status, tc.status, body)
			}
			if hdr.Get(CorrelationHeader) == "" {
				t.Fatal("no correlation header")
			}
			if tc.errCode != "" {
				if body["error"] != tc.errCode || body["error_description"] == "" || body["description"] == "" {
					t.Fatalf("error body %v", body)
				}
				return
			}
			tok, _ := body["access_token"].(string)
			if tok == "" || body["token_type"] != "bearer" || body["expires_in"] != float64(86399) {
				t.Fatalf("token body %v", body)
			}
			e.callAuth("GET", "/api/v2/externalcontacts/contacts", "Bearer "+tok, nil).must(t, 200)
		})
	}
	r := e.callAuth("GET", "/oauth/token", "", nil)
	if r.status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /oauth/token: %d", r.status)
	}
}

func TestBearerRequired(t *testing.T) {
	now := time.Date(2026, 1, 8, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, WithClock(clock))
	if err := e.org.RegisterClient(OAuthClient{ID: "short", Secret: "s", TokenLifetime: time.Minute}); err != nil {
		t.Fatal(err)
	}
	short, life, _ := e.org.IssueToken("short")
	if life != time.Minute {
		t.Fatalf("lifetime %v", life)
	}
	revoked, _, _ := e.org.IssueToken(testClientID)
	e.org.RevokeToken(revoked)

	for _, auth := range []string{"", "Bearer", "Bearer nope", "Basic " + e.token, "Bearer " + revoked} {
		r := e.callAuth("GET", "/api/v2/externalcontacts/contacts", auth, nil)
		b := checkError(t, r, 401, "bad.credentials")
		if b.Message != "Invalid login credentials." {
			t.Fatalf("message %q", b.Message)
		}
	}
	// Unknown routes under /api are authenticated first, then 404.
	checkError(t, e.callAuth("GET", "/api/v2/nothing", "", nil), 401, "bad.credentials")
	checkError(t, e.call("GET", "/api/v2/nothing", nil), 404, "not.found")
	// Case-insensitive scheme.
	e.callAuth("GET", "/api/v2/externalcontacts/contacts", "bearer "+e.token, nil).must(t, 200)
	// Expiry follows the org clock.
	e.callAuth("GET", "/api/v2/externalcontacts/contacts", "Bearer "+short, nil).must(t, 200)
	mu.Lock()
	now = now.Add(61 * time.Second)
	mu.Unlock()
	checkError(t, e.callAuth("GET", "/api/v2/externalcontacts/contacts", "Bearer "+short, nil), 401, "bad.credentials")
	e.call("GET", "/api/v2/externalcontacts/contacts", nil).must(t, 200)
}

// A long-running org keeps only tokens that still work: a client asking for
// a token per request (as a naive client does) does not grow the org past
// the tokens that have not expired, and live tokens keep working.
func TestExpiredTokensAreForgotten(t *testing.T) {
	now := time.Date(2026, 1, 8, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	e := newEnv(t, WithClock(clock))
	if err := e.org.RegisterClient(OAuthClient{ID: "short", Secret: "s", TokenLifetime: time.Minute}); err != nil {
		t.Fatal(err)
	}
	const perMinute = 1000
	var live string
	for range 20 {
		for range perMinute {
			tok, _, err := e.org.IssueToken("short")
			if err != nil {
				t.Fatal(err)
			}
			live = tok
		}
		advance(time.Minute + time.Second)
	}
	advance(-time.Minute) // the last batch is live again
	e.org.auth.mu.RLock()
	n := len(e.org.auth.tokens)
	e.org.auth.mu.RUnlock()
	if n > 3*perMinute {
		t.Errorf("%d tokens kept after 20 minutes of %d expiring tokens a minute; want at most %d", n, perMinute, 3*perMinute)
	}
	r := e.callAuth("GET", "/api/v2/externalcontacts/contacts", "Bearer "+live, nil)
	if r.status != http.StatusOK {
		t.Errorf("a live token no longer authenticates: %d %s", r.status, r.body)
	}
	r = e.callAuth("GET", "/api/v2/externalcontacts/contacts", "Bearer "+e.token, nil)
	if r.status != http.StatusOK {
		t.Errorf("the long-lived token no longer authenticates: %d %s", r.status, r.body)
	}
}
