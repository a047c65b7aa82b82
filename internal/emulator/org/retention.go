package org

// Conversation retention. A long-running org (bpgen org serve) must not grow
// with every conversation it ever saw, so with WithConversationLimit the org
// keeps only the last N settled conversations and forgets older ones with
// the state that exists only because of them. A conversation is settled when
// it is disconnected, or when ReleaseConversation says nothing will act on it
// again (its flow handed it to a queue, which no agent of an emulated org
// ever answers). Conversations that are neither are never evicted.
//
// Evicting a conversation drops its record (participants, participant data,
// messages), its open-messaging routing entry, and the Ephemeral contact
// identity resolution created for it, when nothing else holds on to that
// contact (see evictableLocked). Subscribers get EventConversationEvicted, so
// they can drop their own per-conversation state (the flow runtime's
// session, the guest hub's routing).
//
// inferred: the platform expires Ephemeral contacts "60 days after their
// last interaction" (reference/api.md 1.2, Help Center FAQ on external
// contacts); an emulated org has no such clock, so the retention window
// stands in for it: an Ephemeral contact goes with the last retained
// conversation that used it. Merged contacts, Curated and Identified ones,
// and contacts not created by identity resolution are never removed.

// WithConversationLimit keeps at most n settled conversations (disconnected
// or released); when one more settles, the oldest settled one is evicted
// with its per-conversation state. Unless WithCallLogLimit says otherwise,
// the call log is then sized to match: CallsPerConversation entries per
// kept conversation. n <= 0 (the default) keeps every conversation, as
// tests and simulate need.
func WithConversationLimit(n int) Option { return func(o *Org) { o.convLimit = n } }

// CallsPerConversation sizes the call log under WithConversationLimit: a
// bpgen conversation makes a handful of Platform API calls (one lookup for
// an unknown customer; lookup, contact read and merge or association for a
// known one), so this many per kept conversation keeps every retained
// conversation's calls with room to spare.
const CallsPerConversation = 16

// ReleaseConversation marks a connected conversation as settled without
// disconnecting it: the customer can still write to it, but nothing in the
// org will act on it again (the flow runtime calls it when a flow hands the
// conversation to a queue, since an emulated org has no agents). With
// WithConversationLimit, a released conversation may then be evicted.
// Releasing twice, or releasing a disconnected conversation, is a no-op.
func (o *Org) ReleaseConversation(id string) error {
	o.mu.Lock()
	r, err := o.convLocked(id)
	if err == nil {
		o.settleLocked(r)
	}
	o.mu.Unlock()
	o.flushEvents()
	return err
}

// RetainedConversations counts the conversations the org holds (active and
// settled).
func (o *Org) RetainedConversations() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.convs)
}

// settleLocked records that r can be evicted, then evicts the oldest
// settled conversations past the limit.
func (o *Org) settleLocked(r *convRec) {
	if r.settled {
		return
	}
	r.settled = true
	if o.convLimit <= 0 {
		return
	}
	o.settled = append(o.settled, r.c.ID)
	for len(o.settled) > o.convLimit {
		id := o.settled[0]
		o.settled[0] = ""
		o.settled = o.settled[1:]
		o.evictLocked(id)
	}
}

func (o *Org) evictLocked(id string) {
	r, ok := o.convs[id]
	if !ok {
		return
	}
	delete(o.convs, id)
	o.convGone++
	if r.openBy != "" && o.openActive[r.openBy] == id {
		delete(o.openActive, r.openBy)
	}
	refs := o.contactRefsOf(r)
	o.refContactsLocked(refs, -1)
	for _, cid := range refs {
		if rec, ok := o.contacts[cid]; ok && o.evictableLocked(rec) {
			o.unindexLocked(rec)
			delete(o.contacts, cid)
		}
	}
	// convOrder keeps start order for Conversations; drop evicted ids once
	// they are half of it, so compaction is amortised O(1) per eviction.
	if o.convGone > len(o.convs) {
		live := o.convOrder[:0]
		for _, cid := range o.convOrder {
			if _, ok := o.convs[cid]; ok {
				live = append(live, cid)
			}
		}
		clear(o.convOrder[len(live):])
		o.convOrder = live
		o.convGone = 0
	}
	o.queueLocked(Event{Type: EventConversationEvicted, ConversationID: id, Channel: r.c.Channel, IntegrationID: r.c.IntegrationID})
}

// evictableLocked reports whether a contact exists only because identity
// resolution created it for conversations the org no longer holds: it was
// created that way, is still Ephemeral, was never merged (a merge makes it
// part of another contact's history), and no retained conversation refers
// to it.
func (o *Org) evictableLocked(rec *contactRec) bool {
	id := rec.c.ID
	return rec.byResolution && rec.c.Type == TypeEphemeral && rec.head == "" &&
		len(rec.mergedFrom) == 0 && o.sets[id] == nil && o.convRefs[id] == 0
}

// contactRefsOf lists the contacts a conversation refers to: the one
// resolution linked and the one the customer participant is associated
// with now.
func (o *Org) contactRefsOf(r *convRec) []string {
	a, b := r.c.Resolution.ContactID, r.c.Customer.ExternalContactID
	switch {
	case a == "" && b == "":
		return nil
	case a == "" || a == b:
		return []string{b}
	case b == "":
		return []string{a}
	}
	return []string{a, b}
}

func (o *Org) refContactsLocked(ids []string, delta int) {
	for _, id := range ids {
		if n := o.convRefs[id] + delta; n > 0 {
			o.convRefs[id] = n
		} else {
			delete(o.convRefs, id)
		}
	}
}
