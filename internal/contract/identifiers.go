package contract

import "slices"

// Identifier types, in the external-contacts API's spelling (api.md §1.3:
// the ContactIdentifier type enum of the current SDKs).
const (
	IdentifierEmail           = "Email"
	IdentifierPhone           = "Phone"
	IdentifierSocialWhatsapp  = "SocialWhatsapp"
	IdentifierSocialFacebook  = "SocialFacebook"
	IdentifierSocialTwitter   = "SocialTwitter"
	IdentifierSocialLine      = "SocialLine"
	IdentifierSocialInstagram = "SocialInstagram"
	IdentifierAppleOpaqueID   = "AppleOpaqueId"
	IdentifierCookie          = "Cookie"
	IdentifierExternalID      = "ExternalId"
)

// IdentifierType is what bpgen knows about one identifier type: how the
// platform treats its values, and the defaults the generator asks with.
type IdentifierType struct {
	Type     string // the API's spelling
	Slot     string // default bot slot name
	Label    string // how the customer calls it, for default prompts
	Pattern  string // default slot validation pattern (RE2)
	Askable  bool   // whether a customer can type it at all
	IsPhone  bool   // an E.164 phone number (the API normalises it)
	IsEmail  bool   // an email address (matched case-insensitively)
	External bool   // scoped by an external source
}

var phonePattern = `\+?[0-9][0-9 ().\-/]{5,22}[0-9]`

// Identifiers lists every identifier type, in the order bpgen documents them
// (the config schema's enum, checked against this list by a test).
var Identifiers = []IdentifierType{
	{Type: IdentifierEmail, Slot: "Email", Label: "email address", Askable: true, IsEmail: true,
		Pattern: `[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?`},
	{Type: IdentifierPhone, Slot: "Phone", Label: "phone number", Askable: true, IsPhone: true, Pattern: phonePattern},
	{Type: IdentifierSocialWhatsapp, Slot: "WhatsApp", Label: "WhatsApp number", Askable: true, IsPhone: true, Pattern: phonePattern},
	{Type: IdentifierSocialFacebook, Slot: "Facebook", Label: "Facebook id", Askable: true, Pattern: `[0-9A-Za-z._-]{1,100}`},
	{Type: IdentifierSocialTwitter, Slot: "Twitter", Label: "X (Twitter) id", Askable: true, Pattern: `@?[A-Za-z0-9_]{1,50}`},
	{Type: IdentifierSocialLine, Slot: "Line", Label: "LINE id", Askable: true, Pattern: `[0-9A-Za-z._-]{1,100}`},
	{Type: IdentifierSocialInstagram, Slot: "Instagram", Label: "Instagram id", Askable: true, Pattern: `[0-9A-Za-z._-]{1,100}`},
	{Type: IdentifierAppleOpaqueID, Slot: "AppleId", Label: "Apple Messages id"},
	{Type: IdentifierCookie, Slot: "Cookie", Label: "cookie"},
	{Type: IdentifierExternalID, Slot: "CustomerNumber", Label: "customer number", Askable: true, External: true, Pattern: `[0-9A-Za-z._-]{1,255}`},
}

// IdentifierTypes lists the type names of Identifiers, in order.
func IdentifierTypes() []string {
	out := make([]string, len(Identifiers))
	for i, t := range Identifiers {
		out[i] = t.Type
	}
	return out
}

// PhoneTypes lists the types whose values are phone numbers, in order.
func PhoneTypes() []string {
	var out []string
	for _, t := range Identifiers {
		if t.IsPhone {
			out = append(out, t.Type)
		}
	}
	return out
}

// Identifier returns what bpgen knows about an identifier type.
func Identifier(typ string) (IdentifierType, bool) {
	i := slices.IndexFunc(Identifiers, func(t IdentifierType) bool { return t.Type == typ })
	if i < 0 {
		return IdentifierType{}, false
	}
	return Identifiers[i], true
}

// External-contact types (api.md §1.1 ExternalContact.type; §1.2 for what
// each means). There is no "Canonical" type: canonical is a position in a
// merge tree, not a type.
const (
	ContactEphemeral  = "Ephemeral"  // created by identity resolution when nothing matches
	ContactIdentified = "Identified" // identity resolution found a single match
	ContactCurated    = "Curated"    // created by an agent, an admin or the API, or promoted
)

// ContactTypes lists the contact types, in the order scenario validation names them.
var ContactTypes = []string{ContactCurated, ContactIdentified, ContactEphemeral}
