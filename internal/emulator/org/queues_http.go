package org

type apiQueue struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Description       string `json:"description,omitempty"`
	Division          *Ref   `json:"division"`
	MemberCount       int    `json:"memberCount"`
	JoinedMemberCount int    `json:"joinedMemberCount"`
	DateCreated       Time   `json:"dateCreated"`
	DateModified      Time   `json:"dateModified"`
	SelfURI           string `json:"selfUri"`
}

func (o *Org) renderQueue(q Queue) apiQueue {
	o.mu.RLock()
	div := o.divisionRefLocked(q.DivisionID)
	o.mu.RUnlock()
	return apiQueue{
		ID: q.ID, Name: q.Name, Description: q.Description, Division: div,
		MemberCount: len(q.MemberIDs), DateCreated: Time{q.DateCreated}, DateModified: Time{q.DateModified},
		SelfURI: "/api/v2/routing/queues/" + q.ID,
	}
}
