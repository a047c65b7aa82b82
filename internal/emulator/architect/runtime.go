package architect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/dataaction"
	"github.com/bpgen/bpgen/internal/emulator/org"
)

// Options configure a Runtime. The zero value serves the org on a loopback
// port and runs in real time.
type Options struct {
	// BaseURL is where o.Handler() is already served (e.g.
	// "http://127.0.0.1:8080"). Empty: Start serves it on 127.0.0.1 with an
	// ephemeral port, and Close stops it. Either way the data actions reach
	// the org over real HTTP, with a bearer token, as on the platform.
	BaseURL string
	// HTTPClient calls the org. nil: a client whose connection pool fits
	// many concurrent conversations.
	HTTPClient *http.Client
	// TimeScale multiplies the durations the bundle specifies (data-action
	// and callData timeouts, the bot's no-input timeout) so that timeout
	// paths can run in milliseconds. 0 means 1 (real time).
	TimeScale float64
	// OnAwaitInput, when set, is called each time a bot waits for the
	// customer, after the prompt was sent. It returns true when the customer
	// replies (it may send the reply through the org before returning) and
	// false when the customer stays silent: the bot then takes its no-input
	// path at once instead of waiting out noInputsTimeout. This makes
	// scripted customers exact regardless of scheduling. nil: wait for a
	// customer message up to the bot's (scaled) noInputsTimeout.
	OnAwaitInput func(AwaitInput) bool
	// ReplyTimeout bounds the wait for a reply OnAwaitInput promised, so a
	// broken script cannot hang a conversation. 0 means 30 s.
	ReplyTimeout time.Duration
	// OnDone, when set, receives each conversation's result when its flow
	// finishes (from the conversation's goroutine).
	OnDone func(*Result)
	// KeepTraces bounds how many finished conversations keep their full
	// Result (trace and variables) for Result: older ones keep only how
	// they ended, so a long-running org serve does not grow with every
	// conversation's trace. 0 keeps every one (tests, simulate).
	KeepTraces int
	// DataActionsClient is the OAuth client (client-credentials grant) the
	// data actions call the org with: the one behind the data-actions
	// integration's credential in a deployed org (internal/emulator/deploy's
	// Deployment.StartRuntime passes it). Required: the runtime deploys
	// nothing itself.
	DataActionsClient *DataActionsClient
}

// DataActionsClient is an OAuth client of the org, by id and secret.
type DataActionsClient struct {
	ID, Secret string
}

// AwaitInput describes a bot waiting for the customer.
type AwaitInput struct {
	ConversationID string
	Slot           string // the slot being asked for, e.g. "Email"
	Attempt        int    // 1 after the question, 2 after the first re-prompt, ...
	Prompt         string // the text the bot just sent
}

// Result is what became of one conversation.
type Result struct {
	ConversationID string `json:"conversationId"`
	// Ended is how the conversation left the flow: "transferred" (to a
	// queue, by transferToAcd or by the error handling), "disconnected",
	// "flowEnded" (the flow ran out of actions) or "aborted" (the runtime or
	// the caller gave up).
	Ended string `json:"ended"`
	// Queue is the queue the conversation reached; "" when none.
	Queue string `json:"queue,omitempty"`
	// Error is the runtime error the flow's error handling caught, with its
	// file and line; "" when none.
	Error string `json:"error,omitempty"`
	// Variables are the inbound flow's Flow.* variables when it ended, as
	// display text (NOT_SET is "").
	Variables map[string]string `json:"variables"`
	// DataActionCalls counts data-action executions.
	DataActionCalls int           `json:"dataActionCalls"`
	Duration        time.Duration `json:"durationNs"`
	Trace           Trace         `json:"trace"`
}

// Runtime runs a bundle's flows for every conversation in one org.
type Runtime struct {
	bundle  *Bundle
	org     *org.Org
	opts    Options
	da      *dataaction.Runtime
	baseURL string
	srv     *http.Server
	client  *http.Client
	scale   float64

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	unsub  func()

	mu       sync.Mutex
	closed   bool
	sessions map[string]*session
	// finished are the sessions whose results still hold a trace, oldest
	// first (only with KeepTraces).
	finished []*session
}

// Start runs b in o, where b is deployed already (internal/emulator/deploy), and
// serves o over loopback HTTP unless opts.BaseURL says where it is served.
// It attaches the runtime to the org's conversation events: from now on
// every conversation's first customer message runs the inbound message
// flow. Close detaches it.
func Start(o *org.Org, b *Bundle, opts Options) (*Runtime, error) {
	if opts.DataActionsClient == nil || opts.DataActionsClient.ID == "" || opts.DataActionsClient.Secret == "" {
		return nil, errors.New("architect: Options.DataActionsClient names no OAuth client for the data actions")
	}
	dep := *opts.DataActionsClient
	var err error
	r := &Runtime{bundle: b, org: o, opts: opts, sessions: map[string]*session{}, scale: opts.TimeScale}
	if r.scale <= 0 {
		r.scale = 1
	}
	if r.opts.ReplyTimeout <= 0 {
		r.opts.ReplyTimeout = 30 * time.Second
	}
	r.client = opts.HTTPClient
	if r.client == nil {
		r.client = &http.Client{Transport: &http.Transport{
			Proxy:               nil, // loopback: never through a proxy
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        512,
			MaxIdleConnsPerHost: 256,
			// Bounded so a thousand concurrent conversations queue for a
			// connection instead of exhausting file descriptors.
			MaxConnsPerHost: 256,
			IdleConnTimeout: 90 * time.Second,
		}}
	}
	r.baseURL = strings.TrimRight(opts.BaseURL, "/")
	if r.baseURL == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("architect: serving the org: %w", err)
		}
		r.srv = &http.Server{Handler: o.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = r.srv.Serve(ln) }()
		r.baseURL = "http://" + ln.Addr().String()
	}
	tokens := &dataaction.ClientCredentials{TokenURL: r.baseURL + "/oauth/token", ClientID: dep.ID, ClientSecret: dep.Secret, HTTPClient: r.client}
	if r.da, err = dataaction.New(r.baseURL, tokens, &dataaction.Options{HTTPClient: r.client}); err != nil {
		r.stopServer()
		return nil, err
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.unsub = o.Subscribe(r.onEvent)
	return r, nil
}

// BaseURL returns the URL the org is served at.
func (r *Runtime) BaseURL() string { return r.baseURL }

// Bundle returns the bundle the runtime runs.
func (r *Runtime) Bundle() *Bundle {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bundle
}

// SetBundle replaces the flows that conversations starting from now on run;
// running conversations keep the flows they started with. The flows
// published over the API (LoadPublished) replace the runtime's this way.
func (r *Runtime) SetBundle(b *Bundle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bundle = b
}

// Close detaches the runtime, aborts running conversations, waits for them
// and stops the server Start began.
func (r *Runtime) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	r.unsub()
	r.cancel()
	r.wg.Wait()
	r.stopServer()
	if t, ok := r.client.Transport.(*http.Transport); ok && r.opts.HTTPClient == nil {
		t.CloseIdleConnections()
	}
	return nil
}

func (r *Runtime) stopServer() {
	if r.srv != nil {
		_ = r.srv.Close()
	}
}

func (r *Runtime) scaled(d time.Duration) time.Duration {
	if r.scale == 1 {
		return d
	}
	return max(time.Duration(float64(d)*r.scale), time.Millisecond)
}

// session is one conversation as the runtime sees it.
type session struct {
	id   string
	done chan struct{}

	mu      sync.Mutex
	started bool
	ended   bool // the conversation was disconnected
	inbox   []string
	notify  chan struct{}
	result  *Result

	evicted bool // the org evicted the conversation; guarded by Runtime.mu
}

func (r *Runtime) session(id string) *session {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.sessions[id] // created by Wait or by the first message, whichever comes first
	if !ok {
		s = &session{id: id, done: make(chan struct{}), notify: make(chan struct{}, 1)}
		r.sessions[id] = s
	}
	return s
}

// onEvent runs inside the org's event delivery, which is serialised: it
// only records and hands off, never blocks.
func (r *Runtime) onEvent(ev org.Event) {
	switch ev.Type {
	case org.EventCustomerMessage:
		// r.mu orders this against Close: no run starts once Close began.
		r.mu.Lock()
		if r.closed {
			r.mu.Unlock()
			return
		}
		s, ok := r.sessions[ev.ConversationID]
		if !ok {
			s = &session{id: ev.ConversationID, done: make(chan struct{}), notify: make(chan struct{}, 1)}
			r.sessions[ev.ConversationID] = s
		}
		s.mu.Lock()
		if !s.started {
			s.started = true
			r.wg.Add(1)
			s.mu.Unlock()
			r.mu.Unlock()
			msg, conv := *ev.Message, ev.Conversation
			go func() {
				defer r.wg.Done()
				r.runConversation(s, conv, msg)
			}()
			return
		}
		r.mu.Unlock()
		if s.result == nil {
			s.inbox = append(s.inbox, ev.Message.Text)
			s.signal()
		}
		s.mu.Unlock()
	case org.EventConversationEvicted:
		// The org forgot the conversation (org.WithConversationLimit): so
		// does the runtime, once the flow is done with it.
		r.mu.Lock()
		if s := r.sessions[ev.ConversationID]; s != nil {
			select {
			case <-s.done:
				delete(r.sessions, ev.ConversationID)
			default:
				s.evicted = true // runConversation drops it when it ends
			}
		}
		r.mu.Unlock()
	case org.EventConversationEnded:
		r.mu.Lock()
		s := r.sessions[ev.ConversationID]
		r.mu.Unlock()
		if s != nil {
			s.mu.Lock()
			s.ended = true
			s.signal()
			s.mu.Unlock()
		}
	}
}

// signal wakes a flow waiting for input; call with s.mu held.
func (s *session) signal() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// pop takes the oldest unread customer message.
func (s *session) pop() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.inbox) == 0 {
		return "", false
	}
	m := s.inbox[0]
	s.inbox = s.inbox[1:]
	return m, true
}

func (s *session) disconnected() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended
}

// Wait blocks until the conversation's flow has finished and returns its
// result. A conversation whose first customer message has not arrived yet is
// waited for too.
func (r *Runtime) Wait(ctx context.Context, conversationID string) (*Result, error) {
	s := r.session(conversationID)
	select {
	case <-s.done:
		return s.result, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for conversation %s: %w", conversationID, ctx.Err())
	case <-r.ctx.Done():
		// Closed: a running flow is being aborted and its result follows
		// shortly; one that never started never will.
		s.mu.Lock()
		started := s.started
		s.mu.Unlock()
		if !started {
			return nil, fmt.Errorf("waiting for conversation %s: the runtime is closed", conversationID)
		}
		select {
		case <-s.done:
			return s.result, nil
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for conversation %s: %w", conversationID, ctx.Err())
		}
	}
}

// Result returns a finished conversation's result.
func (r *Runtime) Result(conversationID string) (*Result, bool) {
	r.mu.Lock()
	s := r.sessions[conversationID]
	r.mu.Unlock()
	if s == nil {
		return nil, false
	}
	select {
	case <-s.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.result, true
	default:
		return nil, false
	}
}

func (r *Runtime) runConversation(s *session, conv org.Conversation, trigger org.Message) {
	start := time.Now()
	// A bpgen conversation takes 30 to 60 steps: one allocation up front
	// instead of a growing slice.
	x := &run{rt: r, s: s, ctx: r.ctx, conv: conv, trace: make(Trace, 0, 64)}
	res := x.runInbound(trigger)
	res.Duration = time.Since(start)
	s.mu.Lock()
	s.result = res
	s.mu.Unlock()
	if res.Ended == "transferred" {
		// In the queue now, where no agent of an emulated org will ever
		// answer: nothing more happens to it, so the org may evict it
		// (org.WithConversationLimit). It stays connected. Released before
		// Wait returns, so a caller sees the org's retention settled.
		_ = r.org.ReleaseConversation(s.id)
	}
	close(s.done)
	r.mu.Lock()
	if s.evicted {
		delete(r.sessions, s.id)
	}
	r.mu.Unlock()
	if r.opts.OnDone != nil {
		r.opts.OnDone(res)
	}
	if n := r.opts.KeepTraces; n > 0 {
		r.mu.Lock()
		r.finished = append(r.finished, s)
		var old *session
		if len(r.finished) > n {
			old = r.finished[0]
			r.finished[0] = nil
			r.finished = r.finished[1:]
		}
		r.mu.Unlock()
		if old != nil {
			old.mu.Lock()
			// A copy: OnDone's receiver may still hold the original.
			slim := *old.result
			slim.Trace, slim.Variables = nil, nil
			old.result = &slim
			old.mu.Unlock()
		}
	}
}
