package org

import "github.com/bpgen/bpgen/internal/platform/apimodel"

func (o *Org) renderQueue(q Queue) apimodel.Queue {
	o.mu.RLock()
	div := o.divisionRefLocked(q.DivisionID)
	o.mu.RUnlock()
	return apimodel.Queue{
		ID: q.ID, Name: q.Name, Description: q.Description, Division: div, MemberCount: len(q.MemberIDs),
		Stamps: stamps(q.DateCreated, q.DateModified, "/api/v2/routing/queues/"+q.ID),
	}
}
