package org

import "net/http"

func (o *Org) mergeRoutes(mux *http.ServeMux) {
	o.handle(mux, "POST /api/v2/externalcontacts/merge/contacts", o.httpMergeLegacy)
	o.handle(mux, "POST /api/v2/externalcontacts/contacts/merge", o.httpMergeContacts)
}

func (o *Org) httpMergeLegacy(w http.ResponseWriter, r *http.Request) {
	var body MergeRequest
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	c, err := o.MergeLegacy(body.SourceContactID, body.TargetContactID)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (o *Org) httpMergeContacts(w http.ResponseWriter, r *http.Request) {
	var body MergeContactsRequest
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	c, err := o.MergeContacts(body.ContactIDs, body.ValueOverride)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
