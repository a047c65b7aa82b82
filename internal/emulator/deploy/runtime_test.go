package deploy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/org"
)

// A runtime started on an applied bundle creates nothing of its own, runs
// the flows the apply published through Architect jobs, looks identifiers up
// in the deployed external source, and calls the org with the deployed
// integration's client. (It replaces architect's own deployer: one path.)
func TestStartRuntimeOnDeployment(t *testing.T) {
	const dir = "../../../examples/kitchen-sink" // an external source and open messaging: both would be duplicated
	o := org.New()
	d, err := Apply(o, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	replies := []string{"jane.doe@example.com", "Jane"}
	var asked int
	rt, err := d.StartRuntime(architect.Options{OnAwaitInput: func(in architect.AwaitInput) bool {
		if asked >= len(replies) {
			return false
		}
		asked++
		_, err := o.SendCustomerMessage(in.ConversationID, replies[asked-1])
		return err == nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close() })

	if got := len(o.ExternalSources()); got != 1 {
		t.Errorf("%d external sources, want only the deployed one", got)
	}
	if got, want := rt.Bundle().ExternalSourceID, d.Outputs[contract.OutputSource]; got != want || got == "" {
		t.Errorf("the flows look identifiers up in source %q, want the deployed %q", got, want)
	}
	for _, f := range rt.Bundle().Flows() {
		if !strings.HasPrefix(f.File, "flows/") {
			t.Errorf("flow %s is named %q in traces, not by its bundle file", f.Name, f.File)
		}
	}

	jane, err := o.CreateContact(org.Contact{FirstName: "Jane", LastName: "Doe", WorkEmail: "jane.doe@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := o.StartConversation(org.StartConversationOptions{DeploymentID: d.Outputs[contract.OutputMessengerDepl], Text: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := rt.Wait(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ = o.Conversation(c.ID)
	want, _ := o.CanonicalID(jane.ID)
	if c.CanonicalContactID != want || res.Ended != "transferred" || res.Error != "" {
		t.Errorf("conversation linked to %s (want %s), ended %s, error %q\n%s", c.CanonicalContactID, want, res.Ended, res.Error, res.Trace)
	}
	if c.Workflow.Name != rt.Bundle().InboundFlowName() {
		t.Errorf("workflow participant %q: the deployment's flow did not take the conversation", c.Workflow.Name)
	}

	// Without the deployment's client the runtime cannot call the org.
	if _, err := architect.Start(o, rt.Bundle(), architect.Options{}); err == nil || !strings.Contains(err.Error(), "DataActionsClient") {
		t.Errorf("Start without a data-actions client: %v", err)
	}
}

// A flow of the bundle published again through an Architect job (a later
// terraform apply against `org serve --bundle`) replaces the one the
// runtime runs for new conversations.
func TestRepublishedFlowReachesTheRuntime(t *testing.T) {
	o := org.New()
	d, err := Apply(o, "../../..", nil)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := d.StartRuntime(architect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close() })
	before := rt.Bundle()
	inbound, _ := d.Object(contract.ObjectID(contract.KindFlow, contract.FlowInbound))
	f, err := o.Flow(inbound.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	api, done, err := callerAPI(o, d.caller)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if _, err := api.publishFlow(f.Definition); err != nil {
		t.Fatal(err)
	}
	after := rt.Bundle()
	if after == before || after.InboundFlowName() != before.InboundFlowName() || !strings.HasPrefix(after.Flows()[0].File, "flows/") {
		t.Errorf("after the publish the runtime runs %p (%v), before %p", after, after.Flows(), before)
	}
}
