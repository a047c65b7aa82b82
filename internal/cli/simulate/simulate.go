// Package simulate is `bpgen simulate`: it runs scenario files against a
// rendered bundle in an emulated org and reports what the customer saw, the
// flow steps and API calls, and every expectation that did not hold.
package simulate

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/scenario"
)

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	var bundleDir string
	var asJSON, quiet bool
	cmd := &cobra.Command{
		Use:   "simulate [--bundle dir] [--json] scenario.yaml...",
		Short: "Run scenarios against a rendered bundle in an emulated org",
		Long: `Simulate loads the bundle exactly as render wrote it (the inbound message flow,
the bot flow, the ResolveContact module and the data actions), starts an
emulated org, and runs each scenario: it seeds contacts and faults, plays the
customer's side of each conversation, and checks the expectations.

The report shows every flow step with its file and line, every data-action
HTTP call with status and latency, and every message each way; --json gives
the same as JSON. A scenario whose requirements the bundle does not meet is
skipped; a run where every scenario was skipped fails (nothing was tested).

Exit codes: 0 every expectation held, 1 an expectation failed or no scenario
ran (all skipped), 2 a scenario or the bundle could not be loaded.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := architect.Load(bundleDir)
			if err != nil {
				return clienv.Exit(clienv.ExitInput, "bundle %s: %s", bundleDir, err)
			}
			var scs []*scenario.Scenario
			for _, path := range args {
				s, err := scenario.Load(path)
				if err != nil {
					return clienv.Exit(clienv.ExitInput, "%s", err)
				}
				scs = append(scs, s)
			}
			var reports []*scenario.Report
			failed := false
			for _, s := range scs {
				rep, err := scenario.Run(cmd.Context(), s, b, scenario.Options{BundleName: bundleDir})
				if err != nil {
					return clienv.Exit(clienv.ExitInput, "%s", err)
				}
				reports = append(reports, rep)
				failed = failed || !rep.Passed
				if !asJSON {
					if err := rep.WriteText(env.Stdout, !quiet); err != nil {
						return err
					}
				}
			}
			// Skipped scenarios prove nothing: a run where none applied must
			// not read as a pass in CI.
			ran := 0
			for _, r := range reports {
				if r.Skipped == "" {
					ran++
				}
			}
			noneRan := ran == 0
			if asJSON {
				enc := json.NewEncoder(env.Stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				out := struct {
					Bundle  string             `json:"bundle"`
					Passed  bool               `json:"passed"`
					Reports []*scenario.Report `json:"reports"`
				}{bundleDir, !failed && !noneRan, reports}
				if err := enc.Encode(out); err != nil {
					return err
				}
			}
			if failed {
				return clienv.Exit(clienv.ExitFound, "%s", summary(reports))
			}
			if noneRan {
				return clienv.Exit(clienv.ExitFound, "no scenario ran: all %d skipped (none applies to bundle %s)", len(reports), bundleDir)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&bundleDir, "bundle", ".", "bundle directory (where bpgen.manifest.json is)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the reports as JSON")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print only each scenario's verdict and failures, not the traces")
	return cmd
}

func summary(reports []*scenario.Report) string {
	n, f := 0, 0
	for _, r := range reports {
		if !r.Passed {
			n++
			f += len(r.Failures)
		}
	}
	return fmt.Sprintf("%d of %d scenarios failed (%d expectations)", n, len(reports), f)
}
