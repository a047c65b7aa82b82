package apimodel

import (
	"encoding/json"
	"time"

	"github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/errorbody"
)

// TimeLayout is ISO-8601 UTC with milliseconds, the format the SDKs read and
// write (api.md §0).
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Time is a time.Time that marshals the way the Platform API does.
type Time struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(TimeLayout))
}

// UnmarshalJSON accepts any RFC 3339 time; clients send both precisions.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	t.Time = v.UTC()
	return nil
}

// Ref is an addressable entity reference {id, name, selfUri}
// (DomainEntityRef, AddressableEntityRef).
type Ref struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// Stamps are the trailing fields most Platform API entities end with: when
// the object was created and last changed, and its own URI. Embedded last, so
// the JSON field order of the embedding type is unchanged.
type Stamps struct {
	DateCreated  Time   `json:"dateCreated,omitzero"`
	DateModified Time   `json:"dateModified,omitzero"`
	SelfURI      string `json:"selfUri,omitempty"`
}

// EntityListing is the platform's paged listing envelope
// (FlowEntityListing, QueueEntityListing, ...).
type EntityListing[T any] struct {
	Entities   []T    `json:"entities"`
	PageSize   int    `json:"pageSize"`
	PageNumber int    `json:"pageNumber"`
	Total      int    `json:"total"`
	PageCount  int    `json:"pageCount"`
	SelfURI    string `json:"selfUri,omitempty"`
}

// ---- External contacts (api.md §1.1) ----

// PhoneNumber is the contact phone model. Clients write Display; the
// platform fills UserInput, E164 and CountryCode.
type PhoneNumber struct {
	Display                  string `json:"display,omitempty"`
	Extension                *int   `json:"extension,omitempty"`
	AcceptsSMS               bool   `json:"acceptsSMS"`
	NormalizationCountryCode string `json:"normalizationCountryCode,omitempty"`
	UserInput                string `json:"userInput,omitempty"`
	E164                     string `json:"e164,omitempty"`
	CountryCode              string `json:"countryCode,omitempty"`
}

// Address is a postal address.
type Address struct {
	Address1    string `json:"address1,omitempty"`
	Address2    string `json:"address2,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
}

// TwitterID identifies a contact on Twitter/X; ID is the indexed identifier.
type TwitterID struct {
	ID         string `json:"id,omitempty"`
	Name       string `json:"name,omitempty"`
	ScreenName string `json:"screenName,omitempty"`
	Verified   *bool  `json:"verified,omitempty"`
	ProfileURL string `json:"profileUrl,omitempty"`
}

// LineUserID is one LINE user id.
type LineUserID struct {
	UserID string `json:"userId"`
}

// LineID holds at most one LINE user id.
type LineID struct {
	IDs         []LineUserID `json:"ids,omitempty"`
	DisplayName string       `json:"displayName,omitempty"`
}

// ScopedID is a Facebook/Instagram page-scoped id.
type ScopedID struct {
	ScopedID string `json:"scopedId"`
}

// FacebookID holds at most one Facebook scoped id.
type FacebookID struct {
	IDs         []ScopedID `json:"ids,omitempty"`
	DisplayName string     `json:"displayName,omitempty"`
}

// InstagramID holds at most one Instagram scoped id.
type InstagramID struct {
	IDs         []ScopedID `json:"ids,omitempty"`
	DisplayName string     `json:"displayName,omitempty"`
	Handle      string     `json:"handle,omitempty"`
}

// WhatsAppID is a WhatsApp number (E.164 without the leading plus on input).
type WhatsAppID struct {
	PhoneNumber *PhoneNumber `json:"phoneNumber,omitempty"`
	DisplayName string       `json:"displayName,omitempty"`
}

// AppleOpaqueID is one Apple Messages for Business opaque id.
type AppleOpaqueID struct {
	Value string `json:"value"`
}

// LinkConfiguration is an external source's link template.
type LinkConfiguration struct {
	URITemplate string `json:"uriTemplate,omitempty"`
}

// ExternalSource scopes ExternalId identifiers (e.g. a CRM, or the external
// source configured for identity resolution). References to a source
// (ExternalID, ContactIdentifier, IdentityResolutionConfig) use this model
// too, as the SDK does, usually with only id, name and selfUri set.
type ExternalSource struct {
	ID                string             `json:"id,omitempty"`
	Name              string             `json:"name,omitempty"`
	Active            *bool              `json:"active,omitempty"`
	LinkConfiguration *LinkConfiguration `json:"linkConfiguration,omitempty"`
	SelfURI           string             `json:"selfUri,omitempty"`
}

// ExternalID is a value scoped by an external source.
type ExternalID struct {
	ExternalSource *ExternalSource `json:"externalSource,omitempty"`
	Value          string          `json:"value"`
}

// ContactIdentifier is an identifier claimed by (or derived from) a contact,
// an entry of ExternalContact.Identifiers, and the body of identifier
// lookups and claims.
type ContactIdentifier struct {
	ID             string          `json:"id,omitempty"`
	Type           string          `json:"type"`
	Value          string          `json:"value"`
	Division       *Ref            `json:"division,omitempty"`
	DateCreated    Time            `json:"dateCreated,omitzero"`
	ExternalSource *ExternalSource `json:"externalSource,omitempty"`
}

// ExternalContact is a contact (api.md §1.1). CanonicalContact is the head
// of the merge tree (nil if never merged); Identifiers is only populated
// with expand=identifiers.
type ExternalContact struct {
	ID                string              `json:"id,omitempty"`
	Division          *Ref                `json:"division,omitempty"`
	FirstName         string              `json:"firstName,omitempty"`
	MiddleName        string              `json:"middleName,omitempty"`
	LastName          string              `json:"lastName,omitempty"`
	Salutation        string              `json:"salutation,omitempty"`
	Title             string              `json:"title,omitempty"`
	WorkPhone         *PhoneNumber        `json:"workPhone,omitempty"`
	CellPhone         *PhoneNumber        `json:"cellPhone,omitempty"`
	HomePhone         *PhoneNumber        `json:"homePhone,omitempty"`
	OtherPhone        *PhoneNumber        `json:"otherPhone,omitempty"`
	WorkEmail         string              `json:"workEmail,omitempty"`
	PersonalEmail     string              `json:"personalEmail,omitempty"`
	OtherEmail        string              `json:"otherEmail,omitempty"`
	Address           *Address            `json:"address,omitempty"`
	TwitterID         *TwitterID          `json:"twitterId,omitempty"`
	LineID            *LineID             `json:"lineId,omitempty"`
	WhatsAppID        *WhatsAppID         `json:"whatsAppId,omitempty"`
	FacebookID        *FacebookID         `json:"facebookId,omitempty"`
	InstagramID       *InstagramID        `json:"instagramId,omitempty"`
	AppleOpaqueIDs    []AppleOpaqueID     `json:"appleOpaqueIds,omitempty"`
	ExternalIDs       []ExternalID        `json:"externalIds,omitempty"`
	Identifiers       []ContactIdentifier `json:"identifiers,omitempty"`
	SurveyOptOut      *bool               `json:"surveyOptOut,omitempty"`
	ExternalSystemURL string              `json:"externalSystemUrl,omitempty"`
	CustomFields      map[string]any      `json:"customFields,omitempty"`
	Type              string              `json:"type,omitempty"`
	CreateDate        Time                `json:"createDate,omitzero"`
	ModifyDate        Time                `json:"modifyDate,omitzero"`
	CanonicalContact  *Ref                `json:"canonicalContact,omitempty"`
	MergeSet          []Ref               `json:"mergeSet,omitempty"`
	MergedFrom        []Ref               `json:"mergedFrom,omitempty"`
	MergedTo          *Ref                `json:"mergedTo,omitempty"`
	SelfURI           string              `json:"selfUri,omitempty"`
}

// InMergeSet reports whether the contact's merge set contains id.
func (c *ExternalContact) InMergeSet(id string) bool {
	for _, r := range c.MergeSet {
		if r.ID == id {
			return true
		}
	}
	return false
}

// ---- Conversations (api.md §2) ----

// Participant purposes the harness looks for.
const (
	PurposeCustomer = "customer"
	PurposeExternal = "external"
	PurposeWorkflow = "workflow"
	PurposeAgent    = "agent"
	PurposeACD      = "acd"
)

// Conversation is GET /api/v2/conversations/{id} (api.md §2.1).
type Conversation struct {
	ID             string               `json:"id"`
	Name           string               `json:"name,omitempty"`
	StartTime      Time                 `json:"startTime"`
	EndTime        Time                 `json:"endTime,omitzero"`
	State          string               `json:"state"`
	Participants   []Participant        `json:"participants"`
	RecordingState string               `json:"recordingState"`
	Divisions      []DivisionMembership `json:"divisions"`
	SelfURI        string               `json:"selfUri"`
}

// ParticipantsByPurpose returns the participants with the given purpose.
func (c *Conversation) ParticipantsByPurpose(purpose string) []Participant {
	var out []Participant
	for _, p := range c.Participants {
		if p.Purpose == purpose {
			out = append(out, p)
		}
	}
	return out
}

// Customer returns the first "customer" participant, or nil.
func (c *Conversation) Customer() *Participant {
	for i := range c.Participants {
		if c.Participants[i].Purpose == PurposeCustomer {
			return &c.Participants[i]
		}
	}
	return nil
}

// DivisionMembership is one entry of Conversation.Divisions
// (ConversationDivisionMembership).
type DivisionMembership struct {
	Division Ref   `json:"division"`
	Entities []Ref `json:"entities"`
}

// ParticipantCore is what both conversation views (Participant and
// MessageMediaParticipant) say of a participant first, in this order.
type ParticipantCore struct {
	ID            string `json:"id"`
	Name          string `json:"name,omitempty"`
	Address       string `json:"address,omitempty"`
	StartTime     Time   `json:"startTime"`
	ConnectedTime Time   `json:"connectedTime,omitzero"`
	EndTime       Time   `json:"endTime,omitzero"`
	Purpose       string `json:"purpose"`
}

// Participant is one party of a Conversation. Attributes is the participant
// data (custom attributes land here).
type Participant struct {
	ParticipantCore
	ParticipantType   string `json:"participantType"`
	ExternalContactID string `json:"externalContactId,omitempty"`
	// ExternalContactInitialDivisionID is the division the contact was created in.
	ExternalContactInitialDivisionID string            `json:"externalContactInitialDivisionId,omitempty"`
	ExternalOrganizationID           string            `json:"externalOrganizationId,omitempty"`
	UserID                           string            `json:"userId,omitempty"`
	QueueID                          string            `json:"queueId,omitempty"`
	QueueName                        string            `json:"queueName,omitempty"`
	WrapupRequired                   bool              `json:"wrapupRequired"`
	Attributes                       map[string]string `json:"attributes"`
	Messages                         []MessageMedia    `json:"messages"`
}

// MessageMedia is one entry of Participant.Messages (the SDK's Message).
type MessageMedia struct {
	ID               string           `json:"id"`
	State            string           `json:"state"`
	InitialState     string           `json:"initialState"`
	Direction        string           `json:"direction"`
	Type             string           `json:"type"` // webmessaging, open, sms, ...
	Held             bool             `json:"held"`
	Provider         string           `json:"provider,omitempty"`
	ConnectedTime    Time             `json:"connectedTime,omitzero"`
	DisconnectedTime Time             `json:"disconnectedTime,omitzero"`
	Messages         []MessageDetails `json:"messages,omitempty"`
}

// MessageDetails is one message of a message media entry.
type MessageDetails struct {
	MessageID     string `json:"messageId"`
	MessageTime   Time   `json:"messageTime"`
	MessageStatus string `json:"messageStatus"`
}

// MessageConversation is GET /api/v2/conversations/messages/{id} (api.md
// §2.2): the media fields flattened into each participant.
type MessageConversation struct {
	ID           string                    `json:"id"`
	Participants []MessageMediaParticipant `json:"participants"`
	SelfURI      string                    `json:"selfUri"`
}

// MessageMediaParticipant is one participant of a MessageConversation;
// its contact is a reference object, not an externalContactId.
type MessageMediaParticipant struct {
	ParticipantCore
	State                            string            `json:"state"`
	Direction                        string            `json:"direction"`
	Held                             bool              `json:"held"`
	WrapupRequired                   bool              `json:"wrapupRequired"`
	Attributes                       map[string]string `json:"attributes"`
	ExternalContact                  *Ref              `json:"externalContact,omitempty"`
	ExternalContactInitialDivisionID string            `json:"externalContactInitialDivisionId,omitempty"`
	Type                             string            `json:"type"`
	Messages                         []MessageDetails  `json:"messages"`
}

// ---- Analytics (api.md §2.4) ----

// AnalyticsQuery is the body of POST /api/v2/analytics/conversations/details/query
// (ConversationQuery). Interval is "start/end" in ISO-8601; a conversation
// matches when it started at or after start and before end. Required.
type AnalyticsQuery struct {
	Interval            string            `json:"interval"`
	Order               string            `json:"order,omitempty"`   // asc (default) | desc
	OrderBy             string            `json:"orderBy,omitempty"` // conversationStart (default)
	Paging              *AnalyticsPaging  `json:"paging,omitempty"`
	ConversationFilters []AnalyticsFilter `json:"conversationFilters,omitempty"`
	SegmentFilters      []AnalyticsFilter `json:"segmentFilters,omitempty"`
}

// AnalyticsPaging pages the result.
type AnalyticsPaging struct {
	PageSize   int `json:"pageSize"`
	PageNumber int `json:"pageNumber"`
}

// AnalyticsFilter combines predicates (and nested clauses) with Type "and"
// (default) or "or".
type AnalyticsFilter struct {
	Type       string               `json:"type,omitempty"`
	Clauses    []AnalyticsFilter    `json:"clauses,omitempty"`
	Predicates []AnalyticsPredicate `json:"predicates,omitempty"`
}

// AnalyticsPredicate tests one dimension (Type "dimension", the default) or
// property; Operator is matches (the default), exists or notExists.
type AnalyticsPredicate struct {
	Type      string `json:"type,omitempty"`
	Dimension string `json:"dimension"`
	Operator  string `json:"operator,omitempty"`
	Value     string `json:"value,omitempty"`
}

// AnalyticsResult is the query's response. Conversations is omitted when
// nothing matched (inferred: the platform answers {"totalHits": 0}).
type AnalyticsResult struct {
	Conversations []AnalyticsConversation `json:"conversations,omitempty"`
	TotalHits     int                     `json:"totalHits"`
}

// AnalyticsConversation is one conversation's detail record.
type AnalyticsConversation struct {
	ConversationID       string                 `json:"conversationId"`
	ConversationStart    Time                   `json:"conversationStart"`
	ConversationEnd      Time                   `json:"conversationEnd,omitzero"`
	OriginatingDirection string                 `json:"originatingDirection"`
	DivisionIDs          []string               `json:"divisionIds"`
	Participants         []AnalyticsParticipant `json:"participants"`
}

// AnalyticsParticipant is one participant of a detail record.
type AnalyticsParticipant struct {
	ParticipantID     string             `json:"participantId"`
	ParticipantName   string             `json:"participantName,omitempty"`
	Purpose           string             `json:"purpose"`
	ExternalContactID string             `json:"externalContactId,omitempty"`
	Sessions          []AnalyticsSession `json:"sessions"`
}

// AnalyticsSession is a participant's media session.
type AnalyticsSession struct {
	SessionID   string `json:"sessionId"`
	MediaType   string `json:"mediaType"`   // message
	MessageType string `json:"messageType"` // webmessaging | open
	Direction   string `json:"direction"`   // inbound
}

// ---- Architect flows ----

// Flow is an Architect flow. PublishedVersion is nil until the flow has
// been published.
type Flow struct {
	ID               string       `json:"id"`
	Name             string       `json:"name"`
	Description      string       `json:"description,omitempty"`
	Type             string       `json:"type"` // e.g. INBOUNDSHORTMESSAGE, COMMONMODULE
	Division         *Ref         `json:"division"`
	Active           bool         `json:"active"`
	System           bool         `json:"system"`
	Deleted          bool         `json:"deleted"`
	PublishedVersion *FlowVersion `json:"publishedVersion"`
	SavedVersion     *FlowVersion `json:"savedVersion,omitempty"`
	CheckedInVersion *FlowVersion `json:"checkedInVersion"`
	LockedUser       *Ref         `json:"lockedUser,omitempty"`
	LockedClient     *Ref         `json:"lockedClient,omitempty"`
	SelfURI          string       `json:"selfUri"`
}

// Published reports whether the flow has a published version.
func (f *Flow) Published() bool { return f.PublishedVersion != nil && f.PublishedVersion.ID != "" }

// Locked reports whether a user or an OAuth client holds the flow's lock.
func (f *Flow) Locked() bool { return f.LockedUser != nil || f.LockedClient != nil }

// FlowVersion is one version of a flow.
type FlowVersion struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	CommitVersion        string `json:"commitVersion"`
	ConfigurationVersion string `json:"configurationVersion"`
	Type                 string `json:"type"`
	Secure               bool   `json:"secure"`
	Debug                bool   `json:"debug"`
	DatePublished        Time   `json:"datePublished"`
}

// ---- Integrations and data actions (api.md §5) ----

// Integration is an installed integration (e.g. the data-actions
// integration). IntendedState is the configured state: ENABLED, DISABLED or
// DELETED. Config is only included with expand=config.current.
type Integration struct {
	ID              string             `json:"id"`
	Name            string             `json:"name"`
	IntegrationType *Ref               `json:"integrationType"` // id e.g. "purecloud-data-actions"
	Notes           string             `json:"notes,omitempty"`
	IntendedState   string             `json:"intendedState"`
	ReportedState   *IntegrationStatus `json:"reportedState"`
	Attributes      map[string]string  `json:"attributes"`
	Config          *IntegrationConfig `json:"config,omitempty"`
	SelfURI         string             `json:"selfUri"`
}

// IntegrationStatus is the last reported state of an integration.
type IntegrationStatus struct {
	Code        string `json:"code"` // ACTIVE, ACTIVATING, INACTIVE, DEACTIVATING, ERROR
	Effective   string `json:"effective"`
	LastUpdated Time   `json:"lastUpdated,omitzero"`
}

// IntegrationConfig wraps the current configuration of an integration.
type IntegrationConfig struct {
	Current *IntegrationConfiguration `json:"current,omitempty"`
}

// IntegrationConfiguration is an integration's configuration
// (platformclientv2/integrationconfiguration.go) with every field present:
// the provider dereferences name, notes, properties, advanced, credentials.
// Credentials maps a credential slot (e.g. "basicAuth") to the credential it
// uses.
type IntegrationConfiguration struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Version     int            `json:"version"`
	Properties  map[string]any `json:"properties"`
	Advanced    map[string]any `json:"advanced"`
	Notes       string         `json:"notes"`
	Credentials map[string]Ref `json:"credentials"`
	SelfURI     string         `json:"selfUri"`
}

// Action is a data action as GET /api/v2/integrations/actions/{id}?includeConfig=true
// returns it. Config and Contract use the same types as the generated
// exports/*.json files, so verify can compare them field by field; Config is
// only included with includeConfig=true.
type Action struct {
	ID string `json:"id"`
	ActionSettings
	Version  int                  `json:"version"`
	Config   *dataaction.Config   `json:"config,omitempty"`
	Contract *dataaction.Contract `json:"contract,omitempty"`
	SelfURI  string               `json:"selfUri"`
}

// ActionSettings are the fields an Action shares with the PostActionInput
// that creates it.
type ActionSettings struct {
	Name          string `json:"name"`
	Category      string `json:"category"`
	IntegrationID string `json:"integrationId"`
	Secure        bool   `json:"secure"`
}

// ---- Routing ----

// Queue is a routing queue.
type Queue struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	Description        string `json:"description,omitempty"`
	Division           *Ref   `json:"division"`
	MemberCount        int    `json:"memberCount"`
	JoinedMemberCount  int    `json:"joinedMemberCount"`
	MessageInQueueFlow *Ref   `json:"messageInQueueFlow,omitempty"`
	Stamps
}

// Recipient is a routing message recipient: the binding of a messaging
// address (e.g. an open messaging integration) to an inbound message flow.
type Recipient struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Flow          *Ref   `json:"flow,omitempty"`
	MessengerType string `json:"messengerType"`
	Stamps
}

// ---- Web messaging deployments (api.md §4.1) ----

// WebDeployment is a Messenger deployment.
type WebDeployment struct {
	ID string `json:"id"`
	WebDeploymentSettings
	// Configuration is the messenger configuration version in use.
	Configuration    *ConfigurationRef `json:"configuration"`
	SupportedContent *Ref              `json:"supportedContent,omitempty"`
	Stamps
}

// WebDeploymentSettings are the fields of a WebDeployment its writer sets
// (besides the configuration, which a writer names by id and version only).
// Status is e.g. Pending, Active, Inactive, Error; Flow is the inbound
// message flow the deployment starts.
type WebDeploymentSettings struct {
	Name            string   `json:"name"`
	Description     string   `json:"description,omitempty"`
	AllowAllDomains bool     `json:"allowAllDomains"`
	AllowedDomains  []string `json:"allowedDomains"`
	Status          string   `json:"status"`
	Flow            *Ref     `json:"flow"`
}

// ConfigurationRef references a versioned configuration.
type ConfigurationRef struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Version string `json:"version"`
	SelfURI string `json:"selfUri"`
}

// IdentityResolutionConfig is the identity-resolution setting of a web
// deployment or an open messaging integration (api.md §1.4;
// DeploymentIdentityResolutionConfig, OpenMessagingIdentityResolutionConfig,
// neither of which has an id). Automerge only exists for web deployments.
type IdentityResolutionConfig struct {
	Division          *Ref            `json:"division,omitempty"`
	ResolveIdentities bool            `json:"resolveIdentities"`
	ExternalSource    *ExternalSource `json:"externalSource,omitempty"`
	Automerge         *Automerge      `json:"automerge,omitempty"`
	SelfURI           string          `json:"selfUri,omitempty"`
}

// Automerge says which web channels merge contacts automatically.
type Automerge struct {
	AuthenticatedWebMessaging bool `json:"authenticatedWebMessaging"`
	WebTracking               bool `json:"webTracking"`
}

// ---- Open messaging (api.md §3.1) ----

// OpenIntegration is an open messaging integration. Recipient is what an
// inbound message flow is bound to. The webhook signature token is absent:
// it is a secret, never decoded nor rendered.
type OpenIntegration struct {
	ID                             string            `json:"id"`
	Name                           string            `json:"name"`
	Status                         string            `json:"status"`       // Active, Inactive
	CreateStatus                   string            `json:"createStatus"` // Initiated, Completed, Error
	CreateError                    *errorbody.Body   `json:"createError,omitempty"`
	Recipient                      *Ref              `json:"recipient"`
	OutboundNotificationWebhookURL string            `json:"outboundNotificationWebhookUrl,omitempty"`
	WebhookHeaders                 map[string]string `json:"webhookHeaders"`
	SupportedContent               *Ref              `json:"supportedContent,omitempty"`
	MessagingSetting               *Ref              `json:"messagingSetting,omitempty"`
	Stamps
}

// ---- OAuth clients and roles ----

// OAuthClient is an OAuth client. It has no secret field: the platform shows
// a secret once, at creation, and neither side ever keeps it here.
type OAuthClient struct {
	ID string `json:"id"`
	OAuthClientSettings
	Stamps
}

// OAuthClientSettings are the fields an OAuthClient shares with the
// OAuthClientRequest that writes it, in the order the client renders them.
type OAuthClientSettings struct {
	Name                       string         `json:"name"`
	Description                string         `json:"description,omitempty"`
	AuthorizedGrantType        string         `json:"authorizedGrantType"` // CLIENT-CREDENTIALS, ...
	State                      string         `json:"state"`               // Active, Disabled, Inactive
	AccessTokenValiditySeconds int            `json:"accessTokenValiditySeconds"`
	RoleDivisions              []RoleDivision `json:"roleDivisions"`
	Scope                      []string       `json:"scope"`
}

// RoleDivision grants a role in a division to an OAuth client.
type RoleDivision struct {
	RoleID     string `json:"roleId"`
	DivisionID string `json:"divisionId"`
}

// Role is an authorization role (DomainOrganizationRole).
type Role struct {
	ID string `json:"id"`
	RoleSettings
	DefaultRoleID string `json:"defaultRoleId,omitempty"`
	UserCount     int    `json:"userCount"`
	Base          bool   `json:"base"`
	Default       bool   `json:"default"`
	SelfURI       string `json:"selfUri"`
}

// RoleSettings are the fields a DomainOrganizationRole shares with the
// DomainOrganizationRoleCreate that writes it.
type RoleSettings struct {
	Name               string             `json:"name"`
	Description        string             `json:"description,omitempty"`
	Permissions        []string           `json:"permissions"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies"`
}

// PermissionPolicy grants actions on one entity of a permission domain,
// e.g. externalContacts / contact / [view, add].
type PermissionPolicy struct {
	Domain          string   `json:"domain"`
	EntityName      string   `json:"entityName"`
	ActionSet       []string `json:"actionSet"`
	AllowConditions bool     `json:"allowConditions"`
}

// Allows reports whether one of the role's permission policies grants
// domain:entity:action, honouring "*" wildcards.
func (r *Role) Allows(domain, entity, action string) bool {
	match := func(pattern, s string) bool { return pattern == "*" || pattern == s }
	for _, p := range r.PermissionPolicies {
		if !match(p.Domain, domain) || !match(p.EntityName, entity) {
			continue
		}
		for _, a := range p.ActionSet {
			if match(a, action) {
				return true
			}
		}
	}
	return false
}
