package org

import (
	"cmp"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// renderFlow is the Flow wire shape. Every emulated flow is published and
// checked in (nobody holds a lock); version ids follow Architect's "N.0".
func (o *Org) renderFlow(f Flow) apimodel.Flow {
	o.mu.RLock()
	div := o.divisionRefLocked(f.DivisionID)
	o.mu.RUnlock()
	v := fmt.Sprintf("%d.0", f.Version)
	ver := &apimodel.FlowVersion{ID: v, Name: v, CommitVersion: v, ConfigurationVersion: v, Type: "PUBLISH", DatePublished: tm(f.DatePublished)}
	return apimodel.Flow{
		ID: f.ID, Name: f.Name, Description: f.Description, Type: f.Type, Division: div,
		Active: true, PublishedVersion: ver, CheckedInVersion: ver, SelfURI: "/api/v2/flows/" + f.ID,
	}
}

// httpListFlows is GET /api/v2/flows (ArchitectApi.getFlows). Per the SDK
// docs: "Multiple IDs can be specified, in which case all matching flows will
// be returned, and no other parameters will be evaluated"; sortBy defaults
// to id and sortOrder to asc; pageSize defaults to 25 (at most 500),
// pageNumber to 1. Filters: type (repeatable or comma-separated, any case),
// name, description, nameOrDescription, divisionId. inferred: name matches
// case-insensitively as a substring, or as a glob when it contains "*" (the
// API documents wildcard support, not the exact rule). The filters the
// emulator cannot evaluate are refused.
func (o *Org) httpListFlows(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"type", "sortBy", "sortOrder", "id", "name", "description", "nameOrDescription", "divisionId", "deleted", "includeSchemas"},
		[]string{"publishVersionId", "editableBy", "lockedBy", "lockedByClientId", "secure", "virtualAgentEnabled", "publishedAfter", "publishedBefore"}); err != nil {
		return nil, err
	}
	q := r.URL.Query()
	for _, k := range []string{"deleted", "includeSchemas"} {
		if q.Get(k) == "true" {
			// Nothing is ever deleted-but-kept, and no flow has variable schemas here.
			return nil, badRequest("Query parameter %s=true is not supported by the emulated org.", quote(k))
		}
	}
	sortBy, sortOrder := cmp.Or(q.Get("sortBy"), "id"), cmp.Or(q.Get("sortOrder"), "asc")
	if err := cmp.Or(oneOf("sortBy", sortBy, "id", "name", "type"), oneOf("sortOrder", sortOrder, "asc", "desc")); err != nil {
		return nil, err
	}
	var types []string
	for _, t := range values(r, "type") {
		types = append(types, strings.ToUpper(t))
	}
	ids, divs := values(r, "id"), values(r, "divisionId")
	name, desc, either := strings.ToLower(q.Get("name")), strings.ToLower(q.Get("description")), strings.ToLower(q.Get("nameOrDescription"))
	var match []Flow
	for _, f := range o.Flows() {
		if len(ids) > 0 {
			if slices.Contains(ids, f.ID) {
				match = append(match, f)
			}
			continue
		}
		switch {
		case len(types) > 0 && !slices.Contains(types, f.Type),
			name != "" && !nameMatches(name, strings.ToLower(f.Name)),
			desc != "" && !nameMatches(desc, strings.ToLower(f.Description)),
			either != "" && !nameMatches(either, strings.ToLower(f.Name)) && !nameMatches(either, strings.ToLower(f.Description)),
			len(divs) > 0 && !slices.Contains(divs, f.DivisionID):
			continue
		}
		match = append(match, f)
	}
	key := func(f Flow) string {
		switch sortBy {
		case "name":
			return strings.ToLower(f.Name)
		case "type":
			return f.Type
		}
		return f.ID
	}
	slices.SortStableFunc(match, func(a, b Flow) int {
		if c := strings.Compare(key(a), key(b)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if sortOrder == "desc" {
		slices.Reverse(match)
	}
	out := make([]apimodel.Flow, 0, len(match))
	for _, f := range match {
		out = append(out, o.renderFlow(f))
	}
	return page(r, out, 500, "/api/v2/flows")
}

func nameMatches(pattern, name string) bool {
	if strings.Contains(pattern, "*") {
		ok, err := path.Match(pattern, name)
		return err == nil && ok
	}
	return strings.Contains(name, pattern)
}
