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
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/format/manifest"
	"github.com/bpgen/bpgen/gcloud/api"
	"github.com/bpgen/bpgen/internal/cli/clienv"
	bpwire "github.com/bpgen/bpgen/wire"
)

// The Terraform provider's credential variables: wire reads the same ones,
// so one `export` serves both.
const (
	EnvClientID     = "GENESYSCLOUD_OAUTHCLIENT_ID"
	EnvClientSecret = "GENESYSCLOUD_OAUTHCLIENT_SECRET"
	EnvRegion       = "GENESYSCLOUD_REGION"
	// EnvTerraform names the terraform binary, as for the harness.
	EnvTerraform = "BPGEN_TERRAFORM"
)

type options struct {
	bundle, outputs                  string
	orgURL, region, clientID, secret string
	dryRun, asJSON                   bool
}

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	var o options
	cmd := &cobra.Command{
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
--org-url points at an emulated org (` + "`bpgen org serve`" + `) instead of a region.

Each line is unchanged, would change (--dry-run), changed, left alone or
failed, with the setting before → after.

Exit codes: 0 done (or nothing to do), 1 a setting could not be read or
written, 2 bad usage, credentials, bundle or outputs.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return run(cmd.Context(), env, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.bundle, "bundle", ".", "bundle directory (where bpgen.manifest.json is)")
	f.StringVar(&o.outputs, "outputs", "", "`file` holding what terraform output -json prints, - for stdin (default: run terraform output in <bundle>/terraform)")
	f.BoolVar(&o.dryRun, "dry-run", false, "read and report, write nothing")
	f.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	f.StringVar(&o.region, "region", "", "org region, e.g. eu-west-1 (default $"+EnvRegion+")")
	f.StringVar(&o.orgURL, "org-url", "", "base URL of an emulated org, e.g. http://127.0.0.1:8080, instead of a region")
	f.StringVar(&o.clientID, "client-id", "", "OAuth client id (default $"+EnvClientID+")")
	f.StringVar(&o.secret, "client-secret", "", "OAuth client secret (default $"+EnvClientSecret+"; prefer the variable: flags show in the process list)")
	return cmd
}

func run(ctx context.Context, env *clienv.Env, o options) error {
	man, err := loadManifest(o.bundle)
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "bundle %s: %s", o.bundle, err)
	}
	need, err := bpwire.RequiredOutputs(man)
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "bundle %s: %s", o.bundle, err)
	}
	var client *api.Client
	var outputs map[string]string
	var from string
	// A bundle that asks for nothing needs neither credentials nor outputs.
	if len(need) > 0 {
		if client, err = newClient(o); err != nil {
			return clienv.Exit(clienv.ExitInput, "%s", err)
		}
		if outputs, from, err = readOutputs(ctx, env.Stdin, o); err != nil {
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
		msg += fmt.Sprintf(" (401: check %s, %s and the region)", EnvClientID, EnvClientSecret)
	}
	return clienv.Exit(clienv.ExitFound, "%s", msg)
}

func loadManifest(dir string) (*manifest.Manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, manifest.Path))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no %s: not a rendered bundle (run `bpgen render`, or pass --bundle)", manifest.Path)
		}
		return nil, err
	}
	m, err := manifest.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", manifest.Path, err)
	}
	if m.Format != manifest.Format {
		return nil, fmt.Errorf("%s: format %q, want %q: re-render the bundle with this bpgen", manifest.Path, m.Format, manifest.Format)
	}
	return m, nil
}

// newClient resolves the credentials and endpoints from flags, then the
// provider's variables. Errors name what is missing, never a value.
func newClient(o options) (*api.Client, error) {
	pick := func(flag, envName string) string {
		if flag != "" {
			return flag
		}
		return strings.TrimSpace(os.Getenv(envName))
	}
	id, secret := pick(o.clientID, EnvClientID), pick(o.secret, EnvClientSecret)
	region := pick(o.region, EnvRegion)
	var missing []string
	if id == "" {
		missing = append(missing, EnvClientID+" (or --client-id)")
	}
	if secret == "" {
		missing = append(missing, EnvClientSecret+" (or --client-secret)")
	}
	if o.orgURL == "" && region == "" {
		missing = append(missing, EnvRegion+" (or --region; --org-url for an emulated org)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no credentials for the org: set %s, as for terraform apply", strings.Join(missing, ", "))
	}
	var ep api.Endpoints
	var err error
	if o.orgURL != "" {
		ep, err = api.LocalEndpoints(o.orgURL)
	} else {
		ep, err = api.RegionEndpoints(region)
	}
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "api: "))
	}
	return api.New(api.Config{Endpoints: ep, ClientID: id, ClientSecret: api.Secret(secret), UserAgent: "bpgen wire"})
}

// readOutputs returns the Terraform outputs and a phrase saying where they
// came from, for errors.
func readOutputs(ctx context.Context, stdin io.Reader, o options) (map[string]string, string, error) {
	if o.outputs != "" {
		var data []byte
		var err error
		from := o.outputs
		if o.outputs == "-" {
			// terraform output -json | bpgen wire --outputs -
			from = "outputs on stdin"
			data, err = io.ReadAll(stdin)
		} else {
			data, err = os.ReadFile(o.outputs)
			if pe, ok := errors.AsType[*fs.PathError](err); ok {
				err = pe.Err // the path is in the message already
			}
		}
		if err != nil {
			return nil, "", fmt.Errorf("--outputs %s: %w", o.outputs, err)
		}
		out, err := parseOutputs(data)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", from, err)
		}
		return out, from, nil
	}
	dir := filepath.Join(o.bundle, "terraform")
	from := "terraform output in " + dir
	bin := os.Getenv(EnvTerraform)
	if bin == "" {
		bin = "terraform"
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, "", fmt.Errorf("no terraform binary (%s) to read the outputs with: install it, set %s, or pass --outputs with the JSON of `terraform output -json`", bin, EnvTerraform)
	}
	tf, err := tfexec.NewTerraform(dir, path)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", from, err)
	}
	raw, err := tf.Output(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", from, err)
	}
	out := make(map[string]string, len(raw))
	for k, m := range raw {
		out[k] = decodeValue(m.Value)
	}
	return out, from, nil
}

// parseOutputs reads what `terraform output -json` prints:
// {"name": {"sensitive": false, "type": "string", "value": "..."}, ...}.
func parseOutputs(data []byte) (map[string]string, error) {
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("want the JSON `terraform output -json` prints: %w", err)
	}
	out := make(map[string]string, len(raw))
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v, ok := raw[k]["value"]
		if !ok {
			return nil, fmt.Errorf("output %q has no \"value\": want the JSON `terraform output -json` prints", k)
		}
		out[k] = decodeValue(v)
	}
	return out, nil
}

// decodeValue is harness.DecodeOutputs for one value: strings as
// themselves, anything else as its JSON text (null as ""). It is repeated
// here so the bpgen binary does not link the harness and package testing.
func decodeValue(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(v))
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
	}{o.bundle, o.dryRun, len(bpwire.FailedChanges(changes)) == 0, changes})
}
