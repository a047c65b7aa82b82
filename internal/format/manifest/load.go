package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/dataaction"
)

// LoadError is a rendered bundle that cannot be read: the bundle-relative
// file and what is wrong with it. Err is the underlying error, if any, so
// errors.Is(err, fs.ErrNotExist) tells a missing bundle from a broken one.
type LoadError struct {
	File string
	Msg  string
	Err  error
}

func (e *LoadError) Error() string { return e.File + ": " + e.Msg }

func (e *LoadError) Unwrap() error { return e.Err }

// Load reads the manifest at the root of fsys and checks its format. It is
// the one way every reader of a rendered bundle (the emulator, its deployer,
// verify, the commands) opens it.
func Load(fsys fs.FS) (*Manifest, error) {
	raw, err := fs.ReadFile(fsys, Path)
	if err != nil {
		return nil, &LoadError{File: Path, Msg: "cannot read the manifest: " + pathErr(err) + " (is this a directory `bpgen render` wrote?)", Err: err}
	}
	m, err := Parse(raw)
	if err != nil {
		return nil, &LoadError{File: Path, Msg: "invalid manifest: " + err.Error(), Err: err}
	}
	if m.Format != Format {
		return nil, &LoadError{File: Path, Msg: fmt.Sprintf("manifest format %q, want %q: re-render the bundle with this bpgen", m.Format, Format)}
	}
	return m, nil
}

// Dir is the bundle directory dir as a file system; "" is the current
// directory (os.DirFS refuses "").
func Dir(dir string) fs.FS {
	if dir == "" {
		dir = "."
	}
	return os.DirFS(dir)
}

// Actions reads and parses the export of every data action the manifest
// lists, by object id; an export must carry the manifest's name for it.
func (m *Manifest) Actions(fsys fs.FS) (map[string]*dataaction.Action, error) {
	out := map[string]*dataaction.Action{}
	for _, o := range m.ByKind(contract.KindDataAction) {
		data, err := fs.ReadFile(fsys, o.File)
		if err != nil {
			return nil, &LoadError{File: o.File, Msg: "cannot read data action: " + pathErr(err), Err: err}
		}
		def, err := dataaction.Parse(data)
		if err != nil {
			return nil, &LoadError{File: o.File, Msg: "invalid data action: " + err.Error(), Err: err}
		}
		if def.Name != o.Name {
			return nil, &LoadError{File: o.File, Msg: fmt.Sprintf("action name %q differs from the manifest's %q", def.Name, o.Name)}
		}
		out[o.ID] = def
	}
	return out, nil
}

// pathErr is an fs error without the path, which LoadError.File already says.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
