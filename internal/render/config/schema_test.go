package config

import (
	"encoding/json"
	"fmt"
	"regexp/syntax"
	"strings"
	"testing"
)

// The embedded schema is a valid 2020-12 schema, and the check is real: a
// schema the metaschema refuses does not compile.
func TestEmbeddedSchemaIsValidAgainstItsMetaschema(t *testing.T) {
	if _, _, err := compileSchema(schemaJSON); err != nil {
		t.Fatalf("the embedded schema is not a valid 2020-12 schema: %v", err)
	}
	bad := []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 5}`)
	if _, _, err := compileSchema(bad); err == nil || !strings.Contains(err.Error(), "metaschema") {
		t.Errorf("a metaschema-invalid schema compiled: %v", err)
	}
}

// Every pattern compiles to a small program. A counted repetition such as
// {1,100} is expanded by RE2's compiler into a hundred copies, and compiling
// one of those cost more than the rest of a config's validation; a length
// belongs in maxLength.
func TestSchemaPatternsCompileSmall(t *testing.T) {
	var walk func(n any, at string)
	walk = func(n any, at string) {
		switch n := n.(type) {
		case map[string]any:
			for k, v := range n {
				if p, ok := v.(string); ok && k == "pattern" {
					re, err := syntax.Parse(p, syntax.Perl)
					if err != nil {
						t.Errorf("%s: %v", at, err)
						continue
					}
					if prog, err := syntax.Compile(re.Simplify()); err != nil || len(prog.Inst) > 64 {
						t.Errorf("%s: pattern %q compiles to %d instructions (a counted repetition? use maxLength)", at, p, len(prog.Inst))
					}
					continue
				}
				walk(v, at+"/"+k)
			}
		case []any:
			for i, v := range n {
				walk(v, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	if _, _, err := compileSchema(schemaJSON); err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(schemaJSON, &doc); err != nil {
		t.Fatal(err)
	}
	walk(doc, "#")
}

// The lengths the patterns used to count are maxLength now: the same values
// pass and fail at the same bounds.
func TestLengthBoundsOfKeysSlotsAndPrefixes(t *testing.T) {
	key := func(n int) string { return strings.Repeat("k", n) }
	for _, c := range []struct {
		name, text string
		ok         bool
	}{
		{"participant data key at 100", "identifiers:\n  - {type: Email, participantData: " + key(100) + "}\n", true},
		{"participant data key at 101", "identifiers:\n  - {type: Email, participantData: " + key(101) + "}\n", false},
		{"participant data key with a space", "identifiers:\n  - {type: Email, participantData: \"a b\"}\n", false},
		{"slot at 50", "identifiers:\n  - {type: Email, ask: {slot: " + key(50) + "}}\n", true},
		{"slot at 51", "identifiers:\n  - {type: Email, ask: {slot: " + key(51) + "}}\n", false},
		{"slot starting with a digit", "identifiers:\n  - {type: Email, ask: {slot: 1abc}}\n", false},
		{"prefix at 40", "identifiers: [{type: Email, ask: {}}]\nagentData: {prefix: " + key(39) + ".}\n", true},
		{"prefix at 41", "identifiers: [{type: Email, ask: {}}]\nagentData: {prefix: " + key(40) + ".}\n", false},
	} {
		cfg, _, ds := Parse("bpgen.yaml", []byte("version: 1\n"+c.text))
		if (cfg != nil) != c.ok {
			t.Errorf("%s: accepted %v, want %v: %v", c.name, cfg != nil, c.ok, ds)
		}
	}
}
