// Package tokencache caches an OAuth bearer token until shortly before it
// expires, with one fetch in flight at a time shared by concurrent callers.
// The Platform API client (internal/platform/api) and the emulated data-action runtime
// (internal/emulator/dataaction) both use it for the client-credentials grant
// (api.md 6).
package tokencache

import (
	"context"
	"sync"
	"time"
)

// Fetch obtains a new token and its lifetime. A lifetime of zero or less
// means the token is used once and not cached.
type Fetch func(ctx context.Context) (token string, lifetime time.Duration, err error)

// Cache holds the current token. The zero value is ready to use.
type Cache struct {
	Now func() time.Time // nil: time.Now

	mu       sync.Mutex
	token    string
	refresh  time.Time // fetch a new token from this instant on
	inflight *call     // non-nil while a fetch runs
}

type call struct {
	done  chan struct{}
	token string
	err   error
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// RefreshMargin is how long before expiry a cached token is replaced: a
// tenth of its lifetime, at most a minute, so a token never expires
// mid-request.
func RefreshMargin(lifetime time.Duration) time.Duration { return min(lifetime/10, time.Minute) }

// Token returns the cached token, or fetches one with fetch. The fetch runs
// detached from ctx: if the caller that started it gives up, the others
// waiting on the same fetch do not fail with its cancellation.
func (c *Cache) Token(ctx context.Context, fetch Fetch) (string, error) {
	c.mu.Lock()
	if c.token != "" && c.now().Before(c.refresh) {
		t := c.token
		c.mu.Unlock()
		return t, nil
	}
	f := c.inflight
	if f == nil {
		f = &call{done: make(chan struct{})}
		c.inflight = f
		// The fetch bounds its own time (each caller's fetch sets a timeout).
		go c.fetch(context.WithoutCancel(ctx), fetch, f)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

func (c *Cache) fetch(ctx context.Context, fetch Fetch, f *call) {
	start := c.now()
	tok, lifetime, err := fetch(ctx)
	c.mu.Lock()
	if err == nil {
		c.token = tok
		c.refresh = start.Add(lifetime - RefreshMargin(lifetime))
	}
	c.inflight = nil
	c.mu.Unlock()
	f.token, f.err = tok, err
	close(f.done)
}

// Invalidate drops the cached token if it is still the one given: after the
// server rejects a token with 401, the next Token fetches a new one.
func (c *Cache) Invalidate(token string) {
	c.mu.Lock()
	if c.token == token {
		c.token = ""
	}
	c.mu.Unlock()
}

// Current is the last token fetched (possibly expired), or "": what to
// scrub from text a server might echo.
func (c *Cache) Current() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}
