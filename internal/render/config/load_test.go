package config_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/format/yamldoc"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/diag"
)

// laughs nests levels of width aliases: width^levels nodes once expanded.
func laughs(levels, width int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x]\n")
	for l := 1; l <= levels; l++ {
		refs := make([]string, width)
		for i := range refs {
			refs[i] = fmt.Sprintf("*a%d", l-1)
		}
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", l, l, strings.Join(refs, ","))
	}
	return b.String()
}

func oneDiag(t *testing.T, src string) diag.Diagnostic {
	t.Helper()
	cfg, _, ds := config.Parse("c.yaml", []byte(src))
	if cfg != nil || !ds.HasErrors() {
		t.Fatalf("accepted:\n%s", src)
	}
	return ds[0]
}

func TestAliasBudget(t *testing.T) {
	src := laughs(9, 9) // 387 bytes, 9^9 nodes expanded
	start := time.Now()
	d := oneDiag(t, src)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s to refuse %d bytes of aliases", el, len(src))
	}
	if d.Rule != diag.YAMLSyntax || !strings.Contains(d.Message, "aliases") || d.Pos.Line < 2 || d.Pos.Col < 1 {
		t.Errorf("got %s, want an alias-budget error at an alias's line:col", d)
	}
}

func TestYAMLPositions(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		rule      diag.Rule
		msg       string
	}{
		{"second document", "version: 1\n---\nversion: 2\n", 2, 1, diag.YAMLSyntax, "second YAML document"},
		{"second document after end marker", "version: 1\n...\n---\nfoo: 1\n", 3, 1, diag.YAMLSyntax, "second YAML document"},
		{"tab indent", "version: 1\nidentifiers:\n\t- type: Email\n", 3, 1, diag.YAMLSyntax, "tab"},
		{"tab in nested indent", "version: 1\nproject:\n  name: a\n  \tcolor: b\n", 4, 3, diag.YAMLSyntax, "tab"},
		{"duplicate key", "version: 1\nproject:\n  name: a\n  name: b\n", 4, 3, diag.YAMLSyntax, `duplicate key "name"`},
		{"mapping value", "version: 1\nproject: name: b\n", 2, 14, diag.YAMLSyntax, "mapping values"},
		{"unclosed flow", "version: 1\nidentifiers: [a, b\n", 2, 14, diag.YAMLSyntax, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := oneDiag(t, tc.src)
			if d.Rule != tc.rule || d.Pos.Line != tc.line || (tc.col > 0 && d.Pos.Col != tc.col) || d.Pos.Col < 1 || !strings.Contains(d.Message, tc.msg) {
				t.Errorf("got %s, want %d:%d [%s] containing %q", d, tc.line, tc.col, tc.rule, tc.msg)
			}
		})
	}
}

// FuzzAliases: whatever the nesting, Parse answers quickly, and whatever it
// accepts expands within the budget.
func FuzzAliases(f *testing.F) {
	f.Add(uint8(3), uint8(3), []byte("version: 1\n"))
	f.Add(uint8(9), uint8(9), []byte(""))
	f.Add(uint8(40), uint8(2), []byte("b: &b [*a40, *a40]\nc: [*b, *b, *b]\n"))
	f.Add(uint8(1), uint8(200), []byte("x: *a1\n"))
	f.Fuzz(func(t *testing.T, levels, width uint8, tail []byte) {
		src := laughs(int(levels%64), int(width%64)+1) + string(tail)
		start := time.Now()
		_, _, ds := config.Parse("fuzz.yaml", []byte(src))
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("took %s", el)
		}
		for _, d := range ds {
			if d.Rule == diag.YAMLSyntax {
				return // refused before anything was expanded
			}
		}
		var doc yaml.Node
		if yaml.Unmarshal([]byte(src), &doc) != nil {
			return
		}
		if n := expanded(&doc, yamldoc.MaxExpanded+1); n > yamldoc.MaxExpanded {
			t.Fatalf("accepted a document expanding to more than %d nodes", yamldoc.MaxExpanded)
		}
	})
}

// expanded counts nodes with every alias expanded, stopping past limit.
func expanded(n *yaml.Node, limit int) int {
	count := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || count > limit {
			return
		}
		count++
		if n.Kind == yaml.AliasNode {
			walk(n.Alias)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return count
}
