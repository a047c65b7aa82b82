package org

import (
	"net/http"
	"strings"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

func webResolutionURI(id string) string {
	return "/api/v2/webdeployments/deployments/" + id + "/identityresolution"
}

func configurationURI(id, version string) string {
	return "/api/v2/webdeployments/configurations/" + id + "/versions/" + version
}

// renderWebDeployment names the flow and configuration when they still
// exist; a dangling reference keeps its id, as the platform does.
func (o *Org) renderWebDeployment(d WebDeployment) apimodel.WebDeployment {
	o.mu.RLock()
	defer o.mu.RUnlock()
	flow := &Ref{ID: d.FlowID, SelfURI: "/api/v2/flows/" + d.FlowID}
	if f, ok := o.objects.flows[d.FlowID]; ok {
		flow.Name = f.Name
	}
	cfg := &apimodel.ConfigurationRef{ID: d.ConfigurationID, Version: d.ConfigurationVersion, SelfURI: configurationURI(d.ConfigurationID, d.ConfigurationVersion)}
	if c, ok := o.objects.webConfigs[d.ConfigurationID]; ok {
		cfg.Name = c.Name
	}
	return apimodel.WebDeployment{
		ID: d.ID,
		WebDeploymentSettings: apimodel.WebDeploymentSettings{
			Name: d.Name, Description: d.Description,
			AllowAllDomains: d.AllowAllDomains, AllowedDomains: orEmpty(d.AllowedDomains), Status: d.Status, Flow: flow,
		},
		Configuration: cfg,
		Stamps:        stamps(d.DateCreated, d.DateModified, "/api/v2/webdeployments/deployments/"+d.ID),
	}
}

type apiMessengerConfiguration struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Description     string   `json:"description,omitempty"`
	Version         string   `json:"version"`
	Languages       []string `json:"languages"`
	DefaultLanguage string   `json:"defaultLanguage"`
	Status          string   `json:"status"`
	Messenger       struct {
		Enabled bool `json:"enabled"`
	} `json:"messenger"`
	DateCreated  Time   `json:"dateCreated"`
	DateModified Time   `json:"dateModified"`
	SelfURI      string `json:"selfUri"`
}

// publicConfig is the public config.json of a deployment (the subset
// of api.md 4.1 a transport client reads). inferred: an unknown deployment
// is a plain 404, and apiEndpoint/messagingEndpoint point back at the host
// the request came to, so a client configured with that one URL works.
func (o *Org) publicConfig(r *http.Request, d WebDeployment) map[string]any {
	c, _ := o.MessengerConfiguration(d.ConfigurationID)
	base := requestBase(r)
	ws := "ws" + strings.TrimPrefix(base, "http")
	return map[string]any{
		"id": d.ID, "version": d.ConfigurationVersion,
		"languages": c.Languages, "defaultLanguage": c.DefaultLanguage,
		"apiEndpoint": base,
		"messenger": map[string]any{
			"enabled": true,
			"apps": map[string]any{"conversations": map[string]any{
				"enabled": true, "messagingEndpoint": ws, "autoStart": map[string]any{"enabled": false},
			}},
		},
		"journeyEvents": map[string]any{"enabled": false},
		"status":        d.Status,
	}
}

func (o *Org) renderResolution(id string, cfg IdentityResolution, self func(string) string) apimodel.IdentityResolutionConfig {
	o.mu.RLock()
	defer o.mu.RUnlock()
	// Neither SDK model (DeploymentIdentityResolutionConfig,
	// OpenMessagingIdentityResolutionConfig) has an id.
	out := apimodel.IdentityResolutionConfig{ResolveIdentities: cfg.ResolveIdentities, Automerge: cfg.Automerge, SelfURI: self(id)}
	if cfg.DivisionID != "" {
		out.Division = o.divisionRefLocked(cfg.DivisionID)
	}
	if cfg.ExternalSourceID != "" {
		out.ExternalSource = o.sourceRefLocked(cfg.ExternalSourceID)
	}
	return out
}

func (o *Org) httpGetResolution(get func(string) (IdentityResolution, error), self func(string) string) endpoint {
	return func(_ http.ResponseWriter, r *http.Request) (any, error) {
		id := pathID(r)
		cfg, err := get(id)
		if err != nil {
			return nil, err
		}
		return o.renderResolution(id, cfg, self), nil
	}
}

// httpPutResolution replaces a setting. Omitted fields reset (PUT
// semantics): no externalSource means none.
func (o *Org) httpPutResolution(set func(string, IdentityResolution) (IdentityResolution, error), self func(string) string) endpoint {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		in, err := body[struct {
			ResolveIdentities *bool      `json:"resolveIdentities"`
			ExternalSource    *Ref       `json:"externalSource"`
			Division          *Ref       `json:"division"`
			Automerge         *Automerge `json:"automerge"`
		}](w, r)
		if err != nil {
			return nil, err
		}
		if in.ResolveIdentities == nil {
			return nil, badRequest("resolveIdentities is required.")
		}
		cfg := IdentityResolution{ResolveIdentities: *in.ResolveIdentities, Automerge: in.Automerge}
		if in.ExternalSource != nil {
			cfg.ExternalSourceID = in.ExternalSource.ID
		}
		if in.Division != nil {
			cfg.DivisionID = in.Division.ID
		}
		id := pathID(r)
		out, err := set(id, cfg)
		if err != nil {
			return nil, err
		}
		return o.renderResolution(id, out, self), nil
	}
}

// pathID returns the id path value of the resolution routes.
func pathID(r *http.Request) string {
	if id := r.PathValue("deploymentId"); id != "" {
		return id
	}
	return r.PathValue("integrationId")
}
