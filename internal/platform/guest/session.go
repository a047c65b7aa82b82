package guest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/guest/protocol"
)

// Defaults for Options' zero values.
const (
	DefaultKeepAlive   = 30 * time.Second
	DefaultApplication = "bpgen"
	DefaultReadLimit   = 1 << 20

	writeTimeout = 10 * time.Second
)

// ErrClosed is returned once the session's connection is gone, by Close or by the server.
var ErrClosed = errors.New("session closed")

// Options configure Dial.
type Options struct {
	// URL is the WebSocket endpoint: a base such as api.Endpoints.WebMessaging
	// ("wss://webmessaging.mypurecloud.ie", "ws://127.0.0.1:8080") or a full
	// URL. The path defaults to /v1; deploymentId and application are added
	// to the query unless present. http(s) is accepted as ws(s).
	URL string
	// Domain is used when URL is empty: a region name ("eu-west-1") or a
	// domain ("mypurecloud.ie"), giving wss://webmessaging.{domain}/v1.
	Domain string
	// DeploymentID is the web deployment (required unless URL carries it).
	DeploymentID string
	// Origin is sent as the Origin header. Deployments that do not allow all
	// domains check it against their allowed domains.
	Origin string
	// Token identifies the guest session; reusing one resumes that session.
	// Empty: a new random UUID.
	Token string
	// Application is the "application" query label (default DefaultApplication).
	Application string
	// KeepAlive is the interval of echo keep-alives (default DefaultKeepAlive;
	// negative disables them).
	KeepAlive time.Duration
	// ReadLimit caps one received frame in bytes (default DefaultReadLimit).
	ReadLimit int64
	// HTTPClient is used for the WebSocket handshake (default http.DefaultClient).
	HTTPClient *http.Client
	// Logger receives frames sent and received at Debug level (never the
	// token). Default: discard.
	Logger *slog.Logger
}

// Session is a configured guest session. All methods are safe for concurrent use.
type Session struct {
	conn  *websocket.Conn
	token string
	log   *slog.Logger

	ctx    context.Context // lives until Close; bounds the reader and keep-alive
	cancel context.CancelFunc
	wg     sync.WaitGroup

	info protocol.SessionResponse

	mu         sync.Mutex
	frames     []*entry
	nextIdx    int           // Next's cursor into frames
	changed    chan struct{} // closed and replaced whenever frames or readErr change
	readErr    error         // why the reader stopped; nil while it runs
	transcript []string
	seenIDs    map[string]bool

	closeOnce sync.Once
	closeErr  error
}

type entry struct {
	f        *Frame
	consumed bool // returned by a wait
}

// Dial connects, sends configureSession and waits for the SessionResponse.
// A failure frame (e.g. 400 "Deployment not found") is returned as a
// *ServerError. ctx bounds the connection and configuration only (give it a
// deadline: a server that never answers is otherwise waited for forever);
// the session lives until Close.
func Dial(ctx context.Context, opts Options) (*Session, error) {
	u, deploymentID, err := endpoint(opts)
	if err != nil {
		return nil, err
	}
	token := opts.Token
	if token == "" {
		token = newUUID()
	}
	hdr := http.Header{}
	if opts.Origin != "" {
		hdr.Set("Origin", opts.Origin)
	}
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPClient: opts.HTTPClient, HTTPHeader: hdr})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			return nil, fmt.Errorf("guest: dial %s: handshake answered %s: %w", u, resp.Status, err)
		}
		return nil, fmt.Errorf("guest: dial %s: %w", u, err)
	}
	limit := opts.ReadLimit
	if limit <= 0 {
		limit = DefaultReadLimit
	}
	conn.SetReadLimit(limit)

	s := &Session{conn: conn, token: token, log: opts.Logger, changed: make(chan struct{}), seenIDs: map[string]bool{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	// Not derived from ctx: coder/websocket closes the connection when a
	// read's context ends, and the session must outlive Dial's ctx.
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Go(s.readLoop)

	if err := s.configure(ctx, deploymentID); err != nil {
		s.shutdown(websocket.StatusNormalClosure, "configureSession failed")
		return nil, err
	}
	if ka := opts.KeepAlive; ka >= 0 {
		if ka == 0 {
			ka = DefaultKeepAlive
		}
		s.wg.Go(func() { s.keepAlive(ka) })
	}
	return s, nil
}

func (s *Session) configure(ctx context.Context, deploymentID string) error {
	if err := s.write(ctx, protocol.ConfigureSession(s.token, deploymentID, newUUID())); err != nil {
		return fmt.Errorf("guest: configureSession: %w", err)
	}
	f, err := s.waitFor(ctx, func(f *Frame) bool { return f.Session != nil })
	if err != nil {
		return fmt.Errorf("guest: configureSession for deployment %s: %w", deploymentID, err)
	}
	if !f.Session.Connected {
		return fmt.Errorf("guest: configureSession for deployment %s: SessionResponse says not connected", deploymentID)
	}
	s.info = *f.Session
	return nil
}

// endpoint builds the WebSocket URL and returns the deployment id it names.
func endpoint(opts Options) (string, string, error) {
	raw := strings.TrimSpace(opts.URL)
	if raw == "" {
		if opts.Domain == "" {
			return "", "", errors.New("guest: Options.URL or Options.Domain is required")
		}
		d, err := api.Domain(opts.Domain)
		if err != nil {
			return "", "", fmt.Errorf("guest: %w", err)
		}
		raw = "wss://webmessaging." + d
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("guest: URL: %w", err)
	}
	switch u.Scheme {
	case "ws", "wss":
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", "", fmt.Errorf("guest: URL %q: want ws:// or wss://", raw)
	}
	if u.Host == "" {
		return "", "", fmt.Errorf("guest: URL %q has no host", raw)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = protocol.Path
	}
	q := u.Query()
	dep := q.Get(protocol.QueryDeploymentID)
	switch {
	case dep == "" && opts.DeploymentID == "":
		return "", "", errors.New("guest: Options.DeploymentID is required")
	case dep == "":
		dep = opts.DeploymentID
		q.Set(protocol.QueryDeploymentID, dep)
	case opts.DeploymentID != "" && opts.DeploymentID != dep:
		return "", "", fmt.Errorf("guest: URL names deployment %s but Options.DeploymentID is %s", dep, opts.DeploymentID)
	}
	if q.Get(protocol.QueryApplication) == "" {
		app := opts.Application
		if app == "" {
			app = DefaultApplication
		}
		q.Set(protocol.QueryApplication, app)
	}
	u.RawQuery = q.Encode()
	return u.String(), dep, nil
}

// Token returns the session token (pass it as Options.Token to resume).
func (s *Session) Token() string { return s.token }

// Info returns the SessionResponse that configured the session.
func (s *Session) Info() SessionResponse { return s.info }

// Send sends a text message as the guest. customAttributes, when not empty,
// travel in message.channel.metadata.customAttributes and become the
// customer participant's data.
//
// Errors the server reports about the message arrive later as frames; the
// next wait returns them as a *ServerError.
func (s *Session) Send(ctx context.Context, text string, customAttributes map[string]string) error {
	return s.write(ctx, protocol.TextMessage(s.token, text, customAttributes, newUUID()))
}

// Join sends the Presence Join event, which starts the conversation (as
// Messenger's auto-start does) and sets custom attributes without text.
func (s *Session) Join(ctx context.Context, customAttributes map[string]string) error {
	return s.write(ctx, protocol.JoinEvent(s.token, customAttributes, newUUID()))
}

// write sends one request. ctx is checked first but the write itself runs
// under the session's context with a short timeout: coder/websocket closes
// the whole connection when a write's context ends mid-frame, and a caller's
// deadline must not kill the session.
func (s *Session) write(ctx context.Context, r protocol.Request) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("guest: %s: %w", r.Action, context.Cause(ctx))
	}
	if err := s.err(); err != nil {
		return fmt.Errorf("guest: %s: %w", r.Action, err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("guest: %s: %w", r.Action, err)
	}
	wctx, cancel := context.WithTimeout(s.ctx, writeTimeout)
	defer cancel()
	if err := s.conn.Write(wctx, websocket.MessageText, b); err != nil {
		if cerr := s.err(); cerr != nil {
			err = cerr
		}
		return fmt.Errorf("guest: %s: %w", r.Action, err)
	}
	s.log.Debug("guest: sent", "action", r.Action, "tracingId", r.TracingID)
	return nil
}

func (s *Session) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readErr
}

func (s *Session) readLoop() {
	for {
		_, data, err := s.conn.Read(s.ctx)
		if err != nil {
			s.stop(err)
			return
		}
		f, err := decode(data)
		if err != nil {
			// Not even an envelope; nothing can match it. Keep going.
			s.log.Warn("guest: undecodable frame", "error", err, "frame", truncate(string(data), 200))
			continue
		}
		if f.TracingID == protocol.HealthCheckTracingID && f.Class == protocol.ClassStructuredMessage {
			// Keep-alive reply: transport noise, not conversation.
			continue
		}
		s.log.Debug("guest: received", "type", f.Type, "class", f.Class, "code", f.Code, "text", truncate(f.Text(), 200))
		s.mu.Lock()
		f.Seq = len(s.frames) + 1
		s.frames = append(s.frames, &entry{f: f})
		if f.IsOutbound() && f.Message.Text != "" && (f.Message.ID == "" || !s.seenIDs[f.Message.ID]) {
			s.seenIDs[f.Message.ID] = true
			s.transcript = append(s.transcript, f.Message.Text)
		}
		s.notifyLocked()
		s.mu.Unlock()
	}
}

// decode parses a frame and the bodies the harness reads. A body that does
// not decode leaves Message/Session nil; the frame is still kept.
func decode(data []byte) (*Frame, error) {
	pf, err := protocol.DecodeFrame(data)
	if err != nil {
		return nil, err
	}
	f := &Frame{Frame: pf, Received: time.Now(), Raw: data}
	switch pf.Class {
	case protocol.ClassStructuredMessage:
		var m protocol.StructuredMessage
		if pf.DecodeBody(&m) == nil {
			f.Message = &m
		}
	case protocol.ClassSessionResponse:
		var r protocol.SessionResponse
		if !pf.IsError() && pf.DecodeBody(&r) == nil {
			f.Session = &r
		}
	}
	return f, nil
}

// stop records why the reader ended and wakes every waiter.
func (s *Session) stop(cause error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.readErr != nil {
		return
	}
	if s.ctx.Err() != nil {
		s.readErr = ErrClosed
	} else {
		s.readErr = fmt.Errorf("%w by server: %w", ErrClosed, cause)
	}
	s.notifyLocked()
}

func (s *Session) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Session) keepAlive(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if err := s.write(s.ctx, protocol.Echo(s.token)); err != nil {
				s.log.Debug("guest: keep-alive stopped", "error", err)
				return
			}
		}
	}
}

// Next returns the next frame in arrival order, waiting for one if needed.
// It has its own cursor: waits do not hide frames from Next, and Next does
// not consume frames waits may want.
func (s *Session) Next(ctx context.Context) (*Frame, error) {
	for {
		s.mu.Lock()
		if s.nextIdx < len(s.frames) {
			f := s.frames[s.nextIdx].f
			s.nextIdx++
			s.mu.Unlock()
			return f, nil
		}
		if err := s.readErr; err != nil {
			s.mu.Unlock()
			return nil, fmt.Errorf("guest: next frame: %w", err)
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("guest: next frame: %w", context.Cause(ctx))
		}
	}
}

// WaitFor returns the earliest buffered, not yet consumed frame matching
// pred, waiting for more frames if none does, and consumes it. When no
// frame matches but an unconsumed failure frame is buffered (see
// Frame.Err), that failure is consumed and returned instead, so a rejected
// message does not leave the caller waiting until its deadline. Once the
// connection is gone and nothing matches, it returns an error wrapping
// ErrClosed. pred runs without any lock held.
func (s *Session) WaitFor(ctx context.Context, pred func(*Frame) bool) (*Frame, error) {
	f, err := s.waitFor(ctx, pred)
	if err != nil {
		return nil, fmt.Errorf("guest: wait: %w", err)
	}
	return f, nil
}

func (s *Session) waitFor(ctx context.Context, pred func(*Frame) bool) (*Frame, error) {
	for {
		s.mu.Lock()
		var pending []*entry
		for _, e := range s.frames {
			if !e.consumed {
				pending = append(pending, e)
			}
		}
		readErr, ch := s.readErr, s.changed
		s.mu.Unlock()

		var match, failure *entry
		for _, e := range pending {
			if pred(e.f) {
				match = e
				break
			}
			if failure == nil && e.f.Err() != nil {
				failure = e
			}
		}
		if e := cmpOr(match, failure); e != nil {
			s.mu.Lock()
			taken := e.consumed
			e.consumed = true
			s.mu.Unlock()
			if taken {
				continue // a concurrent wait got it first; rescan
			}
			if e == match {
				return e.f, nil
			}
			return nil, e.f.Err()
		}
		if readErr != nil {
			return nil, readErr
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
}

func cmpOr(a, b *entry) *entry {
	if a != nil {
		return a
	}
	return b
}

// WaitForOutboundText waits for a bot or agent message whose text contains
// contains (any non-empty text when contains is ""). Echoes of the guest's
// own messages never match.
func (s *Session) WaitForOutboundText(ctx context.Context, contains string) (*Frame, error) {
	f, err := s.waitFor(ctx, func(f *Frame) bool {
		return f.IsOutbound() && f.Message.Text != "" && strings.Contains(f.Message.Text, contains)
	})
	if err != nil {
		return nil, fmt.Errorf("guest: waiting for outbound text %q (seen so far: %q): %w", contains, s.Transcript(), err)
	}
	return f, nil
}

// Transcript returns the text of every outbound message received so far,
// in arrival order, each message once.
func (s *Session) Transcript() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.transcript...)
}

// Frames returns every frame received so far, in arrival order (keep-alive
// replies excluded). Useful when a test fails.
func (s *Session) Frames() []*Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Frame, len(s.frames))
	for i, e := range s.frames {
		out[i] = e.f
	}
	return out
}

// Close sends closeSession (ending the session on every connection) and
// closes the WebSocket. ctx bounds the close handshake; when it ends first
// the connection is dropped. Close is idempotent.
func (s *Session) Close(ctx context.Context) error {
	s.closeOnce.Do(func() {
		if s.err() == nil {
			s.closeErr = s.write(ctx, protocol.CloseSession(s.token, newUUID()))
		}
		done := make(chan struct{})
		go func() {
			s.shutdown(websocket.StatusNormalClosure, "")
			close(done)
		}()
		select {
		case <-done:
		case <-ctx.Done():
			// Ending the reader's context makes coder/websocket drop the
			// connection, which cuts the close handshake short.
			s.cancel()
			<-done
			if s.closeErr == nil {
				s.closeErr = fmt.Errorf("guest: close: %w", context.Cause(ctx))
			}
		}
	})
	return s.closeErr
}

// shutdown closes the connection and waits for the reader and keep-alive.
func (s *Session) shutdown(code websocket.StatusCode, reason string) {
	s.mu.Lock()
	if s.readErr == nil {
		s.readErr = ErrClosed // from now on, Send fails and waits see ErrClosed
		s.notifyLocked()
	}
	s.mu.Unlock()
	_ = s.conn.Close(code, reason)
	s.cancel()
	s.wg.Wait()
}

// newUUID returns a random (version 4) UUID, the token format Genesys recommends.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
