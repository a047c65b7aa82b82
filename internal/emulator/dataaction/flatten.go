package dataaction

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/bpgen/bpgen/internal/emulator/dataaction/velocity"
)

// unflattenInput turns Architect's flattened inputs ("address.city") into the
// nested input object. keep lists names to take literally even though they
// contain dots (top-level schema properties named that way).
func unflattenInput(flat map[string]any, keep map[string]bool) (map[string]any, error) {
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic conflict reports
	out := make(map[string]any, len(flat))
	for _, k := range keys {
		v := flat[k]
		if v == nil {
			// inferred: Architect leaves unset (NOT_SET) inputs out of the
			// request rather than sending null.
			continue
		}
		if keep[k] || !strings.Contains(k, ".") {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("input %q is given both as a value and as nested properties", k)
			}
			out[k] = v
			continue
		}
		parts := strings.Split(k, ".")
		m := out
		for i, p := range parts {
			if p == "" {
				return nil, fmt.Errorf("input name %q has an empty segment", k)
			}
			if i == len(parts)-1 {
				if _, dup := m[p]; dup {
					return nil, fmt.Errorf("input %q conflicts with another input", k)
				}
				m[p] = v
				break
			}
			next, ok := m[p]
			if !ok {
				nm := map[string]any{}
				m[p] = nm
				m = nm
				continue
			}
			nm, ok := next.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("input %q conflicts with input %q", k, strings.Join(parts[:i+1], "."))
			}
			m = nm
		}
	}
	return out, nil
}

// normalizeJSON round-trips v through JSON so every value has an
// encoding/json shape (numbers as json.Number), which the schema validator,
// the templates and rawRequest all agree on. It returns the value and its
// compact JSON text.
func normalizeJSON(v any) (any, string, error) {
	text, err := jsonText(v)
	if err != nil {
		return nil, "", err
	}
	out, err := decodeJSON(text)
	return out, text, err
}

// decodeJSON decodes exactly one JSON value, numbers as json.Number, as
// encoding/json's Decoder with UseNumber does (the platform's Jackson keeps
// a number's text). decodePlain reads the plain text most bodies are
// directly; anything else, errors included, goes to the Decoder.
// It takes a string: the values it returns share the text of its strings.
func decodeJSON(s string) (any, error) {
	if v, ok := decodePlain(s); ok {
		return v, nil
	}
	return decodeWithDecoder(s)
}

// decodeWithDecoder is decodeJSON by encoding/json's Decoder alone.
func decodeWithDecoder(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// jsonText marshals v compactly without HTML escaping, so "<" stays "<" as
// the platform's Jackson output would have it.
var jsonText = velocity.JSONText

// jsonDepth returns the nesting depth of objects and arrays in v.
func jsonDepth(v any) int {
	d := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			d = max(d, jsonDepth(e))
		}
		return d + 1
	case []any:
		for _, e := range x {
			d = max(d, jsonDepth(e))
		}
		return d + 1
	}
	return 0
}

// Flatten turns a JSON value into Architect's flattened form, which /execute
// returns with ?flatten=true: nested object properties become dotted keys
// ("address.city"), an array of primitives stays one collection, and an array
// of objects becomes one collection per leaf ("entities.id": […]), element i
// of each collection coming from element i of the array (nil where that
// element lacks the leaf).
// inferred: (api.md 5.3) the per-leaf collections for arrays of objects, and
// /execute?flatten=true returning this form; arrays nested inside arrays of
// objects cannot be Architect collections and are left out.
func Flatten(v any) map[string]any {
	out := map[string]any{}
	flattenInto(out, "", v)
	return out
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func flattenInto(out map[string]any, prefix string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flattenInto(out, join(prefix, k), e)
		}
	case []any:
		if prefix == "" {
			return
		}
		hasObject := false
		for _, e := range x {
			if _, ok := e.(map[string]any); ok {
				hasObject = true
				break
			}
		}
		if !hasObject {
			out[prefix] = append([]any{}, x...)
			return
		}
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			leaves := map[string]any{}
			flattenInto(leaves, "", m)
			for k, leaf := range leaves {
				if _, nested := leaf.([]any); nested {
					continue
				}
				key := join(prefix, k)
				coll, _ := out[key].([]any)
				if coll == nil {
					coll = make([]any, len(x))
				}
				coll[i] = leaf
				out[key] = coll
			}
		}
	default:
		if prefix != "" {
			out[prefix] = v
		}
	}
}

// outputKey is one Architect success output declared by the success schema.
type outputKey struct {
	key  string
	segs []outputSeg
}

type outputSeg struct {
	name  string
	array bool // the property is an array: later segments apply per element
}

// schemaOutputs lists the flattened outputs a success schema declares:
// the properties Architect exposes. Properties only allowed through
// additionalProperties are not outputs (api.md 5.3). Object properties
// become dotted keys, an array property one collection, and the leaves of an
// array of objects one collection each.
// inferred: (api.md 5.3) the per-leaf collections for arrays of objects.
func schemaOutputs(schema any) []outputKey {
	var keys []outputKey
	var walk func(s map[string]any, prefix string, segs []outputSeg, inArray bool)
	walk = func(s map[string]any, prefix string, segs []outputSeg, inArray bool) {
		props, _ := s["properties"].(map[string]any)
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			ps, _ := props[n].(map[string]any)
			key := join(prefix, n)
			if hasType(ps, "array") {
				seg := append(append([]outputSeg{}, segs...), outputSeg{name: n, array: true})
				items, _ := ps["items"].(map[string]any)
				if _, ok := items["properties"].(map[string]any); ok && !inArray {
					walk(items, key, seg, true)
					continue
				}
				if inArray {
					continue // a collection of collections has no Architect type
				}
				keys = append(keys, outputKey{key: key, segs: seg})
				continue
			}
			seg := append(append([]outputSeg{}, segs...), outputSeg{name: n})
			if _, ok := ps["properties"].(map[string]any); ok {
				walk(ps, key, seg, inArray)
				continue
			}
			keys = append(keys, outputKey{key: key, segs: seg})
		}
	}
	if s, ok := schema.(map[string]any); ok {
		walk(s, "", nil, false)
	}
	return keys
}

func hasType(s map[string]any, t string) bool {
	switch x := s["type"].(type) {
	case string:
		return x == t
	case []any:
		for _, e := range x {
			if e == t {
				return true
			}
		}
	}
	return false
}

// extract returns the value of a declared output in the success JSON, and
// whether it is set. A missing or null value is NOT_SET.
// inferred: Architect sets no variable for a null output.
func (k outputKey) extract(v any) (any, bool) {
	cur := v
	var items []any
	inArray := false
	for _, s := range k.segs {
		if !inArray {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			cur, ok = m[s.name]
			if !ok || cur == nil {
				return nil, false
			}
			if s.array {
				arr, ok := cur.([]any)
				if !ok {
					return nil, false
				}
				items = append([]any{}, arr...)
				inArray = true
			}
			continue
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				items[i] = nil
				continue
			}
			items[i] = m[s.name]
		}
	}
	if inArray {
		return items, true
	}
	return cur, true
}

// declaredOutputs picks the declared outputs out of the success JSON.
func declaredOutputs(keys []outputKey, body any) map[string]any {
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		if v, ok := k.extract(body); ok {
			out[k.key] = v
		}
	}
	return out
}
