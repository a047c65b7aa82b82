package org

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

var integrationTypeNames = map[string]string{IntegrationTypeDataActions: "Genesys Cloud Data Actions"}

// integrationAsRequested renders GET /api/v2/integrations/{id}. The configuration
// (with its credential references) is only included with
// expand=config.current, as on the platform.
func (o *Org) integrationAsRequested(r *http.Request, in Integration) apimodel.Integration {
	return o.renderIntegration(in, expands(r, "config.current"))
}

func (o *Org) renderIntegration(in Integration, withConfig bool) apimodel.Integration {
	out := apimodel.Integration{
		ID: in.ID, Name: in.Name, Notes: in.Notes, IntendedState: in.IntendedState,
		IntegrationType: &Ref{ID: in.IntegrationType, Name: integrationTypeNames[in.IntegrationType], SelfURI: "/api/v2/integrations/types/" + in.IntegrationType},
		ReportedState:   &apimodel.IntegrationStatus{Code: "INACTIVE", Effective: "Inactive", LastUpdated: tm(in.DateModified)},
		Attributes:      map[string]string{},
		SelfURI:         "/api/v2/integrations/" + in.ID,
	}
	if in.IntendedState == IntegrationEnabled {
		out.ReportedState.Code, out.ReportedState.Effective = "ACTIVE", "Active"
	}
	if withConfig {
		if c, err := o.integrationConfig(in.ID); err == nil {
			out.Config = &apimodel.IntegrationConfig{Current: &c}
		}
	}
	return out
}

// apiCredential is the Credential wire shape without credentialFields: the
// emulator never sends a secret back.
type apiCredential struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type struct {
		Name string `json:"name"`
	} `json:"type"`
	SelfURI string `json:"selfUri"`
}

func renderCredential(c IntegrationCredential) apiCredential {
	out := apiCredential{ID: c.ID, Name: c.Name, SelfURI: "/api/v2/integrations/credentials/" + c.ID}
	out.Type.Name = c.Type
	return out
}

// actionAsRequested renders GET /api/v2/integrations/actions/{id}[?includeConfig=true]:
// config is only included with includeConfig=true, as on the platform.
// inferred: the contract is always included. The public SDKs document an
// expand parameter (valid value "contract") for it, but the harness's
// client asks with includeConfig=true alone and expects the contract; this
// keeps the two in step until that is checked against a real org.
func actionAsRequested(r *http.Request, a DataAction) apimodel.Action {
	return renderAction(a, r.URL.Query().Get("includeConfig") == "true")
}

// httpRunAction is POST …/actions/{id}/test (always 200 with a
// TestExecutionResult) and …/execute (200 with the success JSON, or the
// action's error body with its status). The body is the input object; an
// empty body is {} (inferred: an action without inputs needs none).
func (o *Org) httpRunAction(test bool) endpoint {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		input, err := decodeInput(w, r)
		if err != nil {
			return nil, err
		}
		res, err := o.executeAction(r.Context(), r.PathValue("actionId"), input, requestBase(r))
		if err != nil {
			return nil, err
		}
		flatten := r.URL.Query().Get("flatten") == "true"
		if test {
			return res.TestResult(flatten), nil
		}
		status, out := res.ExecuteResponse(flatten)
		return rawReply(status, "application/json", out), nil
	}
}

func decodeInput(w http.ResponseWriter, r *http.Request) (map[string]any, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, newError(http.StatusRequestEntityTooLarge, "The request body is too large.")
		}
		return nil, badRequest("The request body could not be read.")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var in map[string]any
	if err := dec.Decode(&in); err != nil || in == nil {
		e := badRequest("The request body must be a JSON object of action inputs.")
		e.Details = []ErrorDetail{{ErrorCode: "invalid.json"}}
		return nil, e
	}
	return in, nil
}
