package org

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Call is one HTTP request the org served.
type Call struct {
	Seq            int64
	Time           time.Time // when the request arrived
	Method         string
	Path           string // as requested, id segments kept
	Query          string
	Route          string // matched route pattern, e.g. "GET /api/v2/externalcontacts/contacts/{contactId}"
	Status         int    // 0 when the client went away before a response
	Latency        time.Duration
	ConversationID string // the conversation the call concerned, when known
	ClientID       string // authenticated OAuth client
	CorrelationID  string // inin-correlation-id
	FaultID        FaultID
	Canceled       bool // the client's context ended while a fault held the request
}

type callLog struct {
	mu    sync.Mutex
	calls []Call
	seq   int64
}

// callInfo collects per-request facts handlers learn (route, conversation,
// client) for the log entry written when the request ends.
type callInfo struct {
	route          string
	conversationID string
	clientID       string
	correlationID  string
	faultID        FaultID
	canceled       bool
}

type callInfoKey struct{}

func callInfoFrom(r *http.Request) *callInfo {
	ci, _ := r.Context().Value(callInfoKey{}).(*callInfo)
	return ci
}

func withCallInfo(ctx context.Context, ci *callInfo) context.Context {
	return context.WithValue(ctx, callInfoKey{}, ci)
}

func (o *Org) logCall(c Call) {
	l := &o.calls
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	c.Seq = l.seq
	l.calls = append(l.calls, c)
	// Trim in batches (a quarter of the limit at a time), so a full log
	// costs amortised O(1) per call instead of moving the whole log each
	// time; readers see only the newest callLimit entries.
	if n := o.callLimit; n > 0 && len(l.calls) > n+n/4 {
		l.calls = slices.Delete(l.calls, 0, len(l.calls)-n)
	}
}

// liveCalls is the visible log (the newest callLimit entries); call with
// o.calls.mu held.
func (o *Org) liveCalls() []Call {
	cs := o.calls.calls
	if n := o.callLimit; n > 0 && len(cs) > n {
		cs = cs[len(cs)-n:]
	}
	return cs
}

// Calls returns the call log, oldest first.
func (o *Org) Calls() []Call {
	o.calls.mu.Lock()
	defer o.calls.mu.Unlock()
	return slices.Clone(o.liveCalls())
}

// CallsFor returns the calls that concerned one conversation.
func (o *Org) CallsFor(conversationID string) []Call {
	o.calls.mu.Lock()
	defer o.calls.mu.Unlock()
	var out []Call
	for _, c := range o.liveCalls() {
		if c.ConversationID == conversationID {
			out = append(out, c)
		}
	}
	return out
}

// ResetCalls empties the call log.
func (o *Org) ResetCalls() {
	o.calls.mu.Lock()
	o.calls.calls = nil
	o.calls.mu.Unlock()
}
