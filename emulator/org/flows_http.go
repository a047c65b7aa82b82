package org

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
)

func (o *Org) flowRoutes(mux *http.ServeMux) {
	o.handle(mux, "GET /api/v2/flows", o.httpListFlows)
	o.handle(mux, "GET /api/v2/flows/{flowId}", getHandler("flowId", o.Flow, func(f Flow) any { return o.renderFlow(f) }))
	o.handle(mux, "DELETE /api/v2/flows/{flowId}", deleteHandler("flowId", o.DeleteFlow))
}

type apiFlowVersion struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	CommitVersion        string `json:"commitVersion"`
	ConfigurationVersion string `json:"configurationVersion"`
	Type                 string `json:"type"`
	Secure               bool   `json:"secure"`
	Debug                bool   `json:"debug"`
	DatePublished        Time   `json:"datePublished"`
}

type apiFlow struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	Description      string          `json:"description,omitempty"`
	Type             string          `json:"type"`
	Division         *Ref            `json:"division"`
	Active           bool            `json:"active"`
	System           bool            `json:"system"`
	Deleted          bool            `json:"deleted"`
	PublishedVersion *apiFlowVersion `json:"publishedVersion"`
	CheckedInVersion *apiFlowVersion `json:"checkedInVersion"`
	SelfURI          string          `json:"selfUri"`
}

// renderFlow is the Flow wire shape. Every emulated flow is published and
// checked in (nobody holds a lock); version ids follow Architect's "N.0".
func (o *Org) renderFlow(f Flow) apiFlow {
	o.mu.RLock()
	div := o.divisionRefLocked(f.DivisionID)
	o.mu.RUnlock()
	v := fmt.Sprintf("%d.0", f.Version)
	ver := &apiFlowVersion{ID: v, Name: v, CommitVersion: v, ConfigurationVersion: v, Type: "PUBLISH", DatePublished: Time{f.DatePublished}}
	return apiFlow{
		ID: f.ID, Name: f.Name, Description: f.Description, Type: f.Type, Division: div,
		Active: true, PublishedVersion: ver, CheckedInVersion: ver, SelfURI: "/api/v2/flows/" + f.ID,
	}
}

// httpListFlows is GET /api/v2/flows. Filters: type (repeatable or
// comma-separated, any case) and name. inferred: name matches
// case-insensitively as a substring, or as a glob when it contains "*" (the
// API documents wildcard support, not the exact rule). Sorted by name;
// pageSize (default 25, at most 500) and pageNumber (from 1) page it.
func (o *Org) httpListFlows(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var types []string
	for _, v := range q["type"] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				types = append(types, strings.ToUpper(t))
			}
		}
	}
	size, page, err := paging(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	if size <= 0 {
		size = 25
	}
	if size > 500 {
		writeErr(w, badRequest("pageSize must be at most 500."))
		return
	}
	if page <= 0 {
		page = 1
	}
	name := strings.ToLower(q.Get("name"))
	var match []Flow
	for _, f := range o.Flows() {
		if len(types) > 0 && !slices.Contains(types, f.Type) {
			continue
		}
		if name != "" && !nameMatches(name, strings.ToLower(f.Name)) {
			continue
		}
		match = append(match, f)
	}
	start := min((page-1)*size, len(match))
	end := min(start+size, len(match))
	out := make([]apiFlow, 0, end-start)
	for _, f := range match[start:end] {
		out = append(out, o.renderFlow(f))
	}
	writeJSON(w, http.StatusOK, listing(out, size, page, len(match), "/api/v2/flows"))
}

func nameMatches(pattern, name string) bool {
	if strings.Contains(pattern, "*") {
		ok, err := path.Match(pattern, name)
		return err == nil && ok
	}
	return strings.Contains(name, pattern)
}
