package org

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
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

type configInput struct {
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	Languages       []string `json:"languages"`
	DefaultLanguage string   `json:"defaultLanguage"`
}

func decodeConfig(w http.ResponseWriter, r *http.Request) (MessengerConfiguration, map[string]any, error) {
	in, m, err := modelBody[configInput](w, r, "WebDeploymentConfigurationVersion", fieldsConfigVersion)
	if err != nil {
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

// A configuration's draft settings are kept under its id (versionKey).
func configID(c MessengerConfiguration) string { return c.ID }

func (o *Org) renderDraft(c MessengerConfiguration) map[string]any {
	return o.renderConfigVersion(c, DraftVersion)
}

// createConfiguration: created over the API, a configuration has a draft
// and no published version until the draft is published.
func (o *Org) createConfiguration(_ *http.Request, in MessengerConfiguration) (MessengerConfiguration, error) {
	c, err := o.CreateMessengerConfiguration(in)
	if err != nil {
		return c, err
	}
	o.mu.Lock()
	o.objects.webConfigs[c.ID].Version = DraftVersion
	o.mu.Unlock()
	c.Version = DraftVersion
	return c, nil
}

func (o *Org) putDraft(r *http.Request, in MessengerConfiguration) (MessengerConfiguration, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return in, err
	}
	if !slices.Contains(in.Languages, in.DefaultLanguage) {
		return in, badRequest("defaultLanguage %s must be one of languages.", in.DefaultLanguage)
	}
	return updateObject(o, o.objects.webConfigs, "WebDeploymentConfiguration", r.PathValue("configurationId"), func(c *MessengerConfiguration) error {
		c.Name, c.Description, c.Languages, c.DefaultLanguage, c.DateModified = name, in.Description, slices.Clone(in.Languages), in.DefaultLanguage, o.stamp()
		return nil
	}, (*MessengerConfiguration).clone)
}

// publishedVersions is how many versions of a configuration were published.
func (o *Org) publishedVersions(id string) int {
	n, _ := o.prov.doc(id + "#published")["n"].(float64)
	return int(n)
}

func (o *Org) httpPublishDraft(_ http.ResponseWriter, r *http.Request) (any, error) {
	id := r.PathValue("configurationId")
	n := o.publishedVersions(id) + 1
	v := strconv.Itoa(n)
	out, err := updateObject(o, o.objects.webConfigs, "WebDeploymentConfiguration", id, func(c *MessengerConfiguration) error {
		c.Version, c.DateModified = v, o.stamp()
		return nil
	}, (*MessengerConfiguration).clone)
	if err != nil {
		return nil, err
	}
	o.prov.setDoc(versionKey(id, v), o.prov.doc(versionKey(id, DraftVersion)))
	o.prov.setDoc(id+"#published", map[string]any{"n": float64(n)})
	return o.renderConfigVersion(out, v), nil
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
	out["dateCreated"], out["dateModified"] = tm(c.DateCreated), tm(c.DateModified)
	if v != DraftVersion {
		out["datePublished"] = tm(c.DateModified)
	}
	out["selfUri"] = configurationURI(c.ID, v)
	return out
}

// httpGetConfigurationVersionDoc serves GET …/versions/{versionId}: "draft"
// and "DRAFT" (the provider asks for both spellings) name the draft, a
// number a published version.
func (o *Org) httpGetConfigurationVersionDoc(_ http.ResponseWriter, r *http.Request) (any, error) {
	c, err := o.MessengerConfiguration(r.PathValue("configurationId"))
	if err != nil {
		return nil, err
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
		return nil, notFound("WebDeploymentConfigurationVersion", v)
	}
	return o.renderConfigVersion(c, v), nil
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

// onePage is the cursor listing holding every entity.
func onePage[T any](entities []T, self string) cursorListing[T] {
	return cursorListing[T]{Entities: entities, Total: len(entities), SelfURI: self}
}

func (o *Org) httpListConfigurationVersions(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := cursorQuery(r); err != nil {
		return nil, err
	}
	c, err := o.MessengerConfiguration(r.PathValue("configurationId"))
	if err != nil {
		return nil, err
	}
	out := []map[string]any{o.renderConfigVersion(c, DraftVersion)}
	for n := o.publishedVersions(c.ID); n >= 1; n-- {
		out = append(out, o.renderConfigVersion(c, strconv.Itoa(n)))
	}
	return onePage(out, "/api/v2/webdeployments/configurations/"+c.ID+"/versions"), nil
}

func (o *Org) httpListConfigurations(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := cursorQuery(r, "showOnlyPublished"); err != nil {
		return nil, err
	}
	onlyPublished := r.URL.Query().Get("showOnlyPublished") == "true"
	out := []map[string]any{}
	for _, c := range listObjects(o, o.objects.webConfigs, (*MessengerConfiguration).clone) {
		if onlyPublished && c.Version == DraftVersion {
			continue
		}
		out = append(out, o.renderConfigVersion(c, c.Version))
	}
	return onePage(out, "/api/v2/webdeployments/configurations"), nil
}

// deployments ---------------------------------------------------------------

// deploymentRequest is what the emulator reads of a WebDeployment body.
type deploymentRequest struct {
	apimodel.WebDeploymentSettings
	Configuration *struct {
		ID      string `json:"id"`
		Version string `json:"version"`
	} `json:"configuration"`
}

func decodeDeployment(w http.ResponseWriter, r *http.Request) (WebDeployment, error) {
	in, _, err := modelBody[deploymentRequest](w, r, "WebDeployment", fieldsWebDeployment)
	if err != nil {
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
func (o *Org) httpPutDeployment(r *http.Request, in WebDeployment) (any, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return nil, err
	}
	in.Status = cmp.Or(in.Status, StatusActive)
	if err := oneOf("status", in.Status, StatusActive, StatusInactive); err != nil {
		return nil, err
	}
	out, err := updateObject(o, o.objects.webDeps, "WebDeployment", r.PathValue("deploymentId"), func(d *WebDeployment) error {
		f, fok := o.objects.flows[in.FlowID]
		c, cok := o.objects.webConfigs[in.ConfigurationID]
		switch {
		case !fok:
			return badReference("flow.id", "Flow", in.FlowID)
		case f.Type != FlowTypeInboundShortMessage:
			return badRequest("flow %s is a %s flow; a deployment needs an %s flow.", f.ID, f.Type, FlowTypeInboundShortMessage)
		case !cok:
			return badReference("configuration.id", "WebDeploymentConfiguration", in.ConfigurationID)
		case in.ConfigurationVersion != c.Version:
			return badRequest("configuration %s has no version %s.", c.ID, in.ConfigurationVersion)
		}
		d.Name, d.Description, d.AllowAllDomains, d.AllowedDomains = name, in.Description, in.AllowAllDomains, slices.Clone(in.AllowedDomains)
		d.Status, d.FlowID, d.ConfigurationID, d.ConfigurationVersion, d.DateModified = in.Status, in.FlowID, in.ConfigurationID, in.ConfigurationVersion, o.stamp()
		return nil
	}, (*WebDeployment).clone)
	if err != nil {
		return nil, err
	}
	return o.renderWebDeployment(out), nil
}

func (o *Org) httpListDeployments(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := cursorQuery(r, "expand"); err != nil {
		return nil, err
	}
	out := []apimodel.WebDeployment{}
	for _, d := range o.WebDeployments() {
		out = append(out, o.renderWebDeployment(d))
	}
	return onePage(out, "/api/v2/webdeployments/deployments"), nil
}

// WebDeployments lists every deployment in creation order.
func (o *Org) WebDeployments() []WebDeployment {
	return listObjects(o, o.objects.webDeps, (*WebDeployment).clone)
}
