package org

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

func TestAnalyticsConversationDetailQuery(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := now
	e := newEnv(t, WithClock(func() time.Time { return clock }))
	start := func(ch Channel) Conversation {
		t.Helper()
		clock = clock.Add(time.Minute)
		c, err := e.org.StartConversation(StartConversationOptions{Channel: ch, Text: "Hi", From: OpenFrom{ID: "u-1"}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	web1, open, web2 := start(ChannelWebMessaging), start(ChannelOpen), start(ChannelWebMessaging)
	jane := mustContact(t, e.org, Contact{WorkEmail: "jane@example.com"})
	if _, err := e.org.MergeContacts([]string{web2.Customer.ExternalContactID, jane.ID}, nil); err != nil {
		t.Fatal(err)
	}
	head, _ := e.org.CanonicalID(jane.ID)

	query := func(q map[string]any) apimodel.AnalyticsResult {
		t.Helper()
		var res apimodel.AnalyticsResult
		e.call(http.MethodPost, "/api/v2/analytics/conversations/details/query", q).must(t, http.StatusOK).decode(t, &res)
		return res
	}
	ids := func(r apimodel.AnalyticsResult) []string {
		var out []string
		for _, c := range r.Conversations {
			out = append(out, c.ConversationID)
		}
		return out
	}
	interval := now.Format(time.RFC3339) + "/" + now.Add(time.Hour).Format(time.RFC3339)
	webFilter := []map[string]any{{"type": "and", "predicates": []map[string]any{
		{"type": "dimension", "dimension": "mediaType", "value": "message"},
		{"dimension": "messageType", "value": "webmessaging"},
	}}}

	// Recent web-messaging conversations, newest first: what a harness asks.
	res := query(map[string]any{"interval": interval, "order": "desc", "orderBy": "conversationStart", "segmentFilters": webFilter})
	if got := ids(res); !slices.Equal(got, []string{web2.ID, web1.ID}) || res.TotalHits != 2 {
		t.Fatalf("web conversations newest first: %v (%d hits)", got, res.TotalHits)
	}
	c := res.Conversations[0]
	if len(c.Participants) != 2 || c.Participants[0].Purpose != apimodel.PurposeCustomer || c.Participants[0].Sessions[0].MessageType != "webmessaging" ||
		c.Participants[0].ExternalContactID != web2.Customer.ExternalContactID || !c.ConversationStart.Equal(web2.StartTime) {
		t.Errorf("record %+v", c)
	}

	// Paging, the interval bound, and the derived canonical contact.
	if got := ids(query(map[string]any{"interval": interval, "paging": map[string]int{"pageSize": 1, "pageNumber": 2}})); !slices.Equal(got, []string{open.ID}) {
		t.Errorf("page 2 of 1: %v", got)
	}
	later := now.Add(2*time.Minute).Format(time.RFC3339) + "/" + now.Add(time.Hour).Format(time.RFC3339)
	if got := ids(query(map[string]any{"interval": later})); !slices.Equal(got, []string{open.ID, web2.ID}) {
		t.Errorf("from the second conversation on: %v", got)
	}
	canon := []map[string]any{{"predicates": []map[string]any{{"dimension": "canonicalExternalContactId", "value": head}}}}
	if got := ids(query(map[string]any{"interval": interval, "segmentFilters": canon})); !slices.Equal(got, []string{web2.ID}) {
		t.Errorf("by canonical contact: %v", got)
	}
	either := []map[string]any{{"type": "or", "predicates": []map[string]any{
		{"dimension": "conversationId", "value": web1.ID}, {"dimension": "conversationId", "value": open.ID},
	}}}
	if got := ids(query(map[string]any{"interval": interval, "conversationFilters": either})); !slices.Equal(got, []string{web1.ID, open.ID}) {
		t.Errorf("or filter: %v", got)
	}
	if res := query(map[string]any{"interval": "2020-01-01T00:00:00Z/2020-01-02T00:00:00Z"}); res.TotalHits != 0 || res.Conversations != nil {
		t.Errorf("empty interval: %+v", res)
	}

	// Anything the emulator would have to ignore is refused.
	for name, q := range map[string]map[string]any{
		"no interval":       {},
		"reversed interval": {"interval": now.Add(time.Hour).Format(time.RFC3339) + "/" + now.Format(time.RFC3339)},
		"unknown dimension": {"interval": interval, "segmentFilters": []map[string]any{{"predicates": []map[string]any{{"dimension": "wrapUpCode", "value": "x"}}}}},
		"property":          {"interval": interval, "segmentFilters": []map[string]any{{"predicates": []map[string]any{{"type": "property", "dimension": "mediaType"}}}}},
		"page size":         {"interval": interval, "paging": map[string]int{"pageSize": 1000}},
	} {
		t.Run(name, func(t *testing.T) {
			checkError(t, e.call(http.MethodPost, "/api/v2/analytics/conversations/details/query", q), http.StatusBadRequest, "bad.request")
		})
	}
}
