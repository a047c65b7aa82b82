// Package model resolves a validated config into the deployment bpgen renders:
// every default applied, every name final, every data action fully defined.
// Emitters read only the model, never the config, so a default lives in one place.
package model

import (
	"regexp"
	"strconv"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/phonemeta"
)

// Model is the resolved deployment.
type Model struct {
	ProviderVersion string
	Language        string
	// DivisionName is empty for the home division.
	DivisionName string
	Names        Names
	// Category is the data actions' category (Architect binds category + name).
	Category     string
	Identifiers  []Identifier
	SecondFactor *SecondFactor
	// Strategy is "merge" or "associate".
	Strategy         string
	MergeDeprecated  bool
	LookupDeprecated bool
	Bot              Bot
	Queue            Queue
	// Credentials is "create", "existingClient" or "existingIntegration".
	Credentials    string
	AllDivisions   bool
	TimeoutSeconds int
	Actions        []*Action
	WebMessaging   *WebMessaging
	OpenMessaging  *OpenMessaging
	ExternalSource *ExternalSource
	// CheckBeforeAsking: the inbound flow reads the conversation's contact
	// before the first question and confirms a known contact without asking.
	// Only where open messaging resolves identities: the platform links a
	// conversation at start only when a channel identifier matches one contact
	// (the opaque id, phone or email; external-contacts FAQ, api.md 1.4 and
	// 3.4), and an anonymous web-messaging guest has none ("each new guest
	// session gets an Ephemeral contact", api.md 1.4), so elsewhere the check
	// would cost two calls and never find a known contact.
	CheckBeforeAsking bool
	// AgentData is what the inbound flow writes for the agent; nil when off.
	AgentData *AgentData
	// Stitch: after an association by another identifier, the open-messaging
	// sender's id (the ExternalId identity resolution keys on, api.md 3.4) is
	// claimed on the known contact. Only with the check before asking, which
	// reads it from the conversation's contact.
	Stitch bool
}

// AgentData is the participant data written at the end of resolution.
type AgentData struct {
	Prefix       string
	IncludeValue bool
}

// Attributes are the attribute names written, before the prefix: the
// identifier value only when the config opts in.
func (a *AgentData) Attributes() []string {
	if a.IncludeValue {
		return config.AgentAttributes
	}
	return config.AgentAttributes[:len(config.AgentAttributes)-1]
}

// Names are final display names (prefix and suffix applied).
type Names struct {
	BotFlow, CommonModule, InboundFlow   string
	Integration, OAuthClient, Role       string
	Queue, Messenger, OpenMessaging      string
	MessengerConfiguration, MessengerDep string
}

// Identifier is one identifier in order of preference.
type Identifier struct {
	Type            string
	ParticipantData string
	Ask             *Ask
	// Variable holds the value in the inbound flow, e.g. Flow.Email.
	Variable  string
	Normalize Normalization
}

// Normalization says how the common module cleans a value before lookup.
type Normalization struct {
	Kind           string // "email", "phone" or "trim"
	Region         string // phone: ISO region of national numbers
	CountryCode    string // phone: calling code, e.g. "1"
	NationalPrefix string // phone: trunk prefix dropped before the country code, e.g. "0"
	// IntlPrefixes are the region's international (IDD) prefixes, longest first
	// (GB "00", US "011", AU "0011" and others), from libphonenumber's metadata.
	IntlPrefixes []string
	// NationalLengths are the possible lengths of the region's fixed-line and
	// mobile national significant numbers (GB 9 and 10, US 10).
	NationalLengths []int
}

// Ask is a bot question.
type Ask struct {
	Slot     string
	Question string
	NoMatch  string
	NoInput  string
	Pattern  string
	// FromFirstMessage: the customer's first message is offered to this slot
	// before the question, because a greeting cannot pass for its value.
	FromFirstMessage bool
}

// SecondFactor must agree with the looked-up contact.
type SecondFactor struct {
	Field           string // lastName or firstName
	ParticipantData string
	Ask             *Ask
	Variable        string
}

// Bot holds bot settings.
type Bot struct {
	Retries          int
	ErrorMessage     string
	HandoverMessage  string
	NoMatchApology   string
	NoInputApology   string
	NoInputTimeoutMs int
	StatusEnabled    bool
	StatusLinked     string
	StatusNotLinked  string
}

// Queue is the destination queue.
type Queue struct {
	Existing bool
	Members  []string
}

// WebMessaging is the Messenger deployment.
type WebMessaging struct {
	AllowedDomains    []string
	ResolveIdentities bool
}

// OpenMessaging is the open-messaging integration.
type OpenMessaging struct {
	WebhookURL        string
	ResolveIdentities bool
}

// ExternalSource scopes ExternalId identifiers.
type ExternalSource struct {
	Name   string
	Create bool
}

// HasBot reports whether any value is asked by the bot (otherwise no bot flow is rendered).
func (m *Model) HasBot() bool { return len(m.Slots()) > 0 }

// Slots lists every bot question in the order the flow may ask them.
func (m *Model) Slots() []*Ask {
	var out []*Ask
	for _, id := range m.Identifiers {
		if id.Ask != nil {
			out = append(out, id.Ask)
		}
	}
	if m.SecondFactor != nil && m.SecondFactor.Ask != nil {
		out = append(out, m.SecondFactor.Ask)
	}
	return out
}

// Action returns the data action with the given key, or nil.
func (m *Model) Action(key string) *Action {
	for _, a := range m.Actions {
		if a.Key == key {
			return a
		}
	}
	return nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// Build resolves a config that config.Parse accepted.
func Build(c *config.Config) *Model {
	n := c.Names
	full := n.Compose
	dn := config.DefaultNames
	m := &Model{
		ProviderVersion: or(c.Provider.Version, config.ProviderVersion),
		Language:        or(c.Language, config.DefaultLanguage),
		DivisionName:    c.Division,
		Names: Names{
			BotFlow:       full(n.BotFlow, dn.BotFlow),
			CommonModule:  full(n.CommonModule, dn.CommonModule),
			InboundFlow:   full(n.InboundFlow, dn.InboundFlow),
			Integration:   full(n.Integration, dn.Integration),
			OAuthClient:   full(n.OAuthClient, dn.OAuthClient),
			Role:          full(n.Role, dn.Role),
			Queue:         full(n.Queue, dn.Queue),
			Messenger:     full(n.Messenger, dn.Messenger),
			OpenMessaging: full(n.OpenMessaging, dn.OpenMessaging),
		},
		Strategy:         or(c.Link.Strategy, contract.StrategyMerge),
		MergeDeprecated:  c.Link.MergeEndpoint == "deprecated",
		LookupDeprecated: c.Link.LookupEndpoint == "deprecated",
		Credentials:      or(c.DataActions.Credentials, "create"),
		AllDivisions:     c.DataActions.AllDivisions,
		TimeoutSeconds:   orInt(c.DataActions.TimeoutSeconds, 10),
		Queue:            Queue{Existing: c.Queue.Existing, Members: append([]string(nil), c.Queue.Members...)},
	}
	if c.Queue.Existing {
		// An existing queue is looked up by the name the user wrote: the prefix
		// and suffix only apply to objects bpgen creates.
		m.Names.Queue = or(n.Queue, dn.Queue)
	}
	m.Names.MessengerConfiguration = m.Names.Messenger
	m.Names.MessengerDep = m.Names.Messenger
	m.Category = m.Names.Integration
	if m.Credentials == "existingIntegration" && c.DataActions.Category != "" {
		m.Category = n.Prefix + c.DataActions.Category + n.Suffix
	}
	retries := orInt(c.Bot.Retries, 3)
	m.Bot = Bot{
		Retries:          retries,
		ErrorMessage:     or(c.Bot.ErrorMessage, "Sorry, something went wrong. One moment while I connect you with someone who can help."),
		HandoverMessage:  or(c.Bot.HandoverMessage, "Sorry, I'm having trouble understanding. One moment while I connect you with someone who can help."),
		NoMatchApology:   or(c.Bot.NoMatchApology, "Sorry."),
		NoInputApology:   or(c.Bot.NoInputApology, "Sorry, I didn't get a reply."),
		NoInputTimeoutMs: orInt(c.Bot.NoInputTimeoutMs, 7000),
		StatusEnabled:    c.Bot.StatusMessages.Enabled,
		StatusLinked:     or(c.Bot.StatusMessages.Linked, "Thank you, we found your details. An agent will be with you shortly."),
		StatusNotLinked:  or(c.Bot.StatusMessages.NotLinked, "Thank you. An agent will be with you shortly."),
	}
	asked := 0
	for _, ci := range c.Identifiers {
		info, _ := config.Info(ci.Type)
		id := Identifier{Type: ci.Type, ParticipantData: ci.ParticipantData}
		slot := info.Slot
		if ci.Ask != nil {
			slot = or(ci.Ask.Slot, info.Slot)
			// Only the first question greets: later ones come mid-conversation.
			question := "Hello! So that we can find your details, please type your " + info.Label + "."
			if asked > 0 {
				question = "Please type your " + info.Label + " so that we can find your details."
			}
			asked++
			id.Ask = &Ask{
				Slot:     slot,
				Question: or(ci.Ask.Question, question),
				NoMatch:  or(ci.Ask.NoMatch, "That doesn't look like a valid "+info.Label+". Please type your "+info.Label+"."),
				NoInput:  or(ci.Ask.NoInput, "Please type your "+info.Label+" to continue."),
				Pattern:  or(ci.Ask.Pattern, info.Pattern),
			}
			id.Ask.FromFirstMessage = (info.IsEmail || info.IsPhone) && !matchesGreeting(id.Ask.Pattern)
		}
		id.Variable = "Flow." + slot
		switch {
		case info.IsEmail:
			id.Normalize = Normalization{Kind: "email"}
		case info.IsPhone:
			region := or(ci.DefaultCountry, "US")
			// libphonenumber's facts for the region, from the committed
			// table (config validation refused regions it lacks).
			md, _ := phonemeta.Lookup(region)
			id.Normalize = Normalization{
				Kind:            "phone",
				Region:          region,
				CountryCode:     itoa(md.CountryCode),
				NationalPrefix:  md.NationalPrefix,
				IntlPrefixes:    md.IntlPrefixes,
				NationalLengths: md.NationalLengths,
			}
		default:
			id.Normalize = Normalization{Kind: "trim"}
		}
		if ci.ExternalSource != nil {
			m.ExternalSource = &ExternalSource{Name: n.Prefix + ci.ExternalSource.Name + n.Suffix, Create: ci.ExternalSource.Create}
			if !ci.ExternalSource.Create {
				// An existing source keeps its own name: the prefix/suffix only apply to objects bpgen creates.
				m.ExternalSource.Name = ci.ExternalSource.Name
			}
		}
		m.Identifiers = append(m.Identifiers, id)
	}
	if sf := c.Matching.SecondFactor; sf != nil {
		field := or(sf.Field, "lastName")
		slot := config.SecondFactorSlot(field)
		label := config.SecondFactorLabel(field)
		s := &SecondFactor{Field: field, ParticipantData: sf.ParticipantData}
		if sf.Ask != nil {
			slot = or(sf.Ask.Slot, slot)
			s.Ask = &Ask{
				Slot:     slot,
				Question: or(sf.Ask.Question, "Thank you. To confirm it's you, please type your "+label+"."),
				NoMatch:  or(sf.Ask.NoMatch, "Please type your "+label+"."),
				NoInput:  or(sf.Ask.NoInput, "Please type your "+label+" to continue."),
				Pattern:  or(sf.Ask.Pattern, config.SecondFactorPattern),
			}
		}
		s.Variable = "Flow." + slot
		m.SecondFactor = s
	}
	if c.WebMessagingEnabled() {
		m.WebMessaging = &WebMessaging{AllowedDomains: append([]string(nil), c.Channels.WebMessaging.AllowedDomains...), ResolveIdentities: c.Channels.WebMessaging.ResolveIdentities}
	}
	if om := c.Channels.OpenMessaging; om.Enabled {
		m.OpenMessaging = &OpenMessaging{WebhookURL: om.WebhookURL, ResolveIdentities: om.ResolveIdentities}
	}
	if ad := c.AgentData; ad.Enabled == nil || *ad.Enabled {
		m.AgentData = &AgentData{Prefix: or(ad.Prefix, config.DefaultAgentPrefix), IncludeValue: ad.IncludeIdentifierValue}
	}
	m.CheckBeforeAsking = m.OpenMessaging != nil && m.OpenMessaging.ResolveIdentities &&
		(c.Matching.ConfirmPlatformLink == nil || *c.Matching.ConfirmPlatformLink)
	m.Stitch = m.Strategy == "associate" && m.CheckBeforeAsking && m.HasExternalID() && (c.Link.Stitch == nil || *c.Link.Stitch)
	m.Actions = buildActions(m, c)
	return m
}

// greetings are first messages that carry no identifier.
var greetings = []string{"Hello", "Hi", "Hi there", "Hey", "Good morning", "Help", "I need help with my order"}

// matchesGreeting reports whether a slot pattern would take a greeting for a
// value (a custom pattern may be that loose); such a slot is not offered the
// first message.
func matchesGreeting(pattern string) bool {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return true
	}
	for _, g := range greetings {
		if re.MatchString(g) {
			return true
		}
	}
	return false
}

func itoa(i int) string {
	if i == 0 {
		return ""
	}
	return strconv.Itoa(i)
}

// IdentifierTypes lists the configured types in order.
func (m *Model) IdentifierTypes() []string {
	out := make([]string, len(m.Identifiers))
	for i, id := range m.Identifiers {
		out[i] = id.Type
	}
	return out
}

// NeedsContactType reports whether the module reads a contact's type: on the
// N-way merge "merged contacts can be of any type"
// (help.mypurecloud.com/announcements/deprecation-of-current-external-contacts-merge-endpoint),
// so only a type read first keeps another customer's curated contact out of
// a merge; the deprecated endpoint refuses such a merge itself ("Two curated
// contacts cannot be merged", SDK PostExternalcontactsMergeContacts; its
// deprecation has no planned removal, community.genesys.com announcement).
func (m *Model) NeedsContactType() bool { return m.Strategy == "merge" && !m.MergeDeprecated }

// HasExternalID reports whether an ExternalId identifier is configured.
func (m *Model) HasExternalID() bool { return m.ExternalSource != nil }
