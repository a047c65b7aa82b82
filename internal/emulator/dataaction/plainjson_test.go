package dataaction

import (
	"reflect"
	"strings"
	"testing"
)

// plainEdges are bodies on both sides of what decodePlain takes: it reads
// the plain ones (else the saving is not real) and declines the rest, and
// decodeJSON gives the Decoder's value or error for every one.
var plainEdges = []struct {
	text  string
	plain bool
}{
	{`{"id":"c-1","type":"Curated","firstName":"Ana","n":12,"f":-1.5e3,"t":true,"x":null,"a":[1,"b",{}],"o":{}}`, true},
	{` {"entities":[{"id":"x"}],"total":1} ` + "\n", true},
	{`[]`, true}, {`[ ]`, true}, {`{}`, true}, {`"s"`, true}, {`0`, true}, {`-0`, true}, {`1E+2`, true}, {`1e-2`, true},
	{`{"a":1,"a":2}`, true}, {`"Büro 日本"`, true}, {"\t{\"a\" : [ 1 , 2 ] }\r\n", true}, {`{"":""}`, true},
	{`{"a":"b\"c"}`, false}, {`"\u00e9"`, false}, {"\"a\x01\"", false}, {"\"\xff\"", false}, {`01`, false},
	{`1.`, false}, {`.5`, false}, {`1e`, false}, {`-`, false}, {`+1`, false}, {`truex`, false}, {`nul`, false},
	{`[1,]`, false}, {`{"a":1,}`, false}, {`{"a"}`, false}, {`{a:1}`, false}, {`[1 2]`, false}, {``, false},
	{` `, false}, {`{"a":1} {"b":2}`, false}, {`{"a":1} }`, false}, {`{"a":1}x`, false}, {"\ufeff{}", false},
	{strings.Repeat("[", 65) + strings.Repeat("]", 65), false}, {strings.Repeat("[", 64) + strings.Repeat("]", 64), true},
	{`[`, false}, {`{"a":`, false}, {`"abc`, false}, {`NaN`, false}, {`Infinity`, false},
}

func TestDecodePlainMatchesEncodingJSON(t *testing.T) {
	for _, c := range plainEdges {
		if _, ok := decodePlain(c.text); ok != c.plain {
			t.Errorf("%q: read plainly %v, want %v", c.text, ok, c.plain)
		}
		checkPlain(t, c.text)
	}
}

func FuzzDecodePlain(f *testing.F) {
	for _, c := range plainEdges {
		f.Add(c.text)
	}
	f.Fuzz(checkPlain)
}

// checkPlain holds decodePlain, where it reads s, and decodeJSON everywhere,
// to the Decoder's value and error.
func checkPlain(t *testing.T, s string) {
	t.Helper()
	want, wantErr := decodeWithDecoder(s)
	if got, ok := decodePlain(s); ok && (wantErr != nil || !reflect.DeepEqual(got, want)) {
		t.Fatalf("%q: decodePlain read %#v; the Decoder %#v, %v", s, got, want, wantErr)
	}
	got, err := decodeJSON(s)
	if (err == nil) != (wantErr == nil) || err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: decodeJSON %#v, %v; the Decoder %#v, %v", s, got, err, want, wantErr)
	}
	if err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("%q: decodeJSON error %v; the Decoder's %v", s, err, wantErr)
	}
}
