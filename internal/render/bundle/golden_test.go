package bundle_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/vet"
	"github.com/bpgen/bpgen/internal/testutil"
)

// goldenCases are the committed bundles: the repo root and every example.
func goldenCases(t testing.TB) []string {
	t.Helper()
	return testutil.CommittedBundles(t, "../../..")
}

func render(t testing.TB, dir string) *bundle.Result {
	t.Helper()
	cfg, _, ds := config.Load(filepath.Join(dir, "bpgen.yaml"))
	if cfg == nil {
		t.Fatalf("%s: %v", dir, ds)
	}
	res, err := bundle.Render(cfg, bundle.Options{})
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return res
}

func previous(dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, manifest.Path))
	if err != nil {
		return nil
	}
	m, err := manifest.Parse(b)
	if err != nil {
		return nil
	}
	return m.Files
}

// TestGolden renders every config and compares each file with the committed
// bundle; `go test ./... -update` rewrites them.
func TestGolden(t *testing.T) {
	for _, dir := range goldenCases(t) {
		t.Run(filepath.Base(filepath.Clean(dir)), func(t *testing.T) {
			res := render(t, dir)
			if *testutil.Update {
				if _, _, err := fileset.Write(dir, res.Files, previous(dir)); err != nil {
					t.Fatal(err)
				}
				return
			}
			changes, err := fileset.Compare(dir, res.Files, previous(dir))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range changes {
				t.Errorf("%s is %s (run `go test ./... -update`):\n%s", c.Path, c.Kind, c.Diff)
			}
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	for _, dir := range goldenCases(t) {
		a, b := render(t, dir), render(t, dir)
		for _, p := range a.Files.Paths() {
			if !bytes.Equal(a.Files[p], b.Files[p]) {
				t.Errorf("%s: %s differs between two renders of the same config", dir, p)
			}
		}
	}
}

// TestTerraformFmt runs `terraform fmt -check` on every committed bundle when a
// terraform binary is available.
func TestTerraformFmt(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH: skipping `terraform fmt -check` of the rendered bundles")
	}
	for _, dir := range goldenCases(t) {
		cmd := exec.Command(tf, "fmt", "-check", "-recursive", "-list=true", filepath.Join(dir, "terraform"))
		out, err := cmd.Output()
		if err != nil {
			t.Errorf("%s: terraform fmt -check failed (%v); files it would rewrite:\n%s", dir, err, out)
		}
	}
}

// TestNoSecretInBundle: a sensitive variable's name may appear, never a value.
func TestNoSecretInBundle(t *testing.T) {
	for _, dir := range goldenCases(t) {
		res := render(t, dir)
		tfvars := string(res.Files["terraform/dev.auto.tfvars"])
		for _, secret := range []string{"open_messaging_webhook_secret", "data_actions_client_secret", "data_actions_client_id"} {
			for _, line := range strings.Split(tfvars, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), secret) {
					t.Errorf("%s: dev.auto.tfvars sets the secret %s", dir, secret)
				}
			}
		}
		vars := string(res.Files["terraform/variables.tf"])
		for _, secret := range []string{"open_messaging_webhook_secret", "data_actions_client_secret"} {
			if i := strings.Index(vars, `variable "`+secret+`"`); i >= 0 {
				block := vars[i:]
				block = block[:strings.Index(block, "\n}\n")]
				if !strings.Contains(block, "sensitive   = true") && !strings.Contains(block, "sensitive = true") {
					t.Errorf("%s: variable %s is not sensitive", dir, secret)
				}
				if strings.Contains(block, "default") {
					t.Errorf("%s: variable %s has a default", dir, secret)
				}
			}
		}
	}
}

func BenchmarkRender(b *testing.B) {
	for _, name := range []string{"../../..", "../../../examples/kitchen-sink"} {
		cfg, _, ds := config.Load(filepath.Join(name, "bpgen.yaml"))
		if cfg == nil {
			b.Fatal(ds)
		}
		b.Run(filepath.Base(filepath.Clean(name)), func(b *testing.B) {
			b.ReportAllocs()
			defer testutil.ReportCPU(b)()
			for b.Loop() {
				res, err := bundle.Render(cfg, bundle.Options{})
				if err != nil {
					b.Fatal(err)
				}
				// The CLI vets every render before writing it.
				if ds := vet.Check(res); ds.HasErrors() {
					b.Fatal(ds)
				}
			}
		})
	}
}

// Every dependency and substitution in the manifest names an object the manifest has.
func TestManifestReferencesResolve(t *testing.T) {
	for _, dir := range goldenCases(t) {
		man := render(t, dir).Manifest
		for _, o := range man.Objects {
			for _, d := range o.DependsOn {
				if man.Object(d) == nil {
					t.Errorf("%s: %s depends on %q, which is not an object", dir, o.ID, d)
				}
			}
			for k, s := range o.Subs {
				id := s.Ref[:strings.LastIndex(s.Ref, ".")]
				if man.Object(id) == nil {
					t.Errorf("%s: %s substitution %s refers to %q, which is not an object", dir, o.ID, k, s.Ref)
				}
			}
		}
	}
}

// BenchmarkVet is the bundle check alone, on the largest example's render.
func BenchmarkVet(b *testing.B) {
	cfg, _, ds := config.Load(filepath.Join("../../../examples/kitchen-sink", "bpgen.yaml"))
	if cfg == nil {
		b.Fatal(ds)
	}
	res, err := bundle.Render(cfg, bundle.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer testutil.ReportCPU(b)()
	for b.Loop() {
		if ds := vet.Check(res); ds.HasErrors() {
			b.Fatal(ds)
		}
	}
}
