package archy

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// Sentinels become {{key}} exactly where the placeholder pattern matches,
// as the regular expression it replaced did; anything else is left alone.
func TestSwapSentinels(t *testing.T) {
	reference := regexp.MustCompile(Marker + `([a-z][a-z0-9_]*)`)
	cases := map[string]string{
		"name: " + Marker + "flow_name\n":                   "name: {{flow_name}}\n",
		Marker + "a" + Marker + "b2_c":                      "{{a}}{{b2_c}}",
		"x " + Marker:                                       "x " + Marker,
		Marker + "Upper " + Marker + "9 " + Marker + "ok-x": Marker + "Upper " + Marker + "9 {{ok}}-x",
		"no placeholders":                                   "no placeholders",
		"":                                                  "",
	}
	for in, want := range cases {
		got := string(swapSentinels([]byte(in)))
		if got != want {
			t.Errorf("swapSentinels(%q) = %q, want %q", in, got, want)
		}
		if ref := string(reference.ReplaceAll([]byte(in), []byte("{{$1}}"))); got != ref {
			t.Errorf("swapSentinels(%q) = %q, the regexp gives %q", in, got, ref)
		}
	}
}

// yaml11Scalar is the pattern yaml11Ambiguous matches by hand.
var yaml11Scalar = regexp.MustCompile(`^(?i:y|yes|n|no|true|false|on|off|null|~|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-f_]+|0o?[0-7_]+|0b[01_]+|[-+]?\.inf|\.nan|[0-9]{4}-[0-9]{2}-[0-9]{2}.*)$`)

// yaml11Ambiguous agrees with the pattern: on cases at each alternative's
// edges (case folding as (?i) does it, ſ and the Kelvin sign included; the
// date's tail not crossing a newline), on every string of up to three
// characters from the pattern's alphabet, and on random longer ones.
func TestYAML11AmbiguousMatchesPattern(t *testing.T) {
	cases := []string{"", "y", "Yes", "NO", "true", "Off", "null", "~", "-1", "+.5", ".inf", ".NaN", "0x1F", "0o17", "0b101", "2026-12-02",
		"Email", "Flow.x", "queue", "é", "yes please", "1a", "Message", "yeſ", "falſe", "FALſE", "\u212a", "+.INF", "-.Inf", "+.nan",
		"1_000.5e+3", "1.", "1.e5", ".5e", "1e", "1e+", "-", "+", ".", "0x", "0X_", "0o", "0O7", "0b", "0B2", "09", "0_", "08",
		"2026-12-02T10:00:00", "2026-12-02\nx", "2026-12-02 x\r", "2026-1-02", "20261202", "2026-12-0", "yes\n", "true ", " true",
		"NULL", "nuLL", "On", "ON", "oN", "n0", "\xff", "0x\xff", "2026-12-02\xff"}
	alphabet := []string{"0", "1", "7", "8", "_", ".", "-", "+", "e", "E", "x", "X", "b", "o", "a", "f", "n", "y", "s", "ſ", "i", "~", "\n", "é"}
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		cases = append(cases, prefix)
		if n == 0 {
			return
		}
		for _, a := range alphabet {
			gen(prefix+a, n-1)
		}
	}
	gen("", 3)
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteString("2026-12-02")
		}
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		want := s == "" || yaml11Scalar.MatchString(s)
		if got := yaml11Ambiguous(s); got != want {
			t.Errorf("yaml11Ambiguous(%q) = %v, want %v", s, got, want)
		}
	}
}

// isPlaceholderKey accepts exactly [a-z][a-z0-9_]*.
func TestIsPlaceholderKey(t *testing.T) {
	reference := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, k := range []string{"", "a", "flow_name", "b2_c", "A", "9a", "_a", "a-b", "a b", "é", "aé", "a\n", "z9_"} {
		if got, want := isPlaceholderKey(k), reference.MatchString(k); got != want {
			t.Errorf("isPlaceholderKey(%q) = %v, want %v", k, got, want)
		}
	}
}

// Encode's result is the caller's: the buffer the emitter reuses between
// calls is never handed out, with or without placeholders to swap.
func TestEncodeResultsDoNotShareTheBuffer(t *testing.T) {
	docs := []*Node{
		M("a", "first", "b", S("x", "y")),
		M("name", Placeholder("flow_name")),
		M("c", "second, longer than the first so that it overwrites it"),
	}
	var outs []string
	var bufs [][]byte
	for _, d := range docs {
		b, err := Encode(d)
		if err != nil {
			t.Fatal(err)
		}
		outs, bufs = append(outs, string(b)), append(bufs, b)
	}
	for i, d := range docs {
		want, err := encodeYAMLv3(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(bufs[i]); got != outs[i] || got != string(swapSentinels(want)) {
			t.Errorf("document %d: Encode gave %q, now reads %q; yaml.v3 gives %q", i, outs[i], got, swapSentinels(want))
		}
	}
}

// Encode refuses the text checkScalars refuses, naming the first offending
// scalar in document order, whether the fast emitter meets it (as a key, a
// value, deep down) or declines the document before reaching it.
func TestEncodeRefusesWhatCheckScalarsRefuses(t *testing.T) {
	long := strings.Repeat("k", 200) // a key the fast emitter declines
	docs := []*Node{
		M("a", "x {{y}}"),
		M("a {{", "b"),
		M("a", S("ok", M("b", "c"+Marker+"d"))),
		M("a", "first {{", "b", "second }}"),
		M("multi", "line\ntext", "a", Marker+"Bad"),
		M(long, "v", "a", "{{x}}"),
		M("a", "ok", "b", S(M(long, "}}"))),
		M("a", Placeholder("fine"), "b", "fine"),
	}
	for i, d := range docs {
		want := checkScalars(d)
		_, got := Encode(d)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("document %d: Encode error %v, checkScalars %v", i, got, want)
		}
	}
}

// A Builder's collections share runs of entries, but appending to one (the
// flows add pairs to mappings they built) never writes into another's.
func TestBuilderEntriesDoNotOverlap(t *testing.T) {
	var b Builder
	first := b.M("a", "1", "b", nil) // room for four entries, two used
	second := b.S("x", "y")
	first.Content = append(first.Content, b.Of("c"), b.Of("3"), b.Of("d"), b.Of("4"))
	if got, _ := Encode(second); string(got) != "- x\n- \"y\"\n" {
		t.Errorf("second sequence after appending to the first:\n%s", got)
	}
	if got, _ := Encode(first); string(got) != "a: \"1\"\nc: \"3\"\nd: \"4\"\n" {
		t.Errorf("first mapping:\n%s", got)
	}
	// A Builder's nodes encode as the package-level helpers' do.
	mk := func(m func(...any) *Node, s func(...any) *Node) []byte {
		out, err := Encode(m("k", s("v", 1, true, Placeholder("p")), "e", s()))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if a, c := mk(b.M, b.S), mk(M, S); string(a) != string(c) {
		t.Errorf("Builder:\n%s\npackage:\n%s", a, c)
	}
}

// Placeholders lists each key once, in the order the document first uses it.
func TestPlaceholdersFirstUseOrder(t *testing.T) {
	doc := M("a", Placeholder("queue_name"), "b", S(Placeholder("division"), M(Placeholder("queue_name"), "x")),
		"c", Lit(Placeholder("division")), "d", "not_"+Marker+"x", "e", Placeholder("bot_flow_name"))
	got := Placeholders(doc)
	if want := []string{"queue_name", "division", "bot_flow_name"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Placeholders = %q, want %q", got, want)
	}
}
