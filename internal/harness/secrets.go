package harness

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
)

// TestSecrets returns a throw-away value for every secret variable a bundle
// declares that a test run can make up itself (the open-messaging webhook
// secret); an existing OAuth client's id and secret must come from the
// caller. Values are random so no test secret is ever written down.
func TestSecrets(m *manifest.Manifest, existingClientID, existingClientSecret string) map[string]string {
	out := map[string]string{}
	if m.Object(contract.KindOpenMessagingIntegration) != nil {
		out[contract.VarOpenMessagingWebhookSecret] = "bpgen-test-" + random(16)
	}
	if m.Object(contract.KindIntegrationCredential) != nil {
		out[contract.VarDataActionsClientID] = existingClientID
		out[contract.VarDataActionsClientSecret] = existingClientSecret
	}
	return out
}

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
