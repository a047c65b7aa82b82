package org

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Merge request bounds for POST /contacts/merge.
const (
	MinMergeContacts = 2
	MaxMergeContacts = 25
)

// MergeRequest is the body of the deprecated POST /externalcontacts/merge/contacts.
type MergeRequest struct {
	SourceContactID string `json:"sourceContactId"`
	TargetContactID string `json:"targetContactId"`
}

// MergeContactsRequest is the body of POST /externalcontacts/contacts/merge.
type MergeContactsRequest struct {
	ContactIDs    []string `json:"contactIds"`
	ValueOverride *Contact `json:"valueOverride,omitempty"`
}

// MergeLegacy implements the deprecated two-way merge. The source must be
// Ephemeral or Identified and the target Curated, else 400 bad.request
// (status and code inferred). Types are checked on the canonical heads
// (inferred): a source already merged into a curated contact is curated now,
// and "two curated contacts cannot be merged". See MergeContacts for the
// result.
func (o *Org) MergeLegacy(sourceID, targetID string) (Contact, error) {
	if strings.TrimSpace(sourceID) == "" || strings.TrimSpace(targetID) == "" {
		return Contact{}, badRequest("sourceContactId and targetContactId are required.")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	src, err := o.resolvedLocked(sourceID)
	if err != nil {
		return Contact{}, err
	}
	tgt, err := o.resolvedLocked(targetID)
	if err != nil {
		return Contact{}, err
	}
	if src == tgt {
		// inferred: same merge set, no-op (see MergeContacts).
		return o.renderLocked(src, false), nil
	}
	if t := src.c.Type; t != TypeEphemeral && t != TypeIdentified {
		return Contact{}, badRequest("sourceContactId %s is a %s contact; the source of a merge must be an Ephemeral or Identified contact. Two curated contacts cannot be merged.", sourceID, t)
	}
	if t := tgt.c.Type; t != TypeCurated {
		return Contact{}, badRequest("targetContactId %s is a %s contact; only Curated contacts may be the target of a merge.", targetID, t)
	}
	return o.mergeHeadsLocked([]*contactRec{src, tgt}, nil)
}

// MergeContacts implements POST /contacts/merge: 2..25 contacts of any type.
//
// The merge creates a new contact (new id) that becomes the canonical head:
// each input gets mergedTo -> result, every member of the tree gets
// canonicalContact -> result, the result has mergedFrom = inputs and
// mergeSet = every member (itself included). Field values come from the most
// recently modified input per field, with conflicting emails/phones moved to
// free email/phone slots; valueOverride's non-empty fields win.
//
// Decisions (inferred):
//   - Ids resolve to their canonical heads first, so merging a member of an
//     existing tree merges the whole tree and the tree stays a tree.
//   - Inputs that all resolve to the same head are a no-op: the head is
//     returned with 200 and no new contact is made. A flow that re-runs its
//     merge for a conversation already merged must not fail.
//   - A merge whose resulting set would exceed the merge-set limit (52) is a
//     400 bad.request with limit {key: "merge.set.size", namespace:
//     "externalcontacts", value: 52}; nothing changes.
//   - The result is Curated if any input is Curated, else Identified if any
//     input is Identified, else Ephemeral.
func (o *Org) MergeContacts(ids []string, valueOverride *Contact) (Contact, error) {
	if len(ids) < MinMergeContacts || len(ids) > MaxMergeContacts {
		return Contact{}, badRequest("contactIds must contain between %d and %d contact ids; got %d.", MinMergeContacts, MaxMergeContacts, len(ids))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var heads []*contactRec
	for _, id := range ids {
		h, err := o.resolvedLocked(id)
		if err != nil {
			return Contact{}, err
		}
		if !slices.Contains(heads, h) {
			heads = append(heads, h)
		}
	}
	if len(heads) == 1 {
		// inferred: merging contacts already in one set is a no-op.
		return o.renderLocked(heads[0], false), nil
	}
	var override *Contact
	if valueOverride != nil {
		c, err := o.sanitizeLocked(*valueOverride, nil)
		if err != nil {
			return Contact{}, err
		}
		override = &c
	}
	return o.mergeHeadsLocked(heads, override)
}

func (o *Org) setSizeLocked(head string) int {
	if s, ok := o.sets[head]; ok {
		return len(s)
	}
	return 1
}

func (o *Org) mergeHeadsLocked(heads []*contactRec, override *Contact) (Contact, error) {
	size := 1 // the new result contact
	for _, h := range heads {
		size += o.setSizeLocked(h.c.ID)
	}
	// inferred: status/code of the documented 52-member limit.
	if o.mergeSetLimit > 0 && size > o.mergeSetLimit {
		e := newError(http.StatusBadRequest, fmt.Sprintf(
			"Merge operation failed: the resulting merge set would contain %d contacts, which exceeds the limit of %d.", size, o.mergeSetLimit))
		e.Limit = &Limit{Key: "merge.set.size", Namespace: "externalcontacts", Value: o.mergeSetLimit}
		e.Details = []ErrorDetail{{ErrorCode: "merge.set.limit.exceeded", FieldName: "contactIds"}}
		return Contact{}, e
	}

	byAge := slices.Clone(heads)
	slices.SortFunc(byAge, func(a, b *contactRec) int { return cmp.Compare(a.seq, b.seq) })
	merged := mergeFields(byAge)
	if override != nil {
		applyOverride(&merged, override)
	}
	// inferred: Curated if any input is Curated, else Identified if any, else Ephemeral.
	typ := TypeEphemeral
	for _, h := range heads {
		switch h.c.Type {
		case TypeCurated:
			typ = TypeCurated
		case TypeIdentified:
			if typ == TypeEphemeral {
				typ = TypeIdentified
			}
		}
	}
	result := o.insertLocked(merged, typ)
	rid := result.c.ID

	members := make([]string, 0, size)
	for _, h := range heads {
		hid := h.c.ID
		if s, ok := o.sets[hid]; ok {
			members = append(members, s...)
			delete(o.sets, hid)
		} else {
			members = append(members, hid)
		}
		h.mergedTo = rid
		result.mergedFrom = append(result.mergedFrom, hid)
	}
	members = append(members, rid)
	for _, m := range members {
		o.contacts[m].head = rid
	}
	o.sets[rid] = members
	return o.renderLocked(result, false), nil
}

// mergeFields combines contacts ordered oldest to newest: per field the
// newest non-empty value wins; emails and phones that lose their slot move to
// a free slot of the same kind; id lists are unioned.
func mergeFields(recs []*contactRec) Contact {
	var m Contact
	for _, r := range recs {
		c := cloneContact(r.c)
		overlay(&m, &c)
	}
	// Union id lists, newest first, and relocate displaced emails/phones.
	var emails []string
	var phones []*PhoneNumber
	for i := len(recs) - 1; i >= 0; i-- {
		c := cloneContact(recs[i].c)
		for _, a := range c.AppleOpaqueIDs {
			if !slices.Contains(m.AppleOpaqueIDs, a) {
				m.AppleOpaqueIDs = append(m.AppleOpaqueIDs, a)
			}
		}
		for _, e := range c.ExternalIDs {
			if !slices.ContainsFunc(m.ExternalIDs, func(x ExternalID) bool {
				return x.Value == e.Value && x.ExternalSource.ID == e.ExternalSource.ID
			}) {
				m.ExternalIDs = append(m.ExternalIDs, e)
			}
		}
		emails = append(emails, c.WorkEmail, c.PersonalEmail, c.OtherEmail)
		phones = append(phones, c.WorkPhone, c.CellPhone, c.HomePhone, c.OtherPhone)
	}
	emailSlots := []*string{&m.WorkEmail, &m.PersonalEmail, &m.OtherEmail}
	for _, e := range emails {
		if e == "" || slices.ContainsFunc(emailSlots, func(s *string) bool { return strings.EqualFold(*s, e) }) {
			continue
		}
		for _, s := range emailSlots {
			if *s == "" {
				*s = e
				break
			}
		}
	}
	phoneKey := func(p *PhoneNumber) string {
		if p.E164 != "" {
			return p.E164
		}
		return p.Display
	}
	phoneSlots := []**PhoneNumber{&m.WorkPhone, &m.CellPhone, &m.HomePhone, &m.OtherPhone}
	for _, p := range phones {
		if p == nil || slices.ContainsFunc(phoneSlots, func(s **PhoneNumber) bool { return *s != nil && phoneKey(*s) == phoneKey(p) }) {
			continue
		}
		for _, s := range phoneSlots {
			if *s == nil {
				*s = p
				break
			}
		}
	}
	return m
}

// applyOverride copies the non-empty writable fields of ov onto m ("null
// fields in valueOverride do not override"); id lists in ov replace m's.
func applyOverride(m, ov *Contact) {
	overlay(m, ov)
	if ov.AppleOpaqueIDs != nil {
		m.AppleOpaqueIDs = ov.AppleOpaqueIDs
	}
	if ov.ExternalIDs != nil {
		m.ExternalIDs = ov.ExternalIDs
	}
}

// overlay copies the non-empty single-valued fields of src onto m: strings,
// phones and identity objects replace, custom fields merge by key. Both a
// merge (per contact, oldest to newest) and an override apply it; they
// differ in how id lists combine.
func overlay(m, src *Contact) {
	for _, f := range []struct{ dst, src *string }{
		{&m.FirstName, &src.FirstName}, {&m.MiddleName, &src.MiddleName}, {&m.LastName, &src.LastName},
		{&m.Salutation, &src.Salutation}, {&m.Title, &src.Title}, {&m.ExternalSystemURL, &src.ExternalSystemURL},
		{&m.WorkEmail, &src.WorkEmail}, {&m.PersonalEmail, &src.PersonalEmail}, {&m.OtherEmail, &src.OtherEmail},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	for _, f := range []struct{ dst, src **PhoneNumber }{
		{&m.WorkPhone, &src.WorkPhone}, {&m.CellPhone, &src.CellPhone}, {&m.HomePhone, &src.HomePhone}, {&m.OtherPhone, &src.OtherPhone},
	} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
	replaceIfSet(&m.Address, src.Address)
	replaceIfSet(&m.TwitterID, src.TwitterID)
	replaceIfSet(&m.LineID, src.LineID)
	replaceIfSet(&m.WhatsAppID, src.WhatsAppID)
	replaceIfSet(&m.FacebookID, src.FacebookID)
	replaceIfSet(&m.InstagramID, src.InstagramID)
	replaceIfSet(&m.SurveyOptOut, src.SurveyOptOut)
	if src.CustomFields != nil {
		if m.CustomFields == nil {
			m.CustomFields = map[string]any{}
		}
		maps.Copy(m.CustomFields, src.CustomFields)
	}
}

// replaceIfSet sets *dst to v unless v is nil.
func replaceIfSet[T any](dst **T, v *T) {
	if v != nil {
		*dst = v
	}
}

// CanonicalID returns the id of the head of id's merge tree (id itself when
// never merged).
func (o *Org) CanonicalID(id string) (string, error) {
	return readContact(o, id, false, (*contactRec).headID)
}

// MergeSet returns the ids of every member of id's merge tree, head
// included, in the order they joined. A contact never merged is its own
// one-member set (the API shows mergeSet null for it).
func (o *Org) MergeSet(id string) ([]string, error) {
	return readContact(o, id, false, func(rec *contactRec) []string {
		if s, ok := o.sets[rec.headID()]; ok {
			return slices.Clone(s)
		}
		return []string{id}
	})
}
