package wire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/cli"
	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

const (
	openExample = "../../../examples/open-messaging-external-id"
	clientID    = "wire-cli"
	secret      = "wire-cli-very-secret"
)

type fixture struct {
	o       *org.Org
	url     string
	d       *deploy.Deployment
	bundle  string
	outputs string // a file as `terraform output -json` writes it
}

// setup applies a bundle to an emulated org over HTTP and writes its
// outputs the way `terraform output -json > outputs.json` would.
func setup(t *testing.T, bundle string) *fixture {
	t.Helper()
	// The CLI reads the provider's variables; the tests pass everything as
	// flags unless they say otherwise.
	for _, k := range []string{"GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_REGION"} {
		t.Setenv(k, "")
	}
	dep := orgfixture.Deploy(t, bundle, "", "", org.OAuthClient{ID: clientID, Secret: secret})
	o, d := dep.Org, dep.Deployment
	f := &fixture{o: o, url: dep.URL, d: d, bundle: bundle, outputs: filepath.Join(t.TempDir(), "outputs.json")}
	if err := os.WriteFile(f.outputs, tfOutputJSON(t, d.Outputs), 0o600); err != nil {
		t.Fatal(err)
	}
	o.ResetCalls()
	return f
}

func tfOutputJSON(t *testing.T, outputs map[string]string) []byte {
	type meta struct {
		Sensitive bool   `json:"sensitive"`
		Type      string `json:"type"`
		Value     string `json:"value"`
	}
	m := map[string]meta{}
	for k, v := range outputs {
		m[k] = meta{Type: "string", Value: v}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	all := append([]string{"wire", "--bundle", f.bundle, "--org-url", f.url, "--client-id", clientID, "--client-secret", secret}, args...)
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), all, strings.NewReader(""), &out, &errb)
	if strings.Contains(out.String()+errb.String(), secret) {
		t.Fatalf("the client secret was printed:\n%s%s", out.String(), errb.String())
	}
	return code, out.String(), errb.String()
}

func (f *fixture) writes() []string {
	var out []string
	for _, c := range f.o.Calls() {
		if c.Method != http.MethodGet && c.Path != "/oauth/token" {
			out = append(out, c.Method+" "+c.Path)
		}
	}
	return out
}

const (
	irLine = `open messaging "Identity Resolution Open Messaging": identity resolution: `
	rfLine = `open messaging "Identity Resolution Open Messaging": recipient's inbound flow: `
)

// The first run wires the open-messaging example and says what changed; the
// second finds everything in place and writes nothing.
func TestWireThenRerun(t *testing.T) {
	f := setup(t, openExample)
	code, out, errs := f.run(t, "--outputs", f.outputs)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	want := "changed       " + irLine + `off, no external source → on, external source "Partner CRM"` + "\n" +
		"changed       " + rfLine + `none → "Identity Resolution Message Flow"` + "\n" +
		"2 changed\n"
	if out != want {
		t.Errorf("first run printed\n%s\nwant\n%s", out, want)
	}
	if rec, _ := f.o.Recipient(f.d.Outputs["open_messaging_integration_id"]); rec.FlowID != f.d.Outputs["inbound_flow_id"] {
		t.Errorf("recipient not bound: %+v", rec)
	}

	f.o.ResetCalls()
	code, out, _ = f.run(t, "--outputs", f.outputs)
	want = "unchanged     " + irLine + `on, external source "Partner CRM"` + "\n" +
		"unchanged     " + rfLine + `"Identity Resolution Message Flow"` + "\n" +
		"nothing to do (2 unchanged)\n"
	if code != 0 || out != want {
		t.Errorf("second run: exit %d\n%s\nwant\n%s", code, out, want)
	}
	if w := f.writes(); len(w) > 0 {
		t.Errorf("second run wrote %v", w)
	}
}

// --dry-run reports what would change and writes nothing.
func TestDryRun(t *testing.T) {
	f := setup(t, openExample)
	code, out, _ := f.run(t, "--outputs", f.outputs, "--dry-run")
	want := "would change  " + irLine + `off, no external source → on, external source "Partner CRM"` + "\n" +
		"would change  " + rfLine + `none → "Identity Resolution Message Flow"` + "\n" +
		"dry run, nothing written: 2 would change\n"
	if code != 0 || out != want {
		t.Errorf("exit %d\n%s\nwant\n%s", code, out, want)
	}
	if w := f.writes(); len(w) > 0 {
		t.Errorf("--dry-run wrote %v", w)
	}
	if rec, _ := f.o.Recipient(f.d.Outputs["open_messaging_integration_id"]); rec.FlowID != "" {
		t.Errorf("--dry-run bound the recipient: %+v", rec)
	}
}

// --json gives machines stable names, ids and the error of a failed write,
// which exits 1 and says so on stderr.
func TestJSONAndFailedWrite(t *testing.T) {
	f := setup(t, openExample)
	if _, err := f.o.AddFault(org.Fault{Endpoint: "PUT /api/v2/conversations/messaging/identityresolution/integrations/open/{id}",
		Status: http.StatusForbidden, Message: "Missing permission messaging:identityResolutionOpen:edit."}); err != nil {
		t.Fatal(err)
	}
	code, out, errs := f.run(t, "--outputs", f.outputs, "--json")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, errs)
	}
	if errs != "bpgen: 1 of 2 settings failed\n" {
		t.Errorf("stderr %q", errs)
	}
	var res struct {
		DryRun  bool `json:"dryRun"`
		OK      bool `json:"ok"`
		Changes []struct {
			Setting, Object, ID, Status, Before, After, Error string
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if res.OK || res.DryRun || len(res.Changes) != 2 {
		t.Fatalf("result %+v", res)
	}
	ir, rf := res.Changes[0], res.Changes[1]
	if ir.Setting != "openMessaging.identityResolution" || ir.Status != "failed" || ir.ID != f.d.Outputs["open_messaging_integration_id"] ||
		!strings.Contains(ir.Error, "403") || !strings.Contains(ir.Error, "Missing permission messaging:identityResolutionOpen:edit.") {
		t.Errorf("identity resolution %+v", ir)
	}
	if rf.Setting != "openMessaging.recipientFlow" || rf.Status != "changed" || rf.Before != "none" || rf.Error != "" {
		t.Errorf("recipient %+v", rf)
	}

	// The text form says the same in one line.
	f.o.ClearFaults()
	if _, err := f.o.AddFault(org.Fault{Endpoint: "PUT /api/v2/conversations/messaging/identityresolution/integrations/open/{id}", Status: http.StatusForbidden}); err != nil {
		t.Fatal(err)
	}
	code, out, _ = f.run(t, "--outputs", f.outputs)
	if code != 1 || !strings.Contains(out, "failed        "+irLine+`off, no external source → on, external source "Partner CRM": PUT /api/v2/conversations/messaging/identityresolution/integrations/open/`) ||
		!strings.Contains(out, "unchanged     "+rfLine) || !strings.HasSuffix(out, "1 unchanged, 1 failed\n") {
		t.Errorf("exit %d, text:\n%s", code, out)
	}
}

// Wrong credentials are an input error (exit 2) before any setting is read,
// the hint names the variables, and the secret is never shown.
func TestWrongCredentials(t *testing.T) {
	f := setup(t, openExample)
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), []string{"wire", "--bundle", f.bundle, "--outputs", f.outputs, "--org-url", f.url,
		"--client-id", clientID, "--client-secret", "not-" + secret}, strings.NewReader(""), &out, &errb)
	if code != 2 || out.Len() != 0 {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
	if !strings.Contains(errb.String(), "refused the credentials: POST /oauth/token: 401") || !strings.Contains(errb.String(), "(check BPGEN_ORG_CLIENT_ID, BPGEN_ORG_CLIENT_SECRET and the region)") {
		t.Errorf("stderr %q", errb.String())
	}
	if strings.Contains(out.String()+errb.String(), secret) {
		t.Errorf("secret printed:\n%s%s", out.String(), errb.String())
	}
}

// Credentials from the provider's variables, and outputs from `terraform
// output -json` in <bundle>/terraform, as after a real apply.
func TestDefaultsFromTerraformAndEnvironment(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("no terraform on PATH")
	}
	f := setup(t, openExample)
	// A copy of the bundle whose terraform/ holds a local state with the
	// outputs, which is all `terraform output` reads.
	bundle := t.TempDir()
	if err := os.CopyFS(bundle, os.DirFS(openExample)); err != nil {
		t.Fatal(err)
	}
	state := map[string]any{"version": 4, "terraform_version": "1.5.0", "serial": 1, "lineage": "bpgen-wire-test", "resources": []any{}, "outputs": map[string]any{}}
	for k, v := range f.d.Outputs {
		state["outputs"].(map[string]any)[k] = map[string]string{"type": "string", "value": v}
	}
	b, _ := json.Marshal(state)
	if err := os.WriteFile(filepath.Join(bundle, "terraform", "terraform.tfstate"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BPGEN_ORG_CLIENT_ID", clientID)
	t.Setenv("BPGEN_ORG_CLIENT_SECRET", secret)
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), []string{"wire", "--bundle", bundle, "--org-url", f.url}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.HasSuffix(out.String(), "2 changed\n") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
}

// Outputs of another bundle (here: the web-only root bundle's) are an input
// error naming the missing outputs and where they were read.
func TestOutputsOfAnotherBundle(t *testing.T) {
	f := setup(t, openExample)
	other := filepath.Join(t.TempDir(), "other.json")
	if err := os.WriteFile(other, tfOutputJSON(t, map[string]string{"inbound_flow_id": "x", "messenger_deployment_id": "y"}), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := f.run(t, "--outputs", other)
	want := "bpgen: " + other + ": the Terraform outputs have no open_messaging_integration_id, external_source_id: has `terraform apply` run for this bundle?\n"
	if code != 2 || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr\n%q\nwant\n%q", code, out, errs, want)
	}
	if n := len(f.o.Calls()); n != 0 {
		t.Errorf("%d calls made", n)
	}
}

// Every bundle kind, the default one included (where wire may have nothing
// to do), exits 2 for garbage outputs, wrong credentials and an
// unreachable org, as the README promises.
func TestInputErrorsExit2OnEveryBundle(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	if err := os.WriteFile(garbage, []byte("this is not json {"), 0o600); err != nil {
		t.Fatal(err)
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	for _, bundle := range []string{"../../..", openExample} {
		f := setup(t, bundle)
		for name, args := range map[string][]string{
			"garbage outputs": {"--outputs", garbage, "--org-url", f.url, "--client-id", clientID, "--client-secret", secret},
			"wrong secret":    {"--outputs", f.outputs, "--org-url", f.url, "--client-id", clientID, "--client-secret", "not-" + secret},
			"unreachable org": {"--outputs", f.outputs, "--org-url", deadURL, "--client-id", clientID, "--client-secret", secret},
			"no credentials":  {"--outputs", f.outputs, "--org-url", f.url},
		} {
			var out, errb bytes.Buffer
			code := cli.Run(context.Background(), append([]string{"wire", "--bundle", bundle}, args...), strings.NewReader(""), &out, &errb)
			if code != 2 || out.Len() != 0 {
				t.Errorf("%s, %s: exit %d, stdout %q, stderr %q", bundle, name, code, out.String(), errb.String())
			}
		}
	}
}
