// Package cli is bpgen's command line: Run parses arguments and dispatches to
// one package per command, so the CLI is tested in-process like a function.
package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/cli/initcmd"
	"github.com/bpgen/bpgen/internal/cli/orgserve"
	"github.com/bpgen/bpgen/internal/cli/render"
	"github.com/bpgen/bpgen/internal/cli/schema"
	"github.com/bpgen/bpgen/internal/cli/simulate"
	"github.com/bpgen/bpgen/internal/cli/validate"
	"github.com/bpgen/bpgen/internal/cli/verify"
	"github.com/bpgen/bpgen/internal/cli/version"
	"github.com/bpgen/bpgen/internal/cli/wire"
)

// Run runs bpgen with the given arguments and returns the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &clienv.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	root := &cobra.Command{
		Use:   "bpgen",
		Short: "Render and test a Genesys Cloud identity-resolution bundle from one YAML file",
		Long: `bpgen turns bpgen.yaml into a complete Genesys Cloud CX-as-Code bundle for
identity resolution on messaging: terraform/, flows/ and exports/.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return clienv.Exit(clienv.ExitInput, "%s\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(
		render.Command(env),
		validate.Command(env),
		initcmd.Command(env),
		schema.Command(env),
		version.Command(env),
		simulate.Command(env),
		orgserve.Command(env),
		wire.Command(env),
		verify.Command(env),
	)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return clienv.ExitOK
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "bpgen:", msg)
	}
	return clienv.CodeOf(err)
}
