package api

import (
	"encoding/json"
	"time"

	"github.com/bpgen/bpgen/internal/format/dataaction"
)

// Models carry only the fields bpgen asserts on. JSON names follow api.md
// and the public SDK models; unknown fields are ignored on decode. Write
// models (PUT bodies) keep booleans without omitempty because false is a
// meaningful value there.
//
// Fields that hold secrets on the wire (an OAuth client's "secret", an open
// messaging integration's webhook signature token) are deliberately absent,
// so they are dropped on decode and can never be printed.

// Stamps are the trailing fields most Platform API entities end with: when
// the object was created and last changed, and its own URI. Embedded last, so
// the JSON field order of the embedding type is unchanged.
type Stamps struct {
	DateCreated  time.Time `json:"dateCreated,omitzero"`
	DateModified time.Time `json:"dateModified,omitzero"`
	SelfURI      string    `json:"selfUri,omitempty"`
}

// Ref is the platform's entity reference {id, name, selfUri}.
type Ref struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// ExternalContact is a contact (api.md §1.1).
type ExternalContact struct {
	ID            string       `json:"id,omitempty"`
	Division      *Ref         `json:"division,omitempty"`
	FirstName     string       `json:"firstName,omitempty"`
	MiddleName    string       `json:"middleName,omitempty"`
	LastName      string       `json:"lastName,omitempty"`
	Title         string       `json:"title,omitempty"`
	WorkPhone     *PhoneNumber `json:"workPhone,omitempty"`
	CellPhone     *PhoneNumber `json:"cellPhone,omitempty"`
	HomePhone     *PhoneNumber `json:"homePhone,omitempty"`
	OtherPhone    *PhoneNumber `json:"otherPhone,omitempty"`
	WorkEmail     string       `json:"workEmail,omitempty"`
	PersonalEmail string       `json:"personalEmail,omitempty"`
	OtherEmail    string       `json:"otherEmail,omitempty"`
	WhatsAppID    *WhatsAppID  `json:"whatsAppId,omitempty"`
	ExternalIDs   []ExternalID `json:"externalIds,omitempty"`
	// Identifiers is only populated with expand=identifiers.
	Identifiers       []ContactIdentifier `json:"identifiers,omitempty"`
	ExternalSystemURL string              `json:"externalSystemUrl,omitempty"`
	Type              string              `json:"type,omitempty"`
	// Merge graph: CanonicalContact is the head of the merge tree (nil if never merged).
	CanonicalContact *Ref      `json:"canonicalContact,omitempty"`
	MergeSet         []Ref     `json:"mergeSet,omitempty"`
	MergedFrom       []Ref     `json:"mergedFrom,omitempty"`
	MergedTo         *Ref      `json:"mergedTo,omitempty"`
	CreateDate       time.Time `json:"createDate,omitzero"`
	ModifyDate       time.Time `json:"modifyDate,omitzero"`
	SelfURI          string    `json:"selfUri,omitempty"`
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

// PhoneNumber is a contact phone; the API normalises Display on write.
type PhoneNumber struct {
	Display     string `json:"display,omitempty"`
	E164        string `json:"e164,omitempty"`
	UserInput   string `json:"userInput,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
	AcceptsSMS  bool   `json:"acceptsSMS,omitempty"`
}

// WhatsAppID is a contact's WhatsApp identity.
type WhatsAppID struct {
	PhoneNumber *PhoneNumber `json:"phoneNumber,omitempty"`
	DisplayName string       `json:"displayName,omitempty"`
}

// ExternalID is a value scoped by an external source.
type ExternalID struct {
	ExternalSource *Ref   `json:"externalSource,omitempty"`
	Value          string `json:"value,omitempty"`
}

// ContactIdentifier is the body of an identifier lookup, and an entry of ExternalContact.Identifiers.
type ContactIdentifier struct {
	Type           string    `json:"type"`
	Value          string    `json:"value"`
	Division       *Ref      `json:"division,omitempty"`
	ExternalSource *Ref      `json:"externalSource,omitempty"`
	DateCreated    time.Time `json:"dateCreated,omitzero"`
}

// Conversation is GET /api/v2/conversations/{id} (api.md §2.1).
type Conversation struct {
	ID           string        `json:"id"`
	Name         string        `json:"name,omitempty"`
	StartTime    time.Time     `json:"startTime,omitzero"`
	EndTime      time.Time     `json:"endTime,omitzero"`
	State        string        `json:"state,omitempty"`
	Participants []Participant `json:"participants,omitempty"`
	SelfURI      string        `json:"selfUri,omitempty"`
}

// Participant purposes the harness looks for.
const (
	PurposeCustomer = "customer"
	PurposeExternal = "external"
	PurposeWorkflow = "workflow"
	PurposeAgent    = "agent"
	PurposeACD      = "acd"
)

// Participant is one party of a conversation.
type Participant struct {
	ID                string `json:"id"`
	Name              string `json:"name,omitempty"`
	Purpose           string `json:"purpose,omitempty"`
	ParticipantType   string `json:"participantType,omitempty"`
	ExternalContactID string `json:"externalContactId,omitempty"`
	// ExternalContactInitialDivisionID is the division the contact was created in.
	ExternalContactInitialDivisionID string    `json:"externalContactInitialDivisionId,omitempty"`
	ExternalOrganizationID           string    `json:"externalOrganizationId,omitempty"`
	UserID                           string    `json:"userId,omitempty"`
	QueueID                          string    `json:"queueId,omitempty"`
	QueueName                        string    `json:"queueName,omitempty"`
	StartTime                        time.Time `json:"startTime,omitzero"`
	ConnectedTime                    time.Time `json:"connectedTime,omitzero"`
	EndTime                          time.Time `json:"endTime,omitzero"`
	// Attributes is the participant data (custom attributes land here).
	Attributes map[string]string   `json:"attributes,omitempty"`
	Messages   []ConversationMedia `json:"messages,omitempty"`
}

// ConversationMedia is one entry of Participant.Messages.
type ConversationMedia struct {
	ID        string `json:"id"`
	State     string `json:"state,omitempty"`
	Direction string `json:"direction,omitempty"`
	Type      string `json:"type,omitempty"` // webmessaging, open, sms, ...
	Provider  string `json:"provider,omitempty"`
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

// Flow is an Architect flow.
type Flow struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Type        string `json:"type,omitempty"` // e.g. INBOUNDSHORTMESSAGE, COMMONMODULE
	Description string `json:"description,omitempty"`
	Division    *Ref   `json:"division,omitempty"`
	Active      bool   `json:"active,omitempty"`
	System      bool   `json:"system,omitempty"`
	Deleted     bool   `json:"deleted,omitempty"`
	// PublishedVersion is nil until the flow has been published.
	PublishedVersion *FlowVersion `json:"publishedVersion,omitempty"`
	SavedVersion     *FlowVersion `json:"savedVersion,omitempty"`
	CheckedInVersion *FlowVersion `json:"checkedInVersion,omitempty"`
	LockedUser       *Ref         `json:"lockedUser,omitempty"`
	LockedClient     *Ref         `json:"lockedClient,omitempty"`
	SelfURI          string       `json:"selfUri,omitempty"`
}

// Published reports whether the flow has a published version.
func (f *Flow) Published() bool { return f.PublishedVersion != nil && f.PublishedVersion.ID != "" }

// Locked reports whether a user or an OAuth client holds the flow's lock.
func (f *Flow) Locked() bool { return f.LockedUser != nil || f.LockedClient != nil }

// FlowVersion is one version of a flow.
type FlowVersion struct {
	ID                   string    `json:"id"`
	Name                 string    `json:"name,omitempty"`
	CommitVersion        string    `json:"commitVersion,omitempty"`
	ConfigurationVersion string    `json:"configurationVersion,omitempty"`
	Type                 string    `json:"type,omitempty"`
	Secure               bool      `json:"secure,omitempty"`
	Debug                bool      `json:"debug,omitempty"`
	DatePublished        time.Time `json:"datePublished,omitzero"`
}

// FlowListing is one page of GET /api/v2/flows.
type FlowListing struct {
	Entities   []Flow `json:"entities"`
	PageSize   int    `json:"pageSize,omitempty"`
	PageNumber int    `json:"pageNumber,omitempty"`
	Total      int    `json:"total,omitempty"`
	PageCount  int    `json:"pageCount,omitempty"`
}

// Integration is an installed integration (e.g. the data-actions integration).
type Integration struct {
	ID              string `json:"id"`
	Name            string `json:"name,omitempty"`
	IntegrationType *Ref   `json:"integrationType,omitempty"` // id e.g. "purecloud-data-actions"
	Notes           string `json:"notes,omitempty"`
	// IntendedState is the configured state: ENABLED, DISABLED or DELETED.
	IntendedState string             `json:"intendedState,omitempty"`
	ReportedState *IntegrationStatus `json:"reportedState,omitempty"`
	Attributes    map[string]string  `json:"attributes,omitempty"`
	Config        *IntegrationConfig `json:"config,omitempty"`
	SelfURI       string             `json:"selfUri,omitempty"`
}

// IntegrationStatus is the last reported state of an integration.
type IntegrationStatus struct {
	Code        string    `json:"code,omitempty"` // ACTIVE, ACTIVATING, INACTIVE, DEACTIVATING, ERROR
	Effective   string    `json:"effective,omitempty"`
	LastUpdated time.Time `json:"lastUpdated,omitzero"`
}

// IntegrationConfig wraps the current configuration of an integration.
type IntegrationConfig struct {
	Current *IntegrationConfiguration `json:"current,omitempty"`
}

// IntegrationConfiguration is an integration's configuration; Credentials maps
// a credential slot (e.g. "basicAuth") to the credential it uses.
type IntegrationConfiguration struct {
	Name        string          `json:"name,omitempty"`
	Version     int             `json:"version,omitempty"`
	Properties  json.RawMessage `json:"properties,omitempty"`
	Advanced    json.RawMessage `json:"advanced,omitempty"`
	Notes       string          `json:"notes,omitempty"`
	Credentials map[string]Ref  `json:"credentials,omitempty"`
}

// Action is a data action as GET /api/v2/integrations/actions/{id}?includeConfig=true
// returns it. Config and Contract use the same types as the generated
// exports/*.json files, so verify can compare them field by field.
type Action struct {
	ID            string               `json:"id"`
	Name          string               `json:"name,omitempty"`
	IntegrationID string               `json:"integrationId,omitempty"`
	Category      string               `json:"category,omitempty"`
	Version       int                  `json:"version,omitempty"`
	Secure        bool                 `json:"secure,omitempty"`
	Config        *dataaction.Config   `json:"config,omitempty"`
	Contract      *dataaction.Contract `json:"contract,omitempty"`
	SelfURI       string               `json:"selfUri,omitempty"`
}

// TestExecutionResult is POST /api/v2/integrations/actions/{id}/test (api.md §5.5).
// The endpoint answers 200 even when the action fails; check Success.
type TestExecutionResult struct {
	Operations  []TestOperation `json:"operations,omitempty"`
	Error       *ErrorBody      `json:"error,omitempty"`
	FinalResult json.RawMessage `json:"finalResult,omitempty"`
	Success     bool            `json:"success"`
}

// TestOperation is one step of an action test.
type TestOperation struct {
	Step    int             `json:"step"`
	Name    string          `json:"name,omitempty"`
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *ErrorBody      `json:"error,omitempty"`
}

// Queue is a routing queue.
type Queue struct {
	ID                 string `json:"id"`
	Name               string `json:"name,omitempty"`
	Description        string `json:"description,omitempty"`
	Division           *Ref   `json:"division,omitempty"`
	MemberCount        int    `json:"memberCount,omitempty"`
	MessageInQueueFlow *Ref   `json:"messageInQueueFlow,omitempty"`
	Stamps
}

// WebDeployment is a Messenger deployment (api.md §4.1).
type WebDeployment struct {
	ID              string   `json:"id"`
	Name            string   `json:"name,omitempty"`
	Description     string   `json:"description,omitempty"`
	AllowAllDomains bool     `json:"allowAllDomains,omitempty"`
	AllowedDomains  []string `json:"allowedDomains,omitempty"`
	// Status is e.g. Pending, Active, Inactive, Error.
	Status string `json:"status,omitempty"`
	// Flow is the inbound message flow the deployment starts.
	Flow *Ref `json:"flow,omitempty"`
	// Configuration is the messenger configuration version in use.
	Configuration    *ConfigurationRef `json:"configuration,omitempty"`
	SupportedContent *Ref              `json:"supportedContent,omitempty"`
	Stamps
}

// ConfigurationRef references a versioned configuration.
type ConfigurationRef struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// IdentityResolutionConfig is the identity-resolution setting of a web
// deployment or an open messaging integration (api.md §1.4). Automerge only
// exists for web deployments.
type IdentityResolutionConfig struct {
	Division          *Ref             `json:"division,omitempty"`
	ResolveIdentities bool             `json:"resolveIdentities"`
	ExternalSource    *Ref             `json:"externalSource,omitempty"`
	Automerge         *AutomergeConfig `json:"automerge,omitempty"`
	SelfURI           string           `json:"selfUri,omitempty"`
}

// AutomergeConfig says which channels merge contacts automatically.
type AutomergeConfig struct {
	AuthenticatedWebMessaging bool `json:"authenticatedWebMessaging"`
	WebTracking               bool `json:"webTracking"`
}

// OpenIntegration is an open messaging integration (api.md §3.1).
type OpenIntegration struct {
	ID                             string            `json:"id"`
	Name                           string            `json:"name,omitempty"`
	Status                         string            `json:"status,omitempty"`       // Active, Inactive
	CreateStatus                   string            `json:"createStatus,omitempty"` // Initiated, Completed, Error
	CreateError                    *ErrorBody        `json:"createError,omitempty"`
	Recipient                      *Ref              `json:"recipient,omitempty"` // what an inbound message flow is bound to
	OutboundNotificationWebhookURL string            `json:"outboundNotificationWebhookUrl,omitempty"`
	WebhookHeaders                 map[string]string `json:"webhookHeaders,omitempty"`
	SupportedContent               *Ref              `json:"supportedContent,omitempty"`
	MessagingSetting               *Ref              `json:"messagingSetting,omitempty"`
	Stamps
}

// Recipient is a routing message recipient: the binding of a messaging
// address (e.g. an open messaging integration) to an inbound message flow.
type Recipient struct {
	ID            string `json:"id"`
	Name          string `json:"name,omitempty"`
	Flow          *Ref   `json:"flow,omitempty"`
	MessengerType string `json:"messengerType,omitempty"`
	Stamps
}

// OAuthClient is an OAuth client, without its secret.
type OAuthClient struct {
	ID                         string         `json:"id"`
	Name                       string         `json:"name,omitempty"`
	Description                string         `json:"description,omitempty"`
	AuthorizedGrantType        string         `json:"authorizedGrantType,omitempty"` // CLIENT-CREDENTIALS, ...
	State                      string         `json:"state,omitempty"`               // Active, Disabled, Inactive
	AccessTokenValiditySeconds int            `json:"accessTokenValiditySeconds,omitempty"`
	RoleDivisions              []RoleDivision `json:"roleDivisions,omitempty"`
	Scope                      []string       `json:"scope,omitempty"`
	Stamps
}

// RoleDivision grants a role in a division to an OAuth client.
type RoleDivision struct {
	RoleID     string `json:"roleId"`
	DivisionID string `json:"divisionId"`
}

// Role is an authorization role.
type Role struct {
	ID                 string             `json:"id"`
	Name               string             `json:"name,omitempty"`
	Description        string             `json:"description,omitempty"`
	DefaultRoleID      string             `json:"defaultRoleId,omitempty"`
	Permissions        []string           `json:"permissions,omitempty"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies,omitempty"`
	UserCount          int                `json:"userCount,omitempty"`
	Base               bool               `json:"base,omitempty"`
	Default            bool               `json:"default,omitempty"`
	SelfURI            string             `json:"selfUri,omitempty"`
}

// PermissionPolicy grants actions on one entity of a domain,
// e.g. externalContacts / contact / [view, add].
type PermissionPolicy struct {
	Domain          string   `json:"domain"`
	EntityName      string   `json:"entityName"`
	ActionSet       []string `json:"actionSet"`
	AllowConditions bool     `json:"allowConditions,omitempty"`
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
