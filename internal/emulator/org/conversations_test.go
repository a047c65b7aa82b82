package org

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

func TestWebMessagingResolution(t *testing.T) {
	o := New()
	mustContact(t, o, Contact{WorkEmail: "jane@example.com"})
	c, err := o.StartConversation(StartConversationOptions{CustomAttributes: map[string]string{"email": "jane@example.com"}, FlowName: "MergeFlow"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Channel != ChannelWebMessaging || c.Resolution.Outcome != "created" || c.Customer.ExternalContactID == "" {
		t.Fatalf("conversation %+v", c)
	}
	eph, _ := o.RawContact(c.Customer.ExternalContactID)
	if eph.Type != TypeEphemeral || eph.WorkEmail != "" {
		t.Fatalf("web messaging must link a fresh anonymous Ephemeral: %+v", eph)
	}
	if c.Customer.Attributes["email"] != "jane@example.com" || c.Workflow.Name != "MergeFlow" || c.Workflow.Purpose != apimodel.PurposeWorkflow {
		t.Fatalf("participants %+v %+v", c.Customer, c.Workflow)
	}
	c2, _ := o.StartConversation(StartConversationOptions{})
	if c2.Customer.ExternalContactID == c.Customer.ExternalContactID {
		t.Fatal("each web messaging session needs its own ephemeral")
	}
	if _, err := o.StartConversation(StartConversationOptions{Channel: "sms"}); StatusOf(err) != 400 {
		t.Fatalf("bad channel: %v", err)
	}
}

func TestOpenMessagingResolution(t *testing.T) {
	o := New()
	src := mustSource(t, o, "OpenMessaging")
	in, err := o.AddOpenIntegration(OpenIntegration{Name: "IR", ExternalSourceID: src.ID, FlowName: "Flow"})
	if err != nil {
		t.Fatal(err)
	}
	noSrc, _ := o.AddOpenIntegration(OpenIntegration{Name: "plain"})
	byExt := mustContact(t, o, Contact{FirstName: "Ext", ExternalIDs: []ExternalID{{ExternalSource: &ExternalSource{ID: src.ID}, Value: "cust-ext"}}})
	byEmail := mustContact(t, o, Contact{WorkEmail: "single@example.com"})
	byPhone := mustContact(t, o, Contact{CellPhone: &PhoneNumber{Display: "+13175550123"}})
	mustContact(t, o, Contact{WorkEmail: "dup@example.com"})
	mustContact(t, o, Contact{OtherEmail: "dup@example.com"})
	// Two members of one merge set count as one match.
	m1 := mustContact(t, o, Contact{Type: TypeEphemeral, WorkEmail: "merged@example.com"})
	m2 := mustContact(t, o, Contact{WorkEmail: "merged@example.com"})
	mergedHead, _ := o.MergeLegacy(m1.ID, m2.ID)

	tests := []struct {
		name        string
		integration string
		from        OpenFrom
		outcome     string
		matchedBy   string
		contact     string // expected linked id; "" = a new ephemeral
		wantExtID   bool
	}{
		{"opaque single match", in.ID, OpenFrom{ID: "cust-ext", IDType: "Opaque"}, "linked", "ExternalId", byExt.ID, false},
		{"opaque none, email single", in.ID, OpenFrom{ID: "new-1", IDType: "Opaque", Email: "SINGLE@example.com"}, "linked", "Email", byEmail.ID, false},
		{"opaque none", in.ID, OpenFrom{ID: "new-2", IDType: "Opaque", FirstName: "Jo", LastName: "Bloggs"}, "created", "", "", true},
		{"email idType", in.ID, OpenFrom{ID: "single@example.com", IDType: "Email"}, "linked", "Email", byEmail.ID, false},
		{"phone idType", in.ID, OpenFrom{ID: "+13175550123", IDType: "Phone"}, "linked", "Phone", byPhone.ID, false},
		{"several", in.ID, OpenFrom{ID: "new-3", IDType: "Opaque", Email: "dup@example.com"}, "ambiguous", "Email", "", false},
		{"merge set counts once", in.ID, OpenFrom{ID: "merged@example.com", IDType: "Email"}, "linked", "Email", mergedHead.ID, false},
		{"no source configured", noSrc.ID, OpenFrom{ID: "cust-ext", IDType: "Opaque"}, "created", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(o.Contacts())
			c, err := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: tc.integration, From: tc.from})
			if err != nil {
				t.Fatal(err)
			}
			r := c.Resolution
			if r.Outcome != tc.outcome || r.MatchedBy != tc.matchedBy || r.ContactID != c.Customer.ExternalContactID {
				t.Fatalf("resolution %+v", r)
			}
			if tc.contact != "" {
				if r.ContactID != tc.contact || len(o.Contacts()) != before {
					t.Fatalf("linked %s, want %s", r.ContactID, tc.contact)
				}
				return
			}
			eph, _ := o.RawContact(r.ContactID)
			if eph.Type != TypeEphemeral || len(o.Contacts()) != before+1 {
				t.Fatalf("expected a new ephemeral, got %+v", eph)
			}
			if eph.FirstName != tc.from.FirstName || eph.LastName != tc.from.LastName || eph.WorkEmail != "" {
				t.Fatalf("ephemeral fields %+v", eph)
			}
			if got := len(eph.ExternalIDs) == 1; got != tc.wantExtID {
				t.Fatalf("externalIds %+v", eph.ExternalIDs)
			}
			if tc.outcome == "ambiguous" && len(r.Candidates) != 2 {
				t.Fatalf("candidates %v", r.Candidates)
			}
		})
	}
	// The ephemeral created for new-2 carries the ExternalId, so the same
	// sender is recognised next time, and after a merge lands on the head.
	first, _ := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: OpenFrom{ID: "return-1", IDType: "Opaque"}})
	again, _ := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: OpenFrom{ID: "return-1", IDType: "Opaque"}})
	if again.Resolution.Outcome != "linked" || again.Customer.ExternalContactID != first.Customer.ExternalContactID {
		t.Fatalf("returning sender %+v", again.Resolution)
	}
	head, err := o.MergeLegacy(first.Customer.ExternalContactID, byEmail.ID)
	if err != nil {
		t.Fatal(err)
	}
	third, _ := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: OpenFrom{ID: "return-1", IDType: "Opaque"}})
	if third.Customer.ExternalContactID != head.ID {
		t.Fatalf("after merge linked %s, want head %s", third.Customer.ExternalContactID, head.ID)
	}
	// first keeps the id it was linked to; the canonical one is derived.
	if snap, _ := o.Conversation(first.ID); snap.Customer.ExternalContactID == head.ID || snap.CanonicalContactID != head.ID {
		t.Fatalf("conversation snapshot %+v", snap)
	}

	for _, bad := range []StartConversationOptions{
		{Channel: ChannelOpen, IntegrationID: in.ID},
		{Channel: ChannelOpen, IntegrationID: in.ID, From: OpenFrom{ID: "x", IDType: "Fax"}},
		{Channel: ChannelOpen, ExternalSourceID: "nope", From: OpenFrom{ID: "x"}},
	} {
		if _, err := o.StartConversation(bad); StatusOf(err) != 400 {
			t.Fatalf("%+v: %v", bad, err)
		}
	}
	if _, err := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: "nope", From: OpenFrom{ID: "x"}}); !IsNotFound(err) {
		t.Fatalf("unknown integration: %v", err)
	}
	// Go callers may skip the integration and name the source directly.
	c, err := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, ExternalSourceID: src.ID, From: OpenFrom{ID: "cust-ext"}})
	if err != nil || c.Customer.ExternalContactID != byExt.ID {
		t.Fatalf("direct source: %v %+v", err, c.Resolution)
	}
	if _, err := o.AddOpenIntegration(OpenIntegration{ExternalSourceID: "nope"}); StatusOf(err) != 400 {
		t.Fatalf("integration with unknown source: %v", err)
	}
}

func TestGetConversation(t *testing.T) {
	e := newEnv(t)
	c, _ := e.org.StartConversation(StartConversationOptions{CustomAttributes: map[string]string{"testRunId": "run-1"}, Text: "hi"})
	var raw map[string]any
	e.call("GET", "/api/v2/conversations/"+c.ID, nil).must(t, 200).decode(t, &raw)
	parts := raw["participants"].([]any)
	if len(parts) != 2 || raw["id"] != c.ID || raw["selfUri"] != "/api/v2/conversations/"+c.ID {
		t.Fatalf("conversation %v", raw)
	}
	cust := parts[0].(map[string]any)
	if cust["purpose"] != "customer" || cust["externalContactId"] != c.Customer.ExternalContactID ||
		cust["attributes"].(map[string]any)["testRunId"] != "run-1" || cust["participantType"] != "External" {
		t.Fatalf("customer %v", cust)
	}
	msg := cust["messages"].([]any)[0].(map[string]any)
	if msg["id"] != c.Customer.CommunicationID || msg["state"] != "connected" || msg["direction"] != "inbound" || msg["type"] != "webmessaging" {
		t.Fatalf("message media %v", msg)
	}
	wf := parts[1].(map[string]any)
	if wf["purpose"] != "workflow" || wf["name"] != DefaultFlowName || wf["externalContactId"] != nil {
		t.Fatalf("workflow %v", wf)
	}
	// The blueprint's JSONPath filter reads purpose and externalContactId.
	var conv apimodel.Conversation
	e.call("GET", "/api/v2/conversations/"+c.ID, nil).decode(t, &conv)
	var ids []string
	for _, p := range conv.Participants {
		if p.Purpose == "customer" {
			ids = append(ids, p.ExternalContactID)
		}
	}
	if len(ids) != 1 || ids[0] != c.Customer.ExternalContactID {
		t.Fatalf("customer ids %v", ids)
	}

	var mc map[string]any
	e.call("GET", "/api/v2/conversations/messages/"+c.ID, nil).must(t, 200).decode(t, &mc)
	mcust := mc["participants"].([]any)[0].(map[string]any)
	if mcust["externalContact"].(map[string]any)["id"] != c.Customer.ExternalContactID || mcust["externalContactId"] != nil ||
		mcust["type"] != "webmessaging" || mcust["state"] != "connected" || len(mcust["messages"].([]any)) != 1 {
		t.Fatalf("message conversation customer %v", mcust)
	}
	checkError(t, e.call("GET", "/api/v2/conversations/nope", nil), 404, "not.found")
	checkError(t, e.call("GET", "/api/v2/conversations/messages/nope", nil), 404, "not.found")

	if err := e.org.DisconnectConversation(c.ID); err != nil {
		t.Fatal(err)
	}
	e.call("GET", "/api/v2/conversations/"+c.ID, nil).decode(t, &conv)
	if conv.State != "disconnected" || conv.EndTime.IsZero() || conv.Participants[0].Messages[0].State != "disconnected" {
		t.Fatalf("after disconnect %+v", conv)
	}
	if err := e.org.DisconnectConversation(c.ID); err != nil {
		t.Fatal("disconnect must be idempotent")
	}
	if _, err := e.org.SendCustomerMessage(c.ID, "late"); StatusOf(err) != 400 {
		t.Fatalf("message after disconnect: %v", err)
	}
	if err := e.org.DisconnectConversation("nope"); !IsNotFound(err) {
		t.Fatal(err)
	}
}

func TestParticipantAttributes(t *testing.T) {
	e := newEnv(t)
	c, _ := e.org.StartConversation(StartConversationOptions{CustomAttributes: map[string]string{"a": "1"}})
	path := "/api/v2/conversations/" + c.ID + "/participants/" + c.Customer.ID + "/attributes"
	r := e.call("PATCH", path, map[string]any{"attributes": map[string]string{"b": "2", "a": "3"}}).must(t, 202)
	if len(r.body) != 0 {
		t.Fatalf("202 with body %s", r.body)
	}
	got, _ := e.org.Conversation(c.ID)
	if got.Customer.Attributes["a"] != "3" || got.Customer.Attributes["b"] != "2" {
		t.Fatalf("attributes %v", got.Customer.Attributes)
	}
	var pa struct{ Attributes map[string]string }
	e.call("PATCH", "/api/v2/conversations/messages/"+c.ID+"/participants/"+c.Workflow.ID+"/attributes",
		map[string]any{"attributes": map[string]string{"w": "x"}}).must(t, 200).decode(t, &pa)
	if pa.Attributes["w"] != "x" {
		t.Fatalf("messages variant %v", pa)
	}
	checkError(t, e.call("PATCH", path, map[string]any{"attributes": map[string]any{"n": 1}}), 400, "bad.request")
	checkError(t, e.call("PATCH", path, map[string]any{}), 400, "bad.request")
	checkError(t, e.call("PATCH", "/api/v2/conversations/"+c.ID+"/participants/nope/attributes", map[string]any{"attributes": map[string]string{}}), 404, "not.found")
	checkError(t, e.call("PATCH", "/api/v2/conversations/nope/participants/"+c.Customer.ID+"/attributes", map[string]any{"attributes": map[string]string{}}), 404, "not.found")
}

func TestAssociateConversation(t *testing.T) {
	e := newEnv(t)
	c, _ := e.org.StartConversation(StartConversationOptions{})
	cur := mustContact(t, e.org, Contact{WorkEmail: "jane@example.com"})
	path := "/api/v2/externalcontacts/conversations/" + c.ID
	ok := ConversationAssociation{ExternalContactID: cur.ID, ConversationID: c.ID, CommunicationID: c.Customer.CommunicationID, MediaType: "MESSAGE"}

	tests := []struct {
		name   string
		path   string
		mutate func(*ConversationAssociation)
		status int
		code   string
	}{
		{"no conversationId", path, func(a *ConversationAssociation) { a.ConversationID = "" }, 400, "bad.request"},
		{"no communicationId", path, func(a *ConversationAssociation) { a.CommunicationID = "" }, 400, "bad.request"},
		{"no mediaType", path, func(a *ConversationAssociation) { a.MediaType = "" }, 400, "bad.request"},
		{"unknown mediaType", path, func(a *ConversationAssociation) { a.MediaType = "PIGEON" }, 400, "bad.request"},
		{"wrong mediaType", path, func(a *ConversationAssociation) { a.MediaType = "CALL" }, 400, "bad.request"},
		{"workflow communication", path, func(a *ConversationAssociation) { a.CommunicationID = c.Workflow.CommunicationID }, 400, "bad.request"},
		{"path mismatch", "/api/v2/externalcontacts/conversations/other", func(*ConversationAssociation) {}, 400, "bad.request"},
		{"unknown contact", path, func(a *ConversationAssociation) { a.ExternalContactID = "ghost" }, 400, "bad.request"},
		{"unknown conversation", "/api/v2/externalcontacts/conversations/nope", func(a *ConversationAssociation) { a.ConversationID = "nope" }, 404, "not.found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ok
			tc.mutate(&a)
			checkError(t, e.call("PUT", tc.path, a), tc.status, tc.code)
		})
	}
	if got, _ := e.org.Conversation(c.ID); got.Customer.ExternalContactID == cur.ID {
		t.Fatal("a rejected association changed the conversation")
	}
	r := e.call("PUT", path, ok).must(t, 204)
	if len(r.body) != 0 {
		t.Fatalf("204 body %s", r.body)
	}
	var conv apimodel.Conversation
	e.call("GET", "/api/v2/conversations/"+c.ID, nil).decode(t, &conv)
	if conv.Participants[0].ExternalContactID != cur.ID {
		t.Fatalf("customer externalContactId %s", conv.Participants[0].ExternalContactID)
	}
	// Omitting externalContactId disassociates.
	ok.ExternalContactID = ""
	e.call("PUT", path, ok).must(t, 204)
	if got, _ := e.org.Conversation(c.ID); got.Customer.ExternalContactID != "" {
		t.Fatal("not disassociated")
	}
}

func inboundBody(fromID, idType, text string, extra map[string]any) map[string]any {
	ch := map[string]any{
		"from":      map[string]any{"id": fromID, "idType": idType, "firstName": "Jane", "lastName": "Doe"},
		"time":      "2026-01-08T10:00:00.000Z",
		"messageId": "ext-" + text,
	}
	body := map[string]any{"channel": ch, "text": text}
	for k, v := range extra {
		if k == "channel.metadata" {
			ch["metadata"] = v
		} else {
			body[k] = v
		}
	}
	return body
}

func TestOpenInboundHTTP(t *testing.T) {
	e := newEnv(t)
	src := mustSource(t, e.org, "OM")
	in, _ := e.org.AddOpenIntegration(OpenIntegration{Name: "IR", ExternalSourceID: src.ID})
	path := "/api/v2/conversations/messages/" + in.ID + "/inbound/open/message"

	var events []Event
	var mu sync.Mutex
	cancel := e.org.Subscribe(func(ev Event) { mu.Lock(); events = append(events, ev); mu.Unlock() })
	defer cancel()

	var out map[string]any
	e.call("POST", path+"?prefetchConversationId=true", inboundBody("cust-1", "Opaque", "Hello",
		map[string]any{"channel.metadata": map[string]any{"customAttributes": map[string]string{"testRunId": "run-9"}}})).must(t, 200).decode(t, &out)
	convID, _ := out["conversationId"].(string)
	ch := out["channel"].(map[string]any)
	if convID == "" || out["id"] == "" || out["text"] != "Hello" || ch["platform"] != "Open" || ch["type"] != "Private" ||
		ch["to"].(map[string]any)["id"] != in.ID || ch["messageId"] != "ext-Hello" {
		t.Fatalf("response %v", out)
	}
	c, _ := e.org.Conversation(convID)
	if c.Channel != ChannelOpen || c.Customer.Attributes["testRunId"] != "run-9" || c.Customer.Address != "cust-1" ||
		c.Customer.Name != "Jane Doe" || len(c.Messages) != 1 || c.Messages[0].Text != "Hello" {
		t.Fatalf("conversation %+v", c)
	}
	eph, _ := e.org.RawContact(c.Customer.ExternalContactID)
	if eph.Type != TypeEphemeral || len(eph.ExternalIDs) != 1 || eph.ExternalIDs[0].Value != "cust-1" || eph.FirstName != "Jane" {
		t.Fatalf("ephemeral %+v", eph)
	}

	// A second message continues the conversation; no prefetch, no id.
	out = nil
	e.call("POST", path, inboundBody("cust-1", "Opaque", "jane@example.com", nil)).must(t, 200).decode(t, &out)
	if _, has := out["conversationId"]; has {
		t.Fatalf("conversationId without prefetch: %v", out)
	}
	if c, _ = e.org.Conversation(convID); len(c.Messages) != 2 {
		t.Fatalf("messages %+v", c.Messages)
	}
	// Content-only messages are accepted.
	e.call("POST", path, inboundBody("cust-1", "Opaque", "", map[string]any{"content": []any{map[string]any{"attachment": map[string]any{"mediaType": "Image"}}}})).must(t, 200)

	mu.Lock()
	var kinds []EventType
	for _, ev := range events {
		kinds = append(kinds, ev.Type)
		if ev.ConversationID != convID {
			t.Fatalf("event for %s", ev.ConversationID)
		}
	}
	mu.Unlock()
	want := []EventType{EventConversationStarted, EventCustomerMessage, EventCustomerMessage, EventCustomerMessage}
	if !slices.Equal(kinds, want) {
		t.Fatalf("events %v", kinds)
	}
	// After disconnect, the same sender starts a new conversation.
	_ = e.org.DisconnectConversation(convID)
	out = nil
	e.call("POST", path+"?prefetchConversationId=true", inboundBody("cust-1", "Opaque", "back", nil)).must(t, 200).decode(t, &out)
	if out["conversationId"] == convID {
		t.Fatal("disconnected conversation was continued")
	}
	c2, _ := e.org.Conversation(out["conversationId"].(string))
	if c2.Resolution.Outcome != "linked" || c2.Customer.ExternalContactID != eph.ID {
		t.Fatalf("returning sender %+v", c2.Resolution)
	}
	if calls := e.org.CallsFor(convID); len(calls) != 3 || calls[0].Route != "POST /api/v2/conversations/messages/{integrationId}/inbound/open/message" {
		t.Fatalf("calls for conversation %+v", calls)
	}

	tests := []struct {
		name string
		path string
		body any
		st   int
		code string
	}{
		{"unknown integration", "/api/v2/conversations/messages/nope/inbound/open/message", inboundBody("x", "Opaque", "t", nil), 404, "not.found"},
		{"no from", path, map[string]any{"channel": map[string]any{"time": "2026-01-08T10:00:00Z"}, "text": "t"}, 400, "bad.request"},
		{"bad idType", path, inboundBody("x", "Fax", "t", nil), 400, "bad.request"},
		{"no time", path, map[string]any{"channel": map[string]any{"from": map[string]any{"id": "x", "idType": "Opaque"}}, "text": "t"}, 400, "bad.request"},
		{"bad time", path, map[string]any{"channel": map[string]any{"from": map[string]any{"id": "x", "idType": "Opaque"}, "time": "yesterday"}, "text": "t"}, 400, "bad.request"},
		{"no text or content", path, inboundBody("x", "Opaque", "", nil), 400, "bad.request"},
		{"customAttributes in top-level metadata", path, inboundBody("x", "Opaque", "t", map[string]any{"metadata": map[string]any{"customAttributes": map[string]string{"a": "b"}}}), 400, "bad.request"},
		{"malformed", path, `{"channel":`, 400, "bad.request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkError(t, e.call("POST", tc.path, tc.body), tc.st, tc.code) })
	}
}

func TestEventsOrderAndReentrancy(t *testing.T) {
	o := New()
	var mu sync.Mutex
	var got []string
	// A runtime-like subscriber that replies from inside the callback.
	o.Subscribe(func(ev Event) {
		mu.Lock()
		got = append(got, string(ev.Type))
		mu.Unlock()
		if ev.Type == EventCustomerMessage {
			if _, err := o.SendOutboundMessage(ev.ConversationID, "echo: "+ev.Message.Text); err != nil {
				t.Error(err)
			}
		}
	})
	c, err := o.StartConversation(StartConversationOptions{Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.SendCustomerMessage(c.ID, "again"); err != nil {
		t.Fatal(err)
	}
	_ = o.DisconnectConversation(c.ID)
	want := []string{"conversation.started", "message.inbound", "message.outbound", "message.inbound", "message.outbound", "conversation.ended"}
	mu.Lock()
	gotCopy := slices.Clone(got)
	mu.Unlock()
	if !slices.Equal(gotCopy, want) {
		t.Fatalf("events %v", gotCopy)
	}
	snap, _ := o.Conversation(c.ID)
	var texts []string
	for _, m := range snap.Messages {
		texts = append(texts, m.Direction+":"+m.Text)
	}
	if strings.Join(texts, "|") != "inbound:hello|outbound:echo: hello|inbound:again|outbound:echo: again" {
		t.Fatalf("transcript %v", texts)
	}
	// Cancelled subscribers get nothing more.
	var n int
	cancel := o.Subscribe(func(Event) { n++ })
	cancel()
	_, _ = o.StartConversation(StartConversationOptions{})
	if n != 0 {
		t.Fatal("cancelled subscriber called")
	}
}

func TestSnapshotsAreCopies(t *testing.T) {
	o := New()
	c, _ := o.StartConversation(StartConversationOptions{CustomAttributes: map[string]string{"a": "1"}})
	c.Customer.Attributes["a"] = "mutated"
	if got, _ := o.Conversation(c.ID); got.Customer.Attributes["a"] != "1" {
		t.Fatal("conversation snapshot aliases state")
	}
	ct := mustContact(t, o, Contact{CellPhone: &PhoneNumber{Display: "+13175550123"}, CustomFields: map[string]any{"k": map[string]any{"x": 1.0}}})
	ct.CellPhone.E164 = "mutated"
	ct.CustomFields["k"].(map[string]any)["x"] = 2.0
	got, _ := o.Contact(ct.ID)
	if got.CellPhone.E164 != "+13175550123" || got.CustomFields["k"].(map[string]any)["x"] != 1.0 {
		t.Fatal("contact snapshot aliases state")
	}
	raw, _ := json.Marshal(got)
	if !strings.Contains(string(raw), `"customFields":{"k":{"x":1}}`) {
		t.Fatalf("json %s", raw)
	}
	if time.Since(got.CreateDate.Time) > time.Minute {
		t.Fatal("createDate")
	}
}

// A channel id claimed on a known contact (the stitching pattern) links the
// sender's next conversation to it, although the Ephemeral contact the first
// conversation made still carries the id; a second claim of the same id by
// another contact is refused and changes nothing.
func TestResolutionHonoursClaimedIdentifier(t *testing.T) {
	o := New()
	src := mustSource(t, o, "OpenMessaging")
	in, err := o.AddOpenIntegration(OpenIntegration{Name: "IR", ExternalSourceID: src.ID, FlowName: "Flow"})
	if err != nil {
		t.Fatal(err)
	}
	jane := mustContact(t, o, Contact{FirstName: "Jane", WorkEmail: "jane@example.com"})
	john := mustContact(t, o, Contact{FirstName: "John", WorkEmail: "john@example.com"})
	from := OpenFrom{ID: "sender-7", IDType: "Opaque"}
	first, err := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: from})
	if err != nil {
		t.Fatal(err)
	}
	if first.Resolution.Outcome != "created" {
		t.Fatalf("first visit: %+v", first.Resolution)
	}
	id := ContactIdentifier{Type: IdentifierExternalID, Value: "sender-7", ExternalSource: &ExternalSource{ID: src.ID}}
	if _, err := o.ClaimIdentifier(jane.ID, IdentifierClaim{Operation: "Claim", Identifier: id}); err != nil {
		t.Fatalf("claim on the known contact: %v", err)
	}
	if _, err := o.ClaimIdentifier(john.ID, IdentifierClaim{Operation: "Claim", Identifier: id}); err == nil || err.(*Error).Status != 409 {
		t.Fatalf("a second claim: %v, want 409", err)
	}
	// Nor can a curated contact's own external id be claimed by another.
	mustContact(t, o, Contact{FirstName: "Ann", ExternalIDs: []ExternalID{{ExternalSource: &ExternalSource{ID: src.ID}, Value: "ann-1"}}})
	annID := ContactIdentifier{Type: IdentifierExternalID, Value: "ann-1", ExternalSource: &ExternalSource{ID: src.ID}}
	if _, err := o.ClaimIdentifier(john.ID, IdentifierClaim{Operation: "Claim", Identifier: annID}); err == nil || err.(*Error).Status != 409 {
		t.Fatalf("claiming a curated contact's external id: %v, want 409", err)
	}
	if err := o.DisconnectConversation(first.ID); err != nil {
		t.Fatal(err)
	}
	next, err := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: from})
	if err != nil {
		t.Fatal(err)
	}
	if next.Resolution.Outcome != "linked" || next.Resolution.ContactID != jane.ID {
		t.Fatalf("next visit: %+v, want linked to Jane %s", next.Resolution, jane.ID)
	}
}
