package architect

import "fmt"

// UnsupportedError reports a flow construct the runtime does not implement.
// Load returns it instead of ignoring the construct, so a bundle either runs
// completely or not at all.
type UnsupportedError struct {
	Construct string // e.g. "action loop", "settingsKnowledge with a knowledge base"
	File      string // bundle-relative path
	Line      int
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("unsupported: %s at %s:%d", e.Construct, e.File, e.Line)
}

// LoadError is any other problem found while loading a bundle: a missing
// file, invalid YAML, a reference to something the bundle does not contain.
type LoadError struct {
	File string
	Line int // 0 when the problem is not at a line
	Msg  string
}

func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	if e.File != "" {
		return e.File + ": " + e.Msg
	}
	return e.Msg
}

// RuntimeError is a failure while a flow runs: an expression that cannot be
// evaluated, a value of the wrong type. In Architect the flow would take its
// error-handling path; so does the runtime.
type RuntimeError struct {
	File string
	Line int
	Msg  string
}

func (e *RuntimeError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// errAborted ends a conversation's run without error handling: the runtime
// is closing or the caller's context ended. It is not a flow error.
type errAborted struct{ cause error }

func (e errAborted) Error() string { return "conversation aborted: " + e.cause.Error() }
func (e errAborted) Unwrap() error { return e.cause }
