package api

import (
	"fmt"
	"log/slog"
)

const redacted = "[redacted]"

// Secret holds a credential (the OAuth client secret). It formats, logs and
// marshals as "[redacted]" so it cannot leak through %v of a Config, a log
// line or a JSON dump; Reveal is the only way to read it.
type Secret string

// Reveal returns the secret value. Only the token request calls it.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (Secret) String() string { return redacted }

// GoString implements fmt.GoStringer (%#v).
func (Secret) GoString() string { return `api.Secret("` + redacted + `")` }

// Format implements fmt.Formatter so every verb (%s %v %q %x %d ...) is covered.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, redacted)
}

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText implements encoding.TextMarshaler (JSON, YAML, text encoders).
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
