package org

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// identEntry is one identifier a contact owns in the index.
type identEntry struct {
	key      string
	typ      string
	value    string // as shown to clients (trimmed original; e164 for phones)
	sourceID string // ExternalId only
	since    time.Time
	claimed  bool // from a Claim rather than a contact field
}

// identKey is the index key. Emails are case-insensitive, phones are keyed by
// e164, ExternalIds are scoped by their source; everything else is exact.
func identKey(typ, sourceID, norm string) string {
	return typ + "\x1f" + sourceID + "\x1f" + norm
}

func newEntry(typ, sourceID, value, norm string) identEntry {
	return identEntry{key: identKey(typ, sourceID, norm), typ: typ, value: value, sourceID: sourceID}
}

// derivedIdentifiers lists the identifiers a contact's fields imply.
// inferred: the field-to-identifier table of the reference (1.3).
func derivedIdentifiers(c *Contact) []identEntry {
	var out []identEntry
	for _, e := range []string{c.WorkEmail, c.PersonalEmail, c.OtherEmail} {
		if e != "" {
			out = append(out, newEntry(IdentifierEmail, "", e, strings.ToLower(e)))
		}
	}
	for _, p := range []*PhoneNumber{c.WorkPhone, c.CellPhone, c.HomePhone, c.OtherPhone} {
		if p != nil && p.E164 != "" {
			out = append(out, newEntry(IdentifierPhone, "", p.E164, p.E164))
		}
	}
	if c.WhatsAppID != nil && c.WhatsAppID.PhoneNumber != nil && c.WhatsAppID.PhoneNumber.E164 != "" {
		v := c.WhatsAppID.PhoneNumber.E164
		out = append(out, newEntry(IdentifierSocialWhatsapp, "", v, v))
	}
	if c.TwitterID != nil && c.TwitterID.ID != "" {
		out = append(out, newEntry(IdentifierSocialTwitter, "", c.TwitterID.ID, c.TwitterID.ID))
	}
	if c.FacebookID != nil {
		for _, id := range c.FacebookID.IDs {
			out = append(out, newEntry(IdentifierSocialFacebook, "", id.ScopedID, id.ScopedID))
		}
	}
	if c.LineID != nil {
		for _, id := range c.LineID.IDs {
			out = append(out, newEntry(IdentifierSocialLine, "", id.UserID, id.UserID))
		}
	}
	if c.InstagramID != nil {
		for _, id := range c.InstagramID.IDs {
			out = append(out, newEntry(IdentifierSocialInstagram, "", id.ScopedID, id.ScopedID))
		}
	}
	for _, a := range c.AppleOpaqueIDs {
		out = append(out, newEntry(IdentifierAppleOpaqueID, "", a.Value, a.Value))
	}
	for _, e := range c.ExternalIDs {
		if e.ExternalSource != nil {
			out = append(out, newEntry(IdentifierExternalID, e.ExternalSource.ID, e.Value, e.Value))
		}
	}
	return out
}

// reindexLocked brings the index in line with rec's fields and claims. Keys
// the record newly gains go to the end of their owner list (most recent);
// keys it keeps stay where they are, so editing an unrelated field does not
// steal an identifier shared with another contact.
func (o *Org) reindexLocked(rec *contactRec) {
	want := map[string]identEntry{}
	for _, e := range derivedIdentifiers(&rec.c) {
		want[e.key] = e
	}
	for _, e := range rec.claims {
		if _, ok := want[e.key]; !ok {
			want[e.key] = e
		}
	}
	now := o.now()
	id := rec.c.ID
	for k := range rec.held {
		if _, ok := want[k]; !ok {
			o.removeOwnerLocked(k, id)
		}
	}
	for k, e := range want {
		if old, ok := rec.held[k]; ok {
			e.since = old.since
		} else {
			if e.since.IsZero() {
				e.since = now
			}
			o.index[k] = append(o.index[k], id)
		}
		want[k] = e
	}
	rec.held = want
}

func (o *Org) unindexLocked(rec *contactRec) {
	for k := range rec.held {
		o.removeOwnerLocked(k, rec.c.ID)
	}
	rec.held = nil
}

func (o *Org) removeOwnerLocked(key, id string) {
	owners := slices.DeleteFunc(o.index[key], func(s string) bool { return s == id })
	if len(owners) == 0 {
		delete(o.index, key)
	} else {
		o.index[key] = owners
	}
}

// headsLocked returns the distinct canonical heads owning key, most recent
// first. Members of one merge set count once: they are one customer.
func (o *Org) headsLocked(key string) []string {
	owners := o.index[key]
	var heads []string
	for i := len(owners) - 1; i >= 0; i-- {
		h := o.contacts[owners[i]].headID()
		if !slices.Contains(heads, h) {
			heads = append(heads, h)
		}
	}
	return heads
}

// normalizeIdentifier validates a ContactIdentifier and returns its index
// entry. Phone values must carry a leading '+' (400 otherwise); WhatsApp ids
// are accepted with or without it, since WhatsApp writes E.164 without.
func (o *Org) normalizeIdentifier(in ContactIdentifier) (identEntry, error) {
	v := strings.TrimSpace(in.Value)
	if in.Type == "" {
		return identEntry{}, badRequest("identifier type is required.")
	}
	if !slices.Contains(IdentifierTypes, in.Type) {
		return identEntry{}, badRequest("identifier type %q must be one of %s.", in.Type, strings.Join(IdentifierTypes, ", "))
	}
	if v == "" {
		return identEntry{}, badRequest("identifier value is required.")
	}
	switch in.Type {
	case IdentifierEmail:
		return newEntry(in.Type, "", v, strings.ToLower(v)), nil
	case IdentifierPhone, IdentifierSocialWhatsapp:
		e164, err := o.e164Lookup(v, in.Type == IdentifierPhone)
		if err != nil {
			return identEntry{}, err
		}
		return newEntry(in.Type, "", e164, e164), nil
	case IdentifierExternalID:
		// inferred: ExternalId identifiers are scoped by their source.
		if in.ExternalSource == nil || strings.TrimSpace(in.ExternalSource.ID) == "" {
			return identEntry{}, badRequest("externalSource.id is required for ExternalId identifiers.")
		}
		return newEntry(in.Type, strings.TrimSpace(in.ExternalSource.ID), v, v), nil
	}
	return newEntry(in.Type, "", v, v), nil
}

// LookupIdentifier returns the contact that owns the identifier, resolved to
// its canonical head (inferred: an identifier owned by a merged-away contact
// finds the head). When several unrelated contacts own it, the one that most
// recently gained it wins. No owner is a 404 not.found.
func (o *Org) LookupIdentifier(in ContactIdentifier) (Contact, error) {
	return o.lookupIdentifier(in, false)
}

func (o *Org) lookupIdentifier(in ContactIdentifier, withIdentifiers bool) (Contact, error) {
	e, err := o.normalizeIdentifier(in)
	if err != nil {
		return Contact{}, err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	owners := o.index[e.key]
	if len(owners) == 0 {
		// inferred: an unclaimed identifier is a 404 not.found (the blueprint's
		// lookup action takes its failure path when there is no contact).
		ne := newError(http.StatusNotFound, "No external contact claims the "+e.typ+" identifier "+quote(e.value)+".")
		ne.EntityName = "ContactIdentifier"
		return Contact{}, ne
	}
	head := o.contacts[o.contacts[owners[len(owners)-1]].headID()]
	return o.renderLocked(head, withIdentifiers), nil
}

func quote(s string) string { return "\"" + s + "\"" }

func (o *Org) renderIdentifier(e identEntry) ContactIdentifier {
	d := homeDivision
	ci := ContactIdentifier{Type: e.typ, Value: e.value, Division: &d, DateCreated: tm(e.since)}
	if e.sourceID != "" {
		ci.ExternalSource = o.sourceRefLocked(e.sourceID)
	}
	return ci
}

// identifiersLocked lists rec's identifiers; for a head (union=true) the
// union over its merge set, since all of them resolve to it (inferred).
func (o *Org) identifiersLocked(rec *contactRec, union bool) []ContactIdentifier {
	recs := []*contactRec{rec}
	if union {
		recs = recs[:0]
		for _, m := range o.sets[rec.c.ID] {
			recs = append(recs, o.contacts[m])
		}
	}
	seen := map[string]identEntry{}
	for _, r := range recs {
		for k, e := range r.held {
			if old, ok := seen[k]; !ok || e.since.Before(old.since) {
				seen[k] = e
			}
		}
	}
	entries := make([]identEntry, 0, len(seen))
	for _, e := range seen {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b identEntry) int {
		return cmp.Or(a.since.Compare(b.since), cmp.Compare(a.typ, b.typ), cmp.Compare(a.value, b.value))
	})
	out := make([]ContactIdentifier, len(entries))
	for i, e := range entries {
		out[i] = o.renderIdentifier(e)
	}
	return out
}

// ContactIdentifiers lists the identifiers of the (resolved) contact
// (GET /contacts/{id}/identifiers).
func (o *Org) ContactIdentifiers(contactID string) ([]ContactIdentifier, error) {
	return readContact(o, contactID, true, func(rec *contactRec) []ContactIdentifier { return o.identifiersLocked(rec, rec.head != "") })
}

// IdentifierClaim is the body of PATCH /contacts/{id}/identifiers.
type IdentifierClaim struct {
	Operation  string            `json:"operation"` // Claim | Release
	Identifier ContactIdentifier `json:"identifier"`
}

// ClaimIdentifier claims or releases an identifier for the (resolved)
// contact.
//
// Claim is idempotent for the same merge set. inferred (strict reading of
// "an identifier is owned by at most one contact"): claiming one that another
// contact claimed, or that a curated contact has in its own fields, is a 409
// conflict and nothing changes, so a claim never steals an identifier; one
// that only an observed (Ephemeral or Identified) contact has from its fields
// (the sender's id on the contact identity resolution made) stays there, and
// lookups and identity resolution then prefer the claim (resolveOpenLocked).
//
// Release removes a claim; releasing an identifier the contact holds only
// through one of its fields is a 400 (update the field instead), and one it
// does not hold at all is a 404.
func (o *Org) ClaimIdentifier(contactID string, req IdentifierClaim) (ContactIdentifier, error) {
	op := strings.ToLower(req.Operation)
	if op != "claim" && op != "release" {
		return ContactIdentifier{}, badRequest("operation %q must be Claim or Release.", req.Operation)
	}
	e, err := o.normalizeIdentifier(req.Identifier)
	if err != nil {
		return ContactIdentifier{}, err
	}
	if e.typ == IdentifierExternalID {
		o.mu.RLock()
		_, ok := o.sources[e.sourceID]
		o.mu.RUnlock()
		if !ok {
			return ContactIdentifier{}, badRequest("externalSource.id %q does not reference an existing external source.", e.sourceID)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	head, err := o.resolvedLocked(contactID)
	if err != nil {
		return ContactIdentifier{}, err
	}
	members := o.sets[head.c.ID]
	if members == nil {
		members = []string{head.c.ID}
	}
	if op == "claim" {
		for _, m := range members {
			if held, ok := o.contacts[m].held[e.key]; ok {
				return o.renderIdentifier(held), nil
			}
		}
		for _, owner := range o.index[e.key] {
			held, ok := o.contacts[owner].held[e.key]
			if !ok || slices.Contains(members, owner) {
				continue
			}
			if held.claimed || o.contacts[o.contacts[owner].headID()].c.Type == TypeCurated {
				ce := conflict("ContactIdentifier", o.contacts[owner].headID(), "The %s identifier %s is already claimed by another contact.", e.typ, quote(e.value))
				return ContactIdentifier{}, ce
			}
		}
		e.claimed = true
		e.since = o.now()
		head.claims = append(head.claims, e)
		o.reindexLocked(head)
		return o.renderIdentifier(head.held[e.key]), nil
	}
	fromField := false
	for _, m := range members {
		r := o.contacts[m]
		for i, c := range r.claims {
			if c.key == e.key {
				r.claims = slices.Delete(r.claims, i, i+1)
				held := r.held[e.key]
				o.reindexLocked(r)
				return o.renderIdentifier(held), nil
			}
		}
		if _, ok := r.held[e.key]; ok {
			fromField = true
		}
	}
	if fromField {
		return ContactIdentifier{}, badRequest("The %s identifier %q comes from a contact field and cannot be released; update the contact instead.", e.typ, e.value)
	}
	ne := newError(http.StatusNotFound, "The contact does not claim the "+e.typ+" identifier "+quote(e.value)+".")
	ne.EntityID = head.c.ID
	ne.EntityName = "ContactIdentifier"
	return ContactIdentifier{}, ne
}

// sourceRefLocked renders an external source reference {id, name, selfUri}.
func (o *Org) sourceRefLocked(id string) *ExternalSource {
	ref := &ExternalSource{ID: id, SelfURI: sourceURI(id)}
	if s, ok := o.sources[id]; ok {
		ref.Name = s.Name
	}
	return ref
}

func sourceURI(id string) string { return "/api/v2/externalcontacts/externalsources/" + id }

// CreateExternalSource registers an external source. ID may be preset so a
// bundle's configuration can reference a known id; Active defaults to true.
func (o *Org) CreateExternalSource(in ExternalSource) (ExternalSource, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return ExternalSource{}, badRequest("name is required.")
	}
	s := cloneSource(&in)
	s.Name = name
	if s.ID == "" {
		s.ID = newUUID()
	}
	if s.Active == nil {
		t := true
		s.Active = &t
	}
	s.SelfURI = sourceURI(s.ID)
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.sources[s.ID]; ok {
		e := newError(http.StatusConflict, "An external source with id "+quote(s.ID)+" already exists.")
		e.EntityID = s.ID
		return ExternalSource{}, e
	}
	o.sources[s.ID] = s
	o.sourceOrder = append(o.sourceOrder, s.ID)
	return *cloneSource(s), nil
}

// ExternalSource returns one external source.
func (o *Org) ExternalSource(id string) (ExternalSource, error) {
	return readObject(o, o.sources, "ExternalSource", id, func(s *ExternalSource) ExternalSource { return *cloneSource(s) })
}

// ExternalSources lists external sources in creation order.
func (o *Org) ExternalSources() []ExternalSource {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]ExternalSource, len(o.sourceOrder))
	for i, id := range o.sourceOrder {
		out[i] = *cloneSource(o.sources[id])
	}
	return out
}
