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
// every diagnostic comes from it. Compiling the schema, though, was most of
// a valid config's load (2-3 ms cold, once per process, metaschema check
// included), and a valid config needs no diagnostic. So a config is first run through certainlyValid, a
// small reading of the same schema for the handful of keywords it uses: when
// that says yes, the library would have said yes too, and it is not compiled
// at all; on any no, any doubt, or a keyword the reading does not know, the
// library judges as before. The reading applies each keyword with the
// library's own semantics, and the schema reaches it as fastTable, static
// data generated from schema.json by TestFastTableIsCurrent (`go test
// ./internal/render/config/ -update`), which turns the reading off for a
// schema using any other keyword. It is sound by test (TestFastSchemaIsSound:
// mutations of every committed config; FuzzFastSchemaIsSound), and
// TestFastSchemaAcceptsTheCommittedConfigs keeps it useful.

// fastNode is one subschema of the config schema, as fastTable holds it. An
// index refers to another node of the table (0, the root, is never a target).
type fastNode struct {
	Type       string     // "" for none
	Ref        int        // a "$ref" to "#/$defs/..." (0 for none)
	Props      []fastProp // "properties", by name
	Additional int        // "additionalProperties": anyProps, noProps or a node
	Required   []string
	Items      int // 0 for none
	MinItems   int // -1 for none
	Unique     bool
	HasEnum    bool
	Enum       []string // string enums only
	Const      string   // a number's JSON text, "" for none
	Pattern    string   // "" for none
	MinLength  int      // -1 for none
	MaxLength  int      // -1 for none
	Minimum    string   // a number's JSON text, "" for none
	Maximum    string
}

type fastProp struct {
	Name string
	Node int
}

const (
	anyProps = 0  // additionalProperties absent (or true)
	noProps  = -1 // additionalProperties false
)

var (
	patternMu sync.Mutex
	patterns  = map[string]*regexp.Regexp{}
)

// certainlyValid reports whether inst (toJSON's value model) satisfies the
// schema for certain; false means only "let the library judge".
func certainlyValid(inst any) bool {
	return fastTable != nil && validNode(0, inst, 0)
}

func validNode(i int, v any, depth int) bool {
	if depth > 2*maxDepth {
		return false
	}
	n := &fastTable[i]
	if n.Ref != 0 && !validNode(n.Ref, v, depth+1) {
		return false
	}
	if n.Type != "" && !hasType(v, n.Type) {
		return false
	}
	if n.HasEnum && !inEnum(v, n.Enum) {
		return false
	}
	if n.Const != "" && !sameNumber(v, n.Const) {
		return false
	}
	switch v := v.(type) {
	case string:
		l := -1
		if n.MinLength >= 0 || n.MaxLength >= 0 {
			l = utf8.RuneCountInString(v) // the library counts code points
		}
		if n.MinLength >= 0 && l < n.MinLength || n.MaxLength >= 0 && l > n.MaxLength {
			return false
		}
		if n.Pattern != "" && !match(n.Pattern, v) {
			return false
		}
	case json.Number:
		if n.Minimum != "" || n.Maximum != "" {
			x, ok := exactNumber(v)
			if !ok || n.Minimum != "" && x < mustNumber(n.Minimum) || n.Maximum != "" && x > mustNumber(n.Maximum) {
				return false
			}
		}
	case map[string]any:
		for _, r := range n.Required {
			if _, ok := v[r]; !ok {
				return false
			}
		}
		for name, val := range v {
			sub := propNode(n.Props, name)
			switch {
			case sub != 0:
			case n.Additional == noProps:
				return false
			case n.Additional == anyProps:
				continue
			default:
				sub = n.Additional
			}
			if !validNode(sub, val, depth+1) {
				return false
			}
		}
	case []any:
		if n.MinItems >= 0 && len(v) < n.MinItems {
			return false
		}
		if n.Items != 0 {
			for _, el := range v {
				if !validNode(n.Items, el, depth+1) {
					return false
				}
			}
		}
		if n.Unique && !uniqueStrings(v) {
			return false
		}
	}
	return true
}

func propNode(props []fastProp, name string) int {
	for _, p := range props {
		if p.Name == name {
			return p.Node
		}
	}
	return 0
}

// uniqueStrings judges only arrays of strings: anything else is doubt.
func uniqueStrings(arr []any) bool {
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

func match(pattern, s string) bool {
	patternMu.Lock()
	re, ok := patterns[pattern]
	patternMu.Unlock()
	if !ok {
		var err error
		if re, err = regexp.Compile(pattern); err != nil { // the library's engine
			return false
		}
		patternMu.Lock()
		patterns[pattern] = re
		patternMu.Unlock()
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

func inEnum(v any, list []string) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	for _, e := range list {
		if s == e {
			return true
		}
	}
	return false
}

func sameNumber(v any, want string) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	a, ok := exactNumber(n)
	return ok && a == mustNumber(want)
}

// exactNumber reads a number whose float64 is exact enough to order and
// compare as the library's rationals do: plain decimal text (toJSON writes
// a YAML .nan or .inf as "NaN" or "+Inf", which the library takes for no
// integer) of at most 15 significant digits.
func exactNumber(n json.Number) (float64, bool) {
	digits := 0
	for i, c := range string(n) {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '-' && i == 0, c == '.':
		default:
			return 0, false
		}
	}
	if digits > 15 {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(n), 64)
	return x, err == nil
}

// mustNumber reads a bound from the table, which TestFastTableIsCurrent
// wrote from numbers exactNumber takes.
func mustNumber(s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic("config: fastTable holds a bad number " + strconv.Quote(s))
	}
	return x
}
