package org

import (
	"net/http"
	"slices"
	"strings"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// httpListDivisions is GET /api/v2/authorization/divisions
// (AuthorizationApi.GetAuthorizationDivisions: pageSize, pageNumber, sortBy,
// expand, nextPage, previousPage, objectCount, id, name): the name filter is
// exact and case-insensitive (inferred; it is how the provider's data source
// looks divisions up), id is repeatable. Paged (default 25, at most 500),
// home first then by creation; cursors and object counts are refused.
func (o *Org) httpListDivisions(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"name", "id", "sortBy"}, []string{"expand", "nextPage", "previousPage", "objectCount"}); err != nil {
		return nil, err
	}
	if err := onlySortByName(r); err != nil {
		return nil, err
	}
	name, ids := r.URL.Query().Get("name"), values(r, "id")
	out := []Division{}
	for _, d := range o.Divisions() {
		if (name == "" || strings.EqualFold(d.Name, name)) && (len(ids) == 0 || slices.Contains(ids, d.ID)) {
			out = append(out, d)
		}
	}
	if r.URL.Query().Get("sortBy") == "name" {
		out = sortedByName(out, func(d Division) string { return d.Name }, func(d Division) string { return d.ID })
	}
	return page(r, out, 500, "/api/v2/authorization/divisions")
}

// listing is one page of the platform's paged listing envelope.
func listing[T any](page []T, pageSize, pageNumber, total int, self string) apimodel.EntityListing[T] {
	pages := 0
	if pageSize > 0 {
		pages = (total + pageSize - 1) / pageSize
	}
	return apimodel.EntityListing[T]{Entities: orEmpty(page), PageSize: pageSize, PageNumber: pageNumber, Total: total, PageCount: pages, SelfURI: self}
}
