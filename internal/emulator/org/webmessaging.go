package org

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
	"github.com/bpgen/bpgen/internal/platform/guest/protocol"
)

// The Web Messaging guest endpoint (api.md 4): the WebSocket a Messenger
// client opens at protocol.Path ("/v1?deploymentId=…"). It only translates:
// guest frames become org calls (StartConversation, SendCustomerMessage,
// SetParticipantAttributes) and org events of the session's conversation
// become frames (the echo of the guest's message, outbound messages, the
// disconnect). Whatever answers the customer, a flow runtime or a test,
// does so through the org (SendOutboundMessage), never through the socket.

// MaxCustomDataBytes is the custom-attribute budget every session
// advertises (SessionResponse.maxCustomDataBytes) and enforces: the size of
// message.channel.metadata.customAttributes encoded as JSON.
const MaxCustomDataBytes = 2048

// Codes and texts of the error frames the endpoint sends. inferred: the
// 4013 code follows the Messenger transport SDK's error codes; the texts
// of frames other than "Deployment not found" are the emulator's own.
const (
	CodeCustomAttributesTooLarge = 4013
	TextDeploymentNotFound       = "Deployment not found"
)

// guestSessionLifetime is SessionResponse.durationSeconds. inferred: the
// platform's guest session lifetime is not in the sources; three days.
const guestSessionLifetime = 72 * time.Hour

const (
	guestWriteTimeout = 10 * time.Second
	guestReadLimit    = 64 << 10
)

// guestHub tracks guest sessions (by token) and connections. A session
// survives its connections: a guest that reconnects with the same token
// resumes it and its conversation.
type guestHub struct {
	subscribe sync.Once
	mu        sync.Mutex
	sessions  map[string]*guestSession // by token
	byConv    map[string]*guestSession // by current conversation id
	conns     map[*guestConn]struct{}
	closed    bool           // CloseGuestSessions ran: refuse new connections
	handlers  sync.WaitGroup // running WebSocket handlers
}

type guestSession struct {
	token        string
	deploymentID string
	// deliver serialises the session's messages, so two connections of one
	// session cannot both start a conversation.
	deliver sync.Mutex
	// Guarded by guestHub.mu:
	convID     string // current conversation; "" before the first message
	evicted    bool   // the org evicted convID while a guest was connected
	customerID string // its customer participant
	conns      map[*guestConn]struct{}
	// traces are the tracingIds of the session's messages not yet echoed,
	// oldest first: the echo of a guest's own message carries its request's
	// tracingId, which the Kotlin guest SDK matches its message by.
	traces []string
}

// guestConn is one WebSocket. Frames are queued and written by one writer
// goroutine, so an org event (delivered synchronously, in commit order) is
// never blocked by a slow socket and frames keep their order.
type guestConn struct {
	ws      *websocket.Conn
	mu      sync.Mutex
	queue   [][]byte
	closing bool   // write what is queued, then close
	reason  string // close reason
	wake    chan struct{}
	session *guestSession // guarded by guestHub.mu
}

func (c *guestConn) send(frame []byte) {
	if frame == nil {
		return
	}
	c.mu.Lock()
	if !c.closing {
		c.queue = append(c.queue, frame)
	}
	c.mu.Unlock()
	c.poke()
}

func (c *guestConn) closeAfterQueued(reason string) {
	c.mu.Lock()
	c.closing, c.reason = true, reason
	c.mu.Unlock()
	c.poke()
}

func (c *guestConn) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *guestConn) writeLoop(ctx context.Context) {
	defer c.ws.CloseNow()
	for {
		c.mu.Lock()
		batch, closing, reason := c.queue, c.closing, c.reason
		c.queue = nil
		c.mu.Unlock()
		if len(batch) == 0 {
			if closing {
				_ = c.ws.Close(websocket.StatusNormalClosure, reason)
				return
			}
			select {
			case <-c.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		for _, f := range batch {
			wctx, cancel := context.WithTimeout(ctx, guestWriteTimeout)
			err := c.ws.Write(wctx, websocket.MessageText, f)
			cancel()
			if err != nil {
				return
			}
		}
	}
}

func (o *Org) guestRoutes(mux *http.ServeMux) {
	o.handle(mux, "GET "+protocol.Path, o.httpGuest)
}

// httpGuest upgrades to a WebSocket and serves one connection until either
// side closes it. Any Origin is accepted: the deployments' allowed-domains
// check is not emulated. The deploymentId query parameter is not checked
// here either; configureSession's deploymentId decides (inferred).
func (o *Org) httpGuest(w http.ResponseWriter, r *http.Request) {
	h := &o.guests
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		writeErr(w, newError(http.StatusServiceUnavailable, "The org no longer accepts guest sessions."))
		return
	}
	h.handlers.Add(1)
	h.mu.Unlock()
	defer h.handlers.Done()
	h.subscribe.Do(func() { o.Subscribe(o.guestEvent) })

	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return // Accept has answered the failed handshake
	}
	ws.SetReadLimit(guestReadLimit)
	c := &guestConn{ws: ws, wake: make(chan struct{}, 1)}
	h.mu.Lock()
	if h.closed {
		// CloseGuestSessions ran during the handshake and did not see this
		// connection: do not let it outlive the shutdown.
		h.mu.Unlock()
		_ = ws.Close(websocket.StatusGoingAway, "org closed")
		return
	}
	if h.conns == nil {
		h.conns = map[*guestConn]struct{}{}
		h.sessions = map[string]*guestSession{}
		h.byConv = map[string]*guestSession{}
	}
	h.conns[c] = struct{}{}
	h.mu.Unlock()

	// The request context is not usable after the hijack; the connection
	// gets its own.
	ctx, cancel := context.WithCancel(context.Background())
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		c.writeLoop(ctx)
	}()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			break
		}
		o.guestFrame(c, data)
	}
	cancel()
	<-writerDone
	h.mu.Lock()
	delete(h.conns, c)
	if s := c.session; s != nil {
		delete(s.conns, c)
		// A session left by its last connection is forgotten when it holds
		// no conversation: none was started (a page that opened Messenger
		// and left), or the org evicted it. inferred: the platform keeps a
		// session for its lifetime; the emulator keeps only sessions worth
		// resuming, so a long-running org does not grow per page load. The
		// guest coming back with the token gets a new session.
		if (s.evicted || s.convID == "") && len(s.conns) == 0 && h.sessions[s.token] == s {
			delete(h.sessions, s.token)
		}
	}
	h.mu.Unlock()
}

// CloseGuestSessions closes every guest WebSocket, waits for their handlers
// to return, and refuses new connections from then on (503). Guest
// sessions' conversations are left as they are. For test cleanup: with it,
// no goroutine outlives the test.
func (o *Org) CloseGuestSessions() {
	h := &o.guests
	h.mu.Lock()
	h.closed = true
	conns := make([]*guestConn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.closeAfterQueued("org closed")
	}
	h.handlers.Wait()
}

// closeDeployment ends the sessions of a deleted deployment with a
// ConnectionClosedEvent.
func (h *guestHub) closeDeployment(deploymentID string) {
	h.mu.Lock()
	var conns []*guestConn
	for tok, s := range h.sessions {
		if s.deploymentID != deploymentID {
			continue
		}
		for c := range s.conns {
			conns = append(conns, c)
		}
		h.forgetLocked(tok, s)
	}
	h.mu.Unlock()
	frame := mustFrame(protocol.EncodeEvent(protocol.ClassConnectionClosedEvent, protocol.ConnectionClosed{Reason: "deployment deleted"}))
	for _, c := range conns {
		c.send(frame)
		c.closeAfterQueued("deployment deleted")
	}
}

// forgetLocked drops a session; its connections stay until they close.
func (h *guestHub) forgetLocked(token string, s *guestSession) {
	delete(h.sessions, token)
	if s.convID != "" && h.byConv[s.convID] == s {
		delete(h.byConv, s.convID)
	}
}

func mustFrame(b []byte, err error) []byte {
	if err != nil {
		// Only our own fixed types are encoded; a failure is a bug, and a
		// missing frame shows up in tests.
		return nil
	}
	return b
}

func errorFrame(code int, text, tracingID string) []byte {
	return mustFrame(protocol.EncodeError(code, text, tracingID))
}

// guestFrame handles one client frame.
func (o *Org) guestFrame(c *guestConn, data []byte) {
	req, err := protocol.DecodeRequest(data)
	if err != nil {
		var partial struct {
			TracingID string `json:"tracingId"`
		}
		_ = json.Unmarshal(data, &partial)
		c.send(errorFrame(http.StatusBadRequest, err.Error(), partial.TracingID))
		return
	}
	switch req.Action {
	case protocol.ActionConfigureSession:
		o.guestConfigure(c, req)
	case protocol.ActionEcho:
		// The keep-alive is answered on any connection, configured or not.
		c.send(mustFrame(protocol.EncodeStructuredMessage(protocol.TypeResponse, req.TracingID, protocol.EchoReply(newUUID()))))
	case protocol.ActionOnMessage:
		o.guestMessage(c, req)
	case protocol.ActionCloseSession:
		o.guestClose(c, req)
	case protocol.ActionGetConfiguration:
		o.guestGetConfiguration(c, req)
	default:
		// configureAuthenticatedSession, getJwt and attachments.
		c.send(errorFrame(http.StatusBadRequest, req.Action+" is not supported by the emulated org.", req.TracingID))
	}
}

// guestAllowedMedia is what a guest may upload, in SessionResponse and
// GetConfigurationResponse alike.
func guestAllowedMedia() *protocol.AllowedMedia {
	return &protocol.AllowedMedia{Inbound: &protocol.InboundMedia{
		FileTypes:     []protocol.FileType{{Type: "image/png"}, {Type: "image/jpeg"}, {Type: "image/gif"}},
		MaxFileSizeKB: 10240,
	}}
}

// guestGetConfiguration answers getConfiguration with the settings a
// configureSession would report, without configuring a session; an
// unknown or inactive deployment is "Deployment not found", as for
// configureSession. inferred: messageRoutingEnabled is true (the deployment
// routes to its flow).
func (o *Org) guestGetConfiguration(c *guestConn, req *protocol.Request) {
	dep, err := o.WebDeployment(req.DeploymentID)
	if err != nil || dep.Status != StatusActive {
		c.send(errorFrame(http.StatusBadRequest, TextDeploymentNotFound, req.TracingID))
		return
	}
	c.send(mustFrame(protocol.EncodeFrame(protocol.TypeResponse, protocol.ClassGetConfigurationResponse, http.StatusOK, protocol.GetConfigurationResponse{
		AllowedMedia: guestAllowedMedia(), BlockedExtensions: []string{}, MaxCustomDataBytes: MaxCustomDataBytes,
		MessageRoutingEnabled: true, SessionDurationSeconds: int64(guestSessionLifetime / time.Second),
	}, req.TracingID)))
}

// guestConfigure answers configureSession. An unknown or inactive
// deployment is the documented 400 "Deployment not found". A known token
// resumes its session (newSession false) unless it belongs to another
// deployment (400; inferred); startNew drops the session's conversation so
// the next message starts a new one.
func (o *Org) guestConfigure(c *guestConn, req *protocol.Request) {
	dep, err := o.WebDeployment(req.DeploymentID)
	if err != nil || dep.Status != StatusActive {
		c.send(errorFrame(http.StatusBadRequest, TextDeploymentNotFound, req.TracingID))
		return
	}
	h := &o.guests
	h.mu.Lock()
	s := h.sessions[req.Token]
	if s != nil && s.deploymentID != dep.ID {
		h.mu.Unlock()
		c.send(errorFrame(http.StatusBadRequest, "The session token belongs to another deployment.", req.TracingID))
		return
	}
	newSession := s == nil
	if s == nil {
		s = &guestSession{token: req.Token, deploymentID: dep.ID, conns: map[*guestConn]struct{}{}}
		h.sessions[req.Token] = s
	}
	cleared := false
	if req.StartNew && s.convID != "" {
		if h.byConv[s.convID] == s {
			delete(h.byConv, s.convID)
		}
		s.convID, s.customerID, cleared = "", "", true
	}
	if old := c.session; old != nil && old != s {
		delete(old.conns, c)
	}
	c.session = s
	s.conns[c] = struct{}{}
	h.mu.Unlock()

	c.send(mustFrame(protocol.EncodeSessionResponse(req.TracingID, protocol.SessionResponse{
		Connected:              true,
		NewSession:             newSession,
		MaxCustomDataBytes:     MaxCustomDataBytes,
		AllowedMedia:           guestAllowedMedia(),
		ClearedExistingSession: cleared,
		DurationSeconds:        int64(guestSessionLifetime / time.Second),
		ExpirationDate:         o.now().Add(guestSessionLifetime).Unix(),
	})))
}

// guestMessage handles onMessage. Text (and Structured) messages need text;
// a Presence Join event starts the conversation without a message (or, on
// a live conversation, only updates the custom attributes); other events
// (typing) are accepted silently. Custom attributes come from
// message.channel.metadata.customAttributes only: the legacy top-level
// channel is ignored, as the platform does from 2026-06-05.
func (o *Org) guestMessage(c *guestConn, req *protocol.Request) {
	h := &o.guests
	h.mu.Lock()
	s := c.session
	h.mu.Unlock()
	if s == nil || s.token != req.Token {
		c.send(errorFrame(http.StatusBadRequest, "The session is not configured on this connection; send configureSession first.", req.TracingID))
		return
	}
	attrs := req.CustomAttributes()
	if len(attrs) > 0 {
		if b, _ := json.Marshal(attrs); len(b) > MaxCustomDataBytes {
			c.send(errorFrame(CodeCustomAttributesTooLarge, "Custom Attributes in channel metadata is larger than 2048 bytes", req.TracingID))
			return
		}
	}
	msg := req.Message
	join := false
	switch msg.Type {
	case protocol.MessageTypeText, protocol.MessageTypeStructured:
		if strings.TrimSpace(msg.Text) == "" {
			c.send(errorFrame(http.StatusBadRequest, "A "+msg.Type+" message needs text.", req.TracingID))
			return
		}
	case protocol.MessageTypeEvent:
		for _, ev := range msg.Events {
			if ev.EventType == protocol.EventTypePresence && ev.Presence != nil && ev.Presence.Type == protocol.PresenceJoin {
				join = true
			}
		}
		if !join {
			return
		}
	default:
		c.send(errorFrame(http.StatusBadRequest, "Message type "+quote(msg.Type)+" is not supported.", req.TracingID))
		return
	}
	if err := o.guestDeliver(s, msg.Text, attrs, join, req.TracingID); err != nil {
		var e *Error
		text := "The message could not be delivered."
		if errors.As(err, &e) {
			text = e.Message
		}
		c.send(errorFrame(StatusOf(err), text, req.TracingID))
	}
}

// guestDeliver puts a guest message into the session's conversation, or
// starts one. A message after the conversation ended starts a new one
// (inferred: Messenger opens a new conversation for a returning guest).
func (o *Org) guestDeliver(s *guestSession, text string, attrs map[string]string, join bool, tracingID string) error {
	s.deliver.Lock()
	defer s.deliver.Unlock()
	h := &o.guests
	h.mu.Lock()
	convID, customerID := s.convID, s.customerID
	h.mu.Unlock()
	if convID != "" {
		if conv, err := o.Conversation(convID); err == nil && conv.State == StateConnected {
			if len(attrs) > 0 {
				// inferred: later custom attributes merge into participant data.
				if _, err := o.SetParticipantAttributes(convID, customerID, attrs); err != nil {
					return err
				}
			}
			if join {
				return nil
			}
			s.pushTrace(h, tracingID)
			if _, err := o.SendCustomerMessage(convID, text); err == nil {
				return nil
			}
			s.dropTrace(h)
			// It ended in between: start a new one below.
		}
	}
	// Route the new conversation's events to this session before it starts:
	// the flow may answer before StartConversation returns.
	id := newUUID()
	h.mu.Lock()
	if s.convID != "" && h.byConv[s.convID] == s {
		delete(h.byConv, s.convID)
	}
	s.convID, s.customerID, s.evicted = id, "", false
	h.byConv[id] = s
	if !join {
		s.traces = append(s.traces, tracingID)
	}
	h.mu.Unlock()
	conv, err := o.StartConversation(StartConversationOptions{
		Channel: ChannelWebMessaging, DeploymentID: s.deploymentID, ConversationID: id,
		CustomAttributes: attrs, Text: text,
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		if !join && len(s.traces) > 0 {
			s.traces = s.traces[:len(s.traces)-1]
		}
		if h.byConv[id] == s {
			delete(h.byConv, id)
		}
		if s.convID == id {
			s.convID = ""
		}
		return err
	}
	if s.convID == id {
		s.customerID = conv.Customer.ID
	}
	return nil
}

// pushTrace and dropTrace keep traces in step with the messages sent.
func (s *guestSession) pushTrace(h *guestHub, id string) {
	h.mu.Lock()
	s.traces = append(s.traces, id)
	h.mu.Unlock()
}

func (s *guestSession) dropTrace(h *guestHub) {
	h.mu.Lock()
	if len(s.traces) > 0 {
		s.traces = s.traces[:len(s.traces)-1]
	}
	h.mu.Unlock()
}

// guestClose handles closeSession: a ConnectionClosedEvent to this
// connection (or, with closeAllConnections, every connection of the
// session), which is then closed. The session is forgotten; its
// conversation is left as it is (inferred: closing the socket is not
// ending the conversation).
func (o *Org) guestClose(c *guestConn, req *protocol.Request) {
	h := &o.guests
	h.mu.Lock()
	targets := []*guestConn{c}
	if s := c.session; s != nil && s.token == req.Token {
		if req.CloseAllConnections {
			targets = targets[:0]
			for x := range s.conns {
				targets = append(targets, x)
			}
			h.forgetLocked(s.token, s)
		}
	}
	h.mu.Unlock()
	frame := mustFrame(protocol.EncodeEvent(protocol.ClassConnectionClosedEvent, nil))
	for _, t := range targets {
		t.send(frame)
		t.closeAfterQueued("closeSession")
	}
}

// guestEvent turns the org events of a session's conversation into frames.
func (o *Org) guestEvent(ev Event) {
	h := &o.guests
	h.mu.Lock()
	s := h.byConv[ev.ConversationID]
	if ev.Type == EventConversationEvicted {
		// The org forgot the conversation: stop routing to it, and forget a
		// session no guest is connected to (inferred: a guest coming back
		// with its token gets a new session, as after the platform's
		// session lifetime). A connected guest's next message starts a new
		// conversation (guestDeliver).
		if s != nil {
			delete(h.byConv, ev.ConversationID)
			if len(s.conns) == 0 && h.sessions[s.token] == s {
				delete(h.sessions, s.token)
			} else {
				s.evicted = true // forgotten when its last connection closes
			}
		}
		h.mu.Unlock()
		return
	}
	var conns []*guestConn
	tracingID := ""
	if s != nil {
		for c := range s.conns {
			conns = append(conns, c)
		}
		if ev.Type == EventCustomerMessage && len(s.traces) > 0 {
			tracingID, s.traces = s.traces[0], s.traces[1:]
		}
	}
	h.mu.Unlock()
	if len(conns) == 0 {
		return
	}
	var frame []byte
	switch ev.Type {
	case EventCustomerMessage, EventOutboundMessage:
		m := ev.Message
		sm := protocol.StructuredMessage{
			ID: m.ID, Type: protocol.MessageTypeText, Text: m.Text, Direction: protocol.DirectionInbound,
			Channel: &protocol.MessageChannel{Time: m.Time.UTC().Format(apimodel.TimeLayout), MessageID: m.ID},
		}
		if ev.Type == EventOutboundMessage {
			// inferred: the org's outbound messages come from the flow (or a
			// test standing in for it), so they are the bot's.
			sm.Direction, sm.OriginatingEntity = protocol.DirectionOutbound, protocol.OriginatingEntityBot
		}
		frame = mustFrame(protocol.EncodeStructuredMessage(protocol.TypeMessage, tracingID, sm))
	case EventConversationEnded:
		// inferred: the platform tells the guest with a Presence Disconnect
		// event message.
		frame = mustFrame(protocol.EncodeStructuredMessage(protocol.TypeMessage, "", protocol.StructuredMessage{
			ID: newUUID(), Type: protocol.MessageTypeEvent, Direction: protocol.DirectionOutbound,
			Events:  []protocol.Event{{EventType: protocol.EventTypePresence, Presence: &protocol.Presence{Type: protocol.PresenceDisconnect}}},
			Channel: &protocol.MessageChannel{Time: o.now().Format(apimodel.TimeLayout)},
		}))
	default:
		return
	}
	for _, c := range conns {
		c.send(frame)
	}
}
