package simulate_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/cli"
)

func write(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Runs that prove nothing or cannot be bounded are never exit 0: every
// scenario skipped exits 1; a misspelt fault action and a huge repeat are
// input errors (exit 2) naming the file, line, column and field.
func TestSimulateNeverPassesSilently(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, src string
		code      int
		want      string
	}{
		{"skip.yaml", "name: only associate\nrequires: {strategy: associate}\nconversations: [{}]\n", 1, "no scenario ran: all 1 skipped"},
		{"fault.yaml", "name: typo\nfaults:\n  - action: lookpu\n    status: 500\nconversations: [{}]\n", 2, "fault.yaml:3:5: fault action must be one of lookup, conversation, contact, merge, associate, claim"},
		{"repeat.yaml", "name: big\nconversations:\n  - repeat: 100000000\n", 2, "repeat.yaml:3:5: repeat must be at most 1000"},
	} {
		p := write(t, dir, c.name, c.src)
		var out, errb bytes.Buffer
		code := cli.Run(context.Background(), []string{"simulate", "-q", "--bundle", "../../..", p}, strings.NewReader(""), &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%s: exit %d (want %d), stderr %q", c.name, code, c.code, errb.String())
		}
	}
}
