package hclparse_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/bpgen/bpgen/internal/format/hclparse"
	"github.com/bpgen/bpgen/internal/testutil"
)

// committedTF is every .tf file of every committed bundle: what vet reads.
func committedTF(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, dir := range testutil.CommittedBundles(t, filepath.Join("..", "..", "..")) {
		paths, _ := filepath.Glob(filepath.Join(dir, "terraform", "*.tf"))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[p] = b
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d .tf files found", len(out))
	}
	return out
}

// Every committed .tf file is read by the direct parser (else the speed is
// not real), into the very tree hclsyntax builds, positions included, also
// from a start position other than the first byte, with CRLF line breaks,
// and with harder text in its descriptions (combining marks after "$",
// emoji sequences, escapes).
func TestParseMatchesHCLSyntax(t *testing.T) {
	const hard = "e\u0301 $\u0301 %%{ \\u00e9 👩‍👩‍👧 🇩🇪 \\\" $${x} — Ü \\\\ \t"
	for name, src := range committedTF(t) {
		variants := map[string][]byte{
			name:           src,
			name + " CRLF": bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n")),
			name + " text": bytes.ReplaceAll(src, []byte("(bpgen)"), []byte(hard)),
		}
		for vname, v := range variants {
			for _, start := range []hcl.Pos{hcl.InitialPos, {Byte: 7, Line: 3, Column: 5}} {
				if !hclparse.FastPath(v, start) {
					t.Errorf("%s: not on the fast path", vname)
				}
				compare(t, vname, v, start)
			}
		}
	}
}

// Text on the edges of what the parser takes: it either declines it or
// builds what hclsyntax builds; declined text gets hclsyntax's diagnostics.
func TestParseEdges(t *testing.T) {
	for _, s := range edges {
		compare(t, strconv.Quote(s), []byte(s), hcl.InitialPos)
	}
}

// Texts on the fast path (TestFastEdges asserts it) and texts it declines.
var fastEdges = []string{
	"", "\n", "a = 1\n", "a = 1", "  a = 1\n", "a = \"x\"\n", "a = \"\"\n", "a = \"\\n\\\" \\\\ \\u00e9 \\U0001F600 \\t\\r $${x} %%{y} $ % $$ %%\"\n",
	"a = \"Café — Ümlaut\"\n", "a = \"e\u0301 x\"\n", "a = \"👩‍👩‍👧 🇩🇪 ok\"\n", "a = \"x$\u0301y\"\n", "a = \"\\ne\u0301\"\n",
	"a = {}\nb = []\n", "a = { x = 1, y = \"z\" }\n", "a = {\n  b = {\n    c = [1, 2,]\n  }\n  \"d-e\" = f.g\n  \"h\": i\n}\n",
	"# c\na = 1 # d\n// e\nb { # f\n  c = 2\n}\n", "\n\n# c\n\n", "# Café — e\u0301 👩‍👩‍👧\r\n# \r x\n", "a = 1\r\nb {\r\n}\r\n", "a\t=\t1\t\n", "a = 1   \n   \n",
	"resource \"x\" \"y\" {\n}\n", "b \"é\" x {\n  c = d\n}\n", "b {}\n", "b {\n}", "a = \"${x.y[0].z}/p\"\n", "a = \"${f(1)}${g}\"\n",
	"a = f()\nb = f(x, [y], {z = 1},)\nc = f(\n  x,\n  y\n)\n", "a = f(x).y\n", "a = (1 + 2) * 3 - -4 / x % 2\n",
	"a = x == 0 && y != 1 || !z\nb = 1 < 2\nc = 1 <= 2\nd = 1 > 2\ne = 1 >= 2\n", "a = x ? y : z\n", "a = 1 + 2 * 3 - 4 == 5 || 6 && 7 < 8 + 9 || a >= b != c\n", "a = 1 - 2 - 3\nb = 1 / 2 * 3 % 4\n",
	"a = x ? y ? 1 : 2 : z ? 3 : 4\n", "a = -x.y[1] + !f(z).w\n", "a = (\n  1 +\n  2\n)\n", "a = x ? \"y\" : {}\n",
	"a = [for d in var.x : can(regex(\"^\\\\S+$\", d))]\n", "a = [for k, v in x : v if k != \"\"]\n", "a = [\n  # c\n  1, // d\n  2\n]\n",
	"a = true\nb = false\nc = null\nd = 0\ne = 0123\nf = 99999999999999999999999999\n", "a = \"${ {a = 1} }\"\n",
	"a = \"\\\\$${\"\n", "a = {(x) = 1}\n",
}

var slowEdges = []string{
	"a = 1.5\n", "a = 1e3\n", "a = <<EOT\nx\nEOT\n", "a = \"%{if x}y%{endif}\"\n", "a = x[*].y\n", "a = x.*.y\n", "a = x.0\n",
	"a = f(x...)\n", "a = x::f()\n", "a = {for k, v in x : k => v}\n", "/* c */\na = 1\n", "a = 1 # c", "#0\xed0\n", "# \xff\n", "\ufeffa = 1\n",
	"é = 1\n", "a = é\n", "a = \"${~x}\"\n", "a = \"${x~}\"\n", "a = \"x\ny\"\n", "a = \"x\\q\"\n", "a = \"\\ud800\"\n",
	"a = \"\\u00e\"\n", "a = \"\xff\"\n", "a = 1\na = 2\n", "b { c = 1 }\n", "a = 1 b = 2\n", "a = \n", "a = (1\n", "b \"x\" {\n",
	"a = \"x\n", "a = [1 2]\n", "a = {b = 1 c = 2}\n", "a = 'x'\n", "a = x;\n", "a = 1\rb = 2\n", "a = x[y]\n", "a = [for x in y : x...]\n",
	"a = \"${x}\"\"\n", "b \"${x}\" {\n}\n", "a = $x\n", "a = x & y\n", "= 1\n", "\"a\" = 1\n", "a = x[\"k\"]\n", "a = x.\n  y\n",
}

var edges = append(append([]string{}, fastEdges...), slowEdges...)

func TestFastEdges(t *testing.T) {
	for _, s := range fastEdges {
		if !hclparse.FastPath([]byte(s), hcl.InitialPos) {
			t.Errorf("%q: not on the fast path", s)
		}
	}
	for _, s := range slowEdges {
		if hclparse.FastPath([]byte(s), hcl.InitialPos) {
			t.Errorf("%q: on the fast path", s)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range edges {
		f.Add([]byte(s))
	}
	for _, b := range committedTF(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) { compare(t, "fuzz", src, hcl.InitialPos) })
}

func compare(t *testing.T, name string, src []byte, start hcl.Pos) {
	t.Helper()
	got, gotDiags := hclparse.ParseConfig(src, "f.tf", start)
	want, wantDiags := hclsyntax.ParseConfig(src, "f.tf", start)
	if !reflect.DeepEqual(gotDiags, wantDiags) {
		t.Fatalf("%s: diagnostics differ:\n%v\nhclsyntax:\n%v", name, gotDiags, wantDiags)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: trees differ: %s", name, diff(reflect.ValueOf(got), reflect.ValueOf(want), "file"))
	}
}

// diff names the first place two values differ.
func diff(a, b reflect.Value, path string) string {
	if a.IsValid() != b.IsValid() {
		return path + ": one is missing"
	}
	if !a.IsValid() {
		return ""
	}
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %s, hclsyntax %s", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() != b.IsNil() {
			return path + ": nil on one side"
		}
		if a.IsNil() {
			return ""
		}
		return diff(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := diff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return path + ": nil slice on one side"
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d, hclsyntax %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d entries, hclsyntax %d", path, a.Len(), b.Len())
		}
		keys := a.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			if d := diff(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); d != "" {
				return d
			}
		}
	default:
		if fmt.Sprint(a) != fmt.Sprint(b) {
			return fmt.Sprintf("%s: %v, hclsyntax %v", path, a, b)
		}
	}
	return ""
}
