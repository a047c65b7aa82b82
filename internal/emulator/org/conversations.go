package org

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// Channel is the messaging channel of a conversation (the message media type).
type Channel string

// Supported channels.
const (
	ChannelWebMessaging Channel = "webmessaging"
	ChannelOpen         Channel = "open"
)

// Participant states used by the emulator; its participants' purposes are
// apimodel.PurposeCustomer and apimodel.PurposeWorkflow.
const (
	StateConnected    = "connected"
	StateDisconnected = "disconnected"
)

// DefaultFlowName names the workflow participant when no flow name is given.
const DefaultFlowName = "Inbound Message Flow"

// Participant is a conversation participant snapshot.
type Participant struct {
	ID                string
	Name              string
	Purpose           string // customer | workflow
	ParticipantType   string // External | Workflow
	ExternalContactID string
	Attributes        map[string]string // participant data
	CommunicationID   string            // the id of the participant's message communication
	State             string
	Address           string // open messaging: from.id
	StartTime         time.Time
	ConnectedTime     time.Time
	EndTime           time.Time
}

// Message is one entry of a conversation transcript.
type Message struct {
	ID                string
	Direction         string // inbound | outbound
	Text              string
	Time              time.Time
	ProviderMessageID string // open messaging channel.messageId
}

// ResolutionResult records what identity resolution did when the
// conversation started, for assertions.
type ResolutionResult struct {
	// Outcome is "linked" (exactly one match), "created" (no match; a new
	// Ephemeral contact), or "ambiguous" (several matches; a new Ephemeral
	// contact, none of the matches linked).
	Outcome    string
	MatchedBy  string   // identifier type of the deciding lookup, if any
	ContactID  string   // the contact linked to the customer participant
	Candidates []string // canonical ids that matched
}

// Conversation is a conversation snapshot.
type Conversation struct {
	ID            string
	Channel       Channel
	IntegrationID string // open messaging integration, if any
	DeploymentID  string // web messaging deployment, if any
	// FlowID is the inbound message flow handling the conversation, when
	// the org knows it (a deployment's flow, a recipient's flow, or
	// StartConversationOptions.FlowID); a flow runtime loads it with Flow.
	FlowID     string
	State      string // connected | disconnected
	StartTime  time.Time
	EndTime    time.Time
	Customer   Participant
	Workflow   Participant
	Messages   []Message
	Resolution ResolutionResult
	// CanonicalContactID is the head of the merge tree of the customer's
	// externalContactId at snapshot time (the conversation keeps the id it
	// was linked to; the canonical one is derived, as in analytics).
	CanonicalContactID string
}

// Participants returns customer then workflow.
func (c Conversation) Participants() []Participant { return []Participant{c.Customer, c.Workflow} }

type convRec struct {
	c       Conversation
	openBy  string // openActive key while connected
	settled bool   // disconnected or released: may be evicted (retention.go)
}

func (p Participant) clone() Participant {
	p.Attributes = cloneStringMap(p.Attributes)
	return p
}

func (o *Org) snapshotLocked(r *convRec) Conversation {
	c := r.c
	c.Customer = c.Customer.clone()
	c.Workflow = c.Workflow.clone()
	c.Messages = slices.Clone(c.Messages)
	c.Resolution.Candidates = slices.Clone(c.Resolution.Candidates)
	if rec, ok := o.contacts[c.Customer.ExternalContactID]; ok {
		c.CanonicalContactID = rec.headID()
	}
	return c
}

func (o *Org) convLocked(id string) (*convRec, error) {
	r, ok := o.convs[id]
	if !ok {
		return nil, notFound("Conversation", id)
	}
	return r, nil
}

// OpenFrom is the Open Messaging sender (channel.from).
type OpenFrom struct {
	ID        string `json:"id"`
	IDType    string `json:"idType"` // Opaque | Email | Phone
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Nickname  string `json:"nickname,omitempty"`
	Email     string `json:"email,omitempty"`
	Image     string `json:"image,omitempty"`
}

// StartConversationOptions describes a customer starting a messaging
// conversation.
type StartConversationOptions struct {
	Channel Channel // webmessaging (default) or open
	// IntegrationID names a registered Open Messaging integration; its
	// external source and flow name apply. Optional for Go callers.
	IntegrationID string
	// ExternalSourceID overrides the integration's identity-resolution
	// external source (open only).
	ExternalSourceID string
	// DeploymentID is the web messaging deployment. When it names a
	// deployment of this org and FlowID is empty, the deployment's flow
	// handles the conversation; other values are informational.
	DeploymentID string
	// FlowID names the inbound message flow (which must exist); its name
	// becomes the workflow participant's name unless FlowName is set.
	FlowID string
	// ConversationID presets the conversation id (a new UUID when empty),
	// so a caller can route the conversation's events before it starts, as
	// the guest WebSocket does. A taken id is 409.
	ConversationID string
	From           OpenFrom
	// CustomAttributes become the customer participant's data.
	CustomAttributes map[string]string
	FlowName         string // workflow participant name
	// Text, when set, is the first customer message.
	Text      string
	MessageID string // provider message id of the first message
}

// StartConversation starts a conversation and runs identity resolution as
// the platform does:
//
//   - web messaging: anonymous, so a new Ephemeral contact is created and
//     linked;
//   - open messaging: look up ExternalId (source, from.id) when a source is
//     configured and from.idType is Opaque, then Email/Phone from from.id when
//     idType is Email/Phone, then from.email. The first step with exactly one
//     match (distinct canonical heads) links that contact (its head); a step
//     with several matches stops resolution and creates a new Ephemeral
//     contact without linking any match; no match at all creates an
//     Ephemeral contact named from from.firstName/lastName, carrying
//     externalIds [{source, from.id}] when a source is configured.
//
// inferred: the ambiguous-case Ephemeral does not get the ExternalId (adding
// one more owner would keep the identifier ambiguous), and resolution never
// writes email/phone onto contacts (unverified values must not become
// identifiers that later lookups would find).
func (o *Org) StartConversation(opts StartConversationOptions) (Conversation, error) {
	o.mu.Lock()
	r, err := o.startLocked(opts, opts.Text != "")
	var snap Conversation
	if err == nil {
		snap = o.snapshotLocked(r)
	}
	o.mu.Unlock()
	o.flushEvents()
	return snap, err
}

func (o *Org) startLocked(opts StartConversationOptions, firstMessage bool) (*convRec, error) {
	ch := opts.Channel
	if ch == "" {
		ch = ChannelWebMessaging
	}
	if ch != ChannelWebMessaging && ch != ChannelOpen {
		return nil, badRequest("channel %q must be webmessaging or open.", ch)
	}
	if opts.ConversationID != "" {
		if _, ok := o.convs[opts.ConversationID]; ok {
			return nil, conflict("Conversation", opts.ConversationID, "Conversation %s already exists.", opts.ConversationID)
		}
	}
	flow := opts.FlowName
	flowID := opts.FlowID
	sourceID := opts.ExternalSourceID
	resolve := true
	if opts.IntegrationID != "" {
		in, ok := o.integrations[opts.IntegrationID]
		if !ok {
			return nil, notFound("OpenIntegration", opts.IntegrationID)
		}
		if flowID == "" {
			flowID = in.FlowID
		}
		if flow == "" && flowID == "" {
			flow = in.FlowName
		}
		if sourceID == "" {
			sourceID = in.ExternalSourceID
		}
		resolve = in.resolves()
	}
	if flowID == "" && opts.DeploymentID != "" {
		if d, ok := o.objects.webDeps[opts.DeploymentID]; ok {
			flowID = d.FlowID
		}
	}
	if flowID != "" {
		f, err := referenceLocked(o.objects.flows, "flowId", "Flow", flowID)
		if err != nil {
			return nil, err
		}
		if flow == "" {
			flow = f.Name
		}
	}
	if flow == "" {
		flow = DefaultFlowName
	}
	from := opts.From
	if ch == ChannelOpen {
		from.ID = strings.TrimSpace(from.ID)
		if from.ID == "" {
			return nil, badRequest("channel.from.id is required.")
		}
		if from.IDType == "" {
			from.IDType = "Opaque"
		}
		if from.IDType != "Opaque" && from.IDType != "Email" && from.IDType != "Phone" {
			return nil, badRequest("channel.from.idType %q must be Email, Phone or Opaque.", from.IDType)
		}
		if sourceID != "" {
			if _, ok := o.sources[sourceID]; !ok {
				if opts.ExternalSourceID != "" {
					return nil, badRequest("external source %q does not exist.", sourceID)
				}
				// The integration's source was deleted since it was
				// configured: resolve without it (inferred).
				sourceID = ""
			}
		}
	}

	var res ResolutionResult
	switch {
	case ch == ChannelOpen && resolve:
		res = o.resolveOpenLocked(from, sourceID)
	case ch == ChannelOpen:
		// Resolution switched off for the integration: nothing is looked up
		// and nothing identifying is stored (inferred).
		rec := o.insertLocked(Contact{FirstName: clip(from.FirstName), LastName: clip(from.LastName)}, TypeEphemeral)
		rec.byResolution = true
		res = ResolutionResult{Outcome: "created", ContactID: rec.c.ID}
	default:
		rec := o.insertLocked(Contact{}, TypeEphemeral)
		rec.byResolution = true
		res = ResolutionResult{Outcome: "created", ContactID: rec.c.ID}
	}

	now := o.now()
	name := strings.TrimSpace(from.FirstName + " " + from.LastName)
	if name == "" {
		name = from.Nickname
	}
	if name == "" {
		name = "Guest"
	}
	id := opts.ConversationID
	if id == "" {
		id = newUUID()
	}
	c := Conversation{
		ID:            id,
		Channel:       ch,
		IntegrationID: opts.IntegrationID,
		DeploymentID:  opts.DeploymentID,
		FlowID:        flowID,
		State:         StateConnected,
		StartTime:     now,
		Resolution:    res,
		Customer: Participant{
			ID:                newUUID(),
			Name:              name,
			Purpose:           apimodel.PurposeCustomer,
			ParticipantType:   "External",
			ExternalContactID: res.ContactID,
			Attributes:        cloneStringMap(opts.CustomAttributes),
			CommunicationID:   newUUID(),
			State:             StateConnected,
			Address:           from.ID,
			StartTime:         now,
			ConnectedTime:     now,
		},
		Workflow: Participant{
			ID:              newUUID(),
			Name:            flow,
			Purpose:         apimodel.PurposeWorkflow,
			ParticipantType: "Workflow",
			Attributes:      map[string]string{},
			CommunicationID: newUUID(),
			State:           StateConnected,
			StartTime:       now,
			ConnectedTime:   now,
		},
	}
	r := &convRec{c: c}
	o.convs[c.ID] = r
	o.convOrder = append(o.convOrder, c.ID)
	o.refContactsLocked(o.contactRefsOf(r), +1)
	if ch == ChannelOpen && opts.IntegrationID != "" {
		r.openBy = opts.IntegrationID + "\x1f" + from.ID
		o.openActive[r.openBy] = c.ID
	}
	o.queueLocked(Event{Type: EventConversationStarted, ConversationID: c.ID, Channel: ch, IntegrationID: opts.IntegrationID, Conversation: o.snapshotLocked(r)})
	if firstMessage {
		o.appendMessageLocked(r, "inbound", opts.Text, opts.MessageID, now)
	}
	return r, nil
}

func (o *Org) appendMessageLocked(r *convRec, direction, text, providerID string, at time.Time) Message {
	m := Message{ID: newUUID(), Direction: direction, Text: text, Time: at, ProviderMessageID: providerID}
	r.c.Messages = append(r.c.Messages, m)
	typ := EventCustomerMessage
	if direction == "outbound" {
		typ = EventOutboundMessage
	}
	mc := m
	o.queueLocked(Event{Type: typ, ConversationID: r.c.ID, Channel: r.c.Channel, IntegrationID: r.c.IntegrationID, Message: &mc, Conversation: o.snapshotLocked(r)})
	return m
}

func errDisconnected(id string) error {
	e := badRequest("Conversation %s is disconnected.", id)
	e.EntityID = id
	e.EntityName = "Conversation"
	return e
}

// SendCustomerMessage appends a customer (inbound) message to a connected
// conversation and notifies subscribers.
func (o *Org) SendCustomerMessage(conversationID, text string) (Message, error) {
	return o.addMessage(conversationID, "inbound", text)
}

// SendOutboundMessage appends a message to the customer (e.g. the flow's
// reply) and notifies subscribers, so a harness can read what the flow said.
func (o *Org) SendOutboundMessage(conversationID, text string) (Message, error) {
	return o.addMessage(conversationID, "outbound", text)
}

func (o *Org) addMessage(id, direction, text string) (Message, error) {
	o.mu.Lock()
	r, err := o.convLocked(id)
	if err == nil && r.c.State != StateConnected {
		err = errDisconnected(id)
	}
	var m Message
	if err == nil {
		m = o.appendMessageLocked(r, direction, text, "", o.now())
	}
	o.mu.Unlock()
	o.flushEvents()
	return m, err
}

// DisconnectConversation ends the conversation: both participants and their
// communications become disconnected and endTime is set. Idempotent.
func (o *Org) DisconnectConversation(id string) error {
	o.mu.Lock()
	r, err := o.convLocked(id)
	if err == nil && r.c.State == StateConnected {
		now := o.now()
		r.c.State = StateDisconnected
		r.c.EndTime = now
		for _, p := range []*Participant{&r.c.Customer, &r.c.Workflow} {
			p.State = StateDisconnected
			p.EndTime = now
		}
		if r.openBy != "" && o.openActive[r.openBy] == id {
			delete(o.openActive, r.openBy)
		}
		o.queueLocked(Event{Type: EventConversationEnded, ConversationID: id, Channel: r.c.Channel, IntegrationID: r.c.IntegrationID, Conversation: o.snapshotLocked(r)})
		o.settleLocked(r)
	}
	o.mu.Unlock()
	o.flushEvents()
	return err
}

// Conversation returns a snapshot of a conversation.
func (o *Org) Conversation(id string) (Conversation, error) {
	return readObject(o, o.convs, "Conversation", id, o.snapshotLocked)
}

// Conversations returns snapshots of every conversation in start order.
func (o *Org) Conversations() []Conversation {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]Conversation, 0, len(o.convs))
	// Evicted ids linger in convOrder until compaction, and a preset id
	// may start a new conversation meanwhile: list each live one once, at
	// its latest start.
	var seen map[string]bool
	if o.convGone > 0 {
		seen = map[string]bool{}
	}
	for i := len(o.convOrder) - 1; i >= 0; i-- {
		id := o.convOrder[i]
		if r, ok := o.convs[id]; ok && !seen[id] {
			if seen != nil {
				seen[id] = true
			}
			out = append(out, o.snapshotLocked(r))
		}
	}
	slices.Reverse(out)
	return out
}

// SetParticipantAttributes merges attrs into the participant's data and
// returns the full map. inferred: PATCH merges into existing keys.
func (o *Org) SetParticipantAttributes(conversationID, participantID string, attrs map[string]string) (map[string]string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.convLocked(conversationID)
	if err != nil {
		return nil, err
	}
	var p *Participant
	switch participantID {
	case r.c.Customer.ID:
		p = &r.c.Customer
	case r.c.Workflow.ID:
		p = &r.c.Workflow
	default:
		return nil, notFound("Participant", participantID)
	}
	if p.Attributes == nil {
		p.Attributes = map[string]string{}
	}
	maps.Copy(p.Attributes, attrs)
	return maps.Clone(p.Attributes), nil
}

// ConversationAssociation is the body of PUT /externalcontacts/conversations/{id}.
type ConversationAssociation struct {
	ExternalContactID string `json:"externalContactId,omitempty"`
	ConversationID    string `json:"conversationId"`
	CommunicationID   string `json:"communicationId"`
	MediaType         string `json:"mediaType"`
}

var mediaTypes = []string{"CALL", "CALLBACK", "CHAT", "COBROWSE", "EMAIL", "MESSAGE", "INTERNAL_MESSAGE", "SCREEN_MONITORING", "SOCIAL_EXPRESSION", "VIDEO", "SCREENSHARE"}

// AssociateConversation links (or, with no externalContactId, unlinks) the
// conversation's customer participant to a contact.
//
// Decisions (inferred): conversationId, communicationId and mediaType are
// required (400); mediaType must be a known media type and MESSAGE for these
// message conversations (400); communicationId must be the customer's message
// communication id (400); an unknown conversation is 404; an unknown
// externalContactId is a 400 (it is a body field, and 404 is reserved for the
// conversation in the path). The id is stored as given, not resolved.
func (o *Org) AssociateConversation(a ConversationAssociation) error {
	switch {
	case a.ConversationID == "":
		return badRequest("conversationId is required.")
	case a.CommunicationID == "":
		return badRequest("communicationId is required.")
	case a.MediaType == "":
		return badRequest("mediaType is required.")
	case !slices.Contains(mediaTypes, a.MediaType):
		return badRequest("mediaType %q must be one of %s.", a.MediaType, strings.Join(mediaTypes, ", "))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	r, err := o.convLocked(a.ConversationID)
	if err != nil {
		return err
	}
	if a.MediaType != "MESSAGE" {
		return badRequest("mediaType %s does not match conversation %s, which is a MESSAGE conversation.", a.MediaType, a.ConversationID)
	}
	if a.CommunicationID != r.c.Customer.CommunicationID {
		return badRequest("communicationId %s is not the customer's message communication of conversation %s.", a.CommunicationID, a.ConversationID)
	}
	if a.ExternalContactID != "" {
		if _, ok := o.contacts[a.ExternalContactID]; !ok {
			e := badRequest("externalContactId %s does not exist.", a.ExternalContactID)
			e.EntityID = a.ExternalContactID
			e.EntityName = "ExternalContact"
			return e
		}
	}
	// inferred: association sets the customer participant's externalContactId.
	o.refContactsLocked(o.contactRefsOf(r), -1)
	r.c.Customer.ExternalContactID = a.ExternalContactID
	o.refContactsLocked(o.contactRefsOf(r), +1)
	return nil
}
