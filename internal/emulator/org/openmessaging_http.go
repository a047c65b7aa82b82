package org

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

func (o *Org) openMessagingRoutes(mux *http.ServeMux) {
	o.handle(mux, "POST /api/v2/conversations/messages/{integrationId}/inbound/open/message", o.httpOpenInbound)
}

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
func (o *Org) httpOpenInbound(w http.ResponseWriter, r *http.Request) {
	integrationID := r.PathValue("integrationId")
	if _, err := o.OpenIntegration(integrationID); err != nil {
		writeErr(w, err)
		return
	}
	var body openInboundBody
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	ch := body.Channel
	switch {
	case ch.From == nil || strings.TrimSpace(ch.From.ID) == "":
		writeErr(w, badRequest("channel.from.id is required."))
		return
	case ch.From.IDType != "Email" && ch.From.IDType != "Phone" && ch.From.IDType != "Opaque":
		writeErr(w, badRequest("channel.from.idType must be one of Email, Phone, Opaque."))
		return
	case ch.Time == "":
		writeErr(w, badRequest("channel.time is required."))
		return
	case (body.Text == nil || *body.Text == "") && len(body.Content) == 0:
		writeErr(w, badRequest("should have required property 'content', should have required property '.text'"))
		return
	}
	at, err := time.Parse(time.RFC3339Nano, ch.Time)
	if err != nil {
		writeErr(w, badRequest("channel.time %q is not an ISO-8601 date-time.", ch.Time))
		return
	}
	in := OpenInboundMessage{From: *ch.From, Time: at, MessageID: ch.MessageID}
	if body.Text != nil {
		in.Text = *body.Text
	}
	if ch.Metadata != nil {
		// inferred: channel.metadata.customAttributes becomes participant data.
		in.CustomAttributes = ch.Metadata.CustomAttributes
	}
	res, err := o.ReceiveOpenMessage(integrationID, in)
	if err != nil {
		writeErr(w, err)
		return
	}
	if ci := callInfoFrom(r); ci != nil {
		ci.conversationID = res.ConversationID
	}
	out := openMessageOut{
		ID: res.MessageID,
		Channel: openChannelOut{
			ID: integrationID, Platform: "Open", Type: "Private", MessageID: ch.MessageID,
			To: Ref{ID: integrationID}, From: ch.From, Time: at.UTC().Format(timeLayout),
		},
		Type:      "Text",
		Text:      in.Text,
		Direction: "Inbound",
	}
	if r.URL.Query().Get("prefetchConversationId") == "true" {
		out.ConversationID = res.ConversationID
	}
	writeJSON(w, http.StatusOK, out)
}
