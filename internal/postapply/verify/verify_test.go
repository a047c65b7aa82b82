package verify_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/postapply/verify"
	"github.com/bpgen/bpgen/internal/testutil"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

// emulated starts an org, applies a committed bundle and returns a client for it.
func emulated(t *testing.T, dir string) (*org.Org, *api.Client, *deploy.Deployment, *verify.Bundle) {
	t.Helper()
	// The harness's own client, and the "existing" data-actions client an admin made.
	dep := orgfixture.Deploy(t, dir, "existing-client", "existing-client-secret",
		org.OAuthClient{ID: "verifier", Secret: "verifier-secret"}, org.OAuthClient{ID: "existing-client", Secret: "existing-client-secret"})
	b, err := verify.LoadBundle(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dep.Org, dep.Client(t, "verifier", "verifier-secret", 0), dep.Deployment, b
}

func bundles(t *testing.T) []string { return testutil.CommittedBundles(t, "../../..") }

// Every committed bundle, applied to the emulated org, verifies clean, and
// after destroy every managed object is reported gone.
func TestDeploymentAndDestroy(t *testing.T) {
	for _, dir := range bundles(t) {
		t.Run(filepath.Base(filepath.Clean(dir)), func(t *testing.T) {
			o, c, d, b := emulated(t, dir)
			ctx := context.Background()
			contact, err := o.CreateContact(org.Contact{FirstName: "Jane", LastName: "Doe", WorkEmail: "jane.verify@example.com", CellPhone: &org.PhoneNumber{Display: "+13175550199"}})
			if err != nil {
				t.Fatal(err)
			}
			seed := &verify.Seed{ContactID: contact.ID, IdentifierType: "Email", IdentifierValue: "jane.verify@example.com"}
			if b.Manifest.Identifiers[0].Type == "Phone" {
				seed.IdentifierType, seed.IdentifierValue = "Phone", "+13175550199"
			}
			if !hasType(b, seed.IdentifierType) {
				seed = nil // the lookup's input enum does not allow it
			}
			rep := verify.Deployment(ctx, c, b, d.Outputs, verify.Options{Seed: seed})
			if failed := rep.Failed(); len(failed) > 0 {
				t.Fatalf("verification failed: %+v", failed)
			}
			if len(rep.Checks) < 10 {
				t.Fatalf("only %d checks ran", len(rep.Checks))
			}
			if err := d.Destroy(); err != nil {
				t.Fatal(err)
			}
			gone := verify.Destroyed(ctx, c, b, d.Outputs, verify.Options{})
			if failed := gone.Failed(); len(failed) > 0 {
				t.Fatalf("objects survived destroy: %+v", failed)
			}
		})
	}
}

func hasType(b *verify.Bundle, typ string) bool {
	for _, id := range b.Manifest.Identifiers {
		if id.Type == typ {
			return true
		}
	}
	return false
}

// Verification notices what a broken deployment looks like.
func TestDeploymentFindsProblems(t *testing.T) {
	o, c, d, b := emulated(t, "../../..")
	ctx := context.Background()
	// A flow deleted behind Terraform's back, and an output pointing nowhere.
	if err := o.DeleteWebDeployment(d.Outputs["messenger_deployment_id"]); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range d.Outputs {
		out[k] = v
	}
	out["queue_id"] = "00000000-0000-0000-0000-000000000000"
	delete(out, "lookup_action_id")
	rep := verify.Deployment(ctx, c, b, out, verify.Options{})
	text := ""
	for _, f := range rep.Failed() {
		text += f.Object + " " + f.What + ": " + f.Detail + "\n"
	}
	for _, want := range []string{
		"messenger_deployment exists",
		"queue exists",
		`data_action.lookup has an id output: output "lookup_action_id" is missing`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	// Nothing was destroyed, so Destroyed must report survivors.
	if len(verify.Destroyed(ctx, c, b, d.Outputs, verify.Options{}).Failed()) == 0 {
		t.Error("Destroyed reported a live deployment as gone")
	}
}
