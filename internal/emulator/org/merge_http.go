package org

import "net/http"

func (o *Org) httpMergeLegacy(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[MergeRequest](w, r)
	if err != nil {
		return nil, err
	}
	return o.MergeLegacy(in.SourceContactID, in.TargetContactID)
}

func (o *Org) httpMergeContacts(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[MergeContactsRequest](w, r)
	if err != nil {
		return nil, err
	}
	return o.MergeContacts(in.ContactIDs, in.ValueOverride)
}
