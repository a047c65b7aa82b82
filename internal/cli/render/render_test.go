package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/cli"
	"github.com/bpgen/bpgen/internal/format/manifest"
	_ "github.com/bpgen/bpgen/internal/testutil"
)

func bpgen(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String() + errb.String()
}

// snapshot reads every file of the bundle in dir (not the configs).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.HasSuffix(rel, ".yaml") && !strings.Contains(rel, "/") || rel == "terraform/dev.auto.tfvars" {
			return nil // the configs, and the one file whose values carry over between renders
		}
		b, _ := os.ReadFile(p)
		out[rel] = string(b)
		return nil
	})
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A render killed at random points, switching between two configs' bundles,
// leaves one config's bundle whole (after the next render recovers a switch
// it interrupted): never one config's manifest with the other's flows, never
// a temporary file.
func TestKilledRenderLeavesOneWholeBundle(t *testing.T) {
	if args := os.Getenv("BPGEN_RENDER_CHILD"); args != "" {
		os.Exit(cli.Run(context.Background(), strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr))
	}
	if testing.Short() {
		t.Skip("spawns subprocesses")
	}
	base := t.TempDir()
	copyFile(t, "../../../bpgen.yaml", filepath.Join(base, "a.yaml"))
	copyFile(t, "../../../examples/kitchen-sink/bpgen.yaml", filepath.Join(base, "b.yaml"))
	want := map[string]map[string]string{}
	for _, c := range []string{"a", "b"} {
		dir := filepath.Join(base, "want-"+c)
		if code, out := bpgen(t, "render", "-c", filepath.Join(base, c+".yaml"), "-o", dir); code != 0 {
			t.Fatal(out)
		}
		want[c] = snapshot(t, dir)
	}
	which := func(got map[string]string) string {
		for c, w := range want {
			if fmt.Sprint(got) == fmt.Sprint(w) {
				return c
			}
		}
		return ""
	}
	child := func(dir, cfg string, after time.Duration) time.Duration {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledRenderLeavesOneWholeBundle$")
		cmd.Env = append(os.Environ(), "BPGEN_RENDER_CHILD="+strings.Join([]string{"render", "-c", cfg, "-o", dir}, "\x1f"))
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(after):
			cmd.Process.Kill()
			<-done
		}
		return time.Since(start)
	}
	dir := filepath.Join(base, "bundle")
	if code, out := bpgen(t, "render", "-c", filepath.Join(base, "a.yaml"), "-o", dir); code != 0 {
		t.Fatal(out)
	}
	full := child(dir, filepath.Join(base, "b.yaml"), time.Minute) // calibrate, and leave b
	cur, journals := "b", 0
	// The kill point homes in on the switch: later after a kill that left
	// the old bundle, earlier after one that left the new, with jitter.
	at, step := full/2, full/4
	outcomes := map[string]int{}
	for i := range 30 {
		next := map[string]string{"a": "b", "b": "a"}[cur]
		jitter := time.Duration(rand.Int64N(int64(step)+1)) - step/2
		child(dir, filepath.Join(base, next+".yaml"), max(0, at+jitter))
		got := snapshot(t, dir)
		switch w := which(got); {
		case w == cur:
			at += step
			outcomes["old"]++
		case w == next:
			at -= step
			outcomes["new"]++
		default:
			outcomes["mid-switch"]++
		}
		step = max(step*3/4, time.Millisecond)
		if _, err := os.Stat(filepath.Join(dir, ".bpgen-stage", "journal.json")); err == nil {
			journals++
		} else {
			// No committed switch: the bundle must be whole as it is.
			for p := range got {
				if strings.HasPrefix(p, ".bpgen-stage/") {
					delete(got, p) // an uncommitted stage; the next render discards it
				}
			}
			if which(got) == "" {
				t.Fatalf("kill %d: a mixed bundle with no journal to finish it: %s", i, mixed(got, want))
			}
		}
		// Whatever the kill left, rendering the same config again ends whole.
		if code, out := bpgen(t, "render", "-c", filepath.Join(base, next+".yaml"), "-o", dir); code != 0 {
			t.Fatalf("kill %d: the next render failed: %s", i, out)
		}
		got = snapshot(t, dir)
		if which(got) != next {
			var m manifest.Manifest
			json.Unmarshal([]byte(got[manifest.Path]), &m)
			t.Fatalf("kill %d: after the next render the bundle is not wholly %s's", i, next)
		}
		for p := range got {
			if strings.Contains(p, ".bpgen-") {
				t.Fatalf("kill %d: left %s", i, p)
			}
		}
		cur = next
	}
	t.Logf("a whole render subprocess takes %s; of 30 kills: %v, %d with a committed switch to finish", full, outcomes, journals)
}

func mixed(got map[string]string, want map[string]map[string]string) string {
	var b strings.Builder
	for p, g := range got {
		for c, w := range want {
			if w[p] == g {
				fmt.Fprintf(&b, "%s from %s; ", p, c)
			}
		}
	}
	return b.String()
}

// The manifest on disk is not trusted: one listing the config, a path outside
// the bundle and .git/config makes render delete none of them.
func TestRenderIgnoresAHostileManifest(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "b")
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	copyFile(t, "../../../bpgen.yaml", filepath.Join(dir, "bpgen.yaml"))
	os.WriteFile(filepath.Join(dir, ".git", "config"), []byte("git"), 0o644)
	os.WriteFile(filepath.Join(base, "x"), []byte("outside"), 0o644)
	cfg := filepath.Join(dir, "bpgen.yaml")
	if code, out := bpgen(t, "render", "-c", cfg, "-o", dir); code != 0 {
		t.Fatal(out)
	}
	var m map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, manifest.Path))
	json.Unmarshal(b, &m)
	m["files"] = []string{"bpgen.yaml", "../x", ".git/config", "terraform/terraform.tfstate"}
	b, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(dir, manifest.Path), b, 0o644)
	os.WriteFile(filepath.Join(dir, "terraform", "terraform.tfstate"), []byte("{}"), 0o644)
	if code, out := bpgen(t, "render", "-c", cfg, "-o", dir); code != 0 {
		t.Fatal(out)
	}
	for _, p := range []string{filepath.Join(dir, "bpgen.yaml"), filepath.Join(base, "x"), filepath.Join(dir, ".git", "config"), filepath.Join(dir, "terraform", "terraform.tfstate")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("render removed %s on the word of a manifest", p)
		}
	}
}

// A config the schema refuses writes nothing and says why, as validate does
// (which exits 1 for findings): among them configs that decode and would
// render, so only the schema stands between them and the disk.
func TestRefusedConfigWritesNothing(t *testing.T) {
	for name, text := range map[string]string{
		"version":     "version: 2\nidentifiers: [{type: Email, ask: {}}]\n",
		"credentials": "version: 1\nidentifiers: [{type: Email, ask: {}}]\ncredentials: bogus\n",
		"empty list":  "version: 1\nidentifiers: []\n",
		"slot":        "version: 1\nidentifiers: [{type: Email, ask: {slot: \"1x\"}}]\n",
	} {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "bpgen.yaml")
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out := bpgen(t, "render", "-c", cfg, "-o", dir)
		vcode, vout := bpgen(t, "validate", "-c", cfg)
		if code != 2 || !strings.Contains(out, "[BPG002") {
			t.Errorf("%s: render exit %d, want 2 with a schema finding:\n%s", name, code, out)
		}
		if first, _, _ := strings.Cut(vout, "\n"); vcode != 1 || !strings.Contains(out, first) {
			t.Errorf("%s: validate (exit %d) and render disagree:\nvalidate: %s\nrender: %s", name, vcode, vout, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: render wrote %d entries beside the config", name, len(entries)-1)
		}
	}
}
