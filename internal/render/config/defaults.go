package config

import "github.com/bpgen/bpgen/internal/contract"

// Defaults that depend on the identifier type. They live beside the config
// because validation needs the effective slot names and patterns too.

// ProviderVersion is the provider release bpgen pins and checks against.
const ProviderVersion = "1.82.0"

// TypeInfo is what bpgen knows about an identifier type (internal/contract
// holds the one table of identifier types).
type TypeInfo = contract.IdentifierType

// Info returns what bpgen knows about an identifier type.
func Info(typ string) (TypeInfo, bool) { return contract.Identifier(typ) }

// SecondFactorPattern accepts any non-blank answer: names are too varied to validate.
const SecondFactorPattern = `\S.*`

// SecondFactorSlot is the default slot for a second factor field.
func SecondFactorSlot(field string) string {
	if field == "firstName" {
		return "FirstName"
	}
	return "LastName"
}

// SecondFactorLabel is how the bot names the field.
func SecondFactorLabel(field string) string {
	if field == "firstName" {
		return "first name"
	}
	return "last name"
}

// DefaultNames are the names of the objects bpgen creates when the config
// names none. They live here because validation checks the composed names
// (prefix + name + suffix) against the provider's limits, and the model
// composes the same names.
var DefaultNames = Names{
	BotFlow:       "Identity Resolution Bot",
	CommonModule:  "Resolve Contact",
	InboundFlow:   "Identity Resolution Message Flow",
	Integration:   "Identity Resolution Data Actions",
	OAuthClient:   "Identity Resolution Data Actions",
	Role:          "Identity Resolution Data Actions",
	Queue:         "Identity Resolution",
	Messenger:     "Identity Resolution Messenger",
	OpenMessaging: "Identity Resolution Open Messaging",
	Actions: ActionNames{
		Lookup:       "Lookup External Contact by Identifier",
		Conversation: "Get Conversation Customer Contact",
		Contact:      "Get External Contact",
		Merge:        "Merge External Contacts",
		Associate:    "Associate Conversation with External Contact",
		Claim:        "Claim External Contact Identifier",
	},
}

// Compose is the final name of an object bpgen creates: prefix + (v, or def
// when v is empty) + suffix.
func (n Names) Compose(v, def string) string {
	if v == "" {
		v = def
	}
	return n.Prefix + v + n.Suffix
}

// ByKey is the name set for the data action with manifest key key
// (contract.Action*), "" when none is.
func (a ActionNames) ByKey(key string) string {
	return map[string]string{
		contract.ActionLookup:       a.Lookup,
		contract.ActionConversation: a.Conversation,
		contract.ActionContact:      a.Contact,
		contract.ActionMerge:        a.Merge,
		contract.ActionAssociate:    a.Associate,
		contract.ActionClaim:        a.Claim,
	}[key]
}

// ActionName is the final name of the data action with manifest key key.
func (n Names) ActionName(key string) string {
	return n.Compose(n.Actions.ByKey(key), DefaultNames.Actions.ByKey(key))
}

// DefaultLanguage is the flows' and Messenger's language when the config sets none.
const DefaultLanguage = "en-us"
