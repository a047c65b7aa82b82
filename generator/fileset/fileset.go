// Package fileset holds a rendered bundle in memory and compares it with, or
// writes it to, a directory.
//
// Writing switches the whole bundle or nothing (see Write): the new files are
// staged under .bpgen-stage/, a journal naming every rename and removal is
// committed with one atomic rename, and only then are files moved into place.
// A kill before the commit leaves the old bundle; a kill after it leaves a
// journal that the next Write (or Recover) finishes. Only files bpgen owns
// (Owned) are ever removed, whatever a manifest on disk claims.
package fileset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/bpgen/bpgen/format/manifest"
)

// Set maps a slash-separated bundle path to its content.
type Set map[string][]byte

// Paths returns the paths in sorted order.
func (s Set) Paths() []string {
	out := make([]string, 0, len(s))
	for p := range s {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Change is one difference between the set and a directory.
type Change struct {
	Path string
	Kind string // "changed", "missing" or "orphaned"
	Diff string // unified diff for changed, missing and orphaned text files
}

// OwnedDirs are wholly owned by bpgen: any file there that the render does not
// produce is an orphan. In terraform/ only files a previous render listed count,
// so a user's own backend.tf, state and lock file are left alone.
var OwnedDirs = []string{"flows", "exports"}

// TerraformDir holds the Terraform files, shared with the user's own.
const TerraformDir = "terraform"

// StageDir is where a write stages the new bundle and its journal.
const StageDir = ".bpgen-stage"

// Owned reports whether bpgen may write or remove the bundle path p: the
// manifest, anything under flows/ or exports/, and in terraform/ (top level
// only) the kinds of file bpgen renders there. Nothing else, whatever a
// manifest lists: not the config, not .git, not terraform state.
func Owned(p string) bool {
	if p == "" || strings.Contains(p, "\\") || path.IsAbs(p) || filepath.IsAbs(p) || path.Clean(p) != p {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." || seg == StageDir || strings.HasPrefix(seg, ".git") && seg != ".gitignore" {
			return false
		}
	}
	if p == manifest.Path {
		return true
	}
	dir, name := path.Split(p)
	for _, d := range OwnedDirs {
		if strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	if dir != TerraformDir+"/" {
		return false
	}
	switch {
	case name == ".gitignore", name == "README.md":
		return true
	case strings.HasSuffix(name, ".tfstate"), strings.Contains(name, ".tfstate."):
		return false
	}
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tfvars")
}

// Compare lists what differs between the set and dir. previous lists the files
// an earlier render owned (from its manifest).
func Compare(dir string, s Set, previous []string) ([]Change, error) {
	var out []Change
	if _, err := os.Stat(filepath.Join(dir, StageDir, journalName)); err == nil {
		out = append(out, Change{Path: StageDir + "/" + journalName, Kind: "interrupted",
			Diff: "# a render was interrupted while switching the bundle: run `bpgen render` to finish it\n"})
	}
	for _, p := range s.Paths() {
		want := s[p]
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out = append(out, Change{Path: p, Kind: "missing", Diff: diff(p, nil, want)})
		case err != nil:
			return nil, err
		case !bytes.Equal(got, want):
			out = append(out, Change{Path: p, Kind: "changed", Diff: diff(p, got, want)})
		}
	}
	orphans, err := Orphans(dir, s, previous)
	if err != nil {
		return nil, err
	}
	for _, p := range orphans {
		got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		out = append(out, Change{Path: p, Kind: "orphaned", Diff: diff(p, got, nil)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// tempName matches the temporary files older bpgen versions staged next to
// their destinations (os.CreateTemp with ".bpgen-*").
var tempName = regexp.MustCompile(`^\.bpgen-[0-9]+$`)

// Orphans lists files bpgen owns in dir that the set no longer produces,
// including temporary files an interrupted older write left behind.
func Orphans(dir string, s Set, previous []string) ([]string, error) {
	found := map[string]bool{}
	for _, p := range previous {
		if _, ok := s[p]; !ok && Owned(p) && isFile(filepath.Join(dir, filepath.FromSlash(p))) {
			found[p] = true
		}
	}
	for _, d := range []string{".", TerraformDir} {
		entries, _ := os.ReadDir(filepath.Join(dir, d))
		for _, e := range entries {
			if tempName.MatchString(e.Name()) && e.Type().IsRegular() {
				found[path.Join(d, e.Name())] = true
			}
		}
	}
	for _, d := range OwnedDirs {
		root := filepath.Join(dir, d)
		err := filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if de.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if _, ok := s[rel]; !ok {
				found[rel] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]string, 0, len(found))
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// isFile reports a regular file or symlink (removing a link removes only it).
func isFile(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && !fi.IsDir()
}

func diff(path string, a, b []byte) string {
	if !isText(a) || !isText(b) {
		return fmt.Sprintf("Binary files a/%s and b/%s differ\n", path, path)
	}
	from, to := "a/"+path, "b/"+path
	if a == nil {
		from = "/dev/null"
	}
	if b == nil {
		to = "/dev/null"
	}
	ud := difflib.UnifiedDiff{A: difflib.SplitLines(string(a)), B: difflib.SplitLines(string(b)), FromFile: from, ToFile: to, Context: 3}
	text, err := difflib.GetUnifiedDiffString(ud)
	if err != nil {
		return err.Error()
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text
}

func isText(b []byte) bool { return !bytes.ContainsRune(b, 0) }

const journalName = "journal.json"

// journal is the committed plan of a switch: files staged under StageDir to
// move into place, and orphans to remove. Replaying it is idempotent.
type journal struct {
	Install []string `json:"install"`
	Remove  []string `json:"remove"`
}

// Write makes dir hold the set: unchanged files are not touched, changed and
// new ones are replaced, orphans are removed. Any error before the journal
// is committed leaves dir as it was (less the stage, which is removed); a
// kill at any point leaves either the old bundle or a committed journal that
// the next Write or Recover completes.
func Write(dir string, s Set, previous []string) (written []string, removed []string, err error) {
	if _, err := Recover(dir); err != nil {
		return nil, nil, err
	}
	// Everything that could refuse is checked before anything is staged.
	var changed []string
	for _, p := range s.Paths() {
		if !Owned(p) {
			return nil, nil, fmt.Errorf("refusing to write a file bpgen does not own: %s", p)
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := placeable(dir, p); err != nil {
			return nil, nil, err
		}
		if cur, err := os.ReadFile(dst); err == nil && bytes.Equal(cur, s[p]) {
			continue
		}
		changed = append(changed, p)
	}
	orphans, err := Orphans(dir, s, previous)
	if err != nil {
		return nil, nil, err
	}
	if len(changed) == 0 && len(orphans) == 0 {
		return nil, nil, nil
	}
	stage := filepath.Join(dir, StageDir)
	if err := os.RemoveAll(stage); err != nil {
		return nil, nil, err
	}
	fail := func(err error) ([]string, []string, error) {
		os.RemoveAll(stage)
		return nil, nil, err
	}
	for _, p := range changed {
		if err := writeSynced(filepath.Join(stage, filepath.FromSlash(p)), s[p]); err != nil {
			return fail(err)
		}
	}
	j, err := json.Marshal(journal{Install: changed, Remove: orphans})
	if err != nil {
		return fail(err)
	}
	if err := writeSynced(filepath.Join(stage, journalName+".tmp"), j); err != nil {
		return fail(err)
	}
	// The commit point: from here on the switch is finished, now or by the
	// next Recover.
	if err := os.Rename(filepath.Join(stage, journalName+".tmp"), filepath.Join(stage, journalName)); err != nil {
		return fail(err)
	}
	syncDir(stage)
	if err := replay(dir); err != nil {
		return nil, nil, fmt.Errorf("%w (the switch is recorded in %s; the next `bpgen render` finishes it)", err, filepath.Join(stage, journalName))
	}
	return changed, orphans, nil
}

// Recover finishes a switch an interrupted Write committed, or discards one
// it had not. It reports whether a committed switch was finished.
func Recover(dir string) (bool, error) {
	stage := filepath.Join(dir, StageDir)
	if _, err := os.Lstat(stage); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(stage, journalName)); err != nil {
		// Not committed: the old bundle is intact; drop the partial stage.
		return false, os.RemoveAll(stage)
	}
	return true, replay(dir)
}

func replay(dir string) error {
	stage := filepath.Join(dir, StageDir)
	b, err := os.ReadFile(filepath.Join(stage, journalName))
	if err != nil {
		return err
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(stage, journalName), err)
	}
	for _, p := range j.Install {
		if !Owned(p) {
			return fmt.Errorf("journal names a file bpgen does not own: %s", p)
		}
		src := filepath.Join(stage, filepath.FromSlash(p))
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
			continue // moved before the interruption
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(src, dst); err != nil {
			return err
		}
	}
	for _, p := range j.Remove {
		if !Owned(p) && !tempName.MatchString(path.Base(p)) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	// The journal goes last: until it is gone, the switch can be replayed.
	if err := os.Remove(filepath.Join(stage, journalName)); err != nil {
		return err
	}
	return os.RemoveAll(stage)
}

// placeable refuses a path whose destination, or one of whose parents, is of
// the wrong kind (a directory where the file goes, a file where a folder goes).
func placeable(dir, p string) error {
	parts := strings.Split(p, "/")
	for i := range parts {
		cur := filepath.Join(dir, filepath.Join(parts[:i+1]...))
		fi, err := os.Stat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		last := i == len(parts)-1
		if last && fi.IsDir() {
			return fmt.Errorf("%s is a directory, where bpgen must write a file; nothing was written", cur)
		}
		if !last && !fi.IsDir() {
			return fmt.Errorf("%s is a file, where bpgen needs a folder; nothing was written", cur)
		}
	}
	return nil
}

func writeSynced(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	// Synced so a committed journal never points at data still in flight.
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(d string) {
	if f, err := os.Open(d); err == nil {
		f.Sync()
		f.Close()
	}
}
