package org

import (
	"net/http"
	"strconv"
	"strings"
)

func (o *Org) contactRoutes(mux *http.ServeMux) {
	const base = "/api/v2/externalcontacts"
	o.handle(mux, "POST "+base+"/contacts", o.httpCreateContact)
	o.handle(mux, "GET "+base+"/contacts", o.httpSearchContacts)
	o.handle(mux, "GET "+base+"/contacts/{contactId}", o.httpGetContact(true))
	o.handle(mux, "GET "+base+"/contacts/{contactId}/unresolved", o.httpGetContact(false))
	o.handle(mux, "PUT "+base+"/contacts/{contactId}", o.httpUpdateContact)
	o.handle(mux, "PATCH "+base+"/contacts/{contactId}", o.httpPatchContact)
	o.handle(mux, "DELETE "+base+"/contacts/{contactId}", o.httpDeleteContact)
	o.handle(mux, "POST "+base+"/contacts/{contactId}/promotion", o.httpPromoteContact)
	o.handle(mux, "GET "+base+"/contacts/{contactId}/identifiers", o.httpListIdentifiers)
	o.handle(mux, "PATCH "+base+"/contacts/{contactId}/identifiers", o.httpClaimIdentifier)
	o.handle(mux, "POST "+base+"/identifierlookup", o.httpLookup)
	o.handle(mux, "POST "+base+"/identifierlookup/contacts", o.httpLookup)
	o.handle(mux, "POST "+base+"/externalsources", o.httpCreateSource)
	o.handle(mux, "GET "+base+"/externalsources", o.httpListSources)
	o.handle(mux, "GET "+base+"/externalsources/{sourceId}", o.httpGetSource)
}

func (o *Org) httpCreateContact(w http.ResponseWriter, r *http.Request) {
	var in Contact
	if err := decodeBody(w, r, &in); err != nil {
		writeErr(w, err)
		return
	}
	in.Type = "" // inferred: the API always creates Curated contacts
	c, err := o.CreateContact(in)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (o *Org) httpGetContact(resolve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := o.getContact(r.PathValue("contactId"), resolve, expands(r, "identifiers"))
		if err != nil {
			writeErr(w, err)
			return
		}
		writeJSON(w, http.StatusOK, c)
	}
}

func (o *Org) httpUpdateContact(w http.ResponseWriter, r *http.Request) {
	var in Contact
	if err := decodeBody(w, r, &in); err != nil {
		writeErr(w, err)
		return
	}
	c, err := o.UpdateContact(r.PathValue("contactId"), in)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (o *Org) httpPatchContact(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Changes []ContactChange `json:"changes"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	c, err := o.PatchContact(r.PathValue("contactId"), body.Changes)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (o *Org) httpDeleteContact(w http.ResponseWriter, r *http.Request) {
	if err := o.DeleteContact(r.PathValue("contactId")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func (o *Org) httpPromoteContact(w http.ResponseWriter, r *http.Request) {
	c, err := o.PromoteContact(r.PathValue("contactId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, badRequest("%s must be a positive integer.", name)
	}
	return n, nil
}

func (o *Org) httpSearchContacts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	size, page, err := paging(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	var exp []string
	for _, v := range q["expand"] {
		for _, e := range strings.Split(v, ",") {
			exp = append(exp, strings.TrimSpace(e))
		}
	}
	l, err := o.SearchContacts(SearchQuery{Q: q.Get("q"), PageSize: size, PageNumber: page, SortOrder: q.Get("sortOrder"), Expand: exp})
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (o *Org) httpListIdentifiers(w http.ResponseWriter, r *http.Request) {
	ids, err := o.ContactIdentifiers(r.PathValue("contactId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": ids})
}

func (o *Org) httpClaimIdentifier(w http.ResponseWriter, r *http.Request) {
	var body IdentifierClaim
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	id, err := o.ClaimIdentifier(r.PathValue("contactId"), body)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, id)
}

// httpLookup serves both the deprecated /identifierlookup and its
// replacement /identifierlookup/contacts; they take and return the same
// shapes.
func (o *Org) httpLookup(w http.ResponseWriter, r *http.Request) {
	var in ContactIdentifier
	if err := decodeBody(w, r, &in); err != nil {
		writeErr(w, err)
		return
	}
	c, err := o.lookupIdentifier(in, expands(r, "identifiers"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (o *Org) httpCreateSource(w http.ResponseWriter, r *http.Request) {
	var in ExternalSource
	if err := decodeBody(w, r, &in); err != nil {
		writeErr(w, err)
		return
	}
	in.ID = "" // ids are server-assigned over HTTP
	s, err := o.CreateExternalSource(in)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// httpListSources is GET /api/v2/externalcontacts/externalsources
// (ExternalContactsApi.GetExternalcontactsExternalsources: cursor, limit,
// name, active; Cursorexternalsourcelisting). name filters by prefix,
// case-insensitively (inferred from the API reference's "prefix filtering
// and not an exact match"); active=true keeps active sources only (the Go SDK
// always sends active, false included, so false filters nothing; inferred).
// One page holds every match: a cursor is refused, limit is 1..200.
func (o *Org) httpListSources(w http.ResponseWriter, r *http.Request) {
	if err := listQuery(r, []string{"name", "active", "limit"}, []string{"cursor"}); err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	limit := 200
	if v := q.Get("limit"); v != "" && v != "0" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			writeErr(w, badRequest("limit must be between 1 and 200."))
			return
		}
		limit = n
	}
	name := strings.ToLower(q.Get("name"))
	out := []ExternalSource{}
	for _, s := range o.ExternalSources() {
		if name != "" && !strings.HasPrefix(strings.ToLower(s.Name), name) {
			continue
		}
		if q.Get("active") == "true" && (s.Active == nil || !*s.Active) {
			continue
		}
		out = append(out, s)
	}
	if len(out) > limit {
		// The platform would page on with a cursor, which the emulator cannot.
		writeErr(w, badRequest("%d external sources match, more than limit %d; the emulated org has no cursor paging.", len(out), limit))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": out, "selfUri": "/api/v2/externalcontacts/externalsources"})
}

func (o *Org) httpGetSource(w http.ResponseWriter, r *http.Request) {
	s, err := o.ExternalSource(r.PathValue("sourceId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// paging reads the pageSize and pageNumber query parameters (0 when absent).
func paging(r *http.Request) (size, page int, err error) {
	if size, err = queryInt(r, "pageSize"); err != nil {
		return 0, 0, err
	}
	page, err = queryInt(r, "pageNumber")
	return size, page, err
}
