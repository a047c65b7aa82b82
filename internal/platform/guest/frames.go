package guest

import (
	"fmt"
	"time"

	"github.com/bpgen/bpgen/internal/platform/guest/protocol"
)

// Aliases so callers rarely need to import protocol.
type (
	SessionResponse   = protocol.SessionResponse
	StructuredMessage = protocol.StructuredMessage
)

// Frame is one server frame as received, with its body decoded when the
// class is one the harness reads.
type Frame struct {
	protocol.Frame
	// Seq numbers frames in arrival order, from 1.
	Seq int
	// Received is the local arrival time.
	Received time.Time
	// Raw is the frame exactly as received.
	Raw []byte
	// Message is set for StructuredMessage frames.
	Message *protocol.StructuredMessage
	// Session is set for SessionResponse frames.
	Session *protocol.SessionResponse
}

// IsOutbound reports whether the frame is a bot or agent message to the guest.
func (f *Frame) IsOutbound() bool {
	return f.Message != nil && f.Message.Direction == protocol.DirectionOutbound
}

// IsEcho reports whether the frame echoes a message the guest sent.
func (f *Frame) IsEcho() bool {
	return f.Message != nil && f.Message.Direction == protocol.DirectionInbound
}

// Text is the message text for StructuredMessage frames, or the body of a
// "string" frame.
func (f *Frame) Text() string {
	if f.Message != nil {
		return f.Message.Text
	}
	if f.Class == protocol.ClassString {
		return f.Frame.Text()
	}
	return ""
}

// Err returns a *ServerError for frames that report a failure or end the
// session (non-2xx code, SessionExpiredEvent, ConnectionClosedEvent,
// LogoutEvent), and nil otherwise.
func (f *Frame) Err() error {
	switch {
	case f.IsError():
	case f.Class == protocol.ClassSessionExpiredEvent,
		f.Class == protocol.ClassConnectionClosedEvent,
		f.Class == protocol.ClassLogoutEvent:
	default:
		return nil
	}
	e := &ServerError{Code: f.Code, Class: f.Class, TracingID: f.TracingID, Text: f.Frame.Text()}
	if f.Class == protocol.ClassTooManyRequestsError {
		var b protocol.TooManyRequests
		if f.DecodeBody(&b) == nil {
			e.Text = b.ErrorMessage
			e.RetryAfter = time.Duration(b.RetryAfter) * time.Second
		}
	}
	if f.Class == protocol.ClassConnectionClosedEvent {
		var b protocol.ConnectionClosed
		if f.DecodeBody(&b) == nil {
			e.Text = b.Reason
		}
	}
	return e
}

// ServerError is a failure reported by the server in a frame, e.g. code 400
// "Deployment not found" or 4013 "Custom Attributes … larger than 2048 bytes".
type ServerError struct {
	Code       int
	Class      string
	Text       string
	TracingID  string
	RetryAfter time.Duration // for TooManyRequestsErrorMessage
}

func (e *ServerError) Error() string {
	var s string
	if e.Class == protocol.ClassString || e.Class == "" {
		s = fmt.Sprintf("server error %d", e.Code)
	} else {
		s = "server sent " + e.Class
		if e.Code != 200 {
			s += fmt.Sprintf(" %d", e.Code)
		}
	}
	if e.Text != "" {
		s += ": " + e.Text
	}
	if e.TracingID != "" {
		s += " (tracingId " + e.TracingID + ")"
	}
	return s
}
