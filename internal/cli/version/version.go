// Package version is `bpgen version`.
package version

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/render/config"
)

// Version is set at build time with -ldflags "-X github.com/bpgen/bpgen/internal/cli/version.Version=v1.2.3".
var Version = ""

// String returns the version: the -ldflags one, else what the Go toolchain
// stamped into the binary (the module version for `go install
// module@version`, the VCS revision for a build in a clone).
func String() string {
	if Version != "" {
		return Version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return noVCS
	}
	return fromBuildInfo(bi)
}

// noVCS is the version of a build that recorded neither a module version
// nor a revision.
const noVCS = "devel (built without version control information: see `go env GOFLAGS` for -buildvcs=false)"

// fromBuildInfo picks the most precise version the build info holds.
func fromBuildInfo(bi *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	rev, dirty := settings["vcs.revision"], settings["vcs.modified"] == "true"
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := bi.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	if rev == "" {
		// Built outside a clone, or with -buildvcs=false (some machines set
		// it in GOFLAGS): say so rather than print a bare "dev".
		return noVCS
	}
	v = "devel " + rev
	if t := settings["vcs.time"]; t != "" {
		v += " " + t
	}
	if dirty {
		v += " (modified)"
	}
	return v
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
