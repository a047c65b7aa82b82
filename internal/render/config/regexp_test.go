package config

import (
	"regexp"
	"testing"
)

// The deferred engine refuses exactly what regexp.Compile refuses, with the
// same error, and matches exactly what it matches.
func TestLazyRegexpIsRegexpCompile(t *testing.T) {
	patterns := []string{`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`, `^https://\S+$`, `(`, `a{1001}`, `[z-a]`, `\8`, `(?P<n>x)(?P<n>y)`, `x**`, ``, `\pN+`, `(?i)straße`}
	inputs := []string{"", "en", "en-gb", "https://x", "https:// x", "STRASSE", "straße", "١٢", "xx", "aaaa"}
	for _, p := range patterns {
		want, wantErr := regexp.Compile(p)
		got, err := lazyRegexp(p)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("%q: error %v, regexp.Compile says %v", p, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got.String() != want.String() {
			t.Errorf("%q: String() = %q", p, got.String())
		}
		for _, in := range inputs {
			if got.MatchString(in) != want.MatchString(in) {
				t.Errorf("%q on %q: %v, regexp says %v", p, in, got.MatchString(in), want.MatchString(in))
			}
		}
	}
}
