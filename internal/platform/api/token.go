package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/tokencache"
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

	cache tokencache.Cache
}

// String keeps the secret and the token out of any accidental print.
func (ts *tokenSource) String() string { return "api.tokenSource{" + redacted + "}" }

func (ts *tokenSource) get(ctx context.Context) (string, error) {
	return ts.cache.Token(ctx, ts.request)
}

func (ts *tokenSource) request(ctx context.Context) (string, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, tokenFetchTimeout)
	defer cancel()
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
func (ts *tokenSource) invalidate(token string) { ts.cache.Invalidate(token) }

// redact replaces the secret and the current token wherever a server echoed them.
func (ts *tokenSource) redact(s string) string {
	if s == "" {
		return s
	}
	if sec := ts.secret.Reveal(); sec != "" {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	if tok := ts.cache.Current(); tok != "" {
		s = strings.ReplaceAll(s, tok, redacted)
	}
	return s
}
