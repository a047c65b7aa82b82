package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/postapply/verify"
)

// TestRealProviderAppliesEveryBundle runs the real mypurecloud/genesyscloud
// provider (the version versions.tf pins) against `org serve --empty` on
// loopback, for the root bundle and every example: what an example only
// looks up (a division, a queue, an external source, queue members) is
// created first, as its README asks of a real org; then terraform init, the
// client-credentials path (apply the role, the administrator's one-time
// grant, apply everything), a plan that must be empty, bpgen wire and
// verify on the outputs (a conversation through the flows Terraform
// published included), and destroy, after which the org lists nothing. It
// needs terraform and the provider (registry.terraform.io reachable, or a
// TF_CLI_CONFIG_FILE with a provider mirror); without them it skips, saying
// which is missing.
func TestRealProviderAppliesEveryBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the real-provider test runs terraform")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH; the real-provider test needs it and the mypurecloud/genesyscloud provider")
	}
	bundles := []string{root}
	examples, _ := filepath.Glob(filepath.Join(root, "examples", "*", manifest.Path))
	for _, m := range examples {
		bundles = append(bundles, filepath.Dir(m))
	}
	// One init up front says whether the provider is installable here at
	// all; init needs no org.
	probe := exec.Command(tf, "init", "-no-color", "-backend=false")
	probe.Dir = filepath.Join(stageBundle(t, root, "http://127.0.0.1:9"), "terraform")
	probe.Env = append(os.Environ(), "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
	if out, err := probe.CombinedOutput(); err != nil {
		t.Skipf("the provider is not installable here (terraform init failed; reach registry.terraform.io or set TF_CLI_CONFIG_FILE to a provider mirror): %s", lastLines(string(out), 6))
	}
	for _, dir := range bundles {
		t.Run(filepath.Base(filepath.Clean(dir)), func(t *testing.T) {
			applyWithProvider(t, tf, dir)
		})
	}
}

// applyWithProvider is the whole Terraform life cycle of one bundle against
// a fresh empty org.
func applyWithProvider(t *testing.T, tf, bundle string) {
	e, c, m := startEmpty(t, bundle)
	vars := lookupFixtures(t, c, e, bundle, m)
	dir := stageBundle(t, bundle, e.URL)
	run := func(timeout time.Duration, args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, tf, args...)
		cmd.Dir = filepath.Join(dir, "terraform")
		// The printed client of org serve --empty; any valid region (the
		// gateway block takes every call, the login included).
		cmd.Env = append(os.Environ(), "GENESYSCLOUD_OAUTHCLIENT_ID="+e.ClientID, "GENESYSCLOUD_OAUTHCLIENT_SECRET="+e.ClientSecret.Reveal(),
			"GENESYSCLOUD_REGION=us-east-1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
		for k, v := range vars {
			cmd.Env = append(cmd.Env, "TF_VAR_"+k+"="+v)
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	if out, err := run(3*time.Minute, "init", "-no-color"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}
	must := func(timeout time.Duration, args ...string) string {
		t.Helper()
		out, err := run(timeout, args...)
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	destroyed := false
	defer func() {
		if !destroyed {
			_, _ = run(10*time.Minute, "destroy", "-auto-approve", "-no-color")
		}
	}()

	// The client-credentials path of the README: the role first, then the
	// administrator's one-time grant of it to the Terraform client.
	if role := m.Object("role"); role != nil && role.Managed {
		must(5*time.Minute, "apply", "-auto-approve", "-no-color", "-target="+role.Address)
		roles, _ := c.call("GET", "/api/v2/authorization/roles", nil, 200)["entities"].([]any)
		if len(roles) != 1 {
			t.Fatalf("after the targeted apply the org has %d roles", len(roles))
		}
		c.call("PUT", "/emulator/oauth/clients/"+e.ClientID+"/roles", []map[string]any{{"roleId": path(roles[0], "id"), "divisionId": "*"}}, 200)
	}
	must(20*time.Minute, "apply", "-auto-approve", "-no-color")

	// A second plan is empty: -detailed-exitcode is 0 for no changes, 2 for a diff.
	if out, err := run(5*time.Minute, "plan", "-detailed-exitcode", "-no-color"); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 2 {
			t.Errorf("the plan after apply is not empty:\n%s", out)
		} else {
			t.Fatalf("terraform plan: %v\n%s", err, out)
		}
	}

	var outputs map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(must(time.Minute, "output", "-json")), &outputs); err != nil {
		t.Fatal(err)
	}
	flat := map[string]string{}
	for k, v := range outputs {
		if s, ok := v.Value.(string); ok {
			flat[k] = s
		}
	}
	ac, vb, _ := wireAndVerify(t, e, bundle, flat)

	must(10*time.Minute, "destroy", "-auto-approve", "-no-color")
	destroyed = true
	for _, f := range verify.Destroyed(context.Background(), ac, vb, flat, verify.Options{}).Failed() {
		t.Errorf("after terraform destroy: FAIL %s %s: %s", f.Object, f.What, f.Detail)
	}
}

// lookupFixtures creates what a bundle looks up instead of creating (the
// unmanaged objects its manifest names, the users of its
// queue_member_emails default) and returns values for the variables it
// declares without a default: an existing data-actions client, an
// open-messaging webhook secret.
func lookupFixtures(t *testing.T, c *tfClient, e *stack.Org, bundle string, m *manifest.Manifest) map[string]string {
	t.Helper()
	for _, obj := range m.Objects {
		if obj.Managed || obj.Name == "" {
			continue
		}
		switch obj.Kind {
		case "division":
			c.call("POST", "/api/v2/authorization/divisions", map[string]any{"name": obj.Name, "description": "fixture"}, 200)
		case "queue":
			c.call("POST", "/api/v2/routing/queues", map[string]any{"name": obj.Name}, 200)
		case "external_source":
			c.call("POST", "/api/v2/externalcontacts/externalsources", map[string]any{"name": obj.Name, "active": true}, 200)
		}
	}
	vars := map[string]string{}
	tfvars := string(mustRead(t, filepath.Join(bundle, "terraform", "variables.tf")))
	if i := strings.Index(tfvars, `variable "queue_member_emails"`); i >= 0 {
		if d := memberDefault.FindStringSubmatch(tfvars[i:]); d != nil {
			for _, q := range quoted.FindAllStringSubmatch(d[1], -1) {
				c.call("POST", "/emulator/users", map[string]any{"name": q[1], "email": q[1]}, 201)
			}
		}
	}
	if strings.Contains(tfvars, `variable "data_actions_client_id"`) {
		cl, err := e.Org.CreateOAuthClient(org.OAuthClient{Name: "existing data actions client"})
		if err != nil {
			t.Fatal(err)
		}
		vars["data_actions_client_id"], vars["data_actions_client_secret"] = cl.ID, cl.Secret
	}
	if strings.Contains(tfvars, `variable "open_messaging_webhook_secret"`) {
		vars["open_messaging_webhook_secret"] = "fixture-webhook-secret-0123456789"
	}
	return vars
}

// stageBundle copies the root bundle's terraform and flows directories into
// a temporary directory (the flows are read from ../flows) and adds the
// provider's gateway block as an override file.
func stageBundle(t *testing.T, bundle, base string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"terraform", "flows"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(filepath.Join(bundle, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			if en.IsDir() || strings.HasPrefix(en.Name(), ".") {
				continue
			}
			b := mustRead(t, filepath.Join(bundle, sub, en.Name()))
			if err := os.WriteFile(filepath.Join(dir, sub, en.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	override := fmt.Sprintf("provider \"genesyscloud\" {\n  gateway {\n    protocol = %q\n    host     = %q\n    port     = %q\n  }\n}\n", u.Scheme, u.Hostname(), u.Port())
	if err := os.WriteFile(filepath.Join(dir, "terraform", "gateway_override.tf"), []byte(override), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

var (
	memberDefault = regexp.MustCompile(`(?s)^[^}]*?default\s*=\s*\[([^\]]*)\]`)
	quoted        = regexp.MustCompile(`"([^"]+)"`)
)

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
