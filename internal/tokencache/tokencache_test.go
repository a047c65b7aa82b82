package tokencache

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestSharesOneFetchAndRefreshesEarly(t *testing.T) {
	var fetches atomic.Int32
	release := make(chan struct{})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	c := &Cache{
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
	}
	fetch := func(ctx context.Context) (string, time.Duration, error) {
		n := fetches.Add(1)
		<-release
		return "t" + strconv.Itoa(int(n)), 100 * time.Second, nil
	}
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = c.Token(t.Context(), fetch) })
	}
	// A caller that gives up does not fail the shared fetch.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Token(ctx, fetch); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled caller: %v", err)
	}
	close(release)
	wg.Wait()
	for _, g := range got {
		if g != "t1" {
			t.Fatalf("callers got %v, want one shared token", got)
		}
	}
	// 100 s lifetime: replaced 10 s early.
	mu.Lock()
	now = now.Add(89 * time.Second)
	mu.Unlock()
	if tok, _ := c.Token(t.Context(), fetch); tok != "t1" {
		t.Fatalf("before the margin: %s", tok)
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	if tok, _ := c.Token(t.Context(), fetch); tok != "t2" {
		t.Fatalf("inside the margin: %s", tok)
	}
	c.Invalidate("t1") // not the current one: no effect
	if tok, _ := c.Token(t.Context(), fetch); tok != "t2" || c.Current() != "t2" {
		t.Fatalf("after invalidating a stale token: %s", tok)
	}
	c.Invalidate("t2")
	if tok, _ := c.Token(t.Context(), fetch); tok != "t3" {
		t.Fatalf("after invalidating: %s", tok)
	}
}

func TestZeroLifetimeIsNotCachedAndErrorsAreNot(t *testing.T) {
	n := 0
	c := &Cache{}
	fetch := func(context.Context) (string, time.Duration, error) {
		n++
		if n == 2 {
			return "", 0, errors.New("down")
		}
		return "once" + strconv.Itoa(n), 0, nil
	}
	a, _ := c.Token(t.Context(), fetch)
	if _, err := c.Token(t.Context(), fetch); err == nil {
		t.Fatal("the failing fetch was not made: the zero-lifetime token was cached")
	}
	b, _ := c.Token(t.Context(), fetch)
	if a != "once1" || b != "once3" {
		t.Fatalf("got %s, %s", a, b)
	}
}
