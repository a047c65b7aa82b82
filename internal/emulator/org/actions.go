package org

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/bpgen/bpgen/internal/emulator/dataaction"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
)

// customActionPrefix starts the id of every custom data action on the
// platform ("custom_-_<uuid>"); the emulator keeps the shape so ids that
// travel through URLs and logs look like real ones.
const customActionPrefix = "custom_-_"

// DataAction is a data action of an integration, as Terraform's
// genesyscloud_integration_action creates it: the config and contract of the
// bundle's exports/*.json file plus the integration and category.
type DataAction struct {
	ID            string
	Name          string
	Category      string // "" = the integration's name, as the UI does
	IntegrationID string
	Secure        bool
	Version       int
	Config        fmtda.Config
	Contract      fmtda.Contract
	stored
}

// Definition returns the action in the UI export format, which is what the
// data-action runtime executes.
func (a DataAction) Definition() *fmtda.Action {
	c := a.clone()
	return &fmtda.Action{
		Name: c.Name, IntegrationType: IntegrationTypeDataActions, ActionType: "custom",
		Config: c.Config, Contract: c.Contract, Secure: c.Secure,
	}
}

func (a DataAction) clone() DataAction {
	a.Config.Request.Headers = maps.Clone(a.Config.Request.Headers)
	a.Config.Response.TranslationMap = maps.Clone(a.Config.Response.TranslationMap)
	a.Config.Response.TranslationMapDefaults = maps.Clone(a.Config.Response.TranslationMapDefaults)
	a.Contract.Input.InputSchema = slices.Clone(a.Contract.Input.InputSchema)
	a.Contract.Output.SuccessSchema = slices.Clone(a.Contract.Output.SuccessSchema)
	return a
}

var requestTypes = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// validSchema reports whether raw is a JSON object (the contract schemas
// must be; their content is checked when the action runs).
func validSchema(raw json.RawMessage) bool {
	var v map[string]any
	return len(bytes.TrimSpace(raw)) > 0 && json.Unmarshal(raw, &v) == nil && v != nil
}

// CreateDataAction adds an action to a data-actions integration.
// Validation (400): a name; an existing integration of type
// purecloud-data-actions; a request type of GET, POST, PUT, PATCH or DELETE
// and a request URL template; timeoutSeconds within 0..60; both contract
// schemas JSON objects. A second action with the same name in the same
// integration is 409 (inferred: names identify actions in Architect).
func (o *Org) CreateDataAction(in DataAction) (DataAction, error) {
	return createObject(o, in.Name, func(name string) (DataAction, error) {
		rq := in.Config.Request
		switch {
		case !slices.Contains(requestTypes, rq.RequestType):
			return DataAction{}, badRequest("config.request.requestType %q must be one of %s.", rq.RequestType, strings.Join(requestTypes, ", "))
		case strings.TrimSpace(rq.RequestURLTemplate) == "":
			return DataAction{}, badRequest("config.request.requestUrlTemplate is required.")
		case in.Config.TimeoutSeconds < 0 || in.Config.TimeoutSeconds > 60:
			return DataAction{}, badRequest("config.timeoutSeconds must be between 1 and 60.")
		case !validSchema(in.Contract.Input.InputSchema):
			return DataAction{}, badRequest("contract.input.inputSchema must be a JSON Schema object.")
		case !validSchema(in.Contract.Output.SuccessSchema):
			return DataAction{}, badRequest("contract.output.successSchema must be a JSON Schema object.")
		}
		integ, err := referenceLocked(o.objects.dataInts, "integrationId", "Integration", in.IntegrationID)
		if err != nil {
			return DataAction{}, err
		}
		if integ.IntegrationType != IntegrationTypeDataActions {
			return DataAction{}, badRequest("Integration %s is of type %s, which has no data actions.", integ.ID, integ.IntegrationType)
		}
		if a := findLocked(o.objects.actions, func(a *DataAction) bool { return a.IntegrationID == in.IntegrationID && a.Name == name }); a != nil {
			return DataAction{}, conflict("Action", a.ID, "Integration %s already has an action named %s.", in.IntegrationID, quote(name))
		}
		a := in
		a.ID, a.Name, a.Version = customActionPrefix+newUUID(), name, 1
		if strings.TrimSpace(a.Category) == "" {
			a.Category = integ.Name
		}
		return insertLocked(o, o.objects.actions, a.ID, a, DataAction.clone), nil
	})
}

// DataAction returns one action.
func (o *Org) DataAction(id string) (DataAction, error) {
	return readObject(o, o.objects.actions, "Action", id, (*DataAction).clone)
}

// DataActionByName finds an action the way Architect's Call Data Action
// refers to one: by category and name (exact). An empty category matches
// any; when several actions match, the oldest wins.
func (o *Org) DataActionByName(category, name string) (DataAction, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, a := range sortedBySeq(o.objects.actions) {
		if a.Name == name && (category == "" || a.Category == category) {
			return a.clone(), nil
		}
	}
	return DataAction{}, notFoundMatching("Action", "No data action named "+quote(name)+" in category "+quote(category)+".")
}

// DataActions lists every action in creation order.
func (o *Org) DataActions() []DataAction {
	return listObjects(o, o.objects.actions, (*DataAction).clone)
}

// DeleteDataAction removes an action.
func (o *Org) DeleteDataAction(id string) error {
	return deleteObject(o, o.objects.actions, "Action", id, nil)
}

// ExecuteDataAction runs an action as POST …/actions/{id}/execute does: the
// data-action runtime renders the request, calls this org with a token
// obtained with the integration's OAuth credential, and maps the response.
// The call goes to the base URL set with SetBaseURL, or, when none is set,
// straight into Handler() without a socket; either way it passes through
// the call log, faults and authentication like any other request.
//
// The error is for requests the platform would reject before running the
// action: an unknown action (404) or an integration that is missing or not
// enabled (400, inferred). Everything else, a missing credential included,
// is a Failure or Timeout Result, as on the platform.
func (o *Org) ExecuteDataAction(ctx context.Context, id string, input map[string]any) (dataaction.Result, error) {
	return o.executeAction(ctx, id, input, "")
}

func (o *Org) executeAction(ctx context.Context, id string, input map[string]any, requestBase string) (dataaction.Result, error) {
	o.mu.RLock()
	a, ok := o.objects.actions[id]
	if !ok {
		o.mu.RUnlock()
		return dataaction.Result{}, notFound("Action", id)
	}
	def := a.Definition()
	integ, ok := o.objects.dataInts[a.IntegrationID]
	if !ok || integ.IntendedState != IntegrationEnabled {
		o.mu.RUnlock()
		e := badRequest("The integration %s of action %s is not enabled.", a.IntegrationID, id)
		e.EntityID, e.EntityName = a.IntegrationID, "Integration"
		return dataaction.Result{}, e
	}
	credID := integ.Credentials[CredentialTypeOAuthClient]
	var cred *IntegrationCredential
	if c, ok := o.objects.credentials[credID]; ok {
		v := c.clone()
		cred = &v
	}
	o.mu.RUnlock()

	rt, err := o.exec.runtime(o, requestBase, credID, cred)
	if err != nil {
		return dataaction.Result{}, err
	}
	if input == nil {
		input = map[string]any{}
	}
	return rt.Execute(ctx, def, input), nil
}
