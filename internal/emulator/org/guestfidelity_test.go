package org

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/guest/protocol"
)

// The echo of a guest's own message carries the tracingId of the request
// that sent it (the Kotlin guest SDK matches its message by it), and the
// message can be read back with GET …/messages/{messageId}/details.
func TestGuestEchoCarriesTracingIDAndDetailsAreReadable(t *testing.T) {
	e := newGuestEnv(t)
	g := e.raw(t)
	if f := g.roundTrip(`{"action":"configureSession","token":"t1","deploymentId":"` + e.dep.ID + `"}`); f.Code != 200 {
		t.Fatalf("configure: %+v", f)
	}
	for _, tc := range []struct{ trace, text string }{{"first-1", "hello"}, {"second-2", "jane@example.com"}} {
		f := g.roundTrip(`{"action":"onMessage","token":"t1","tracingId":"` + tc.trace + `","message":{"type":"Text","text":"` + tc.text + `"}}`)
		var sm protocol.StructuredMessage
		if err := json.Unmarshal(f.Body, &sm); err != nil {
			t.Fatalf("echo body %s: %v", f.Body, err)
		}
		if f.Class != protocol.ClassStructuredMessage || f.TracingID != tc.trace || sm.Direction != protocol.DirectionInbound || sm.Text != tc.text {
			t.Fatalf("echo of %q: tracingId %q, %+v", tc.text, f.TracingID, sm)
		}
		var d apiMessageData
		if err := e.c.Do(ctxT(t), http.MethodGet, "/api/v2/conversations/messages/"+sm.ID+"/details", nil, &d); err != nil {
			t.Fatal(err)
		}
		if d.ID != sm.ID || d.TextBody != tc.text || d.Direction != "inbound" || d.MessengerType != "webmessaging" || d.ConversationID == "" || d.Status != "received" {
			t.Errorf("details of %q: %+v", tc.text, d)
		}
	}
	if err := e.c.Do(ctxT(t), http.MethodGet, "/api/v2/conversations/messages/nope/details", nil, &struct{}{}); !api.IsNotFound(err) {
		t.Errorf("details of an unknown message: %v", err)
	}
}

// getConfiguration (the Java guest SDK's GetConfigurationRequest) answers
// the deployment's session settings with the request's tracingId, and
// "Deployment not found" for an unknown deployment.
func TestGuestGetConfiguration(t *testing.T) {
	e := newGuestEnv(t)
	g := e.raw(t)
	f := g.roundTrip(`{"action":"getConfiguration","token":"t1","deploymentId":"` + e.dep.ID + `","tracingId":"cfg-1"}`)
	var body protocol.GetConfigurationResponse
	if err := json.Unmarshal(f.Body, &body); err != nil {
		t.Fatal(err)
	}
	if f.Code != 200 || f.Class != protocol.ClassGetConfigurationResponse || f.TracingID != "cfg-1" || body.MaxCustomDataBytes != MaxCustomDataBytes || body.SessionDurationSeconds <= 0 {
		t.Errorf("getConfiguration: %+v %s", f, f.Body)
	}
	if f := g.roundTrip(`{"action":"getConfiguration","token":"t1","deploymentId":"nope"}`); f.Code != 400 || f.Class != protocol.ClassString {
		t.Errorf("unknown deployment: %+v", f)
	}
}
