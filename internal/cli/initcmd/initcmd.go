// Package initcmd is `bpgen init`: a commented starter config and the JSON
// Schema its modeline points editors at.
package initcmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/templates"
)

// SchemaFile is the schema's file name beside the config (the modeline names it).
const SchemaFile = "bpgen.schema.json"

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	var dir string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter bpgen.yaml and its JSON Schema",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			order := []string{filepath.Join(dir, "bpgen.yaml"), filepath.Join(dir, SchemaFile)}
			files := map[string][]byte{order[0]: templates.StarterConfig(), order[1]: config.SchemaJSON()}
			if !force {
				for _, p := range order {
					if _, err := os.Stat(p); err == nil {
						return clienv.Exit(clienv.ExitInput, "%s already exists (use --force to overwrite)", p)
					} else if !errors.Is(err, fs.ErrNotExist) {
						return clienv.Exit(clienv.ExitInput, "%s", err)
					}
				}
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return clienv.Exit(clienv.ExitInput, "%s", err)
			}
			for _, p := range order {
				if err := os.WriteFile(p, files[p], 0o644); err != nil {
					return clienv.Exit(clienv.ExitInput, "%s", err)
				}
				fmt.Fprintln(env.Stderr, "wrote", p)
			}
			fmt.Fprintln(env.Stderr, "next: edit bpgen.yaml, then run `bpgen render`")
			return nil
		},
	}
	cmd.Flags().StringVarP(&dir, "out", "o", ".", "directory to write into")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	return cmd
}
