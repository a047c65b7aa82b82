package org

// DeleteExternalSource removes an external source. Contacts keep the
// ExternalIds scoped by it and the identifier index keeps finding them by
// (source id, value) (inferred: the platform does not cascade the delete
// into contacts); open-messaging integrations that resolve identities with
// it keep the id but stop using it (see StartConversation).
func (o *Org) DeleteExternalSource(id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.sources[id]; !ok {
		return notFound("ExternalSource", id)
	}
	delete(o.sources, id)
	for i, sid := range o.sourceOrder {
		if sid == id {
			o.sourceOrder = append(o.sourceOrder[:i:i], o.sourceOrder[i+1:]...)
			break
		}
	}
	return nil
}
