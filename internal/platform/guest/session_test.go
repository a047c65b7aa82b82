package guest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/bpgen/bpgen/internal/platform/guest/protocol"
)

// bot is an in-test Web Messaging endpoint that plays a scripted bot.
type bot struct {
	t   *testing.T
	srv *httptest.Server

	// script answers an onMessage request with frames to send, in order.
	// A nil frame closes the connection.
	script func(req *protocol.Request) [][]byte

	mu       sync.Mutex
	raw      []string // every client frame as received
	requests []*protocol.Request
	origin   string
	query    url.Values
	echoes   int
}

func newBot(t *testing.T, script func(req *protocol.Request) [][]byte) *bot {
	t.Helper()
	b := &bot{t: t, script: script}
	b.srv = httptest.NewServer(http.HandlerFunc(b.serve))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *bot) url() string { return "ws" + strings.TrimPrefix(b.srv.URL, "http") }

func (b *bot) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != protocol.Path {
		http.NotFound(w, r)
		return
	}
	b.mu.Lock()
	b.origin, b.query = r.Header.Get("Origin"), r.URL.Query()
	b.mu.Unlock()
	// The test client sends a foreign Origin on purpose.
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		b.t.Errorf("accept: %v", err)
		return
	}
	defer conn.CloseNow()
	ctx := r.Context()
	send := func(frame []byte) bool {
		if frame == nil {
			conn.Close(websocket.StatusGoingAway, "bot hung up")
			return false
		}
		return conn.Write(ctx, websocket.MessageText, frame) == nil
	}
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		req, err := protocol.DecodeRequest(data)
		if err != nil {
			b.t.Errorf("bot got a malformed request %s: %v", data, err)
			return
		}
		b.mu.Lock()
		b.raw = append(b.raw, string(data))
		b.requests = append(b.requests, req)
		b.mu.Unlock()

		var out [][]byte
		switch req.Action {
		case protocol.ActionConfigureSession:
			switch req.DeploymentID {
			case "missing":
				out = append(out, must(protocol.EncodeError(400, "Deployment not found", req.TracingID)))
			case "silent":
			default:
				out = append(out, must(protocol.EncodeSessionResponse(req.TracingID, protocol.SessionResponse{Connected: true, NewSession: true, MaxCustomDataBytes: 2048})))
			}
		case protocol.ActionEcho:
			b.mu.Lock()
			b.echoes++
			b.mu.Unlock()
			out = append(out, must(protocol.EncodeStructuredMessage(protocol.TypeResponse, protocol.HealthCheckTracingID, protocol.EchoReply("echo-1"))))
		case protocol.ActionOnMessage:
			if b.script != nil {
				out = b.script(req)
			}
		case protocol.ActionCloseSession:
			conn.Close(websocket.StatusNormalClosure, "")
			return
		}
		for _, f := range out {
			if !send(f) {
				return
			}
		}
	}
}

func (b *bot) received() ([]*protocol.Request, []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*protocol.Request(nil), b.requests...), append([]string(nil), b.raw...)
}

func (b *bot) echoCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.echoes
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func echoOf(req *protocol.Request) []byte {
	return must(protocol.EncodeStructuredMessage(protocol.TypeMessage, "", protocol.StructuredMessage{
		ID: "in-" + req.TracingID, Type: protocol.MessageTypeText, Text: req.Message.Text, Direction: protocol.DirectionInbound,
	}))
}

func reply(id, text, at string) []byte {
	return must(protocol.EncodeStructuredMessage(protocol.TypeMessage, "", protocol.StructuredMessage{
		ID: id, Type: protocol.MessageTypeText, Text: text, Direction: protocol.DirectionOutbound,
		OriginatingEntity: protocol.OriginatingEntityBot, Channel: &protocol.MessageChannel{Time: at},
	}))
}

// identityBot plays the blueprint's bot: asks for an email, then reports the contact id.
func identityBot(req *protocol.Request) [][]byte {
	switch {
	case req.Message.Type != protocol.MessageTypeText:
		return nil
	case strings.Contains(req.Message.Text, "@"):
		return [][]byte{
			echoOf(req),
			reply("out-3", "Common Module Status:  Success.  Customer ID:  c-42", "2026-01-08T10:00:09.000Z"),
		}
	default:
		return [][]byte{
			echoOf(req),
			[]byte(`{"type":"message","class":"SomethingNewEvent","code":200,"body":{"x":1}}`),
			// Out of order: the second reply arrives before the first.
			reply("out-2", "Thanks, one moment.", "2026-01-08T10:00:02.000Z"),
			reply("out-1", "What is your email address?", "2026-01-08T10:00:01.000Z"),
			reply("out-1", "What is your email address?", "2026-01-08T10:00:01.000Z"), // duplicate delivery
		}
	}
}

func dial(t *testing.T, b *bot, mod func(*Options)) *Session {
	t.Helper()
	opts := Options{URL: b.url(), DeploymentID: "dep-1", Origin: "https://shop.example.com", KeepAlive: -1}
	if mod != nil {
		mod(&opts)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	s, err := Dial(ctx, opts)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func TestConversationWithOutOfOrderReplies(t *testing.T) {
	b := newBot(t, identityBot)
	s := dial(t, b, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()

	if !s.Info().Connected || s.Info().MaxCustomDataBytes != 2048 {
		t.Errorf("Info() = %+v", s.Info())
	}
	if err := s.Send(ctx, "hi", map[string]string{"testRunId": "run-1"}); err != nil {
		t.Fatal(err)
	}
	// The prompt arrives after another reply; the wait still finds it.
	f, err := s.WaitForOutboundText(ctx, "email")
	if err != nil {
		t.Fatal(err)
	}
	if f.Message.OriginatingEntity != "Bot" || f.Message.Channel.Time != "2026-01-08T10:00:01.000Z" {
		t.Errorf("prompt frame = %+v", f.Message)
	}
	if err := s.Send(ctx, "jane@example.com", nil); err != nil {
		t.Fatal(err)
	}
	f, err = s.WaitForOutboundText(ctx, "Customer ID:")
	if err != nil {
		t.Fatal(err)
	}
	if id := strings.TrimSpace(f.Text()[strings.LastIndex(f.Text(), ":")+1:]); id != "c-42" {
		t.Errorf("customer id = %q", id)
	}
	// The early reply was buffered and is still there for a later wait.
	if _, err := s.WaitForOutboundText(ctx, "one moment"); err != nil {
		t.Errorf("buffered reply lost: %v", err)
	}

	want := []string{"Thanks, one moment.", "What is your email address?", "Common Module Status:  Success.  Customer ID:  c-42"}
	if got := s.Transcript(); !reflect.DeepEqual(got, want) {
		t.Errorf("Transcript() =\n %q\nwant\n %q", got, want)
	}

	// The guest's own words come back as Inbound echoes; they never match.
	short, cancelShort := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancelShort()
	if _, err := s.WaitForOutboundText(short, "jane@example.com"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("echo matched an outbound wait: %v", err)
	}

	// Next sees every frame, including the unknown class, in arrival order.
	var classes []string
	for range len(s.Frames()) {
		f, err := s.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		classes = append(classes, f.Class)
	}
	wantClasses := []string{"SessionResponse", "StructuredMessage", "SomethingNewEvent", "StructuredMessage", "StructuredMessage", "StructuredMessage", "StructuredMessage", "StructuredMessage"}
	if !reflect.DeepEqual(classes, wantClasses) {
		t.Errorf("classes = %v, want %v", classes, wantClasses)
	}
}

func TestCustomAttributesArriveInMessageChannel(t *testing.T) {
	b := newBot(t, identityBot)
	s := dial(t, b, func(o *Options) { o.Token = "11111111-2222-4333-8444-555555555555" })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := s.Send(ctx, "hi", map[string]string{"testRunId": "run-1", "email": "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Send(ctx, "again", nil); err != nil {
		t.Fatal(err)
	}
	// Once the second message is echoed, the bot has seen both.
	if _, err := s.WaitFor(ctx, func(f *Frame) bool { return f.IsEcho() && f.Text() == "again" }); err != nil {
		t.Fatal(err)
	}
	reqs, raw := b.received()
	if len(reqs) < 3 {
		t.Fatalf("bot got %d requests", len(reqs))
	}
	cfg, first, second := reqs[0], reqs[1], reqs[2]
	if cfg.Action != "configureSession" || cfg.DeploymentID != "dep-1" || cfg.Token != "11111111-2222-4333-8444-555555555555" {
		t.Errorf("configureSession = %+v", cfg)
	}
	if got := first.CustomAttributes(); !reflect.DeepEqual(got, map[string]string{"testRunId": "run-1", "email": "jane@example.com"}) {
		t.Errorf("custom attributes at the server = %v", got)
	}
	if first.Channel != nil {
		t.Errorf("attributes also sent in the deprecated top-level channel: %s", raw[1])
	}
	if first.Message.Text != "hi" || first.Message.Type != "Text" || first.Token != cfg.Token || first.TracingID == "" {
		t.Errorf("onMessage = %s", raw[1])
	}
	if second.Message.Channel != nil || strings.Contains(raw[2], `"channel"`) {
		t.Errorf("message without attributes carries a channel: %s", raw[2])
	}
	b.mu.Lock()
	origin, query := b.origin, b.query
	b.mu.Unlock()
	if origin != "https://shop.example.com" || query.Get("deploymentId") != "dep-1" || query.Get("application") != "bpgen" {
		t.Errorf("handshake origin %q query %v", origin, query)
	}
}

func TestJoinSendsPresenceWithAttributes(t *testing.T) {
	joined := make(chan *protocol.Request, 1)
	b := newBot(t, func(req *protocol.Request) [][]byte {
		if req.Message.Type == protocol.MessageTypeEvent {
			joined <- req
			return [][]byte{reply("w-1", "Welcome!", "")}
		}
		return nil
	})
	s := dial(t, b, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := s.Join(ctx, map[string]string{"A": "B"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitForOutboundText(ctx, "Welcome"); err != nil {
		t.Fatal(err)
	}
	req := <-joined
	ev := req.Message.Events
	if len(ev) != 1 || ev[0].EventType != "Presence" || ev[0].Presence == nil || ev[0].Presence.Type != "Join" {
		t.Errorf("events = %+v", ev)
	}
	if req.Message.Text != "" || req.CustomAttributes()["A"] != "B" {
		t.Errorf("join message = %+v", req.Message)
	}
}

func TestDeploymentNotFound(t *testing.T) {
	b := newBot(t, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := Dial(ctx, Options{URL: b.url(), DeploymentID: "missing"})
	var se *ServerError
	if !errors.As(err, &se) || se.Code != 400 || se.Text != "Deployment not found" {
		t.Fatalf("Dial = %v, want ServerError 400 Deployment not found", err)
	}
	if !strings.Contains(err.Error(), "deployment missing") || !strings.Contains(err.Error(), "400: Deployment not found") {
		t.Errorf("error %q should name the deployment and the server's reason", err)
	}
}

func TestRejectedMessageFailsTheWait(t *testing.T) {
	b := newBot(t, func(req *protocol.Request) [][]byte {
		return [][]byte{must(protocol.EncodeError(4013, "Custom Attributes in channel metadata is larger than 2048 bytes", req.TracingID))}
	})
	s := dial(t, b, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := s.Send(ctx, "hi", map[string]string{"big": strings.Repeat("x", 3000)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := s.WaitForOutboundText(ctx, "email")
	var se *ServerError
	if !errors.As(err, &se) || se.Code != 4013 {
		t.Fatalf("wait = %v, want ServerError 4013", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v; a rejected message must fail the wait promptly", time.Since(start))
	}
}

func TestKeepAlive(t *testing.T) {
	b := newBot(t, identityBot)
	s := dial(t, b, func(o *Options) { o.KeepAlive = 20 * time.Millisecond })
	deadline := time.Now().Add(5 * time.Second)
	for b.echoCount() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := b.echoCount(); n < 3 {
		t.Fatalf("server saw %d echo keep-alives, want >= 3", n)
	}
	_, raw := b.received()
	var echo protocol.Request
	for _, r := range raw {
		if strings.Contains(r, `"echo"`) {
			json.Unmarshal([]byte(r), &echo)
			break
		}
	}
	if echo.TracingID != protocol.HealthCheckTracingID || echo.Message == nil || echo.Message.Text != "ping" {
		t.Errorf("echo request = %+v", echo)
	}
	// Keep-alive replies are not conversation: not buffered, not in the transcript.
	for _, f := range s.Frames() {
		if f.TracingID == protocol.HealthCheckTracingID {
			t.Errorf("keep-alive reply buffered: %s", f.Raw)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := s.Send(ctx, "hi", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitForOutboundText(ctx, "email"); err != nil {
		t.Fatal(err)
	}
	if got := s.Transcript(); len(got) != 2 {
		t.Errorf("Transcript() = %q", got)
	}
}

func TestContextCancellation(t *testing.T) {
	b := newBot(t, identityBot)
	s := dial(t, b, nil)

	// A cancelled wait returns promptly and leaves the session usable.
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := s.WaitForOutboundText(ctx, "never"); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait = %v, want context.Canceled", err)
	}
	if _, err := s.Next(ctx); err != nil { // the SessionResponse is buffered
		t.Errorf("Next after cancel: %v", err)
	}
	if err := s.Send(ctx, "hi", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled ctx = %v", err)
	}
	live, cancelLive := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancelLive()
	if err := s.Send(live, "hi", nil); err != nil {
		t.Fatalf("session unusable after cancellations: %v", err)
	}
	if _, err := s.WaitForOutboundText(live, "email"); err != nil {
		t.Fatal(err)
	}

	// Dial gives up when the server never answers configureSession.
	short, cancelShort := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancelShort()
	if _, err := Dial(short, Options{URL: b.url(), DeploymentID: "silent"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Dial to a silent server = %v, want DeadlineExceeded", err)
	}
}

func TestServerHangsUp(t *testing.T) {
	b := newBot(t, func(req *protocol.Request) [][]byte { return [][]byte{echoOf(req), nil} })
	s := dial(t, b, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := s.Send(ctx, "hi", nil); err != nil {
		t.Fatal(err)
	}
	_, err := s.WaitForOutboundText(ctx, "email")
	if !errors.Is(err, ErrClosed) || !strings.Contains(err.Error(), "bot hung up") {
		t.Fatalf("wait = %v, want ErrClosed carrying the server's reason", err)
	}
	if err := s.Send(ctx, "still there?", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after hang-up = %v, want ErrClosed", err)
	}
}

func TestCloseSendsCloseSession(t *testing.T) {
	b := newBot(t, identityBot)
	s := dial(t, b, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	reqs, _ := b.received()
	last := reqs[len(reqs)-1]
	if last.Action != "closeSession" || !last.CloseAllConnections || last.Token != s.Token() {
		t.Errorf("last request = %+v", last)
	}
	if err := s.Close(ctx); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if err := s.Send(ctx, "hi", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after Close = %v, want ErrClosed", err)
	}
	if _, err := s.WaitFor(ctx, func(*Frame) bool { return false }); !errors.Is(err, ErrClosed) {
		t.Errorf("WaitFor after Close = %v, want ErrClosed", err)
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{Domain: "eu-west-1", DeploymentID: "d1"}, "wss://webmessaging.mypurecloud.ie/v1?application=bpgen&deploymentId=d1"},
		{Options{Domain: "usw2.pure.cloud", DeploymentID: "d1", Application: "harness"}, "wss://webmessaging.usw2.pure.cloud/v1?application=harness&deploymentId=d1"},
		{Options{URL: "ws://127.0.0.1:8080", DeploymentID: "d1"}, "ws://127.0.0.1:8080/v1?application=bpgen&deploymentId=d1"},
		{Options{URL: "http://127.0.0.1:8080/", DeploymentID: "d1"}, "ws://127.0.0.1:8080/v1?application=bpgen&deploymentId=d1"},
		{Options{URL: "wss://emu.test/custom/v1?deploymentId=d2"}, "wss://emu.test/custom/v1?application=bpgen&deploymentId=d2"},
	}
	for _, tt := range tests {
		got, _, err := endpoint(tt.opts)
		if err != nil || got != tt.want {
			t.Errorf("endpoint(%+v) = %q, %v; want %q", tt.opts, got, err, tt.want)
		}
	}
	for _, bad := range []Options{
		{},
		{Domain: "eu-west-1"},
		{URL: "ftp://x", DeploymentID: "d"},
		{URL: "wss://x/v1?deploymentId=a", DeploymentID: "b"},
		{Domain: "nowhere", DeploymentID: "d"},
	} {
		if got, _, err := endpoint(bad); err == nil {
			t.Errorf("endpoint(%+v) = %q, want an error", bad, got)
		}
	}
}

func TestGeneratedTokenIsAUUID(t *testing.T) {
	a, b := newUUID(), newUUID()
	if a == b || len(a) != 36 || a[14] != '4' || strings.Count(a, "-") != 4 {
		t.Errorf("newUUID() = %q, %q", a, b)
	}
}
