package jsonvalue

import (
	"reflect"
	"testing"
)

// A copy is equal to the original and shares none of its objects or
// arrays; Map replaces scalars only.
func TestCopySharesNothingAndMapReplacesScalars(t *testing.T) {
	in := map[string]any{"a": []any{map[string]any{"b": "x"}, 1.0}, "c": nil}
	out := Copy(in).(map[string]any)
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("copy %v, want %v", out, in)
	}
	out["a"].([]any)[0].(map[string]any)["b"] = "changed"
	if in["a"].([]any)[0].(map[string]any)["b"] != "x" {
		t.Error("the copy shares a nested object with the original")
	}
	n := Map(in, func(s any) any {
		if f, ok := s.(float64); ok {
			return int(f)
		}
		return s
	})
	want := map[string]any{"a": []any{map[string]any{"b": "x"}, 1}, "c": nil}
	if !reflect.DeepEqual(n, want) {
		t.Errorf("Map %v, want %v", n, want)
	}
}
