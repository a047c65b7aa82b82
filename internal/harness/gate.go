package harness

import (
	"os"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
)

// The environment an acceptance run reads. The credentials are the
// Terraform provider's own variables, so one set of exports serves
// terraform, the harness, `bpgen verify` and `bpgen wire`.
const (
	// EnvAcceptance turns the acceptance test on; it also needs the
	// provider's contract.EnvClientID, contract.EnvClientSecret and contract.EnvRegion.
	EnvAcceptance = "BPGEN_ACC"
	// EnvExamples chooses examples by directory name ("blueprint,phone-second-factor").
	EnvExamples = "BPGEN_EXAMPLES"
	// EnvWorkDir keeps each example's rendered bundle and Terraform state
	// under one directory, so a kept deployment can be verified again with
	// BPGEN_SKIP_RENDER=1 BPGEN_SKIP_APPLY=1.
	EnvWorkDir = "BPGEN_WORKDIR"
)

// Credentials are the org an acceptance run deploys to. Secret is never
// logged; String shows the region and client id only.
type Credentials struct {
	ClientID string
	Secret   api.Secret // formats as [redacted]
	Region   string
}

// String describes the credentials without the secret.
func (c Credentials) String() string {
	return "client " + c.ClientID + " in " + c.Region
}

// AcceptanceSkipReason says, in one line, why an acceptance run cannot run
// in this environment, or "" when it can: BPGEN_ACC=1, the provider's three
// credential variables, and a terraform binary. Missing variables are named,
// never their values.
func AcceptanceSkipReason() string {
	if os.Getenv(EnvAcceptance) != "1" {
		return "acceptance test against a real org: set " + EnvAcceptance + "=1 with " + contract.EnvClientID + ", " + contract.EnvClientSecret + " and " + contract.EnvRegion + " to run it"
	}
	var missing []string
	for _, k := range []string{contract.EnvClientID, contract.EnvClientSecret, contract.EnvRegion} {
		if strings.TrimSpace(os.Getenv(k)) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return EnvAcceptance + "=1 but " + strings.Join(missing, ", ") + " not set"
	}
	if _, err := FindBinary(""); err != nil {
		return EnvAcceptance + "=1 but " + err.Error()
	}
	return ""
}

// UserTokenSkipReason says why a bundle cannot be applied by one acceptance
// run here, or "" when it can. A bundle that creates its data-actions OAuth
// client also creates the role that client gets, and the platform lets a
// caller give only roles it holds: the provider adds the new role to a user
// caller first, never to a client-credentials caller
// (updateTerraformUserWithRole, resource_genesyscloud_oauth_client.go at
// v1.82.0). The README's one-time grant does not fit a test run either,
// since every run's role carries its own run id.
func UserTokenSkipReason(m *manifest.Manifest) string {
	if strings.TrimSpace(os.Getenv(contract.EnvAccessToken)) != "" {
		return ""
	}
	for _, o := range m.Objects {
		if o.Kind == contract.KindOAuthClient && o.Managed {
			return "this bundle creates its data-actions OAuth client and its role (dataActions.credentials: create): export " + contract.EnvAccessToken + " (an administrator's user token) so Terraform can hold the role it grants"
		}
	}
	return ""
}

// RequireAcceptance skips t unless an acceptance run can run here, and
// returns the org's credentials.
func RequireAcceptance(t testing.TB) Credentials {
	t.Helper()
	if reason := AcceptanceSkipReason(); reason != "" {
		t.Skip(reason)
	}
	return Credentials{
		ClientID: strings.TrimSpace(os.Getenv(contract.EnvClientID)),
		Secret:   api.Secret(os.Getenv(contract.EnvClientSecret)),
		Region:   strings.TrimSpace(os.Getenv(contract.EnvRegion)),
	}
}
