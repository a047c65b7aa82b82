package manifest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
)

// reference is the pattern the provider's placeholders follow, which
// nextPlaceholder scans for by hand.
var reference = regexp.MustCompile(`\{\{([^{}]*)\}\}`)

func referenceSubstitute(o *Object, text []byte, unknown func(string) string) []byte {
	return reference.ReplaceAllFunc(text, func(m []byte) []byte {
		s, ok := o.Subs[string(m[2:len(m)-2])]
		if !ok {
			return m
		}
		v := unknown(s.Ref)
		if s.Value != nil {
			v = *s.Value
		}
		j, _ := json.Marshal(v)
		return j
	})
}

func referencePlaceholders(text []byte) []string {
	var out []string
	for _, m := range reference.FindAllSubmatch(text, -1) {
		if !slices.Contains(out, string(m[1])) {
			out = append(out, string(m[1]))
		}
	}
	return out
}

// The hand scan finds what the regexp finds, on the edge cases (nested and
// unbalanced braces, empty keys, text that ends mid-placeholder, multi-byte
// and invalid UTF-8, newlines inside) and on random brace soup.
func TestPlaceholderScanMatchesRegexp(t *testing.T) {
	named := "Q"
	o := &Object{Subs: map[string]Substitution{"a": {Ref: "queue.a.name", Value: &named}, "b_1": {Ref: "division.home.name"}, "": {Ref: "empty"}, "x\ny": {Ref: "nl"}}}
	unknown := func(ref string) string { return "<" + ref + ">" }
	cases := []string{
		"", "{{a}}", "x {{a}} y {{b_1}} z", "{{{a}}}", "{{a}}}}", "{{{{a}}", "{{a}", "{{a", "{{", "}}", "{{}}", "{{x\ny}}",
		"{{a{b}}", "{{a}b}}", "{{ a }}", "{{é}} {{\xff}}", "name: {{a}}\nother: {{missing}}\n{{b_1}}", "{{a}}{{a}}{{b_1}}",
	}
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("{}ab_ \n\xc3\xa9")
	for range 2000 {
		b := make([]byte, r.IntN(24))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		want := referenceSubstitute(o, []byte(c), unknown)
		if got := o.Substitute([]byte(c), unknown); !bytes.Equal(got, want) {
			t.Errorf("Substitute(%q) = %q, want %q", c, got, want)
		}
		if got := o.SubstituteString([]byte(c), unknown); got != string(want) {
			t.Errorf("SubstituteString(%q) = %q, want %q", c, got, want)
		}
		if got, want := Placeholders([]byte(c)), referencePlaceholders([]byte(c)); !slices.Equal(got, want) {
			t.Errorf("Placeholders(%q) = %q, want %q", c, got, want)
		}
	}
}

// Substitute returns new bytes, as the regexp did: callers keep the file text.
func TestSubstituteDoesNotAlias(t *testing.T) {
	text := []byte("no placeholder")
	out := (&Object{}).Substitute(text, nil)
	out[0] = 'N'
	if text[0] != 'n' {
		t.Fatal("Substitute returned the input slice")
	}
}
