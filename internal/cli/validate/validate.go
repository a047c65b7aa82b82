// Package validate is `bpgen validate`: config checks, then cross-artifact and
// provider-schema checks on the bundle the config renders, reported with stable
// rule ids in text, JSON or GitHub Actions format.
package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/diag"
	"github.com/bpgen/bpgen/internal/render/vet"
)

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	var cfgPath, format string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the config and the bundle it renders",
		Long: `Validate checks the config, then the bundle it renders (cross-artifact and
provider-schema checks), and prints every finding with its rule id.

Exit codes: 0 clean, 1 findings, 2 usage or a config that cannot be read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(diag.Formats, format) {
				return clienv.Exit(clienv.ExitInput, "--format must be one of %s", strings.Join(diag.Formats, ", "))
			}
			vet.Prepare()
			cfg, _, ds := config.Load(cfgPath)
			if cfg != nil {
				res, err := bundle.Render(cfg, bundle.Options{})
				if err != nil {
					return clienv.Exit(clienv.ExitInput, "%s", err)
				}
				ds = append(ds, vet.Check(res)...)
			}
			ds.Sort()
			if err := diag.Write(env.Stdout, format, ds); err != nil {
				return err
			}
			// A config that cannot be read is an input error, as for
			// render: nothing was validated, so it is not a finding.
			if cfg == nil && slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return d.Rule == diag.Unreadable }) {
				return clienv.Silent(clienv.ExitInput)
			}
			if ds.HasErrors() {
				return clienv.Silent(clienv.ExitFound)
			}
			if format == diag.FormatText {
				fmt.Fprintf(env.Stderr, "%s: ok\n", cfgPath)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&cfgPath, "config", "c", "bpgen.yaml", "config file")
	cmd.Flags().StringVar(&format, "format", diag.FormatText, "output format: "+strings.Join(diag.Formats, ", "))
	return cmd
}
