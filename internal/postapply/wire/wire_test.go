package wire_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/postapply/wire"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

const (
	openExample = "../../../examples/open-messaging-external-id"
	kitchenSink = "../../../examples/kitchen-sink"
	webOnly     = "../../.." // the repository root: web messaging, resolveIdentities off
)

type env struct {
	o   *org.Org
	c   *api.Client
	d   *deploy.Deployment
	man *manifest.Manifest
}

// deployed starts an emulated org, applies a committed bundle to it as
// `terraform apply` would, and returns a client for the org.
func deployed(t *testing.T, dir string) *env {
	t.Helper()
	dep := orgfixture.Deploy(t, dir, "", "", org.OAuthClient{ID: "wire", Secret: "wire-secret"})
	c := dep.Client(t, "wire", "wire-secret", 1)
	dep.Org.ResetCalls()
	return &env{o: dep.Org, c: c, d: dep.Deployment, man: dep.Manifest}
}

func (e *env) plan(t *testing.T) []wire.Change {
	t.Helper()
	changes, err := wire.Plan(context.Background(), e.c, e.man, e.d.Outputs)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return changes
}

// writes lists the org's calls that could have changed something.
func (e *env) writes() []string {
	var out []string
	for _, c := range e.o.Calls() {
		if c.Method != http.MethodGet && c.Path != "/oauth/token" {
			out = append(out, c.Method+" "+c.Path)
		}
	}
	return out
}

func lines(changes []wire.Change) string {
	var b strings.Builder
	for _, ch := range changes {
		b.WriteString(ch.Status.Label() + " " + ch.String() + "\n")
	}
	return b.String()
}

func wantLines(t *testing.T, changes []wire.Change, want ...string) {
	t.Helper()
	got := lines(changes)
	if got != strings.Join(want, "\n")+"\n" {
		t.Errorf("changes:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// The open-messaging example asks for identity resolution: wire binds the
// recipient to the inbound flow and turns resolution on with the bundle's
// external source, and a customer writing in afterwards runs the flow and is
// recognised by the platform.
func TestOpenMessagingIsWired(t *testing.T) {
	e := deployed(t, openExample)
	ctx := context.Background()
	integrationID := e.d.Outputs["open_messaging_integration_id"]
	flowID := e.d.Outputs["inbound_flow_id"]
	sourceID := e.d.Outputs["external_source_id"]

	planned := e.plan(t)
	wantLines(t, planned,
		`would change open messaging "Identity Resolution Open Messaging": identity resolution: off, no external source → on, external source "Partner CRM"`,
		`would change open messaging "Identity Resolution Open Messaging": recipient's inbound flow: none → "Identity Resolution Message Flow"`,
	)
	if w := e.writes(); len(w) > 0 {
		t.Fatalf("Plan wrote: %v", w)
	}

	applied, err := wire.Apply(ctx, e.c, planned)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	wantLines(t, applied,
		`changed open messaging "Identity Resolution Open Messaging": identity resolution: off, no external source → on, external source "Partner CRM"`,
		`changed open messaging "Identity Resolution Open Messaging": recipient's inbound flow: none → "Identity Resolution Message Flow"`,
	)
	if w := e.writes(); len(w) != 2 {
		t.Errorf("want two writes, got %v", w)
	}

	// What an admin sees in the org.
	rec, err := e.o.Recipient(integrationID)
	if err != nil || rec.FlowID != flowID {
		t.Fatalf("recipient after wire: %+v %v; want flow %s", rec, err, flowID)
	}
	ir, err := e.o.OpenIdentityResolution(integrationID)
	if err != nil || !ir.ResolveIdentities || ir.ExternalSourceID != sourceID {
		t.Fatalf("identity resolution after wire: %+v %v", ir, err)
	}

	// What a customer gets: the conversation runs the bundle's flow, and the
	// platform links the known customer by the partner's id.
	known, err := e.o.CreateContact(org.Contact{FirstName: "Ada", LastName: "Lovelace",
		ExternalIDs: []org.ExternalID{{ExternalSource: &org.ExternalSource{ID: sourceID}, Value: "cust-42"}}})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := e.o.StartConversation(org.StartConversationOptions{Channel: org.ChannelOpen, IntegrationID: integrationID,
		From: org.OpenFrom{ID: "cust-42", IDType: "Opaque"}, Text: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	if conv.FlowID != flowID {
		t.Errorf("conversation ran flow %q, want the inbound flow %s", conv.FlowID, flowID)
	}
	if conv.Customer.ExternalContactID != known.ID {
		t.Errorf("conversation linked to %q, want the known contact %s (resolution %+v)", conv.Customer.ExternalContactID, known.ID, conv.Resolution)
	}
}

// A second run finds everything in place and writes nothing.
func TestSecondRunChangesNothing(t *testing.T) {
	e := deployed(t, openExample)
	ctx := context.Background()
	if _, err := wire.Apply(ctx, e.c, e.plan(t)); err != nil {
		t.Fatal(err)
	}
	e.o.ResetCalls()

	again, err := wire.Apply(ctx, e.c, e.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, again,
		`unchanged open messaging "Identity Resolution Open Messaging": identity resolution: on, external source "Partner CRM"`,
		`unchanged open messaging "Identity Resolution Open Messaging": recipient's inbound flow: "Identity Resolution Message Flow"`,
	)
	if w := e.writes(); len(w) > 0 {
		t.Errorf("second run wrote: %v", w)
	}
	if len(e.o.Calls()) == 0 {
		t.Error("second run read nothing: it cannot have compared")
	}
}

// A bundle that does not ask for identity resolution never reads or writes
// it, so an admin's choice survives; the channel it does ask for is set
// without losing the admin's other choices (automerge).
func TestUnaskedSettingIsLeftAlone(t *testing.T) {
	e := deployed(t, kitchenSink) // open messaging without resolveIdentities, web messaging with it
	ctx := context.Background()
	integrationID := e.d.Outputs["open_messaging_integration_id"]
	deploymentID := e.d.Outputs["messenger_deployment_id"]
	sourceID := e.d.Outputs["external_source_id"]
	if _, err := e.o.SetOpenIdentityResolution(integrationID, org.IdentityResolution{ResolveIdentities: true, ExternalSourceID: sourceID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.o.SetWebDeploymentIdentityResolution(deploymentID, org.IdentityResolution{Automerge: &org.Automerge{AuthenticatedWebMessaging: true}}); err != nil {
		t.Fatal(err)
	}

	changes, err := wire.Apply(ctx, e.c, e.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, changes,
		`left alone open messaging "*Test* Open: partner — Café": identity resolution: not asked for (channels.openMessaging.resolveIdentities is off), so the org's setting is kept as it is`,
		`changed open messaging "*Test* Open: partner — Café": recipient's inbound flow: none → "*Test* Inbound: 'messages' & more — Café"`,
		`changed Messenger deployment "*Test* Messenger: web — Café": identity resolution: off → on`,
	)
	for _, c := range e.o.Calls() {
		if strings.Contains(c.Path, "/identityresolution/integrations/open/") {
			t.Errorf("the open-messaging setting was touched: %s %s", c.Method, c.Path)
		}
	}
	if ir, _ := e.o.OpenIdentityResolution(integrationID); !ir.ResolveIdentities || ir.ExternalSourceID != sourceID {
		t.Errorf("admin's open-messaging identity resolution was changed: %+v", ir)
	}
	web, _ := e.o.WebDeploymentIdentityResolution(deploymentID)
	if !web.ResolveIdentities || web.Automerge == nil || !web.Automerge.AuthenticatedWebMessaging {
		t.Errorf("web identity resolution %+v: want on, with the admin's automerge kept", web)
	}
}

// A web-messaging bundle without resolveIdentities has nothing to do: no
// open-messaging setting, no call, no output or client needed.
func TestWebOnlyBundleHasNothingToDo(t *testing.T) {
	e := deployed(t, webOnly)
	deploymentID := e.d.Outputs["messenger_deployment_id"]
	if _, err := e.o.SetWebDeploymentIdentityResolution(deploymentID, org.IdentityResolution{ResolveIdentities: true}); err != nil {
		t.Fatal(err)
	}
	if need, err := wire.RequiredOutputs(e.man); err != nil || len(need) != 0 {
		t.Fatalf("RequiredOutputs = %v, %v; want none", need, err)
	}
	changes, err := wire.Plan(context.Background(), nil, e.man, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, changes,
		`left alone Messenger deployment "Identity Resolution Messenger": identity resolution: not asked for (channels.webMessaging.resolveIdentities is off), so the org's setting is kept as it is`,
	)
	if _, err := wire.Apply(context.Background(), nil, changes); err != nil {
		t.Fatal(err)
	}
	if n := len(e.o.Calls()); n != 0 {
		t.Errorf("%d calls made for nothing to do", n)
	}
	if ir, _ := e.o.WebDeploymentIdentityResolution(deploymentID); !ir.ResolveIdentities {
		t.Error("an admin's identity resolution was turned off")
	}
}

// A failed write is reported with what failed and why; the independent
// setting is still written, and Apply's error says something is left undone.
func TestFailedWrite(t *testing.T) {
	e := deployed(t, openExample)
	if _, err := e.o.AddFault(org.Fault{Endpoint: "PUT /api/v2/routing/message/recipients/{id}", Status: http.StatusForbidden,
		Message: "Missing permission routing:message:manage."}); err != nil {
		t.Fatal(err)
	}
	changes, err := wire.Apply(context.Background(), e.c, e.plan(t))
	if err == nil {
		t.Fatal("Apply succeeded despite a failed write")
	}
	if !strings.Contains(err.Error(), `recipient's inbound flow: PUT /api/v2/routing/message/recipients/`) ||
		!strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "Missing permission routing:message:manage.") {
		t.Errorf("error does not say what failed: %v", err)
	}
	if got := []wire.Status{changes[0].Status, changes[1].Status}; got[0] != wire.Changed || got[1] != wire.Failed {
		t.Errorf("statuses %v: want the identity resolution changed and the recipient failed", got)
	}
	if f := wire.FailedChanges(changes); len(f) != 1 || f[0].Setting != wire.OpenRecipientFlow {
		t.Errorf("FailedChanges = %+v", f)
	}
	if rec, _ := e.o.Recipient(e.d.Outputs["open_messaging_integration_id"]); rec.FlowID != "" {
		t.Errorf("recipient bound despite the failure: %+v", rec)
	}
}

// A failed read fails that setting only; the rest is planned.
func TestFailedRead(t *testing.T) {
	e := deployed(t, openExample)
	if _, err := e.o.AddFault(org.Fault{Endpoint: "GET /api/v2/routing/message/recipients/{id}", Status: http.StatusInternalServerError}); err != nil {
		t.Fatal(err)
	}
	changes := e.plan(t)
	if changes[0].Status != wire.WouldChange || changes[1].Status != wire.Failed {
		t.Fatalf("statuses %s, %s", changes[0].Status, changes[1].Status)
	}
	if got := changes[1].String(); !strings.Contains(got, "reading the message recipient: GET /api/v2/routing/message/recipients/") || !strings.Contains(got, "500") {
		t.Errorf("failed read says %q", got)
	}
	if _, err := wire.Apply(context.Background(), e.c, changes); err == nil {
		t.Error("Apply reported success with a setting it could not read")
	}
}

// Outputs from another bundle, or none at all, stop Plan before any call.
func TestMissingOutputs(t *testing.T) {
	e := deployed(t, openExample)
	out := map[string]string{"inbound_flow_id": e.d.Outputs["inbound_flow_id"], "external_source_id": ""}
	_, err := wire.Plan(context.Background(), e.c, e.man, out)
	var missing *wire.MissingOutputsError
	if !errors.As(err, &missing) {
		t.Fatalf("Plan error %v, want MissingOutputsError", err)
	}
	if got := strings.Join(missing.Names, " "); got != "open_messaging_integration_id external_source_id" {
		t.Errorf("missing %q", got)
	}
	if !strings.Contains(err.Error(), "has `terraform apply` run for this bundle?") {
		t.Errorf("error %q does not say what to do", err)
	}
	if n := len(e.o.Calls()); n != 0 {
		t.Errorf("%d calls made with missing outputs", n)
	}
}

// A setting the org has never saved reads as 404 on some objects; it is
// treated as off and written, not reported as an error.
func TestUnsavedSettingIsOff(t *testing.T) {
	e := deployed(t, openExample)
	if _, err := e.o.AddFault(org.Fault{Endpoint: "GET /api/v2/conversations/messaging/identityresolution/integrations/open/{id}", Status: http.StatusNotFound, Times: 1}); err != nil {
		t.Fatal(err)
	}
	changes, err := wire.Apply(context.Background(), e.c, e.plan(t))
	if err != nil {
		t.Fatal(err)
	}
	if changes[0].Status != wire.Changed || changes[0].Before != "off, no external source" {
		t.Errorf("identity resolution: %s", changes[0])
	}
}

// The JSON form carries stable setting and status names, the org ids and
// the error text.
func TestChangeJSON(t *testing.T) {
	ch := wire.Change{Setting: wire.OpenRecipientFlow, Object: "open_messaging_integration", Name: "X", ID: "abc",
		Status: wire.Failed, Before: "none", After: `"Flow"`, Err: errors.New("PUT /x: 403")}
	b, err := ch.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"setting":"openMessaging.recipientFlow","object":"open_messaging_integration","name":"X","id":"abc","status":"failed","before":"none","after":"\"Flow\"","error":"PUT /x: 403"}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
}
