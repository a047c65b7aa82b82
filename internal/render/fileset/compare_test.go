package fileset_test

import (
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/render/fileset"
)

// Owned is the whole of what bpgen may touch: a path outside it is never
// written or removed, whatever a manifest lists.
func TestOwned(t *testing.T) {
	for p, want := range map[string]bool{
		"bpgen.manifest.json":           true,
		"flows/bot_flow.yaml":           true,
		"exports/lookup.json":           true,
		"exports/sub/x.json":            true,
		"terraform/main.tf":             true,
		"terraform/dev.auto.tfvars":     true,
		"terraform/README.md":           true,
		"terraform/.gitignore":          true,
		"bpgen.yaml":                    false,
		"README.md":                     false,
		"terraform/terraform.tfstate":   false,
		"terraform/x.tfstate.backup":    false,
		"terraform/modules/m.tf":        false,
		"terraform/.terraform.lock.hcl": false,
		".git/config":                   false,
		"flows/../bpgen.yaml":           false,
		"../x":                          false,
		"/etc/passwd":                   false,
		"flows\\x.yaml":                 false,
		".bpgen-stage/journal":          false,
		"":                              false,
	} {
		if got := fileset.Owned(p); got != want {
			t.Errorf("Owned(%q) = %v, want %v", p, got, want)
		}
	}
}

// Compare names every difference by kind, with a diff, sorted by path;
// files bpgen does not own are not orphans even when a manifest lists them.
func TestCompareKinds(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "flows/same.yaml", "same\n")
	write(t, dir, "flows/changed.yaml", "old\n")
	write(t, dir, "flows/gone.yaml", "orphan\n")
	write(t, dir, "bpgen.yaml", "mine\n")
	s := fileset.Set{"flows/same.yaml": []byte("same\n"), "flows/changed.yaml": []byte("new\n"), "exports/new.json": []byte("{}\n")}
	changes, err := fileset.Compare(dir, s, []string{"flows/gone.yaml", "bpgen.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.Kind+" "+c.Path)
		if c.Diff == "" {
			t.Errorf("%s %s has no diff", c.Kind, c.Path)
		}
	}
	want := "missing exports/new.json, changed flows/changed.yaml, orphaned flows/gone.yaml"
	if strings.Join(got, ", ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, ", "), want)
	}
	if d := changes[1].Diff; !strings.Contains(d, "-old") || !strings.Contains(d, "+new") {
		t.Errorf("changed diff:\n%s", d)
	}
	// A write interrupted mid-switch is drift of its own.
	write(t, dir, fileset.StageDir+"/journal.json", "{}")
	changes, err = fileset.Compare(dir, fileset.Set{"flows/same.yaml": []byte("same\n")}, nil)
	if err != nil || len(changes) == 0 || changes[0].Kind != "interrupted" {
		t.Errorf("interrupted: %v %v", changes, err)
	}
}

// A file is the same only when every byte is: files are compared in pieces,
// so the differences sit at the edges of a piece, past it, and at the end.
func TestCompareAndWriteSeeEveryByte(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 5<<10) // 80 KiB: several pieces
	alter := func(s string, i int) string { return s[:i] + "#" + s[i+1:] }
	for name, onDisk := range map[string]string{
		"a byte changed in the first piece": alter(big, 7),
		"a byte changed at a piece's end":   alter(big, 32<<10-1),
		"a byte changed at a piece's start": alter(big, 32<<10),
		"the last byte changed":             alter(big, len(big)-1),
		"one byte short":                    big[:len(big)-1],
		"one byte more":                     big + "x",
		"empty":                             "",
		"a piece short":                     big[:len(big)-32<<10],
	} {
		dir := t.TempDir()
		write(t, dir, "flows/f.yaml", onDisk)
		s := fileset.Set{"flows/f.yaml": []byte(big)}
		changes, err := fileset.Compare(dir, s, nil)
		if err != nil || len(changes) != 1 || changes[0].Kind != "changed" {
			t.Errorf("%s: Compare gave %v, %v", name, changes, err)
		}
		written, _, err := fileset.Write(dir, s, nil)
		if err != nil || len(written) != 1 {
			t.Errorf("%s: Write replaced %v, %v", name, written, err)
		}
		if changes, err := fileset.Compare(dir, s, nil); err != nil || len(changes) != 0 {
			t.Errorf("%s: after Write, Compare gave %v, %v", name, changes, err)
		}
		if written, _, err := fileset.Write(dir, s, nil); err != nil || len(written) != 0 {
			t.Errorf("%s: a second Write replaced %v, %v", name, written, err)
		}
	}
}
