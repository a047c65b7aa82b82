package org

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"github.com/bpgen/bpgen/internal/platform/guest"
	"github.com/bpgen/bpgen/internal/platform/guest/protocol"
	"github.com/bpgen/bpgen/internal/testutil"
)

// retained is what an org holds per conversation, counted.
type retained struct {
	convs, order, settled, refs, open, contacts, index, calls int
}

func (o *Org) retainedState() retained {
	o.mu.RLock()
	defer o.mu.RUnlock()
	o.calls.mu.Lock()
	defer o.calls.mu.Unlock()
	return retained{
		convs: len(o.convs), order: len(o.convOrder), settled: len(o.settled), refs: len(o.convRefs),
		open: len(o.openActive), contacts: len(o.contacts), index: len(o.index), calls: len(o.calls.calls),
	}
}

// 2,000 conversations of every kind through an org that keeps 50: what it
// holds stays at the limit (plus the one conversation still active), the
// state that existed only for evicted conversations goes with them, and
// what must survive does: the active conversation, a returning sender's
// Ephemeral contact while a retained conversation uses it, a merged
// contact, the seeded contact.
func TestConversationLimitBoundsRetainedState(t *testing.T) {
	const limit, runs = 50, 2000
	o := New(WithConversationLimit(limit))
	src := must(o.CreateExternalSource(ExternalSource{Name: "OM"}))
	in := must(o.AddOpenIntegration(OpenIntegration{Name: "IR", ExternalSourceID: src.ID}))
	jane := mustContact(t, o, Contact{FirstName: "Jane", WorkEmail: "jane@example.com"})

	active := must(o.StartConversation(StartConversationOptions{Text: "still here"}))
	// One early conversation's Ephemeral contact is merged into Jane: the
	// merge is contact history, not conversation state, and stays.
	early := must(o.StartConversation(StartConversationOptions{Text: "hi"}))
	merged := must(o.MergeContacts([]string{early.Customer.ExternalContactID, jane.ID}, nil))
	must0(t, o.DisconnectConversation(early.ID))

	var first, regular, lastUnknown string
	var evictedEphemeral string
	for i := range runs {
		var id string
		switch i % 4 {
		case 0: // web messaging: an Ephemeral contact per conversation
			c := must(o.StartConversation(StartConversationOptions{Text: "hi", CustomAttributes: map[string]string{"k": fmt.Sprint(i)}}))
			_ = must(o.SendOutboundMessage(c.ID, "What is your email address?"))
			_ = must(o.SendCustomerMessage(c.ID, "nobody@example.com"))
			must0(t, o.DisconnectConversation(c.ID))
			id = c.ID
			if i == 0 {
				evictedEphemeral = c.Customer.ExternalContactID
			}
		case 1: // a new open-messaging sender, handed to a queue and released
			r := must(o.ReceiveOpenMessage(in.ID, OpenInboundMessage{From: OpenFrom{ID: fmt.Sprint("sender-", i)}, Text: "hi"}))
			must0(t, o.ReleaseConversation(r.ConversationID))
			id, lastUnknown = r.ConversationID, r.Conversation.Customer.ExternalContactID
		case 2: // a returning sender: resolution links their first Ephemeral contact
			r := must(o.ReceiveOpenMessage(in.ID, OpenInboundMessage{From: OpenFrom{ID: "regular"}, Text: "hi again"}))
			got := r.Conversation.Resolution.ContactID
			if regular == "" {
				regular = got
			} else if got != regular || r.Conversation.Resolution.Outcome != "linked" {
				t.Fatalf("conversation %d: the returning sender resolved to %s (%s), want their contact %s", i, got, r.Conversation.Resolution.Outcome, regular)
			}
			must0(t, o.DisconnectConversation(r.ConversationID))
			id = r.ConversationID
		case 3: // a known sender, linked and associated
			r := must(o.ReceiveOpenMessage(in.ID, OpenInboundMessage{From: OpenFrom{ID: fmt.Sprint("j-", i), IDType: "Opaque", Email: "jane@example.com"}, Text: "hi"}))
			must0(t, o.AssociateConversation(ConversationAssociation{ExternalContactID: merged.ID, ConversationID: r.ConversationID,
				CommunicationID: r.Conversation.Customer.CommunicationID, MediaType: "MESSAGE"}))
			must0(t, o.DisconnectConversation(r.ConversationID))
			id = r.ConversationID
		}
		if i == 0 {
			first = id
		}
		if s := o.retainedState(); s.convs > limit+1 || s.settled > limit {
			t.Fatalf("after %d conversations the org holds %d (%d settled), want at most %d", i+1, s.convs, s.settled, limit+1)
		}
	}

	s := o.retainedState()
	if s.convs != limit+1 {
		t.Errorf("retained conversations %d, want %d (the last %d settled and the active one)", s.convs, limit+1, limit)
	}
	// Jane, the merge result, the merged Ephemeral, the active
	// conversation's, and at most one per retained conversation.
	if maxContacts := 4 + limit; s.contacts > maxContacts {
		t.Errorf("%d contacts after %d conversations, want at most %d", s.contacts, runs, maxContacts)
	}
	if s.order > 2*s.convs+1 || s.refs > 2*s.convs || s.open > s.convs || s.index > 4*s.contacts {
		t.Errorf("per-conversation bookkeeping grows: %+v", s)
	}
	if got := len(o.Conversations()); got != s.convs {
		t.Errorf("Conversations lists %d, the org holds %d", got, s.convs)
	}

	if _, err := o.Conversation(first); StatusOf(err) != http.StatusNotFound {
		t.Errorf("the first conversation: %v, want 404 (evicted)", err)
	}
	if _, err := o.RawContact(evictedEphemeral); StatusOf(err) != http.StatusNotFound {
		t.Errorf("the Ephemeral contact of an evicted web conversation: %v, want 404", err)
	}
	if c, err := o.Conversation(active.ID); err != nil || c.State != StateConnected {
		t.Errorf("the active conversation: %v %+v", err, c)
	}
	for name, id := range map[string]string{"active conversation's Ephemeral": active.Customer.ExternalContactID,
		"returning sender's": regular, "last new sender's": lastUnknown, "seeded": jane.ID, "merged Ephemeral": early.Customer.ExternalContactID} {
		if _, err := o.RawContact(id); err != nil {
			t.Errorf("the %s contact is gone: %v", name, err)
		}
	}
}

// A guest session exists for its conversation: when the org evicts the
// conversation, a session nobody is connected to goes too, and a guest
// still connected starts a new conversation with its next message.
func TestConversationLimitForgetsGuestSessions(t *testing.T) {
	const limit, guests = 3, 12
	e := newGuestEnv(t, WithConversationLimit(limit))
	ctx := ctxT(t)
	stay := e.mustDial(t, nil)
	must0(t, stay.Send(ctx, "first", nil))
	waitEcho(t, stay, "first")
	firstConv := e.conversationsOf(e.dep.ID)[0].ID
	must0(t, e.org.DisconnectConversation(firstConv))
	for i := range guests {
		// A guest that goes away without closeSession (a closed browser
		// tab): only eviction can end its session.
		vanishingGuest(t, e, fmt.Sprint("guest ", i))
		for _, c := range e.org.Conversations() {
			if c.State == StateConnected {
				must0(t, e.org.DisconnectConversation(c.ID))
			}
		}
	}
	if _, err := e.org.Conversation(firstConv); StatusOf(err) != http.StatusNotFound {
		t.Fatalf("the connected guest's conversation was not evicted: %v", err)
	}
	// Still connected: its next message starts a new conversation.
	must0(t, stay.Send(ctx, "again", nil))
	waitEcho(t, stay, "again")
	e.org.CloseGuestSessions() // every handler has returned
	h := &e.org.guests
	h.mu.Lock()
	sessions, routes := len(h.sessions), len(h.byConv)
	h.mu.Unlock()
	if sessions > limit+1 || routes > limit+1 {
		t.Errorf("after %d guests the org keeps %d sessions and %d routes, want at most %d", guests+1, sessions, routes, limit+1)
	}
}

// vanishingGuest opens a guest session, says text, waits for the echo and
// drops the socket without closeSession.
func vanishingGuest(t *testing.T, e *guestEnv, text string) {
	t.Helper()
	ctx := ctxT(t)
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http")+protocol.Path+"?deploymentId="+e.dep.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	token := newUUID()
	for _, r := range []protocol.Request{protocol.ConfigureSession(token, e.dep.ID, "t1"), protocol.TextMessage(token, text, nil, "t2")} {
		b, _ := json.Marshal(r)
		must0(t, ws.Write(ctx, websocket.MessageText, b))
	}
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("no echo of %q: %v", text, err)
		}
		if strings.Contains(string(b), text) {
			return
		}
	}
}

func waitEcho(t *testing.T, s *guest.Session, text string) {
	t.Helper()
	if _, err := s.WaitFor(ctxT(t), func(f *guest.Frame) bool { return f.IsEcho() && f.Message.Text == text }); err != nil {
		t.Fatalf("no echo of %q: %v", text, err)
	}
}

// BenchmarkConversationRetention reports what an org keeps per
// conversation: with the limit the heap stays flat however many
// conversations run (retained-B/conv falls towards 0 as b.N grows); without
// it every conversation's record, messages and Ephemeral contact stay.
func BenchmarkConversationRetention(b *testing.B) {
	for _, bc := range []struct {
		name  string
		limit int
	}{{"Keep1000", 1000}, {"KeepAll", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			o := New(WithConversationLimit(bc.limit))
			b.ReportAllocs()
			before := testutil.LiveHeap()
			for i := 0; b.Loop(); i++ {
				c, err := o.StartConversation(StartConversationOptions{Text: "hi", CustomAttributes: map[string]string{"customer.email": fmt.Sprintf("c%d@example.com", i)}})
				if err != nil {
					b.Fatal(err)
				}
				_, _ = o.SendOutboundMessage(c.ID, "What is your email address?")
				_, _ = o.SendCustomerMessage(c.ID, "nobody@example.com")
				_ = o.DisconnectConversation(c.ID)
			}
			b.StopTimer()
			after := testutil.LiveHeap()
			b.ReportMetric(float64(max(after-before, 0))/float64(b.N), "retained-B/conv")
			b.ReportMetric(float64(o.RetainedConversations()), "retained-convs")
		})
	}
}

func must0(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The call log follows the conversation limit unless it is set itself.
func TestConversationLimitSizesTheCallLog(t *testing.T) {
	if got := New(WithConversationLimit(10)).callLimit; got != 10*CallsPerConversation {
		t.Errorf("call log limit %d, want %d", got, 10*CallsPerConversation)
	}
	if got := New(WithConversationLimit(10), WithCallLogLimit(7)).callLimit; got != 7 {
		t.Errorf("call log limit %d, want the explicit 7", got)
	}
}

// The call log keeps its newest entries within its limit, trimming in
// batches rather than on every call.
func TestCallLogStaysWithinItsLimit(t *testing.T) {
	const limit = 100
	o := New(WithCallLogLimit(limit))
	for range 1000 {
		o.logCall(Call{Method: "GET", Path: "/api/v2/x"})
	}
	calls := o.Calls()
	if len(calls) != limit || calls[0].Seq != 901 || calls[limit-1].Seq != 1000 {
		t.Fatalf("Calls() = %d entries, seq %d..%d; want the newest %d (901..1000)", len(calls), calls[0].Seq, calls[len(calls)-1].Seq, limit)
	}
	if n := o.retainedState().calls; n > limit+limit/4 {
		t.Errorf("the log holds %d entries, over its limit %d plus the trimming batch", n, limit)
	}
}

// Concurrent conversations settle and evict under one lock: whatever the
// interleaving, the org ends at the limit with its bookkeeping consistent.
func TestConversationLimitUnderConcurrency(t *testing.T) {
	const limit, workers, each = 20, 4, 250
	o := New(WithConversationLimit(limit))
	in := must(o.AddOpenIntegration(OpenIntegration{Name: "IR"}))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				r, err := o.ReceiveOpenMessage(in.ID, OpenInboundMessage{From: OpenFrom{ID: fmt.Sprint(w, "-", i%7)}, Text: "hi"})
				if err != nil {
					t.Error(err)
					return
				}
				if i%2 == 0 {
					_ = o.ReleaseConversation(r.ConversationID)
				}
				_ = o.DisconnectConversation(r.ConversationID)
			}
		})
	}
	wg.Wait()
	s := o.retainedState()
	if s.convs != limit || s.settled != limit || s.open != 0 || s.refs > limit || s.contacts > limit {
		t.Errorf("after %d conversations: %+v, want %d conversations, none open, at most one contact each", workers*each, s, limit)
	}
}

// A guest that opens a session and leaves without a message leaves nothing
// behind, so page loads that open Messenger do not grow the org.
func TestGuestSessionWithoutConversationIsForgotten(t *testing.T) {
	e := newGuestEnv(t)
	ctx := ctxT(t)
	const guests = 10
	for range guests {
		ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http")+protocol.Path+"?deploymentId="+e.dep.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(protocol.ConfigureSession(newUUID(), e.dep.ID, "t1"))
		must0(t, ws.Write(ctx, websocket.MessageText, b))
		if _, _, err := ws.Read(ctx); err != nil { // the SessionResponse
			t.Fatal(err)
		}
		ws.CloseNow()
	}
	e.org.CloseGuestSessions() // every handler has returned
	h := &e.org.guests
	h.mu.Lock()
	n := len(h.sessions)
	h.mu.Unlock()
	if n != 0 {
		t.Errorf("%d sessions kept after %d guests left without a message", n, guests)
	}
}

// An evicted conversation's id may start a new conversation; it is listed
// once.
func TestEvictedIDCanStartAgain(t *testing.T) {
	o := New(WithConversationLimit(1))
	const id = "0b7a3c55-5d7e-4d35-9a43-1d3f6b3f7c11"
	for range 2 {
		must0(t, o.DisconnectConversation(must(o.StartConversation(StartConversationOptions{ConversationID: id, Text: "hi"})).ID))
		must0(t, o.DisconnectConversation(must(o.StartConversation(StartConversationOptions{Text: "hi"})).ID))
	}
	_ = must(o.StartConversation(StartConversationOptions{ConversationID: id, Text: "again"}))
	n := 0
	for _, c := range o.Conversations() {
		if c.ID == id {
			n++
		}
	}
	if n != 1 || len(o.Conversations()) != o.RetainedConversations() {
		t.Errorf("the reused id is listed %d times; %d listed, %d held", n, len(o.Conversations()), o.RetainedConversations())
	}
}
