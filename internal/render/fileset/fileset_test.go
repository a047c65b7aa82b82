package fileset_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/fileset"
)

// bundleSet is a bundle of n files per owned folder, every one tagged with
// version, and a manifest listing them.
func bundleSet(version string, n int) fileset.Set {
	s := fileset.Set{}
	for i := range n {
		s[fmt.Sprintf("flows/f%03d.yaml", i)] = []byte(version + " flow\n")
		s[fmt.Sprintf("exports/e%03d.json", i)] = []byte(version + " export\n")
		s[fmt.Sprintf("terraform/t%03d.tf", i)] = []byte("# " + fileset.GeneratedMark + "\n" + version + " tf\n")
	}
	if version == "old" {
		s["flows/only-old.yaml"] = []byte("old only\n")
	}
	var files []string
	for _, p := range s.Paths() {
		files = append(files, p)
	}
	s[manifest.Path] = []byte(version + " " + strings.Join(files, ",") + "\n")
	return s
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree reads every file under dir, slash paths to content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, _ := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return out
}

func TestWriteCreatesUpdatesAndRemovesOrphans(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "bpgen.yaml", "config")
	write(t, dir, "terraform/backend.tf", "mine")
	old := bundleSet("old", 2)
	if w, r, err := fileset.Write(dir, old, nil); err != nil || len(w) != len(old) || len(r) != 0 {
		t.Fatalf("first write: %v written, %v removed, %v", w, r, err)
	}
	next := bundleSet("old", 2)
	delete(next, "flows/only-old.yaml")
	delete(next, "terraform/t001.tf")
	next["flows/f000.yaml"] = []byte("changed\n")
	w, r, err := fileset.Write(dir, next, old.Paths())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(w, ",") != "flows/f000.yaml" {
		t.Errorf("written %v, want only the changed file (unchanged files are not touched)", w)
	}
	if strings.Join(r, ",") != "flows/only-old.yaml,terraform/t001.tf" {
		t.Errorf("removed %v", r)
	}
	got := tree(t, dir)
	if got["bpgen.yaml"] != "config" || got["terraform/backend.tf"] != "mine" {
		t.Errorf("user files touched: %v", got)
	}
	for p, b := range next {
		if got[p] != string(b) {
			t.Errorf("%s = %q, want %q", p, got[p], b)
		}
	}
	if len(got) != len(next)+2 {
		t.Errorf("unexpected files: %v", got)
	}
}

// A manifest on disk is not trusted: whatever it lists, only files bpgen owns go.
func TestWriteNeverRemovesWhatBpgenDoesNotOwn(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(filepath.Dir(dir), filepath.Base(dir)+"-x")
	os.WriteFile(outside, []byte("outside"), 0o644)
	t.Cleanup(func() { os.Remove(outside) })
	keep := []string{"bpgen.yaml", ".git/config", "terraform/backend.tf", "terraform/override.tf", "terraform/terraform.tfstate", "terraform/terraform.tfstate.backup",
		"terraform/.terraform.lock.hcl", "terraform/.terraform/providers/x", "terraform/sub/a.tf", "README.md", "go.mod"}
	for _, p := range keep {
		write(t, dir, p, "user")
	}
	listed := append([]string{"../" + filepath.Base(dir) + "-x", "/etc/passwd", "terraform/../bpgen.yaml", "./bpgen.yaml", "flows/../.git/config", "terraform\\..\\bpgen.yaml"}, keep...)
	s := bundleSet("new", 1)
	if _, _, err := fileset.Write(dir, s, listed); err != nil {
		t.Fatal(err)
	}
	changes, err := fileset.Compare(dir, s, listed)
	if err != nil || len(changes) != 0 {
		t.Errorf("compare lists %v, %v: nothing it does not own is an orphan", changes, err)
	}
	got := tree(t, dir)
	for _, p := range keep {
		if got[p] != "user" {
			t.Errorf("%s was removed or changed on the word of a manifest", p)
		}
	}
	if b, _ := os.ReadFile(outside); string(b) != "outside" {
		t.Error("a file outside the bundle was removed")
	}
	if _, _, err := fileset.Write(dir, fileset.Set{"bpgen.yaml": []byte("x")}, nil); err == nil {
		t.Error("a set naming bpgen.yaml must be refused")
	}
}

func TestWriteRefusesBeforeReplacingAnything(t *testing.T) {
	dir := t.TempDir()
	old := bundleSet("old", 3)
	if _, _, err := fileset.Write(dir, old, nil); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	// The last file in write order is a directory now.
	os.Remove(filepath.Join(dir, "terraform", "t002.tf"))
	write(t, dir, "terraform/t002.tf/inside", "x")
	before = tree(t, dir)
	if _, _, err := fileset.Write(dir, bundleSet("new", 3), old.Paths()); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("err = %v, want a directory where a file goes", err)
	}
	if after := tree(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("files changed before the refusal:\nbefore %v\nafter  %v", before, after)
	}
}

func TestStrayTempFilesAreRemovedEverywhere(t *testing.T) {
	dir := t.TempDir()
	s := bundleSet("new", 1)
	if _, _, err := fileset.Write(dir, s, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".bpgen-123", "terraform/.bpgen-456", "flows/.bpgen-7", "exports/.bpgen-8", ".bpgen-stage/flows/f000.yaml"} {
		write(t, dir, p, "tmp")
	}
	write(t, dir, ".bpgen-notes", "user's own")
	if _, _, err := fileset.Write(dir, s, nil); err != nil {
		t.Fatal(err)
	}
	for p := range tree(t, dir) {
		if strings.Contains(p, ".bpgen-") && p != ".bpgen-notes" {
			t.Errorf("left %s", p)
		}
	}
}

// A write killed at random points leaves the old bundle or the new one, once
// the next write (or Recover) has run; never a mix, never temporary files.
func TestKilledWriteIsWhollyOldOrNew(t *testing.T) {
	if dir := os.Getenv("BPGEN_FILESET_CHILD"); dir != "" {
		if _, _, err := fileset.Write(dir, bundleSet("new", 60), bundleSet("old", 60).Paths()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	if testing.Short() {
		t.Skip("spawns subprocesses")
	}
	old, next := bundleSet("old", 60), bundleSet("new", 60)
	run := func(dir string, killAfter time.Duration) (killed bool) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriteIsWhollyOldOrNew$")
		cmd.Env = append(os.Environ(), "BPGEN_FILESET_CHILD="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("child: %v", err)
			}
			return false
		case <-time.After(killAfter):
			cmd.Process.Kill()
			<-done
			return true
		}
	}
	// Calibrate: how long a whole child run takes here.
	dir := t.TempDir()
	if _, _, err := fileset.Write(dir, old, nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	run(dir, time.Minute)
	full := time.Since(start)
	same := func(got map[string]string, s fileset.Set) bool {
		if len(got) != len(s) {
			return false
		}
		for p, b := range s {
			if got[p] != string(b) {
				return false
			}
		}
		return true
	}
	kills := 0
	for i := range 30 {
		dir := filepath.Join(t.TempDir(), fmt.Sprint(i))
		if _, _, err := fileset.Write(dir, old, nil); err != nil {
			t.Fatal(err)
		}
		if run(dir, time.Duration(rand.Int64N(int64(full)))) {
			kills++
		}
		if _, err := fileset.Recover(dir); err != nil {
			t.Fatalf("recover: %v", err)
		}
		got := tree(t, dir)
		if !same(got, old) && !same(got, next) {
			t.Fatalf("run %d: a mixed bundle after kill and recovery: %v", i, got)
		}
		// And a render afterwards always ends wholly new.
		if _, _, err := fileset.Write(dir, next, old.Paths()); err != nil {
			t.Fatal(err)
		}
		if got := tree(t, dir); !same(got, next) {
			t.Fatalf("run %d: the next write did not end wholly new: %v", i, got)
		}
	}
	t.Logf("30 runs, %d killed mid-write (a whole run takes %s)", kills, full)
}
