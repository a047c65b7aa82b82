package permissions

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/testutil"
)

var permForm = regexp.MustCompile(`^[a-zA-Z-]+:[a-zA-Z-]+:([a-zA-Z]+|\*)$`)

func TestEntriesAreCitedAndWellFormed(t *testing.T) {
	all := append(append(append(append([]Entry{}, Terraform...), DataActions...), Wire...), Verify...)
	all = append(all, UserCallerRoleGrant, ClientRoleGrant)
	for _, e := range all {
		if e.Source == "" {
			t.Errorf("%s: no source", e.Key)
		}
		for _, p := range e.Permissions {
			if !permForm.MatchString(p) {
				t.Errorf("%s: %q is not domain:entity:action", e.Key, p)
			}
			// Credentials are governed by integrations:integration:* (integration_credential.md).
			if strings.HasPrefix(p, "integrations:credential:") {
				t.Errorf("%s: %s is not a Genesys permission", e.Key, p)
			}
		}
	}
}

func TestDataActionCallsResolve(t *testing.T) {
	got, err := ForDataAction("GET", "/api/v2/conversations/${input.conversationId}")
	if err != nil || len(got) != 1 || got[0] != "conversation:communication:view" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := ForDataAction("DELETE", "/api/v2/externalcontacts/contacts/${input.contactId}"); err == nil {
		t.Fatal("a call without an entry resolved")
	}
}

const (
	verifyStart = "<!-- bpgen:verify-permissions (generated from internal/render/permissions; go test ./internal/render/permissions -update) -->\n"
	verifyEnd   = "<!-- /bpgen:verify-permissions -->"
)

// VerifyMarkdown is the root README's list of what `bpgen verify` needs.
func verifyMarkdown() string {
	var b strings.Builder
	for _, e := range Verify {
		b.WriteString("- " + e.Markdown() + "\n")
	}
	return b.String()
}

// The root README's verify list is the table's.
func TestRootREADMEVerifyList(t *testing.T) {
	testutil.GeneratedBlock(t, "../../../README.md", verifyStart, verifyEnd, verifyMarkdown(), "go test ./internal/render/permissions -update")
}
