// Package render is `bpgen render`: config to bundle, or with --check, a
// comparison of the bundle on disk with what render would write.
package render

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/diag"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/terraform"
	"github.com/bpgen/bpgen/internal/render/vet"
)

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	var cfgPath, out string
	var check bool
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render bpgen.yaml into terraform/, flows/ and exports/",
		Long: `Render reads the config, validates it, renders the whole bundle in memory,
checks it, and only then writes it: all or nothing.

With --check nothing is written: render exits 1 and prints a unified diff when
any file is changed, missing or orphaned, and exits 0 when the bundle is current.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// A render allocates ~10 MB of short-lived garbage (the largest
			// example) and keeps almost none, so the collector is off for the
			// command; the memory limit turns it back on should a config ever
			// need more than 256 MiB.
			defer debug.SetGCPercent(debug.SetGCPercent(-1))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(256 << 20))
			return run(env, cfgPath, out, check)
		},
	}
	cmd.Flags().StringVarP(&cfgPath, "config", "c", "bpgen.yaml", "config file")
	cmd.Flags().StringVarP(&out, "out", "o", ".", "bundle directory")
	cmd.Flags().BoolVar(&check, "check", false, "compare with the bundle on disk instead of writing; exit 1 on any difference")
	return cmd
}

func run(env *clienv.Env, cfgPath, out string, check bool) error {
	vet.Prepare() // vet's tables load on another goroutine meanwhile
	cfg, err := env.LoadConfig(cfgPath)
	if err != nil {
		return err
	}
	if !check {
		// A switch an earlier render committed but did not finish is
		// finished first, so what is read below is one whole bundle.
		if done, err := fileset.Recover(out); err != nil {
			return clienv.Exit(clienv.ExitInput, "finishing an interrupted render: %s", err)
		} else if done {
			fmt.Fprintln(env.Stderr, "note: finished the switch an interrupted render had started")
		}
	}
	prev, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(terraform.TfvarsPath)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	res, err := bundle.Render(cfg, bundle.Options{PrevTfvars: prev})
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(env.Stderr, "note:", n)
	}
	// The rendered bundle is checked before anything is written: a finding
	// here is a bpgen bug, and writing a broken bundle would hide it until apply.
	if ds := vet.Check(res); ds.HasErrors() {
		diag.Write(env.Stderr, diag.FormatText, ds)
		return clienv.Exit(clienv.ExitFound, "render produced an invalid bundle (a bpgen bug); nothing was written")
	}
	previous := clienv.PreviousManifestFiles(out, res.Files[manifest.Path], res.Manifest.Files)
	if check {
		changes, err := fileset.Compare(out, res.Files, previous)
		if err != nil {
			return clienv.Exit(clienv.ExitInput, "%s", err)
		}
		sensitive := map[string]bool{}
		for _, v := range terraform.Variables(res.Model) {
			if v.Sensitive {
				sensitive[v.Name] = true
			}
		}
		redacted := false
		for _, c := range changes {
			d := redactDiff(c.Diff, sensitive)
			redacted = redacted || d != c.Diff
			fmt.Fprint(env.Stdout, d)
		}
		if redacted {
			fmt.Fprintln(env.Stderr, "note: values that may be secrets were redacted from the diff")
		}
		if len(changes) > 0 {
			for _, c := range changes {
				fmt.Fprintf(env.Stderr, "%s: %s\n", c.Kind, c.Path)
			}
			return clienv.Exit(clienv.ExitFound, "the bundle in %s is out of date with %s: run `bpgen render`", out, cfgPath)
		}
		fmt.Fprintf(env.Stderr, "the bundle in %s is up to date (%d files)\n", out, len(res.Files))
		return nil
	}
	written, removed, err := fileset.Write(out, res.Files, previous)
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "writing the bundle: %s", err)
	}
	for _, p := range written {
		fmt.Fprintln(env.Stderr, "wrote", filepath.Join(out, filepath.FromSlash(p)))
	}
	for _, p := range removed {
		fmt.Fprintln(env.Stderr, "removed", filepath.Join(out, filepath.FromSlash(p)))
	}
	fmt.Fprintf(env.Stderr, "rendered %d files into %s (%d changed, %d removed)\n", len(res.Files), out, len(written), len(removed))
	return nil
}
