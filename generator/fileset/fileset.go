// Package fileset holds a rendered bundle in memory and compares it with, or
// writes it to, a directory. Writing is all or nothing: every file is staged
// next to its destination first, and only when all are staged are they renamed
// into place; orphans are removed last.
package fileset

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
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
// so a user's own backend.tf is left alone.
var OwnedDirs = []string{"flows", "exports"}

// Compare lists what differs between the set and dir. previous lists the files
// an earlier render owned (from its manifest).
func Compare(dir string, s Set, previous []string) ([]Change, error) {
	var out []Change
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

// Orphans lists files bpgen owns in dir that the set no longer produces.
func Orphans(dir string, s Set, previous []string) ([]string, error) {
	found := map[string]bool{}
	for _, p := range previous {
		if _, ok := s[p]; !ok && exists(filepath.Join(dir, filepath.FromSlash(p))) && safeRel(p) {
			found[p] = true
		}
	}
	for _, d := range OwnedDirs {
		root := filepath.Join(dir, d)
		err := filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if de.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(dir, path)
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

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// safeRel refuses manifest entries that would escape the bundle directory.
func safeRel(p string) bool {
	return p != "" && !filepath.IsAbs(p) && !strings.HasPrefix(filepath.Clean(filepath.FromSlash(p)), "..")
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

// Write makes dir hold the set: files are staged, then renamed into place;
// unchanged files are not touched; orphans are removed. On a staging error
// nothing in dir has changed.
func Write(dir string, s Set, previous []string) (written []string, removed []string, err error) {
	type staged struct{ tmp, dst, rel string }
	var stage []staged
	// Orphans are listed before staging, so staged temporary files never count.
	orphans, err := Orphans(dir, s, previous)
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() {
		for _, st := range stage {
			os.Remove(st.tmp)
		}
	}
	for _, p := range s.Paths() {
		if !safeRel(p) {
			cleanup()
			return nil, nil, fmt.Errorf("refusing to write outside the bundle: %s", p)
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if cur, err := os.ReadFile(dst); err == nil && bytes.Equal(cur, s[p]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			cleanup()
			return nil, nil, err
		}
		f, err := os.CreateTemp(filepath.Dir(dst), ".bpgen-*")
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		stage = append(stage, staged{f.Name(), dst, p})
		if _, err := f.Write(s[p]); err != nil {
			f.Close()
			cleanup()
			return nil, nil, err
		}
		if err := f.Chmod(0o644); err != nil {
			f.Close()
			cleanup()
			return nil, nil, err
		}
		if err := f.Close(); err != nil {
			cleanup()
			return nil, nil, err
		}
	}
	for i, st := range stage {
		if err := os.Rename(st.tmp, st.dst); err != nil {
			for _, rest := range stage[i:] {
				os.Remove(rest.tmp)
			}
			return written, nil, err
		}
		written = append(written, st.rel)
	}
	for _, p := range orphans {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return written, removed, err
		}
		removed = append(removed, p)
	}
	return written, removed, nil
}
