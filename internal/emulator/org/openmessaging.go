package org

import (
	"maps"
	"strings"
	"time"
)

// OpenIntegration is the part of an Open Messaging integration and its
// identity-resolution config the emulator needs. The integration's message
// recipient shares its id (see Recipient).
type OpenIntegration struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	ExternalSourceID string `json:"externalSourceId,omitempty"` // identity resolution source; "" = none
	FlowName         string `json:"flowName,omitempty"`         // inbound message flow routed to
	// FlowID is the inbound message flow the recipient routes to (see
	// SetRecipientFlow); when set, that flow's name is the workflow
	// participant's name and conversations carry its id.
	FlowID string `json:"flowId,omitempty"`
	// ResolveIdentities is the identity-resolution switch (see
	// SetOpenIdentityResolution). nil means on: that is how integrations
	// behaved for Go callers before the setting existed.
	ResolveIdentities *bool `json:"resolveIdentities,omitempty"`
	// WebhookURL and WebhookSecret are where and how outbound messages
	// would be posted; the emulator stores them only. The secret, when set,
	// must be longer than 15 characters, and is never rendered.
	WebhookURL    string    `json:"outboundNotificationWebhookUrl,omitempty"`
	WebhookSecret string    `json:"-"`
	DateCreated   time.Time `json:"-"`
	DateModified  time.Time `json:"-"`

	resolutionDivisionID string // from SetOpenIdentityResolution
}

func (in OpenIntegration) clone() OpenIntegration {
	in.ResolveIdentities = clonePtr(in.ResolveIdentities)
	return in
}

// resolves reports whether identity resolution is on.
func (in *OpenIntegration) resolves() bool {
	return in.ResolveIdentities == nil || *in.ResolveIdentities
}

// AddOpenIntegration registers an integration. ID is generated when empty;
// ExternalSourceID, when set, must name an existing external source;
// FlowID, when set, an existing flow; WebhookSecret, when set, must be
// longer than 15 characters (the platform's rule).
func (o *Org) AddOpenIntegration(in OpenIntegration) (OpenIntegration, error) {
	if in.ID == "" {
		in.ID = newUUID()
	}
	if in.WebhookSecret != "" && len(in.WebhookSecret) <= 15 {
		return OpenIntegration{}, badRequest("outboundNotificationWebhookSignatureSecretToken must be longer than 15 characters.")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if in.ExternalSourceID != "" {
		if _, ok := o.sources[in.ExternalSourceID]; !ok {
			return OpenIntegration{}, badRequest("external source %q does not exist.", in.ExternalSourceID)
		}
	}
	if in.FlowID != "" {
		f, err := referenceLocked(o.objects.flows, "flowId", "Flow", in.FlowID)
		if err != nil {
			return OpenIntegration{}, err
		}
		in.FlowName = f.Name
	}
	if _, ok := o.integrations[in.ID]; ok {
		return OpenIntegration{}, conflict("OpenIntegration", in.ID, "An integration with id %s already exists.", quote(in.ID))
	}
	now := o.stamp()
	in.DateCreated, in.DateModified = now, now
	v := in.clone()
	o.integrations[in.ID] = &v
	return in.clone(), nil
}

// OpenIntegration returns a registered integration.
func (o *Org) OpenIntegration(id string) (OpenIntegration, error) {
	return readObject(o, o.integrations, "OpenIntegration", id, (*OpenIntegration).clone)
}

// DeleteOpenIntegration removes an integration and with it its message
// recipient. Its conversations stay as they are; inbound messages to it
// are 404 from then on.
func (o *Org) DeleteOpenIntegration(id string) error {
	return deleteObject(o, o.integrations, "OpenIntegration", id, func(*OpenIntegration) error {
		maps.DeleteFunc(o.openActive, func(k, _ string) bool { return strings.HasPrefix(k, id+"\x1f") })
		return nil
	})
}

// OpenInboundMessage is a customer message arriving through an Open
// Messaging integration.
type OpenInboundMessage struct {
	From      OpenFrom
	Time      time.Time // channel.time as sent; transcript times use the org clock
	MessageID string    // provider message id (channel.messageId)
	Text      string
	// CustomAttributes is channel.metadata.customAttributes; it becomes
	// participant data. inferred mapping, see the reference 3.2.
	CustomAttributes map[string]string
}

// OpenInboundResult reports where an inbound message went.
type OpenInboundResult struct {
	MessageID      string // GC message id
	ConversationID string
	Started        bool // a new conversation was created (and resolved)
	Conversation   Conversation
}

// ReceiveOpenMessage delivers an inbound Open Messaging message: it continues
// the sender's connected conversation on this integration, or starts a new
// one with identity resolution (see StartConversation). On a continued
// conversation, custom attributes merge into the participant data
// (inferred).
func (o *Org) ReceiveOpenMessage(integrationID string, in OpenInboundMessage) (OpenInboundResult, error) {
	o.mu.Lock()
	res, err := o.receiveOpenLocked(integrationID, in)
	o.mu.Unlock()
	o.flushEvents()
	return res, err
}

func (o *Org) receiveOpenLocked(integrationID string, in OpenInboundMessage) (OpenInboundResult, error) {
	if _, ok := o.integrations[integrationID]; !ok {
		return OpenInboundResult{}, notFound("OpenIntegration", integrationID)
	}
	in.From.ID = strings.TrimSpace(in.From.ID)
	if cid, ok := o.openActive[integrationID+"\x1f"+in.From.ID]; ok && in.From.ID != "" {
		r := o.convs[cid]
		if len(in.CustomAttributes) > 0 {
			maps.Copy(r.c.Customer.Attributes, in.CustomAttributes)
		}
		m := o.appendMessageLocked(r, "inbound", in.Text, in.MessageID, o.now())
		return OpenInboundResult{MessageID: m.ID, ConversationID: cid, Conversation: o.snapshotLocked(r)}, nil
	}
	r, err := o.startLocked(StartConversationOptions{
		Channel:          ChannelOpen,
		IntegrationID:    integrationID,
		From:             in.From,
		CustomAttributes: in.CustomAttributes,
		Text:             in.Text,
		MessageID:        in.MessageID,
	}, true)
	if err != nil {
		return OpenInboundResult{}, err
	}
	msgs := r.c.Messages
	return OpenInboundResult{MessageID: msgs[len(msgs)-1].ID, ConversationID: r.c.ID, Started: true, Conversation: o.snapshotLocked(r)}, nil
}
