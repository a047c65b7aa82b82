package errorbody

import (
	"encoding/json"
	"testing"
)

// The one type must encode both shapes api.md shows: the org's standard
// body (§0: no messageParams unless set) and a data action's failure
// (§5.4: messageParams always, nested errors without contextId).
func TestEncodesBothShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		body Body
		want string
	}{
		{"org 404", Body{Message: "The requested operation failed with status 404", Code: "not.found", Status: 404,
			ContextID: "c1", Details: []Detail{}, Errors: []Body{}},
			`{"message":"The requested operation failed with status 404","code":"not.found","status":404,"contextId":"c1","details":[],"errors":[]}`},
		{"data action", Body{Message: "Internal Server Error", Code: "internal.server.error", Status: 500, MessageParams: map[string]string{},
			ContextID: "c2", Details: []Detail{{ErrorCode: "ACTION.REMOTE_ENDPOINT"}},
			Errors: []Body{{Message: "REST call for action execute failed.", Code: "INTERNAL_SERVER_ERROR", Status: 500,
				MessageParams: map[string]string{}, Details: []Detail{}, Errors: []Body{}}}},
			`{"message":"Internal Server Error","code":"internal.server.error","status":500,"messageParams":{},"contextId":"c2","details":[{"errorCode":"ACTION.REMOTE_ENDPOINT"}],"errors":[{"message":"REST call for action execute failed.","code":"INTERNAL_SERVER_ERROR","status":500,"messageParams":{},"details":[],"errors":[]}]}`},
		{"limit", Body{Message: "m", Code: "c", Status: 400, Details: []Detail{}, Errors: []Body{}, Limit: &Limit{Key: "k", Value: 52}},
			`{"message":"m","code":"c","status":400,"details":[],"errors":[],"limit":{"key":"k","value":52}}`},
	} {
		got, err := json.Marshal(tc.body)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", tc.name, got, err, tc.want)
		}
	}
	if c := (&Body{Details: []Detail{{ErrorCode: "ACTION.PROCESSING"}}}).Category(); c != "ACTION.PROCESSING" {
		t.Errorf("Category = %q", c)
	}
	if c := (*Body)(nil).Category(); c != "" {
		t.Errorf("nil Category = %q", c)
	}
}
