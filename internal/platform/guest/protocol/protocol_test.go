package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func jsonEq(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON =\n %s\nwant\n %s", got, want)
	}
}

// The client-side constructors produce the shapes of api.md §4.2.
func TestRequestShapes(t *testing.T) {
	enc := func(r Request) []byte {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	jsonEq(t, enc(ConfigureSession("tok", "dep", "t-1")),
		`{"action":"configureSession","token":"tok","deploymentId":"dep","tracingId":"t-1"}`)
	jsonEq(t, enc(TextMessage("tok", "jane@example.com", map[string]string{"testRunId": "run-123"}, "t-2")),
		`{"action":"onMessage","token":"tok","message":{"type":"Text","text":"jane@example.com","channel":{"metadata":{"customAttributes":{"testRunId":"run-123"}}}},"tracingId":"t-2"}`)
	jsonEq(t, enc(TextMessage("tok", "hello", nil, "t-3")),
		`{"action":"onMessage","token":"tok","message":{"type":"Text","text":"hello"},"tracingId":"t-3"}`)
	jsonEq(t, enc(JoinEvent("tok", map[string]string{"A": "B"}, "t-4")),
		`{"action":"onMessage","token":"tok","message":{"type":"Event","events":[{"eventType":"Presence","presence":{"type":"Join"}}],"channel":{"metadata":{"customAttributes":{"A":"B"}}}},"tracingId":"t-4"}`)
	jsonEq(t, enc(Echo("tok")),
		`{"action":"echo","token":"tok","message":{"type":"Text","text":"ping"},"tracingId":"SGVhbHRoQ2hlY2tNZXNzYWdlSWQ="}`)
	jsonEq(t, enc(CloseSession("tok", "t-5")),
		`{"action":"closeSession","token":"tok","closeAllConnections":true,"tracingId":"t-5"}`)
}

func TestDecodeRequest(t *testing.T) {
	// As Messenger sends it (journeyContext, startNew:false) — extra fields are fine.
	r, err := DecodeRequest([]byte(`{"token":"00000000-0000-0000-0000-000000000000","deploymentId":"deploymentId","startNew":false,
		"journeyContext":{"customer":{"id":"c","idType":"cookie"},"customerSession":{"id":"","type":"web"}},"action":"configureSession"}`))
	if err != nil || r.Action != ActionConfigureSession || r.DeploymentID != "deploymentId" || r.JourneyContext.Customer.IDType != "cookie" {
		t.Errorf("configureSession = %+v, %v", r, err)
	}
	r, err = DecodeRequest([]byte(`{"action":"onMessage","token":"t","message":{"type":"Text","text":"x","channel":{"metadata":{"customAttributes":{"k":"v"}}}}}`))
	if err != nil || r.CustomAttributes()["k"] != "v" {
		t.Errorf("onMessage = %+v, %v", r, err)
	}
	// Legacy top-level channel: decoded, but not reported as message attributes.
	r, err = DecodeRequest([]byte(`{"action":"onMessage","token":"t","message":{"type":"Text","text":"x"},"channel":{"metadata":{"customAttributes":{"k":"v"}}}}`))
	if err != nil || r.CustomAttributes() != nil || r.Channel.Metadata.CustomAttributes["k"] != "v" {
		t.Errorf("legacy channel = %+v, %v", r, err)
	}
	for _, bad := range []string{
		`not json`,
		`{"token":"t"}`,
		`{"action":"echo"}`,
		`{"action":"configureSession","token":"t"}`,
		`{"action":"onMessage","token":"t"}`,
		`{"action":"echo","token":"` + strings.Repeat("x", 2049) + `"}`,
	} {
		if _, err := DecodeRequest([]byte(bad)); err == nil {
			t.Errorf("DecodeRequest(%.60s) succeeded", bad)
		}
	}
}

func TestServerFrames(t *testing.T) {
	b, err := EncodeSessionResponse("t-1", SessionResponse{Connected: true, NewSession: true, MaxCustomDataBytes: 2048})
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, b, `{"type":"response","class":"SessionResponse","code":200,"body":{"connected":true,"newSession":true,"maxCustomDataBytes":2048},"tracingId":"t-1"}`)

	b, err = EncodeError(400, "Deployment not found", "")
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, b, `{"type":"response","class":"string","code":400,"body":"Deployment not found"}`)
	f, err := DecodeFrame(b)
	if err != nil || !f.IsError() || f.Text() != "Deployment not found" {
		t.Errorf("decoded error frame = %+v, %v", f, err)
	}

	msg := StructuredMessage{ID: "m1", Type: MessageTypeStructured, Text: "Pick one", Direction: DirectionOutbound, OriginatingEntity: OriginatingEntityBot,
		Channel: &MessageChannel{Time: "2026-01-08T10:00:05.123Z", MessageID: "m1"},
		Content: []Content{{ContentType: "QuickReply", QuickReply: &QuickReply{Text: "Yes", Payload: "yes"}}}}
	b, err = EncodeStructuredMessage(TypeMessage, "", msg)
	if err != nil {
		t.Fatal(err)
	}
	f, err = DecodeFrame(b)
	if err != nil || f.Type != TypeMessage || f.Class != ClassStructuredMessage || f.IsError() {
		t.Fatalf("frame = %+v, %v", f, err)
	}
	var back StructuredMessage
	if err := f.DecodeBody(&back); err != nil || !reflect.DeepEqual(back, msg) {
		t.Errorf("round trip = %+v, %v", back, err)
	}

	b, err = EncodeEvent(ClassSessionExpiredEvent, nil)
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, b, `{"type":"message","class":"SessionExpiredEvent","code":200,"body":{}}`)
}

// Frames as the real service sends them (shapes from the Messenger SDK's
// test fixtures) decode into the shared types.
func TestDecodeServiceFrames(t *testing.T) {
	f, err := DecodeFrame([]byte(`{"type":"message","class":"StructuredMessage","code":200,"body":{"direction":"Outbound","id":"msg_id","channel":{"time":"some_time","type":"Private"},"type":"Structured","text":"Hi","content":[{"contentType":"QuickReply","quickReply":{"text":"text_a","payload":"payload_a","action":"action_a"}},{"contentType":"Card","card":{"title":"t"}}],"originatingEntity":"Bot"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var m StructuredMessage
	if err := f.DecodeBody(&m); err != nil {
		t.Fatal(err)
	}
	if m.Direction != DirectionOutbound || m.Content[0].QuickReply.Payload != "payload_a" || m.Content[1].ContentType != "Card" {
		t.Errorf("message = %+v", m)
	}
	f, err = DecodeFrame([]byte(`{"type":"response","class":"TooManyRequestsErrorMessage","code":429,"body":{"retryAfter":3,"errorCode":4029,"errorMessage":"Message rate too high for this session"}}`))
	var tm TooManyRequests
	if err != nil || f.DecodeBody(&tm) != nil || tm.RetryAfter != 3 || !f.IsError() {
		t.Errorf("too many requests = %+v %+v %v", f, tm, err)
	}
}
