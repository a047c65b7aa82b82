package config

import (
	"strings"
	"testing"
)

// The runtime compile skips the metaschema check (see runtimeSchemaURL);
// this is the check, on the very document that is embedded.
func TestEmbeddedSchemaIsValidAgainstItsMetaschema(t *testing.T) {
	if _, _, err := compileSchema(schemaURL, schemaJSON); err != nil {
		t.Fatalf("the embedded schema is not a valid 2020-12 schema: %v", err)
	}
	// The check is real under schemaURL and skipped under the runtime URL:
	// should the library stop skipping it, this says why compiles got slower.
	bad := []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 5}`)
	if _, _, err := compileSchema(schemaURL, bad); err == nil || !strings.Contains(err.Error(), "metaschema") {
		t.Errorf("a metaschema-invalid schema compiled under %s: %v", schemaURL, err)
	}
	if _, _, err := compileSchema(runtimeSchemaURL, bad); err != nil {
		t.Errorf("under %s the library checked the metaschema after all: %v", runtimeSchemaURL, err)
	}
}

// Both registrations judge instances alike, to the error.
func TestRuntimeSchemaJudgesAsTheCheckedOne(t *testing.T) {
	checked, _, err := compileSchema(schemaURL, schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	runtime, err := schema()
	if err != nil {
		t.Fatal(err)
	}
	for _, inst := range []any{
		map[string]any{"version": 1.0, "identifiers": []any{map[string]any{"type": "Email", "ask": map[string]any{}}}},
		map[string]any{"version": "x", "identifiers": []any{map[string]any{"type": "Emial", "asks": 1.0}}},
		map[string]any{"identifiers": []any{}, "names": map[string]any{"queue": ""}},
		"not an object",
	} {
		a, b := checked.Validate(inst), runtime.Validate(inst)
		if (a == nil) != (b == nil) {
			t.Errorf("%v: checked schema says %v, runtime schema says %v", inst, a, b)
			continue
		}
		if a != nil && leaves(a.Error()) != leaves(b.Error()) {
			t.Errorf("%v: checked schema says\n%s\nruntime schema says\n%s", inst, a, b)
		}
	}
}

// leaves drops the first line, which names the root's registration URL.
func leaves(msg string) string {
	_, rest, _ := strings.Cut(msg, "\n")
	return rest
}
