package parallel_test

// Accepts `go test ./... -update` (see internal/testutil).
import _ "github.com/bpgen/bpgen/internal/testutil"
