package org

import (
	"net/http"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

func participantCore(p *Participant) apimodel.ParticipantCore {
	return apimodel.ParticipantCore{
		ID: p.ID, Name: p.Name, Address: p.Address,
		StartTime: tm(p.StartTime), ConnectedTime: tm(p.ConnectedTime), EndTime: tm(p.EndTime), Purpose: p.Purpose,
	}
}

func messageDetails(c *Conversation, p *Participant) []apimodel.MessageDetails {
	out := []apimodel.MessageDetails{}
	if p.Purpose != apimodel.PurposeCustomer {
		return out
	}
	for _, m := range c.Messages {
		status := "received"
		if m.Direction == "outbound" {
			status = "sent"
		}
		out = append(out, apimodel.MessageDetails{MessageID: m.ID, MessageTime: tm(m.Time), MessageStatus: status})
	}
	return out
}

func renderConversation(c Conversation) apimodel.Conversation {
	out := apimodel.Conversation{
		ID:             c.ID,
		StartTime:      tm(c.StartTime),
		EndTime:        tm(c.EndTime),
		State:          c.State,
		RecordingState: "NONE",
		Divisions:      []apimodel.DivisionMembership{{Division: Ref{ID: homeDivision.ID, SelfURI: homeDivision.SelfURI}, Entities: []Ref{}}},
		SelfURI:        "/api/v2/conversations/" + c.ID,
	}
	for _, p := range c.Participants() {
		ap := apimodel.Participant{
			ParticipantCore: participantCore(&p), ParticipantType: p.ParticipantType,
			ExternalContactID: p.ExternalContactID,
			Attributes:        p.Attributes,
			Messages: []apimodel.MessageMedia{{
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

func renderMessageConversation(c Conversation) apimodel.MessageConversation {
	out := apimodel.MessageConversation{ID: c.ID, SelfURI: "/api/v2/conversations/messages/" + c.ID}
	for _, p := range c.Participants() {
		mp := apimodel.MessageMediaParticipant{
			ParticipantCore: participantCore(&p), State: p.State, Direction: "inbound",
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
