package harness

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/bpgen/bpgen/format/manifest"
)

// TestSecrets returns a throw-away value for every secret variable a bundle
// declares that a test run can make up itself (the open-messaging webhook
// secret); an existing OAuth client's id and secret must come from the
// caller. Values are random so no test secret is ever written down.
func TestSecrets(m *manifest.Manifest, existingClientID, existingClientSecret string) map[string]string {
	out := map[string]string{}
	if m.Object("open_messaging_integration") != nil {
		out["open_messaging_webhook_secret"] = "bpgen-test-" + random(16)
	}
	if m.Object("integration_credential") != nil {
		out["data_actions_client_id"] = existingClientID
		out["data_actions_client_secret"] = existingClientSecret
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
