package org

import (
	"net/http"
	"time"
)

// Wire shapes of GET /conversations/{id}.
type apiConversation struct {
	ID             string           `json:"id"`
	StartTime      Time             `json:"startTime"`
	EndTime        Time             `json:"endTime,omitzero"`
	State          string           `json:"state"`
	Participants   []apiParticipant `json:"participants"`
	RecordingState string           `json:"recordingState"`
	Divisions      []apiDivision    `json:"divisions"`
	SelfURI        string           `json:"selfUri"`
}

type apiDivision struct {
	Division Ref   `json:"division"`
	Entities []Ref `json:"entities"`
}

// apiParticipantCore is what both conversation views say of a participant
// first, in this order.
type apiParticipantCore struct {
	ID            string `json:"id"`
	Name          string `json:"name,omitempty"`
	Address       string `json:"address,omitempty"`
	StartTime     Time   `json:"startTime"`
	ConnectedTime Time   `json:"connectedTime,omitzero"`
	EndTime       Time   `json:"endTime,omitzero"`
	Purpose       string `json:"purpose"`
}

func participantCore(p *Participant) apiParticipantCore {
	return apiParticipantCore{
		ID: p.ID, Name: p.Name, Address: p.Address,
		StartTime: tm(p.StartTime), ConnectedTime: tm(p.ConnectedTime), EndTime: tm(p.EndTime), Purpose: p.Purpose,
	}
}

type apiParticipant struct {
	apiParticipantCore
	ParticipantType                  string            `json:"participantType"`
	ExternalContactID                string            `json:"externalContactId,omitempty"`
	ExternalContactInitialDivisionID string            `json:"externalContactInitialDivisionId,omitempty"`
	WrapupRequired                   bool              `json:"wrapupRequired"`
	Attributes                       map[string]string `json:"attributes"`
	Messages                         []apiMessageMedia `json:"messages"`
}

type apiMessageMedia struct {
	ID               string              `json:"id"`
	State            string              `json:"state"`
	InitialState     string              `json:"initialState"`
	Direction        string              `json:"direction"`
	Type             string              `json:"type"`
	Held             bool                `json:"held"`
	Provider         string              `json:"provider,omitempty"`
	ConnectedTime    Time                `json:"connectedTime,omitzero"`
	DisconnectedTime Time                `json:"disconnectedTime,omitzero"`
	Messages         []apiMessageDetails `json:"messages,omitempty"`
}

type apiMessageDetails struct {
	MessageID     string `json:"messageId"`
	MessageTime   Time   `json:"messageTime"`
	MessageStatus string `json:"messageStatus"`
}

// Wire shapes of GET /conversations/messages/{id}: media fields flattened
// into each participant, and externalContact as a reference object.
type apiMessageConversation struct {
	ID           string                  `json:"id"`
	Participants []apiMessageParticipant `json:"participants"`
	SelfURI      string                  `json:"selfUri"`
}

type apiMessageParticipant struct {
	apiParticipantCore
	State                            string              `json:"state"`
	Direction                        string              `json:"direction"`
	Held                             bool                `json:"held"`
	WrapupRequired                   bool                `json:"wrapupRequired"`
	Attributes                       map[string]string   `json:"attributes"`
	ExternalContact                  *Ref                `json:"externalContact,omitempty"`
	ExternalContactInitialDivisionID string              `json:"externalContactInitialDivisionId,omitempty"`
	Type                             string              `json:"type"`
	Messages                         []apiMessageDetails `json:"messages"`
}

func tm(t time.Time) Time { return Time{t} }

func messageDetails(c *Conversation, p *Participant) []apiMessageDetails {
	out := []apiMessageDetails{}
	if p.Purpose != PurposeCustomer {
		return out
	}
	for _, m := range c.Messages {
		status := "received"
		if m.Direction == "outbound" {
			status = "sent"
		}
		out = append(out, apiMessageDetails{MessageID: m.ID, MessageTime: tm(m.Time), MessageStatus: status})
	}
	return out
}

func renderConversation(c Conversation) apiConversation {
	out := apiConversation{
		ID:             c.ID,
		StartTime:      tm(c.StartTime),
		EndTime:        tm(c.EndTime),
		State:          c.State,
		RecordingState: "NONE",
		Divisions:      []apiDivision{{Division: Ref{ID: homeDivision.ID, SelfURI: homeDivision.SelfURI}, Entities: []Ref{}}},
		SelfURI:        "/api/v2/conversations/" + c.ID,
	}
	for _, p := range c.Participants() {
		ap := apiParticipant{
			apiParticipantCore: participantCore(&p), ParticipantType: p.ParticipantType,
			ExternalContactID: p.ExternalContactID,
			Attributes:        p.Attributes,
			Messages: []apiMessageMedia{{
				ID: p.CommunicationID, State: p.State, InitialState: "alerting", Direction: "inbound",
				Type: string(c.Channel), Provider: "PureCloud Messaging",
				ConnectedTime: tm(p.ConnectedTime), DisconnectedTime: tm(p.EndTime),
				Messages: messageDetails(&c, &p),
			}},
		}
		if p.ExternalContactID != "" {
			ap.ExternalContactInitialDivisionID = homeDivision.ID
		}
		out.Participants = append(out.Participants, ap)
	}
	return out
}

func renderMessageConversation(c Conversation) apiMessageConversation {
	out := apiMessageConversation{ID: c.ID, SelfURI: "/api/v2/conversations/messages/" + c.ID}
	for _, p := range c.Participants() {
		mp := apiMessageParticipant{
			apiParticipantCore: participantCore(&p), State: p.State, Direction: "inbound",
			Attributes: p.Attributes, Type: string(c.Channel),
			Messages: messageDetails(&c, &p),
		}
		if p.ExternalContactID != "" {
			ref := contactRef(p.ExternalContactID)
			mp.ExternalContact = &ref
			mp.ExternalContactInitialDivisionID = homeDivision.ID
		}
		out.Participants = append(out.Participants, mp)
	}
	return out
}

// httpPatchAttributes: the generic conversations endpoint answers 202 with
// no body (the SDK models it as void; 202 inferred); the messages variant
// answers 200 with ParticipantAttributes.
func (o *Org) httpPatchAttributes(messages bool) endpoint {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		in, err := body[struct {
			Attributes map[string]string `json:"attributes"`
		}](w, r)
		if err != nil {
			return nil, err
		}
		if in.Attributes == nil {
			return nil, badRequest("attributes is required.")
		}
		attrs, err := o.SetParticipantAttributes(r.PathValue("conversationId"), r.PathValue("participantId"), in.Attributes)
		switch {
		case err != nil:
			return nil, err
		case messages:
			return map[string]any{"attributes": attrs}, nil
		}
		return accepted, nil
	}
}

// httpAssociate: 204 on success. The body's conversationId must match the
// path (400 otherwise; decided).
func (o *Org) httpAssociate(r *http.Request, in ConversationAssociation) (any, error) {
	if id := r.PathValue("conversationId"); in.ConversationID != "" && in.ConversationID != id {
		return nil, badRequest("conversationId %s in the body does not match %s in the path.", in.ConversationID, id)
	}
	return noContent, o.AssociateConversation(in)
}
