package orgserve

import (
	"context"
	"fmt"
	"io"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/emulator/stack"
)

// runEmpty is `org serve --empty`: the org with nothing applied, described
// with what a Terraform user needs (gateway block, region, credentials).
func runEmpty(ctx context.Context, env *clienv.Env, so serveOptions) error {
	if so.keepTraces < 1 || so.keepConversations < 1 {
		return clienv.Exit(clienv.ExitInput, "--keep-traces and --keep-conversations must be at least 1")
	}
	e, err := stack.StartEmpty(&stack.Options{Addr: so.addr, OnDone: reporter(env, so.quiet), KeepTraces: so.keepTraces, KeepConversations: so.keepConversations})
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	defer e.Close()
	e.SetHandler(handler(e.Org, e.Runtime, func() bool { return len(e.Org.WebDeployments()) > 0 }))
	describeEmpty(env.Stdout, e)
	return serveUntilStopped(ctx, env, so.dryRun)
}

func describeEmpty(w io.Writer, e *stack.Org) {
	fmt.Fprintf(w, "Emulated org at %s with nothing applied (home division %q only)\n", e.URL, org.HomeDivision().Name)
	// A throw-away client of this local emulator, not a credential of any real org.
	fmt.Fprintf(w, "OAuth client (POST %s/oauth/token, grant_type=client_credentials):\n", e.URL)
	fmt.Fprintf(w, "  client id:     %s\n", e.ClientID)
	fmt.Fprintf(w, "  client secret: %s\n", e.ClientSecret.Reveal())
	host, port := hostPort(e.URL)
	fmt.Fprintf(w, "Terraform: set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET to the client above,\n")
	fmt.Fprintf(w, "GENESYSCLOUD_REGION=us-east-1 (any valid region; the gateway takes every call), and in the provider block:\n")
	fmt.Fprintf(w, "  gateway {\n    protocol = \"http\"\n    host     = %q\n    port     = %q\n  }\n", host, port)
	fmt.Fprintf(w, "Grant a role Terraform created to this client (client-credentials path): PUT %s/emulator/oauth/clients/%s/roles\n", e.URL, e.ClientID)
}
