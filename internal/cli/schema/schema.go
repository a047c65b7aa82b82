// Package schema is `bpgen schema`: the config's JSON Schema on stdout.
package schema

import (
	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/render/config"
)

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of bpgen.yaml (for editors and CI)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := env.Stdout.Write(config.SchemaJSON())
			return err
		},
	}
}
