package org

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/jsonvalue"
)

// Contact types. There is no "Canonical" type: canonical is a position in a
// merge tree (see Contact.CanonicalContact), not a type.
const (
	TypeEphemeral  = contract.ContactEphemeral
	TypeIdentified = contract.ContactIdentified
	TypeCurated    = contract.ContactCurated
)

// Identifier types (ContactIdentifier.type), named here because the org's
// index and handlers use them throughout.
const (
	IdentifierSocialLine      = contract.IdentifierSocialLine
	IdentifierSocialFacebook  = contract.IdentifierSocialFacebook
	IdentifierSocialTwitter   = contract.IdentifierSocialTwitter
	IdentifierSocialWhatsapp  = contract.IdentifierSocialWhatsapp
	IdentifierSocialInstagram = contract.IdentifierSocialInstagram
	IdentifierAppleOpaqueID   = contract.IdentifierAppleOpaqueID
	IdentifierEmail           = contract.IdentifierEmail
	IdentifierPhone           = contract.IdentifierPhone
	IdentifierCookie          = contract.IdentifierCookie
	IdentifierExternalID      = contract.IdentifierExternalID
)

// IdentifierTypes lists every identifier type the emulator indexes.
var IdentifierTypes = contract.IdentifierTypes()

// timeLayout is ISO-8601 UTC with milliseconds, the format the SDKs read and write.
const timeLayout = "2006-01-02T15:04:05.000Z"

// Time is a time.Time that marshals the way the Platform API does.
type Time struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(timeLayout))
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

// Ref is an addressable entity reference {id, name, selfUri}.
type Ref struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// PhoneNumber is the contact phone model. Clients write Display; the org
// fills UserInput, E164 and CountryCode.
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
// source configured for Open Messaging identity resolution).
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
// and the body of identifier lookups and claims.
type ContactIdentifier struct {
	ID             string          `json:"id,omitempty"`
	Type           string          `json:"type"`
	Value          string          `json:"value"`
	Division       *Ref            `json:"division,omitempty"`
	DateCreated    Time            `json:"dateCreated,omitzero"`
	ExternalSource *ExternalSource `json:"externalSource,omitempty"`
}

// Contact is the ExternalContact model. The merge fields (CanonicalContact,
// MergeSet, MergedFrom, MergedTo) and SelfURI are computed by the org; values
// passed in by callers are ignored.
type Contact struct {
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

func contactURI(id string) string { return "/api/v2/externalcontacts/contacts/" + id }

func contactRef(id string) Ref { return Ref{ID: id, SelfURI: contactURI(id)} }

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// cloneWith copies *p, then lets deep replace what the copy still shares
// with the original (its pointers and slices); nil stays nil.
func cloneWith[T any](p *T, deep func(*T)) *T {
	c := clonePtr(p)
	if c != nil {
		deep(c)
	}
	return c
}

func clonePhone(p *PhoneNumber) *PhoneNumber {
	return cloneWith(p, func(c *PhoneNumber) { c.Extension = clonePtr(c.Extension) })
}

func cloneSource(s *ExternalSource) *ExternalSource {
	return cloneWith(s, func(c *ExternalSource) {
		c.Active = clonePtr(c.Active)
		c.LinkConfiguration = clonePtr(c.LinkConfiguration)
	})
}

// clone returns a deep copy; the org never hands out pointers into its state.
func (c Contact) clone() Contact {
	d := c
	d.Division = clonePtr(c.Division)
	d.WorkPhone = clonePhone(c.WorkPhone)
	d.CellPhone = clonePhone(c.CellPhone)
	d.HomePhone = clonePhone(c.HomePhone)
	d.OtherPhone = clonePhone(c.OtherPhone)
	d.Address = clonePtr(c.Address)
	d.TwitterID = cloneWith(c.TwitterID, func(t *TwitterID) { t.Verified = clonePtr(t.Verified) })
	d.LineID = cloneWith(c.LineID, func(l *LineID) { l.IDs = slices.Clone(l.IDs) })
	d.WhatsAppID = cloneWith(c.WhatsAppID, func(w *WhatsAppID) { w.PhoneNumber = clonePhone(w.PhoneNumber) })
	d.FacebookID = cloneWith(c.FacebookID, func(f *FacebookID) { f.IDs = slices.Clone(f.IDs) })
	d.InstagramID = cloneWith(c.InstagramID, func(i *InstagramID) { i.IDs = slices.Clone(i.IDs) })
	d.AppleOpaqueIDs = slices.Clone(c.AppleOpaqueIDs)
	if c.ExternalIDs != nil {
		d.ExternalIDs = make([]ExternalID, len(c.ExternalIDs))
		for i, e := range c.ExternalIDs {
			d.ExternalIDs[i] = ExternalID{ExternalSource: cloneSource(e.ExternalSource), Value: e.Value}
		}
	}
	if c.Identifiers != nil {
		d.Identifiers = make([]ContactIdentifier, len(c.Identifiers))
		for i, id := range c.Identifiers {
			id.Division = clonePtr(id.Division)
			id.ExternalSource = cloneSource(id.ExternalSource)
			d.Identifiers[i] = id
		}
	}
	d.SurveyOptOut = clonePtr(c.SurveyOptOut)
	if c.CustomFields != nil {
		d.CustomFields = jsonvalue.Copy(c.CustomFields).(map[string]any)
	}
	d.CanonicalContact = clonePtr(c.CanonicalContact)
	d.MergeSet = slices.Clone(c.MergeSet)
	d.MergedFrom = slices.Clone(c.MergedFrom)
	d.MergedTo = clonePtr(c.MergedTo)
	return d
}

func cloneStringMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}
