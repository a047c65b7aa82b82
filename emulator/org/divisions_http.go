package org

import (
	"net/http"
	"strings"
)

func (o *Org) divisionRoutes(mux *http.ServeMux) {
	const base = "/api/v2/authorization/divisions"
	o.handle(mux, "GET "+base, o.httpListDivisions)
	o.handle(mux, "GET "+base+"/home", func(w http.ResponseWriter, r *http.Request) {
		d, err := o.Division(homeDivision.ID)
		if err != nil {
			writeErr(w, err)
			return
		}
		writeJSON(w, http.StatusOK, d)
	})
	o.handle(mux, "GET "+base+"/{divisionId}", getHandler("divisionId", o.Division, func(d Division) any { return d }))
	o.handle(mux, "DELETE "+base+"/{divisionId}", deleteHandler("divisionId", o.DeleteDivision))
}

// httpListDivisions is GET /api/v2/authorization/divisions[?name=]: the
// name filter is exact and case-insensitive (inferred; it is how the
// provider's data source looks divisions up).
func (o *Org) httpListDivisions(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	out := []Division{}
	for _, d := range o.Divisions() {
		if name == "" || strings.EqualFold(d.Name, name) {
			out = append(out, d)
		}
	}
	writeJSON(w, http.StatusOK, listing(out, len(out), 1, len(out), "/api/v2/authorization/divisions"))
}

// entityListing is the platform's paged listing envelope.
type entityListing[T any] struct {
	Entities   []T    `json:"entities"`
	PageSize   int    `json:"pageSize"`
	PageNumber int    `json:"pageNumber"`
	Total      int    `json:"total"`
	PageCount  int    `json:"pageCount"`
	SelfURI    string `json:"selfUri,omitempty"`
}

func listing[T any](page []T, pageSize, pageNumber, total int, self string) entityListing[T] {
	if page == nil {
		page = []T{}
	}
	pages := 0
	if pageSize > 0 {
		pages = (total + pageSize - 1) / pageSize
	}
	return entityListing[T]{Entities: page, PageSize: pageSize, PageNumber: pageNumber, Total: total, PageCount: pages, SelfURI: self}
}
