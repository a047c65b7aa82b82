package harness_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/harness"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/postapply/verify"
	"github.com/bpgen/bpgen/internal/postapply/wire"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/vet"
)

// TestAcceptance deploys every example to a real org and takes it down
// again: render with a unique run suffix, terraform init and apply, a
// second plan that must be empty, the outputs, `bpgen wire`, every object
// verified through the Platform API, a conversation through Messenger,
// terraform destroy (registered with t.Cleanup, so it runs when a step
// fails), and every object checked gone.
//
// It needs BPGEN_ACC=1, GENESYSCLOUD_OAUTHCLIENT_ID, _SECRET, _REGION and a
// terraform binary, and skips otherwise. BPGEN_EXAMPLES=a,b chooses examples;
// BPGEN_SKIP_<STAGE>=1 skips a stage (RENDER, APPLY, IDEMPOTENCY, WIRE,
// VERIFY, CONVERSATION, DESTROY); BPGEN_KEEP=1 leaves the deployment and
// logs where it is; BPGEN_WORKDIR keeps the bundles and state in one place.
// See "Running against your org" in the README.
func TestAcceptance(t *testing.T) {
	creds := harness.RequireAcceptance(t)
	ep, err := api.RegionEndpoints(creds.Region)
	if err != nil {
		t.Fatalf("%s: %v", contract.EnvRegion, err)
	}
	c, err := api.New(api.Config{Endpoints: ep, ClientID: creds.ClientID, ClientSecret: creds.Secret, UserAgent: "bpgen acceptance"})
	if err != nil {
		t.Fatal(err)
	}
	names, explicit := chosenExamples(t)
	workRoot := workDir(t)
	t.Logf("deploying %s to %s (%s); work directory %s", strings.Join(names, ", "), ep.API, creds, workRoot)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			acceptExample(t, c, creds, filepath.Join("../..", "examples", name), filepath.Join(workRoot, name), explicit)
		})
	}
}

// chosenExamples are the examples BPGEN_EXAMPLES names (explicit), or
// every example.
func chosenExamples(t *testing.T) ([]string, bool) {
	t.Helper()
	dirs, err := filepath.Glob("../../examples/*/bpgen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, d := range dirs {
		all = append(all, filepath.Base(filepath.Dir(d)))
	}
	env := strings.TrimSpace(os.Getenv(harness.EnvExamples))
	if env == "" {
		return all, false
	}
	var out []string
	for _, n := range strings.Split(env, ",") {
		n = strings.TrimSpace(n)
		if !slices.Contains(all, n) {
			t.Fatalf("%s names %q; the examples are %s", harness.EnvExamples, n, strings.Join(all, ", "))
		}
		out = append(out, n)
	}
	return out, true
}

// workDir is BPGEN_WORKDIR, or a new directory outside the test's temp
// dir: a kept deployment's state must outlive the test.
func workDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv(harness.EnvWorkDir); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d, err := os.MkdirTemp("", "bpgen-acc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() && !harness.Keep() && os.Getenv("BPGEN_SKIP_DESTROY") == "" {
			_ = os.RemoveAll(d)
		}
	})
	return d
}

func acceptExample(t *testing.T, c *api.Client, creds harness.Credentials, src, work string, explicit bool) {
	ctx := context.Background()
	runID := verify.NewRunID()
	tfDir := filepath.Join(work, "terraform")

	harness.RunStage(t, "render", func() {
		renderWithSuffix(t, src, work, runID)
	})
	b, err := verify.LoadBundle(work)
	if err != nil {
		t.Fatalf("no rendered bundle in %s (BPGEN_SKIP_RENDER needs a previous run's %s): %v", work, harness.EnvWorkDir, err)
	}
	if needs := prerequisites(b.Manifest); len(needs) > 0 {
		if !explicit {
			t.Skipf("%s expects %s in the org; name it in %s once they exist", src, strings.Join(needs, ", "), harness.EnvExamples)
		}
		t.Logf("%s expects %s in the org", src, strings.Join(needs, ", "))
	}

	if reason := harness.UserTokenSkipReason(b.Manifest); reason != "" {
		t.Skip(reason)
	}

	log := &lineLog{t: t}
	tf, err := harness.New(harness.WithDefaultRetryableErrors(harness.Options{
		Dir: tfDir,
		// The harness's own client stands in for an existing data-actions
		// client (associate-existing-client); the webhook secret is made up.
		Vars: harness.TestSecrets(b.Manifest, creds.ClientID, creds.Secret.Reveal()),
		Log:  log,
	}))
	if err != nil {
		t.Fatal(err)
	}

	// Destroy is registered before apply so a half-applied bundle is taken
	// down too, and runs however the test ends.
	var outputs map[string]string
	t.Cleanup(func() {
		if harness.Keep() {
			t.Logf("BPGEN_KEEP is set: the deployment stays. Its state is in %s; take it down with: cd %q && terraform destroy", tfDir, tfDir)
			return
		}
		harness.RunStage(t, "destroy", func() {
			if err := tf.Destroy(ctx); err != nil {
				t.Errorf("destroy: %v (the deployment's state is in %s)", err, tfDir)
				return
			}
			if outputs == nil {
				return
			}
			gone := verify.Destroyed(ctx, c, b, outputs, verify.Options{Progress: log})
			for _, f := range gone.Failed() {
				t.Errorf("after destroy: %s %s: %s", f.Object, f.What, f.Detail)
			}
		})
	})

	harness.RunStage(t, "apply", func() {
		if err := tf.InitAndApply(ctx); err != nil {
			t.Fatal(err)
		}
	})
	harness.RunStage(t, "idempotency", func() {
		changes, err := tf.PlanChanges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, rc := range changes {
			t.Errorf("not idempotent: a second plan would %v %s", rc.Change.Actions, rc.Address)
		}
	})
	outputs, err = tf.Outputs(ctx)
	if err != nil {
		t.Fatal(err)
	}

	harness.RunStage(t, "wire", func() {
		changes, err := wire.Plan(ctx, c, b.Manifest, outputs)
		if err != nil {
			t.Fatalf("wire: %v", err)
		}
		changes, err = wire.Apply(ctx, c, changes)
		for _, ch := range changes {
			t.Logf("wire: %s  %s", ch.Status.Label(), ch)
		}
		if err != nil {
			t.Fatalf("wire: %v", err)
		}
	})
	harness.RunStage(t, "verify", func() {
		res := verify.Run(ctx, c, b, outputs, verify.RunOptions{RunID: runID, NoConversation: true, Progress: log})
		for _, f := range res.Failed() {
			t.Errorf("%s %s: %s", f.Object, f.What, f.Detail)
		}
	})
	harness.RunStage(t, "conversation", func() {
		res := verify.Conversation(ctx, c, b, outputs, verify.ConversationOptions{RunID: runID, Progress: log})
		if res.Skipped != "" {
			t.Logf("conversation skipped: %s", res.Skipped)
			return
		}
		t.Logf("conversation %s; the customer saw %q", res.ConversationID, res.Transcript)
		for _, f := range res.Failed() {
			t.Errorf("%s %s: %s", f.Object, f.What, f.Detail)
		}
	})
}

// renderWithSuffix renders an example's config into dir with the run id
// appended to every name bpgen creates, so runs never collide with each
// other or with what the org already has.
func renderWithSuffix(t *testing.T, src, dir, runID string) {
	t.Helper()
	cfg, _, ds := config.Load(filepath.Join(src, "bpgen.yaml"))
	if cfg == nil || ds.HasErrors() {
		t.Fatalf("%s: %v", src, ds)
	}
	cfg.Names.Suffix += " " + runID
	res, err := bundle.Render(cfg, bundle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds := vet.Check(res); ds.HasErrors() {
		t.Fatalf("the render for this run is invalid: %v", ds)
	}
	if _, _, err := fileset.Write(dir, res.Files, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("rendered %s into %s with name suffix %q", src, dir, " "+runID)
}

// prerequisites are the objects a bundle looks up instead of creating: the
// org must have them before apply.
func prerequisites(m *manifest.Manifest) []string {
	var out []string
	for _, o := range m.Objects {
		if o.Managed || o.Name == "" {
			continue // created by the bundle, or the home division
		}
		switch o.Kind {
		case "division", "queue", "external_source":
			out = append(out, fmt.Sprintf("%s %q", strings.ReplaceAll(o.Kind, "_", " "), o.Name))
		}
	}
	return out
}

// lineLog writes each line of Terraform's and verify's output to the test
// log as it comes, so a long apply shows progress with -v.
type lineLog struct {
	t   *testing.T
	mu  sync.Mutex
	buf []byte
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := slices.Index(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.t.Log(time.Now().Format("15:04:05 ") + string(l.buf[:i]))
		l.buf = l.buf[i+1:]
	}
}
