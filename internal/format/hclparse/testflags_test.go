package hclparse

// Accepts `go test ./... -update` (see internal/testutil).
import _ "github.com/bpgen/bpgen/internal/testutil"
