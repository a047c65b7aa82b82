// Package harness applies, verifies and destroys a rendered bundle against a
// real Genesys Cloud org, in the shape of terratest's terraform module but on
// hashicorp/terraform-exec and terraform-json (terratest is not installable
// here, and its Terraform API is a thin wrapper over the same commands).
//
// Everything an acceptance run needs is gated: without BPGEN_ACC=1, the
// provider's credential variables or a terraform binary, tests skip with a
// one-line reason. Stages can be skipped with BPGEN_SKIP_<STAGE>=1, and
// BPGEN_KEEP=1 leaves the deployment in place and prints where it is.
package harness

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/tfoutputs"
	"github.com/bpgen/bpgen/internal/tfbin"
)

// Options configures a Terraform working directory, like terratest's terraform.Options.
type Options struct {
	// Dir is the Terraform directory (a bundle's terraform/).
	Dir string
	// Binary is the terraform executable; empty means $BPGEN_TERRAFORM, then PATH.
	Binary string
	// Vars are passed with -var; values never appear in logs.
	Vars map[string]string
	// Env is added to the environment of every command.
	Env map[string]string
	// RetryableErrors maps a regexp on the command's error text to a reason.
	RetryableErrors map[string]string
	MaxRetries      int
	// TimeBetweenRetries is the pause before each retry.
	TimeBetweenRetries time.Duration
	// Log receives command output; nil discards it.
	Log io.Writer
}

// DefaultRetryableErrors are failures worth retrying: registry and plugin
// hiccups (terratest's list) and Genesys Cloud's eventual-consistency and rate errors.
var DefaultRetryableErrors = map[string]string{
	`(?i)error installing provider`:                                  "provider download failed",
	`(?i)failed to query available provider packages`:                "registry unreachable",
	`(?i)timeout while waiting for plugin to start`:                  "plugin start timed out",
	`(?i)connection reset by peer`:                                   "connection reset",
	`(?i)TLS handshake timeout`:                                      "TLS handshake timed out",
	`(?i)Provider produced inconsistent result after apply`:          "provider consistency race",
	`(?i)429|Too Many Requests`:                                      "rate limited",
	`(?i)did not become active`:                                      "web deployment not yet active",
	`(?i)is locked by another entity`:                                "flow locked",
	`(?i)(502 Bad Gateway|503 Service Unavailable|504 Gateway Time)`: "platform gateway error",
}

// WithDefaultRetryableErrors returns a copy of o with the default retry table and counts.
func WithDefaultRetryableErrors(o Options) Options {
	out := o
	out.RetryableErrors = map[string]string{}
	for k, v := range DefaultRetryableErrors {
		out.RetryableErrors[k] = v
	}
	for k, v := range o.RetryableErrors {
		out.RetryableErrors[k] = v
	}
	if out.MaxRetries == 0 {
		out.MaxRetries = 3
	}
	if out.TimeBetweenRetries == 0 {
		out.TimeBetweenRetries = 10 * time.Second
	}
	return out
}

// Terraform runs commands in one working directory.
type Terraform struct {
	o  Options
	tf *tfexec.Terraform
}

// FindBinary locates terraform or says why not.
func FindBinary(explicit string) (string, error) {
	name, p, err := tfbin.Lookup(explicit)
	if err != nil && name == "terraform" {
		return "", errors.New("no terraform binary on PATH (set " + contract.EnvTerraform + " to use one elsewhere)")
	}
	return p, err
}

// New prepares a working directory.
func New(o Options) (*Terraform, error) {
	bin, err := FindBinary(o.Binary)
	if err != nil {
		return nil, err
	}
	tf, err := tfexec.NewTerraform(o.Dir, bin)
	if err != nil {
		return nil, err
	}
	// SetEnv replaces the environment, so start from ours (the provider reads
	// GENESYSCLOUD_* from it), minus the variables tfexec manages itself.
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	for k, v := range o.Env {
		env[k] = v
	}
	env["CHECKPOINT_DISABLE"] = "1"
	env = tfexec.CleanEnv(env)
	if err := tf.SetEnv(env); err != nil {
		return nil, err
	}
	if o.Log != nil {
		tf.SetStdout(o.Log)
		tf.SetStderr(o.Log)
	}
	return &Terraform{o: o, tf: tf}, nil
}

// retry runs fn, retrying while its error matches a retryable pattern.
func (t *Terraform) retry(ctx context.Context, what string, fn func() error) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = fn()
		if err == nil {
			return nil
		}
		reason := t.retryable(err)
		if reason == "" || attempt >= t.o.MaxRetries {
			return fmt.Errorf("terraform %s: %w", what, err)
		}
		if t.o.Log != nil {
			fmt.Fprintf(t.o.Log, "terraform %s failed (%s); retry %d of %d in %s\n", what, reason, attempt+1, t.o.MaxRetries, t.o.TimeBetweenRetries)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(t.o.TimeBetweenRetries):
		}
	}
}

func (t *Terraform) retryable(err error) string {
	keys := make([]string, 0, len(t.o.RetryableErrors))
	for k := range t.o.RetryableErrors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if regexp.MustCompile(k).MatchString(err.Error()) {
			return t.o.RetryableErrors[k]
		}
	}
	return ""
}

func (t *Terraform) vars() []string {
	keys := make([]string, 0, len(t.o.Vars))
	for k := range t.o.Vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + t.o.Vars[k]
	}
	return out
}

// Init runs terraform init.
func (t *Terraform) Init(ctx context.Context) error {
	return t.retry(ctx, "init", func() error { return t.tf.Init(ctx, tfexec.Upgrade(false)) })
}

// Apply runs terraform apply -auto-approve.
func (t *Terraform) Apply(ctx context.Context) error {
	var opts []tfexec.ApplyOption
	for _, v := range t.vars() {
		opts = append(opts, tfexec.Var(v))
	}
	return t.retry(ctx, "apply", func() error { return t.tf.Apply(ctx, opts...) })
}

// InitAndApply is Init then Apply.
func (t *Terraform) InitAndApply(ctx context.Context) error {
	if err := t.Init(ctx); err != nil {
		return err
	}
	return t.Apply(ctx)
}

// Destroy runs terraform destroy -auto-approve.
func (t *Terraform) Destroy(ctx context.Context) error {
	var opts []tfexec.DestroyOption
	for _, v := range t.vars() {
		opts = append(opts, tfexec.Var(v))
	}
	return t.retry(ctx, "destroy", func() error { return t.tf.Destroy(ctx, opts...) })
}

// PlanChanges plans and returns every resource change that is not a no-op:
// an empty result after apply means the configuration is idempotent.
func (t *Terraform) PlanChanges(ctx context.Context) ([]*tfjson.ResourceChange, error) {
	planFile := filepath.Join(t.o.Dir, "bpgen-idempotency.tfplan")
	defer os.Remove(planFile)
	opts := []tfexec.PlanOption{tfexec.Out(planFile)}
	for _, v := range t.vars() {
		opts = append(opts, tfexec.Var(v))
	}
	var changed bool
	if err := t.retry(ctx, "plan", func() (err error) { changed, err = t.tf.Plan(ctx, opts...); return err }); err != nil {
		return nil, err
	}
	if !changed {
		return nil, nil
	}
	plan, err := t.tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		return nil, err
	}
	var out []*tfjson.ResourceChange
	for _, rc := range plan.ResourceChanges {
		if rc.Change != nil && !rc.Change.Actions.NoOp() && !rc.Change.Actions.Read() {
			out = append(out, rc)
		}
	}
	return out, nil
}

// Outputs returns every output as a string (non-string values as JSON text).
func (t *Terraform) Outputs(ctx context.Context) (map[string]string, error) {
	raw, err := t.tf.Output(ctx)
	if err != nil {
		return nil, fmt.Errorf("terraform output: %w", err)
	}
	return DecodeOutputs(raw), nil
}

// DecodeOutputs turns `terraform output -json` values into strings.
func DecodeOutputs(raw map[string]tfexec.OutputMeta) map[string]string {
	out := make(map[string]string, len(raw))
	for k, m := range raw {
		out[k] = tfoutputs.Value(m.Value)
	}
	return out
}

// RunStage runs fn unless BPGEN_SKIP_<NAME> is set, like terratest's test_structure.RunTestStage.
func RunStage(t testing.TB, name string, fn func()) {
	t.Helper()
	env := "BPGEN_SKIP_" + strings.ToUpper(name)
	if os.Getenv(env) != "" {
		t.Logf("stage %s skipped (%s is set)", name, env)
		return
	}
	fn()
}

// Keep reports whether the deployment should be left in place (BPGEN_KEEP=1).
func Keep() bool { return os.Getenv("BPGEN_KEEP") != "" }
