package archy

import (
	"regexp"
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

// The fast path of yaml11Ambiguous agrees with the full pattern.
func TestYAML11AmbiguousPrecheck(t *testing.T) {
	for _, s := range []string{"", "y", "Yes", "NO", "true", "Off", "null", "~", "-1", "+.5", ".inf", ".NaN", "0x1F", "0o17", "0b101", "2026-12-02",
		"Email", "Flow.x", "queue", "é", "yes please", "1a", "Message"} {
		want := s == "" || yaml11Scalar.MatchString(s)
		if got := yaml11Ambiguous(s); got != want {
			t.Errorf("yaml11Ambiguous(%q) = %v, want %v", s, got, want)
		}
	}
}
