package org

import (
	"net/http"
	"slices"
	"strconv"
)

// Messenger configurations and deployments as
// genesyscloud/webdeployments_configuration and _deployment (v1.82.0) make
// them: POST …/configurations creates the draft (version "DRAFT"), the
// provider waits for the draft's status to be Active (it dereferences
// status), publishes it (POST …/versions/draft/publish → version "1", "2",
// ...), and reads the latest version found in GET …/versions; the
// deployment names the configuration at a published version. Both list
// endpoints page by cursor (before/after), which the emulator does not: one
// page holds everything, and a cursor is refused.

// DraftVersion is the version name of a configuration's draft.
const DraftVersion = "DRAFT"

var fieldsConfigVersion = []string{"id", "name", "version", "headlessMode", "description", "languages", "defaultLanguage",
	"customI18nLabels", "messenger", "position", "supportCenter", "cobrowse", "journeyEvents", "authenticationSettings",
	"video", "dateCreated", "dateModified", "datePublished", "lastModifiedUser", "createdUser", "publishedUser", "status", "selfUri"}

var fieldsWebDeployment = []string{"id", "name", "description", "allowAllDomains", "allowedDomains", "supportedContent", "snippet",
	"dateCreated", "dateModified", "lastModifiedUser", "flow", "status", "pushIntegrations", "configuration", "selfUri"}

// configComputed are the configuration-version fields the org sets.
var configComputed = []string{"id", "name", "version", "description", "languages", "defaultLanguage", "dateCreated", "dateModified",
	"datePublished", "lastModifiedUser", "createdUser", "publishedUser", "status", "selfUri"}

func (o *Org) webDeploymentProviderRoutes(mux *http.ServeMux) {
	const base = "/api/v2/webdeployments"
	o.handle(mux, "POST "+base+"/configurations", o.httpCreateConfiguration)
	o.handle(mux, "GET "+base+"/configurations", o.httpListConfigurations)
	o.handle(mux, "PUT "+base+"/configurations/{configurationId}/versions/draft", o.httpPutDraft)
	o.handle(mux, "POST "+base+"/configurations/{configurationId}/versions/draft/publish", o.httpPublishDraft)
	o.handle(mux, "GET "+base+"/configurations/{configurationId}/versions", o.httpListConfigurationVersions)
	o.handle(mux, "POST "+base+"/deployments", createHandler(decodeDeployment, o.CreateWebDeployment, func(d WebDeployment) any { return o.renderWebDeployment(d) }))
	o.handle(mux, "GET "+base+"/deployments", o.httpListDeployments)
	o.handle(mux, "PUT "+base+"/deployments/{deploymentId}", o.httpPutDeployment)
}

type configInput struct {
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	Languages       []string `json:"languages"`
	DefaultLanguage string   `json:"defaultLanguage"`
}

func decodeConfig(w http.ResponseWriter, r *http.Request) (MessengerConfiguration, map[string]any, error) {
	m, err := decodeModel(w, r, "WebDeploymentConfigurationVersion", fieldsConfigVersion)
	if err != nil {
		return MessengerConfiguration{}, nil, err
	}
	var in configInput
	if err := into(m, &in); err != nil {
		return MessengerConfiguration{}, nil, err
	}
	if len(in.Languages) == 0 {
		return MessengerConfiguration{}, nil, badRequest("languages is required.")
	}
	if in.DefaultLanguage == "" {
		return MessengerConfiguration{}, nil, badRequest("defaultLanguage is required.")
	}
	for _, k := range configComputed {
		delete(m, k)
	}
	return MessengerConfiguration{Name: in.Name, Description: in.Description, Languages: in.Languages, DefaultLanguage: in.DefaultLanguage}, m, nil
}

// draft keys in the doc store: "<id>" holds the draft's settings and
// "<id>@<n>" the settings of published version n.
func versionKey(id, v string) string {
	if v == DraftVersion {
		return id
	}
	return id + "@" + v
}

func (o *Org) httpCreateConfiguration(w http.ResponseWriter, r *http.Request) {
	in, doc, err := decodeConfig(w, r)
	if err != nil {
		writeErr(w, err)
		return
	}
	c, err := o.CreateMessengerConfiguration(in)
	if err != nil {
		writeErr(w, err)
		return
	}
	// Created over the API, a configuration has a draft and no published
	// version until the draft is published.
	o.mu.Lock()
	o.objects.webConfigs[c.ID].Version = DraftVersion
	o.mu.Unlock()
	c.Version = DraftVersion
	o.prov.setDoc(versionKey(c.ID, DraftVersion), doc)
	writeJSON(w, http.StatusOK, o.renderConfigVersion(c, DraftVersion))
}

func (o *Org) httpPutDraft(w http.ResponseWriter, r *http.Request) {
	in, doc, err := decodeConfig(w, r)
	if err != nil {
		writeErr(w, err)
		return
	}
	id := r.PathValue("configurationId")
	name, err := requireName("name", in.Name)
	if err != nil {
		writeErr(w, err)
		return
	}
	if !slices.Contains(in.Languages, in.DefaultLanguage) {
		writeErr(w, badRequest("defaultLanguage %s must be one of languages.", in.DefaultLanguage))
		return
	}
	o.mu.Lock()
	c, ok := o.objects.webConfigs[id]
	var out MessengerConfiguration
	if ok {
		c.Name, c.Description, c.Languages, c.DefaultLanguage, c.DateModified = name, in.Description, slices.Clone(in.Languages), in.DefaultLanguage, o.stamp()
		out = c.clone()
	}
	o.mu.Unlock()
	if !ok {
		writeErr(w, notFound("WebDeploymentConfiguration", id))
		return
	}
	o.prov.setDoc(versionKey(id, DraftVersion), doc)
	writeJSON(w, http.StatusOK, o.renderConfigVersion(out, DraftVersion))
}

// publishedVersions is how many versions of a configuration were published.
func (o *Org) publishedVersions(id string) int {
	n, _ := o.prov.doc(id + "#published")["n"].(float64)
	return int(n)
}

func (o *Org) httpPublishDraft(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("configurationId")
	n := o.publishedVersions(id) + 1
	v := strconv.Itoa(n)
	o.mu.Lock()
	c, ok := o.objects.webConfigs[id]
	var out MessengerConfiguration
	if ok {
		c.Version, c.DateModified = v, o.stamp()
		out = c.clone()
	}
	o.mu.Unlock()
	if !ok {
		writeErr(w, notFound("WebDeploymentConfiguration", id))
		return
	}
	o.prov.setDoc(versionKey(id, v), o.prov.doc(versionKey(id, DraftVersion)))
	o.prov.setDoc(id+"#published", map[string]any{"n": float64(n)})
	writeJSON(w, http.StatusOK, o.renderConfigVersion(out, v))
}

// renderConfigVersion is WebDeploymentConfigurationVersion: the settings as
// sent for that version, and the org's fields (status Active: the emulator
// activates a draft at once; inferred, the platform may report Pending).
func (o *Org) renderConfigVersion(c MessengerConfiguration, v string) map[string]any {
	out := map[string]any{"messenger": map[string]any{"enabled": true}}
	for k, x := range o.prov.doc(versionKey(c.ID, v)) {
		out[k] = x
	}
	out["id"], out["name"], out["version"] = c.ID, c.Name, v
	if c.Description != "" {
		out["description"] = c.Description
	}
	out["languages"], out["defaultLanguage"], out["status"] = c.Languages, c.DefaultLanguage, StatusActive
	out["dateCreated"], out["dateModified"] = Time{c.DateCreated}, Time{c.DateModified}
	if v != DraftVersion {
		out["datePublished"] = Time{c.DateModified}
	}
	out["selfUri"] = configurationURI(c.ID, v)
	return out
}

// httpGetConfigurationVersionDoc serves GET …/versions/{versionId}: "draft"
// and "DRAFT" (the provider asks for both spellings) name the draft, a
// number a published version.
func (o *Org) httpGetConfigurationVersionDoc(w http.ResponseWriter, r *http.Request) {
	c, err := o.MessengerConfiguration(r.PathValue("configurationId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	v := r.PathValue("versionId")
	if v == "draft" {
		v = DraftVersion
	}
	n, convErr := strconv.Atoi(v)
	published := o.publishedVersions(c.ID)
	switch {
	case v == DraftVersion:
	case published == 0 && v == c.Version:
		// Made by the Go API (internal/emulator/deploy): one version, no draft history.
	case convErr != nil || n < 1 || n > published:
		writeErr(w, notFound("WebDeploymentConfigurationVersion", v))
		return
	}
	writeJSON(w, http.StatusOK, o.renderConfigVersion(c, v))
}

// cursorQuery refuses before/after (the emulator has one page) and any
// parameter the endpoint does not document.
func cursorQuery(r *http.Request, allowed ...string) error {
	return listQuery(r, append(allowed, "pageSize"), []string{"before", "after"})
}

type cursorListing[T any] struct {
	Entities []T    `json:"entities"`
	Total    int    `json:"total"`
	SelfURI  string `json:"selfUri"`
}

func (o *Org) httpListConfigurationVersions(w http.ResponseWriter, r *http.Request) {
	if err := cursorQuery(r); err != nil {
		writeErr(w, err)
		return
	}
	c, err := o.MessengerConfiguration(r.PathValue("configurationId"))
	if err != nil {
		writeErr(w, err)
		return
	}
	out := []map[string]any{o.renderConfigVersion(c, DraftVersion)}
	for n := o.publishedVersions(c.ID); n >= 1; n-- {
		out = append(out, o.renderConfigVersion(c, strconv.Itoa(n)))
	}
	writeJSON(w, http.StatusOK, cursorListing[map[string]any]{Entities: out, Total: len(out), SelfURI: "/api/v2/webdeployments/configurations/" + c.ID + "/versions"})
}

func (o *Org) httpListConfigurations(w http.ResponseWriter, r *http.Request) {
	if err := cursorQuery(r, "showOnlyPublished"); err != nil {
		writeErr(w, err)
		return
	}
	onlyPublished := r.URL.Query().Get("showOnlyPublished") == "true"
	o.mu.RLock()
	cs := sortedBySeq(o.objects.webConfigs, func(c *MessengerConfiguration) uint64 { return c.seq })
	var list []MessengerConfiguration
	for _, c := range cs {
		list = append(list, c.clone())
	}
	o.mu.RUnlock()
	out := []map[string]any{}
	for _, c := range list {
		if onlyPublished && c.Version == DraftVersion {
			continue
		}
		out = append(out, o.renderConfigVersion(c, c.Version))
	}
	writeJSON(w, http.StatusOK, cursorListing[map[string]any]{Entities: out, Total: len(out), SelfURI: "/api/v2/webdeployments/configurations"})
}

// deployments ---------------------------------------------------------------

func decodeDeployment(w http.ResponseWriter, r *http.Request) (WebDeployment, error) {
	m, err := decodeModel(w, r, "WebDeployment", fieldsWebDeployment)
	if err != nil {
		return WebDeployment{}, err
	}
	var in struct {
		Name            string   `json:"name"`
		Description     string   `json:"description"`
		AllowAllDomains bool     `json:"allowAllDomains"`
		AllowedDomains  []string `json:"allowedDomains"`
		Status          string   `json:"status"`
		Flow            *Ref     `json:"flow"`
		Configuration   *struct {
			ID      string `json:"id"`
			Version string `json:"version"`
		} `json:"configuration"`
	}
	if err := into(m, &in); err != nil {
		return WebDeployment{}, err
	}
	if in.Configuration == nil || in.Configuration.ID == "" {
		return WebDeployment{}, badRequest("configuration.id is required.")
	}
	if in.Configuration.Version == "" || in.Configuration.Version == DraftVersion {
		return WebDeployment{}, badRequest("configuration.version must name a published version.")
	}
	d := WebDeployment{Name: in.Name, Description: in.Description, AllowAllDomains: in.AllowAllDomains, AllowedDomains: in.AllowedDomains,
		Status: in.Status, ConfigurationID: in.Configuration.ID, ConfigurationVersion: in.Configuration.Version}
	if in.Flow != nil {
		d.FlowID = in.Flow.ID
	}
	if !d.AllowAllDomains && len(d.AllowedDomains) == 0 {
		return WebDeployment{}, badRequest("allowedDomains is required when allowAllDomains is false.")
	}
	return d, nil
}

// httpPutDeployment replaces a deployment's settings under the same rules as
// a create.
func (o *Org) httpPutDeployment(w http.ResponseWriter, r *http.Request) {
	in, err := decodeDeployment(w, r)
	if err != nil {
		writeErr(w, err)
		return
	}
	id := r.PathValue("deploymentId")
	name, err := requireName("name", in.Name)
	if err != nil {
		writeErr(w, err)
		return
	}
	if in.Status == "" {
		in.Status = StatusActive
	}
	if err := oneOf("status", in.Status, StatusActive, StatusInactive); err != nil {
		writeErr(w, err)
		return
	}
	o.mu.Lock()
	d, ok := o.objects.webDeps[id]
	f, fok := o.objects.flows[in.FlowID]
	c, cok := o.objects.webConfigs[in.ConfigurationID]
	switch {
	case !ok:
		err = notFound("WebDeployment", id)
	case !fok:
		err = badReference("flow.id", "Flow", in.FlowID)
	case f.Type != FlowTypeInboundShortMessage:
		err = badRequest("flow %s is a %s flow; a deployment needs an %s flow.", f.ID, f.Type, FlowTypeInboundShortMessage)
	case !cok:
		err = badReference("configuration.id", "WebDeploymentConfiguration", in.ConfigurationID)
	case in.ConfigurationVersion != c.Version:
		err = badRequest("configuration %s has no version %s.", c.ID, in.ConfigurationVersion)
	}
	var out WebDeployment
	if err == nil {
		d.Name, d.Description, d.AllowAllDomains, d.AllowedDomains = name, in.Description, in.AllowAllDomains, slices.Clone(in.AllowedDomains)
		d.Status, d.FlowID, d.ConfigurationID, d.ConfigurationVersion, d.DateModified = in.Status, in.FlowID, in.ConfigurationID, in.ConfigurationVersion, o.stamp()
		out = d.clone()
	}
	o.mu.Unlock()
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, o.renderWebDeployment(out))
}

func (o *Org) httpListDeployments(w http.ResponseWriter, r *http.Request) {
	if err := cursorQuery(r, "expand"); err != nil {
		writeErr(w, err)
		return
	}
	o.mu.RLock()
	ds := sortedBySeq(o.objects.webDeps, func(d *WebDeployment) uint64 { return d.seq })
	var list []WebDeployment
	for _, d := range ds {
		list = append(list, d.clone())
	}
	o.mu.RUnlock()
	out := []apiWebDeployment{}
	for _, d := range list {
		out = append(out, o.renderWebDeployment(d))
	}
	writeJSON(w, http.StatusOK, cursorListing[apiWebDeployment]{Entities: out, Total: len(out), SelfURI: "/api/v2/webdeployments/deployments"})
}

// WebDeployments lists every deployment in creation order.
func (o *Org) WebDeployments() []WebDeployment {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []WebDeployment
	for _, d := range sortedBySeq(o.objects.webDeps, func(d *WebDeployment) uint64 { return d.seq }) {
		out = append(out, d.clone())
	}
	return out
}
