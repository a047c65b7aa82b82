package config

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The config's JSON Schema is the contract, and jsonschema/v6 its judge:
// every diagnostic comes from it. Compiling the schema, though, is most of a
// valid config's load (~1.5 ms cold, once per process), and a valid config
// needs no diagnostic. So a config is first run through certainlyValid, a
// small reading of the same document for the handful of keywords it uses:
// when that says yes, the library would have said yes too, and it is not
// compiled at all; on any no, any doubt, or any keyword it does not know,
// the library judges as before. It is sound by construction (each keyword
// is checked with the library's own semantics, and anything else disables
// it) and by test (TestFastSchemaIsSound: mutations of every committed
// config, FuzzFastSchemaIsSound); TestFastSchemaAcceptsTheCommittedConfigs
// keeps it useful.

// fastKeywords are the keywords certainlyValid applies, and the annotations
// it may ignore. The 2020-12 vocabularies assert "format" only under the
// format-assertion vocabulary, which the library turns on only when asked
// (Compiler.AssertFormat, not called here); so it is an annotation.
var fastKeywords = map[string]bool{
	"type": true, "properties": true, "additionalProperties": true, "required": true,
	"items": true, "minItems": true, "uniqueItems": true, "enum": true, "const": true,
	"pattern": true, "minLength": true, "maxLength": true, "minimum": true, "maximum": true,
	"$ref": true,
	// annotations and structure
	"$schema": true, "$id": true, "$defs": true, "title": true, "description": true,
	"default": true, "format": true, "examples": true,
}

type fastSchema struct {
	root map[string]any
	defs map[string]any
	// patterns holds each pattern's compiled form, made on first use.
	mu       sync.Mutex
	patterns map[string]*regexp.Regexp
}

var (
	fastOnce sync.Once
	fast     *fastSchema // nil when the schema uses a keyword it does not know
)

// Prepare reads the schema for the fast reading on another goroutine: a
// command calls it first thing, so the read overlaps the YAML parse.
func Prepare() { go fastJudge() }

func fastJudge() *fastSchema {
	fastOnce.Do(func() {
		var doc map[string]any
		d := json.NewDecoder(strings.NewReader(string(schemaJSON)))
		d.UseNumber()
		if d.Decode(&doc) != nil || !knownKeywords(doc) {
			return
		}
		defs, _ := doc["$defs"].(map[string]any)
		fast = &fastSchema{root: doc, defs: defs, patterns: map[string]*regexp.Regexp{}}
	})
	return fast
}

// knownKeywords reports whether every keyword of every subschema is one
// certainlyValid applies or may ignore.
func knownKeywords(s map[string]any) bool {
	for k, v := range s {
		if !fastKeywords[k] {
			return false
		}
		switch k {
		case "properties", "$defs":
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			for _, sub := range m {
				if sm, ok := sub.(map[string]any); !ok || !knownKeywords(sm) {
					return false
				}
			}
		case "items", "additionalProperties":
			switch sub := v.(type) {
			case bool:
			case map[string]any:
				if !knownKeywords(sub) {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// certainlyValid reports whether inst (toJSON's value model) satisfies the
// schema for certain; false means only "let the library judge".
func certainlyValid(inst any) bool {
	f := fastJudge()
	return f != nil && f.valid(f.root, inst, 0)
}

func (f *fastSchema) valid(s map[string]any, v any, depth int) bool {
	if depth > 2*maxDepth {
		return false
	}
	for k, kv := range s {
		switch k {
		case "$ref":
			ref, _ := kv.(string)
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			sub, _ := f.defs[name].(map[string]any)
			if !ok || sub == nil || strings.ContainsAny(name, "/~%") || !f.valid(sub, v, depth+1) {
				return false
			}
		case "type":
			t, _ := kv.(string)
			if !hasType(v, t) {
				return false
			}
		case "enum":
			list, _ := kv.([]any)
			if !inEnum(v, list) {
				return false
			}
		case "const":
			if !sameScalar(v, kv) {
				return false
			}
		case "pattern":
			str, isStr := v.(string)
			p, _ := kv.(string)
			if isStr && !f.match(p, str) {
				return false
			}
		case "minLength", "maxLength":
			str, isStr := v.(string)
			n, ok := count(kv)
			if !ok {
				return false
			}
			if isStr {
				l := utf8.RuneCountInString(str) // the library counts code points
				if k == "minLength" && l < n || k == "maxLength" && l > n {
					return false
				}
			}
		case "minimum", "maximum":
			num, isNum := v.(json.Number)
			if isNum {
				x, ok1 := exactNumber(num)
				b, ok2 := exactNumber(kv)
				if !ok1 || !ok2 || k == "minimum" && x < b || k == "maximum" && x > b {
					return false
				}
			}
		case "required":
			obj, isObj := v.(map[string]any)
			list, _ := kv.([]any)
			for _, r := range list {
				name, _ := r.(string)
				if _, has := obj[name]; isObj && !has {
					return false
				}
			}
		case "properties", "additionalProperties":
			// One pass over the object applies both (the first seen).
			_, hasProps := s["properties"]
			obj, isObj := v.(map[string]any)
			if isObj && (k == "properties" || !hasProps) && !f.validObject(s, obj, depth) {
				return false
			}
		case "items", "minItems", "uniqueItems":
			arr, isArr := v.([]any)
			if isArr && !f.validArray(k, kv, arr, depth) {
				return false
			}
		}
	}
	return true
}

// validObject applies properties and additionalProperties (s holds either).
func (f *fastSchema) validObject(s map[string]any, obj map[string]any, depth int) bool {
	props, _ := s["properties"].(map[string]any)
	for name, val := range obj {
		if sub, ok := props[name].(map[string]any); ok {
			if !f.valid(sub, val, depth+1) {
				return false
			}
			continue
		}
		switch extra := s["additionalProperties"].(type) {
		case nil, bool:
			if extra == false {
				return false
			}
		case map[string]any:
			if !f.valid(extra, val, depth+1) {
				return false
			}
		}
	}
	return true
}

func (f *fastSchema) validArray(k string, kv any, arr []any, depth int) bool {
	switch k {
	case "items":
		switch sub := kv.(type) {
		case bool:
			return sub || len(arr) == 0
		case map[string]any:
			for _, el := range arr {
				if !f.valid(sub, el, depth+1) {
					return false
				}
			}
		}
		return true
	case "minItems":
		n, ok := count(kv)
		return ok && len(arr) >= n
	default: // uniqueItems: only arrays of strings are judged here
		if kv != true {
			return true
		}
		seen := make(map[string]bool, len(arr))
		for _, el := range arr {
			s, ok := el.(string)
			if !ok || seen[s] {
				return false
			}
			seen[s] = true
		}
		return true
	}
}

func (f *fastSchema) match(pattern, s string) bool {
	f.mu.Lock()
	re, ok := f.patterns[pattern]
	f.mu.Unlock()
	if !ok {
		var err error
		if re, err = regexp.Compile(pattern); err != nil { // the library's engine
			return false
		}
		f.mu.Lock()
		f.patterns[pattern] = re
		f.mu.Unlock()
	}
	return re.MatchString(s)
}

// hasType is the library's type test on toJSON's values: an integer is a
// number with no fraction, which toJSON writes without a point.
func hasType(v any, t string) bool {
	switch v := v.(type) {
	case map[string]any:
		return t == "object"
	case []any:
		return t == "array"
	case string:
		return t == "string"
	case bool:
		return t == "boolean"
	case nil:
		return t == "null"
	case json.Number:
		if _, ok := exactNumber(v); !ok {
			return false
		}
		return t == "number" || t == "integer" && !strings.ContainsAny(string(v), ".eE")
	}
	return false
}

// inEnum handles enums of strings (all the schema has); anything else is
// left to the library.
func inEnum(v any, list []any) bool {
	for _, e := range list {
		if sameScalar(v, e) {
			return true
		}
	}
	return false
}

// sameScalar is JSON equality for a string or a small integer; false for
// anything else, which the library judges.
func sameScalar(v, want any) bool {
	switch w := want.(type) {
	case string:
		s, ok := v.(string)
		return ok && s == w
	case json.Number:
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		a, ok1 := exactNumber(n)
		b, ok2 := exactNumber(w)
		return ok1 && ok2 && a == b
	}
	return false
}

// exactNumber reads a number whose float64 is exact (at most 15 significant
// digits), so comparing floats is comparing the library's rationals.
func exactNumber(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	digits := 0
	for _, c := range string(n) {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if digits > 15 {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(n), 64)
	return x, err == nil
}

func count(v any) (int, bool) {
	x, ok := exactNumber(v)
	if !ok || x < 0 || x != float64(int(x)) {
		return 0, false
	}
	return int(x), true
}
