package scenario

import (
	"errors"
	"strings"
	"testing"
)

// Whatever the bytes, Parse returns a scenario or an *InputError whose
// position is inside the file: never a panic, never a line past the end.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"name: x\nconversations:\n  - name: a\n    expect: {queue: true, seez: [1]}\n",
		"name: x\ncontacts:\n  jane: {workEmail: [x]}\nconversations: [{}]\n",
		"name: x\nconversations:\n  - {repeat: many, replies: [hi, {a: 1}]}\n",
		"name: &a x\nconversations: [*a]\n",
		"name: x\nname: y\n",
		"\t- x\n",
		"---\nname: x\n---\nname: y\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("s.yaml", data)
		if err == nil {
			return
		}
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("error %T %v is not an InputError", err, err)
		}
		// yaml.v3 breaks lines at \r\n, \r, \n, NEL, LS and PS.
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		lines := 1
		for _, b := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
			lines += strings.Count(text, b)
		}
		if ie.Line > lines {
			t.Fatalf("error at line %d of a %d-line file: %v", ie.Line, lines, err)
		}
	})
}
