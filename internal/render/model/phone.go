package model

import "github.com/bpgen/bpgen/internal/render/phonemeta"

// CallingCodes lists every country calling code libphonenumber knows, as
// strings in ascending order (internal/render/phonemeta's committed table:
// Architect has no regex, so the flows get these as a literal). E.164 codes
// are prefix-free, so at most one of a number's first one, two or three
// digits is in the list.
func CallingCodes() []string { return phonemeta.CallingCodes() }
