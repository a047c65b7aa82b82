package org

import (
	"maps"
	"slices"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/jsonvalue"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
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

// The org stores and serves the Platform API's own models (apimodel); these
// aliases keep the names its Go API has always used.

// Time is a time.Time that marshals the way the Platform API does.
type Time = apimodel.Time

func tm(t time.Time) Time { return Time{Time: t} }

// Ref is an addressable entity reference {id, name, selfUri}.
type Ref = apimodel.Ref

// Contact is the ExternalContact model. The merge fields (CanonicalContact,
// MergeSet, MergedFrom, MergedTo) and SelfURI are computed by the org; values
// passed in by callers are ignored.
type Contact = apimodel.ExternalContact

// PhoneNumber is the contact phone model. Clients write Display; the org
// fills UserInput, E164 and CountryCode.
type PhoneNumber = apimodel.PhoneNumber

// WhatsAppID is a WhatsApp number (E.164 without the leading plus on input).
type WhatsAppID = apimodel.WhatsAppID

// ExternalSource scopes ExternalId identifiers.
type ExternalSource = apimodel.ExternalSource

// ExternalID is a value scoped by an external source.
type ExternalID = apimodel.ExternalID

// ContactIdentifier is an identifier claimed by (or derived from) a contact,
// and the body of identifier lookups and claims.
type ContactIdentifier = apimodel.ContactIdentifier

// stamps are the created, modified and self URI trailer of an entity.
func stamps(created, modified time.Time, self string) apimodel.Stamps {
	return apimodel.Stamps{DateCreated: tm(created), DateModified: tm(modified), SelfURI: self}
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

// cloneContact returns a deep copy; the org never hands out pointers into its state.
func cloneContact(c Contact) Contact {
	d := c
	d.Division = clonePtr(c.Division)
	d.WorkPhone = clonePhone(c.WorkPhone)
	d.CellPhone = clonePhone(c.CellPhone)
	d.HomePhone = clonePhone(c.HomePhone)
	d.OtherPhone = clonePhone(c.OtherPhone)
	d.Address = clonePtr(c.Address)
	d.TwitterID = cloneWith(c.TwitterID, func(t *apimodel.TwitterID) { t.Verified = clonePtr(t.Verified) })
	d.LineID = cloneWith(c.LineID, func(l *apimodel.LineID) { l.IDs = slices.Clone(l.IDs) })
	d.WhatsAppID = cloneWith(c.WhatsAppID, func(w *WhatsAppID) { w.PhoneNumber = clonePhone(w.PhoneNumber) })
	d.FacebookID = cloneWith(c.FacebookID, func(f *apimodel.FacebookID) { f.IDs = slices.Clone(f.IDs) })
	d.InstagramID = cloneWith(c.InstagramID, func(i *apimodel.InstagramID) { i.IDs = slices.Clone(i.IDs) })
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
