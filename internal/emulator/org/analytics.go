package org

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// The analytics conversation detail query (api.md 2.4): the one way a test
// harness finds a conversation it started through the guest WebSocket,
// which never tells the guest the conversation id. Only what such a search
// needs is emulated: an interval, dimension predicates on the conversation
// and its participants' sessions, order and paging.
//
// inferred: the sources give the endpoint and the predicate dimensions,
// not the exact semantics; those below follow the public request and
// response models. The emulated org is consistent at once, where the real
// analytics store catches up within seconds, so callers poll either way.

// Analytics query limits. inferred: the platform's paging maximum is 100;
// the interval limit is the emulator's own.
const (
	analyticsDefaultPageSize = 25
	analyticsMaxPageSize     = 100
	analyticsMaxInterval     = 31 * 24 * time.Hour
)

// The query and its answer are the Platform API's models
// (apimodel.AnalyticsQuery, apimodel.AnalyticsResult). Of a predicate, only
// Type "dimension" (the default) is emulated, not property predicates.

// analyticsRow is what predicates see: a conversation and one participant
// (for segment filters) with the derived canonical contact.
type analyticsRow struct {
	c Conversation
	p *Participant
}

// analyticsDims are the dimensions the emulator can filter on, with the
// value each has in a row ("" = absent). Conversation-level dimensions
// ignore the participant.
var analyticsDims = map[string]func(r analyticsRow) string{
	"conversationId":    func(r analyticsRow) string { return r.c.ID },
	"mediaType":         func(analyticsRow) string { return "message" },
	"messageType":       func(r analyticsRow) string { return string(r.c.Channel) },
	"direction":         func(analyticsRow) string { return "inbound" },
	"purpose":           participantDim(func(p *Participant) string { return p.Purpose }),
	"participantId":     participantDim(func(p *Participant) string { return p.ID }),
	"sessionId":         participantDim(func(p *Participant) string { return p.CommunicationID }),
	"externalContactId": participantDim(func(p *Participant) string { return p.ExternalContactID }),
	// inferred: the canonical id is derived for a participant with a
	// contact, as CanonicalContactID is for the conversation.
	"canonicalExternalContactId": func(r analyticsRow) string {
		if r.p == nil || r.p.ExternalContactID == "" {
			return ""
		}
		return r.c.CanonicalContactID
	},
}

// participantDim is a segment dimension: absent for conversation filters.
func participantDim(f func(*Participant) string) func(analyticsRow) string {
	return func(r analyticsRow) string {
		if r.p == nil {
			return ""
		}
		return f(r.p)
	}
}

// QueryConversationDetails answers an analytics conversation detail query
// over the org's conversations. A missing or malformed interval, an unknown
// dimension, operator or filter type, or bad paging is 400: a filter the
// emulator silently ignored would make a search find the wrong
// conversation.
func (o *Org) QueryConversationDetails(q apimodel.AnalyticsQuery) (apimodel.AnalyticsResult, error) {
	start, end, err := parseInterval(q.Interval)
	if err != nil {
		return apimodel.AnalyticsResult{}, err
	}
	if err := checkFilters(q.ConversationFilters, "conversationFilters"); err != nil {
		return apimodel.AnalyticsResult{}, err
	}
	if err := checkFilters(q.SegmentFilters, "segmentFilters"); err != nil {
		return apimodel.AnalyticsResult{}, err
	}
	order := strings.ToLower(q.Order)
	if order != "" && order != "asc" && order != "desc" {
		return apimodel.AnalyticsResult{}, badRequest("order %q must be asc or desc.", q.Order)
	}
	if q.OrderBy != "" && q.OrderBy != "conversationStart" {
		return apimodel.AnalyticsResult{}, badRequest("orderBy %q is not supported by the emulated org (conversationStart is).", q.OrderBy)
	}
	size, page := analyticsDefaultPageSize, 1
	if q.Paging != nil {
		if q.Paging.PageSize < 0 || q.Paging.PageSize > analyticsMaxPageSize || q.Paging.PageNumber < 0 {
			return apimodel.AnalyticsResult{}, badRequest("paging.pageSize must be 1..%d and paging.pageNumber at least 1.", analyticsMaxPageSize)
		}
		if q.Paging.PageSize > 0 {
			size = q.Paging.PageSize
		}
		if q.Paging.PageNumber > 0 {
			page = q.Paging.PageNumber
		}
	}

	var hits []Conversation
	for _, c := range o.Conversations() {
		if c.StartTime.Before(start) || !c.StartTime.Before(end) {
			continue
		}
		if matchAll(q.ConversationFilters, []analyticsRow{{c: c}}) && matchAll(q.SegmentFilters, segmentRows(c)) {
			hits = append(hits, c)
		}
	}
	// Conversations() is in start order already; stable for equal times.
	if order == "desc" {
		slices.Reverse(hits)
	}
	res := apimodel.AnalyticsResult{TotalHits: len(hits)}
	from := min((page-1)*size, len(hits))
	for _, c := range hits[from:min(from+size, len(hits))] {
		res.Conversations = append(res.Conversations, analyticsRecord(c))
	}
	return res, nil
}

func parseInterval(s string) (time.Time, time.Time, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return time.Time{}, time.Time{}, badRequest("interval %q must be two ISO-8601 times separated by /.", s)
	}
	start, err1 := time.Parse(time.RFC3339Nano, a)
	end, err2 := time.Parse(time.RFC3339Nano, b)
	switch {
	case err1 != nil || err2 != nil:
		return time.Time{}, time.Time{}, badRequest("interval %q must be two ISO-8601 times separated by /.", s)
	case !end.After(start):
		return time.Time{}, time.Time{}, badRequest("interval %q ends before it starts.", s)
	case end.Sub(start) > analyticsMaxInterval:
		return time.Time{}, time.Time{}, badRequest("interval %q is longer than the emulated org allows (31 days).", s)
	}
	return start, end, nil
}

func checkFilters(fs []apimodel.AnalyticsFilter, field string) error {
	for _, f := range fs {
		if t := strings.ToLower(f.Type); t != "" && t != "and" && t != "or" {
			return badRequest("%s: filter type %q must be and or or.", field, f.Type)
		}
		for _, p := range f.Predicates {
			if p.Type != "" && p.Type != "dimension" {
				return badRequest("%s: predicate type %q is not supported by the emulated org (dimension is).", field, p.Type)
			}
			if _, ok := analyticsDims[p.Dimension]; !ok {
				return badRequest("%s: dimension %q is not supported by the emulated org.", field, p.Dimension)
			}
			switch p.Operator {
			case "", "matches", "exists", "notExists":
			default:
				return badRequest("%s: operator %q must be matches, exists or notExists.", field, p.Operator)
			}
		}
		if err := checkFilters(f.Clauses, field); err != nil {
			return err
		}
	}
	return nil
}

// segmentRows are a conversation's participant sessions, one row each.
func segmentRows(c Conversation) []analyticsRow {
	return []analyticsRow{{c: c, p: &c.Customer}, {c: c, p: &c.Workflow}}
}

// matchAll reports whether every filter holds for one of the rows (segment
// filters test one session at a time, so one filter's predicates must hold
// together for the same participant).
func matchAll(fs []apimodel.AnalyticsFilter, rows []analyticsRow) bool {
	for _, f := range fs {
		if !slices.ContainsFunc(rows, func(r analyticsRow) bool { return filterHolds(f, r) }) {
			return false
		}
	}
	return true
}

// filterHolds combines the filter's predicates, then its clauses, in order:
// with "and" every one must hold, with "or" one must; an empty "or" holds.
func filterHolds(f apimodel.AnalyticsFilter, r analyticsRow) bool {
	or := strings.EqualFold(f.Type, "or")
	tests := make([]func(analyticsRow) bool, 0, len(f.Predicates)+len(f.Clauses))
	for _, p := range f.Predicates {
		tests = append(tests, func(r analyticsRow) bool { return predicateHolds(p, r) })
	}
	for _, c := range f.Clauses {
		tests = append(tests, func(r analyticsRow) bool { return filterHolds(c, r) })
	}
	for _, t := range tests {
		if t(r) == or {
			return or
		}
	}
	return !or || len(tests) == 0
}

// predicateHolds tests one dimension: Operator "matches" (the default, an
// exact, case-insensitive comparison with Value), "exists" or "notExists".
func predicateHolds(p apimodel.AnalyticsPredicate, r analyticsRow) bool {
	v := analyticsDims[p.Dimension](r)
	switch p.Operator {
	case "exists":
		return v != ""
	case "notExists":
		return v == ""
	}
	return v != "" && strings.EqualFold(v, p.Value)
}

func analyticsRecord(c Conversation) apimodel.AnalyticsConversation {
	out := apimodel.AnalyticsConversation{
		ConversationID: c.ID, ConversationStart: tm(c.StartTime), ConversationEnd: tm(c.EndTime),
		OriginatingDirection: "inbound", DivisionIDs: []string{homeDivision.ID},
	}
	for _, p := range c.Participants() {
		out.Participants = append(out.Participants, apimodel.AnalyticsParticipant{
			ParticipantID: p.ID, ParticipantName: p.Name, Purpose: p.Purpose, ExternalContactID: p.ExternalContactID,
			Sessions: []apimodel.AnalyticsSession{{SessionID: p.CommunicationID, MediaType: "message", MessageType: string(c.Channel), Direction: "inbound"}},
		})
	}
	return out
}

// httpConversationDetails is POST /api/v2/analytics/conversations/details/query.
func (o *Org) httpConversationDetails(_ *http.Request, q apimodel.AnalyticsQuery) (any, error) {
	return o.QueryConversationDetails(q)
}
