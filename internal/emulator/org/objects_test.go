package org

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// These tests read every deployed object through the real internal/platform/api client:
// if a shape drifts from what the harness decodes, they fail.

type apiEnv struct {
	org *Org
	srv *httptest.Server
	c   *api.Client
}

func newAPIEnv(t *testing.T, opts ...Option) *apiEnv {
	t.Helper()
	o := New(opts...)
	if err := o.RegisterClient(OAuthClient{ID: testClientID, Secret: testClientSecret}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(o.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(o.CloseGuestSessions) // runs first: no handler outlives the server
	return &apiEnv{org: o, srv: srv, c: apiClient(t, srv.URL, testClientID, testClientSecret)}
}

func apiClient(t *testing.T, base, id, secret string) *api.Client {
	t.Helper()
	ep, err := api.LocalEndpoints(base)
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Config{Endpoints: ep, ClientID: id, ClientSecret: api.Secret(secret), MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// must returns v or panics. It keeps setup steps on one line; a setup
// failure is a broken test, and the panic's stack shows which step.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// wantStatus asserts an *api.APIError with status.
func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	if got := api.StatusCode(err); got != status {
		t.Fatalf("error %v: status %d, want %d", err, got, status)
	}
}

func publish(t *testing.T, o *Org, name, typ string) Flow {
	t.Helper()
	return must(o.PublishFlow(Flow{Name: name, Type: typ, Definition: []byte(name + ": {}")}))
}

func TestFlowsAPI(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	bot := publish(t, e.org, "IR Bot", "bot")
	publish(t, e.org, "Resolve Contact", FlowTypeCommonModule)
	inbound := publish(t, e.org, "IR Message Flow", "inboundshortmessage")
	if bot.Type != FlowTypeBot || bot.Version != 1 || bot.DivisionID != homeDivision.ID {
		t.Fatalf("published %+v", bot)
	}

	f := must(e.c.GetFlow(ctx, inbound.ID))
	if f.Name != "IR Message Flow" || f.Type != FlowTypeInboundShortMessage || !f.Published() || f.Locked() || !f.Active {
		t.Fatalf("GetFlow %+v", f)
	}
	if f.Division == nil || f.Division.ID != homeDivision.ID || f.Division.Name != "Home" {
		t.Fatalf("division %+v", f.Division)
	}
	if f.PublishedVersion.ID != "1.0" || f.PublishedVersion.DatePublished.IsZero() {
		t.Fatalf("published version %+v", f.PublishedVersion)
	}

	// Flow identity is (name, type), case-insensitively: a republish is a
	// new version of the same flow, under the name last published.
	again := publish(t, e.org, "ir message FLOW", FlowTypeInboundShortMessage)
	if again.ID != inbound.ID || again.Version != 2 {
		t.Fatalf("republish %+v", again)
	}
	if got := must(e.c.GetFlow(ctx, inbound.ID)); got.PublishedVersion.ID != "2.0" {
		t.Fatalf("version after republish %+v", got.PublishedVersion)
	}

	found := must(e.c.FindFlow(ctx, "ir bot", "bot"))
	if found.ID != bot.ID {
		t.Fatalf("FindFlow %+v", found)
	}
	if _, err := e.c.FindFlow(ctx, "IR Bot", "inboundshortmessage"); !api.IsNotFound(err) || !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("FindFlow of the wrong type: %v", err)
	}
	// getFlows sorts by id by default (ArchitectApi docs), so page 2 holds the larger id.
	second := max(bot.ID, inbound.ID)
	l := must(e.c.ListFlows(ctx, api.FlowQuery{Name: "IR", PageSize: 1, PageNumber: 2}))
	if l.Total != 2 || l.PageCount != 2 || len(l.Entities) != 1 || l.Entities[0].ID != second {
		t.Fatalf("ListFlows page 2 %+v", l)
	}
	l = must(e.c.ListFlows(ctx, api.FlowQuery{Name: "*contact", Type: "commonmodule"}))
	if l.Total != 1 || l.Entities[0].Name != "Resolve Contact" {
		t.Fatalf("ListFlows glob %+v", l)
	}

	// A flow a deployment starts cannot go; once the deployment is gone it can.
	cfg := must(e.org.CreateMessengerConfiguration(MessengerConfiguration{Name: "M"}))
	dep := must(e.org.CreateWebDeployment(WebDeployment{Name: "M", FlowID: inbound.ID, ConfigurationID: cfg.ID}))
	wantStatus(t, e.c.Do(ctx, http.MethodDelete, "/api/v2/flows/"+inbound.ID, nil, nil), http.StatusConflict)
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/webdeployments/deployments/"+dep.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/flows/"+inbound.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.GetFlow(ctx, inbound.ID); !api.IsNotFound(err) {
		t.Fatalf("deleted flow: %v", err)
	}
	if _, err := e.org.PublishFlow(Flow{Name: "x", Type: "not a type"}); StatusOf(err) != 400 {
		t.Fatalf("bad type: %v", err)
	}
	if _, err := e.org.PublishFlow(Flow{Name: "x", Type: "bot", DivisionID: "nope"}); StatusOf(err) != 400 {
		t.Fatalf("bad division: %v", err)
	}
}

// dataActionsFixture creates what a bundle's data actions need: a role, an
// OAuth client with its credential, an enabled integration, and the root
// bundle's lookup action.
type dataActionsFixture struct {
	role   Role
	client OAuthClient
	cred   IntegrationCredential
	integ  Integration
	lookup DataAction
	def    *fmtda.Action
}

func newDataActions(t *testing.T, o *Org) dataActionsFixture {
	t.Helper()
	var f dataActionsFixture
	f.role = must(o.CreateRole(Role{Name: "IR", PermissionPolicies: []PermissionPolicy{
		{Domain: "externalContacts", EntityName: "contact", ActionSet: []string{"view"}},
		{Domain: "externalContacts", EntityName: "identity", ActionSet: []string{"merge"}},
	}}))
	f.client = must(o.CreateOAuthClient(OAuthClient{Name: "IR client", TokenLifetime: 86400 * time.Second,
		RoleDivisions: []RoleDivision{{RoleID: f.role.ID, DivisionID: AllDivisions}}}))
	f.cred = must(o.CreateIntegrationCredential(IntegrationCredential{Name: "IR client", Fields: map[string]string{"clientId": f.client.ID, "clientSecret": f.client.Secret}}))
	f.integ = must(o.CreateIntegration(Integration{Name: "IR actions", IntendedState: IntegrationEnabled, Credentials: map[string]string{CredentialTypeOAuthClient: f.cred.ID}}))
	raw := must(os.ReadFile("../../../exports/lookup.json"))
	f.def = must(fmtda.Parse(raw))
	f.lookup = must(o.CreateDataAction(DataAction{Name: f.def.Name, IntegrationID: f.integ.ID, Config: f.def.Config, Contract: f.def.Contract}))
	return f
}

func TestIntegrationsAndActionsAPI(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	f := newDataActions(t, e.org)
	jane := mustContact(t, e.org, Contact{FirstName: "Jane", LastName: "Doe", WorkEmail: "jane@example.com"})

	in := must(e.c.GetIntegration(ctx, f.integ.ID))
	if in.IntendedState != "ENABLED" || in.ReportedState == nil || in.ReportedState.Code != "ACTIVE" ||
		in.IntegrationType == nil || in.IntegrationType.ID != IntegrationTypeDataActions || in.Name != "IR actions" || in.Config != nil {
		t.Fatalf("GetIntegration %+v", in)
	}
	var withCfg apimodel.Integration
	if err := e.c.Do(ctx, http.MethodGet, "/api/v2/integrations/"+f.integ.ID+"?expand=config.current", nil, &withCfg); err != nil {
		t.Fatal(err)
	}
	if withCfg.Config == nil || withCfg.Config.Current.Credentials[CredentialTypeOAuthClient].ID != f.cred.ID {
		t.Fatalf("config.current %+v", withCfg.Config)
	}

	a := must(e.c.GetAction(ctx, f.lookup.ID))
	if a.Name != f.def.Name || a.Category != "IR actions" || a.IntegrationID != f.integ.ID || a.Version != 1 || len(a.ID) < 10 {
		t.Fatalf("GetAction %+v", a)
	}
	if a.Config == nil || !reflect.DeepEqual(*a.Config, f.def.Config) {
		t.Fatalf("config %+v, want %+v", a.Config, f.def.Config)
	}
	if a.Contract == nil || !jsonEqual(a.Contract.Input.InputSchema, f.def.Contract.Input.InputSchema) ||
		!jsonEqual(a.Contract.Output.SuccessSchema, f.def.Contract.Output.SuccessSchema) {
		t.Fatalf("contract %+v", a.Contract)
	}

	// /test really runs the action against this org, as the integration's client.
	e.org.ResetCalls()
	res := must(e.c.TestAction(ctx, f.lookup.ID, map[string]string{"type": "Email", "value": "jane@example.com"}))
	var final struct {
		ID        string `json:"id"`
		FirstName string `json:"firstName"`
	}
	if !res.Success || json.Unmarshal(res.FinalResult, &final) != nil || final.ID != jane.ID || final.FirstName != "Jane" || len(res.Operations) == 0 {
		t.Fatalf("TestAction %+v (%s)", res, res.FinalResult)
	}
	var lookupCall *Call
	for _, c := range e.org.Calls() {
		if strings.HasPrefix(c.Route, "POST /api/v2/externalcontacts/identifierlookup") {
			lookupCall = &c
		}
	}
	if lookupCall == nil || lookupCall.ClientID != f.client.ID || lookupCall.Status != 200 {
		t.Fatalf("the action's own call: %+v in %+v", lookupCall, e.org.Calls())
	}
	miss := must(e.c.TestAction(ctx, f.lookup.ID, map[string]string{"type": "Email", "value": "nobody@example.com"}))
	if miss.Success || miss.Error == nil || miss.Error.Status != 404 {
		t.Fatalf("TestAction miss %+v", miss)
	}
	bad := must(e.c.TestAction(ctx, f.lookup.ID, map[string]string{"type": "Fax"}))
	if bad.Success || bad.Error == nil || bad.Error.Status != 400 {
		t.Fatalf("TestAction with bad input %+v", bad)
	}

	var out struct {
		ID string `json:"id"`
	}
	if err := e.c.ExecuteAction(ctx, f.lookup.ID, map[string]string{"type": "Email", "value": "jane@example.com"}, &out); err != nil || out.ID != jane.ID {
		t.Fatalf("ExecuteAction: %v %+v", err, out)
	}
	err := e.c.ExecuteAction(ctx, f.lookup.ID, map[string]string{"type": "Email", "value": "nobody@example.com"}, &out)
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Status != 404 || len(ae.Details) == 0 || ae.Details[0].ErrorCode != "ACTION.REMOTE_ENDPOINT" {
		t.Fatalf("ExecuteAction miss: %#v", err)
	}
	var flat map[string]any
	if err := e.c.Do(ctx, http.MethodPost, "/api/v2/integrations/actions/"+f.lookup.ID+"/execute?flatten=true", map[string]string{"type": "Email", "value": "jane@example.com"}, &flat); err != nil || flat["id"] != jane.ID {
		t.Fatalf("flattened execute: %v %v", err, flat)
	}
	if _, err := e.c.TestAction(ctx, "custom_-_nope", map[string]string{}); !api.IsNotFound(err) {
		t.Fatalf("unknown action: %v", err)
	}

	// A fault on the action's upstream call shows in /test, as on the platform.
	if _, err := e.org.AddFault(Fault{Endpoint: "POST /api/v2/externalcontacts/identifierlookup/**", Status: 500, Times: 1}); err != nil {
		t.Fatal(err)
	}
	faulted := must(e.c.TestAction(ctx, f.lookup.ID, map[string]string{"type": "Email", "value": "jane@example.com"}))
	if faulted.Success || faulted.Error.Status != 500 {
		t.Fatalf("faulted %+v", faulted)
	}

	// Disabled integrations do not run; deleting the integration takes its actions.
	must(e.org.SetIntegrationState(f.integ.ID, IntegrationDisabled))
	if in := must(e.c.GetIntegration(ctx, f.integ.ID)); in.ReportedState.Code != "INACTIVE" {
		t.Fatalf("disabled %+v", in.ReportedState)
	}
	_, err = e.c.TestAction(ctx, f.lookup.ID, map[string]string{"type": "Email", "value": "jane@example.com"})
	wantStatus(t, err, 400)
	for _, p := range []string{"/api/v2/integrations/" + f.integ.ID, "/api/v2/integrations/credentials/" + f.cred.ID} {
		if err := e.c.Do(ctx, http.MethodDelete, p, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.c.GetAction(ctx, f.lookup.ID); !api.IsNotFound(err) {
		t.Fatalf("action of a deleted integration: %v", err)
	}
	if _, err := e.c.GetIntegration(ctx, f.integ.ID); !api.IsNotFound(err) {
		t.Fatalf("deleted integration: %v", err)
	}
	wantStatus(t, e.c.Do(ctx, http.MethodGet, "/api/v2/integrations/credentials/"+f.cred.ID, nil, nil), 404)
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func TestDataActionValidation(t *testing.T) {
	o := New()
	f := newDataActions(t, o)
	good := DataAction{Name: "other", IntegrationID: f.integ.ID, Config: f.def.Config, Contract: f.def.Contract}
	cases := map[string]func(*DataAction){
		"no name":          func(a *DataAction) { a.Name = " " },
		"no integration":   func(a *DataAction) { a.IntegrationID = "nope" },
		"bad request type": func(a *DataAction) { a.Config.Request.RequestType = "GOT" },
		"no url":           func(a *DataAction) { a.Config.Request.RequestURLTemplate = "" },
		"timeout":          func(a *DataAction) { a.Config.TimeoutSeconds = 61 },
		"input schema":     func(a *DataAction) { a.Contract.Input.InputSchema = json.RawMessage(`[]`) },
		"success schema":   func(a *DataAction) { a.Contract.Output.SuccessSchema = nil },
	}
	for name, mod := range cases {
		a := good
		mod(&a)
		if _, err := o.CreateDataAction(a); StatusOf(err) != 400 {
			t.Errorf("%s: %v", name, err)
		}
	}
	dup := good
	dup.Name = f.lookup.Name
	if _, err := o.CreateDataAction(dup); StatusOf(err) != 409 {
		t.Errorf("duplicate name: %v", err)
	}
	got := must(o.DataActionByName(f.lookup.Category, f.lookup.Name))
	if got.ID != f.lookup.ID {
		t.Fatalf("DataActionByName %+v", got)
	}
	if _, err := o.DataActionByName("other category", f.lookup.Name); !IsNotFound(err) {
		t.Fatalf("wrong category: %v", err)
	}
	if len(o.DataActions()) != 1 {
		t.Fatalf("DataActions %v", o.DataActions())
	}
}

// TestExecuteDataActionInProcess runs the Go API without any server: the
// action's call goes straight into Handler(), through faults and the log.
func TestExecuteDataActionInProcess(t *testing.T) {
	o := New()
	f := newDataActions(t, o)
	jane := mustContact(t, o, Contact{WorkEmail: "jane@example.com"})
	ctx := ctxT(t)
	res := must(o.ExecuteDataAction(ctx, f.lookup.ID, map[string]any{"type": "Email", "value": "jane@example.com"}))
	if res.Outcome.String() != "success" || res.Outputs["id"] != jane.ID {
		t.Fatalf("in-process %+v", res)
	}
	if calls := o.Calls(); len(calls) != 2 || calls[0].Path != "/oauth/token" || calls[1].ClientID != f.client.ID {
		t.Fatalf("calls %+v", calls)
	}

	// A held request releases the action at its timeout, without a socket.
	def := f.def
	def.Config.TimeoutSeconds = 1
	slow := must(o.CreateDataAction(DataAction{Name: "slow", IntegrationID: f.integ.ID, Config: def.Config, Contract: def.Contract}))
	must(o.AddFault(Fault{Endpoint: "POST /api/v2/externalcontacts/identifierlookup/**", Timeout: true, TimeoutCap: 5 * time.Second}))
	start := time.Now()
	res = must(o.ExecuteDataAction(ctx, slow.ID, map[string]any{"type": "Email", "value": "jane@example.com"}))
	if res.Outcome.String() != "timeout" || time.Since(start) > 4*time.Second {
		t.Fatalf("timeout outcome %v after %s", res.Outcome, time.Since(start))
	}
	o.ClearFaults()

	// A credential that is gone fails authentication, as on the platform.
	if err := o.DeleteIntegrationCredential(f.cred.ID); err != nil {
		t.Fatal(err)
	}
	res = must(o.ExecuteDataAction(ctx, f.lookup.ID, map[string]any{"type": "Email", "value": "jane@example.com"}))
	if res.Outcome.String() != "failure" || res.Error.Category() != "ACTION.AUTHENTICATION" {
		t.Fatalf("no credential: %+v", res.Error)
	}
	if _, err := o.ExecuteDataAction(ctx, "custom_-_nope", nil); !IsNotFound(err) {
		t.Fatalf("unknown action: %v", err)
	}
}

// TestActionsCallTheConfiguredBaseURL: with SetBaseURL the action calls the
// org over loopback at that address, whatever address the request used.
func TestActionsCallTheConfiguredBaseURL(t *testing.T) {
	e := newAPIEnv(t)
	if err := e.org.SetBaseURL(e.srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := e.org.SetBaseURL("ftp://x"); err == nil {
		t.Fatal("SetBaseURL accepted a non-http URL")
	}
	f := newDataActions(t, e.org)
	mustContact(t, e.org, Contact{WorkEmail: "jane@example.com"})
	res := must(e.org.ExecuteDataAction(ctxT(t), f.lookup.ID, map[string]any{"type": "Email", "value": "jane@example.com"}))
	if res.Outcome.String() != "success" {
		t.Fatalf("over loopback %+v", res.Error)
	}
}

func TestQueueAPI(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	div := must(e.org.CreateDivision(Division{Name: "Customer Care"}))
	q := must(e.org.CreateQueue(Queue{Name: "Identity Resolution", Description: "after IR", DivisionID: div.ID}))
	got := must(e.c.GetQueue(ctx, q.ID))
	if got.Name != q.Name || got.Description != "after IR" || got.Division == nil || got.Division.Name != "Customer Care" || got.DateCreated.IsZero() {
		t.Fatalf("GetQueue %+v", got)
	}
	if _, err := e.org.CreateQueue(Queue{Name: "identity resolution"}); StatusOf(err) != 409 {
		t.Fatalf("duplicate queue: %v", err)
	}
	if byName := must(e.org.QueueByName("IDENTITY RESOLUTION")); byName.ID != q.ID {
		t.Fatalf("QueueByName %+v", byName)
	}
	if err := e.org.DeleteDivision(div.ID); StatusOf(err) != 409 {
		t.Fatalf("deleting a division with a queue: %v", err)
	}
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/routing/queues/"+q.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.GetQueue(ctx, q.ID); !api.IsNotFound(err) {
		t.Fatalf("deleted queue: %v", err)
	}
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/authorization/divisions/"+div.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestDivisionsAPI(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	var home Division
	if err := e.c.Do(ctx, http.MethodGet, "/api/v2/authorization/divisions/home", nil, &home); err != nil || home.ID != homeDivision.ID || !home.HomeDivision {
		t.Fatalf("home: %v %+v", err, home)
	}
	d := must(e.org.CreateDivision(Division{Name: "Support: EMEA #1"}))
	var l apimodel.EntityListing[Division]
	if err := e.c.Do(ctx, http.MethodGet, "/api/v2/authorization/divisions?name=support:+emea+%231", nil, &l); err != nil || l.Total != 1 || l.Entities[0].ID != d.ID {
		t.Fatalf("by name: %v %+v", err, l)
	}
	if _, err := e.org.CreateDivision(Division{Name: "support: emea #1"}); StatusOf(err) != 409 {
		t.Fatalf("duplicate: %v", err)
	}
	if err := e.org.DeleteDivision(homeDivision.ID); StatusOf(err) != 400 {
		t.Fatalf("deleting home: %v", err)
	}
	if got := e.org.Divisions(); len(got) != 2 || got[0].ID != homeDivision.ID {
		t.Fatalf("Divisions %+v", got)
	}
}

func TestOAuthClientsAndRolesAPI(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	f := newDataActions(t, e.org)

	c := must(e.c.GetOAuthClient(ctx, f.client.ID))
	if c.Name != "IR client" || c.AuthorizedGrantType != GrantClientCredentials || c.State != OAuthStateActive || c.AccessTokenValiditySeconds != 86400 ||
		len(c.RoleDivisions) != 1 || c.RoleDivisions[0].RoleID != f.role.ID || c.RoleDivisions[0].DivisionID != "*" {
		t.Fatalf("GetOAuthClient %+v", c)
	}
	var raw map[string]any
	if err := e.c.Do(ctx, http.MethodGet, "/api/v2/oauth/clients/"+f.client.ID, nil, &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["secret"]; ok {
		t.Fatalf("the client secret is on the wire: %v", raw)
	}
	r := must(e.c.GetRole(ctx, f.role.ID))
	if r.Name != "IR" || !r.Allows("externalContacts", "contact", "view") || !r.Allows("externalContacts", "identity", "merge") || r.Allows("externalContacts", "contact", "edit") ||
		len(r.Permissions) != 0 { // a role defined by policies lists no permissions: the platform does not derive them

		t.Fatalf("GetRole %+v", r)
	}

	// The created client works at the token endpoint, and stops when deleted.
	as := apiClient(t, e.srv.URL, f.client.ID, f.client.Secret)
	if _, err := as.GetRole(ctx, f.role.ID); err != nil {
		t.Fatalf("the created client cannot call the API: %v", err)
	}
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/oauth/clients/"+f.client.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := as.GetRole(ctx, f.role.ID); !api.IsUnauthorized(err) {
		t.Fatalf("a deleted client's token still works: %v", err)
	}
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/authorization/roles/"+f.role.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v2/oauth/clients/" + f.client.ID, "/api/v2/authorization/roles/" + f.role.ID} {
		wantStatus(t, e.c.Do(ctx, http.MethodGet, p, nil, nil), 404)
	}

	// Validation.
	if _, err := e.org.CreateRole(Role{Name: "ir"}); err != nil {
		t.Fatal(err) // the first IR role is gone, so the name is free again
	}
	if _, err := e.org.CreateRole(Role{Name: "IR"}); StatusOf(err) != 409 {
		t.Fatalf("duplicate role: %v", err)
	}
	if _, err := e.org.CreateRole(Role{Name: "x", PermissionPolicies: []PermissionPolicy{{Domain: "d"}}}); StatusOf(err) != 400 {
		t.Fatalf("bad policy: %v", err)
	}
	for name, in := range map[string]OAuthClient{
		"grant":    {Name: "x", AuthorizedGrantType: "CODE"},
		"lifetime": {Name: "x", TokenLifetime: time.Second},
		"role":     {Name: "x", RoleDivisions: []RoleDivision{{RoleID: "nope", DivisionID: "*"}}},
		"name":     {},
	} {
		if _, err := e.org.CreateOAuthClient(in); StatusOf(err) != 400 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestWebDeploymentAPI(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	flow := publish(t, e.org, "Inbound", FlowTypeInboundShortMessage)
	bot := publish(t, e.org, "Bot", FlowTypeBot)
	cfg := must(e.org.CreateMessengerConfiguration(MessengerConfiguration{Name: "Messenger", Languages: []string{"en-gb"}}))
	if _, err := e.org.CreateWebDeployment(WebDeployment{Name: "M", FlowID: bot.ID, ConfigurationID: cfg.ID}); StatusOf(err) != 400 {
		t.Fatalf("a bot flow on a deployment: %v", err)
	}
	if _, err := e.org.CreateWebDeployment(WebDeployment{Name: "M", FlowID: flow.ID, ConfigurationID: cfg.ID, ConfigurationVersion: "9"}); StatusOf(err) != 400 {
		t.Fatalf("unknown configuration version: %v", err)
	}
	dep := must(e.org.CreateWebDeployment(WebDeployment{Name: "Messenger", FlowID: flow.ID, ConfigurationID: cfg.ID, AllowedDomains: []string{"*.example.com"}}))

	d := must(e.c.GetWebDeployment(ctx, dep.ID))
	if d.Status != "Active" || d.Flow == nil || d.Flow.ID != flow.ID || d.Flow.Name != "Inbound" || d.Configuration == nil ||
		d.Configuration.ID != cfg.ID || d.Configuration.Version != "1" || d.AllowAllDomains || !slices.Equal(d.AllowedDomains, []string{"*.example.com"}) {
		t.Fatalf("GetWebDeployment %+v", d)
	}
	ir := must(e.c.GetWebDeploymentIdentityResolution(ctx, dep.ID))
	if ir.ResolveIdentities || ir.Automerge == nil || ir.Automerge.AuthenticatedWebMessaging {
		t.Fatalf("default identity resolution %+v", ir)
	}
	src := mustSource(t, e.org, "CRM")
	set := must(e.c.SetWebDeploymentIdentityResolution(ctx, dep.ID, apimodel.IdentityResolutionConfig{
		ResolveIdentities: true, ExternalSource: &apimodel.ExternalSource{ID: src.ID}, Automerge: &apimodel.Automerge{AuthenticatedWebMessaging: true},
	}))
	if !set.ResolveIdentities || set.ExternalSource == nil || set.ExternalSource.Name != "CRM" || !set.Automerge.AuthenticatedWebMessaging {
		t.Fatalf("SetWebDeploymentIdentityResolution %+v", set)
	}
	if got := must(e.c.GetWebDeploymentIdentityResolution(ctx, dep.ID)); !got.ResolveIdentities || !got.Automerge.AuthenticatedWebMessaging {
		t.Fatalf("read back %+v", got)
	}
	_, err := e.c.SetWebDeploymentIdentityResolution(ctx, dep.ID, apimodel.IdentityResolutionConfig{ResolveIdentities: true, ExternalSource: &apimodel.ExternalSource{ID: "nope"}})
	wantStatus(t, err, 400)

	var conf apiMessengerConfiguration
	if err := e.c.Do(ctx, http.MethodGet, "/api/v2/webdeployments/configurations/"+cfg.ID+"/versions/1", nil, &conf); err != nil || conf.DefaultLanguage != "en-gb" {
		t.Fatalf("configuration version: %v %+v", err, conf)
	}
	// The public config needs no token.
	resp := must(http.Get(e.srv.URL + "/webdeployments/v1/deployments/" + dep.ID + "/config.json"))
	var pub struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&pub)
	resp.Body.Close()
	if resp.StatusCode != 200 || pub.ID != dep.ID || pub.Status != "Active" {
		t.Fatalf("config.json %d %+v", resp.StatusCode, pub)
	}

	wantStatus(t, e.c.Do(ctx, http.MethodDelete, "/api/v2/webdeployments/configurations/"+cfg.ID, nil, nil), 409)
	for _, p := range []string{"/api/v2/webdeployments/deployments/" + dep.ID, "/api/v2/webdeployments/configurations/" + cfg.ID} {
		if err := e.c.Do(ctx, http.MethodDelete, p, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.c.GetWebDeployment(ctx, dep.ID); !api.IsNotFound(err) {
		t.Fatalf("deleted deployment: %v", err)
	}
	if _, err := e.c.GetWebDeploymentIdentityResolution(ctx, dep.ID); !api.IsNotFound(err) {
		t.Fatalf("identity resolution of a deleted deployment: %v", err)
	}
	wantStatus(t, e.c.Do(ctx, http.MethodGet, "/api/v2/webdeployments/configurations/"+cfg.ID+"/versions/1", nil, nil), 404)
}

func TestOpenIntegrationAPI(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	flow := publish(t, e.org, "Inbound", FlowTypeInboundShortMessage)
	src := mustSource(t, e.org, "Partner CRM")
	off := false
	in := must(e.org.AddOpenIntegration(OpenIntegration{Name: "Partner", WebhookURL: "https://hooks.example.com/gc", WebhookSecret: "a-secret-longer-than-15", ResolveIdentities: &off}))
	if _, err := e.org.AddOpenIntegration(OpenIntegration{Name: "x", WebhookSecret: "short"}); StatusOf(err) != 400 {
		t.Fatalf("short secret: %v", err)
	}

	oi := must(e.c.GetOpenIntegration(ctx, in.ID))
	if oi.Name != "Partner" || oi.Status != "Active" || oi.CreateStatus != "Completed" || oi.Recipient == nil || oi.Recipient.ID != in.ID ||
		oi.OutboundNotificationWebhookURL != "https://hooks.example.com/gc" {
		t.Fatalf("GetOpenIntegration %+v", oi)
	}
	rec := must(e.c.GetMessageRecipient(ctx, oi.Recipient.ID))
	if rec.Flow != nil || rec.MessengerType != "open" || rec.Name != "Partner" {
		t.Fatalf("recipient before wiring %+v", rec)
	}
	ir := must(e.c.GetOpenIdentityResolution(ctx, in.ID))
	if ir.ResolveIdentities || ir.ExternalSource != nil {
		t.Fatalf("identity resolution before wiring %+v", ir)
	}

	// Before wiring: a known sender is not resolved, and no flow is bound.
	known := mustContact(t, e.org, Contact{ExternalIDs: []ExternalID{{ExternalSource: &ExternalSource{ID: src.ID}, Value: "cust-1"}}})
	c1 := must(e.org.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: OpenFrom{ID: "cust-1", IDType: "Opaque", FirstName: "Jo"}}))
	if c1.Resolution.Outcome != "created" || c1.Customer.ExternalContactID == known.ID || c1.FlowID != "" || c1.Workflow.Name != DefaultFlowName {
		t.Fatalf("unwired conversation %+v", c1)
	}
	if eph := must(e.org.RawContact(c1.Customer.ExternalContactID)); eph.FirstName != "Jo" || len(eph.ExternalIDs) != 0 {
		t.Fatalf("resolution off must store nothing identifying: %+v", eph)
	}

	if err := e.org.DisconnectConversation(c1.ID); err != nil {
		t.Fatal(err)
	}

	// Wire it as `bpgen wire` does.
	rec = must(e.c.SetMessageRecipientFlow(ctx, in.ID, apimodel.Ref{ID: flow.ID, Name: flow.Name}))
	if rec.Flow == nil || rec.Flow.ID != flow.ID || rec.Flow.Name != "Inbound" {
		t.Fatalf("SetMessageRecipientFlow %+v", rec)
	}
	ir = must(e.c.SetOpenIdentityResolution(ctx, in.ID, apimodel.IdentityResolutionConfig{ResolveIdentities: true, ExternalSource: &apimodel.ExternalSource{ID: src.ID}}))
	if !ir.ResolveIdentities || ir.ExternalSource == nil || ir.ExternalSource.ID != src.ID || ir.Automerge != nil {
		t.Fatalf("SetOpenIdentityResolution %+v", ir)
	}
	var automerge map[string]any
	wantStatus(t, e.c.Do(ctx, http.MethodPut, "/api/v2/conversations/messaging/identityresolution/integrations/open/"+in.ID,
		map[string]any{"resolveIdentities": true, "automerge": map[string]bool{"webTracking": true}}, &automerge), 400)
	_, err := e.c.SetMessageRecipientFlow(ctx, in.ID, apimodel.Ref{ID: publish(t, e.org, "Bot", "bot").ID})
	wantStatus(t, err, 400)

	// After wiring: the inbound message runs the bound flow and resolves the sender.
	var msg struct {
		ConversationID string `json:"conversationId"`
	}
	body := map[string]any{"channel": map[string]any{"from": map[string]string{"id": "cust-1", "idType": "Opaque"}, "time": "2026-01-08T10:00:00.000Z"}, "text": "hi"}
	if err := e.c.Do(ctx, http.MethodPost, "/api/v2/conversations/messages/"+in.ID+"/inbound/open/message?prefetchConversationId=true", body, &msg); err != nil {
		t.Fatal(err)
	}
	c2 := must(e.org.Conversation(msg.ConversationID))
	if c2.FlowID != flow.ID || c2.Workflow.Name != "Inbound" || c2.Resolution.Outcome != "linked" || c2.Customer.ExternalContactID != known.ID {
		t.Fatalf("wired conversation %+v", c2)
	}
	wantStatus(t, e.c.Do(ctx, http.MethodDelete, "/api/v2/flows/"+flow.ID, nil, nil), 409)

	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/conversations/messaging/integrations/open/"+in.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.GetOpenIntegration(ctx, in.ID); !api.IsNotFound(err) {
		t.Fatalf("deleted integration: %v", err)
	}
	if _, err := e.c.GetMessageRecipient(ctx, in.ID); !api.IsNotFound(err) {
		t.Fatalf("recipient of a deleted integration: %v", err)
	}
	if _, err := e.c.GetOpenIdentityResolution(ctx, in.ID); !api.IsNotFound(err) {
		t.Fatalf("identity resolution of a deleted integration: %v", err)
	}
	// The flow is free again.
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/flows/"+flow.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteExternalSource(t *testing.T) {
	e := newAPIEnv(t)
	ctx := ctxT(t)
	src := mustSource(t, e.org, "CRM")
	in := must(e.org.AddOpenIntegration(OpenIntegration{Name: "IR", ExternalSourceID: src.ID}))
	if err := e.c.Do(ctx, http.MethodDelete, "/api/v2/externalcontacts/externalsources/"+src.ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.c.Do(ctx, http.MethodGet, "/api/v2/externalcontacts/externalsources/"+src.ID, nil, nil), 404)
	if len(e.org.ExternalSources()) != 0 {
		t.Fatal("source still listed")
	}
	// The integration that resolved with it keeps working without it.
	c := must(e.org.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: OpenFrom{ID: "x"}}))
	if c.Resolution.Outcome != "created" {
		t.Fatalf("%+v", c.Resolution)
	}
}

func TestStartConversationFlowAndPresetID(t *testing.T) {
	o := New()
	flow := publish(t, o, "Inbound", FlowTypeInboundShortMessage)
	c := must(o.StartConversation(StartConversationOptions{FlowID: flow.ID, ConversationID: "conv-1"}))
	if c.ID != "conv-1" || c.FlowID != flow.ID || c.Workflow.Name != "Inbound" {
		t.Fatalf("%+v", c)
	}
	if _, err := o.StartConversation(StartConversationOptions{ConversationID: "conv-1"}); StatusOf(err) != 409 {
		t.Fatalf("taken id: %v", err)
	}
	if _, err := o.StartConversation(StartConversationOptions{FlowID: "nope"}); StatusOf(err) != 400 {
		t.Fatalf("unknown flow: %v", err)
	}
	cfg := must(o.CreateMessengerConfiguration(MessengerConfiguration{Name: "M"}))
	dep := must(o.CreateWebDeployment(WebDeployment{Name: "M", FlowID: flow.ID, ConfigurationID: cfg.ID}))
	byDep := must(o.StartConversation(StartConversationOptions{DeploymentID: dep.ID}))
	if byDep.FlowID != flow.ID || byDep.DeploymentID != dep.ID {
		t.Fatalf("deployment's flow: %+v", byDep)
	}
	if other := must(o.StartConversation(StartConversationOptions{DeploymentID: "not-a-deployment"})); other.FlowID != "" {
		t.Fatalf("an unknown deployment id stays informational: %+v", other)
	}
}
