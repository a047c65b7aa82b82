package verify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bpgen/bpgen/internal/cli"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

const (
	rootBundle  = "../../.."
	openExample = "../../../examples/open-messaging-external-id"
)

type fixture struct {
	e       *stack.Org
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
	e, _, _ := orgfixture.Start(t, bundle, nil)
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
// why; credentials come from BPGEN_ORG_CLIENT_*.
func TestVerifyOpenMessagingSkipsConversation(t *testing.T) {
	f := setup(t, openExample)
	t.Setenv("BPGEN_ORG_CLIENT_ID", f.e.ClientID)
	t.Setenv("BPGEN_ORG_CLIENT_SECRET", f.e.ClientSecret.Reveal())
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
	mustMatch(t, errb.String(), `^bpgen: the org at http://127\.0\.0\.1:\d+ refused the credentials: POST /oauth/token: 401 .*\(check BPGEN_ORG_CLIENT_ID, BPGEN_ORG_CLIENT_SECRET and the region\)$`)
	if strings.Contains(errb.String(), "wrong-secret-value") {
		t.Errorf("the secret was printed: %s", errb.String())
	}
}

// cancelOnWrite cancels a context once a line matching its pattern is
// written: Ctrl+C in the middle of a run.
type cancelOnWrite struct {
	bytes.Buffer
	re     *regexp.Regexp
	cancel context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	n, err := w.Buffer.Write(p)
	if w.re.Match(w.Bytes()) {
		w.cancel()
	}
	return n, err
}

// A run cut short, by --timeout or by an interrupt, is never a PASS nor
// exit 0: it says INCOMPLETE and exits 3.
func TestVerifyIncompleteIsNotAPass(t *testing.T) {
	f := setup(t, rootBundle)
	secret := f.e.ClientSecret.Reveal()
	base := []string{"verify", "--bundle", f.bundle, "--org-url", f.e.URL, "--client-id", f.e.ClientID, "--client-secret", secret, "--outputs", f.outputs}

	code, out, errs := f.run(t, "--timeout", "1ns")
	if code != 3 || strings.Contains(out, "PASS") {
		t.Errorf("--timeout 1ns: exit %d\n%s%s", code, out, errs)
	}
	mustMatch(t, out, `^INCOMPLETE: --timeout 1ns reached after \d+ checks`)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &cancelOnWrite{re: regexp.MustCompile(`(?m)^ok   flow\.`), cancel: cancel}
	var errb bytes.Buffer
	code = cli.Run(ctx, base, strings.NewReader(""), w, &errb)
	if code != 3 || strings.Contains(w.String(), "PASS") {
		t.Errorf("interrupted: exit %d\n%s%s", code, w.String(), errb.String())
	}
	mustMatch(t, w.String(), `^INCOMPLETE: interrupted after \d+ checks`)
}

// authRecorder is a stand-in org that records every Authorization header.
func authRecorder(t *testing.T) (url string, seen func() []string) {
	t.Helper()
	var mu sync.Mutex
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization")+" "+r.URL.RawQuery)
		mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		auths = append(auths, string(body))
		mu.Unlock()
		http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(auths) }
}

// A real org's credentials (the provider's variables) are never sent to an
// --org-url; the org-url's own come from flags or BPGEN_ORG_CLIENT_*.
// A non-loopback --org-url must be https.
func TestVerifyOrgURLNeverGetsRealCredentials(t *testing.T) {
	f := setup(t, rootBundle)
	const realID, realSecret = "real-org-client-id", "real-org-client-secret-value"
	t.Setenv("GENESYSCLOUD_OAUTHCLIENT_ID", realID)
	t.Setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", realSecret)
	t.Setenv("BPGEN_ORG_CLIENT_ID", "")
	t.Setenv("BPGEN_ORG_CLIENT_SECRET", "")
	url, seen := authRecorder(t)
	for _, cmd := range []string{"verify", "wire"} {
		var out, errb bytes.Buffer
		code := cli.Run(context.Background(), []string{cmd, "--bundle", rootBundle, "--org-url", url, "--outputs", f.outputs}, strings.NewReader(""), &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), "BPGEN_ORG_CLIENT_ID (or --client-id)") {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, errb.String())
		}
	}
	basic := base64.StdEncoding.EncodeToString([]byte(realID + ":" + realSecret))
	for _, a := range seen() {
		if strings.Contains(a, realSecret) || strings.Contains(a, basic) || strings.Contains(a, realID) {
			t.Errorf("the real org's credentials were sent to --org-url: %q", a)
		}
	}
	if len(seen()) != 0 {
		t.Errorf("%d requests reached --org-url without credentials for it", len(seen()))
	}

	// Credentials of the org-url itself, from bpgen's own variables, are used.
	t.Setenv("BPGEN_ORG_CLIENT_ID", "emu-id")
	t.Setenv("BPGEN_ORG_CLIENT_SECRET", "emu-secret")
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), []string{"verify", "--bundle", rootBundle, "--org-url", url, "--outputs", f.outputs}, strings.NewReader(""), &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "check BPGEN_ORG_CLIENT_ID, BPGEN_ORG_CLIENT_SECRET") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	sawEmu := false
	for _, a := range seen() {
		sawEmu = sawEmu || strings.Contains(a, base64.StdEncoding.EncodeToString([]byte("emu-id:emu-secret"))) || strings.Contains(a, "emu-secret")
		if strings.Contains(a, realSecret) || strings.Contains(a, basic) {
			t.Errorf("the real org's credentials were sent to --org-url: %q", a)
		}
	}
	if !sawEmu {
		t.Errorf("the org-url's own credentials were not sent: %q", seen())
	}

	// Plain http to anything but loopback is refused before any request.
	for _, cmd := range []string{"verify", "wire"} {
		var out, errb bytes.Buffer
		code := cli.Run(context.Background(), []string{cmd, "--bundle", rootBundle, "--org-url", "http://org.example.com:8080", "--client-id", "a", "--client-secret", "b", "--outputs", f.outputs}, strings.NewReader(""), &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), "plain http only to loopback") {
			t.Errorf("%s http non-loopback: exit %d, stderr %q", cmd, code, errb.String())
		}
	}
}
