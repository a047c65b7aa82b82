package dataaction

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/tokencache"
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

	cache tokencache.Cache
}

// tokenFetchTimeout bounds one token request. The request runs detached from
// the caller that started it, so one caller giving up does not fail the
// others waiting on the same request.
const tokenFetchTimeout = 30 * time.Second

// Token implements TokenSource.
func (c *ClientCredentials) Token(ctx context.Context) (string, error) {
	return c.cache.Token(ctx, c.request)
}

// Invalidate implements Invalidator: it drops token if it is the cached one.
func (c *ClientCredentials) Invalidate(token string) { c.cache.Invalidate(token) }

func (c *ClientCredentials) request(ctx context.Context) (string, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, tokenFetchTimeout)
	defer cancel()
	where := redactURL(c.TokenURL)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.TokenURL,
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	if err != nil {
		return "", 0, fmt.Errorf("dataaction: token request to %s: bad token URL", where)
	}
	req.SetBasicAuth(c.ClientID, c.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	client := c.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("dataaction: token request to %s: %w", where, withoutURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", 0, fmt.Errorf("dataaction: token request to %s: reading response: %w", where, err)
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
		return "", 0, fmt.Errorf("dataaction: token request to %s: HTTP %d (%s)", where, resp.StatusCode, code)
	}
	if jsonErr != nil || tr.AccessToken == "" {
		return "", 0, fmt.Errorf("dataaction: token request to %s: response has no access_token", where)
	}
	// Without expires_in the token is used for this call only.
	return tr.AccessToken, time.Duration(max(tr.ExpiresIn, 0)) * time.Second, nil
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
