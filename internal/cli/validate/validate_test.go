package validate_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/cli"
)

// A missing or unreadable config exits 2 like render, tagged with its own
// rule, never as a YAML syntax error; findings in a config exit 1.
func TestUnreadableConfigIsAnInputError(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{filepath.Join(dir, "missing.yaml"), dir} {
		for _, cmd := range []string{"validate", "render"} {
			var out, errb bytes.Buffer
			code := cli.Run(context.Background(), []string{cmd, "-c", p, "-o", t.TempDir()}[:map[string]int{"validate": 3, "render": 5}[cmd]], strings.NewReader(""), &out, &errb)
			all := out.String() + errb.String()
			if code != 2 || !strings.Contains(all, "[BPG003 file-unreadable]") || strings.Contains(all, "BPG001") {
				t.Errorf("%s -c %s: exit %d\n%s", cmd, p, code, all)
			}
		}
	}
}
