package dataaction

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLookupSuccess(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	res := rt.Execute(context.Background(), parseAction(t, lookupActionJSON),
		map[string]any{"type": "Email", "value": "jane@example.com"})

	if res.Outcome != Success {
		t.Fatalf("outcome %v: %s", res.Outcome, res.Trace.FailureReason)
	}
	want := map[string]any{"id": "c-42", "firstName": "Jane", "lastName": "Doe"}
	if !reflect.DeepEqual(res.Outputs, want) {
		t.Errorf("outputs %v, want %v (additional properties are not outputs)", res.Outputs, want)
	}
	if body := res.Body.(map[string]any); body["workEmail"] != "jane@example.com" {
		t.Errorf("/execute body lost an additional property: %v", body)
	}
	reqs := o.seen()
	if len(reqs) != 1 {
		t.Fatalf("org saw %d requests", len(reqs))
	}
	got := reqs[0]
	if got.Method != "POST" || got.Path != "/api/v2/externalcontacts/identifierlookup" ||
		got.Body != `{"type":"Email","value":"jane@example.com"}` || got.ContentType != "application/json" ||
		got.Auth != "Bearer static-token" || got.Correlation != "corr-1" {
		t.Errorf("upstream request %+v", got)
	}
	tr := res.Trace
	if tr.Method != "POST" || tr.Path != "/api/v2/externalcontacts/identifierlookup" || tr.Status != 200 ||
		tr.Attempts != 1 || tr.Latency <= 0 || tr.RequestBody != got.Body || !strings.Contains(tr.SuccessJSON, `"id":"c-42"`) {
		t.Errorf("trace %+v", tr)
	}
	status, body := res.ExecuteResponse(false)
	if status != 200 || !strings.Contains(string(body), `"workEmail":"jane@example.com"`) {
		t.Errorf("/execute: %d %s", status, body)
	}
	tst := res.TestResult(false)
	if !tst.Success || len(tst.Operations) != 6 || tst.Error != nil {
		t.Errorf("/test: %+v", tst)
	}
	for i, op := range tst.Operations {
		if op.Step != i+1 || !op.Success {
			t.Errorf("/test operation %d: %+v", i, op)
		}
	}
}

func TestLookupNotFoundFailureOutputs(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	res := rt.Execute(context.Background(), parseAction(t, lookupActionJSON),
		map[string]any{"type": "Email", "value": "nobody@example.com"})

	if res.Outcome != Failure {
		t.Fatalf("outcome %v", res.Outcome)
	}
	keys := make([]string, 0, len(res.Outputs))
	for k := range res.Outputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	wantKeys := append([]string(nil), FailureOutputKeys...)
	sort.Strings(wantKeys)
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Fatalf("failure output keys %v", keys)
	}
	out := res.Outputs
	if out["status"] != 404 || out["errorCode"] != "not.found" || out["details.errorCode"] != CategoryRemoteEndpoint ||
		out["correlationId"] != "corr-1" {
		t.Errorf("failure outputs %v", out)
	}
	msg, _ := out["userMessage"].(string)
	if !strings.Contains(msg, "Request to backend service failed. Response from web service: ") ||
		!strings.Contains(msg, `"message":"Contact not found"`) {
		t.Errorf("userMessage %q", msg)
	}
	for _, k := range []string{"entityId", "entityName", "userParamsMessage", "userParams.key", "details.fieldName"} {
		if out[k] != nil {
			t.Errorf("%s should be NOT_SET, got %v", k, out[k])
		}
	}

	status, body := res.ExecuteResponse(false)
	var eb map[string]any
	if err := json.Unmarshal(body, &eb); err != nil || status != 404 {
		t.Fatalf("/execute %d %s", status, body)
	}
	details := eb["details"].([]any)
	nested := eb["errors"].([]any)
	if eb["code"] != "not.found" || eb["status"] != 404.0 || eb["contextId"] != "corr-1" ||
		details[0].(map[string]any)["errorCode"] != CategoryRemoteEndpoint || len(nested) != 1 ||
		!strings.HasPrefix(nested[0].(map[string]any)["message"].(string), "REST call for action execute failed. Message: ") ||
		nested[0].(map[string]any)["code"] != "NOT_FOUND" {
		t.Errorf("/execute error body %s", body)
	}
	if res.Trace.Status != 404 || !strings.Contains(res.Trace.FailureReason, "404") {
		t.Errorf("trace %+v", res.Trace)
	}
	if tst := res.TestResult(false); tst.Success || tst.Error == nil || tst.Operations[len(tst.Operations)-1].Success {
		t.Errorf("/test %+v", tst)
	}
}

func TestConversationFirstFromArray(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := parseAction(t, conversationActionJSON)
	tests := []struct {
		conv               string
		external, customer string
	}{
		// The blueprint's template swaps the names: "_external" gets the
		// customer participant's id. Rendered faithfully.
		{"conv-both", "E1", "X9"},
		// No external participant: the filter gives [], a value, so the
		// default is not used and firstFromArray falls back to "".
		{"conv-customer", "E1", ""},
		// A customer participant without externalContactId: [] as well.
		{"conv-none", "", ""},
	}
	for _, tc := range tests {
		res := rt.Execute(context.Background(), a, map[string]any{"conversationId": tc.conv})
		if res.Outcome != Success {
			t.Fatalf("%s: %v %s", tc.conv, res.Outcome, res.Trace.FailureReason)
		}
		want := map[string]any{"externalContactId_external": tc.external, "externalContactId_customer": tc.customer}
		if !reflect.DeepEqual(res.Outputs, want) {
			t.Errorf("%s: outputs %v, want %v", tc.conv, res.Outputs, want)
		}
	}
	// GET ignores requestTemplate: no body went out even though it is ${input.rawRequest}.
	for _, r := range o.seen() {
		if r.Method != "GET" || r.Body != "" {
			t.Errorf("GET sent %s with body %q", r.Method, r.Body)
		}
	}
	res := rt.Execute(context.Background(), a, map[string]any{"conversationId": "gone"})
	if res.Outcome != Failure || res.Outputs["status"] != 404 || res.Trace.Path != "/api/v2/conversations/gone" {
		t.Errorf("unknown conversation: %v %v", res.Outcome, res.Outputs)
	}
}

func TestNoContentWithConstantTemplate(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := action("Touch", "DELETE", "/api/v2/touch", "", nil, nil, `{"done": true}`, anyObject,
		`{"type":"object","properties":{"done":{"type":"boolean"}}}`)
	res := rt.Execute(context.Background(), a, nil)
	if res.Outcome != Success || res.Outputs["done"] != true || res.Trace.Status != 204 {
		t.Fatalf("%v %v %+v", res.Outcome, res.Outputs, res.Trace)
	}
	// With the default template the empty body is the empty object.
	a2 := action("Touch raw", "POST", "/api/v2/touch", "{}", nil, nil, "", anyObject, anyObject)
	res = rt.Execute(context.Background(), a2, nil)
	if res.Outcome != Success || res.Trace.SuccessJSON != "{}" {
		t.Fatalf("%v %+v", res.Outcome, res.Trace)
	}
}

func TestJSONStringEscapingReachesUpstreamIntact(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := action("Echo", "POST", "/api/v2/echo?q=$esc.url(${input.note})",
		`{"note": "$esc.jsonString(${input.note})", "again": "$esc.jsonEncode($input.note)"}`,
		map[string]string{"note": "$.received.note", "again": "$.received.again", "query": "$.query"}, nil,
		`{"note": ${note}, "again": ${again}, "query": ${query}}`,
		`{"type":"object","required":["note"],"properties":{"note":{"type":"string"}}}`,
		`{"type":"object","properties":{"note":{"type":"string"},"again":{"type":"string"},"query":{"type":"string"}}}`)
	note := "She said \"hi\"\nthen left\\ — naïve café 😀 </script> \t&"
	res := rt.Execute(context.Background(), a, map[string]any{"note": note})
	if res.Outcome != Success {
		t.Fatalf("%v: %s", res.Outcome, res.Trace.FailureReason)
	}
	if res.Outputs["note"] != note || res.Outputs["again"] != note {
		t.Errorf("round trip:\n got %q / %q\nwant %q", res.Outputs["note"], res.Outputs["again"], note)
	}
	sent := o.seen()[0]
	if !strings.Contains(sent.Body, `\"hi\"\n`) || !strings.Contains(sent.Body, `\uD83D\uDE00`) {
		t.Errorf("jsonString body: %s", sent.Body)
	}
	if q := res.Outputs["query"].(string); !strings.HasPrefix(q, "q=She+said+%22hi%22%0Athen") {
		t.Errorf("query %q", q)
	}
}

func TestInputSchemaMismatch(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := parseAction(t, lookupActionJSON)
	for name, in := range map[string]map[string]any{
		"missing required": {"type": "Email"},
		"not in enum":      {"type": "Fax", "value": "1"},
		"wrong type":       {"type": "Email", "value": 42},
		"unset required":   {"type": "Email", "value": nil},
	} {
		res := rt.Execute(context.Background(), a, in)
		if res.Outcome != Failure || res.Outputs["status"] != 400 || res.Outputs["details.errorCode"] != CategoryProcessing ||
			!strings.Contains(res.Outputs["userMessage"].(string), "input schema") {
			t.Errorf("%s: %v %v", name, res.Outcome, res.Outputs)
		}
	}
	if n := o.apiHits.Load(); n != 0 {
		t.Errorf("invalid input reached the org %d times", n)
	}
}

func TestOutputSchemaMismatch(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := action("Doc count as string", "GET", "/api/v2/doc", "", map[string]string{"count": "$.count"}, nil,
		`{"count": ${count}}`, anyObject, `{"type":"object","properties":{"count":{"type":"string"}}}`)
	res := rt.Execute(context.Background(), a, nil)
	if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryProcessing || res.Outputs["status"] != 500 ||
		res.Trace.Status != 200 || !strings.Contains(res.Trace.FailureReason, "success schema") {
		t.Fatalf("%v %v %+v", res.Outcome, res.Outputs, res.Trace)
	}
	// A template that renders something other than JSON fails the same way.
	a2 := action("Not JSON", "GET", "/api/v2/doc", "", nil, nil, `{"id": $rawResult.id}`, anyObject, anyObject)
	res = rt.Execute(context.Background(), a2, nil)
	if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryProcessing ||
		!strings.Contains(res.Trace.FailureReason, "valid JSON") {
		t.Fatalf("%v %v", res.Outcome, res.Trace.FailureReason)
	}
}

func TestTimeout(t *testing.T) {
	o := newFakeOrg(t)
	slow := action("Slow", "GET", "/api/v2/slow", "", nil, nil, "", anyObject, anyObject)

	// The runtime default applies when the action sets no timeoutSeconds.
	rt := newRuntime(t, o, StaticToken("static-token"), &Options{DefaultTimeout: 150 * time.Millisecond})
	start := time.Now()
	res := rt.Execute(context.Background(), slow, nil)
	if res.Outcome != Timeout || res.Outputs != nil || res.Error.Status != 504 || res.Error.Category() != CategoryRemoteEndpoint {
		t.Fatalf("%v %v %+v", res.Outcome, res.Outputs, res.Error)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("timeout took %s", d)
	}
	if !strings.Contains(res.Trace.FailureReason, "150ms") {
		t.Errorf("reason %q", res.Trace.FailureReason)
	}

	// The caller's deadline also bounds the call, even with a long action timeout.
	slow.Config.TimeoutSeconds = 60
	rt2 := newRuntime(t, o, StaticToken("static-token"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res = rt2.Execute(ctx, slow, nil)
	if res.Outcome != Timeout || !strings.Contains(res.Trace.FailureReason, "caller's deadline") {
		t.Fatalf("%v %q", res.Outcome, res.Trace.FailureReason)
	}
	if status, _ := res.ExecuteResponse(false); status != 504 {
		t.Errorf("/execute status %d", status)
	}
}

func TestActionTimeoutSecondsIsCapped(t *testing.T) {
	for _, tc := range []struct {
		seconds int
		want    time.Duration
	}{{0, 0}, {5, 5 * time.Second}, {60, time.Minute}, {3600, time.Minute}} {
		a := action("x", "GET", "/api/v2/doc", "", nil, nil, "", anyObject, anyObject)
		a.Config.TimeoutSeconds = tc.seconds
		if got := compile(a).timeout; got != tc.want {
			t.Errorf("timeoutSeconds %d: %s, want %s", tc.seconds, got, tc.want)
		}
	}
}

func TestNonJSONSuccessFails(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	res := rt.Execute(context.Background(), action("Html", "GET", "/api/v2/html", "", nil, nil, "", anyObject, anyObject), nil)
	if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryRemoteEndpoint || res.Trace.Status != 200 ||
		!strings.Contains(res.Outputs["userMessage"].(string), "not valid JSON") {
		t.Fatalf("%v %v", res.Outcome, res.Outputs)
	}
}

func TestTranslationMapSemantics(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	tm := map[string]string{
		"id":       "$.id",                           // definite, present
		"n":        "$.n",                            // definite, null: a value, no default
		"missing":  "$.nothing.here",                 // definite, absent: default
		"none":     "$.entities[?(@.id == 'zz')].id", // filter, no match: [] (no default)
		"ids":      "$.entities[*].id",               // wildcard
		"names":    "$..name",                        // deep scan
		"first":    "$.entities[0].id",               // definite index
		"big":      "$.big",                          // integer beyond int64 keeps its digits
		"sevenish": "$.entities[?(@.id == 'e1')].name",
	}
	defaults := map[string]string{"n": `"default-n"`, "missing": `"fallback"`, "none": `["default-none"]`}
	a := action("Doc", "GET", "/api/v2/doc", "", tm, defaults,
		`{"id": ${id}, "n": ${n}, "missing": ${missing}, "none": ${none}, "ids": ${ids}, "names": ${names}, "first": ${first}, "big": ${big}, "one": ${sevenish}}`,
		anyObject, anyObject)
	res := rt.Execute(context.Background(), a, nil)
	if res.Outcome != Success {
		t.Fatalf("%v %s", res.Outcome, res.Trace.FailureReason)
	}
	want := `{"id":"d1","n":null,"missing":"fallback","none":[],"ids":["e1","e2"],"names":["One"],"first":"e1","big":123456789012345678901234567890,"one":["One"]}`
	if res.Trace.SuccessJSON != want {
		t.Errorf("success JSON\n got %s\nwant %s", res.Trace.SuccessJSON, want)
	}

	// A definite path that resolves nothing, with no default, fails.
	a2 := action("Doc strict", "GET", "/api/v2/doc", "", map[string]string{"x": "$.nothing"}, nil, `{"x": ${x}}`, anyObject, anyObject)
	res = rt.Execute(context.Background(), a2, nil)
	if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryProcessing ||
		!strings.Contains(res.Trace.FailureReason, "translationMap[x]") {
		t.Errorf("%v %q", res.Outcome, res.Trace.FailureReason)
	}
}

func TestFlattenedOutputs(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	schema := `{"type":"object","properties":{
		"id":{"type":"string"},
		"n":{"type":["string","null"]},
		"absent":{"type":"string"},
		"address":{"type":"object","properties":{"city":{"type":"string"}}},
		"tags":{"type":"array","items":{"type":"string"}},
		"entities":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"}}}}
	},"additionalProperties":true}`
	a := action("Doc raw", "GET", "/api/v2/doc", "", nil, nil, "${rawResult}", anyObject, schema)
	res := rt.Execute(context.Background(), a, nil)
	if res.Outcome != Success {
		t.Fatalf("%v %s", res.Outcome, res.Trace.FailureReason)
	}
	want := map[string]any{
		"id":            "d1",
		"address.city":  "Paris",
		"tags":          []any{"a", "b"},
		"entities.id":   []any{"e1", "e2"},
		"entities.name": []any{"One", nil},
	}
	if !reflect.DeepEqual(res.Outputs, want) {
		t.Errorf("outputs\n got %#v\nwant %#v", res.Outputs, want)
	}
	// /execute?flatten=true flattens everything, undeclared properties included.
	_, body := res.ExecuteResponse(true)
	var flat map[string]any
	if err := json.Unmarshal(body, &flat); err != nil {
		t.Fatal(err)
	}
	if flat["address.zip"] != "75001" || flat["count"] != 7.0 || flat["entities.id"] == nil {
		t.Errorf("flattened /execute body %s", body)
	}
}

func TestFlattenedInputs(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := action("Echo", "POST", "/api/v2/echo", "${input.rawRequest}", nil, nil, "${rawResult}",
		`{"type":"object","required":["address"],"properties":{
			"address":{"type":"object","required":["city"],"properties":{"city":{"type":"string"},"zip":{"type":"string"}}},
			"legacy.name":{"type":"string"},
			"count":{"type":"integer"}}}`, anyObject)
	res := rt.Execute(context.Background(), a, map[string]any{
		"address.city": "Paris", "address.zip": nil, "legacy.name": "kept", "count": 3, "note": nil,
	})
	if res.Outcome != Success {
		t.Fatalf("%v %s", res.Outcome, res.Trace.FailureReason)
	}
	if got := o.seen()[0].Body; got != `{"address":{"city":"Paris"},"count":3,"legacy.name":"kept"}` {
		t.Errorf("rawRequest %s", got)
	}
	res = rt.Execute(context.Background(), a, map[string]any{"address": "x", "address.city": "Paris"})
	if res.Outcome != Failure || res.Outputs["status"] != 400 {
		t.Errorf("conflicting inputs: %v %v", res.Outcome, res.Outputs)
	}
}

func TestTemplateErrorsFailBeforeTheCall(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	for name, a := range map[string]*struct {
		url, body, reason string
	}{
		"unknown tool":   {"/api/v2/doc?x=$math.add(1, 2)", "", "unknown tool $math"},
		"unknown method": {"/api/v2/echo", `{"a": "$esc.html($input.a)"}`, "unknown method $esc.html"},
		"directive":      {"/api/v2/echo", `#foreach($x in $input.list)$x#end`, "#foreach is not supported"},
		"absolute url":   {"http://elsewhere.example/steal", "", "not a path relative"},
		"raw space":      {"/api/v2/doc?q=${input.a}", "", "invalid URL path"},
	} {
		act := action(name, "POST", a.url, a.body, nil, nil, "", anyObject, anyObject)
		res := rt.Execute(context.Background(), act, map[string]any{"a": "two words"})
		if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryProcessing ||
			!strings.Contains(res.Trace.FailureReason, a.reason) {
			t.Errorf("%s: %v %q", name, res.Outcome, res.Trace.FailureReason)
		}
	}
	if n := o.apiHits.Load(); n != 0 {
		t.Errorf("broken templates reached the org %d times", n)
	}
	// GET never renders requestTemplate, so a broken one does not matter.
	a := action("Get with junk template", "GET", "/api/v2/doc", "#foreach(", nil, nil, "", anyObject, anyObject)
	if res := rt.Execute(context.Background(), a, nil); res.Outcome != Success {
		t.Errorf("GET with broken requestTemplate: %s", res.Trace.FailureReason)
	}
}

func TestEditedActionIsRecompiled(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := action("Doc", "GET", "/api/v2/doc", "", map[string]string{"v": "$.id"}, nil, `{"v": ${v}}`, anyObject, anyObject)
	if res := rt.Execute(context.Background(), a, nil); res.Trace.SuccessJSON != `{"v":"d1"}` {
		t.Fatalf("first: %+v", res.Trace)
	}
	a.Config.Response.TranslationMap["v"] = "$.address.city"
	if res := rt.Execute(context.Background(), a, nil); res.Trace.SuccessJSON != `{"v":"Paris"}` {
		t.Fatalf("after edit: %+v", res.Trace)
	}
}

func TestClientCredentialsCachesToken(t *testing.T) {
	o := newFakeOrg(t)
	cc := &ClientCredentials{TokenURL: o.srv.URL + "/oauth/token", ClientID: testClientID, ClientSecret: testClientSecret}
	rt := newRuntime(t, o, cc, nil)
	a := parseAction(t, lookupActionJSON)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var traces []string
	for i := 0; i < 25; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := rt.Execute(context.Background(), a, map[string]any{"type": "Email", "value": "jane@example.com"})
			if res.Outcome != Success {
				t.Errorf("%v %s", res.Outcome, res.Trace.FailureReason)
			}
			mu.Lock()
			traces = append(traces, res.Trace.String())
			mu.Unlock()
		}()
	}
	wg.Wait()
	if n := o.tokenHits.Load(); n != 1 {
		t.Errorf("token endpoint hit %d times for 25 concurrent calls", n)
	}
	for _, tr := range traces {
		if strings.Contains(tr, "tok-") || strings.Contains(tr, testClientSecret) {
			t.Errorf("trace leaks a credential: %s", tr)
		}
	}

	// The org forgets its tokens: the next call gets a 401, fetches a new
	// token and retries once, transparently.
	o.revokeAll()
	res := rt.Execute(context.Background(), a, map[string]any{"type": "Email", "value": "jane@example.com"})
	if res.Outcome != Success || res.Trace.Attempts != 2 || o.tokenHits.Load() != 2 {
		t.Fatalf("after revoke: %v attempts=%d tokenHits=%d %s", res.Outcome, res.Trace.Attempts, o.tokenHits.Load(), res.Trace.FailureReason)
	}
}

func TestUpstream401IsAuthenticationFailure(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("not-a-valid-token"), nil)
	res := rt.Execute(context.Background(), parseAction(t, lookupActionJSON), map[string]any{"type": "Email", "value": "jane@example.com"})
	if res.Outcome != Failure || res.Outputs["status"] != 401 || res.Outputs["errorCode"] != "bad.credentials" ||
		res.Outputs["details.errorCode"] != CategoryAuthentication || res.Trace.Attempts != 1 {
		t.Fatalf("%v %v attempts=%d", res.Outcome, res.Outputs, res.Trace.Attempts)
	}
}

func TestBadClientCredentials(t *testing.T) {
	o := newFakeOrg(t)
	cc := &ClientCredentials{TokenURL: o.srv.URL + "/oauth/token", ClientID: testClientID, ClientSecret: "wrong-" + testClientSecret}
	rt := newRuntime(t, o, cc, nil)
	res := rt.Execute(context.Background(), parseAction(t, lookupActionJSON), map[string]any{"type": "Email", "value": "jane@example.com"})
	if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryAuthentication || res.Outputs["status"] != 401 {
		t.Fatalf("%v %v", res.Outcome, res.Outputs)
	}
	_, body := res.ExecuteResponse(false)
	for _, s := range []string{string(body), res.Trace.String(), res.Trace.FailureReason} {
		if strings.Contains(s, testClientSecret) {
			t.Errorf("secret leaked: %s", s)
		}
	}
	if !strings.Contains(res.Trace.FailureReason, "invalid_client") {
		t.Errorf("reason should carry the OAuth error code: %q", res.Trace.FailureReason)
	}
	if o.apiHits.Load() != 0 {
		t.Error("the org API was called without a token")
	}
	// Failed token requests are not cached: each call tries again.
	rt.Execute(context.Background(), parseAction(t, lookupActionJSON), map[string]any{"type": "Email", "value": "jane@example.com"})
	if o.tokenHits.Load() != 2 {
		t.Errorf("token hits %d", o.tokenHits.Load())
	}
}

func TestClientCredentialsRefreshesBeforeExpiry(t *testing.T) {
	var hits int
	var mu sync.Mutex
	o := newFakeOrg(t)
	o.mux.HandleFunc("POST /oauth/short", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		// A 1 s lifetime is refreshed 100 ms early: after 950 ms a new token is due.
		writeJSON(w, 200, `{"access_token":"short","expires_in":1}`)
	})
	cc := &ClientCredentials{TokenURL: o.srv.URL + "/oauth/short", ClientID: "a", ClientSecret: "b"}
	for i := 0; i < 3; i++ {
		if tok, err := cc.Token(context.Background()); err != nil || tok != "short" {
			t.Fatal(tok, err)
		}
	}
	time.Sleep(950 * time.Millisecond)
	if _, err := cc.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 2 {
		t.Errorf("token endpoint hit %d times, want 2 (one cached, one refresh)", hits)
	}
}

func TestTokenWaitHonoursContext(t *testing.T) {
	block := make(chan struct{})
	o := newFakeOrg(t)
	o.mux.HandleFunc("POST /oauth/slow", func(w http.ResponseWriter, r *http.Request) {
		<-block
		writeJSON(w, 200, `{"access_token":"late","expires_in":3600}`)
	})
	defer close(block)
	cc := &ClientCredentials{TokenURL: o.srv.URL + "/oauth/slow", ClientID: "a", ClientSecret: "b"}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := cc.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestNewValidatesBaseURL(t *testing.T) {
	for _, u := range []string{"", "api.mypurecloud.com", "ftp://x", "http://x/?a=1"} {
		if _, err := New(u, StaticToken("t"), nil); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	if _, err := New("http://x", nil, nil); err == nil {
		t.Error("nil token source accepted")
	}
}

func TestInvalidActionDefinition(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	for name, a := range map[string]*struct{ method, url, tm, schema string }{
		"method":   {"FETCH", "/api/v2/doc", "$.id", anyObject},
		"jsonpath": {"GET", "/api/v2/doc", "$.[[[", anyObject},
		"schema":   {"GET", "/api/v2/doc", "$.id", `{"type": 12}`},
		"url":      {"GET", "", "$.id", anyObject},
	} {
		act := action(name, a.method, a.url, "", map[string]string{"v": a.tm}, nil, "", a.schema, anyObject)
		res := rt.Execute(context.Background(), act, nil)
		if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryProcessing ||
			!strings.Contains(res.Trace.FailureReason, "action definition is invalid") {
			t.Errorf("%s: %v %q", name, res.Outcome, res.Trace.FailureReason)
		}
	}
}

func TestConcurrentMixedActions(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	lookup, conv := parseAction(t, lookupActionJSON), parseAction(t, conversationActionJSON)
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				if g%2 == 0 {
					res := rt.Execute(context.Background(), conv, map[string]any{"conversationId": "conv-both"})
					if res.Outputs["externalContactId_customer"] != "X9" {
						t.Errorf("conversation: %v %s", res.Outputs, res.Trace.FailureReason)
						return
					}
				} else {
					res := rt.Execute(context.Background(), lookup, map[string]any{"type": "Email", "value": "nobody@example.com"})
					if res.Outcome != Failure || res.Outputs["status"] != 404 {
						t.Errorf("lookup: %v %v", res.Outcome, res.Outputs)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestUnreachableOrgAndCancel(t *testing.T) {
	rt, err := New("http://127.0.0.1:1", StaticToken("t"), nil)
	if err != nil {
		t.Fatal(err)
	}
	a := action("Doc", "GET", "/api/v2/doc", "", nil, nil, "", anyObject, anyObject)
	res := rt.Execute(context.Background(), a, nil)
	if res.Outcome != Failure || res.Outputs["details.errorCode"] != CategoryRemoteEndpoint || res.Trace.Status != 0 {
		t.Errorf("unreachable: %v %v", res.Outcome, res.Outputs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res = rt.Execute(ctx, a, nil)
	if res.Outcome != Failure || !strings.Contains(res.Trace.FailureReason, "canceled") {
		t.Errorf("canceled: %v %q", res.Outcome, res.Trace.FailureReason)
	}
}

func TestSecureActionTraceIsRedacted(t *testing.T) {
	o := newFakeOrg(t)
	rt := newRuntime(t, o, StaticToken("static-token"), nil)
	a := parseAction(t, lookupActionJSON)
	a.Secure = true
	for _, value := range []string{"jane@example.com", "nobody@example.com"} {
		res := rt.Execute(context.Background(), a, map[string]any{"type": "Email", "value": value})
		if s := res.Trace.String(); strings.Contains(s, "example.com") || strings.Contains(s, "Jane") {
			t.Errorf("secure trace shows data: %s", s)
		}
		if res.Trace.Path != "/api/v2/externalcontacts/identifierlookup" || res.Trace.Status == 0 {
			t.Errorf("secure trace lost its shape: %+v", res.Trace)
		}
	}
}
