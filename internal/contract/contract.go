// Package contract owns every name the generator writes into a bundle and
// another part of bpgen reads back: Terraform output and variable names,
// manifest object kinds and keys, substitution refs, flow variables and
// outcomes the emulator and its reports read, bundle file paths, the
// placeholder marker, and the identifier and contact types with what each
// one means. The generator writes from these symbols; the emulator, verify,
// wire, the harness, the scenarios and internal/emulator/stack read with them, so renaming one
// changes both sides or fails to compile.
//
// It imports nothing from bpgen: every layer may import it (see
// layering_test.go at the repository root).
package contract
