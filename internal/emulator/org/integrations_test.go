package org

import (
	"net/http"
	"testing"
)

// POST /api/v2/integrations as the provider's genesyscloud_integration
// sends it (only the type, sometimes a name) answers 200 with the installed
// integration and its current configuration, which the provider reads
// right away; the integration then reads back by id. A missing or unknown
// type, or a field CreateIntegrationRequest lacks, is 400.
func TestCreateIntegrationOverHTTP(t *testing.T) {
	e := newEnv(t)
	type config struct {
		ID          string         `json:"id"`
		Name        string         `json:"name"`
		Version     int            `json:"version"`
		Properties  map[string]any `json:"properties"`
		Advanced    map[string]any `json:"advanced"`
		Credentials map[string]Ref `json:"credentials"`
		SelfURI     string         `json:"selfUri"`
	}
	type integration struct {
		ID              string `json:"id"`
		Name            string `json:"name"`
		IntegrationType Ref    `json:"integrationType"`
		IntendedState   string `json:"intendedState"`
		ReportedState   struct {
			Code string `json:"code"`
		} `json:"reportedState"`
		Config *struct {
			Current *config `json:"current"`
		} `json:"config"`
		SelfURI string `json:"selfUri"`
	}

	var got integration
	e.call("POST", "/api/v2/integrations", map[string]any{"integrationType": map[string]any{"id": IntegrationTypeDataActions}}).
		must(t, http.StatusOK).decode(t, &got)
	if got.ID == "" || got.Name != "Genesys Cloud Data Actions" || got.IntegrationType.ID != IntegrationTypeDataActions ||
		got.IntegrationType.Name != "Genesys Cloud Data Actions" || got.IntendedState != IntegrationDisabled ||
		got.ReportedState.Code != "INACTIVE" || got.SelfURI != "/api/v2/integrations/"+got.ID {
		t.Errorf("created integration: %+v", got)
	}
	if got.Config == nil || got.Config.Current == nil {
		t.Fatalf("the create answer lacks config.current: %+v", got)
	}
	if c := got.Config.Current; c.ID != got.ID || c.Name != got.Name || c.Version != 1 || c.Properties == nil || c.Advanced == nil ||
		c.Credentials == nil || len(c.Credentials) != 0 || c.SelfURI != "/api/v2/integrations/"+got.ID+"/config/current" {
		t.Errorf("config.current: %+v", *c)
	}

	var read integration
	e.call("GET", "/api/v2/integrations/"+got.ID, nil).must(t, http.StatusOK).decode(t, &read)
	if read.ID != got.ID || read.Name != got.Name || read.Config != nil {
		t.Errorf("read back without expand: %+v", read)
	}
	if in, err := e.org.Integration(got.ID); err != nil || in.Name != got.Name || in.IntegrationType != IntegrationTypeDataActions {
		t.Errorf("Go view of the created integration: %+v, %v", in, err)
	}

	var named integration
	e.call("POST", "/api/v2/integrations", map[string]any{"name": "Lookups", "integrationType": map[string]any{"id": IntegrationTypeDataActions}}).
		must(t, http.StatusOK).decode(t, &named)
	if named.Name != "Lookups" || named.ID == got.ID || named.Config == nil || named.Config.Current == nil || named.Config.Current.Name != "Lookups" {
		t.Errorf("named integration: %+v", named)
	}

	for _, body := range []map[string]any{
		{},
		{"name": "x"},
		{"integrationType": map[string]any{"id": "salesforce"}},
		{"integrationType": map[string]any{"id": IntegrationTypeDataActions}, "intendedState": "ENABLED"},
	} {
		checkError(t, e.call("POST", "/api/v2/integrations", body), http.StatusBadRequest, "bad.request")
	}
	var list struct {
		Total int `json:"total"`
	}
	e.call("GET", "/api/v2/integrations", nil).must(t, http.StatusOK).decode(t, &list)
	if list.Total != 2 {
		t.Errorf("%d integrations after two creates and four refusals, want 2", list.Total)
	}
}
