// Package verify is `bpgen verify`: after `terraform apply` (and `bpgen
// wire`), it checks the deployment through the Platform API and drives one
// conversation through Messenger as a customer would, printing one line per
// check and a pass/fail summary. It is the harness's verification
// (github.com/bpgen/bpgen/verify) for people who do not write Go.
package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/cli/orgaccess"
	"github.com/bpgen/bpgen/internal/format/manifest"
	bpverify "github.com/bpgen/bpgen/internal/postapply/verify"
)

type options struct {
	orgaccess.Flags
	origin         string
	noConversation bool
	timeout        time.Duration
}

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	var o options
	cmd := o.Command(&cobra.Command{
		Use:   "verify [--bundle dir] [--outputs file.json] [--no-conversation]",
		Short: "Check a deployed bundle through the Platform API and with a real conversation",
		Long: `Verify checks a bundle deployed with ` + "`terraform apply`" + ` (and ` + "`bpgen wire`" + `):

  - every object exists with its name and type: flows published, data actions
    carrying exactly the rendered contracts and templates, the lookup action's
    /test finding a contact seeded for the run, the integration enabled, the
    role granting what the actions need, Messenger Active on the inbound flow;
  - then, for a web-messaging bundle, a conversation: a curated contact is
    seeded with values unique to the run, a guest session opens on the
    Messenger deployment, the customer answers the bot's questions with the
    contact's values, the conversation is found (analytics) and its contact
    must resolve to the seeded one; the customer must see no internal id.
    Every contact the run created or merged is deleted afterwards.
    --no-conversation skips this part.

Object ids come from ` + "`terraform output -json`" + ` run in <bundle>/terraform
(terraform from $BPGEN_TERRAFORM or PATH), or from --outputs, a file holding
that JSON (- reads it from stdin).
Credentials are the provider's: GENESYSCLOUD_OAUTHCLIENT_ID,
GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (or the flags below);
--org-url points at an emulated org instead of a region: it must be https
unless loopback, and its credentials come from --client-id/--client-secret or
BPGEN_ORG_CLIENT_ID/BPGEN_ORG_CLIENT_SECRET, never from the provider's
variables (a real org's credentials are never sent to another host).

Each check prints one line (ok, FAIL or skip), then a summary.

Exit codes: 0 every check passed, 1 a check failed, 2 bad usage, credentials,
bundle or outputs, 3 incomplete (--timeout reached or interrupted: never PASS).`,
	}, func(ctx context.Context) error { return run(ctx, env, o) })
	f := cmd.Flags()
	f.BoolVar(&o.noConversation, "no-conversation", false, "check the deployment only; drive no conversation")
	f.DurationVar(&o.timeout, "timeout", 10*time.Minute, "give up after this long")
	f.StringVar(&o.origin, "origin", "", "Origin header of the guest WebSocket (default: a host under the deployment's first allowed domain)")
	return cmd
}

func run(ctx context.Context, env *clienv.Env, o options) error {
	if o.timeout <= 0 {
		return clienv.Exit(clienv.ExitInput, "--timeout must be positive")
	}
	b, err := bpverify.LoadBundle(o.Bundle)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return clienv.Exit(clienv.ExitInput, "bundle %s: no %s: not a rendered bundle (run `bpgen render`, or pass --bundle)", o.Bundle, manifest.Path)
		}
		return clienv.Exit(clienv.ExitInput, "bundle %s: %s", o.Bundle, err)
	}
	if b.Manifest.Format != manifest.Format {
		return clienv.Exit(clienv.ExitInput, "bundle %s: %s: format %q, want %q: re-render the bundle with this bpgen", o.Bundle, manifest.Path, b.Manifest.Format, manifest.Format)
	}
	client, err := o.Client("bpgen verify")
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	incomplete := func(checks, failed int) error {
		why := fmt.Sprintf("--timeout %s reached", o.timeout)
		if parent.Err() != nil {
			why = "interrupted"
		}
		fmt.Fprintf(env.Stdout, "INCOMPLETE: %s after %d checks (%d failed); the deployment is not verified\n", why, checks, failed)
		return clienv.Exit(clienv.ExitIncomplete, "verification incomplete: %s", why)
	}
	outputs, from, err := o.TerraformOutputs(ctx, env.Stdin)
	if err != nil {
		if ctx.Err() != nil {
			return incomplete(0, 0)
		}
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	if missing := missingOutputs(b.Manifest, outputs); len(missing) > 0 {
		return clienv.Exit(clienv.ExitInput, "%s: no output %s: has `terraform apply` run for this bundle?", from, strings.Join(missing, ", "))
	}
	if err := o.SignIn(ctx, client); err != nil {
		if ctx.Err() != nil {
			return incomplete(0, 0)
		}
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}

	runID := bpverify.NewRunID()
	fmt.Fprintf(env.Stdout, "verifying bundle %s in %s (run %s)\n", o.Bundle, client.Endpoints().API, runID)
	res := bpverify.Run(ctx, client, b, outputs, bpverify.RunOptions{
		RunID:          runID,
		NoConversation: o.noConversation,
		Conversation:   bpverify.ConversationOptions{Origin: o.origin},
		Progress:       env.Stdout,
	})
	// A run cut short may have turned every remaining check into a skip or
	// a quick "ok": it proves nothing, whatever the checks say.
	if ctx.Err() != nil {
		return incomplete(len(res.Checks), len(res.Failed()))
	}
	return summarize(env.Stdout, res, o.noConversation)
}

// summarize prints the last line (and the failures again, so they are not
// lost in a long run) and turns the result into the exit code.
func summarize(w io.Writer, res bpverify.Result, noConversation bool) error {
	total, failed := len(res.Checks), res.Failed()
	var note string
	switch {
	case noConversation:
		note = " (conversation not driven: --no-conversation)"
	case res.Conversation != nil && res.Conversation.Skipped != "":
		note = " (conversation skipped: web messaging only)"
	}
	if len(failed) == 0 {
		fmt.Fprintf(w, "PASS: %d checks passed%s\n", total, note)
		return nil
	}
	fmt.Fprintf(w, "FAIL: %d of %d checks failed%s:\n", len(failed), total, note)
	for _, f := range failed {
		fmt.Fprintf(w, "  %s %s: %s\n", f.Object, f.What, f.Detail)
	}
	return clienv.Exit(clienv.ExitFound, "verification failed: %d of %d checks", len(failed), total)
}

// missingOutputs lists the id outputs the manifest names that the outputs
// lack: usually apply has not run, or the outputs are another bundle's.
func missingOutputs(m *manifest.Manifest, outputs map[string]string) []string {
	var out []string
	for _, obj := range m.Objects {
		if obj.Output != "" && obj.Managed && strings.TrimSpace(outputs[obj.Output]) == "" {
			out = append(out, obj.Output)
		}
	}
	return out
}
