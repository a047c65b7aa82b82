package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// tokenFetchTimeout bounds a token request shared by concurrent callers.
const tokenFetchTimeout = 60 * time.Second

// tokenSource fetches and caches the client-credentials token. One fetch is
// in flight at a time; concurrent callers share its result.
type tokenSource struct {
	client   *Client
	url      string
	clientID string
	secret   Secret

	mu       sync.Mutex
	token    string
	refresh  time.Time   // fetch a new token from this instant on
	inflight *tokenFetch // non-nil while a fetch runs
}

type tokenFetch struct {
	done  chan struct{}
	token string
	err   error
}

// String keeps the secret and the token out of any accidental print.
func (ts *tokenSource) String() string { return "api.tokenSource{" + redacted + "}" }

func (ts *tokenSource) get(ctx context.Context) (string, error) {
	ts.mu.Lock()
	if ts.token != "" && ts.client.now().Before(ts.refresh) {
		t := ts.token
		ts.mu.Unlock()
		return t, nil
	}
	f := ts.inflight
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		ts.inflight = f
		// Detached from the first caller's ctx: if that caller gives up, the
		// others waiting on the same fetch must not fail with its cancellation.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tokenFetchTimeout)
		go func() {
			defer cancel()
			ts.fetch(fctx, f)
		}()
	}
	ts.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

func (ts *tokenSource) fetch(ctx context.Context, f *tokenFetch) {
	start := ts.client.now()
	tok, lifetime, err := ts.request(ctx)
	ts.mu.Lock()
	if err == nil {
		ts.token = tok
		// Refresh a little early so a token never expires mid-request:
		// 10% of its lifetime, at most a minute.
		ts.refresh = start.Add(lifetime - min(lifetime/10, time.Minute))
	}
	ts.inflight = nil
	ts.mu.Unlock()
	f.token, f.err = tok, err
	close(f.done)
}

func (ts *tokenSource) request(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	data, err := ts.client.send(ctx, request{
		method:      http.MethodPost,
		url:         ts.url,
		path:        "/oauth/token",
		body:        []byte(form.Encode()),
		contentType: "application/x-www-form-urlencoded",
		basicAuth:   true,
		retryable:   true, // asking for a token again is harmless
	})
	if err != nil {
		return "", 0, err
	}
	var r struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return "", 0, fmt.Errorf("POST /oauth/token: decoding response: %w", err)
	}
	if r.AccessToken == "" {
		return "", 0, fmt.Errorf("POST /oauth/token: response has no access_token")
	}
	if r.TokenType != "" && !strings.EqualFold(r.TokenType, "bearer") {
		return "", 0, fmt.Errorf("POST /oauth/token: unsupported token_type %q", r.TokenType)
	}
	// Without expires_in the token is used for this call only.
	return r.AccessToken, time.Duration(max(r.ExpiresIn, 0)) * time.Second, nil
}

// invalidate drops the cached token if it is still the one that was rejected.
func (ts *tokenSource) invalidate(token string) {
	ts.mu.Lock()
	if ts.token == token {
		ts.token = ""
	}
	ts.mu.Unlock()
}

// redact replaces the secret and the current token wherever a server echoed them.
func (ts *tokenSource) redact(s string) string {
	if s == "" {
		return s
	}
	if sec := ts.secret.Reveal(); sec != "" {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	ts.mu.Lock()
	tok := ts.token
	ts.mu.Unlock()
	if tok != "" {
		s = strings.ReplaceAll(s, tok, redacted)
	}
	return s
}
