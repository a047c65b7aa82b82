package org

import (
	"net/http"
	"slices"
	"strings"
)

// Routing queues as genesyscloud/routing_queue (v1.82.0) creates and reads
// them: POST /api/v2/routing/queues with a CreateQueueRequest, GET
// …/queues/{id}, …/wrapupcodes and …/members on every refresh. The queue's
// settings are echoed back as sent, over the defaults below, so a second
// plan shows no drift.

// queueDefaults are the settings a queue has when the request leaves them
// out. inferred: the platform's own defaults are not published field by
// field; these are the defaults the provider's schema sends
// (resource_genesyscloud_routing_queue_schema.go at v1.82.0: acw_wrapup_prompt
// MANDATORY_TIMEOUT, skill_evaluation_method ALL, scoring_method
// TimestampAndPriority, auto_answer_only true, enable_transcription false,
// suppress_in_queue_call_recording true, enable_manual_assignment false), so
// an SDK client and the provider read the same queue.
func queueDefaults() map[string]any {
	return map[string]any{
		"mediaSettings":                map[string]any{},
		"routingRules":                 []any{},
		"acwSettings":                  map[string]any{"wrapupPrompt": "MANDATORY_TIMEOUT"},
		"skillEvaluationMethod":        "ALL",
		"scoringMethod":                "TimestampAndPriority",
		"lastAgentRoutingMode":         "Disabled",
		"autoAnswerOnly":               true,
		"enableTranscription":          false,
		"enableAudioMonitoring":        false,
		"enableManualAssignment":       false,
		"suppressInQueueCallRecording": true,
		"memberGroups":                 []any{},
	}
}

// queueComputed are the fields the org sets; a client's values are ignored.
var queueComputed = []string{"id", "name", "division", "description", "dateCreated", "dateModified", "modifiedBy", "createdBy",
	"memberCount", "userMemberCount", "joinedMemberCount", "selfUri"}

func decodeQueue(w http.ResponseWriter, r *http.Request) (Queue, map[string]any, error) {
	m, err := decodeModel(w, r, "CreateQueueRequest", fieldsQueue)
	if err != nil {
		return Queue{}, nil, err
	}
	// Enums of CreateQueueRequest (Platform API reference, routing queues).
	if v := str(m, "scoringMethod"); v != "" {
		if err := oneOf("scoringMethod", v, "TimestampAndPriority", "PriorityOnly"); err != nil {
			return Queue{}, nil, err
		}
	}
	if v := str(m, "skillEvaluationMethod"); v != "" {
		if err := oneOf("skillEvaluationMethod", v, "NONE", "BEST", "ALL"); err != nil {
			return Queue{}, nil, err
		}
	}
	if acw, ok := m["acwSettings"].(map[string]any); ok {
		if v := str(acw, "wrapupPrompt"); v != "" {
			if err := oneOf("acwSettings.wrapupPrompt", v, "MANDATORY", "OPTIONAL", "MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT", "AGENT_REQUESTED"); err != nil {
				return Queue{}, nil, err
			}
		}
	}
	q := Queue{Name: str(m, "name"), Description: str(m, "description"), DivisionID: refID(m, "division")}
	for _, k := range queueComputed {
		delete(m, k)
	}
	return q, m, nil
}

func queueID(q Queue) string { return q.ID }

func (o *Org) createQueue(_ *http.Request, in Queue) (Queue, error) { return o.CreateQueue(in) }

// putQueue replaces the path's queue's name, description and division under
// the same rules as a create.
func (o *Org) putQueue(r *http.Request, in Queue) (Queue, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return Queue{}, err
	}
	id := r.PathValue("queueId")
	return updateObject(o, o.objects.queues, "Queue", id, func(q *Queue) error {
		d, err := o.divisionLocked("division.id", in.DivisionID)
		if err != nil {
			return err
		}
		for _, x := range o.objects.queues {
			if x.ID != id && strings.EqualFold(x.Name, name) {
				err = conflict("Queue", x.ID, "A queue named %s already exists.", quote(name))
			}
		}
		if err == nil {
			q.Name, q.Description, q.DivisionID, q.DateModified = name, in.Description, d.ID, o.stamp()
		}
		return err
	}, (*Queue).clone)
}

// renderQueueDoc is the Queue model: defaults, then the settings as sent,
// then the org's own fields.
func (o *Org) renderQueueDoc(q Queue) map[string]any {
	out := queueDefaults()
	for k, v := range o.prov.doc(q.ID) {
		out[k] = v
	}
	base := o.renderQueue(q)
	out["id"], out["name"], out["division"] = base.ID, base.Name, base.Division
	out["description"] = base.Description
	out["dateCreated"], out["dateModified"] = base.DateCreated, base.DateModified
	out["memberCount"], out["userMemberCount"], out["joinedMemberCount"] = base.MemberCount, base.MemberCount, base.JoinedMemberCount
	out["selfUri"] = base.SelfURI
	return out
}

// httpListQueues is GET /api/v2/routing/queues (QueueEntityListing;
// RoutingApi.GetRoutingQueues: name, id, divisionId, sortOrder, plus peerId,
// cannedResponseLibraryId, hasPeer and expand, which the emulator cannot
// apply). name matches exactly, case-insensitively, or as a prefix with a
// trailing "*" (inferred from the documented wildcard support).
func (o *Org) httpListQueues(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"name", "id", "divisionId", "sortOrder"},
		[]string{"peerId", "cannedResponseLibraryId", "hasPeer", "expand"}); err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := optionalOneOf(r, "sortOrder", "asc", "desc", "score"); err != nil {
		return nil, err
	}
	name, ids, divs := strings.ToLower(q.Get("name")), values(r, "id"), values(r, "divisionId")
	o.mu.RLock()
	var match []Queue
	for _, x := range o.objects.queues {
		n := strings.ToLower(x.Name)
		switch {
		case name != "" && !(n == name || strings.HasSuffix(name, "*") && strings.HasPrefix(n, strings.TrimSuffix(name, "*"))),
			len(ids) > 0 && !slices.Contains(ids, x.ID),
			len(divs) > 0 && !slices.Contains(divs, x.DivisionID):
			continue
		}
		match = append(match, x.clone())
	}
	o.mu.RUnlock()
	match = sortedByName(match, func(q Queue) string { return q.Name }, func(q Queue) string { return q.ID })
	if q.Get("sortOrder") == "desc" {
		slices.Reverse(match)
	}
	out := make([]map[string]any, 0, len(match))
	for _, x := range match {
		out = append(out, o.renderQueueDoc(x))
	}
	return page(r, out, 500, "/api/v2/routing/queues")
}

// httpQueueWrapupCodes is GET …/queues/{id}/wrapupcodes (WrapupCodeEntityListing).
// The emulator models no wrap-up codes, so the list is empty.
func (o *Org) httpQueueWrapupCodes(_ http.ResponseWriter, r *http.Request) (any, error) {
	if _, err := o.Queue(r.PathValue("queueId")); err != nil {
		return nil, err
	}
	if err := listQuery(r, []string{"name"}, nil); err != nil {
		return nil, err
	}
	return page(r, []Ref{}, 100, "/api/v2/routing/queues/"+r.PathValue("queueId")+"/wrapupcodes")
}

// httpQueueMembers is GET …/queues/{id}/members (QueueMemberEntityListing).
// Filters the emulator cannot apply (it has no presence or skills) are
// refused.
func (o *Org) httpQueueMembers(_ http.ResponseWriter, r *http.Request) (any, error) {
	q, err := o.Queue(r.PathValue("queueId"))
	if err != nil {
		return nil, err
	}
	if err := listQuery(r, []string{"sortOrder", "expand", "memberBy"},
		[]string{"name", "profileSkills", "skills", "languages", "routingStatus", "presence", "joined"}); err != nil {
		return nil, err
	}
	if err := optionalOneOf(r, "memberBy", "user", "group"); err != nil {
		return nil, err
	}
	by := r.URL.Query().Get("memberBy")
	type member struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		User       Ref    `json:"user"`
		RingNumber int    `json:"ringNumber"`
		Joined     bool   `json:"joined"`
		MemberBy   string `json:"memberBy"`
		SelfURI    string `json:"selfUri"`
	}
	out := []member{}
	if by == "group" {
		// The emulated org has no groups, so no member joined through one.
		q.MemberIDs = nil
	}
	for _, id := range q.MemberIDs {
		name := ""
		if u, err := o.User(id); err == nil {
			name = u.Name
		}
		out = append(out, member{ID: id, Name: name, User: Ref{ID: id, Name: name, SelfURI: "/api/v2/users/" + id},
			RingNumber: o.prov.ring(q.ID, id), MemberBy: "user", SelfURI: "/api/v2/users/" + id})
	}
	return page(r, out, 100, "/api/v2/routing/queues/"+q.ID+"/members")
}

// Queues lists every queue in creation order.
func (o *Org) Queues() []Queue {
	return listObjects(o, o.objects.queues, (*Queue).clone)
}
