// Package orgaccess is what the commands that talk to an org after apply
// (bpgen verify, bpgen wire) share: the credential flags and the provider's
// variables, the Platform API client they make, the bundle's manifest, and
// the Terraform outputs that name the deployed objects. Errors say what is
// missing, never a value.
package orgaccess

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/format/tfoutputs"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/tfbin"
)

// The Terraform provider's credential variables: one `export` serves
// terraform apply and every bpgen command that follows it.
const (
	EnvClientID     = contract.EnvClientID
	EnvClientSecret = contract.EnvClientSecret
	EnvRegion       = contract.EnvRegion
	// EnvTerraform names the terraform binary, as for the harness.
	EnvTerraform = contract.EnvTerraform
	// EnvOrgClientID and EnvOrgClientSecret are the credentials for an
	// --org-url. The provider's variables hold a real org's client, and a
	// real org's credentials must never reach another host: with --org-url
	// only these variables (or the flags) are read.
	EnvOrgClientID     = "BPGEN_ORG_CLIENT_ID"
	EnvOrgClientSecret = "BPGEN_ORG_CLIENT_SECRET"
)

// Flags are the command-line options for reaching an org and a deployment.
type Flags struct {
	Bundle, Outputs                        string
	OrgURL, Region, ClientID, ClientSecret string
}

// Command completes cmd as a command that reaches an org: it takes no
// arguments, has the flags registered and runs run; the caller adds its own
// flags to what it returns.
func (f *Flags) Command(cmd *cobra.Command, run func(ctx context.Context) error) *cobra.Command {
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(cmd *cobra.Command, _ []string) error { return run(cmd.Context()) }
	f.Register(cmd.Flags())
	return cmd
}

// Register adds the flags to a command's flag set.
func (f *Flags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.Bundle, "bundle", ".", "bundle directory (where bpgen.manifest.json is)")
	fs.StringVar(&f.Outputs, "outputs", "", "`file` holding what terraform output -json prints, - for stdin (default: run terraform output in <bundle>/terraform)")
	fs.StringVar(&f.Region, "region", "", "org region, e.g. eu-west-1 (default $"+EnvRegion+")")
	fs.StringVar(&f.OrgURL, "org-url", "", "base URL of an emulated org (bpgen org serve), e.g. http://127.0.0.1:8080, instead of a region; https unless loopback; credentials from $"+EnvOrgClientID+"/$"+EnvOrgClientSecret+" or the flags, never $"+EnvClientID)
	fs.StringVar(&f.ClientID, "client-id", "", "OAuth client id (default $"+EnvClientID+", with --org-url $"+EnvOrgClientID+")")
	fs.StringVar(&f.ClientSecret, "client-secret", "", "OAuth client secret (default $"+EnvClientSecret+", with --org-url $"+EnvOrgClientSecret+"; prefer the variable: flags show in the process list)")
}

// Client resolves the credentials and endpoints from the flags, then the
// provider's variables.
func (f Flags) Client(userAgent string) (*api.Client, error) {
	pick := func(flag, envName string) string {
		if flag != "" {
			return flag
		}
		return strings.TrimSpace(os.Getenv(envName))
	}
	// A real org's credentials (the provider's variables) are never sent
	// to an --org-url: that host is not the org they belong to.
	envID, envSecret := f.CredentialVars()
	id, secret := pick(f.ClientID, envID), pick(f.ClientSecret, envSecret)
	region := pick(f.Region, EnvRegion)
	var missing []string
	if id == "" {
		missing = append(missing, envID+" (or --client-id)")
	}
	if secret == "" {
		missing = append(missing, envSecret+" (or --client-secret)")
	}
	if f.OrgURL == "" && region == "" {
		missing = append(missing, EnvRegion+" (or --region; --org-url for an emulated org)")
	}
	if len(missing) > 0 {
		how := "as for terraform apply"
		if f.OrgURL != "" {
			how = "for the org at --org-url (" + EnvClientID + " is a real org's and is never sent there)"
		}
		return nil, fmt.Errorf("no credentials for the org: set %s, %s", strings.Join(missing, ", "), how)
	}
	var ep api.Endpoints
	var err error
	if f.OrgURL != "" {
		ep, err = api.LocalEndpoints(f.OrgURL)
	} else {
		ep, err = api.RegionEndpoints(region)
	}
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "api: "))
	}
	return api.New(api.Config{Endpoints: ep, ClientID: id, ClientSecret: api.Secret(secret), UserAgent: userAgent})
}

// CredentialVars names the variables the credentials come from: the
// provider's for a region, bpgen's own for an --org-url.
func (f Flags) CredentialVars() (id, secret string) {
	if f.OrgURL != "" {
		return EnvOrgClientID, EnvOrgClientSecret
	}
	return EnvClientID, EnvClientSecret
}

// AnyCredentials reports whether the user pointed at an org at all: a flag,
// or one of the variables the credentials would come from.
func (f Flags) AnyCredentials() bool {
	id, secret := f.CredentialVars()
	for _, v := range []string{f.OrgURL, f.Region, f.ClientID, f.ClientSecret, os.Getenv(id), os.Getenv(secret)} {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

// SignIn makes one cheap call so bad credentials or an unreachable org are
// one clear error instead of a failure on every check or setting. Anything
// past the sign-in (a 403 on the home division, say) is left to the caller.
func (f Flags) SignIn(ctx context.Context, c *api.Client) error {
	err := c.Do(ctx, http.MethodGet, "/api/v2/authorization/divisions/home", nil, nil)
	if err == nil {
		return nil
	}
	e, ok := errors.AsType[*api.APIError](err)
	switch {
	case !ok:
		return fmt.Errorf("cannot reach the org at %s: %w", c.Endpoints().API, err)
	case e.Path == "/oauth/token" || e.Status == http.StatusUnauthorized:
		// The token request's own error says it best; the call that needed
		// the token is beside the point.
		id, secret := f.CredentialVars()
		return fmt.Errorf("the org at %s refused the credentials: %s (check %s, %s and the region)", c.Endpoints().API, e, id, secret)
	}
	return nil
}

// Manifest reads the bundle's manifest.
func (f Flags) Manifest() (*manifest.Manifest, error) {
	m, err := manifest.Load(manifest.Dir(f.Bundle))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no %s: not a rendered bundle (run `bpgen render`, or pass --bundle)", manifest.Path)
	}
	return m, err
}

// TerraformOutputs returns the outputs and a phrase saying where they came
// from, for error messages: --outputs (a file, or - for stdin), else
// `terraform output -json` in <bundle>/terraform.
func (f Flags) TerraformOutputs(ctx context.Context, stdin io.Reader) (map[string]string, string, error) {
	if f.Outputs != "" {
		var data []byte
		var err error
		from := f.Outputs
		if f.Outputs == "-" {
			from = "outputs on stdin"
			data, err = io.ReadAll(stdin)
		} else {
			data, err = os.ReadFile(f.Outputs)
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the path is in the message already
			}
		}
		if err != nil {
			return nil, "", fmt.Errorf("--outputs %s: %w", f.Outputs, err)
		}
		out, err := tfoutputs.Parse(data)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", from, err)
		}
		return out, from, nil
	}
	dir := filepath.Join(f.Bundle, "terraform")
	from := "terraform output in " + dir
	bin, path, err := tfbin.Lookup("")
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
		out[k] = tfoutputs.Value(m.Value)
	}
	return out, from, nil
}
