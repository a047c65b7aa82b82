package render_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/cli"
)

// runSplit keeps stdout and stderr apart: the redaction note goes to stderr.
func runSplit(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// A secret typed into dev.auto.tfvars, for a sensitive variable or under a
// secret-looking name, never reaches the --check diff (CI logs): the line
// is there, its value redacted, and the user is told.
func TestCheckRedactsSecrets(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bpgen.yaml")
	src, err := os.ReadFile("../../../examples/open-messaging-external-id/bpgen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, src, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runSplit(t, "render", "-c", cfg, "-o", dir); code != 0 {
		t.Fatalf("render: exit %d\n%s", code, errs)
	}
	tfvars := filepath.Join(dir, "terraform", "dev.auto.tfvars")
	orig, err := os.ReadFile(tfvars)
	if err != nil {
		t.Fatal(err)
	}
	const s1, s2, s3 = "whsec-0123456789abcdef-SECRET", "tok-9876543210-SECRET", "pw-in-url-SECRET"
	edited := string(orig) +
		"open_messaging_webhook_secret = \"" + s1 + "\"\n" +
		"my_api_token = <<EOT\n" + s2 + "\nEOT\n" +
		"partner_url = \"https://me:" + s3 + "@example.com/x\"\n"
	if err := os.WriteFile(tfvars, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runSplit(t, "render", "--check", "-c", cfg, "-o", dir)
	if code != 1 {
		t.Fatalf("render --check: exit %d\n%s%s", code, out, errs)
	}
	for _, s := range []string{s1, s2, s3} {
		if strings.Contains(out+errs, s) {
			t.Errorf("secret %q printed:\n%s%s", s, out, errs)
		}
	}
	if !strings.Contains(out, "-open_messaging_webhook_secret = (value redacted by bpgen") {
		t.Errorf("the removed line does not say it was redacted:\n%s", out)
	}
	if !strings.Contains(errs, "redacted from the diff") {
		t.Errorf("no note on stderr:\n%s", errs)
	}
}
