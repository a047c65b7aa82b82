// Package version is `bpgen version`.
package version

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/generator/config"
	"github.com/bpgen/bpgen/internal/cli/clienv"
)

// Version is set at build time with -ldflags "-X github.com/bpgen/bpgen/internal/cli/version.Version=v1.2.3".
var Version = ""

// String returns the version, falling back to the module build info.
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Command builds the cobra command.
func Command(env *clienv.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the bpgen version and the provider version it targets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(env.Stdout, "bpgen %s (provider mypurecloud/genesyscloud %s)\n", String(), config.ProviderVersion)
			return nil
		},
	}
}
