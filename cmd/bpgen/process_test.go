package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	_ "github.com/bpgen/bpgen/internal/testutil"
)

// BenchmarkProcess is bpgen as a user runs it: the built binary, `bpgen
// version` and `bpgen render` of a copy of examples/kitchen-sink with
// nothing to change, one after the other in every iteration. It reports the
// median wall time of each (`version-ms`, `render-ms`) and their ratio
// (`render/version`), which issue 8 holds within 1.3; medians, because a
// shared machine's outliers move means.
func BenchmarkProcess(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "bpgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	bundle := filepath.Join(dir, "kitchen-sink")
	if err := os.CopyFS(bundle, os.DirFS("../../examples/kitchen-sink")); err != nil {
		b.Fatal(err)
	}
	run := func(args ...string) time.Duration {
		cmd := exec.Command(bin, args...)
		cmd.Dir = bundle
		t := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("bpgen %v: %v\n%s", args, err, out)
		}
		return time.Since(t)
	}
	run("render") // the copy is current: nothing to write from here on
	before := snapshot(b, bundle)
	var version, render []time.Duration
	for b.Loop() {
		version = append(version, run("version"))
		render = append(render, run("render"))
	}
	if !slices.Equal(snapshot(b, bundle), before) {
		b.Fatal("a render with nothing to change changed the bundle")
	}
	v, r := median(version), median(render)
	b.ReportMetric(float64(v.Microseconds())/1000, "version-ms")
	b.ReportMetric(float64(r.Microseconds())/1000, "render-ms")
	b.ReportMetric(float64(r)/float64(v), "render/version")
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// snapshot lists the bundle's files with their modification times.
func snapshot(b *testing.B, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, p+" "+fi.ModTime().String())
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}
