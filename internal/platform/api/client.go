package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/tokencache"
)

// Defaults for Config's zero values.
const (
	DefaultMaxAttempts   = 5
	DefaultMaxRetryAfter = 60 * time.Second
	DefaultRetryBackoff  = 500 * time.Millisecond
	DefaultMaxBackoff    = 10 * time.Second
	DefaultHTTPTimeout   = 60 * time.Second

	maxResponseBytes = 16 << 20
)

// Config configures a Client. Only Endpoints, ClientID and ClientSecret are required.
type Config struct {
	// Endpoints come from RegionEndpoints (real org) or LocalEndpoints (emulator).
	Endpoints Endpoints
	// ClientID and ClientSecret are an OAuth client-credentials grant.
	ClientID     string
	ClientSecret Secret

	// HTTPClient defaults to a client with a DefaultHTTPTimeout timeout.
	HTTPClient *http.Client
	// UserAgent defaults to "bpgen".
	UserAgent string

	// MaxAttempts bounds the requests made for one call, retries included
	// (default DefaultMaxAttempts). 1 disables retries.
	MaxAttempts int
	// MaxRetryAfter caps one wait asked for by a Retry-After header
	// (default DefaultMaxRetryAfter).
	MaxRetryAfter time.Duration
	// RetryBackoff is the first wait after a 502/503/504 without Retry-After;
	// it doubles per attempt up to MaxBackoff (defaults DefaultRetryBackoff,
	// DefaultMaxBackoff).
	RetryBackoff time.Duration
	MaxBackoff   time.Duration

	// Logger receives one line per retry (method, path, status, wait) at
	// Info level. Headers and bodies are never logged. Default: discard.
	Logger *slog.Logger

	// Sleep waits for d or until ctx is done. Tests inject a recorder so
	// retry paths run instantly. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used for token expiry. Default: time.Now.
	Now func() time.Time
}

// Client is a Genesys Cloud Platform API client. It is safe for concurrent use.
type Client struct {
	ep            Endpoints
	clientID      string
	hc            *http.Client
	userAgent     string
	maxAttempts   int
	maxRetryAfter time.Duration
	backoff       time.Duration
	maxBackoff    time.Duration
	log           *slog.Logger
	sleep         func(context.Context, time.Duration) error
	now           func() time.Time

	// tokens holds the secret and the cached token. It is a pointer so that
	// printing a Client value with fmt shows an address, not credentials.
	tokens *tokenSource
}

// New validates cfg and returns a Client. It does not contact the server;
// the first call fetches a token.
func New(cfg Config) (*Client, error) {
	api, err := baseURL("API", cfg.Endpoints.API)
	if err != nil {
		return nil, err
	}
	login, err := baseURL("Login", cfg.Endpoints.Login)
	if err != nil {
		return nil, err
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, fmt.Errorf("api: ClientID and ClientSecret are required")
	}
	c := &Client{
		ep:            cfg.Endpoints,
		clientID:      cfg.ClientID,
		hc:            cfg.HTTPClient,
		userAgent:     cfg.UserAgent,
		maxAttempts:   cfg.MaxAttempts,
		maxRetryAfter: cfg.MaxRetryAfter,
		backoff:       cfg.RetryBackoff,
		maxBackoff:    cfg.MaxBackoff,
		log:           cfg.Logger,
		sleep:         cfg.Sleep,
		now:           cfg.Now,
	}
	c.ep.API, c.ep.Login = api, login
	if c.hc == nil {
		c.hc = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if c.userAgent == "" {
		c.userAgent = "bpgen"
	}
	if c.maxAttempts <= 0 {
		c.maxAttempts = DefaultMaxAttempts
	}
	if c.maxRetryAfter <= 0 {
		c.maxRetryAfter = DefaultMaxRetryAfter
	}
	if c.backoff <= 0 {
		c.backoff = DefaultRetryBackoff
	}
	if c.maxBackoff <= 0 {
		c.maxBackoff = DefaultMaxBackoff
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.tokens = &tokenSource{client: c, url: login + "/oauth/token", clientID: cfg.ClientID, secret: cfg.ClientSecret,
		cache: tokencache.Cache{Now: c.now}}
	return c, nil
}

func baseURL(name, s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return "", fmt.Errorf("api: Endpoints.%s %q: want http(s)://host[:port]", name, s)
	}
	return s, nil
}

// Endpoints returns the endpoints the client talks to.
func (c *Client) Endpoints() Endpoints { return c.ep }

// String describes the client without its credentials.
func (c *Client) String() string {
	return fmt.Sprintf("api.Client{api: %s, login: %s, clientID: %s}", c.ep.API, c.ep.Login, c.clientID)
}

// GoString is String, so %#v cannot reach the credentials either.
func (c *Client) GoString() string { return c.String() }

// Do sends one API request: method and path (e.g. "/api/v2/flows?name=x",
// always relative to the API endpoint), in as the JSON body (nil for none;
// []byte and json.RawMessage are sent as is) and the JSON response decoded
// into out (nil to discard). Non-2xx responses return an *APIError.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	return c.call(ctx, method, path, in, out, false)
}

// call is Do plus readOnly, which marks POSTs that change nothing (lookups,
// action tests) as safe to retry after a 504.
func (c *Client) call(ctx context.Context, method, path string, in, out any, readOnly bool) error {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		// An absolute URL here would send our bearer token to another host.
		return fmt.Errorf("api: %s %q: path must start with a single /", method, path)
	}
	if p, _, _ := strings.Cut(path, "?"); strings.Contains(p, "//") || strings.HasSuffix(p, "/") {
		// Almost always an empty id, which would silently hit a list endpoint.
		return fmt.Errorf("api: %s %q: empty path segment (missing id?)", method, path)
	}
	var body []byte
	switch v := in.(type) {
	case nil:
	case []byte:
		body = v
	case json.RawMessage:
		body = v
	default:
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encoding request: %w", method, path, err)
		}
		body = b
	}
	data, err := c.send(ctx, request{
		method:      method,
		url:         c.ep.API + path,
		path:        path,
		body:        body,
		contentType: "application/json",
		bearer:      true,
		retryable:   readOnly || idempotent(method),
	})
	if err != nil {
		return err
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decoding response: %w", method, path, err)
	}
	return nil
}

type request struct {
	method      string
	url         string // absolute
	path        string // for errors and logs
	body        []byte // nil: no body
	contentType string
	bearer      bool // send the cached token; refresh once on 401
	basicAuth   bool // send client id/secret (token request)
	retryable   bool // safe to repeat after a 504 or a transport error
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// send performs r with retries and returns the 2xx body.
func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	refreshed := false
	for attempt := 1; ; attempt++ {
		var token string
		if r.bearer {
			t, err := c.tokens.get(ctx)
			if err != nil {
				return nil, fmt.Errorf("%s %s: obtaining token: %w", r.method, r.path, err)
			}
			token = t
		}
		req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
		if r.body == nil {
			req.Body, req.ContentLength = http.NoBody, 0
		} else {
			req.Header.Set("Content-Type", r.contentType)
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", c.userAgent)
		if r.bearer {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if r.basicAuth {
			req.SetBasicAuth(c.tokens.clientID, c.tokens.secret.Reveal())
		}

		resp, err := c.hc.Do(req)
		var data []byte
		if err == nil {
			data, err = io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
			resp.Body.Close()
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s %s: %w", r.method, r.path, context.Cause(ctx))
			}
			// The URL carries no credentials, so the transport error is safe to show.
			err = fmt.Errorf("%s %s: %w", r.method, r.path, err)
			if !r.retryable || attempt >= c.maxAttempts {
				return nil, err
			}
			if werr := c.wait(ctx, r, 0, c.backoffFor(attempt), attempt); werr != nil {
				return nil, fmt.Errorf("%w (retrying after: %v)", werr, err)
			}
			continue
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return data, nil
		}

		apiErr := newAPIError(r.method, r.path, resp, data, func(s string) string {
			if token != "" {
				s = strings.ReplaceAll(s, token, redacted)
			}
			return c.tokens.redact(s)
		})
		apiErr.Attempts = attempt
		if resp.StatusCode == http.StatusUnauthorized && r.bearer && !refreshed {
			// The token may have been revoked or expired early: fetch a new one
			// and try once more, without counting it as a retry.
			c.tokens.invalidate(token)
			refreshed = true
			attempt--
			continue
		}
		delay, ok := c.retryDelay(r, resp.StatusCode, apiErr.RetryAfter, attempt)
		if !ok || attempt >= c.maxAttempts {
			return nil, apiErr
		}
		if dl, has := ctx.Deadline(); has && time.Until(dl) < delay {
			// Waiting would outlive the caller; report the real cause now.
			return nil, apiErr
		}
		if err := c.wait(ctx, r, resp.StatusCode, delay, attempt); err != nil {
			return nil, fmt.Errorf("%w (retrying after: %v)", err, apiErr)
		}
	}
}

// retryDelay decides whether a status is retried and how long to wait first.
func (c *Client) retryDelay(r request, status int, retryAfter time.Duration, attempt int) (time.Duration, bool) {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable:
		// Not processed (or refused before processing): safe for any method.
	case http.StatusGatewayTimeout:
		// The request may have been carried out; repeat only what is safe to repeat.
		if !r.retryable {
			return 0, false
		}
	default:
		return 0, false
	}
	if retryAfter > 0 {
		return min(retryAfter, c.maxRetryAfter), true
	}
	return c.backoffFor(attempt), true
}

// backoffFor is RetryBackoff·2^(attempt-1), capped, plus up to 25% jitter so
// parallel harness workers do not retry in lockstep.
func (c *Client) backoffFor(attempt int) time.Duration {
	d := c.backoff
	for i := 1; i < attempt && d < c.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.maxBackoff)
	return d + rand.N(d/4+1)
}

func (c *Client) wait(ctx context.Context, r request, status int, d time.Duration, attempt int) error {
	c.log.InfoContext(ctx, "api: retrying", "method", r.method, "path", r.path, "status", status, "attempt", attempt, "wait", d)
	if err := c.sleep(ctx, d); err != nil {
		return fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// parseRetryAfter reads delay-seconds or an HTTP date; 0 if absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
