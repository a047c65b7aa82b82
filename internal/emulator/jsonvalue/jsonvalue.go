// Package jsonvalue rebuilds values decoded from JSON into any (objects as
// map[string]any, arrays as []any, scalars), for the emulator parts that
// copy them (the org's stored custom fields and documents) or convert their
// scalars (the data-action runtime's JSONPath numbers).
package jsonvalue

// Map returns v rebuilt with every scalar replaced by leaf(scalar). Objects
// and arrays are new, so the result shares no map or slice with v.
func Map(v any, leaf func(any) any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = Map(e, leaf)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = Map(e, leaf)
		}
		return l
	}
	return leaf(v)
}

// Copy is a deep copy of v.
func Copy(v any) any { return Map(v, func(s any) any { return s }) }
