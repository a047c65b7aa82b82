// Package scenarios is bpgen's scenario suite: YAML files that `bpgen
// simulate` runs against a rendered bundle (see package internal/emulator/scenario
// for the format). `go test ./scenarios/` runs every scenario here against
// every committed bundle it applies to: the repository root and each
// directory under examples/.
package scenarios
