package org

import (
	"net/http"
	"strconv"
	"strings"
)

func (o *Org) httpCreateContact(r *http.Request, in Contact) (any, error) {
	in.Type = "" // inferred: the API always creates Curated contacts
	return o.CreateContact(in)
}

func (o *Org) httpGetContact(resolve bool) endpoint {
	return func(_ http.ResponseWriter, r *http.Request) (any, error) {
		return o.getContact(r.PathValue("contactId"), resolve, expands(r, "identifiers"))
	}
}

func (o *Org) httpUpdateContact(r *http.Request, in Contact) (any, error) {
	return o.UpdateContact(r.PathValue("contactId"), in)
}

func (o *Org) httpPatchContact(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[struct {
		Changes []ContactChange `json:"changes"`
	}](w, r)
	if err != nil {
		return nil, err
	}
	return o.PatchContact(r.PathValue("contactId"), in.Changes)
}

func (o *Org) httpDeleteContact(_ http.ResponseWriter, r *http.Request) (any, error) {
	return struct{}{}, o.DeleteContact(r.PathValue("contactId"))
}

func (o *Org) httpPromoteContact(_ http.ResponseWriter, r *http.Request) (any, error) {
	return o.PromoteContact(r.PathValue("contactId"))
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

func (o *Org) httpSearchContacts(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	size, page, err := paging(r)
	if err != nil {
		return nil, err
	}
	var exp []string
	for _, v := range q["expand"] {
		for _, e := range strings.Split(v, ",") {
			exp = append(exp, strings.TrimSpace(e))
		}
	}
	return o.SearchContacts(SearchQuery{Q: q.Get("q"), PageSize: size, PageNumber: page, SortOrder: q.Get("sortOrder"), Expand: exp})
}

func (o *Org) httpListIdentifiers(_ http.ResponseWriter, r *http.Request) (any, error) {
	ids, err := o.ContactIdentifiers(r.PathValue("contactId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"entities": ids}, nil
}

func (o *Org) httpClaimIdentifier(r *http.Request, in IdentifierClaim) (any, error) {
	return o.ClaimIdentifier(r.PathValue("contactId"), in)
}

// httpLookup serves both the deprecated /identifierlookup and its
// replacement /identifierlookup/contacts; they take and return the same
// shapes.
func (o *Org) httpLookup(r *http.Request, in ContactIdentifier) (any, error) {
	return o.lookupIdentifier(in, expands(r, "identifiers"))
}

func (o *Org) httpCreateSource(r *http.Request, in ExternalSource) (any, error) {
	in.ID = "" // ids are server-assigned over HTTP
	return o.CreateExternalSource(in)
}

// httpListSources is GET /api/v2/externalcontacts/externalsources
// (ExternalContactsApi.GetExternalcontactsExternalsources: cursor, limit,
// name, active; Cursorexternalsourcelisting). name filters by prefix,
// case-insensitively (inferred from the API reference's "prefix filtering
// and not an exact match"); active=true keeps active sources only (the Go SDK
// always sends active, false included, so false filters nothing; inferred).
// One page holds every match: a cursor is refused, limit is 1..200.
func (o *Org) httpListSources(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"name", "active", "limit"}, []string{"cursor"}); err != nil {
		return nil, err
	}
	q := r.URL.Query()
	limit := 200
	if v := q.Get("limit"); v != "" && v != "0" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return nil, badRequest("limit must be between 1 and 200.")
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
		return nil, badRequest("%d external sources match, more than limit %d; the emulated org has no cursor paging.", len(out), limit)
	}
	return map[string]any{"entities": out, "selfUri": "/api/v2/externalcontacts/externalsources"}, nil
}

// paging reads the pageSize and pageNumber query parameters (0 when absent).
func paging(r *http.Request) (size, page int, err error) {
	if size, err = queryInt(r, "pageSize"); err != nil {
		return 0, 0, err
	}
	page, err = queryInt(r, "pageNumber")
	return size, page, err
}
