package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/org"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
	"github.com/bpgen/bpgen/internal/platform/guest"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/testutil"
)

const (
	harnessID     = "harness"
	harnessSecret = "harness-secret-0123456789"
)

// bundles are the repository's committed bundles: the root and every example.
func bundles(t *testing.T) []string {
	t.Helper()
	dirs := testutil.CommittedBundles(t, "../../..")
	if len(dirs) < 5 {
		t.Fatalf("found only %v", dirs)
	}
	return dirs
}

type env struct {
	org *org.Org
	srv *httptest.Server
	c   *api.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	o := org.New()
	if err := o.RegisterClient(org.OAuthClient{ID: harnessID, Secret: harnessSecret}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(o.Handler())
	t.Cleanup(srv.Close)
	t.Cleanup(o.CloseGuestSessions)
	ep, err := api.LocalEndpoints(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Config{Endpoints: ep, ClientID: harnessID, ClientSecret: harnessSecret, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &env{org: o, srv: srv, c: c}
}

var outputRE = regexp.MustCompile(`(?m)^output "([^"]+)"`)

// terraformOutputs lists the output names the bundle's outputs.tf declares:
// exactly what `terraform output` would print after a real apply.
func terraformOutputs(t *testing.T, dir string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "terraform", "outputs.tf"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range outputRE.FindAllSubmatch(raw, -1) {
		out = append(out, string(m[1]))
	}
	slices.Sort(out)
	return out
}

func TestApplyDestroyCommittedBundles(t *testing.T) {
	for _, dir := range bundles(t) {
		t.Run(filepath.Base(filepath.Clean(dir)), func(t *testing.T) {
			e := newEnv(t)
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			d, err := Apply(e.org, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k, v := range d.Outputs {
				keys = append(keys, k)
				if v == "" {
					t.Errorf("output %s is empty", k)
				}
			}
			slices.Sort(keys)
			if want := terraformOutputs(t, dir); !slices.Equal(keys, want) {
				t.Fatalf("outputs %v, want the outputs.tf names %v", keys, want)
			}
			verifyDeployment(ctx, t, e, d)

			if err := d.Destroy(); err != nil {
				t.Fatal(err)
			}
			verifyDestroyed(ctx, t, e, d)
			if err := d.Destroy(); err != nil {
				t.Fatalf("second Destroy: %v", err)
			}
		})
	}
}

// verifyDeployment checks, through the API client as the harness does, that
// every object exists with its expected name, type and wiring, and that the
// lookup action works against a seeded contact.
func verifyDeployment(ctx context.Context, t *testing.T, e *env, d *Deployment) {
	t.Helper()
	out := d.Outputs
	m := d.Manifest
	integrationID := out["integration_id"]
	for _, mo := range m.Objects {
		id := out[mo.Output]
		switch mo.Kind {
		case "flow":
			f, err := e.c.GetFlow(ctx, id)
			if err != nil {
				t.Fatalf("flow %s: %v", mo.ID, err)
			}
			if f.Name != mo.Name || !strings.EqualFold(f.Type, mo.FlowType) || !f.Published() || f.Division == nil || f.Division.ID != out["division_id"] {
				t.Errorf("flow %s: %+v", mo.ID, f)
			}
			if found, err := e.c.FindFlow(ctx, mo.Name, mo.FlowType); err != nil || found.ID != id {
				t.Errorf("FindFlow %q: %v", mo.Name, err)
			}
			def, _ := e.org.Flow(id)
			if bytes.Contains(def.Definition, []byte("{{")) {
				t.Errorf("flow %s published with placeholders left", mo.ID)
			}
			div, _ := json.Marshal(d.objectByKind("division").Name)
			if !bytes.Contains(def.Definition, div) {
				t.Errorf("flow %s: the division name %s was not substituted", mo.ID, div)
			}
		case "data_action":
			a, err := e.c.GetAction(ctx, id)
			if err != nil {
				t.Fatalf("action %s: %v", mo.ID, err)
			}
			raw, _ := os.ReadFile(filepath.Join(d.Dir, mo.File))
			def, _ := fmtda.Parse(raw)
			if a.Name != mo.Name || a.Category != mo.Category || a.IntegrationID != integrationID ||
				a.Config == nil || !reflect.DeepEqual(*a.Config, def.Config) || a.Contract == nil ||
				!jsonEqual(a.Contract.Input.InputSchema, def.Contract.Input.InputSchema) || !jsonEqual(a.Contract.Output.SuccessSchema, def.Contract.Output.SuccessSchema) {
				t.Errorf("action %s: %+v", mo.ID, a)
			}
		case "integration":
			in, err := e.c.GetIntegration(ctx, id)
			if err != nil || in.IntendedState != "ENABLED" || in.ReportedState == nil || in.ReportedState.Code != "ACTIVE" {
				t.Errorf("integration: %v %+v", err, in)
			}
		case "queue":
			if q, err := e.c.GetQueue(ctx, id); err != nil || q.Name != mo.Name {
				t.Errorf("queue: %v %+v", err, q)
			}
		case "role":
			r, err := e.c.GetRole(ctx, id)
			if err != nil || r.Name != mo.Name || len(r.PermissionPolicies) == 0 || !r.Allows("externalContacts", "contact", "view") {
				t.Errorf("role: %v %+v", err, r)
			}
		case "oauth_client":
			c, err := e.c.GetOAuthClient(ctx, id)
			if err != nil || c.Name != mo.Name || c.AccessTokenValiditySeconds != 86400 || len(c.RoleDivisions) != 1 || c.RoleDivisions[0].RoleID != out["auth_role_id"] {
				t.Errorf("oauth client: %v %+v", err, c)
			}
		case "messenger_deployment":
			dep, err := e.c.GetWebDeployment(ctx, id)
			if err != nil || dep.Status != "Active" || dep.Flow == nil || dep.Flow.ID != out["inbound_flow_id"] ||
				dep.Configuration == nil || dep.Configuration.ID != out["messenger_configuration_id"] || dep.Name != mo.Name {
				t.Errorf("messenger deployment: %v %+v", err, dep)
			}
		case "open_messaging_integration":
			oi, err := e.c.GetOpenIntegration(ctx, id)
			if err != nil || oi.Name != mo.Name || oi.Recipient == nil {
				t.Fatalf("open integration: %v %+v", err, oi)
			}
			// Terraform cannot bind the recipient: `bpgen wire` does.
			if r, err := e.c.GetMessageRecipient(ctx, oi.Recipient.ID); err != nil || r.Flow != nil {
				t.Errorf("recipient before wire: %v %+v", err, r)
			}
			if ir, err := e.c.GetOpenIdentityResolution(ctx, id); err != nil || ir.ResolveIdentities {
				t.Errorf("identity resolution before wire: %v %+v", err, ir)
			}
		}
	}

	// The lookup action passes /test against a contact seeded with the
	// bundle's first identifier.
	contact, input := seedFor(t, d)
	seeded, err := e.c.CreateExternalContact(ctx, contact)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.c.TestAction(ctx, out["lookup_action_id"], input)
	var final struct {
		ID string `json:"id"`
	}
	if err != nil || !res.Success || json.Unmarshal(res.FinalResult, &final) != nil || final.ID != seeded.ID {
		t.Fatalf("lookup /test: %v %+v", err, res)
	}
	if err := e.c.DeleteExternalContact(ctx, seeded.ID); err != nil {
		t.Fatal(err)
	}
}

// seedFor returns a curated contact with a unique value of the bundle's
// first identifier, and the lookup action's input that finds it.
func seedFor(t *testing.T, d *Deployment) (apimodel.ExternalContact, map[string]string) {
	t.Helper()
	c := apimodel.ExternalContact{FirstName: "Ver", LastName: "Ify"}
	switch typ := d.Manifest.Identifiers[0].Type; typ {
	case "Email":
		v := "verify+" + time.Now().Format("150405.000000") + "@example.com"
		c.WorkEmail = v
		return c, map[string]string{"type": typ, "value": v}
	case "Phone":
		c.CellPhone = &apimodel.PhoneNumber{Display: "+13175550123"}
		return c, map[string]string{"type": typ, "value": "+13175550123"}
	case "ExternalId":
		src := d.Outputs["external_source_id"]
		c.ExternalIDs = []apimodel.ExternalID{{ExternalSource: &apimodel.ExternalSource{ID: src}, Value: "cust-verify"}}
		return c, map[string]string{"type": typ, "value": "cust-verify", "externalSourceId": src}
	default:
		t.Fatalf("no seed for identifier type %s", typ)
		return c, nil
	}
}

func (d *Deployment) objectByKind(kind string) Object {
	for _, o := range d.Objects {
		if o.Kind == kind {
			return o
		}
	}
	return Object{}
}

// verifyDestroyed checks every managed object is gone (404) and what was
// only looked up, or stood in for, is still there.
func verifyDestroyed(ctx context.Context, t *testing.T, e *env, d *Deployment) {
	t.Helper()
	paths := map[string]string{
		"role": "/api/v2/authorization/roles/", "oauth_client": "/api/v2/oauth/clients/", "integration": "/api/v2/integrations/",
		"data_action": "/api/v2/integrations/actions/", "queue": "/api/v2/routing/queues/", "external_source": "/api/v2/externalcontacts/externalsources/",
		"flow": "/api/v2/flows/", "messenger_deployment": "/api/v2/webdeployments/deployments/",
		"open_messaging_integration": "/api/v2/conversations/messaging/integrations/open/",
		"integration_credential":     "/api/v2/integrations/credentials/",
	}
	for _, obj := range d.Objects {
		p, ok := paths[obj.Kind]
		if !ok {
			continue
		}
		err := e.c.Do(ctx, http.MethodGet, p+obj.OrgID, nil, nil)
		switch {
		case obj.Managed && !api.IsNotFound(err):
			t.Errorf("%s %s after destroy: %v", obj.Kind, obj.OrgID, err)
		case !obj.Managed && err != nil:
			t.Errorf("looked-up %s %s is gone after destroy: %v", obj.Kind, obj.OrgID, err)
		}
	}
	if _, err := e.org.MessengerConfiguration(d.Outputs["messenger_configuration_id"]); d.Outputs["messenger_configuration_id"] != "" && !org.IsNotFound(err) {
		t.Errorf("messenger configuration after destroy: %v", err)
	}
	for _, f := range d.Fixtures {
		if f.Managed || !f.Fixture {
			t.Errorf("fixture %+v", f)
		}
	}
	if len(e.org.Flows()) != 0 || len(e.org.DataActions()) != 0 {
		t.Errorf("left behind: %d flows, %d actions", len(e.org.Flows()), len(e.org.DataActions()))
	}
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func TestKitchenSinkFixturesAndSettings(t *testing.T) {
	e := newEnv(t)
	d, err := Apply(e.org, "../../../examples/kitchen-sink", &Options{Vars: map[string]string{"messenger_allowed_domains": `["shop.example.com", "*.example.org"]`}})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Object{}
	for _, f := range d.Fixtures {
		kinds[f.Kind] = f
	}
	if kinds["division"].Name != "Support: EMEA #1" || kinds["queue"].Name != "Queue: Ümlaut # 1" || kinds["external_source"].Name != "CRM" || len(d.Fixtures) != 3 {
		t.Fatalf("fixtures %+v", d.Fixtures)
	}
	if q, _ := e.org.Queue(d.Outputs["queue_id"]); q.DivisionID != d.Outputs["division_id"] {
		t.Fatalf("fixture queue in division %s, want %s", q.DivisionID, d.Outputs["division_id"])
	}
	// The resolve flow was substituted with the external source's id.
	f, _ := e.org.Flow(d.Outputs["resolve_contact_flow_id"])
	if !bytes.Contains(f.Definition, []byte(`"`+d.Outputs["external_source_id"]+`"`)) {
		t.Fatal("external_source_id was not substituted")
	}
	// Settings from the Terraform files and variables.
	dep, _ := e.org.WebDeployment(d.Outputs["messenger_deployment_id"])
	if dep.AllowAllDomains || !slices.Equal(dep.AllowedDomains, []string{"shop.example.com", "*.example.org"}) || dep.Description == "" {
		t.Fatalf("deployment %+v", dep)
	}
	cfg, _ := e.org.MessengerConfiguration(d.Outputs["messenger_configuration_id"])
	if !slices.Equal(cfg.Languages, []string{"en-gb"}) || cfg.DefaultLanguage != "en-gb" {
		t.Fatalf("configuration %+v", cfg)
	}
	oi, _ := e.org.OpenIntegration(d.Outputs["open_messaging_integration_id"])
	if oi.WebhookURL != "https://hooks.example.com/gc" || len(oi.WebhookSecret) <= 15 {
		t.Fatalf("open integration %+v", oi)
	}
	role, _ := e.org.Role(d.Outputs["auth_role_id"])
	if got := role.Permissions(); !slices.Equal(got, []string{"externalContacts:contact:view", "conversation:communication:view", "externalContacts:identity:merge"}) {
		t.Fatalf("role permissions %v", got)
	}
	client, _ := e.org.OAuthClient(d.Outputs["oauth_client_id"])
	if client.RoleDivisions[0].DivisionID != org.AllDivisions {
		t.Fatalf("allDivisions client %+v", client.RoleDivisions)
	}
	if err := d.Destroy(); err != nil {
		t.Fatal(err)
	}
	// A second apply reuses the fixtures.
	d2, err := Apply(e.org, "../../../examples/kitchen-sink", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d2.Fixtures) != 0 || d2.Outputs["division_id"] != d.Outputs["division_id"] || d2.Outputs["queue_id"] != d.Outputs["queue_id"] {
		t.Fatalf("second apply made new fixtures %+v", d2.Fixtures)
	}
	if err := d2.Destroy(); err != nil {
		t.Fatal(err)
	}
}

func TestStrict(t *testing.T) {
	e := newEnv(t)
	_, err := Apply(e.org, "../../../examples/kitchen-sink", &Options{Strict: true})
	if err == nil || !strings.Contains(err.Error(), "open_messaging_webhook_secret") {
		t.Fatalf("strict without the secret: %v", err)
	}
	vars := map[string]string{"open_messaging_webhook_secret": "a-secret-longer-than-15"}
	_, err = Apply(e.org, "../../../examples/kitchen-sink", &Options{Strict: true, Vars: vars})
	if err == nil || !strings.Contains(err.Error(), `no division named "Support: EMEA #1"`) {
		t.Fatalf("strict without the division: %v", err)
	}
	div, _ := e.org.CreateDivision(org.Division{Name: "Support: EMEA #1"})
	if _, err := e.org.CreateQueue(org.Queue{Name: "Queue: Ümlaut # 1", DivisionID: div.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = Apply(e.org, "../../../examples/kitchen-sink", &Options{Strict: true, Vars: vars})
	if err == nil || !strings.Contains(err.Error(), `no external source named "CRM"`) {
		t.Fatalf("strict without the external source: %v", err)
	}
	// The failed applies left nothing behind.
	if n := len(e.org.Flows()) + len(e.org.DataActions()); n != 0 {
		t.Fatalf("%d objects left by failed applies", n)
	}
	if _, err := e.org.CreateExternalSource(org.ExternalSource{Name: "CRM"}); err != nil {
		t.Fatal(err)
	}
	d, err := Apply(e.org, "../../../examples/kitchen-sink", &Options{Strict: true, Vars: vars})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Fixtures) != 0 {
		t.Fatalf("strict apply made fixtures %+v", d.Fixtures)
	}
	oi, _ := e.org.OpenIntegration(d.Outputs["open_messaging_integration_id"])
	if oi.WebhookSecret != vars["open_messaging_webhook_secret"] {
		t.Fatal("the secret variable did not reach the integration")
	}
	if err := d.Destroy(); err != nil {
		t.Fatal(err)
	}

	// existingClient: the client comes from the sensitive variables.
	client, _ := e.org.CreateOAuthClient(org.OAuthClient{Name: "security team's client"})
	_, err = Apply(e.org, "../../../examples/associate-existing-client", &Options{Strict: true})
	if err == nil || !strings.Contains(err.Error(), "data_actions_client_id") {
		t.Fatalf("strict without the client: %v", err)
	}
	if _, err := e.org.CreateDivision(org.Division{Name: "Customer Care"}); err != nil {
		t.Fatal(err)
	}
	d, err = Apply(e.org, "../../../examples/associate-existing-client", &Options{Strict: true, Vars: map[string]string{
		"data_actions_client_id": client.ID, "data_actions_client_secret": client.Secret,
	}})
	if err != nil {
		t.Fatal(err)
	}
	verifyDeployment(t.Context(), t, e, d)
	if err := d.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.org.OAuthClient(client.ID); err != nil {
		t.Fatal("destroy deleted the existing client")
	}
}

func TestApplyErrors(t *testing.T) {
	e := newEnv(t)
	if _, err := Apply(e.org, "../../..", &Options{Vars: map[string]string{"nope": "x"}}); err == nil || !strings.Contains(err.Error(), `no variable "nope"`) {
		t.Fatalf("unknown variable: %v", err)
	}
	// Variable validation blocks run, as in Terraform's plan.
	if _, err := Apply(e.org, "../../..", &Options{Vars: map[string]string{"messenger_allowed_domains": `["https://shop.example.com/"]`}}); err == nil || !strings.Contains(err.Error(), "must be a bare domain") {
		t.Fatalf("invalid variable: %v", err)
	}
	if _, err := Apply(e.org, t.TempDir(), nil); err == nil {
		t.Fatal("applied an empty directory")
	}
	// A clash half way (the queue name is taken) rolls everything back.
	if _, err := e.org.CreateQueue(org.Queue{Name: "Identity Resolution"}); err != nil {
		t.Fatal(err)
	}
	_, err := Apply(e.org, "../../..", nil)
	if err == nil || !strings.Contains(err.Error(), "queue") {
		t.Fatalf("queue clash: %v", err)
	}
	if n := len(e.org.DataActions()) + len(e.org.Flows()); n != 0 {
		t.Fatalf("%d objects left after a failed apply", n)
	}
	if len(e.org.Divisions()) != 1 {
		t.Fatalf("divisions left after a failed apply: %+v", e.org.Divisions())
	}
	// A bundle with an object kind Apply does not know is refused up front.
	dir := t.TempDir()
	raw, _ := os.ReadFile("../../../" + manifest.Path)
	raw = bytes.Replace(raw, []byte(`"kind": "queue"`), []byte(`"kind": "queue_v2"`), 1)
	if err := os.WriteFile(filepath.Join(dir, manifest.Path), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(e.org, dir, nil); err == nil || !strings.Contains(err.Error(), `unsupported kind "queue_v2"`) {
		t.Fatalf("unknown kind: %v", err)
	}
}

// TestConversationOnAppliedBundle is the offline path of the harness's
// conversation test: a guest opens a session on the applied deployment and
// the conversation runs the applied inbound flow with its custom attributes.
func TestConversationOnAppliedBundle(t *testing.T) {
	e := newEnv(t)
	d, err := Apply(e.org, "../../..", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Destroy()
	// Stand-in for the flow runtime: greet every new conversation.
	defer e.org.Subscribe(func(ev org.Event) {
		if ev.Type == org.EventCustomerMessage && len(ev.Conversation.Messages) == 1 {
			_, _ = e.org.SendOutboundMessage(ev.ConversationID, "Hello from "+ev.Conversation.Workflow.Name)
		}
	})()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := guest.Dial(ctx, guest.Options{URL: e.srv.URL, DeploymentID: d.Outputs["messenger_deployment_id"], KeepAlive: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	if err := s.Send(ctx, "hi", map[string]string{"testRunId": "r1"}); err != nil {
		t.Fatal(err)
	}
	inbound, _ := d.Object("flow.inbound")
	if _, err := s.WaitForOutboundText(ctx, "Hello from "+inbound.Name); err != nil {
		t.Fatal(err)
	}
	convs := e.org.Conversations()
	if len(convs) != 1 || convs[0].FlowID != d.Outputs["inbound_flow_id"] || convs[0].Customer.Attributes["testRunId"] != "r1" {
		t.Fatalf("conversation %+v", convs)
	}
	// What the flow runtime loads for it: the published, substituted YAML.
	f, err := e.org.Flow(convs[0].FlowID)
	if err != nil || !bytes.Contains(f.Definition, []byte("inboundShortMessage")) {
		t.Fatalf("flow definition: %v", err)
	}
}

// renderBundle renders a config with the generator into a temporary
// directory, for bundle shapes no committed example has.
func renderBundle(t *testing.T, yaml string) string {
	t.Helper()
	cfg, _, diags := config.Parse("bpgen.yaml", []byte(yaml))
	if len(diags) > 0 {
		t.Fatalf("config: %v", diags)
	}
	res, err := bundle.Render(cfg, bundle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, _, err := fileset.Write(dir, res.Files, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExistingIntegration(t *testing.T) {
	dir := renderBundle(t, "version: 1\nidentifiers:\n  - type: Email\n    ask: {}\ndataActions:\n  credentials: existingIntegration\n")
	e := newEnv(t)

	// Without the variable, a working integration stands in for the existing one.
	d, err := Apply(e.org, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Fixtures) != 3 || d.Fixtures[2].Kind != "integration" || d.Outputs["integration_id"] != d.Fixtures[2].OrgID {
		t.Fatalf("fixtures %+v, outputs %v", d.Fixtures, d.Outputs)
	}
	verifyDeployment(t.Context(), t, e, d)
	if err := d.Destroy(); err != nil {
		t.Fatal(err)
	}
	verifyDestroyed(t.Context(), t, e, d)

	// Strict: the variable names it; a wrong id fails like the provider would.
	if _, err := Apply(e.org, dir, &Options{Strict: true, Vars: map[string]string{"data_actions_integration_id": "00000000-0000-0000-0000-000000000000"}}); err == nil || !strings.Contains(err.Error(), "existing integration") {
		t.Fatalf("unknown integration: %v", err)
	}
	d, err = Apply(e.org, dir, &Options{Strict: true, Vars: map[string]string{"data_actions_integration_id": d.Fixtures[2].OrgID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Fixtures) != 0 {
		t.Fatalf("strict fixtures %+v", d.Fixtures)
	}
	if err := d.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.org.Integration(d.Outputs["integration_id"]); err != nil {
		t.Fatalf("destroy deleted the existing integration: %v", err)
	}
}

// A flow Architect would reject fails the apply the way genesyscloud_flow
// fails: its Architect job reports Failure with the compiler's file:line
// messages, and everything applied before it is rolled back.
func TestInvalidFlowFailsItsArchitectJob(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../..")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "flows", "inbound_message_flow.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(raw, []byte("exp: IsNotSetOrEmpty(Flow.Email) and !Flow.StopAsking"), []byte("exp: ToLower(Flow.Email) and !Flow.StopAsking"), 1)
	if bytes.Equal(bad, raw) {
		t.Fatal("the flow no longer has the expression this test breaks")
	}
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	o := org.New()
	_, err = Apply(o, dir, nil)
	if err == nil || !strings.Contains(err.Error(), "Architect job failed") || !strings.Contains(err.Error(), "ToLower") || !strings.Contains(err.Error(), ":86") {
		t.Fatalf("apply of an invalid flow: %v", err)
	}
	if n := len(o.DataActions()) + len(o.Flows()) + len(o.Queues()); n != 0 {
		t.Fatalf("%d objects left after the failed job", n)
	}
}
