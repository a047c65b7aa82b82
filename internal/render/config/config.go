// Package config defines bpgen.yaml: its Go types, its JSON Schema, and a loader
// that reports every problem with the file, line, column and field it concerns.
//
// The JSON Schema is the single source of structural truth: editors use it for
// completion, and Load validates the parsed YAML against it before decoding, so
// an unknown key, a wrong type or a missing field is reported exactly where it is.
package config

// Config is the whole of bpgen.yaml. Zero values mean "use the default"; the
// model package applies defaults, so a Config always says what the user wrote.
type Config struct {
	Schema      string       `yaml:"$schema,omitempty"`
	Version     int          `yaml:"version"`
	Names       Names        `yaml:"names,omitempty"`
	Division    string       `yaml:"division,omitempty"`
	Language    string       `yaml:"language,omitempty"`
	Provider    Provider     `yaml:"provider,omitempty"`
	Identifiers []Identifier `yaml:"identifiers"`
	Matching    Matching     `yaml:"matching,omitempty"`
	Link        Link         `yaml:"link,omitempty"`
	Bot         Bot          `yaml:"bot,omitempty"`
	Queue       Queue        `yaml:"queue,omitempty"`
	DataActions DataActions  `yaml:"dataActions,omitempty"`
	Channels    Channels     `yaml:"channels,omitempty"`
	AgentData   AgentData    `yaml:"agentData,omitempty"`
}

// Participant-data attributes the flows write for the agent, after the
// agentData prefix. The validator keeps them apart from the keys the flows read.
const (
	AgentOutcome         = "outcome"
	AgentIdentifierType  = "identifierType"
	AgentSource          = "source"
	AgentSecondFactor    = "secondFactor"
	AgentClaimed         = "claimed"
	AgentIdentifierValue = "identifierValue"
)

// AgentAttributes lists them in the order the flows write them.
var AgentAttributes = []string{AgentOutcome, AgentIdentifierType, AgentSource, AgentSecondFactor, AgentClaimed, AgentIdentifierValue}

// DefaultAgentPrefix is agentData.prefix when none is given.
const DefaultAgentPrefix = "bpgen."

// AgentData says what the flows write to participant data for the agent.
type AgentData struct {
	// Enabled defaults to true (nil).
	Enabled                *bool  `yaml:"enabled,omitempty"`
	Prefix                 string `yaml:"prefix,omitempty"`
	IncludeIdentifierValue bool   `yaml:"includeIdentifierValue,omitempty"`
}

// Names are the display names of every object bpgen creates.
type Names struct {
	Prefix        string      `yaml:"prefix,omitempty"`
	Suffix        string      `yaml:"suffix,omitempty"`
	BotFlow       string      `yaml:"botFlow,omitempty"`
	CommonModule  string      `yaml:"commonModule,omitempty"`
	InboundFlow   string      `yaml:"inboundFlow,omitempty"`
	Integration   string      `yaml:"integration,omitempty"`
	OAuthClient   string      `yaml:"oauthClient,omitempty"`
	Role          string      `yaml:"role,omitempty"`
	Queue         string      `yaml:"queue,omitempty"`
	Messenger     string      `yaml:"messenger,omitempty"`
	OpenMessaging string      `yaml:"openMessaging,omitempty"`
	Actions       ActionNames `yaml:"actions,omitempty"`
}

// ActionNames are the data actions' names (Architect binds them by name).
type ActionNames struct {
	Lookup       string `yaml:"lookup,omitempty"`
	Conversation string `yaml:"conversation,omitempty"`
	Contact      string `yaml:"contact,omitempty"`
	Merge        string `yaml:"merge,omitempty"`
	Associate    string `yaml:"associate,omitempty"`
	Claim        string `yaml:"claim,omitempty"`
}

// Provider pins the Terraform provider.
type Provider struct {
	Version string `yaml:"version,omitempty"`
}

// Identifier is one way of recognising a customer, in order of preference.
type Identifier struct {
	Type string `yaml:"type"`
	// ParticipantData is the participant-data key (web-messaging custom attribute
	// or open-messaging metadata key) that may already carry the value.
	ParticipantData string `yaml:"participantData,omitempty"`
	// Ask makes the bot ask for the value when participant data does not have it.
	Ask *Ask `yaml:"ask,omitempty"`
	// DefaultCountry (ISO 3166 region, e.g. US) turns national phone numbers into E.164.
	DefaultCountry string `yaml:"defaultCountry,omitempty"`
	// ExternalSource scopes an ExternalId identifier.
	ExternalSource *ExternalSource `yaml:"externalSource,omitempty"`
}

// ExternalSource names the external source of ExternalId identifiers.
type ExternalSource struct {
	Name   string `yaml:"name"`
	Create bool   `yaml:"create,omitempty"`
}

// Ask is a bot question with its validation entity and prompts.
type Ask struct {
	Slot     string `yaml:"slot,omitempty"`
	Question string `yaml:"question,omitempty"`
	NoMatch  string `yaml:"noMatch,omitempty"`
	NoInput  string `yaml:"noInput,omitempty"`
	Pattern  string `yaml:"pattern,omitempty"`
}

// Matching is the policy for accepting a looked-up contact.
type Matching struct {
	SecondFactor *SecondFactor `yaml:"secondFactor,omitempty"`
	// ConfirmPlatformLink: read the conversation's contact before asking and
	// confirm a known one (default true where open messaging resolves
	// identities; nil = default).
	ConfirmPlatformLink *bool `yaml:"confirmPlatformLink,omitempty"`
}

// SecondFactor must agree with the looked-up contact before linking.
type SecondFactor struct {
	Field           string `yaml:"field,omitempty"`
	ParticipantData string `yaml:"participantData,omitempty"`
	Ask             *Ask   `yaml:"ask,omitempty"`
}

// Link chooses how a conversation is tied to the known contact.
type Link struct {
	Strategy       string `yaml:"strategy,omitempty"`
	MergeEndpoint  string `yaml:"mergeEndpoint,omitempty"`
	LookupEndpoint string `yaml:"lookupEndpoint,omitempty"`
	// Stitch claims the channel's own identifier on the known contact after
	// an association (default true under associate; nil = default).
	Stitch *bool `yaml:"stitch,omitempty"`
}

// Bot holds the bot's conversational settings.
type Bot struct {
	Retries          int            `yaml:"retries,omitempty"`
	ErrorMessage     string         `yaml:"errorMessage,omitempty"`
	HandoverMessage  string         `yaml:"handoverMessage,omitempty"`
	NoMatchApology   string         `yaml:"noMatchApology,omitempty"`
	NoInputApology   string         `yaml:"noInputApology,omitempty"`
	StatusMessages   StatusMessages `yaml:"statusMessages,omitempty"`
	NoInputTimeoutMs int            `yaml:"noInputTimeoutMs,omitempty"`
}

// StatusMessages is the optional line the customer sees after resolution.
type StatusMessages struct {
	Enabled   bool   `yaml:"enabled,omitempty"`
	Linked    string `yaml:"linked,omitempty"`
	NotLinked string `yaml:"notLinked,omitempty"`
}

// Queue is where every conversation ends.
type Queue struct {
	Existing bool     `yaml:"existing,omitempty"`
	Members  []string `yaml:"members,omitempty"`
}

// DataActions configures the data-action integration and its credentials.
type DataActions struct {
	Credentials    string `yaml:"credentials,omitempty"`
	TimeoutSeconds int    `yaml:"timeoutSeconds,omitempty"`
	AllDivisions   bool   `yaml:"allDivisions,omitempty"`
	Category       string `yaml:"category,omitempty"`
}

// Channels selects the messaging channels to deploy.
type Channels struct {
	WebMessaging  WebMessaging  `yaml:"webMessaging,omitempty"`
	OpenMessaging OpenMessaging `yaml:"openMessaging,omitempty"`
}

// WebMessaging is the Messenger configuration and deployment.
type WebMessaging struct {
	Enabled        *bool    `yaml:"enabled,omitempty"`
	AllowedDomains []string `yaml:"allowedDomains,omitempty"`
	// ResolveIdentities asks bpgen wire to turn on the deployment's identity-resolution setting.
	ResolveIdentities bool `yaml:"resolveIdentities,omitempty"`
}

// OpenMessaging is an open-messaging integration (WhatsApp via a partner, custom platforms…).
type OpenMessaging struct {
	Enabled    bool   `yaml:"enabled,omitempty"`
	WebhookURL string `yaml:"webhookUrl,omitempty"`
	// ResolveIdentities asks bpgen wire to turn on the platform's own identity
	// resolution for the integration (the provider has no resource for it).
	ResolveIdentities bool `yaml:"resolveIdentities,omitempty"`
}

// WebMessagingEnabled reports whether web messaging is on (default true).
func (c *Config) WebMessagingEnabled() bool {
	return c.Channels.WebMessaging.Enabled == nil || *c.Channels.WebMessaging.Enabled
}
