package org

import "time"

// MessengerTypeOpen is the messengerType of an open-messaging recipient.
const MessengerTypeOpen = "open"

// Recipient is a routing message recipient: the binding of a messaging
// address to the inbound message flow that answers it. Every open-messaging
// integration has exactly one, with the integration's id and name
// (inferred: the platform creates it with the integration and deletes it
// with it), so the emulator derives it from the integration. Messenger
// deployments name their flow directly (WebDeployment.FlowID); their
// recipients are not modelled.
type Recipient struct {
	ID            string
	Name          string
	FlowID        string // "" = no flow bound yet
	MessengerType string
	DateCreated   time.Time
	DateModified  time.Time
}

func recipientOf(in *OpenIntegration) Recipient {
	return Recipient{ID: in.ID, Name: in.Name, FlowID: in.FlowID, MessengerType: MessengerTypeOpen, DateCreated: in.DateCreated, DateModified: in.DateModified}
}

// Recipient returns a message recipient.
func (o *Org) Recipient(id string) (Recipient, error) {
	return readObject(o, o.integrations, "Recipient", id, recipientOf)
}

// SetRecipientFlow binds the recipient to an inbound message flow (flowID
// "" unbinds it), as `bpgen wire` does after apply because the provider
// cannot. Conversations that start afterwards run that flow. The flow must
// exist and be an inbound message flow (400; inferred).
func (o *Org) SetRecipientFlow(id, flowID string) (Recipient, error) {
	return updateObject(o, o.integrations, "Recipient", id, func(in *OpenIntegration) error {
		name := ""
		if flowID != "" {
			f, err := o.inboundFlowLocked("flow.id", flowID, "a message recipient")
			if err != nil {
				return err
			}
			name = f.Name
		}
		in.FlowID, in.FlowName, in.DateModified = flowID, name, o.stamp()
		return nil
	}, recipientOf)
}
