package tfoutputs

import "testing"

func TestRoundTripAndErrors(t *testing.T) {
	b, err := Marshal(map[string]string{"flow_id": "abc", "n": "3"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b)
	if err != nil || got["flow_id"] != "abc" || got["n"] != "3" {
		t.Fatalf("got %v, %v", got, err)
	}
	got, err = Parse([]byte(`{"ids": {"value": ["a","b"]}, "none": {"value": null}}`))
	if err != nil || got["ids"] != `["a","b"]` || got["none"] != "" {
		t.Fatalf("non-strings: %v %v", got, err)
	}
	if _, err := Parse([]byte(`{"x": {"type": "string"}}`)); err == nil {
		t.Fatal("an output without value was accepted")
	}
	if _, err := Parse([]byte(`[1]`)); err == nil {
		t.Fatal("not terraform output JSON, accepted")
	}
}
