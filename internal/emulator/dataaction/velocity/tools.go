package velocity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Tool is a helper object placed in the render context under a name, the way
// Velocity Tools are ($esc, $successTemplateUtils). Its methods receive
// evaluated arguments (nil for null); an error fails the render at the call.
type Tool interface {
	// Invoke calls a method. An unknown method returns an error wrapping
	// ErrUnknownMethod.
	Invoke(method string, args []any) (any, error)
	// Property reads a property such as $esc.quote.
	Property(name string) (any, error)
}

// ErrUnknownMethod is wrapped by errors for methods or properties a value
// or tool does not have.
var ErrUnknownMethod = errors.New("unknown method")

// EscapeTool is the data-action "esc" tool (Velocity's EscapeTool plus the
// Genesys additions).
type EscapeTool struct{}

// SuccessTemplateUtilsTool is the data-action "successTemplateUtils" tool.
type SuccessTemplateUtilsTool struct{}

// The tools as data actions name them in the render context.
var (
	Esc                  Tool = EscapeTool{}
	SuccessTemplateUtils Tool = SuccessTemplateUtilsTool{}
)

// escConstants are EscapeTool's character properties ($esc.quote …), which
// let templates write characters that would otherwise be syntax.
var escConstants = map[string]string{
	"quote": `"`, "q": `"`,
	"singleQuote": "'", "s": "'",
	"dollar": "$", "d": "$",
	"hash": "#", "h": "#",
	"backslash": `\`, "b": `\`,
	"exclamation": "!", "e": "!",
}

// Property implements Tool.
func (EscapeTool) Property(name string) (any, error) {
	if c, ok := escConstants[name]; ok {
		return c, nil
	}
	return nil, fmt.Errorf("%w: $esc has no property %s", ErrUnknownMethod, name)
}

// Invoke implements Tool.
func (EscapeTool) Invoke(method string, args []any) (any, error) {
	var f func(string) string
	switch method {
	case "jsonString":
		f = JSONString
	case "jsonEncode":
		f = JSONEncode
	case "url", "urlFormEncode":
		f = URLFormEncode
	case "uriEncode":
		f = URIEncode
	default:
		return nil, fmt.Errorf("%w $esc.%s", ErrUnknownMethod, method)
	}
	s, isNull, err := textArg("$esc."+method, args, 1)
	if err != nil || isNull {
		// EscapeTool returns null for null; the reference then renders as written.
		return nil, err
	}
	return f(s), nil
}

// jsonShortEscapes are the two-character escapes JSON (RFC 8259 §7) has for
// characters that may not stand raw in a string literal; both JSON escapers
// use them, and JSONString adds `\/`.
var jsonShortEscapes = map[rune]string{
	'"': `\"`, '\\': `\\`, '\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`,
}

// JSONString escapes s for use inside a JSON string literal the way Commons
// Lang's StringEscapeUtils.escapeJson does: quote, backslash and slash get a
// backslash, control characters their short or \u form, and every non-ASCII
// character a \uXXXX escape (UTF-16 surrogate pairs above U+FFFF).
// inferred: the platform's implementation is not published; this is the
// library EscapeTool-style "json" escaping is built on.
func JSONString(s string) string {
	var b strings.Builder
	for _, r := range s {
		if e, ok := jsonShortEscapes[r]; ok {
			b.WriteString(e)
			continue
		}
		switch {
		case r == '/':
			b.WriteString(`\/`)
		case r < 0x20 || r > 0x7f && r <= 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04X\u%04X`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// JSONEncode escapes s for use inside a JSON string literal with the minimal
// RFC 8259 escaping: quote, backslash and control characters only; other
// characters, non-ASCII included, pass through.
// inferred: Genesys documents esc.jsonEncode only as "escape strings inside
// JSON bodies"; the exact character set is not published.
func JSONEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if e, ok := jsonShortEscapes[r]; ok {
			b.WriteString(e)
		} else if r < 0x20 {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.WriteRune(r) // invalid UTF-8 becomes U+FFFD, keeping the JSON valid
		}
	}
	return b.String()
}

// URLFormEncode is java.net.URLEncoder.encode(s, "UTF-8"), which EscapeTool's
// url/urlFormEncode call: letters, digits and ".-*_" stay, space becomes "+",
// every other UTF-8 byte becomes %XX.
func URLFormEncode(s string) string { return percentEncode(s, ".-*_", true) }

// URIEncode percent-encodes every byte outside RFC 3986's unreserved set
// (letters, digits, "-._~"), so the result is safe as a path segment; space
// becomes %20.
// inferred: Genesys recommends $esc.uriEncode for URL paths without
// publishing its character set; this is the strictest safe choice.
func URIEncode(s string) string { return percentEncode(s, "-._~", false) }

const upperHex = "0123456789ABCDEF"

// percentEncode keeps ASCII letters, digits and the bytes in keep, writes
// space as "+" when plusForSpace (form encoding), and every other UTF-8 byte
// as %XX with upper-case hex.
func percentEncode(s, keep string, plusForSpace bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		case c == ' ' && plusForSpace:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// Property implements Tool.
func (SuccessTemplateUtilsTool) Property(name string) (any, error) {
	return nil, fmt.Errorf("%w: $successTemplateUtils has no property %s", ErrUnknownMethod, name)
}

// Invoke implements Tool.
func (SuccessTemplateUtilsTool) Invoke(method string, args []any) (any, error) {
	switch method {
	case "firstFromArray":
		arr, isNull, err := textArg("firstFromArray", args, 1, 2)
		if err != nil || isNull {
			return nil, err
		}
		var def any = ""
		if len(args) == 2 {
			def = args[1]
		}
		return FirstFromArray(arr, def)
	case "moveKeysIntoArrayOfObjects":
		// Its signature is not documented anywhere we could read; refuse
		// rather than guess.
		return nil, fmt.Errorf("%w: $successTemplateUtils.moveKeysIntoArrayOfObjects is not emulated", ErrUnknownMethod)
	}
	return nil, fmt.Errorf("%w $successTemplateUtils.%s", ErrUnknownMethod, method)
}

// FirstFromArray returns the first element of the JSON array text arr as JSON
// text, or def's text (inserted raw, not JSON-encoded) when the array is
// empty. Text that is not a JSON array is an error.
func FirstFromArray(arr string, def any) (string, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal([]byte(arr), &elems); err != nil || elems == nil {
		return "", fmt.Errorf("firstFromArray: argument is not a JSON array: %.80q", arr)
	}
	if len(elems) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, elems[0]); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	if def == nil {
		return "", nil
	}
	return toText(def)
}

// textArg checks a tool call's argument count (one of n) and returns its
// first argument as text; isNull reports a null first argument, for which
// the tools return null rather than failing.
func textArg(name string, args []any, n ...int) (s string, isNull bool, err error) {
	if err := argCount(name, args, n...); err != nil {
		return "", false, err
	}
	if args[0] == nil {
		return "", true, nil
	}
	s, err = toText(args[0])
	return s, false, err
}
