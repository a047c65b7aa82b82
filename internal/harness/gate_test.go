package harness

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
)

// The skip reason is one line that says what to set, names what is
// missing, and never shows a value.
func TestAcceptanceSkipReason(t *testing.T) {
	const secret = "s3cr3t-value"
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // "" = runs
	}{
		{"not asked", map[string]string{EnvAcceptance: ""}, "set BPGEN_ACC=1 with GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION to run it"},
		{"no credentials", map[string]string{EnvAcceptance: "1", contract.EnvClientID: "id", contract.EnvClientSecret: "", contract.EnvRegion: ""}, "BPGEN_ACC=1 but GENESYSCLOUD_OAUTHCLIENT_SECRET, GENESYSCLOUD_REGION not set"},
		{"no terraform", map[string]string{EnvAcceptance: "1", contract.EnvClientID: "id", contract.EnvClientSecret: secret, contract.EnvRegion: "eu-west-1", "BPGEN_TERRAFORM": "no-such-terraform"}, "BPGEN_ACC=1 but exec: \"no-such-terraform\": executable file not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{EnvAcceptance, contract.EnvClientID, contract.EnvClientSecret, contract.EnvRegion, "BPGEN_TERRAFORM"} {
				t.Setenv(k, tc.env[k])
			}
			got := AcceptanceSkipReason()
			if !strings.Contains(got, tc.want) || strings.Contains(got, "\n") || strings.Contains(got, secret) {
				t.Errorf("reason %q, want it to contain %q on one line", got, tc.want)
			}
		})
	}
}

func TestCredentialsNeverShowTheSecret(t *testing.T) {
	c := Credentials{ClientID: "id", Secret: "s3cr3t-value", Region: "eu-west-1"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v %#v %v", c, c, c.Secret)} {
		if strings.Contains(s, "s3cr3t") {
			t.Errorf("%q shows the secret", s)
		}
	}
}

// A bundle that creates its OAuth client is applied only with a user token:
// under client credentials the apply would fail at the client, so the run
// skips saying what to export. Other bundles need no token.
func TestUserTokenSkipReason(t *testing.T) {
	creates := &manifest.Manifest{Objects: []manifest.Object{{Kind: "role", Managed: true}, {Kind: "oauth_client", Managed: true}}}
	existing := &manifest.Manifest{Objects: []manifest.Object{{Kind: "integration", Managed: true}}}
	t.Setenv(contract.EnvAccessToken, "")
	if got := UserTokenSkipReason(creates); !strings.Contains(got, contract.EnvAccessToken) || !strings.Contains(got, "credentials: create") {
		t.Errorf("creating bundle without a user token: reason %q", got)
	}
	if got := UserTokenSkipReason(existing); got != "" {
		t.Errorf("bundle without an OAuth client skipped: %q", got)
	}
	t.Setenv(contract.EnvAccessToken, "user-token")
	if got := UserTokenSkipReason(creates); got != "" {
		t.Errorf("with a user token the bundle still skips: %q", got)
	}
}
