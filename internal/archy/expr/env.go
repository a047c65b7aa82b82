package expr

import "strings"

// Env resolves variable references during evaluation.
//
// Lookup receives the dotted path as written (State.X.y is ["State", "X",
// "y"]) and returns the variable's value together with how many leading
// segments name the variable (n >= 1); the evaluator applies the remaining
// segments as property accesses. ok == false means the variable does not
// exist, which is a runtime error. A declared variable without a value should
// be returned as NotSet{}. Lookup must not modify path, and may be called
// concurrently when an Expr is evaluated from several goroutines.
type Env interface {
	Lookup(path []string) (v Value, n int, ok bool)
}

// EnvFunc adapts a function to the Env interface.
type EnvFunc func(path []string) (Value, int, bool)

// Lookup calls f.
func (f EnvFunc) Lookup(path []string) (Value, int, bool) { return f(path) }

// MapEnv is an Env backed by a map from dotted variable name
// ("Flow.contact", "Message.Message.body") to value. Lookup picks the longest
// prefix of the path present in the map, so both "Flow.contact" holding an
// Object and a flat "Flow.contact.email" entry work. Names are matched
// exactly (case-sensitively).
type MapEnv map[string]Value

// Lookup implements Env.
func (m MapEnv) Lookup(path []string) (Value, int, bool) {
	for n := len(path); n >= 1; n-- {
		if v, ok := m[strings.Join(path[:n], ".")]; ok {
			return norm(v), n, true
		}
	}
	return nil, 0, false
}
