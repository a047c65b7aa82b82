package config

// Defaults that depend on the identifier type. They live beside the config
// because validation needs the effective slot names and patterns too.

// ProviderVersion is the provider release bpgen pins and checks against.
const ProviderVersion = "1.82.0"

// TypeInfo is what bpgen knows about an identifier type.
type TypeInfo struct {
	Slot     string // default bot slot name
	Label    string // how the customer calls it, for default prompts
	Pattern  string // default slot validation pattern (RE2)
	Askable  bool   // whether a customer can type it at all
	IsPhone  bool   // normalised to E.164
	IsEmail  bool   // trimmed and lower-cased
	External bool   // needs an external source
}

var typeInfo = map[string]TypeInfo{
	"Email": {Slot: "Email", Label: "email address", Askable: true, IsEmail: true,
		Pattern: `[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?`},
	"Phone":           {Slot: "Phone", Label: "phone number", Askable: true, IsPhone: true, Pattern: `\+?[0-9][0-9 ().\-/]{5,22}[0-9]`},
	"SocialWhatsapp":  {Slot: "WhatsApp", Label: "WhatsApp number", Askable: true, IsPhone: true, Pattern: `\+?[0-9][0-9 ().\-/]{5,22}[0-9]`},
	"SocialFacebook":  {Slot: "Facebook", Label: "Facebook id", Askable: true, Pattern: `[0-9A-Za-z._-]{1,100}`},
	"SocialTwitter":   {Slot: "Twitter", Label: "X (Twitter) id", Askable: true, Pattern: `@?[A-Za-z0-9_]{1,50}`},
	"SocialLine":      {Slot: "Line", Label: "LINE id", Askable: true, Pattern: `[0-9A-Za-z._-]{1,100}`},
	"SocialInstagram": {Slot: "Instagram", Label: "Instagram id", Askable: true, Pattern: `[0-9A-Za-z._-]{1,100}`},
	"AppleOpaqueId":   {Slot: "AppleId", Label: "Apple Messages id"},
	"Cookie":          {Slot: "Cookie", Label: "cookie"},
	"ExternalId":      {Slot: "CustomerNumber", Label: "customer number", Askable: true, External: true, Pattern: `[0-9A-Za-z._-]{1,255}`},
}

// Info returns what bpgen knows about an identifier type.
func Info(typ string) (TypeInfo, bool) {
	ti, ok := typeInfo[typ]
	return ti, ok
}

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

// DefaultLanguage is the flows' and Messenger's language when the config sets none.
const DefaultLanguage = "en-us"
