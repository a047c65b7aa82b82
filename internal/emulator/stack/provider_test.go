package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/emulator/stack"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/postapply/verify"
	"github.com/bpgen/bpgen/internal/postapply/wire"
)

// root is the root bundle, the one `bpgen render` writes by default.
const root = "../../.."

// tfClient replays the requests mypurecloud/genesyscloud v1.82.0 makes, with
// the bodies its source builds and the fields it reads (each step cites the
// provider function). It talks HTTP to an `org serve --empty` org as the
// provider does through its gateway block.
type tfClient struct {
	t     *testing.T
	base  string
	token string
}

func newTFClient(t *testing.T, e *stack.Org) *tfClient {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(e.ClientID, e.ClientSecret.Reveal())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return &tfClient{t: t, base: e.URL, token: tok.AccessToken}
}

// call sends a request and decodes a JSON answer; want is the status the
// provider treats as success.
func (c *tfClient) call(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	raw, resp := c.raw(method, c.base+path, body, nil, true)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	out := map[string]any{}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return out
}

func (c *tfClient) raw(method, u string, body any, headers map[string]string, auth bool) ([]byte, *http.Response) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return raw, resp
}

// path follows dotted keys through decoded JSON ("OAuthClient.organization.id").
func path(v any, keys string) any {
	for _, k := range strings.Split(keys, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// mustHave fails for every field the provider dereferences that is absent
// (the provider nil-panics on them).
func mustHave(t *testing.T, what string, v map[string]any, fields ...string) {
	t.Helper()
	for _, f := range fields {
		if path(v, f) == nil {
			t.Errorf("%s: %s is absent; the provider dereferences it", what, f)
		}
	}
}

// sameFields fails where a read differs from what was sent: each such field
// is a diff in the next plan.
func sameFields(t *testing.T, what string, sent, got map[string]any) {
	t.Helper()
	for k, v := range sent {
		sv, _ := json.Marshal(v)
		gv, _ := json.Marshal(got[k])
		var a, b any
		_ = json.Unmarshal(sv, &a)
		_ = json.Unmarshal(gv, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %s reads back %s, sent %s (the next plan shows a diff)", what, k, gv, sv)
		}
	}
}

// models are the JSON fields of the SDK models the reads answer with
// (platformclientv2/<model>.go of platform-client-sdk-go 188.0.0, the major
// the provider pins): a field outside them is one no client knows.
var models = map[string][]string{
	"DomainOrganizationRole": {"id", "name", "description", "defaultRoleId", "permissions", "unusedPermissions", "permissionPolicies",
		"userCount", "roleNeedsUpdate", "baseLicense", "addonLicenses", "dateLicenseLastUpdated", "base", "default", "selfUri"},
	"OAuthClient": {"id", "name", "accessTokenValiditySeconds", "description", "registeredRedirectUri", "secret", "roleIds", "dateCreated",
		"dateModified", "createdBy", "modifiedBy", "authorizedGrantType", "scope", "roleDivisions", "state", "dateToDelete", "selfUri"},
	"Integration":              {"id", "name", "integrationType", "notes", "intendedState", "config", "reportedState", "attributes", "selfUri"},
	"IntegrationConfiguration": {"id", "name", "version", "properties", "advanced", "notes", "credentials", "selfUri"},
	"Action":                   {"id", "name", "integrationId", "category", "contract", "version", "secure", "config", "selfUri"},
	"Queue": {"id", "name", "division", "description", "dateCreated", "dateModified", "modifiedBy", "createdBy", "memberCount",
		"userMemberCount", "joinedMemberCount", "mediaSettings", "routingRules", "conditionalGroupRouting", "conditionalGroupActivation",
		"bullseye", "scoringMethod", "lastAgentRoutingMode", "acwSettings", "skillEvaluationMethod", "memberGroups", "queueFlow",
		"emailInQueueFlow", "messageInQueueFlow", "whisperPrompt", "onHoldPrompt", "autoAnswerOnly", "cannedResponseLibraries",
		"enableTranscription", "enableAudioMonitoring", "enableManualAssignment", "agentOwnedRouting", "directRouting", "callingPartyName",
		"callingPartyNumber", "defaultScripts", "outboundMessagingAddresses", "outboundEmailAddress", "peerId", "suppressInQueueCallRecording", "selfUri"},
	"Flow": {"id", "name", "division", "description", "type", "lockedUser", "lockedClient", "active", "system", "deleted", "publishedVersion",
		"savedVersion", "inputSchema", "outputSchema", "checkedInVersion", "debugVersion", "publishedBy", "currentOperation", "nluInfo",
		"supportedLanguages", "compatibleFlowTypes", "worktypeId", "virtualAgentEnabled", "selfUri"},
	"WebDeploymentConfigurationVersion": {"id", "name", "version", "headlessMode", "description", "languages", "defaultLanguage",
		"customI18nLabels", "messenger", "position", "supportCenter", "cobrowse", "journeyEvents", "authenticationSettings", "video",
		"dateCreated", "dateModified", "datePublished", "lastModifiedUser", "createdUser", "publishedUser", "status", "selfUri"},
	"WebDeployment": {"id", "name", "description", "allowAllDomains", "allowedDomains", "supportedContent", "snippet", "dateCreated",
		"dateModified", "lastModifiedUser", "flow", "status", "pushIntegrations", "configuration", "selfUri"},
}

// onlyModelFields fails for a top-level field the model does not define.
func onlyModelFields(t *testing.T, what, model string, v map[string]any) {
	t.Helper()
	if model == "" {
		return
	}
	fields, ok := models[model]
	if !ok {
		t.Fatalf("no field list for model %s", model)
	}
	for k := range v {
		if !slices.Contains(fields, k) {
			t.Errorf("%s: field %q is not in the %s model", what, k, model)
		}
	}
}

type created struct {
	role, client, credential, integration, queue, config, deployment string
	actions, flows                                                   []string
	reads                                                            map[string]map[string]any // GET path -> first read
}

// TestProviderCallSequenceAgainstEmptyOrg applies the root bundle the way
// the real provider does against `org serve --empty`, refreshes it (a
// second read of every object equals the first and what was sent, so the
// second plan is empty), runs a conversation through the flows Terraform
// published, and destroys it, leaving only the home division.
func TestProviderCallSequenceAgainstEmptyOrg(t *testing.T) {
	e, c, m := startEmpty(t, root)
	k := created{reads: map[string]map[string]any{}}
	read := func(p, model string, fields ...string) map[string]any {
		v := c.call("GET", p, nil, 200)
		mustHave(t, "GET "+p, v, fields...)
		onlyModelFields(t, "GET "+p, model, v)
		k.reads[p] = v
		return v
	}

	// Provider set-up (provider.go getOrganizationMe, getAuthorizationProducts).
	mustHave(t, "organizations/me", c.call("GET", "/api/v2/organizations/me", nil, 200), "defaultCountryCode")
	mustHave(t, "products", c.call("GET", "/api/v2/authorization/products", nil, 200), "entities", "total")
	home := c.call("GET", "/api/v2/authorization/divisions/home", nil, 200)
	homeID, _ := home["id"].(string)
	mustHave(t, "home division", home, "id", "name", "description")

	// genesyscloud_auth_role: validatePermissionPolicy per domain, then
	// PostAuthorizationRoles with permissions [] and the policies.
	role := m.ByKind("role")[0]
	policies := []map[string]any{
		{"domain": "externalContacts", "entityName": "contact", "actionSet": []string{"view"}},
		{"domain": "conversation", "entityName": "communication", "actionSet": []string{"view"}},
		{"domain": "externalContacts", "entityName": "identity", "actionSet": []string{"merge"}},
	}
	for _, p := range policies {
		perms := c.call("GET", "/api/v2/authorization/permissions?pageSize=100&pageNumber=1&queryType=domain&query="+p["domain"].(string), nil, 200)
		mustHave(t, "permissions", perms, "entities", "pageCount")
		ents, _ := perms["entities"].([]any)
		if len(ents) == 0 || path(ents[0], "permissionMap."+p["entityName"].(string)) == nil {
			t.Fatalf("permissions of %s: no permissionMap entry for %s: %v", p["domain"], p["entityName"], perms)
		}
	}
	roleBody := map[string]any{"name": role.Name, "description": "bpgen data actions", "permissions": []string{}, "permissionPolicies": policies}
	k.role = c.call("POST", "/api/v2/authorization/roles", roleBody, 200)["id"].(string)
	gotRole := read("/api/v2/authorization/roles/"+k.role, "DomainOrganizationRole", "name", "permissions", "permissionPolicies")
	sameFields(t, "role", map[string]any{"name": role.Name, "permissions": []string{}}, gotRole)

	// The client-credentials path: an administrator grants the role to the
	// Terraform client once (README), since a caller can only grant roles it holds.
	rd := []map[string]any{{"roleId": k.role, "divisionId": homeID}}
	c.call("PUT", "/emulator/oauth/clients/"+e.ClientID+"/roles", rd, 200)

	// genesyscloud_oauth_client: tokens/me (updateTerraformUserWithRole), create
	// (the secret is read once), the integration credential, read.
	tok := c.call("GET", "/api/v2/tokens/me", nil, 200)
	mustHave(t, "tokens/me", tok, "OAuthClient.organization.id")
	if path(tok, "OAuthClient.organization.id") == "purecloud-builtin" {
		t.Error("tokens/me names the built-in org: the provider would take the user-token path")
	}
	clientBody := map[string]any{"name": "Identity Resolution Data Actions", "description": "bpgen", "accessTokenValiditySeconds": 86400,
		"authorizedGrantType": "CLIENT-CREDENTIALS", "state": "active", "roleDivisions": rd}
	cl := c.call("POST", "/api/v2/oauth/clients", clientBody, 200)
	mustHave(t, "oauth client", cl, "id", "secret")
	k.client = cl["id"].(string)
	cred := c.call("POST", "/api/v2/integrations/credentials", map[string]any{"name": "Identity Resolution Data Actions",
		"type": map[string]any{"name": "pureCloudOAuthClient"}, "credentialFields": map[string]any{"clientId": k.client, "clientSecret": cl["secret"]}}, 200)
	k.credential = cred["id"].(string)
	gotClient := read("/api/v2/oauth/clients/"+k.client, "OAuthClient", "name", "state", "roleDivisions", "accessTokenValiditySeconds", "authorizedGrantType")
	delete(clientBody, "roleDivisions")
	sameFields(t, "oauth client", clientBody, gotClient)

	// genesyscloud_integration: create with the type, config (GET, PUT with
	// the current version), PATCH intended state, read (integration + config).
	in := c.call("POST", "/api/v2/integrations", map[string]any{"integrationType": map[string]any{"id": org.IntegrationTypeDataActions}}, 200)
	k.integration = in["id"].(string)
	cfgPath := "/api/v2/integrations/" + k.integration + "/config/current"
	cur := c.call("GET", cfgPath, nil, 200)
	mustHave(t, "integration config", cur, "name", "notes", "properties", "advanced", "credentials", "version")
	cfg := map[string]any{"name": "Identity Resolution Data Actions", "notes": "bpgen", "version": cur["version"], "properties": cur["properties"],
		"advanced": cur["advanced"], "credentials": map[string]any{org.CredentialTypeOAuthClient: map[string]any{"id": k.credential}}}
	c.call("PUT", cfgPath, cfg, 200)
	// A stale version is a 409, which util.IsVersionMismatch retries on.
	if raw, resp := c.raw("PUT", c.base+cfgPath, cfg, nil, true); resp.StatusCode != http.StatusConflict {
		t.Errorf("PUT config with a stale version: %d %s, want 409", resp.StatusCode, raw)
	}
	c.call("PATCH", "/api/v2/integrations/"+k.integration, map[string]any{"intendedState": org.IntegrationEnabled}, 200)
	gotIn := read("/api/v2/integrations/"+k.integration+"?pageSize=100&pageNumber=1", "Integration", "name", "integrationType.id", "intendedState")
	sameFields(t, "integration", map[string]any{"intendedState": org.IntegrationEnabled}, gotIn)
	gotCfg := read(cfgPath, "IntegrationConfiguration", "name", "notes", "credentials."+org.CredentialTypeOAuthClient+".id")
	sameFields(t, "integration config", map[string]any{"name": cfg["name"], "notes": cfg["notes"]}, gotCfg)

	// genesyscloud_integration_action: POST the whole action, read with
	// expand=contract&includeConfig=true and both templates as text.
	for _, a := range m.ByKind("data_action") {
		def, err := fmtda.Parse(mustRead(t, filepath.Join(root, a.File)))
		if err != nil {
			t.Fatal(err)
		}
		body := map[string]any{"name": def.Name, "category": a.Category, "integrationId": k.integration, "secure": def.Secure,
			"config": def.Config, "contract": def.Contract}
		id := c.call("POST", "/api/v2/integrations/actions", body, 200)["id"].(string)
		k.actions = append(k.actions, id)
		got := read("/api/v2/integrations/actions/"+id+"?expand=contract&includeConfig=true", "Action", "name", "category", "integrationId",
			"config.timeoutSeconds", "contract.input.inputSchema", "contract.output.successSchema", "config.request", "config.response")
		sameFields(t, "action "+a.Name, map[string]any{"name": def.Name, "category": a.Category, "contract": def.Contract}, got)
		for file, want := range map[string]string{"requesttemplate.vm": def.Config.Request.RequestTemplate, "successtemplate.vm": def.Config.Response.SuccessTemplate} {
			raw, resp := c.raw("GET", c.base+"/api/v2/integrations/actions/"+id+"/templates/"+file, nil, map[string]string{"Accept": "*/*"}, true)
			if resp.StatusCode != 200 || string(raw) != want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Errorf("template %s of %s: %d %q (%s), want %q", file, a.Name, resp.StatusCode, raw, resp.Header.Get("Content-Type"), want)
			}
		}
	}

	// genesyscloud_routing_queue: the provider sends its schema defaults and
	// empty strings for what is unset (getRoutingQueueFromResourceData).
	q := m.ByKind("queue")[0]
	queueBody := map[string]any{"name": q.Name, "description": "bpgen", "division": map[string]any{"id": homeID},
		"acwSettings": map[string]any{"wrapupPrompt": "MANDATORY_TIMEOUT"}, "skillEvaluationMethod": "ALL", "scoringMethod": "TimestampAndPriority",
		"autoAnswerOnly": true, "enableTranscription": false, "suppressInQueueCallRecording": true, "enableManualAssignment": false,
		"enableAudioMonitoring": false, "callingPartyName": "", "callingPartyNumber": "", "peerId": "", "lastAgentRoutingMode": "",
		"memberGroups":  []any{},
		"mediaSettings": map[string]any{"message": map[string]any{"alertingTimeoutSeconds": 30, "serviceLevel": map[string]any{"percentage": 0.8, "durationMs": 20000}}}}
	k.queue = c.call("POST", "/api/v2/routing/queues", queueBody, 200)["id"].(string)
	gotQ := read("/api/v2/routing/queues/"+k.queue, "Queue", "division.id", "acwSettings", "scoringMethod", "skillEvaluationMethod")
	delete(queueBody, "division")
	sameFields(t, "queue", queueBody, gotQ)
	read("/api/v2/routing/queues/"+k.queue+"/wrapupcodes?pageSize=100&pageNumber=1", "", "entities", "pageCount")
	read("/api/v2/routing/queues/"+k.queue+"/members?pageSize=100&pageNumber=1", "", "entities")

	// genesyscloud_flow, callees first: job, upload of the substituted YAML
	// to the presigned URL with its headers, poll with expand=messages.
	for _, key := range []string{"flow.bot", "flow.resolve_contact", "flow.inbound"} {
		f := m.Object(key)
		text := f.Substitute(mustRead(t, filepath.Join(root, f.File)), func(ref string) string { return home["name"].(string) })
		k.flows = append(k.flows, publishFlow(t, c, text))
		got := read("/api/v2/flows/"+k.flows[len(k.flows)-1], "Flow", "name", "type")
		if got["name"] != f.Name {
			t.Errorf("flow %s published as %v", f.Name, got["name"])
		}
	}

	// genesyscloud_webdeployments_configuration and _deployment.
	mc := m.ByKind("messenger_configuration")[0]
	cfgBody := map[string]any{"name": mc.Name, "description": "bpgen", "languages": []string{"en-us"}, "defaultLanguage": "en-us",
		"messenger":     map[string]any{"enabled": true, "launcherButton": map[string]any{"visibility": "On"}, "apps": map[string]any{"conversations": map[string]any{"enabled": true}}},
		"journeyEvents": map[string]any{"enabled": false}}
	k.config = c.call("POST", "/api/v2/webdeployments/configurations", cfgBody, 200)["id"].(string)
	mustHave(t, "draft", c.call("GET", "/api/v2/webdeployments/configurations/"+k.config+"/versions/draft", nil, 200), "status")
	pub := c.call("POST", "/api/v2/webdeployments/configurations/"+k.config+"/versions/draft/publish", nil, 200)
	if pub["version"] != "1" {
		t.Fatalf("published version %v, want 1", pub["version"])
	}
	versions := c.call("GET", "/api/v2/webdeployments/configurations/"+k.config+"/versions", nil, 200)
	mustHave(t, "versions", versions, "entities")
	gotCfgV := read("/api/v2/webdeployments/configurations/"+k.config+"/versions/1", "WebDeploymentConfigurationVersion", "name", "status", "version", "messenger")
	sameFields(t, "messenger configuration", cfgBody, gotCfgV)
	c.call("GET", "/api/v2/webdeployments/configurations/"+k.config+"/versions/DRAFT", nil, 200)
	depBody := map[string]any{"name": "Identity Resolution Messenger", "description": "bpgen", "allowAllDomains": true, "allowedDomains": []string{},
		"flow": map[string]any{"id": k.flows[2]}, "status": "Active", "configuration": map[string]any{"id": k.config, "version": "1"}}
	k.deployment = c.call("POST", "/api/v2/webdeployments/deployments", depBody, 200)["id"].(string)
	gotDep := read("/api/v2/webdeployments/deployments/"+k.deployment, "WebDeployment", "status", "flow.id", "configuration.version")
	sameFields(t, "deployment", map[string]any{"name": depBody["name"], "allowAllDomains": true, "status": "Active"}, gotDep)

	// The next plan: every read again, unchanged.
	for p, first := range k.reads {
		if again := c.call("GET", p, nil, 200); !reflect.DeepEqual(again, first) {
			a, _ := json.Marshal(first)
			b, _ := json.Marshal(again)
			t.Errorf("GET %s changed between two refreshes:\n%s\n%s", p, a, b)
		}
	}

	// A customer talks to the flows Terraform published.
	converse(t, e, k.deployment, q.Name)

	// bpgen wire and bpgen verify pass on the provider's outputs.
	ids := map[string]string{"division": homeID, "role": k.role, "oauth_client": k.client, "integration": k.integration, "queue": k.queue,
		"flow.bot": k.flows[0], "flow.resolve_contact": k.flows[1], "flow.inbound": k.flows[2],
		"messenger_configuration": k.config, "messenger_deployment": k.deployment}
	for i, a := range m.ByKind("data_action") {
		ids[a.ID] = k.actions[i]
	}
	outputs := map[string]string{}
	for _, obj := range m.Objects {
		if obj.Output != "" {
			outputs[obj.Output] = ids[obj.ID]
		}
	}
	ac, vb, res := wireAndVerify(t, e, root, outputs)
	if len(res.Checks) == 0 || res.Conversation == nil || res.Conversation.Skipped != "" {
		t.Errorf("verify checked %d objects and no conversation (%+v)", len(res.Checks), res.Conversation)
	}
	t.Logf("verify: %d checks passed", len(res.Checks))

	// terraform destroy, dependents first; the OAuth client is set inactive first.
	c.call("DELETE", "/api/v2/webdeployments/deployments/"+k.deployment, nil, 204)
	c.call("DELETE", "/api/v2/webdeployments/configurations/"+k.config, nil, 204)
	for i := len(k.flows) - 1; i >= 0; i-- {
		c.call("DELETE", "/api/v2/flows/"+k.flows[i], nil, 204)
	}
	c.call("DELETE", "/api/v2/routing/queues/"+k.queue, nil, 204)
	for _, a := range k.actions {
		c.call("DELETE", "/api/v2/integrations/actions/"+a, nil, 204)
	}
	c.call("DELETE", "/api/v2/integrations/"+k.integration, nil, 204)
	c.call("DELETE", "/api/v2/integrations/credentials/"+k.credential, nil, 204)
	inactive := map[string]any{"name": clientBody["name"], "description": clientBody["description"], "accessTokenValiditySeconds": 86400,
		"authorizedGrantType": "CLIENT-CREDENTIALS", "state": "inactive", "roleDivisions": rd}
	if got := c.call("PUT", "/api/v2/oauth/clients/"+k.client, inactive, 200); got["state"] != "inactive" {
		t.Errorf("state after PUT inactive: %v", got["state"])
	}
	c.call("DELETE", "/api/v2/oauth/clients/"+k.client, nil, 204)
	c.call("GET", "/api/v2/oauth/clients/"+k.client, nil, 404)
	c.call("DELETE", "/api/v2/authorization/roles/"+k.role, nil, 204)
	for _, f := range verify.Destroyed(context.Background(), ac, vb, outputs, verify.Options{}).Failed() {
		t.Errorf("after destroy: FAIL %s %s: %s", f.Object, f.What, f.Detail)
	}
	for _, list := range []string{"/api/v2/routing/queues", "/api/v2/flows", "/api/v2/integrations", "/api/v2/integrations/actions",
		"/api/v2/integrations/credentials", "/api/v2/webdeployments/deployments", "/api/v2/webdeployments/configurations", "/api/v2/authorization/roles"} {
		if ents, _ := c.call("GET", list, nil, 200)["entities"].([]any); len(ents) != 0 {
			t.Errorf("after destroy %s still lists %d objects", list, len(ents))
		}
	}
}

// startEmpty serves an empty org for bundle's tests, with a client speaking
// as the provider and the bundle's manifest; the org closes with the test.
func startEmpty(t *testing.T, bundle string) (*stack.Org, *tfClient, *manifest.Manifest) {
	t.Helper()
	e, err := stack.StartEmpty(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	m, err := manifest.Parse(mustRead(t, filepath.Join(bundle, manifest.Path)))
	if err != nil {
		t.Fatal(err)
	}
	return e, newTFClient(t, e), m
}

// wireAndVerify runs bpgen wire and bpgen verify (a conversation included)
// on a deployment's outputs, failing for every failed check.
func wireAndVerify(t *testing.T, e *stack.Org, bundle string, outputs map[string]string) (*api.Client, *verify.Bundle, verify.Result) {
	t.Helper()
	vb, err := verify.LoadBundle(bundle)
	if err != nil {
		t.Fatal(err)
	}
	ac, err := e.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	changes, err := wire.Plan(ctx, ac, vb.Manifest, outputs)
	if err == nil {
		_, err = wire.Apply(ctx, ac, changes)
	}
	if err != nil {
		t.Fatalf("wire: %v", err)
	}
	res := verify.Run(ctx, ac, vb, outputs, verify.RunOptions{Conversation: verify.ConversationOptions{Settle: e.Settle,
		PollInterval: 10 * time.Millisecond, ReplyTimeout: 15 * time.Second, Timeout: time.Minute}})
	for _, f := range res.Failed() {
		t.Errorf("verify: FAIL %s %s: %s", f.Object, f.What, f.Detail)
	}
	return ac, vb, res
}

func publishFlow(t *testing.T, c *tfClient, text []byte) string {
	t.Helper()
	job := c.call("POST", "/api/v2/flows/jobs", nil, 200)
	mustHave(t, "flow job", job, "id", "presignedUrl", "headers")
	headers := map[string]string{}
	for k, v := range job["headers"].(map[string]any) {
		headers[k] = v.(string)
	}
	// util/files S3Uploader: the given headers, no token, 200 expected.
	if raw, resp := c.raw("PUT", job["presignedUrl"].(string), text, headers, false); resp.StatusCode != 200 {
		t.Fatalf("upload: %d %s", resp.StatusCode, raw)
	}
	st := c.call("GET", "/api/v2/flows/jobs/"+job["id"].(string)+"?expand=messages", nil, 200)
	if st["status"] != "Success" {
		t.Fatalf("flow job %v: %v", st["status"], st["messages"])
	}
	return path(st, "flow.id").(string)
}

// converse starts a web-messaging conversation on the deployment, answers
// the bot's question and expects the flows to end in the queue.
func converse(t *testing.T, e *stack.Org, deploymentID, queue string) *architect.Result {
	t.Helper()
	conv, err := e.Org.StartConversation(org.StartConversationOptions{Channel: org.ChannelWebMessaging, DeploymentID: deploymentID, Text: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for answered := false; !answered; {
		cv, err := e.Org.Conversation(conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, msg := range cv.Messages {
			if msg.Direction == "outbound" {
				answered = true
			}
		}
		if res, ok := e.Runtime.Result(conv.ID); ok {
			t.Fatalf("the flow ended before asking: %s %s", res.Ended, res.Error)
		}
		if ctx.Err() != nil {
			t.Fatal("the bot never spoke")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := e.Org.SendCustomerMessage(conv.ID, "jane.doe@example.com"); err != nil {
		t.Fatal(err)
	}
	res, err := e.Runtime.Wait(ctx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ended != "transferred" || res.Queue != queue || res.Error != "" || res.DataActionCalls == 0 {
		t.Errorf("conversation ended %s in %q (error %q, %d data-action calls); want transferred to %q through the data actions",
			res.Ended, res.Queue, res.Error, res.DataActionCalls, queue)
	}
	return res
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A flow Architect would reject fails its job with the compiler's
// file:line message, and nothing is published; a valid one succeeds.
func TestInvalidFlowFailsItsJob(t *testing.T) {
	_, c, m := startEmpty(t, root)
	bot := m.Object("flow.bot")
	botText := bot.Substitute(mustRead(t, filepath.Join(root, bot.File)), func(string) string { return "Home" })
	for name, tc := range map[string]struct {
		text []byte
		want string
	}{
		"yaml":     {[]byte("inboundShortMessage: [unclosed\n"), "uploaded flow: invalid YAML"},
		"division": {bytesReplace(botText, `division: "Home"`, `division: "Nowhere"`), `division "Nowhere" does not exist`},
		// The inbound flow names a queue and flows that do not exist yet.
		"reference": {m.Object("flow.inbound").Substitute(mustRead(t, filepath.Join(root, m.Object("flow.inbound").File)), func(string) string { return "Home" }), "uploaded flow:"},
	} {
		job := c.call("POST", "/api/v2/flows/jobs", nil, 200)
		c.raw("PUT", job["presignedUrl"].(string), tc.text, nil, false)
		st := c.call("GET", "/api/v2/flows/jobs/"+job["id"].(string)+"?expand=messages", nil, 200)
		var msgs string
		for _, m := range st["messages"].([]any) {
			msgs += path(m, "text").(string) + "\n"
		}
		t.Logf("%s: %s", name, strings.TrimSpace(msgs))
		if st["status"] != "Failure" || !strings.Contains(msgs, tc.want) {
			t.Errorf("%s: job %v with messages %s, want Failure mentioning %q", name, st["status"], msgs, tc.want)
		}
	}
	if ents, _ := c.call("GET", "/api/v2/flows", nil, 200)["entities"].([]any); len(ents) != 0 {
		t.Errorf("failed jobs published %d flows", len(ents))
	}
	if id := publishFlow(t, c, botText); id == "" {
		t.Error("the valid bot flow did not publish")
	}
}

func bytesReplace(b []byte, old, new string) []byte {
	if !bytes.Contains(b, []byte(old)) {
		panic("fixture text not found: " + old)
	}
	return bytes.ReplaceAll(b, []byte(old), []byte(new))
}

// With several inbound message flows published, a conversation runs the one
// its Messenger deployment names, as on the platform.
func TestConversationRunsItsDeploymentsFlow(t *testing.T) {
	e, c, m := startEmpty(t, root)
	d, err := deploy.Apply(e.Org, root, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Destroy()
	inbound := m.Object("flow.inbound")
	text := inbound.Substitute(mustRead(t, filepath.Join(root, inbound.File)), func(string) string { return "Home" })
	second := bytesReplace(text, "name: "+inbound.Name+"\n", "name: Second Inbound\n")
	secondID := publishFlow(t, c, second)
	cfgID, _ := d.Object("messenger_configuration")
	dep, err := e.Org.CreateWebDeployment(org.WebDeployment{Name: "second", FlowID: secondID, ConfigurationID: cfgID.OrgID})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := d.Object("messenger_deployment")
	for want, depID := range map[string]string{inbound.Name: first.OrgID, "Second Inbound": dep.ID} {
		res := converse(t, e, depID, m.ByKind("queue")[0].Name)
		ran := ""
		for _, s := range res.Trace {
			if s.Kind == architect.StepFlow {
				ran = s.Name
				break
			}
		}
		if ran != "inbound message flow "+strconv.Quote(want) {
			t.Errorf("deployment %s ran %q, want the inbound flow %q", depID, ran, want)
		}
	}
}
