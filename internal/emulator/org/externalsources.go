package org

import "slices"

// DeleteExternalSource removes an external source. Contacts keep the
// ExternalIds scoped by it and the identifier index keeps finding them by
// (source id, value) (inferred: the platform does not cascade the delete
// into contacts); open-messaging integrations that resolve identities with
// it keep the id but stop using it (see StartConversation).
func (o *Org) DeleteExternalSource(id string) error {
	return deleteObject(o, o.sources, "ExternalSource", id, func(*ExternalSource) error {
		if i := slices.Index(o.sourceOrder, id); i >= 0 {
			o.sourceOrder = append(o.sourceOrder[:i:i], o.sourceOrder[i+1:]...)
		}
		return nil
	})
}
