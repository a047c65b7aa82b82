package architect

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// StepKind says what a trace step records.
type StepKind string

// Step kinds.
const (
	StepFlow    StepKind = "flow"    // a flow starts running (the inbound flow, a bot, a module)
	StepState   StepKind = "state"   // a state or task is entered
	StepAction  StepKind = "action"  // an action ran; Detail says what it decided or set
	StepCall    StepKind = "http"    // a data action's HTTP call; see Call
	StepSay     StepKind = "say"     // a message to the customer
	StepHear    StepKind = "hear"    // a message from the customer that the flow consumed
	StepSilence StepKind = "silence" // the customer did not answer
	StepReturn  StepKind = "return"  // a bot or module returned; Detail lists the outputs
	StepError   StepKind = "error"   // a runtime error and how the flow handled it
	StepEnd     StepKind = "end"     // how the conversation left the flow
)

// Step is one entry of a conversation's trace.
type Step struct {
	Kind  StepKind `json:"kind"`
	Depth int      `json:"depth"` // nesting: actions inside branches, bots and modules are deeper
	File  string   `json:"file,omitempty"`
	Line  int      `json:"line,omitempty"`
	// Action is the Archy action type (decision, callData, ...), Name the
	// action's name in the flow.
	Action string `json:"action,omitempty"`
	Name   string `json:"name,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Text is the message (say, hear); Prompt says which prompt a bot
	// message was: question, noMatch, noInput, handover, error or response.
	Text   string `json:"text,omitempty"`
	Prompt string `json:"prompt,omitempty"`
	Call   *Call  `json:"call,omitempty"`
}

// Call is one data-action execution and the HTTP request it made.
type Call struct {
	Key      string        `json:"key"`    // manifest key: lookup, conversation, merge, associate
	Action   string        `json:"action"` // the data action's name
	Method   string        `json:"method"`
	Path     string        `json:"path"`
	Status   int           `json:"status"` // 0 when no response arrived
	Attempts int           `json:"attempts"`
	Latency  time.Duration `json:"latencyNs"`
	Timeout  time.Duration `json:"timeoutNs"` // the limit applied (after time scaling)
	Outcome  string        `json:"outcome"`   // success, failure or timeout
	// Inputs are what the flow passed, Outputs what it bound (success or
	// failure outputs).
	Inputs  map[string]any `json:"inputs,omitempty"`
	Outputs map[string]any `json:"outputs,omitempty"`
	Failure string         `json:"failure,omitempty"`
}

// Trace is a conversation's steps in order.
type Trace []Step

// Write renders the trace as indented text, one line per step (a multi-line
// message keeps its line breaks, indented).
func (t Trace) Write(w io.Writer, indent string) error {
	var b strings.Builder
	for _, s := range t {
		pad := indent + strings.Repeat("  ", s.Depth)
		b.WriteString(pad)
		b.WriteString(s.line())
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t Trace) String() string {
	var b strings.Builder
	_ = t.Write(&b, "")
	return b.String()
}

func (s Step) where() string {
	if s.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d ", s.File, s.Line)
}

func (s Step) line() string {
	switch s.Kind {
	case StepSay:
		return "bot> " + indentMessage(s.Text) + promptNote(s.Prompt)
	case StepHear:
		return "customer> " + indentMessage(s.Text)
	case StepSilence:
		return "customer> (no reply)"
	case StepCall:
		c := s.Call
		st := "no response"
		if c.Status != 0 {
			st = fmt.Sprint(c.Status)
		}
		out := fmt.Sprintf("%s %s -> %s in %s => %s", c.Method, c.Path, st, fmtLatency(c.Latency), c.Outcome)
		if c.Attempts > 1 {
			out += fmt.Sprintf(" (%d attempts)", c.Attempts)
		}
		if c.Failure != "" {
			out += ": " + c.Failure
		}
		return out
	}
	var b strings.Builder
	b.WriteString(s.where())
	if s.Kind == StepError {
		b.WriteString("runtime error: ")
	}
	head := ""
	if s.Action != "" {
		head = s.Action
		if s.Name != "" {
			head += fmt.Sprintf(" %q", s.Name)
		}
	} else {
		head = s.Name
	}
	b.WriteString(head)
	if s.Detail != "" {
		if head != "" {
			b.WriteString(": ")
		}
		b.WriteString(s.Detail)
	}
	return strings.TrimRight(b.String(), " ")
}

func promptNote(p string) string {
	switch p {
	case "", "response", "question":
		return ""
	}
	return "  [" + p + "]"
}

func indentMessage(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }

// fmtLatency rounds a latency for reading: microseconds below 10 ms.
func fmtLatency(d time.Duration) string {
	if d < 10*time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(100 * time.Microsecond).String()
}
