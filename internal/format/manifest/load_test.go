package manifest

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bpgen/bpgen/internal/format/dataaction"
)

func TestLoad(t *testing.T) {
	action := `{"name": "Lookup", "integrationType": "purecloud-data-actions", "actionType": "custom", "config": {}, "contract": {}, "secure": false}`
	man := func(format, name string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{"format": "` + format + `", "objects": [{"id": "data_action.lookup", "kind": "data_action", "key": "lookup", "name": "` + name + `", "file": "exports/lookup.json", "address": "a"}]}`)}
	}
	for _, tc := range []struct {
		name     string
		fsys     fstest.MapFS
		want     string // substring of the error; "" is success
		notExist bool
	}{
		{"ok", fstest.MapFS{Path: man(Format, "Lookup"), "exports/lookup.json": {Data: []byte(action)}}, "", false},
		{"missing", fstest.MapFS{}, "bpgen.manifest.json: cannot read the manifest", true},
		{"not JSON", fstest.MapFS{Path: {Data: []byte("{")}}, "bpgen.manifest.json: invalid manifest", false},
		{"old format", fstest.MapFS{Path: man("bpgen.manifest/v0", "Lookup")}, `manifest format "bpgen.manifest/v0", want "bpgen.manifest/v1"`, false},
		{"export missing", fstest.MapFS{Path: man(Format, "Lookup")}, "exports/lookup.json: cannot read data action", true},
		{"export renamed", fstest.MapFS{Path: man(Format, "Other"), "exports/lookup.json": {Data: []byte(action)}}, `action name "Lookup" differs from the manifest's "Other"`, false},
	} {
		m, err := Load(tc.fsys)
		if err == nil {
			var acts map[string]*dataaction.Action
			acts, err = m.Actions(tc.fsys)
			if err == nil && acts["data_action.lookup"].Name != "Lookup" {
				t.Errorf("%s: actions %v", tc.name, acts)
			}
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		case tc.want != "" && errors.Is(err, fs.ErrNotExist) != tc.notExist:
			t.Errorf("%s: errors.Is(err, fs.ErrNotExist) = %v", tc.name, !tc.notExist)
		}
	}
}
