package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Server-side helpers: what an emulated Web Messaging endpoint needs to speak
// the protocol with exactly the types the client uses.

// DecodeRequest decodes one client frame and checks the fields every action
// needs (action, token; deploymentId for configureSession).
func DecodeRequest(data []byte) (*Request, error) {
	var r Request
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("protocol: decoding request: %w", err)
	}
	switch {
	case r.Action == "":
		return nil, errors.New("protocol: request has no action")
	case r.Token == "":
		return nil, fmt.Errorf("protocol: %s request has no token", r.Action)
	case len(r.Token) > 2048:
		return nil, fmt.Errorf("protocol: %s request token exceeds 2048 characters", r.Action)
	case (r.Action == ActionConfigureSession || r.Action == ActionConfigureAuthenticatedSession || r.Action == ActionGetConfiguration) && r.DeploymentID == "":
		return nil, fmt.Errorf("protocol: %s request has no deploymentId", r.Action)
	case r.Action == ActionOnMessage && r.Message == nil:
		return nil, errors.New("protocol: onMessage request has no message")
	}
	return &r, nil
}

// EncodeFrame encodes an envelope around body (which may be a string for
// class "string", a struct, or nil).
func EncodeFrame(frameType, class string, code int, body any, tracingID string) ([]byte, error) {
	f := Frame{Type: frameType, Class: class, Code: code, TracingID: tracingID}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("protocol: encoding %s body: %w", class, err)
		}
		f.Body = b
	}
	return json.Marshal(f)
}

// EncodeSessionResponse encodes the 200 answer to configureSession.
func EncodeSessionResponse(tracingID string, body SessionResponse) ([]byte, error) {
	return EncodeFrame(TypeResponse, ClassSessionResponse, 200, body, tracingID)
}

// EncodeStructuredMessage encodes a StructuredMessage frame. frameType is
// TypeMessage for pushed messages (bot replies, the echo of the guest's
// message) and TypeResponse for direct answers (e.g. the echo keep-alive,
// with tracingID HealthCheckTracingID).
func EncodeStructuredMessage(frameType, tracingID string, msg StructuredMessage) ([]byte, error) {
	return EncodeFrame(frameType, ClassStructuredMessage, 200, msg, tracingID)
}

// EncodeError encodes a failure answer, e.g. EncodeError(400,
// "Deployment not found", tracingID): class "string", body the text.
func EncodeError(code int, text, tracingID string) ([]byte, error) {
	return EncodeFrame(TypeResponse, ClassString, code, text, tracingID)
}

// EncodeEvent encodes a body-less event frame such as SessionExpiredEvent,
// ConnectionClosedEvent or SessionClearedEvent.
func EncodeEvent(class string, body any) ([]byte, error) {
	if body == nil {
		body = struct{}{}
	}
	return EncodeFrame(TypeMessage, class, 200, body, "")
}

// EchoReply builds the keep-alive answer to an echo request.
func EchoReply(id string) StructuredMessage {
	return StructuredMessage{ID: id, Type: MessageTypeText, Text: "ping", Direction: DirectionInbound}
}
