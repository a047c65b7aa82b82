package org

import (
	"cmp"
	"maps"
	"net/http"
	"slices"
	"strings"

	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// Integrations, their configuration and data actions as the provider's
// genesyscloud/integration and genesyscloud/integration_action (v1.82.0)
// create and read them: POST /api/v2/integrations with only the type, then
// GET and PUT …/config/current (name, notes, credentials, with the current
// version), then PATCH with the intended state; actions are posted whole
// and read back with expand=contract&includeConfig=true plus their request
// and success templates as plain text.

// integration config fields the Go model does not keep live in the doc
// store: "version", "properties", "advanced".
func (o *Org) integrationConfigDoc(id string) (version int, props, adv map[string]any) {
	d := o.prov.doc(id)
	version = 1
	if v, ok := d["version"].(float64); ok {
		version = int(v)
	}
	props, _ = d["properties"].(map[string]any)
	adv, _ = d["advanced"].(map[string]any)
	if props == nil {
		props = map[string]any{}
	}
	if adv == nil {
		adv = map[string]any{}
	}
	return version, props, adv
}

func (o *Org) httpCreateIntegration(w http.ResponseWriter, r *http.Request) (any, error) {
	m, err := decodeModel(w, r, "CreateIntegrationRequest", []string{"id", "name", "integrationType", "selfUri"})
	if err != nil {
		return nil, err
	}
	typ := refID(m, "integrationType")
	if typ == "" {
		return nil, badRequest("integrationType.id is required.")
	}
	display, ok := integrationTypeNames[typ]
	if !ok {
		// inferred: only the data-actions type is installable here; a real
		// org lists more under GET /api/v2/integrations/types.
		return nil, badRequest("integrationType %s is not available in the emulated org.", quote(typ))
	}
	// inferred: an integration created without a name takes its type's
	// display name, as the Admin UI shows a fresh install.
	name := str(m, "name")
	if name == "" {
		name = display
	}
	in, err := o.CreateIntegration(Integration{Name: name, IntegrationType: typ})
	if err != nil {
		return nil, err
	}
	o.prov.setDoc(in.ID, map[string]any{"version": 1})
	return o.integrationWithConfig(in.ID)
}

// integrationWithConfig is how a create and a patch answer: the integration
// with its current configuration (the provider reads config.current and
// name; nil-panics without them).
func (o *Org) integrationWithConfig(id string) (any, error) {
	in, err := o.Integration(id)
	if err != nil {
		return nil, err
	}
	return o.renderIntegration(in, true), nil
}

func (o *Org) httpPatchIntegration(w http.ResponseWriter, r *http.Request) (any, error) {
	m, err := decodeModel(w, r, "Integration", fieldsIntegration)
	if err != nil {
		return nil, err
	}
	id := r.PathValue("integrationId")
	if s := str(m, "intendedState"); s != "" {
		if _, err := o.SetIntegrationState(id, s); err != nil {
			return nil, err
		}
	}
	return o.integrationWithConfig(id)
}

func (o *Org) integrationConfig(id string) (apimodel.IntegrationConfiguration, error) {
	in, err := o.Integration(id)
	if err != nil {
		return apimodel.IntegrationConfiguration{}, err
	}
	v, props, adv := o.integrationConfigDoc(id)
	creds := map[string]Ref{}
	for slot, cid := range in.Credentials {
		ref := Ref{ID: cid, SelfURI: "/api/v2/integrations/credentials/" + cid}
		if c, err := o.IntegrationCredential(cid); err == nil {
			ref.Name = c.Name
		}
		creds[slot] = ref
	}
	return apimodel.IntegrationConfiguration{ID: id, Name: in.Name, Version: v, Properties: props, Advanced: adv, Notes: in.Notes,
		Credentials: creds, SelfURI: "/api/v2/integrations/" + id + "/config/current"}, nil
}

// integrationConfigRequest is an IntegrationConfiguration body.
type integrationConfigRequest struct {
	Name        string         `json:"name"`
	Version     *int           `json:"version"`
	Properties  map[string]any `json:"properties"`
	Advanced    map[string]any `json:"advanced"`
	Notes       string         `json:"notes"`
	Credentials map[string]Ref `json:"credentials"`
}

// httpPutIntegrationConfig replaces the configuration. version must be the
// current one (the provider re-reads it and retries on a mismatch:
// util.IsVersionMismatch accepts 409); the stored version then increments.
func (o *Org) httpPutIntegrationConfig(w http.ResponseWriter, r *http.Request) (any, error) {
	in, _, err := modelBody[integrationConfigRequest](w, r, "IntegrationConfiguration", fieldsIntConfig)
	if err != nil {
		return nil, err
	}
	id := r.PathValue("integrationId")
	cur, err := o.integrationConfig(id)
	if err != nil {
		return nil, err
	}
	if in.Version == nil {
		return nil, badRequest("version is required.")
	}
	if *in.Version != cur.Version {
		return nil, conflict("Integration", id, "The configuration version %d does not match the current version %d.", *in.Version, cur.Version)
	}
	name, err := requireName("name", in.Name)
	if err != nil {
		return nil, err
	}
	creds := map[string]string{}
	for slot, ref := range in.Credentials {
		creds[slot] = ref.ID
	}
	if err := o.SetIntegrationConfig(id, name, in.Notes, creds); err != nil {
		return nil, err
	}
	doc := map[string]any{"version": float64(cur.Version + 1), "properties": orMap(in.Properties), "advanced": orMap(in.Advanced)}
	o.prov.setDoc(id, doc)
	return o.integrationConfig(id)
}

// SetIntegrationConfig replaces an integration's name, notes and
// credentials (each must exist: 400).
func (o *Org) SetIntegrationConfig(id, name, notes string, creds map[string]string) error {
	_, err := updateObject(o, o.objects.dataInts, "Integration", id, func(in *Integration) error {
		for slot, cid := range creds {
			if _, ok := o.objects.credentials[cid]; !ok {
				return badReference("credentials."+slot, "Credential", cid)
			}
		}
		in.Name, in.Notes, in.Credentials, in.DateModified = name, notes, maps.Clone(creds), o.stamp()
		return nil
	}, (*Integration).clone)
	return err
}

// httpListIntegrations is GET /api/v2/integrations (IntegrationEntityListing;
// IntegrationsApi.GetIntegrations: pageSize, pageNumber, sortBy, expand,
// nextPage, previousPage). Cursor paging is refused: the emulator pages by
// number only.
func (o *Org) httpListIntegrations(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"sortBy", "expand"}, []string{"nextPage", "previousPage"}); err != nil {
		return nil, err
	}
	if err := onlySortByName(r); err != nil {
		return nil, err
	}
	var out []apimodel.Integration
	for _, in := range sortedByName(listObjects(o, o.objects.dataInts, (*Integration).clone), func(i Integration) string { return i.Name }, func(i Integration) string { return i.ID }) {
		out = append(out, o.renderIntegration(in, expands(r, "config.current")))
	}
	return page(r, out, 100, "/api/v2/integrations")
}

// data actions --------------------------------------------------------------

func renderActionWithConfig(a DataAction) apimodel.Action { return renderAction(a, true) }

func renderAction(a DataAction, withConfig bool) apimodel.Action {
	out := apimodel.Action{
		ID:             a.ID,
		ActionSettings: apimodel.ActionSettings{Name: a.Name, Category: a.Category, IntegrationID: a.IntegrationID, Secure: a.Secure},
		Version:        a.Version, Contract: &a.Contract,
		SelfURI: "/api/v2/integrations/actions/" + a.ID,
	}
	if withConfig {
		out.Config = &a.Config
	}
	return out
}

// httpActionTemplate serves requesttemplate.vm and successtemplate.vm as
// text/plain (IntegrationsApi.GetIntegrationsActionTemplate; the provider
// reads both on every refresh).
func (o *Org) httpActionTemplate(_ http.ResponseWriter, r *http.Request) (any, error) {
	a, err := o.DataAction(r.PathValue("actionId"))
	if err != nil {
		return nil, err
	}
	var body string
	switch r.PathValue("fileName") {
	case "requesttemplate.vm":
		body = a.Config.Request.RequestTemplate
	case "successtemplate.vm":
		body = a.Config.Response.SuccessTemplate
	default:
		return nil, notFound("Template", r.PathValue("fileName"))
	}
	return rawReply(http.StatusOK, "text/plain", []byte(body)), nil
}

// httpListActions is GET /api/v2/integrations/actions (ActionEntityListing;
// IntegrationsApi.GetIntegrationsActions: category, name, secure,
// includeAuthActions, integrationId, ids, sortBy, sortOrder). name and
// category match exactly, case-insensitively (inferred).
func (o *Org) httpListActions(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"category", "name", "secure", "integrationId", "ids", "sortBy", "sortOrder", "includeAuthActions"},
		[]string{"nextPage", "previousPage"}); err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := cmp.Or(onlySortByName(r), optionalOneOf(r, "sortOrder", "ASC", "DESC")); err != nil {
		return nil, err
	}
	ids := values(r, "ids")
	var match []DataAction
	for _, a := range o.DataActions() {
		switch {
		case q.Get("name") != "" && !strings.EqualFold(a.Name, q.Get("name")),
			q.Get("category") != "" && !strings.EqualFold(a.Category, q.Get("category")),
			q.Get("integrationId") != "" && a.IntegrationID != q.Get("integrationId"),
			q.Get("secure") != "" && (q.Get("secure") == "true") != a.Secure,
			len(ids) > 0 && !slices.Contains(ids, a.ID):
			continue
		}
		match = append(match, a)
	}
	match = sortedByName(match, func(a DataAction) string { return a.Name }, func(a DataAction) string { return a.ID })
	if q.Get("sortOrder") == "DESC" {
		slices.Reverse(match)
	}
	out := make([]apimodel.Action, 0, len(match))
	for _, a := range match {
		out = append(out, renderAction(a, false))
	}
	return page(r, out, 100, "/api/v2/integrations/actions")
}

// httpPatchAction is PATCH /api/v2/integrations/actions/{id}
// (UpdateActionInput: category, name, config, version), as the provider's
// updateIntegrationAction sends it with the version it last read: another
// version is 409 (util.IsVersionMismatch retries on it), and the stored
// version increments. The contract cannot change in place (the provider
// recreates the action for that).
func (o *Org) httpPatchAction(w http.ResponseWriter, r *http.Request) (any, error) {
	in, _, err := modelBody[struct {
		Name     string        `json:"name"`
		Category string        `json:"category"`
		Version  *int          `json:"version"`
		Config   *fmtda.Config `json:"config"`
	}](w, r, "UpdateActionInput", []string{"category", "name", "config", "version"})
	if err != nil {
		return nil, err
	}
	if in.Version == nil {
		return nil, badRequest("version is required.")
	}
	id := r.PathValue("actionId")
	out, err := updateObject(o, o.objects.actions, "Action", id, func(a *DataAction) error {
		if *in.Version != a.Version {
			return conflict("Action", id, "The action version %d does not match the current version %d.", *in.Version, a.Version)
		}
		if in.Name != "" {
			a.Name = in.Name
		}
		if in.Category != "" {
			a.Category = in.Category
		}
		if in.Config != nil {
			a.Config = *in.Config
		}
		a.Version++
		return nil
	}, (*DataAction).clone)
	if err != nil {
		return nil, err
	}
	return renderAction(out, true), nil
}
