package dataaction

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// TokenSource supplies the bearer token the data-action integration calls the
// org with.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// Invalidator is implemented by caching token sources. After the org rejects
// a token with 401 the runtime calls Invalidate with it and retries once, so a
// token revoked early (an emulated org restarting) does not fail every call
// until it expires.
type Invalidator interface {
	Invalidate(token string)
}

// StaticToken is a fixed token, for tests and pre-issued credentials.
type StaticToken string

// Token implements TokenSource.
func (s StaticToken) Token(context.Context) (string, error) { return string(s), nil }

// ClientCredentials obtains tokens with the OAuth client-credentials grant
// (api.md 6) and caches each until shortly before it expires. It is safe for
// concurrent use; concurrent callers share one token request.
//
// Errors never contain the client secret or a token.
type ClientCredentials struct {
	TokenURL     string // e.g. https://login.mypurecloud.com/oauth/token
	ClientID     string
	ClientSecret string
	HTTPClient   *http.Client // nil: http.DefaultClient

	mu       sync.Mutex
	token    string
	expiry   time.Time // refresh once now is past this
	inflight *tokenCall
}

type tokenCall struct {
	done   chan struct{}
	token  string
	expiry time.Time
	err    error
}

// tokenFetchTimeout bounds one token request. The request runs detached from
// the caller that started it, so one caller giving up does not fail the
// others waiting on the same request.
const tokenFetchTimeout = 30 * time.Second

// Token implements TokenSource.
func (c *ClientCredentials) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	if c.token != "" && time.Now().Before(c.expiry) {
		t := c.token
		c.mu.Unlock()
		return t, nil
	}
	call := c.inflight
	if call == nil {
		call = &tokenCall{done: make(chan struct{})}
		c.inflight = call
		go c.fetch(context.WithoutCancel(ctx), call)
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return call.token, call.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Invalidate implements Invalidator: it drops token if it is the cached one.
func (c *ClientCredentials) Invalidate(token string) {
	c.mu.Lock()
	if c.token == token {
		c.token = ""
	}
	c.mu.Unlock()
}

func (c *ClientCredentials) fetch(ctx context.Context, call *tokenCall) {
	ctx, cancel := context.WithTimeout(ctx, tokenFetchTimeout)
	defer cancel()
	call.token, call.expiry, call.err = c.request(ctx)
	c.mu.Lock()
	c.inflight = nil
	if call.err == nil && !call.expiry.IsZero() {
		c.token, c.expiry = call.token, call.expiry
	}
	c.mu.Unlock()
	close(call.done)
}

// refreshMargin is how long before expiry a cached token is replaced: a tenth
// of its lifetime, at most a minute, so a token is never sent in its last
// seconds.
func refreshMargin(lifetime time.Duration) time.Duration {
	return min(lifetime/10, time.Minute)
}

func (c *ClientCredentials) request(ctx context.Context) (string, time.Time, error) {
	where := redactURL(c.TokenURL)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.TokenURL,
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("dataaction: token request to %s: bad token URL", where)
	}
	req.SetBasicAuth(c.ClientID, c.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	client := c.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // *url.Error repeats the URL
		}
		return "", time.Time{}, fmt.Errorf("dataaction: token request to %s: %w", where, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("dataaction: token request to %s: reading response: %w", where, err)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
	}
	jsonErr := json.Unmarshal(body, &tr)
	if resp.StatusCode != http.StatusOK {
		// Only the OAuth error code is reported: descriptions are free text
		// from the server and could echo what was sent.
		code := tr.Error
		if jsonErr != nil || code == "" {
			code = "no OAuth error code"
		}
		return "", time.Time{}, fmt.Errorf("dataaction: token request to %s: HTTP %d (%s)", where, resp.StatusCode, code)
	}
	if jsonErr != nil || tr.AccessToken == "" {
		return "", time.Time{}, fmt.Errorf("dataaction: token request to %s: response has no access_token", where)
	}
	var expiry time.Time // zero: do not cache
	if tr.ExpiresIn > 0 {
		life := time.Duration(tr.ExpiresIn) * time.Second
		expiry = start.Add(life - refreshMargin(life))
	}
	return tr.AccessToken, expiry, nil
}

// redactURL drops user info and query from a URL for error messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}
