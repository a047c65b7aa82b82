package org

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestFaultMatching(t *testing.T) {
	tests := []struct {
		endpoint, method, path string
		want                   bool
	}{
		{"POST /api/v2/externalcontacts/contacts/merge", "POST", "/api/v2/externalcontacts/contacts/merge", true},
		{"POST /api/v2/externalcontacts/contacts/merge", "GET", "/api/v2/externalcontacts/contacts/merge", false},
		{"post /api/v2/externalcontacts/contacts/merge", "POST", "/api/v2/externalcontacts/contacts/merge", true},
		{"GET /api/v2/externalcontacts/contacts/{contactId}", "GET", "/api/v2/externalcontacts/contacts/abc", true},
		{"GET /api/v2/externalcontacts/contacts/{contactId}", "GET", "/api/v2/externalcontacts/contacts/abc/unresolved", false},
		{"GET /api/v2/externalcontacts/contacts/*", "GET", "/api/v2/externalcontacts/contacts/abc", true},
		{"/api/v2/externalcontacts/**", "DELETE", "/api/v2/externalcontacts/contacts/abc", true},
		{"* /api/v2/externalcontacts/**", "GET", "/api/v2/externalcontacts", true},
		{"/api/v2/externalcontacts/**", "GET", "/api/v2/conversations/x", false},
		{"POST /api/v2/externalcontacts/identifierlookup*", "POST", "/api/v2/externalcontacts/identifierlookup", true},
		{"POST /api/v2/externalcontacts/identifierlookup*/**", "POST", "/api/v2/externalcontacts/identifierlookup/contacts", true},
		{"/oauth/token", "POST", "/oauth/token", true},
	}
	for _, tc := range tests {
		m, segs, prefix, err := parseEndpoint(tc.endpoint)
		if err != nil {
			t.Fatalf("%s: %v", tc.endpoint, err)
		}
		r := &faultRule{method: m, segs: segs, prefix: prefix}
		if got := r.matches(tc.method, tc.path); got != tc.want {
			t.Errorf("%q vs %s %s: %v", tc.endpoint, tc.method, tc.path, got)
		}
	}
	o := New()
	for _, bad := range []Fault{
		{Endpoint: "no-slash", Status: 500},
		{Endpoint: "/a/**/b", Status: 500},
		{Endpoint: "/a/[", Status: 500},
		{Endpoint: "/a", Status: 700},
		{Endpoint: "/a"},
		{Endpoint: "/a", Status: 500, Times: -1},
	} {
		if _, err := o.AddFault(bad); err == nil {
			t.Errorf("AddFault(%+v) accepted", bad)
		}
	}
}

func TestFaultStatusRetryAfterAndCount(t *testing.T) {
	e := newEnv(t)
	c := mustContact(t, e.org, Contact{WorkEmail: "jane@example.com"})
	lookup := ContactIdentifier{Type: "Email", Value: "jane@example.com"}

	id, err := e.org.AddFault(Fault{Endpoint: "POST /api/v2/externalcontacts/identifierlookup/**", Status: 429, RetryAfter: 1500 * time.Millisecond, Times: 2})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r := e.call("POST", lookupPath, lookup)
		checkError(t, r, 429, "too.many.requests")
		if r.header.Get("Retry-After") != "2" {
			t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
		}
	}
	if got := e.call("POST", lookupPath, lookup).must(t, 200).contact(t); got.ID != c.ID {
		t.Fatal("lookup after the fault ran out")
	}
	calls := e.org.Calls()
	if n := len(calls); n != 3 || calls[0].FaultID != id || calls[2].FaultID != 0 || calls[0].Status != 429 {
		t.Fatalf("calls %+v", calls)
	}

	// Status-only faults short-circuit: the merge does not happen.
	eph := mustContact(t, e.org, Contact{Type: TypeEphemeral})
	if _, err := e.org.AddFault(Fault{Endpoint: "POST " + legacyMergePath, Status: 503, Code: "service.down", Message: "try later", Times: 1}); err != nil {
		t.Fatal(err)
	}
	b := checkError(t, e.call("POST", legacyMergePath, MergeRequest{SourceContactID: eph.ID, TargetContactID: c.ID}), 503, "service.down")
	if b.Message != "try later" {
		t.Fatalf("message %q", b.Message)
	}
	if h, _ := e.org.CanonicalID(eph.ID); h != eph.ID {
		t.Fatal("faulted merge was applied")
	}
	e.call("POST", legacyMergePath, MergeRequest{SourceContactID: eph.ID, TargetContactID: c.ID}).must(t, 200)

	// Always-on faults until removed; faults run before auth.
	fid, _ := e.org.AddFault(Fault{Endpoint: "GET /api/v2/conversations/*", Status: 500})
	for range 3 {
		checkError(t, e.callAuth("GET", "/api/v2/conversations/x", "", nil), 500, "internal.server.error")
	}
	e.org.RemoveFault(fid)
	checkError(t, e.call("GET", "/api/v2/conversations/x", nil), 404, "not.found")
	// OAuth can be faulted too.
	e.org.AddFault(Fault{Endpoint: "/oauth/token", Status: 502, Times: 1})
	checkError(t, e.callAuth("POST", "/oauth/token", "", ""), 502, "bad.gateway")
	e.org.ClearFaults()
}

func TestFaultLatency(t *testing.T) {
	e := newEnv(t)
	e.org.AddFault(Fault{Endpoint: "GET /api/v2/externalcontacts/contacts", Latency: 150 * time.Millisecond, Times: 1})
	start := time.Now()
	e.call("GET", contactsPath, nil).must(t, 200)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("latency %v", d)
	}
	start = time.Now()
	e.call("GET", contactsPath, nil).must(t, 200)
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("second call still slow: %v", d)
	}
	calls := e.org.Calls()
	if calls[0].Latency < 150*time.Millisecond || calls[0].Status != 200 || calls[0].FaultID == 0 {
		t.Fatalf("logged %+v", calls[0])
	}

	// Latency + status: delayed, then the error.
	e.org.AddFault(Fault{Endpoint: "GET /api/v2/externalcontacts/contacts", Latency: 50 * time.Millisecond, Status: 500, Times: 1})
	start = time.Now()
	checkError(t, e.call("GET", contactsPath, nil), 500, "internal.server.error")
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("latency not applied with status")
	}

	// A slow request is still processed after a client gives up (lost response).
	e.org.AddFault(Fault{Endpoint: "POST " + contactsPath, Latency: 300 * time.Millisecond, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", e.srv.URL+contactsPath, jsonReader(t, map[string]any{"firstName": "Slow"}))
	req.Header.Set("Authorization", "Bearer "+e.token)
	if _, err := e.srv.Client().Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client err %v", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for len(e.org.Contacts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(e.org.Contacts()) != 1 {
		t.Fatal("slow create was not processed")
	}
}

func TestFaultTimeout(t *testing.T) {
	e := newEnv(t)
	// Held until the client's context ends; never processed.
	e.org.AddFault(Fault{Endpoint: "POST " + contactsPath, Timeout: true, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", e.srv.URL+contactsPath, jsonReader(t, map[string]any{"firstName": "X"}))
	req.Header.Set("Authorization", "Bearer "+e.token)
	start := time.Now()
	_, err := e.srv.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client err %v", err)
	}
	if d := time.Since(start); d < 100*time.Millisecond || d > 2*time.Second {
		t.Fatalf("held %v", d)
	}
	waitFor(t, func() bool { return len(e.org.Calls()) == 1 })
	if c := e.org.Calls()[0]; !c.Canceled || c.Status != 0 {
		t.Fatalf("logged %+v", c)
	}
	if len(e.org.Contacts()) != 0 {
		t.Fatal("timed-out request was processed")
	}

	// With a cap, the server gives up first: 504 by default, or Status.
	e.org.AddFault(Fault{Endpoint: "GET /api/v2/externalcontacts/contacts", Timeout: true, TimeoutCap: 80 * time.Millisecond, Times: 1})
	start = time.Now()
	checkError(t, e.call("GET", contactsPath, nil), 504, "gateway.timeout")
	if time.Since(start) < 80*time.Millisecond {
		t.Fatal("cap not honoured")
	}
	o2 := newEnv(t, WithTimeoutCap(50*time.Millisecond))
	o2.org.AddFault(Fault{Endpoint: "/api/v2/**", Timeout: true, Status: 503, Times: 1})
	checkError(t, o2.call("GET", contactsPath, nil), 503, "service.unavailable")
}

func TestFaultCountUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	e.org.AddFault(Fault{Endpoint: "GET " + contactsPath, Status: 500, Times: 7})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 40 {
		wg.Go(func() {
			r := e.call("GET", contactsPath, nil)
			mu.Lock()
			statuses[r.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[500] != 7 || statuses[200] != 33 {
		t.Fatalf("statuses %v", statuses)
	}
}

func TestCallLog(t *testing.T) {
	e := newEnv(t, WithCallLogLimit(5))
	c, _ := e.org.StartConversation(StartConversationOptions{})
	r := e.call("GET", "/api/v2/conversations/"+c.ID, nil).must(t, 200)
	e.call("GET", contactsPath+"/"+c.Customer.ExternalContactID+"?expand=identifiers", nil).must(t, 200)
	checkError(t, e.callAuth("GET", contactsPath, "", nil), 401, "bad.credentials")
	calls := e.org.Calls()
	if len(calls) != 3 {
		t.Fatalf("calls %+v", calls)
	}
	first := calls[0]
	if first.Method != "GET" || first.Path != "/api/v2/conversations/"+c.ID || first.Route != "GET /api/v2/conversations/{conversationId}" ||
		first.Status != 200 || first.ConversationID != c.ID || first.ClientID != testClientID || first.CorrelationID != r.header.Get(CorrelationHeader) ||
		first.Latency <= 0 || first.Time.IsZero() || first.Seq != 1 {
		t.Fatalf("first call %+v", first)
	}
	if calls[1].Path != contactsPath+"/"+c.Customer.ExternalContactID || calls[1].Query != "expand=identifiers" || calls[1].ConversationID != "" {
		t.Fatalf("second call %+v", calls[1])
	}
	if calls[2].Status != 401 || calls[2].ClientID != "" || calls[2].Route != "" {
		t.Fatalf("third call %+v", calls[2])
	}
	if got := e.org.CallsFor(c.ID); len(got) != 1 {
		t.Fatalf("CallsFor %+v", got)
	}
	for range 4 {
		e.call("GET", contactsPath, nil)
	}
	if calls = e.org.Calls(); len(calls) != 5 || calls[0].Seq != 3 {
		t.Fatalf("bounded log: %d calls, first seq %d", len(calls), calls[0].Seq)
	}
	e.org.ResetCalls()
	if len(e.org.Calls()) != 0 {
		t.Fatal("reset")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
