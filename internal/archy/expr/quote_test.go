package expr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, `""`},
		{`plain`, `"plain"`},
		{`say "yes"`, `"say \"yes\""`},
		{`C:\path`, `"C:\\path"`},
		{"a\nb\tc\rd", `"a\nb\tc\rd"`},
		{`\"`, `"\\\""`},
		{"é ✓", `"é ✓"`},
	}
	for _, tt := range tests {
		got := Quote(tt.in)
		if got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
		checkQuoteRoundTrip(t, tt.in)
	}
}

func checkQuoteRoundTrip(t *testing.T, s string) {
	t.Helper()
	q := Quote(s)
	if strings.ContainsAny(q, "\n\r") {
		t.Errorf("Quote(%q) = %q spans lines", s, q)
	}
	v, err := Eval(q, nil)
	if err != nil {
		t.Fatalf("Quote(%q) = %s does not evaluate: %v", s, q, err)
	}
	if v != String(s) {
		t.Fatalf("Quote(%q) = %s evaluates to %s", s, q, v)
	}
	// Embedded in a larger expression the literal still ends where it should.
	v, err = Eval("Append("+q+", \"!\")", nil)
	if err != nil || v != String(s+"!") {
		t.Fatalf("Append(%s, \"!\") = %v, %v", q, v, err)
	}
}

func FuzzQuoteRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", `"`, `\`, `\"`, "\n", "\r\n\t", "é", "\xff\xfe", `"\n"`, "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkQuoteRoundTrip(t, s)
		if utf8.ValidString(s) && !utf8.ValidString(Quote(s)) {
			t.Errorf("Quote(%q) produced invalid UTF-8", s)
		}
	})
}
