package verify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/e2e"
	"github.com/bpgen/bpgen/emulator/org"
	"github.com/bpgen/bpgen/internal/cli"
)

const (
	rootBundle  = "../../.."
	openExample = "../../../examples/open-messaging-external-id"
)

type fixture struct {
	e       *e2e.Org
	bundle  string
	outputs string // a file as `terraform output -json` writes it
}

// setup deploys a bundle to an emulated org served over HTTP, with its flows
// answering, and writes its outputs as `terraform output -json > f` would.
func setup(t *testing.T, bundle string) *fixture {
	t.Helper()
	// The CLI reads the provider's variables; tests pass flags unless they say otherwise.
	for _, k := range []string{"GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "GENESYSCLOUD_REGION"} {
		t.Setenv(k, "")
	}
	e, err := e2e.Start(bundle, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	f := &fixture{e: e, bundle: bundle, outputs: filepath.Join(t.TempDir(), "outputs.json")}
	f.writeOutputs(t, e.Outputs)
	return f
}

func (f *fixture) writeOutputs(t *testing.T, outputs map[string]string) {
	t.Helper()
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
	if err := os.WriteFile(f.outputs, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// run runs `bpgen verify` in process against the fixture's org and fails
// the test if the client secret shows anywhere.
func (f *fixture) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	secret := f.e.ClientSecret.Reveal()
	all := append([]string{"verify", "--bundle", f.bundle, "--org-url", f.e.URL, "--client-id", f.e.ClientID, "--client-secret", secret, "--outputs", f.outputs}, args...)
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), all, strings.NewReader(""), &out, &errb)
	if strings.Contains(out.String()+errb.String(), secret) {
		t.Fatalf("the client secret was printed:\n%s%s", out.String(), errb.String())
	}
	return code, out.String(), errb.String()
}

func mustMatch(t *testing.T, text string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if !regexp.MustCompile(`(?m)` + p).MatchString(text) {
			t.Errorf("no line matches %s in:\n%s", p, text)
		}
	}
}

// A deployed bundle verifies clean: one line per check, the conversation
// with the bot's question, a PASS summary, exit 0, and no contact left.
func TestVerifyPasses(t *testing.T) {
	f := setup(t, rootBundle)
	code, out, errs := f.run(t)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	mustMatch(t, out,
		`^verifying bundle \.\./\.\./\.\. in http://127\.0\.0\.1:\d+ \(run bpgen-\d{8}t\d{6}-[0-9a-f]{8}\)$`,
		`^ok   flow\.inbound +is published$`,
		`^ok   data_action\.lookup +/test finds the seeded contact$`,
		`^ok   conversation +the bot asks for Email: "[^"]*email address[^"]*"$`,
		`^ok   conversation +the conversation's contact resolves to the seeded contact: `,
		`^ok   conversation +the customer sees no internal ids: 1 bot messages$`,
		`^ok   conversation +deletes the run's contacts: 3 contacts$`,
		`^PASS: \d+ checks passed$`,
	)
	if strings.Contains(out, "FAIL") {
		t.Errorf("a check failed:\n%s", out)
	}
	for _, c := range f.e.Org.Contacts() {
		if c.Type == org.TypeCurated {
			t.Errorf("contact %s survived the run", c.ID)
		}
	}
}

// A broken deployment fails with the checks that broke, listed again in
// the summary, and exit 1.
func TestVerifyFails(t *testing.T) {
	f := setup(t, rootBundle)
	out := map[string]string{}
	for k, v := range f.e.Outputs {
		out[k] = v
	}
	out["queue_id"] = "00000000-0000-0000-0000-000000000000"
	f.writeOutputs(t, out)
	if err := f.e.Org.DeleteFlow(f.e.Outputs["bot_flow_id"]); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := f.run(t, "--no-conversation")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	mustMatch(t, stdout,
		`^FAIL queue +exists: GET /api/v2/routing/queues/00000000-0000-0000-0000-000000000000: 404 `,
		`^FAIL flow\.bot +exists: `,
		`^FAIL: 2 of \d+ checks failed \(conversation not driven: --no-conversation\):$`,
		`^  queue exists: GET /api/v2/routing/queues/`,
		`^  flow\.bot exists: `,
	)
	if regexp.MustCompile(`(?m)^(ok|FAIL|skip) +conversation`).MatchString(stdout) {
		t.Errorf("--no-conversation drove a conversation:\n%s", stdout)
	}
	mustMatch(t, stderr, `^bpgen: verification failed: 2 of \d+ checks$`)
}

// An open-messaging bundle is verified without a conversation, and says
// why; credentials come from the provider's variables.
func TestVerifyOpenMessagingSkipsConversation(t *testing.T) {
	f := setup(t, openExample)
	t.Setenv("GENESYSCLOUD_OAUTHCLIENT_ID", f.e.ClientID)
	t.Setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", f.e.ClientSecret.Reveal())
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), []string{"verify", "--bundle", openExample, "--org-url", f.e.URL, "--outputs", f.outputs}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	mustMatch(t, out.String(),
		`^ok   open_messaging_integration +exists$`,
		`^skip conversation +the bundle has no web-messaging channel; open messaging delivers the bot's replies to a partner webhook, so no conversation is driven$`,
		`^PASS: \d+ checks passed \(conversation skipped: web messaging only\)$`,
	)
}

// Wrong credentials are one clear error, exit 2, before any check runs.
func TestVerifyBadCredentials(t *testing.T) {
	f := setup(t, rootBundle)
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), []string{"verify", "--bundle", rootBundle, "--org-url", f.e.URL, "--client-id", f.e.ClientID, "--client-secret", "wrong-secret-value", "--outputs", f.outputs}, strings.NewReader(""), &out, &errb)
	if code != 2 || out.Len() != 0 {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
	mustMatch(t, errb.String(), `^bpgen: the org at http://127\.0\.0\.1:\d+ refused the credentials: POST /oauth/token: 401 .*\(check GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and the region\)$`)
	if strings.Contains(errb.String(), "wrong-secret-value") {
		t.Errorf("the secret was printed: %s", errb.String())
	}
}
