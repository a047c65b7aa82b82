package org

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// openInboundBody is OpenInboundNormalizedMessage. Top-level metadata is
// map<string,string>, so nesting objects there fails decoding with a 400,
// as the platform does.
type openInboundBody struct {
	Channel struct {
		From      *OpenFrom `json:"from"`
		Time      string    `json:"time"`
		MessageID string    `json:"messageId"`
		Metadata  *struct {
			CustomAttributes map[string]string `json:"customAttributes"`
		} `json:"metadata"`
	} `json:"channel"`
	Text     *string           `json:"text"`
	Content  []json.RawMessage `json:"content"`
	Metadata map[string]string `json:"metadata"`
}

type openChannelOut struct {
	ID        string    `json:"id"`
	Platform  string    `json:"platform"`
	Type      string    `json:"type"`
	MessageID string    `json:"messageId,omitempty"`
	To        Ref       `json:"to"`
	From      *OpenFrom `json:"from"`
	Time      string    `json:"time"`
}

type openMessageOut struct {
	ID             string         `json:"id"`
	Channel        openChannelOut `json:"channel"`
	Type           string         `json:"type"`
	Text           string         `json:"text,omitempty"`
	Direction      string         `json:"direction"`
	ConversationID string         `json:"conversationId,omitempty"`
}

// httpOpenInbound is POST .../{integrationId}/inbound/open/message. It
// continues the sender's connected conversation or starts one with identity
// resolution; with prefetchConversationId=true the response carries the
// conversation id. Validation (400): channel.from with id and idType
// (Email|Phone|Opaque), channel.time (RFC 3339), and text or content.
func (o *Org) httpOpenInbound(w http.ResponseWriter, r *http.Request) (any, error) {
	integrationID := r.PathValue("integrationId")
	if _, err := o.OpenIntegration(integrationID); err != nil {
		return nil, err
	}
	msg, err := body[openInboundBody](w, r)
	if err != nil {
		return nil, err
	}
	ch := msg.Channel
	switch {
	case ch.From == nil || strings.TrimSpace(ch.From.ID) == "":
		return nil, badRequest("channel.from.id is required.")
	case ch.From.IDType != "Email" && ch.From.IDType != "Phone" && ch.From.IDType != "Opaque":
		return nil, badRequest("channel.from.idType must be one of Email, Phone, Opaque.")
	case ch.Time == "":
		return nil, badRequest("channel.time is required.")
	case (msg.Text == nil || *msg.Text == "") && len(msg.Content) == 0:
		return nil, badRequest("should have required property 'content', should have required property '.text'")
	}
	at, err := time.Parse(time.RFC3339Nano, ch.Time)
	if err != nil {
		return nil, badRequest("channel.time %q is not an ISO-8601 date-time.", ch.Time)
	}
	in := OpenInboundMessage{From: *ch.From, Time: at, MessageID: ch.MessageID}
	if msg.Text != nil {
		in.Text = *msg.Text
	}
	if ch.Metadata != nil {
		// inferred: channel.metadata.customAttributes becomes participant data.
		in.CustomAttributes = ch.Metadata.CustomAttributes
	}
	res, err := o.ReceiveOpenMessage(integrationID, in)
	if err != nil {
		return nil, err
	}
	if ci := callInfoFrom(r); ci != nil {
		ci.conversationID = res.ConversationID
	}
	out := openMessageOut{
		ID: res.MessageID,
		Channel: openChannelOut{
			ID: integrationID, Platform: "Open", Type: "Private", MessageID: ch.MessageID,
			To: Ref{ID: integrationID}, From: ch.From, Time: at.UTC().Format(apimodel.TimeLayout),
		},
		Type:      "Text",
		Text:      in.Text,
		Direction: "Inbound",
	}
	if r.URL.Query().Get("prefetchConversationId") == "true" {
		out.ConversationID = res.ConversationID
	}
	return out, nil
}
