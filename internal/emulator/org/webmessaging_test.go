package org

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/bpgen/bpgen/internal/platform/guest"
	"github.com/bpgen/bpgen/internal/platform/guest/protocol"
)

type guestEnv struct {
	*apiEnv
	flow Flow
	dep  WebDeployment
}

func newGuestEnv(t *testing.T, opts ...Option) *guestEnv {
	t.Helper()
	e := newAPIEnv(t, opts...)
	flow := publish(t, e.org, "IR Message Flow", FlowTypeInboundShortMessage)
	cfg := must(e.org.CreateMessengerConfiguration(MessengerConfiguration{Name: "Messenger"}))
	dep := must(e.org.CreateWebDeployment(WebDeployment{Name: "Messenger", FlowID: flow.ID, ConfigurationID: cfg.ID, AllowedDomains: []string{"shop.example.com"}}))
	return &guestEnv{apiEnv: e, flow: flow, dep: dep}
}

func (e *guestEnv) dial(t *testing.T, mod func(*guest.Options)) (*guest.Session, error) {
	t.Helper()
	// Any Origin is accepted, allowed domains or not.
	opts := guest.Options{URL: e.srv.URL, DeploymentID: e.dep.ID, Origin: "https://elsewhere.example.net", KeepAlive: -1}
	if mod != nil {
		mod(&opts)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	s, err := guest.Dial(ctx, opts)
	if err == nil {
		t.Cleanup(func() { s.Close(context.Background()) })
	}
	return s, err
}

func (e *guestEnv) mustDial(t *testing.T, mod func(*guest.Options)) *guest.Session {
	t.Helper()
	s, err := e.dial(t, mod)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// identityBot stands in for the flow runtime: it answers through the org,
// never through the socket. Two replies go out back to back, so a guest
// that waits for the second one first must tolerate the order.
func identityBot(o *Org) (cancel func()) {
	return o.Subscribe(func(ev Event) {
		if ev.Type != EventCustomerMessage {
			return
		}
		switch text := ev.Message.Text; {
		case strings.Contains(text, "@"):
			_, _ = o.SendOutboundMessage(ev.ConversationID, "Thanks, one moment.")
			_, _ = o.SendOutboundMessage(ev.ConversationID, "Customer ID: "+ev.Conversation.Customer.ExternalContactID)
		default:
			_, _ = o.SendOutboundMessage(ev.ConversationID, "What is your email address?")
		}
	})
}

func (e *guestEnv) conversationsOf(deploymentID string) []Conversation {
	var out []Conversation
	for _, c := range e.org.Conversations() {
		if c.DeploymentID == deploymentID {
			out = append(out, c)
		}
	}
	return out
}

func TestGuestSession(t *testing.T) {
	e := newGuestEnv(t)
	defer identityBot(e.org)()
	ctx := ctxT(t)
	s := e.mustDial(t, nil)
	if info := s.Info(); !info.Connected || !info.NewSession || info.MaxCustomDataBytes != MaxCustomDataBytes || info.DurationSeconds <= 0 {
		t.Fatalf("SessionResponse %+v", info)
	}

	attrs := map[string]string{"testRunId": "run-1", "customer.email": "jane@example.com"}
	if err := s.Send(ctx, "hi", attrs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitForOutboundText(ctx, "email address"); err != nil {
		t.Fatal(err)
	}
	echo, err := s.WaitFor(ctx, func(f *guest.Frame) bool { return f.IsEcho() && f.Message.Text == "hi" })
	if err != nil {
		t.Fatal(err)
	}
	convs := e.conversationsOf(e.dep.ID)
	if len(convs) != 1 {
		t.Fatalf("conversations %+v", convs)
	}
	c := convs[0]
	if c.Channel != ChannelWebMessaging || c.FlowID != e.flow.ID || c.Workflow.Name != "IR Message Flow" || c.Resolution.Outcome != "created" ||
		c.Customer.Attributes["testRunId"] != "run-1" || c.Customer.Attributes["customer.email"] != "jane@example.com" {
		t.Fatalf("conversation %+v", c)
	}
	if echo.Message.ID != c.Messages[0].ID || echo.Message.Channel == nil || echo.Message.Channel.Time == "" {
		t.Fatalf("echo %+v of %+v", echo.Message, c.Messages[0])
	}
	// The participant data is what the harness reads through the API, too.
	apiConv := must(e.c.GetConversation(ctx, c.ID))
	if cust := apiConv.Customer(); cust == nil || cust.Attributes["testRunId"] != "run-1" || cust.ExternalContactID != c.Customer.ExternalContactID {
		t.Fatalf("GetConversation customer %+v", apiConv.Customer())
	}

	// Later attributes merge into participant data; the two replies are
	// waited for in the opposite order of arrival.
	if err := s.Send(ctx, "jane@example.com", map[string]string{"extra": "x"}); err != nil {
		t.Fatal(err)
	}
	idFrame, err := s.WaitForOutboundText(ctx, "Customer ID:")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitForOutboundText(ctx, "one moment"); err != nil {
		t.Fatal(err)
	}
	if idFrame.Message.OriginatingEntity != protocol.OriginatingEntityBot || idFrame.Message.Direction != protocol.DirectionOutbound {
		t.Fatalf("outbound frame %+v", idFrame.Message)
	}
	want := []string{"What is your email address?", "Thanks, one moment.", "Customer ID: " + c.Customer.ExternalContactID}
	if got := s.Transcript(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("transcript %q, want %q", got, want)
	}
	c = must(e.org.Conversation(c.ID))
	if c.Customer.Attributes["extra"] != "x" || c.Customer.Attributes["testRunId"] != "run-1" || len(c.Messages) != 5 {
		t.Fatalf("after the second message %+v", c)
	}

	// The conversation ending reaches the guest as a Presence Disconnect
	// event; the next message starts a new conversation.
	if err := e.org.DisconnectConversation(c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitFor(ctx, func(f *guest.Frame) bool {
		m := f.Message
		return m != nil && m.Type == protocol.MessageTypeEvent && len(m.Events) == 1 && m.Events[0].Presence != nil && m.Events[0].Presence.Type == protocol.PresenceDisconnect
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, "back again", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitFor(ctx, func(f *guest.Frame) bool { return f.IsEcho() && f.Message.Text == "back again" }); err != nil {
		t.Fatal(err)
	}
	if convs := e.conversationsOf(e.dep.ID); len(convs) != 2 || convs[1].State != StateConnected || convs[1].Messages[0].Text != "back again" {
		t.Fatalf("after the disconnect %+v", convs)
	}

	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// The call is logged when the handler returns, just after the session's
	// connection closes.
	e.org.CloseGuestSessions()
	var ws *Call
	waitFor(t, func() bool {
		for _, call := range e.org.Calls() {
			if call.Route == "GET /v1" {
				ws = &call
			}
		}
		return ws != nil
	})
	if ws.Status != 101 || !strings.Contains(ws.Query, "deploymentId="+e.dep.ID) {
		t.Fatalf("WebSocket call log entry %+v", ws)
	}
}

func TestGuestUnknownDeployment(t *testing.T) {
	e := newGuestEnv(t)
	inactive := must(e.org.CreateWebDeployment(WebDeployment{Name: "off", FlowID: e.flow.ID, ConfigurationID: e.dep.ConfigurationID, Status: StatusInactive}))
	for _, id := range []string{"no-such-deployment", inactive.ID} {
		_, err := e.dial(t, func(o *guest.Options) { o.DeploymentID = id })
		var se *guest.ServerError
		if !errors.As(err, &se) || se.Code != 400 || se.Text != TextDeploymentNotFound {
			t.Fatalf("deployment %s: %v", id, err)
		}
	}
}

func TestGuestJoinResumeAndLimits(t *testing.T) {
	e := newGuestEnv(t)
	ctx := ctxT(t)
	s := e.mustDial(t, nil)

	// Join starts the conversation with attributes and no message.
	if err := s.Join(ctx, map[string]string{"crmId": "c-1"}); err != nil {
		t.Fatal(err)
	}
	var conv Conversation
	waitFor(t, func() bool {
		convs := e.conversationsOf(e.dep.ID)
		if len(convs) == 1 {
			conv = convs[0]
		}
		return len(convs) == 1
	})
	if conv.Customer.Attributes["crmId"] != "c-1" || len(conv.Messages) != 0 {
		t.Fatalf("joined conversation %+v", conv)
	}

	// Too many attribute bytes: a 4013 error frame, nothing delivered.
	if err := s.Send(ctx, "hello", map[string]string{"big": strings.Repeat("x", MaxCustomDataBytes)}); err != nil {
		t.Fatal(err)
	}
	_, err := s.WaitForOutboundText(ctx, "never")
	var se *guest.ServerError
	if !errors.As(err, &se) || se.Code != CodeCustomAttributesTooLarge {
		t.Fatalf("oversized attributes: %v", err)
	}
	if c := must(e.org.Conversation(conv.ID)); len(c.Messages) != 0 {
		t.Fatalf("an oversized message was delivered: %+v", c.Messages)
	}

	// A second connection with the same token resumes the session: both see
	// what the org sends.
	s2 := e.mustDial(t, func(o *guest.Options) { o.Token = s.Token() })
	if s2.Info().NewSession {
		t.Fatal("resumed session reported as new")
	}
	if err := s2.Send(ctx, "from the second tab", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitFor(ctx, func(f *guest.Frame) bool { return f.IsEcho() && f.Message.Text == "from the second tab" }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.org.SendOutboundMessage(conv.ID, "hello both"); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*guest.Session{s, s2} {
		if _, err := x.WaitForOutboundText(ctx, "hello both"); err != nil {
			t.Fatal(err)
		}
	}
	if convs := e.conversationsOf(e.dep.ID); len(convs) != 1 {
		t.Fatalf("the resumed session started another conversation: %d", len(convs))
	}

	// closeSession (closeAllConnections) ends both connections.
	if err := s2.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitFor(ctx, func(*guest.Frame) bool { return false }); !errors.Is(err, guest.ErrClosed) {
		var se *guest.ServerError
		if !errors.As(err, &se) || se.Class != protocol.ClassConnectionClosedEvent {
			t.Fatalf("the first connection after closeSession: %v", err)
		}
	}
}

// rawGuest speaks the protocol without the guest client, to send what a
// well-behaved client never would.
type rawGuest struct {
	t    *testing.T
	conn *websocket.Conn
}

func (e *guestEnv) raw(t *testing.T) *rawGuest {
	t.Helper()
	conn, _, err := websocket.Dial(ctxT(t), "ws"+strings.TrimPrefix(e.srv.URL, "http")+protocol.Path+"?deploymentId="+e.dep.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return &rawGuest{t: t, conn: conn}
}

func (g *rawGuest) roundTrip(frame string) protocol.Frame {
	g.t.Helper()
	ctx := ctxT(g.t)
	if err := g.conn.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		g.t.Fatal(err)
	}
	_, data, err := g.conn.Read(ctx)
	if err != nil {
		g.t.Fatal(err)
	}
	f, err := protocol.DecodeFrame(data)
	if err != nil {
		g.t.Fatal(err)
	}
	return f
}

func TestGuestProtocolErrors(t *testing.T) {
	e := newGuestEnv(t)
	g := e.raw(t)
	cases := []struct {
		name, frame string
		code        int
		class       string
	}{
		{"not JSON", `{"action":`, 400, protocol.ClassString},
		{"no token", `{"action":"onMessage"}`, 400, protocol.ClassString},
		{"message before configureSession", `{"action":"onMessage","token":"t1","message":{"type":"Text","text":"hi"},"tracingId":"m1"}`, 400, protocol.ClassString},
		{"keep-alive before configureSession", `{"action":"echo","token":"t1","tracingId":"` + protocol.HealthCheckTracingID + `","message":{"type":"Text","text":"ping"}}`, 200, protocol.ClassStructuredMessage},
		{"configure", `{"action":"configureSession","token":"t1","deploymentId":"` + e.dep.ID + `","tracingId":"c1"}`, 200, protocol.ClassSessionResponse},
		{"another token on this connection", `{"action":"onMessage","token":"t2","message":{"type":"Text","text":"hi"}}`, 400, protocol.ClassString},
		{"empty text", `{"action":"onMessage","token":"t1","message":{"type":"Text","text":"  "}}`, 400, protocol.ClassString},
		{"unknown message type", `{"action":"onMessage","token":"t1","message":{"type":"Video"}}`, 400, protocol.ClassString},
		{"unsupported action", `{"action":"getJwt","token":"t1","tracingId":"j1"}`, 400, protocol.ClassString},
		{"authenticated sessions", `{"action":"configureAuthenticatedSession","token":"t1","deploymentId":"` + e.dep.ID + `","data":{"code":"x"}}`, 400, protocol.ClassString},
	}
	for _, tc := range cases {
		f := g.roundTrip(tc.frame)
		if f.Code != tc.code || f.Class != tc.class {
			t.Errorf("%s: frame %+v (%s)", tc.name, f, f.Body)
		}
		if f.Class == protocol.ClassStructuredMessage && f.TracingID != protocol.HealthCheckTracingID {
			t.Errorf("%s: keep-alive reply tracingId %q", tc.name, f.TracingID)
		}
	}
	// A session token belongs to its deployment.
	other := must(e.org.CreateWebDeployment(WebDeployment{Name: "other", FlowID: e.flow.ID, ConfigurationID: e.dep.ConfigurationID}))
	f := g.roundTrip(`{"action":"configureSession","token":"t1","deploymentId":"` + other.ID + `"}`)
	if f.Code != 400 {
		t.Fatalf("token reused on another deployment: %+v", f)
	}
	// Typing events are accepted silently: the next frame answers the echo.
	if err := g.conn.Write(ctxT(t), websocket.MessageText, []byte(`{"action":"onMessage","token":"t1","message":{"type":"Event","events":[{"eventType":"Typing","typing":{"type":"On"}}]}}`)); err != nil {
		t.Fatal(err)
	}
	if f := g.roundTrip(`{"action":"echo","token":"t1","tracingId":"after-typing","message":{"type":"Text","text":"ping"}}`); f.TracingID != "after-typing" {
		t.Fatalf("typing produced a frame: %+v", f)
	}
	if len(e.conversationsOf(e.dep.ID)) != 0 {
		t.Fatal("a typing event started a conversation")
	}
}

func TestGuestDeploymentDeleted(t *testing.T) {
	e := newGuestEnv(t)
	ctx := ctxT(t)
	s := e.mustDial(t, nil)
	if err := e.org.DeleteWebDeployment(e.dep.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.WaitFor(ctx, func(*guest.Frame) bool { return false })
	var se *guest.ServerError
	if !errors.As(err, &se) || se.Class != protocol.ClassConnectionClosedEvent || se.Text != "deployment deleted" {
		t.Fatalf("after the deployment was deleted: %v", err)
	}
	if _, err := e.dial(t, nil); err == nil {
		t.Fatal("configured a session on a deleted deployment")
	}
}

// TestGuestConcurrentSessions runs several guests at once against one
// deployment, for the race detector.
func TestGuestConcurrentSessions(t *testing.T) {
	e := newGuestEnv(t)
	defer identityBot(e.org)()
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := guest.Dial(ctx, guest.Options{URL: e.srv.URL, DeploymentID: e.dep.ID, KeepAlive: 20 * time.Millisecond})
			if err != nil {
				errs <- err
				return
			}
			defer s.Close(context.Background())
			id := fmt.Sprintf("run-%d", i)
			if err := s.Send(ctx, "hi", map[string]string{"testRunId": id}); err != nil {
				errs <- err
				return
			}
			if _, err := s.WaitForOutboundText(ctx, "email"); err != nil {
				errs <- err
				return
			}
			if err := s.Send(ctx, id+"@example.com", nil); err != nil {
				errs <- err
				return
			}
			if _, err := s.WaitForOutboundText(ctx, "Customer ID:"); err != nil {
				errs <- err
				return
			}
			if got := len(s.Transcript()); got != 3 {
				errs <- fmt.Errorf("%s: transcript %q", id, s.Transcript())
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for _, c := range e.conversationsOf(e.dep.ID) {
		seen[c.Customer.Attributes["testRunId"]] = true
		if len(c.Messages) != 5 {
			t.Errorf("conversation %s has %d messages", c.ID, len(c.Messages))
		}
	}
	if len(seen) != n {
		t.Fatalf("conversations of %d sessions, want %d", len(seen), n)
	}
}
