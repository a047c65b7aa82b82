// Package protocol defines the frames of the Genesys Cloud Web Messaging
// guest (Messenger) WebSocket protocol, api.md §4, in one place: the guest
// client in internal/platform/guest encodes requests and decodes responses with these
// types, and the emulated org decodes requests and encodes responses with the
// same types (see server.go), so the two cannot drift apart.
//
// Field names follow the official Messenger transport SDK
// (MyPureCloud/genesys-messenger-transport-mobile-sdk, shyrka/send and
// shyrka/receive). The package has no dependencies beyond encoding/json.
package protocol

import "encoding/json"

// Path is the WebSocket endpoint path: wss://webmessaging.{domain}/v1?deploymentId=….
const Path = "/v1"

// Query parameters of the WebSocket URL.
const (
	QueryDeploymentID = "deploymentId"
	QueryApplication  = "application"
)

// Request actions (client → server).
const (
	ActionConfigureSession              = "configureSession"
	ActionConfigureAuthenticatedSession = "configureAuthenticatedSession"
	ActionOnMessage                     = "onMessage"
	ActionEcho                          = "echo"
	ActionCloseSession                  = "closeSession"
	ActionGetJwt                        = "getJwt"
	ActionOnAttachment                  = "onAttachment"
	ActionGetAttachment                 = "getAttachment"
	ActionDeleteAttachment              = "deleteAttachment"
	// ActionGetConfiguration asks for the deployment's session settings
	// before (or without) configuring a session (MyPureCloud/web-messaging-sdk-java:
	// GetConfigurationRequest {action, token, tracingId, deploymentId}).
	ActionGetConfiguration = "getConfiguration"
)

// HealthCheckTracingID is the tracingId of the echo keep-alive. The server
// answers it with a StructuredMessage response carrying the same tracingId,
// which is how a client tells the keep-alive reply from real traffic.
const HealthCheckTracingID = "SGVhbHRoQ2hlY2tNZXNzYWdlSWQ="

// Frame types (server → client envelope "type").
const (
	TypeResponse = "response" // answers a request
	TypeMessage  = "message"  // pushed by the server
)

// Frame classes (server → client envelope "class").
const (
	ClassString                    = "string" // body is a plain string; an error when code is not 2xx
	ClassSessionResponse           = "SessionResponse"
	ClassGetConfigurationResponse  = "GetConfigurationResponse"
	ClassStructuredMessage         = "StructuredMessage"
	ClassSessionExpiredEvent       = "SessionExpiredEvent"
	ClassConnectionClosedEvent     = "ConnectionClosedEvent"
	ClassSessionClearedEvent       = "SessionClearedEvent"
	ClassLogoutEvent               = "LogoutEvent"
	ClassTooManyRequestsError      = "TooManyRequestsErrorMessage"
	ClassJwtResponse               = "JwtResponse"
	ClassPresignedURLResponse      = "PresignedUrlResponse"
	ClassUploadSuccessEvent        = "UploadSuccessEvent"
	ClassUploadFailureEvent        = "UploadFailureEvent"
	ClassAttachmentDeletedResponse = "AttachmentDeletedResponse"
	ClassGenerateURLError          = "GenerateUrlError"
)

// Message types, directions and event types.
const (
	MessageTypeText       = "Text"
	MessageTypeStructured = "Structured"
	MessageTypeEvent      = "Event"

	DirectionInbound  = "Inbound"  // guest → org (including the echo of the guest's own message)
	DirectionOutbound = "Outbound" // org (bot or agent) → guest

	EventTypePresence = "Presence"
	EventTypeTyping   = "Typing"

	PresenceJoin       = "Join"
	PresenceDisconnect = "Disconnect"
	PresenceClear      = "Clear"
	PresenceSignIn     = "SignIn"

	OriginatingEntityBot   = "Bot"
	OriginatingEntityHuman = "Human"
)

// Request is any client → server frame. It is one flat struct rather than a
// type per action because a server must decode a frame before it knows its
// action; fields that do not apply to an action stay empty and are omitted.
type Request struct {
	Action string `json:"action"`
	Token  string `json:"token"`

	// configureSession / configureAuthenticatedSession
	DeploymentID   string          `json:"deploymentId,omitempty"`
	StartNew       bool            `json:"startNew,omitempty"`
	JourneyContext *JourneyContext `json:"journeyContext,omitempty"`
	Data           *AuthData       `json:"data,omitempty"`

	// onMessage / echo
	Message *Message `json:"message,omitempty"`
	Time    string   `json:"time,omitempty"`

	// closeSession
	CloseAllConnections bool `json:"closeAllConnections,omitempty"`

	// Channel is the legacy, top-level location of custom attributes. Genesys
	// ignores it from 2026-06-05; it is decoded only so a server can notice
	// a client that still uses it. Clients put attributes in Message.Channel.
	Channel *Channel `json:"channel,omitempty"`

	TracingID string `json:"tracingId,omitempty"`
}

// CustomAttributes returns message.channel.metadata.customAttributes, or nil.
func (r *Request) CustomAttributes() map[string]string {
	if r.Message == nil {
		return nil
	}
	return r.Message.Channel.customAttributes()
}

// JourneyContext links a session to web tracking (optional).
type JourneyContext struct {
	Customer        JourneyCustomer        `json:"customer"`
	CustomerSession JourneyCustomerSession `json:"customerSession"`
}

// JourneyCustomer identifies the tracked customer.
type JourneyCustomer struct {
	ID     string `json:"id"`
	IDType string `json:"idType"`
}

// JourneyCustomerSession identifies the tracked session.
type JourneyCustomerSession struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// AuthData carries the auth code or JWT of configureAuthenticatedSession.
type AuthData struct {
	Code string `json:"code"`
}

// Message is the message of an onMessage or echo request.
type Message struct {
	Type     string            `json:"type"`
	Text     string            `json:"text,omitempty"`
	Events   []Event           `json:"events,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"`
	// Channel carries the custom attributes that become participant data.
	Channel *Channel `json:"channel,omitempty"`
}

// Channel wraps channel metadata.
type Channel struct {
	Metadata *ChannelMetadata `json:"metadata,omitempty"`
}

// ChannelMetadata holds the custom attributes.
type ChannelMetadata struct {
	CustomAttributes map[string]string `json:"customAttributes,omitempty"`
}

func (c *Channel) customAttributes() map[string]string {
	if c == nil || c.Metadata == nil {
		return nil
	}
	return c.Metadata.CustomAttributes
}

// channelWith returns a Channel holding attrs, or nil when attrs is empty,
// so that messages without attributes carry no channel at all.
func channelWith(attrs map[string]string) *Channel {
	if len(attrs) == 0 {
		return nil
	}
	return &Channel{Metadata: &ChannelMetadata{CustomAttributes: attrs}}
}

// Event is a typing or presence event.
type Event struct {
	EventType string    `json:"eventType"`
	Presence  *Presence `json:"presence,omitempty"`
	Typing    *Typing   `json:"typing,omitempty"`
}

// Presence is a presence event payload.
type Presence struct {
	Type string `json:"type"`
}

// Typing is a typing event payload.
type Typing struct {
	Type     string `json:"type"`
	Duration int64  `json:"duration,omitempty"`
}

// ConfigureSession builds the request that opens (or, with a known token, resumes) a guest session.
func ConfigureSession(token, deploymentID, tracingID string) Request {
	return Request{Action: ActionConfigureSession, Token: token, DeploymentID: deploymentID, TracingID: tracingID}
}

// TextMessage builds an onMessage request with text and, when attrs is not
// empty, custom attributes in message.channel.metadata.customAttributes.
func TextMessage(token, text string, attrs map[string]string, tracingID string) Request {
	return Request{Action: ActionOnMessage, Token: token, TracingID: tracingID,
		Message: &Message{Type: MessageTypeText, Text: text, Channel: channelWith(attrs)}}
}

// JoinEvent builds the Presence Join ("auto-start") onMessage request, which
// starts the conversation and sets custom attributes without any text.
func JoinEvent(token string, attrs map[string]string, tracingID string) Request {
	return Request{Action: ActionOnMessage, Token: token, TracingID: tracingID,
		Message: &Message{Type: MessageTypeEvent, Channel: channelWith(attrs),
			Events: []Event{{EventType: EventTypePresence, Presence: &Presence{Type: PresenceJoin}}}}}
}

// Echo builds the keep-alive request.
func Echo(token string) Request {
	return Request{Action: ActionEcho, Token: token, TracingID: HealthCheckTracingID,
		Message: &Message{Type: MessageTypeText, Text: "ping"}}
}

// CloseSession builds the request that ends the session on every connection.
func CloseSession(token, tracingID string) Request {
	return Request{Action: ActionCloseSession, Token: token, CloseAllConnections: true, TracingID: tracingID}
}

// Frame is the server → client envelope {type, class, code, body, tracingId}.
type Frame struct {
	Type      string          `json:"type"`
	Class     string          `json:"class"`
	Code      int             `json:"code"`
	Body      json.RawMessage `json:"body,omitempty"`
	TracingID string          `json:"tracingId,omitempty"`
}

// IsError reports whether the frame reports a failure: a non-2xx code
// (e.g. 400 "Deployment not found", 4013 attributes too large, 429).
func (f *Frame) IsError() bool { return f.Code < 200 || f.Code > 299 }

// Text returns the body of a "string" frame (typically an error message), or "".
func (f *Frame) Text() string {
	var s string
	if json.Unmarshal(f.Body, &s) != nil {
		return ""
	}
	return s
}

// DecodeBody decodes the body into v.
func (f *Frame) DecodeBody(v any) error { return json.Unmarshal(f.Body, v) }

// DecodeFrame decodes one server frame. Unknown classes decode fine: only
// the envelope is interpreted here.
func DecodeFrame(data []byte) (Frame, error) {
	var f Frame
	err := json.Unmarshal(data, &f)
	return f, err
}

// SessionResponse answers configureSession.
type SessionResponse struct {
	Connected              bool          `json:"connected"`
	NewSession             bool          `json:"newSession"`
	ReadOnly               bool          `json:"readOnly,omitempty"`
	MaxCustomDataBytes     int           `json:"maxCustomDataBytes,omitempty"`
	AllowedMedia           *AllowedMedia `json:"allowedMedia,omitempty"`
	BlockedExtensions      []string      `json:"blockedExtensions,omitempty"`
	ClearedExistingSession bool          `json:"clearedExistingSession,omitempty"`
	DurationSeconds        int64         `json:"durationSeconds,omitempty"`
	ExpirationDate         int64         `json:"expirationDate,omitempty"`
}

// GetConfigurationResponse answers getConfiguration (web-messaging-sdk-java
// model GetConfigurationResponse).
type GetConfigurationResponse struct {
	AllowedMedia           *AllowedMedia `json:"allowedMedia,omitempty"`
	BlockedExtensions      []string      `json:"blockedExtensions"`
	MaxCustomDataBytes     int           `json:"maxCustomDataBytes"`
	MessageRoutingEnabled  bool          `json:"messageRoutingEnabled"`
	SessionDurationSeconds int64         `json:"sessionDurationSeconds"`
}

// AllowedMedia lists the attachment types a guest may upload.
type AllowedMedia struct {
	Inbound *InboundMedia `json:"inbound,omitempty"`
}

// InboundMedia is the inbound part of AllowedMedia.
type InboundMedia struct {
	FileTypes     []FileType `json:"fileTypes,omitempty"`
	MaxFileSizeKB int64      `json:"maxFileSizeKB,omitempty"`
}

// FileType is one allowed MIME type.
type FileType struct {
	Type string `json:"type"`
}

// StructuredMessage is a message in either direction: the echo of the
// guest's own message (Inbound) or a bot/agent reply (Outbound).
type StructuredMessage struct {
	ID                   string            `json:"id"`
	Type                 string            `json:"type"`
	Text                 string            `json:"text,omitempty"`
	Direction            string            `json:"direction"`
	Channel              *MessageChannel   `json:"channel,omitempty"`
	Content              []Content         `json:"content,omitempty"`
	Events               []Event           `json:"events,omitempty"`
	Metadata             map[string]string `json:"metadata,omitempty"`
	OriginatingEntity    string            `json:"originatingEntity,omitempty"` // Bot or Human
	OriginatingMessageID string            `json:"originatingMessageId,omitempty"`
}

// MessageChannel is the channel block of a StructuredMessage. Time is kept
// as the server's string (ISO-8601 in practice).
type MessageChannel struct {
	Time      string       `json:"time,omitempty"`
	MessageID string       `json:"messageId,omitempty"`
	Type      string       `json:"type,omitempty"`
	To        *Participant `json:"to,omitempty"`
	From      *Participant `json:"from,omitempty"`
}

// Participant names a message's sender or recipient.
type Participant struct {
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Nickname  string `json:"nickname,omitempty"`
	Image     string `json:"image,omitempty"`
}

// Content is one rich-content item. Only the kinds a text-driven test needs
// are typed; others keep ContentType and are otherwise ignored.
type Content struct {
	ContentType string      `json:"contentType"` // QuickReply, Attachment, ButtonResponse, Card, Carousel, DatePicker
	QuickReply  *QuickReply `json:"quickReply,omitempty"`
	Attachment  *Attachment `json:"attachment,omitempty"`
}

// QuickReply is a suggested answer button.
type QuickReply struct {
	Text    string `json:"text"`
	Payload string `json:"payload"`
	Action  string `json:"action,omitempty"`
}

// Attachment is a file in a message.
type Attachment struct {
	ID        string `json:"id,omitempty"`
	URL       string `json:"url,omitempty"`
	Filename  string `json:"filename,omitempty"`
	MediaType string `json:"mediaType,omitempty"`
	Mime      string `json:"mime,omitempty"`
}

// TooManyRequests is the body of a TooManyRequestsErrorMessage frame.
type TooManyRequests struct {
	RetryAfter   int    `json:"retryAfter"`
	ErrorCode    int    `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

// ConnectionClosed is the body of a ConnectionClosedEvent frame.
type ConnectionClosed struct {
	Reason string `json:"reason,omitempty"`
}
