package bundle_test

import (
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
)

func mustConfig(t *testing.T, text string) *config.Config {
	t.Helper()
	cfg, _, ds := config.Parse("bpgen.yaml", []byte(text))
	if cfg == nil {
		t.Fatal(ds)
	}
	return cfg
}

// A user's edits to dev.auto.tfvars survive a re-render; a secret typed there does not.
func TestTfvarsKeepsUserValues(t *testing.T) {
	cfg := mustConfig(t, `
version: 1
identifiers: [{type: Email, ask: {}}]
channels:
  openMessaging: {enabled: true, webhookUrl: "https://a.example.com/x"}
`)
	prev := []byte(`queue_member_emails = ["me@example.com"] # mine
open_messaging_webhook_url = "https://prod.example.com/hook"
open_messaging_webhook_secret = "do-not-keep-this-secret-value"
legacy_setting = 3
`)
	res, err := bundle.Render(cfg, bundle.Options{PrevTfvars: prev})
	if err != nil {
		t.Fatal(err)
	}
	got := string(res.Files["terraform/dev.auto.tfvars"])
	for _, want := range []string{`queue_member_emails = ["me@example.com"]`, `"https://prod.example.com/hook"`, "legacy_setting"} {
		if !strings.Contains(got, want) {
			t.Errorf("dev.auto.tfvars lost %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "do-not-keep-this-secret-value") {
		t.Errorf("dev.auto.tfvars kept a secret:\n%s", got)
	}
	notes := strings.Join(res.Notes, "\n")
	if !strings.Contains(notes, "open_messaging_webhook_secret") || strings.Contains(notes, "do-not-keep") {
		t.Errorf("notes should name the dropped secret without its value: %q", notes)
	}
	if _, err := bundle.Render(cfg, bundle.Options{PrevTfvars: []byte("x = = 1")}); err == nil {
		t.Error("a dev.auto.tfvars that does not parse must stop the render, not be overwritten")
	}
}

// Rendering over render's own output changes nothing, for every credentials
// mode and channel mix: otherwise `render --check` reports drift right after
// `render`.
func TestRenderOverItselfIsIdentical(t *testing.T) {
	for _, creds := range []string{"create", "existingClient", "existingIntegration"} {
		for _, channels := range []string{"", "channels:\n  openMessaging: {enabled: true, webhookUrl: \"https://a.example.com/x\"}\n"} {
			cfg := mustConfig(t, "version: 1\nidentifiers: [{type: Email, ask: {}}]\ndataActions: {credentials: "+creds+"}\n"+channels)
			first, err := bundle.Render(cfg, bundle.Options{})
			if err != nil {
				t.Fatal(err)
			}
			again, err := bundle.Render(cfg, bundle.Options{PrevTfvars: first.Files["terraform/dev.auto.tfvars"]})
			if err != nil {
				t.Fatal(err)
			}
			for p, b := range first.Files {
				if string(again.Files[p]) != string(b) {
					t.Errorf("credentials %s: %s changes when rendered over itself:\n%s\n---\n%s", creds, p, b, again.Files[p])
				}
			}
		}
	}
}
