package architect

import (
	"strings"
	"testing"

	"github.com/bpgen/bpgen/emulator/deploy"
	"github.com/bpgen/bpgen/emulator/org"
)

// A runtime started on a bundle emulator/deploy applied creates nothing of
// its own, looks identifiers up in the deployed external source, and calls
// the org with the deployed integration's client.
func TestStartOnExistingDeployment(t *testing.T) {
	const dir = "../../examples/kitchen-sink" // an external source and open messaging: both would be duplicated
	o := org.New()
	d, err := deploy.Apply(o, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := o.Integration(d.Outputs["integration_id"])
	if err != nil {
		t.Fatal(err)
	}
	cred, err := o.IntegrationCredential(in.Credentials[org.CredentialTypeOAuthClient])
	if err != nil {
		t.Fatal(err)
	}
	dep := &Deployment{
		ClientID: cred.Fields["clientId"], ClientSecret: cred.Fields["clientSecret"],
		ExternalSourceID:           d.Outputs["external_source_id"],
		OpenMessagingIntegrationID: d.Outputs["open_messaging_integration_id"],
	}

	// Loaded without the deployed source, the flows would look up ExternalId
	// in a source that does not exist: refused.
	if _, err := Start(o, load(t, dir), Options{Deployment: dep}); err == nil || !strings.Contains(err.Error(), "LoadWith") {
		t.Fatalf("a bundle loaded for another external source started: %v", err)
	}

	b, err := LoadWith(dir, LoadOptions{ExternalSourceID: dep.ExternalSourceID})
	if err != nil {
		t.Fatal(err)
	}
	c := &customer{o: o, replies: map[string][]string{"*": {"jane.doe@example.com", "Jane"}}}
	rt, err := Start(o, b, Options{Deployment: dep, OnAwaitInput: c.await})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close() })
	e := &env{t: t, org: o, rt: rt, cust: c}

	if got := len(o.ExternalSources()); got != 1 {
		t.Errorf("%d external sources, want only the deployed one", got)
	}
	name := b.Manifest.ByKind("open_messaging_integration")[0].Name
	if _, err := o.OpenIntegration(stableID("open messaging " + name)); err == nil {
		t.Error("Start registered an open-messaging integration of its own")
	}

	jane := e.contact(org.Contact{FirstName: "Jane", LastName: "Doe", WorkEmail: "jane.doe@example.com"})
	res, conv := e.converse(org.StartConversationOptions{DeploymentID: d.Outputs["messenger_deployment_id"]})
	if conv.CanonicalContactID != e.canonical(jane.ID) || res.Ended != "transferred" || res.Error != "" {
		t.Errorf("conversation linked to %s (want %s), ended %s, error %q\n%s", conv.CanonicalContactID, e.canonical(jane.ID), res.Ended, res.Error, res.Trace)
	}
	if conv.Workflow.Name != b.InboundFlowName() {
		t.Errorf("workflow participant %q: the deployment's flow did not take the conversation", conv.Workflow.Name)
	}
}
