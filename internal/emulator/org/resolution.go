package org

import (
	"slices"
	"strings"
)

// resolveOpenLocked runs Open Messaging identity resolution (see
// StartConversation) and returns what it decided, creating the Ephemeral
// contact when nothing or several things match.
func (o *Org) resolveOpenLocked(from OpenFrom, sourceID string) ResolutionResult {
	type step struct{ typ, key string }
	var steps []step
	add := func(typ, key string) {
		for _, s := range steps {
			if s.key == key {
				return
			}
		}
		steps = append(steps, step{typ, key})
	}
	// "Genesys Cloud uses the opaque ID ... stored as an external ID. If the
	// opaque ID is not available, Genesys Cloud uses the phone number or
	// email address, if supplied."
	opaque := from.IDType == "Opaque"
	if sourceID != "" && opaque {
		add(IdentifierExternalID, identKey(IdentifierExternalID, sourceID, from.ID))
	}
	switch from.IDType {
	case "Email":
		add(IdentifierEmail, identKey(IdentifierEmail, "", strings.ToLower(from.ID)))
	case "Phone":
		// Lenient here: the channel, not a human, supplies the number.
		if e164, err := o.e164Lookup(from.ID, false); err == nil {
			add(IdentifierPhone, identKey(IdentifierPhone, "", e164))
		}
	}
	if e := strings.TrimSpace(from.Email); e != "" {
		add(IdentifierEmail, identKey(IdentifierEmail, "", strings.ToLower(e)))
	}

	names := Contact{FirstName: clip(from.FirstName), LastName: clip(from.LastName)}
	for _, s := range steps {
		heads := o.headsLocked(s.key)
		if len(heads) > 1 {
			// inferred: a claim is a deliberate statement that the identifier is
			// this contact's (the identifiers API), an observed contact's field
			// is not; one claimant among several owners is the single match.
			// Without this, a channel id claimed on a known contact would stay
			// ambiguous with the Ephemeral contact the platform made for it.
			if c := o.claimantsLocked(s.key); len(c) == 1 {
				heads = c
			}
		}
		switch {
		case len(heads) == 1:
			return ResolutionResult{Outcome: "linked", MatchedBy: s.typ, ContactID: heads[0], Candidates: heads}
		case len(heads) > 1:
			rec := o.insertLocked(names, TypeEphemeral)
			rec.byResolution = true
			return ResolutionResult{Outcome: "ambiguous", MatchedBy: s.typ, ContactID: rec.c.ID, Candidates: heads}
		}
	}
	c := names
	if sourceID != "" && opaque && len(from.ID) <= 255 {
		c.ExternalIDs = []ExternalID{{ExternalSource: &ExternalSource{ID: sourceID}, Value: from.ID}}
	}
	rec := o.insertLocked(c, TypeEphemeral)
	rec.byResolution = true
	return ResolutionResult{Outcome: "created", ContactID: rec.c.ID}
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxNameLen {
		s = s[:maxNameLen]
	}
	return s
}

// claimantsLocked returns the distinct heads holding key through a claim.
func (o *Org) claimantsLocked(key string) []string {
	var heads []string
	for _, owner := range o.index[key] {
		r := o.contacts[owner]
		if e, ok := r.held[key]; ok && e.claimed && !slices.Contains(heads, r.headID()) {
			heads = append(heads, r.headID())
		}
	}
	return heads
}
