package org

import "net/http"

func (o *Org) httpMergeLegacy(r *http.Request, in MergeRequest) (any, error) {
	return o.MergeLegacy(in.SourceContactID, in.TargetContactID)
}

func (o *Org) httpMergeContacts(r *http.Request, in MergeContactsRequest) (any, error) {
	return o.MergeContacts(in.ContactIDs, in.ValueOverride)
}
