// Package clienv is what every bpgen command shares: its streams, the exit
// codes, and loading a config with diagnostics printed the same way everywhere.
package clienv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/diag"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitFound = 1 // check found differences, or validation found problems
	ExitInput = 2 // usage or input error
	// ExitIncomplete: the run stopped before it finished (--timeout, Ctrl+C),
	// so it cannot claim success, nor a failure of what it did not check.
	ExitIncomplete = 3
)

// Env holds a command's streams.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// ExitError carries an exit code out of a cobra RunE. An empty message means
// the command already printed what the user needs.
type ExitError struct {
	Code int
	Msg  string
}

func (e *ExitError) Error() string { return e.Msg }

// Exit returns an ExitError.
func Exit(code int, format string, args ...any) error {
	return &ExitError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// Silent is an exit with a code and nothing more to say.
func Silent(code int) error { return &ExitError{Code: code} }

// CodeOf maps an error to an exit code.
func CodeOf(err error) int {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitInput
}

// LoadConfig loads and validates a config, printing diagnostics as text.
// Warnings are printed and do not fail; errors fail with ExitInput.
func (e *Env) LoadConfig(path string) (*config.Config, error) {
	cfg, _, ds := config.Load(path)
	if len(ds) > 0 {
		diag.Write(e.Stderr, diag.FormatText, ds)
	}
	if cfg == nil {
		return nil, Silent(ExitInput)
	}
	return cfg, nil
}

// PreviousManifestFiles returns the files a previous render in dir owned.
// rendered is this render's manifest, listing files: when the one on disk is
// byte for byte the same (a bundle with nothing to change), its list is
// that one, without parsing it again (the list is bpgen's own ASCII paths,
// which JSON carries unchanged).
func PreviousManifestFiles(dir string, rendered []byte, files []string) []string {
	b, err := os.ReadFile(filepath.Join(dir, manifest.Path))
	if err != nil {
		return nil
	}
	if bytes.Equal(b, rendered) {
		return append(slices.Clip(files), manifest.Path)
	}
	m, err := manifest.Parse(b)
	if err != nil {
		return nil
	}
	return append(m.Files, manifest.Path)
}
