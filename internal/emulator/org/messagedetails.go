package org

import "net/http"

// GET /api/v2/conversations/messages/{messageId}/details
// (ConversationsApi.GetConversationsMessageDetails, model Messagedata in
// platformclientv2/messagedata.go): one message of a message conversation,
// looked up by its id. useNormalizedMessage is accepted; the emulator has
// no normalized form to add, so true is refused rather than ignored.

// messengerTypes maps a channel to Messagedata.messengerType.
var messengerTypes = map[Channel]string{ChannelWebMessaging: "webmessaging", ChannelOpen: "open"}

type apiMessageData struct {
	ID                string `json:"id"`
	ProviderMessageID string `json:"providerMessageId,omitempty"`
	Timestamp         Time   `json:"timestamp"`
	FromAddress       string `json:"fromAddress"`
	ToAddress         string `json:"toAddress"`
	Direction         string `json:"direction"`
	MessengerType     string `json:"messengerType"`
	TextBody          string `json:"textBody"`
	Status            string `json:"status"`
	Media             []any  `json:"media"`
	ConversationID    string `json:"conversationId"`
	SelfURI           string `json:"selfUri"`
}

// MessageByID finds a message in any conversation.
func (o *Org) MessageByID(id string) (Conversation, Message, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, cid := range o.convOrder {
		r := o.convs[cid]
		if r == nil {
			continue
		}
		for _, m := range r.c.Messages {
			if m.ID == id {
				return o.snapshotLocked(r), m, nil
			}
		}
	}
	return Conversation{}, Message{}, notFound("Message", id)
}

func (o *Org) httpMessageDetails(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"useNormalizedMessage"}, nil); err != nil {
		return nil, err
	}
	if r.URL.Query().Get("useNormalizedMessage") == "true" {
		return nil, badRequest("useNormalizedMessage=true is not supported by the emulated org.")
	}
	c, m, err := o.MessageByID(r.PathValue("messageId"))
	if err != nil {
		return nil, err
	}
	// inferred: the addresses of a web-messaging message are the customer
	// participant and the deployment (open: the integration); statuses are
	// "received" inbound and "sent" outbound (Messagedata.status enum).
	customer, org := c.Customer.ID, c.DeploymentID
	if c.Channel == ChannelOpen {
		org = c.IntegrationID
	}
	out := apiMessageData{ID: m.ID, ProviderMessageID: m.ProviderMessageID, Timestamp: tm(m.Time), Direction: m.Direction,
		MessengerType: messengerTypes[c.Channel], TextBody: m.Text, Media: []any{}, ConversationID: c.ID,
		SelfURI: "/api/v2/conversations/messages/" + m.ID + "/details"}
	if m.Direction == "inbound" {
		out.FromAddress, out.ToAddress, out.Status = customer, org, "received"
	} else {
		out.FromAddress, out.ToAddress, out.Status = org, customer, "sent"
	}
	return out, nil
}
