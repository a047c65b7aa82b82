package archy_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/render/archy"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/testutil"
)

// Every flow of every committed bundle takes the fast path (else the speed
// is not real) and comes out byte for byte as yaml.v3 writes it.
func TestEmitFastMatchesYAMLv3(t *testing.T) {
	n := 0
	for _, path := range testutil.CommittedConfigs(t, filepath.Join("..", "..", "..")) {
		cfg, _, ds := config.Load(path)
		if cfg == nil {
			t.Fatalf("%s: %v", path, ds)
		}
		fl, err := flows.Build(model.Build(cfg))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fl {
			n++
			got, ok := archy.EmitFast(f.Doc)
			if !ok {
				t.Errorf("%s %s: not on the fast path", path, f.File)
				continue
			}
			want, err := archy.EncodeYAMLv3(f.Doc)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s %s: differs from yaml.v3 at byte %d:\n%s", path, f.File, firstDiff(got, want), excerpt(got, want))
			}
		}
	}
	if n < 6 {
		t.Fatalf("only %d flows rendered", n)
	}
}

// Text on the edges of yaml.v3's quoting rules, in every position a scalar
// can take: the fast path either declines it or writes what yaml.v3 writes.
var edgeText = []string{
	"", " ", "a", " a", "a ", "a  b", "- a", "-a", "-", "--", "---", "--- a", "...", "..x", "?", "? a", "?a", "a?",
	":", ": a", ":a", "a:", "a: b", "a:b", "a :b", "#", "#a", "a#b", "a #b", "a# b", ",", "a,b", "[a]", "a[b]", "{a}",
	"a}", "&a", "*a", "!a", "|", ">", "'", "a'b", "'a'", "\"", "a\"b", "\\", "a\\b", "%", "@", "`", "=", "<<", "<",
	"true", "True", "TRUE", "tRUE", "false", "yes", "Yes", "y", "n", "no", "on", "off", "null", "Null", "NULL", "nULL",
	"~", "~a", "12", "-1", "+1", "1.5", ".5", ".inf", "-.inf", ".nan", "0x1F", "0o7", "2006-01-02", "1_000", "1e3",
	"é", "naïve café", "日本語", "\u00a0", "a\u00a0", "\u0085", "\ufeff", "\ufffd", "\U0001F600", "\u2028", "x\ty",
	"x\ny", "x\r", "\x00", "\x7f", "\xff", "Flow.x == \"a\"", "If(IsSet(Flow.a), Flow.a, \"\")", "BPGEN_SUBST_name",
	strings.Repeat("k", 128), strings.Repeat("k", 129),
}

func TestEmitFastEdges(t *testing.T) {
	for _, a := range edgeText {
		for _, b := range edgeText {
			checkEmit(t, a, b)
		}
	}
}

func FuzzEmitFast(f *testing.F) {
	for _, s := range edgeText {
		f.Add(s, "v")
	}
	f.Fuzz(checkEmit)
}

// checkEmit puts key and text into documents of every shape the fast path
// takes and compares it with yaml.v3 wherever it accepts one.
func checkEmit(t *testing.T, key, text string) {
	str := func(s string) *archy.Node { return &archy.Node{Kind: flowyaml.ScalarNode, Tag: archy.TagStr, Value: s} }
	quoted := func(s string) *archy.Node {
		return &archy.Node{Kind: flowyaml.ScalarNode, Tag: archy.TagStr, Value: s, Style: flowyaml.DoubleQuotedStyle}
	}
	docs := []*archy.Node{
		archy.M(key, text),
		archy.M(archy.Placeholder("k"), text, "x", archy.S(text, key, archy.M(key, text, "n", 3, "b", true), archy.S()), "e", archy.M()),
		archy.S(archy.S(text), archy.M(key, archy.S(archy.M(key, text)))),
		{Kind: flowyaml.MappingNode, Tag: archy.TagMap, Content: []*archy.Node{quoted(key), quoted(text), str(text), str(key)}},
		{Kind: flowyaml.DocumentNode, Content: []*archy.Node{archy.M("a", archy.M(key, archy.M(text, 1)))}},
	}
	for _, d := range docs {
		got, ok := archy.EmitFast(d)
		if !ok {
			continue
		}
		want, err := archy.EncodeYAMLv3(d)
		if err != nil {
			t.Fatalf("yaml.v3 fails where the fast path wrote %q: %v", got, err)
		}
		if string(got) != string(want) {
			t.Fatalf("key %q text %q: fast path\n%s\nyaml.v3\n%s", key, text, got, want)
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func excerpt(a, b []byte) string {
	i := firstDiff(a, b)
	cut := func(x []byte) string { return string(x[max(0, i-80):min(len(x), i+80)]) }
	return "fast:   " + cut(a) + "\nyaml.v3: " + cut(b)
}
