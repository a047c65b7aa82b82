// Package wire is `bpgen wire`: after `terraform apply`, it sets through the
// Platform API what the provider cannot (see package
// github.com/bpgen/bpgen/wire), printing one line per setting.
//
// The object ids come from the bundle's Terraform outputs (`terraform output
// -json` in <bundle>/terraform, or a file holding that JSON), the
// credentials from the provider's own environment variables, so the command
// runs in the same shell as `terraform apply`.
package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/cli/orgaccess"
	"github.com/bpgen/bpgen/internal/platform/api"
	bpwire "github.com/bpgen/bpgen/internal/postapply/wire"
)

type options struct {
	orgaccess.Flags
	dryRun, asJSON bool
}

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	var o options
	cmd := o.Command(&cobra.Command{
		Use:   "wire [--bundle dir] [--outputs file.json] [--dry-run] [--json]",
		Short: "After terraform apply, set what the provider cannot, through the Platform API",
		Long: `Wire does after ` + "`terraform apply`" + ` what the Terraform provider cannot: it binds the
open-messaging integration's message recipient to the inbound message flow,
and, when bpgen.yaml asks (channels.*.resolveIdentities), turns on the
platform's identity resolution for the open-messaging integration (keyed on
the bundle's external source) and for the Messenger deployment.

It reads each setting, compares it with what the bundle wants, and writes only
what differs, so running it again changes nothing. A setting bpgen.yaml does
not ask for is neither read nor written: an admin's choice is kept.
--dry-run reads and reports without writing.

Object ids come from ` + "`terraform output -json`" + ` run in <bundle>/terraform
(terraform from $BPGEN_TERRAFORM or PATH), or from --outputs, a file holding
that JSON (- reads it from stdin).
Credentials are the provider's: GENESYSCLOUD_OAUTHCLIENT_ID,
GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (or the flags below);
with --org-url (https unless loopback) they come from the flags or
BPGEN_ORG_CLIENT_ID/BPGEN_ORG_CLIENT_SECRET, never the provider's variables;
--org-url points at an emulated org (` + "`bpgen org serve`" + `) instead of a region.

Each line is unchanged, would change (--dry-run), changed, left alone or
failed, with the setting before → after.

Exit codes: 0 done (or nothing to do), 1 a setting could not be read or
written, 2 bad usage, credentials, bundle or outputs.`,
	}, func(ctx context.Context) error { return run(ctx, env, o) })
	f := cmd.Flags()
	f.BoolVar(&o.dryRun, "dry-run", false, "read and report, write nothing")
	f.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	return cmd
}

func run(ctx context.Context, env *clienv.Env, o options) error {
	man, err := o.Manifest()
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "bundle %s: %s", o.Bundle, err)
	}
	need, err := bpwire.RequiredOutputs(man)
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "bundle %s: %s", o.Bundle, err)
	}
	// Every bundle kind is held to the same inputs, even one with nothing
	// to wire: garbage outputs, wrong credentials and an unreachable org are
	// input errors (exit 2) before anything is read or written. Only a
	// bundle that asks for nothing, run with no org named at all, needs
	// neither.
	var outputs map[string]string
	var from string
	if len(need) > 0 || o.Outputs != "" {
		if outputs, from, err = o.TerraformOutputs(ctx, env.Stdin); err != nil {
			return clienv.Exit(clienv.ExitInput, "%s", err)
		}
		if err := bpwire.CheckOutputs(man, outputs); err != nil {
			return clienv.Exit(clienv.ExitInput, "%s: %s", from, err)
		}
	}
	var client *api.Client
	if len(need) > 0 || o.AnyCredentials() {
		if client, err = o.Client("bpgen wire"); err != nil {
			return clienv.Exit(clienv.ExitInput, "%s", err)
		}
		if err := o.SignIn(ctx, client); err != nil {
			return clienv.Exit(clienv.ExitInput, "%s", err)
		}
	}
	changes, err := bpwire.Plan(ctx, client, man, outputs)
	if err != nil {
		if _, ok := errors.AsType[*bpwire.MissingOutputsError](err); ok {
			return clienv.Exit(clienv.ExitInput, "%s: %s", from, err)
		}
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	if !o.dryRun {
		changes, _ = bpwire.Apply(ctx, client, changes) // failures are in changes
	}
	if o.asJSON {
		if err := writeJSON(env.Stdout, o, changes); err != nil {
			return err
		}
	} else {
		writeText(env.Stdout, o.dryRun, changes)
	}
	failed := bpwire.FailedChanges(changes)
	if len(failed) == 0 {
		return nil
	}
	msg := fmt.Sprintf("%d of %d settings failed", len(failed), len(changes))
	if slices.ContainsFunc(failed, func(ch bpwire.Change) bool { return api.IsUnauthorized(ch.Err) }) {
		id, secret := o.CredentialVars()
		msg += fmt.Sprintf(" (401: check %s, %s and the region)", id, secret)
	}
	return clienv.Exit(clienv.ExitFound, "%s", msg)
}

func writeText(w io.Writer, dryRun bool, changes []bpwire.Change) {
	for _, ch := range changes {
		fmt.Fprintf(w, "%-12s  %s\n", ch.Status.Label(), ch)
	}
	var parts []string
	for _, s := range []bpwire.Status{bpwire.Changed, bpwire.WouldChange, bpwire.Unchanged, bpwire.LeftAlone, bpwire.Failed} {
		if n := bpwire.Count(changes, s); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.Label()))
		}
	}
	summary := strings.Join(parts, ", ")
	if len(parts) == 0 {
		summary = "nothing to do"
	} else if bpwire.Count(changes, bpwire.WouldChange)+bpwire.Count(changes, bpwire.Changed)+bpwire.Count(changes, bpwire.Failed) == 0 {
		summary = "nothing to do (" + summary + ")"
	}
	if dryRun {
		summary = "dry run, nothing written: " + summary
	}
	fmt.Fprintln(w, summary)
}

func writeJSON(w io.Writer, o options, changes []bpwire.Change) error {
	if changes == nil {
		changes = []bpwire.Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Bundle  string          `json:"bundle"`
		DryRun  bool            `json:"dryRun"`
		OK      bool            `json:"ok"`
		Changes []bpwire.Change `json:"changes"`
	}{o.Bundle, o.dryRun, len(bpwire.FailedChanges(changes)) == 0, changes})
}
