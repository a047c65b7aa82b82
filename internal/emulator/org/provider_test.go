package org

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// A body field the SDK model does not define is refused, naming the field,
// as are enum values outside the model's enum: never silently dropped.
func TestProviderCreatesRejectUnknownFieldsAndBadEnums(t *testing.T) {
	e := newEnv(t)
	b := checkError(t, e.call("POST", "/api/v2/routing/queues", map[string]any{"name": "Q", "skillEvaluationMethd": "ALL"}), http.StatusBadRequest, "bad.request")
	if len(b.Details) != 1 || b.Details[0].FieldName != "skillEvaluationMethd" || !strings.Contains(b.Message, "skillEvaluationMethd") {
		t.Errorf("unknown field: %+v", b)
	}
	b = checkError(t, e.call("POST", "/api/v2/routing/queues", map[string]any{"name": "Q", "scoringMethod": "Fastest"}), http.StatusBadRequest, "bad.request")
	if !strings.Contains(b.Message, "scoringMethod") || !strings.Contains(b.Message, "TimestampAndPriority") {
		t.Errorf("bad enum: %+v", b)
	}
	checkError(t, e.call("POST", "/api/v2/oauth/clients", map[string]any{"name": "c"}), http.StatusBadRequest, "bad.request")
	checkError(t, e.call("POST", "/api/v2/oauth/clients", map[string]any{"name": "c", "authorizedGrantType": GrantClientCredentials, "state": "Active"}), http.StatusBadRequest, "bad.request")
	checkError(t, e.call("POST", "/api/v2/integrations", map[string]any{"integrationType": map[string]any{"id": "salesforce"}}), http.StatusBadRequest, "bad.request")
	checkError(t, e.call("POST", "/api/v2/authorization/roles", map[string]any{"name": "r",
		"permissionPolicies": []map[string]any{{"domain": "externalContacts", "entityName": "contact", "actionSet": []string{"fly"}}}}), http.StatusBadRequest, "bad.request")
}

// A queue reads back with every setting it was created with and the
// defaults it was not, so a refresh shows no drift; a second read is equal.
func TestQueueReadsBackWhatWasSent(t *testing.T) {
	e := newEnv(t)
	var q map[string]any
	e.call("POST", "/api/v2/routing/queues", map[string]any{"name": "Q", "acwSettings": map[string]any{"wrapupPrompt": "OPTIONAL", "timeoutMs": 30000},
		"enableTranscription": true}).must(t, http.StatusOK).decode(t, &q)
	var got map[string]any
	e.call("GET", "/api/v2/routing/queues/"+q["id"].(string), nil).must(t, http.StatusOK).decode(t, &got)
	acw, _ := got["acwSettings"].(map[string]any)
	if acw["wrapupPrompt"] != "OPTIONAL" || acw["timeoutMs"] != float64(30000) || got["enableTranscription"] != true ||
		got["scoringMethod"] != "TimestampAndPriority" || got["skillEvaluationMethod"] != "ALL" || path0(got, "division", "id") != homeDivision.ID {
		t.Errorf("queue read: %v", got)
	}
}

func path0(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, _ := v.(map[string]any)
		v = mm[k]
	}
	return v
}

// getFlows with id returns exactly those flows and evaluates nothing else
// (the SDK docs); the default order is by id; unknown and unsupported
// parameters are 400, never a 200 with the filter ignored.
func TestListFlowsFiltersAsDocumented(t *testing.T) {
	e := newEnv(t)
	a, _ := e.org.PublishFlow(Flow{Name: "Alpha", Type: FlowTypeInboundShortMessage})
	b, _ := e.org.PublishFlow(Flow{Name: "Beta", Type: FlowTypeBot})
	var l apimodel.EntityListing[apimodel.Flow]
	e.call("GET", "/api/v2/flows?id="+b.ID+"&name=Alpha&type=inboundshortmessage", nil).must(t, http.StatusOK).decode(t, &l)
	if len(l.Entities) != 1 || l.Entities[0].ID != b.ID {
		t.Errorf("id filter: %+v", l.Entities)
	}
	e.call("GET", "/api/v2/flows", nil).must(t, http.StatusOK).decode(t, &l)
	if len(l.Entities) != 2 || (l.Entities[0].ID > l.Entities[1].ID) || l.PageSize != 25 {
		t.Errorf("default order is by id: %+v", l)
	}
	_ = a
	checkError(t, e.call("GET", "/api/v2/flows?nmae=Alpha", nil), http.StatusBadRequest, "bad.request")
	body := checkError(t, e.call("GET", "/api/v2/flows?lockedBy=someone", nil), http.StatusBadRequest, "bad.request")
	if !strings.Contains(body.Message, "lockedBy") {
		t.Errorf("unsupported parameter not named: %s", body.Message)
	}
	// The Go SDK sends every bool parameter; false filters nothing.
	e.call("GET", "/api/v2/flows?deleted=false&includeSchemas=false&virtualAgentEnabled=false", nil).must(t, http.StatusOK)
}

// The external sources list filters by name (prefix), and refuses a cursor.
func TestListExternalSourcesByName(t *testing.T) {
	e := newEnv(t)
	mustSource(t, e.org, "CRM")
	mustSource(t, e.org, "Billing")
	var l struct {
		Entities []ExternalSource `json:"entities"`
	}
	e.call("GET", "/api/v2/externalcontacts/externalsources?name=crm&active=false&limit=0", nil).must(t, http.StatusOK).decode(t, &l)
	if len(l.Entities) != 1 || l.Entities[0].Name != "CRM" {
		t.Errorf("name filter: %+v", l.Entities)
	}
	checkError(t, e.call("GET", "/api/v2/externalcontacts/externalsources?cursor=abc", nil), http.StatusBadRequest, "bad.request")
}

// Every API response carries the documented rate-limit headers.
func TestRateLimitHeaders(t *testing.T) {
	e := newEnv(t)
	r := e.call("GET", "/api/v2/organizations/me", nil).must(t, http.StatusOK)
	for _, h := range []string{HeaderRateLimitAllowed, HeaderRateLimitCount, HeaderRateLimitReset} {
		if r.header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
}

// A fault added over the admin path shapes the next matching call (429 with
// Retry-After), is listed, and goes when deleted; admin paths are never
// themselves faulted.
func TestAdminFaults(t *testing.T) {
	e := newEnv(t)
	var f adminFault
	e.call("POST", "/emulator/faults", map[string]any{"endpoint": "/**", "status": 429, "retryAfterMs": 1500}).must(t, http.StatusCreated).decode(t, &f)
	r := e.call("GET", "/api/v2/organizations/me", nil)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "2" {
		t.Errorf("faulted call: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	var l struct {
		Entities []adminFault `json:"entities"`
	}
	e.call("GET", "/emulator/faults", nil).must(t, http.StatusOK).decode(t, &l)
	if len(l.Entities) != 1 || l.Entities[0].ID != f.ID {
		t.Errorf("listed faults: %+v", l.Entities)
	}
	e.call("DELETE", "/emulator/faults/"+itoa(int(f.ID)), nil).must(t, http.StatusNoContent)
	e.call("GET", "/api/v2/organizations/me", nil).must(t, http.StatusOK)

	// Latency: the call is slowed, then processed.
	e.call("POST", "/emulator/faults", map[string]any{"endpoint": "GET /api/v2/organizations/me", "latencyMs": 50, "times": 1}).must(t, http.StatusCreated)
	start := time.Now()
	e.call("GET", "/api/v2/organizations/me", nil).must(t, http.StatusOK)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("latency fault took %v", d)
	}
	checkError(t, e.call("POST", "/emulator/faults", map[string]any{"endpoint": "no-slash"}), http.StatusBadRequest, "bad.request")
}

// Without a flow runtime attached an Architect job fails with a message,
// never a silent success.
func TestFlowJobWithoutRuntimeFails(t *testing.T) {
	e := newEnv(t)
	var job struct {
		ID           string            `json:"id"`
		PresignedURL string            `json:"presignedUrl"`
		Headers      map[string]string `json:"headers"`
	}
	e.call("POST", "/api/v2/flows/jobs", nil).must(t, http.StatusOK).decode(t, &job)
	req, _ := http.NewRequest(http.MethodPut, job.PresignedURL, strings.NewReader("inboundShortMessage:\n  name: X\n"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var st struct {
		Status   string `json:"status"`
		Messages []struct {
			Text string `json:"text"`
		} `json:"messages"`
	}
	e.call("GET", "/api/v2/flows/jobs/"+job.ID+"?expand=messages", nil).must(t, http.StatusOK).decode(t, &st)
	if resp.StatusCode != 200 || st.Status != JobFailure || len(st.Messages) == 0 {
		t.Errorf("upload %d, job %+v", resp.StatusCode, st)
	}
	checkError(t, e.call("GET", "/api/v2/flows/jobs/"+job.ID+"?expand=flow", nil), http.StatusBadRequest, "bad.request")
}

// The provider sets a client inactive before deleting it; an inactive
// client gets no token ("Access tokens cannot be created with inactive
// clients"), and the state reads back in the lower case the provider uses.
func TestInactiveOAuthClientGetsNoToken(t *testing.T) {
	e := newEnv(t)
	c, err := e.org.CreateOAuthClient(OAuthClient{Name: "data actions"})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	if status, _, _ := tokenRequest(t, e, form, c.ID, c.Secret); status != http.StatusOK {
		t.Fatalf("active client: %d", status)
	}
	var got apimodel.OAuthClient
	e.call("PUT", "/api/v2/oauth/clients/"+c.ID, map[string]any{"name": "data actions", "authorizedGrantType": GrantClientCredentials,
		"state": OAuthStateInactive, "accessTokenValiditySeconds": 86400}).must(t, http.StatusOK).decode(t, &got)
	if got.State != "inactive" || got.AccessTokenValiditySeconds != 86400 {
		t.Errorf("after PUT: %+v", got)
	}
	if status, _, _ := tokenRequest(t, e, form, c.ID, c.Secret); status != http.StatusUnauthorized {
		t.Errorf("inactive client got a token: %d", status)
	}
}

// data.genesyscloud_user finds a user by email (cache hydration reads name
// and email; the search is EXACT), and the queue's members are added,
// listed with their ring number, and removed as the provider does it.
func TestUsersAndQueueMembers(t *testing.T) {
	e := newEnv(t)
	var u apiUser
	e.call("POST", "/emulator/users", map[string]any{"name": "Agent One", "email": "agent.one@example.com"}).must(t, http.StatusCreated).decode(t, &u)
	var l apimodel.EntityListing[apiUser]
	e.call("GET", "/api/v2/users?pageSize=100&pageNumber=1", nil).must(t, http.StatusOK).decode(t, &l)
	if len(l.Entities) != 1 || l.Entities[0].Email != "agent.one@example.com" || l.Entities[0].Name != "Agent One" {
		t.Errorf("users: %+v", l.Entities)
	}
	var found struct {
		Total   int       `json:"total"`
		Results []apiUser `json:"results"`
	}
	e.call("POST", "/api/v2/users/search", map[string]any{"sortBy": "email", "sortOrder": "ASC",
		"query": []map[string]any{{"type": "EXACT", "fields": []string{"email"}, "value": "Agent.One@example.com"}}}).must(t, http.StatusOK).decode(t, &found)
	if found.Total != 1 || found.Results[0].ID != u.ID {
		t.Errorf("search: %+v", found)
	}
	checkError(t, e.call("POST", "/api/v2/users/search", map[string]any{"query": []map[string]any{{"type": "CONTAINS", "fields": []string{"email"}, "value": "agent"}}}), http.StatusBadRequest, "bad.request")

	var q map[string]any
	e.call("POST", "/api/v2/routing/queues", map[string]any{"name": "Q"}).must(t, http.StatusOK).decode(t, &q)
	qid := q["id"].(string)
	e.call("POST", "/api/v2/routing/queues/"+qid+"/members", []map[string]any{{"id": u.ID}}).must(t, http.StatusNoContent)
	e.call("PATCH", "/api/v2/routing/queues/"+qid+"/members/"+u.ID, map[string]any{"ringNumber": 3}).must(t, http.StatusAccepted)
	var ms struct {
		Entities []struct {
			ID         string `json:"id"`
			RingNumber int    `json:"ringNumber"`
		} `json:"entities"`
	}
	e.call("GET", "/api/v2/routing/queues/"+qid+"/members?pageSize=100&pageNumber=1&memberBy=user", nil).must(t, http.StatusOK).decode(t, &ms)
	if len(ms.Entities) != 1 || ms.Entities[0].ID != u.ID || ms.Entities[0].RingNumber != 3 {
		t.Errorf("members: %+v", ms.Entities)
	}
	e.call("GET", "/api/v2/routing/queues/"+qid+"/members?memberBy=group", nil).must(t, http.StatusOK).decode(t, &ms)
	if len(ms.Entities) != 0 {
		t.Errorf("group members: %+v", ms.Entities)
	}
	e.call("POST", "/api/v2/routing/queues/"+qid+"/members?delete=true", []map[string]any{{"id": u.ID}}).must(t, http.StatusNoContent)
	e.call("GET", "/api/v2/routing/queues/"+qid+"/members", nil).must(t, http.StatusOK).decode(t, &ms)
	if len(ms.Entities) != 0 {
		t.Errorf("members after delete: %+v", ms.Entities)
	}
	checkError(t, e.call("POST", "/api/v2/routing/queues/"+qid+"/members", []map[string]any{{"id": "nobody"}}), http.StatusBadRequest, "bad.request")
}

// PATCH of a data action needs the current version (409 otherwise, which
// the provider retries on) and bumps it.
func TestPatchActionIsVersioned(t *testing.T) {
	e := newEnv(t)
	in, err := e.org.CreateIntegration(Integration{Name: "DA"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.org.CreateDataAction(DataAction{Name: "Lookup", IntegrationID: in.ID,
		Config:   fmtda.Config{Request: fmtda.Request{RequestType: "GET", RequestURLTemplate: "/api/v2/x"}},
		Contract: fmtda.Contract{Input: fmtda.ContractInput{InputSchema: []byte(`{"type":"object"}`)}, Output: fmtda.ContractOutput{SuccessSchema: []byte(`{"type":"object"}`)}}})
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"name": "Lookup v2", "category": "DA", "version": a.Version,
		"config": map[string]any{"request": map[string]any{"requestType": "GET", "requestUrlTemplate": "/api/v2/y"}, "response": map[string]any{}}}
	var got apimodel.Action
	e.call("PATCH", "/api/v2/integrations/actions/"+a.ID, body).must(t, http.StatusOK).decode(t, &got)
	if got.Name != "Lookup v2" || got.Version != a.Version+1 || got.Config == nil || got.Config.Request.RequestURLTemplate != "/api/v2/y" {
		t.Errorf("after PATCH: %+v", got)
	}
	checkError(t, e.call("PATCH", "/api/v2/integrations/actions/"+a.ID, body), http.StatusConflict, "conflict")
}
