// Package tfoutputs reads what `terraform output -json` prints, the way bpgen
// exchanges object ids between Terraform (or the emulated org) and the
// commands that run after apply.
package tfoutputs

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Parse reads {"name": {"sensitive": false, "type": "string", "value": ...}, ...}
// into name → value (strings as themselves, anything else as its JSON text).
func Parse(data []byte) (map[string]string, error) {
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("want the JSON `terraform output -json` prints: %w", err)
	}
	out := make(map[string]string, len(raw))
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		v, ok := raw[k]["value"]
		if !ok {
			return nil, fmt.Errorf("output %q has no \"value\": want the JSON `terraform output -json` prints", k)
		}
		out[k] = Value(v)
	}
	return out, nil
}

// Value is one output value as text: a string as itself, anything else as
// its JSON text (null as "").
func Value(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	t := strings.TrimSpace(string(v))
	if t == "null" {
		return ""
	}
	return t
}

// Marshal writes outputs in the same form, so a file bpgen writes can be
// read back by anything that reads terraform's.
func Marshal(outputs map[string]string) ([]byte, error) {
	doc := make(map[string]map[string]any, len(outputs))
	for k, v := range outputs {
		doc[k] = map[string]any{"sensitive": false, "type": "string", "value": v}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
