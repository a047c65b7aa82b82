package flowyaml_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/testutil"
)

var placeholder = regexp.MustCompile(`\{\{([a-z][a-z0-9_]*)\}\}`)

// committedFlows is every flow of every committed bundle with its
// placeholders filled in both ways flows meet them: vet's <ref> stand-ins and
// the JSON strings the provider substitutes (names with quotes, colons,
// non-ASCII text and escapes).
func committedFlows(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, dir := range testutil.CommittedBundles(t, filepath.Join("..", "..", "..")) {
		paths, _ := filepath.Glob(filepath.Join(dir, "flows", "*.yaml"))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[p+" <ref>"] = placeholder.ReplaceAll(b, []byte("<$1>"))
			out[p+" json"] = placeholder.ReplaceAllFunc(b, func(m []byte) []byte {
				return []byte(strconv.Quote("Büro: \"" + string(m[2:len(m)-2]) + "\" #1 \\ / \t"))
			})
		}
	}
	if len(out) < 12 {
		t.Fatalf("only %d flow files found", len(out)/2)
	}
	return out
}

// Every committed flow is read by the fast scanner (else the speed is not
// real), into the very tree yaml.v3 builds, positions included.
func TestParseMatchesYAMLv3(t *testing.T) {
	for name, data := range committedFlows(t) {
		if !flowyaml.FastPath(data) {
			t.Errorf("%s: not on the fast path", name)
		}
		compare(t, name, data)
	}
}

// Text on the edges of what the scanner takes: it either declines it or
// reads what yaml.v3 reads.
func TestParseEdges(t *testing.T) {
	for _, s := range edges {
		compare(t, strconv.Quote(s), []byte(s))
	}
}

var edges = []string{
	"a: b\n", "a: b", "a:\n  b: c\n", "a:\n- b\n", "a:\n  - b\n  - c: d\n    e: f\n  - - x\n    - y\n", "- a\n- b\n",
	"a: []\nb: {}\n", "a: [ ]\n", "a: [x]\n", "a: {x: y}\n", "a: b # c\n", "a: b#c\n", "a: 'b''c'\n", "a: \"b\\\"c\\\\\"\n",
	"a: \"\\u00e9\\n\\t\\/\"\n", "a: \"\\ud83d\"\n", "a: \"\\x41\"\n", "a: \"\\U0001F600\"\n", "a: \"\\_\"\n", "\"a\": 1\n",
	"'a': -1\n", "a: 0\nb: 00\nc: 0x1\nd: 1.5\ne: 1e3\nf: 2006-01-02\ng: -0\nh: 9223372036854775808\n", "a: true\nb: True\nc: yes\n",
	"a: null\nb: ~\nc: Null\nd:\n", "a: b\n  c\n", "a: b\n c: d\n", "a:\n    b: c\n  d: e\n", "a: b \n", "a: b\t\n", "a:  b\n",
	"a : b\n", "a: b: c\n", "a: b:c\n", "a: -b\n", "a: - b\n", "- a\n -b\n", "---\na: b\n", "a: b\n...\n", "a: b\n---\nc: d\n",
	"a: &x b\nc: *x\n", "a: !!str 1\n", "a: |\n  b\n", "a: >\n  b\n", "? a\n: b\n", "a: b\r\n", "\ufeffa: b\n", "a: \u0085\n",
	"a: é\n", "é: a\n", "  a: b\n", "a: b\n\n\nc: d\n\n", "a: b\n  \nc: d\n", "a:\n\n  b: c\n", "- - - a\n", "- a: b\n  c:\n  - d\n",
	"a: 'b\n  c'\n", "a: \"b\n  c\"\n", "a: <x>\n", "a: <x> y\n", "a: %x\n", "a: @x\n", "a: `x`\n", "a: x,y\n", "a: x]\n",
	"a, b: c\n", "[a]: b\n", "a: \"x\" \n", "a: \"x\"y\n", "a: 'x' # c\n", "a: b\nb: c\na: d\n", "",
}

func FuzzParse(f *testing.F) {
	for _, s := range edges {
		f.Add([]byte(s))
	}
	for _, b := range committedFlows(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) { compare(t, "fuzz", data) })
}

func compare(t *testing.T, name string, data []byte) {
	t.Helper()
	if !flowyaml.CleanTextAgrees(data) {
		t.Fatalf("%s: the scanner's text check reads it unlike a byte at a time", name)
	}
	got, gotErr := flowyaml.Parse(data)
	var want yaml.Node
	wantErr := yaml.Unmarshal(data, &want)
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Fatalf("%s: Parse error %v, yaml.v3 error %v", name, gotErr, wantErr)
	case gotErr != nil:
		if gotErr.Error() != wantErr.Error() {
			t.Fatalf("%s: Parse error %q, yaml.v3 error %q", name, gotErr, wantErr)
		}
	case !reflect.DeepEqual(*got, want):
		t.Fatalf("%s: trees differ:\n%s", name, diffNodes(got, &want, "$"))
	case flowyaml.FastPath(data) && countNodes(got) > flowyaml.NodeBound(data):
		// The scanner's slabs would overflow into further allocations.
		t.Fatalf("%s: %d nodes, more than the %d the scanner makes room for", name, countNodes(got), flowyaml.NodeBound(data))
	}
	compareTree(t, name, data, &want, wantErr)
}

// compareTree holds ParseTree to yaml.v3's tree as the compact one: the same
// nodes, kinds, styles, values and positions, and an error wherever yaml.v3
// gives one or the text has an alias.
func compareTree(t *testing.T, name string, data []byte, want *yaml.Node, wantErr error) {
	t.Helper()
	got, gotErr := flowyaml.ParseTree(string(data))
	if wantErr != nil {
		if gotErr == nil || gotErr.Error() != wantErr.Error() {
			t.Fatalf("%s: ParseTree error %v, yaml.v3 error %v", name, gotErr, wantErr)
		}
		return
	}
	wantTree, convErr := flowyaml.FromYAML(want)
	switch {
	case (gotErr == nil) != (convErr == nil):
		t.Fatalf("%s: ParseTree error %v, converting yaml.v3's tree %v", name, gotErr, convErr)
	case gotErr != nil:
		if !strings.Contains(gotErr.Error(), "alias") {
			t.Fatalf("%s: ParseTree refused it for %v, not for an alias", name, gotErr)
		}
	default:
		if d := diffTrees(got, &wantTree, "$"); d != "" {
			t.Fatalf("%s: compact trees differ:\n%s", name, d)
		}
	}
}

func describeTree(n *flowyaml.Node) string {
	return fmt.Sprintf("kind %d style %d value %q at %d:%d with %d children", n.Kind, n.Style, n.Value, n.Line, n.Column, len(n.Content))
}

func diffTrees(a, b *flowyaml.Node, path string) string {
	if a.Kind != b.Kind || a.Value != b.Value || a.Style != b.Style || a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return path + ": ParseTree " + describeTree(a) + "\n" + path + ": from yaml.v3 " + describeTree(b)
	}
	for i := range a.Content {
		if d := diffTrees(&a.Content[i], &b.Content[i], path+"/"+strconv.Itoa(i)); d != "" {
			return d
		}
	}
	return ""
}

func countNodes(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

func diffNodes(a, b *yaml.Node, path string) string {
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style || a.Line != b.Line || a.Column != b.Column ||
		len(a.Content) != len(b.Content) || a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment || a.Anchor != b.Anchor {
		return path + ": fast " + describe(a) + "\n" + path + ": yaml.v3 " + describe(b)
	}
	for i := range a.Content {
		if d := diffNodes(a.Content[i], b.Content[i], path+"/"+strconv.Itoa(i)); d != "" {
			return d
		}
	}
	return ""
}

func describe(n *yaml.Node) string {
	return "kind " + strconv.Itoa(int(n.Kind)) + " tag " + n.Tag + " style " + strconv.Itoa(int(n.Style)) + " value " + strconv.Quote(n.Value) +
		" at " + strconv.Itoa(n.Line) + ":" + strconv.Itoa(n.Column) + " with " + strconv.Itoa(len(n.Content)) + " children"
}

// Quoted scalars with and without escapes (the scanner takes the text
// between the quotes as it is when there is none), and sequence items whose
// first scalar is read as a possible key and then again.
var quotedEdges = []string{
	"a: ''\n", "a: \"\"\n", "a: 'x''\n", "a: 'x'''\n", "a: '''x'\n", "a: \"x\\\"\n", "a: \"x\\\\\"\n", "a: 'x\n", "a: \"x\n",
	"- 'a'\n- \"b\"\n", "- 'it''s': b\n  c: 'd'\n", "- \"a\\\"b\": c\n", "- 'a' b\n", "- \"a\": 'b'\n- 'c'\n- d: \"e\"\n",
}

func TestParseQuotedEdges(t *testing.T) {
	for _, s := range quotedEdges {
		compare(t, strconv.Quote(s), []byte(s))
	}
}
