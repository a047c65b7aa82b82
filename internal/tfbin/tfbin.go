// Package tfbin finds the terraform binary the harness and the commands run:
// the one named explicitly, else $BPGEN_TERRAFORM, else terraform on PATH.
package tfbin

import (
	"os"
	"os/exec"

	"github.com/bpgen/bpgen/internal/contract"
)

// Lookup resolves the binary. name is what was looked up (explicit,
// $BPGEN_TERRAFORM, or "terraform"), for the caller's error message.
func Lookup(explicit string) (name, path string, err error) {
	name = explicit
	if name == "" {
		name = os.Getenv(contract.EnvTerraform)
	}
	if name == "" {
		name = "terraform"
	}
	path, err = exec.LookPath(name)
	return name, path, err
}
