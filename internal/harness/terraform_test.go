package harness

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
)

func TestRetryOnlyRetryableErrors(t *testing.T) {
	tf := &Terraform{o: WithDefaultRetryableErrors(Options{MaxRetries: 2, TimeBetweenRetries: time.Millisecond})}
	calls := 0
	err := tf.retry(context.Background(), "apply", func() error {
		calls++
		if calls < 3 {
			return errors.New("Error: 429 Too Many Requests")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("rate-limited apply: err=%v after %d calls, want success after 3", err, calls)
	}
	calls = 0
	err = tf.retry(context.Background(), "apply", func() error { calls++; return errors.New("flow publish failed: bad YAML") })
	if err == nil || calls != 1 || !strings.Contains(err.Error(), "terraform apply: flow publish failed") {
		t.Fatalf("a deterministic failure must not be retried: err=%v calls=%d", err, calls)
	}
	calls = 0
	err = tf.retry(context.Background(), "init", func() error { calls++; return errors.New("did not become active") })
	if err == nil || calls != 3 {
		t.Fatalf("retries must stop after MaxRetries: err=%v calls=%d", err, calls)
	}
}

func TestDecodeOutputs(t *testing.T) {
	got := DecodeOutputs(map[string]tfexec.OutputMeta{
		"flow_id": {Value: []byte(`"abc"`)},
		"count":   {Value: []byte(`3`)},
	})
	if got["flow_id"] != "abc" || got["count"] != "3" {
		t.Fatalf("got %v", got)
	}
}

func TestRunStageSkips(t *testing.T) {
	t.Setenv("BPGEN_SKIP_DEPLOY", "1")
	ran := false
	RunStage(t, "deploy", func() { ran = true })
	if ran {
		t.Fatal("stage ran although BPGEN_SKIP_DEPLOY is set")
	}
	RunStage(t, "verify", func() { ran = true })
	if !ran {
		t.Fatal("stage verify did not run")
	}
}

// The real binary, when present, initialises and validates a bundle without a
// provider download only if one is cached; so this test only checks that a
// missing directory fails cleanly and that the binary is found.
func TestNewFindsTerraform(t *testing.T) {
	if _, err := FindBinary(""); err != nil {
		t.Skipf("skipping: %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("output \"x\" {\n  value = \"y\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tf, err := New(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := tf.InitAndApply(ctx); err != nil {
		t.Fatalf("init+apply of a provider-less config: %v", err)
	}
	out, err := tf.Outputs(ctx)
	if err != nil || out["x"] != "y" {
		t.Fatalf("outputs %v, %v", out, err)
	}
	changes, err := tf.PlanChanges(ctx)
	if err != nil || len(changes) != 0 {
		t.Fatalf("second plan not empty: %v %v", changes, err)
	}
	if err := tf.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
}
