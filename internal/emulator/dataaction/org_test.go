package dataaction

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
)

// Fixtures in the UI export format, written for these tests.

const lookupActionJSON = `{
  "name": "Lookup Contact By Identifier",
  "integrationType": "purecloud-data-actions",
  "actionType": "custom",
  "config": {
    "request": {
      "requestUrlTemplate": "/api/v2/externalcontacts/identifierlookup",
      "requestType": "POST",
      "headers": {"UserAgent": "PureCloudIntegrations/1.0"},
      "requestTemplate": "${input.rawRequest}"
    },
    "response": {"translationMap": {}, "translationMapDefaults": {}, "successTemplate": "${rawResult}"}
  },
  "contract": {
    "input": {"inputSchema": {
      "type": "object", "required": ["type", "value"],
      "properties": {
        "type": {"type": "string", "enum": ["Phone", "Email", "Cookie"]},
        "value": {"type": "string"}
      },
      "additionalProperties": true
    }},
    "output": {"successSchema": {
      "type": "object",
      "properties": {"id": {"type": "string"}, "firstName": {"type": "string"}, "lastName": {"type": "string"}},
      "additionalProperties": true
    }}
  },
  "secure": false
}`

// conversationActionJSON reproduces the blueprint's "Get External Contact Id
// for Customer Participant v2", swapped outputs included.
const conversationActionJSON = `{
  "name": "Conversation Participant Contacts",
  "integrationType": "purecloud-data-actions",
  "actionType": "custom",
  "config": {
    "request": {
      "requestUrlTemplate": "/api/v2/conversations/${input.conversationId}",
      "requestType": "GET",
      "headers": {},
      "requestTemplate": "${input.rawRequest}"
    },
    "response": {
      "translationMap": {
        "customerIdArray": "$.participants[?(@.purpose ==\"customer\")].externalContactId",
        "externalIdArray": "$.participants[?(@.purpose ==\"external\")].externalContactId"
      },
      "translationMapDefaults": {"customerIdArray": "[\"\"]", "externalIdArray": "[\"\"]"},
      "successTemplate": "{\"externalContactId_external\": ${successTemplateUtils.firstFromArray(\"${customerIdArray}\", \"$esc.quote$esc.quote\")}, \"externalContactId_customer\": ${successTemplateUtils.firstFromArray(\"${externalIdArray}\", \"$esc.quote$esc.quote\")}}"
    }
  },
  "contract": {
    "input": {"inputSchema": {"type": "object", "properties": {"conversationId": {"type": "string"}}, "additionalProperties": true}},
    "output": {"successSchema": {"type": "object", "properties": {
      "externalContactId_external": {"type": "string"},
      "externalContactId_customer": {"type": "string"}
    }, "additionalProperties": true}}
  },
  "secure": false
}`

func parseAction(t testing.TB, s string) *fmtda.Action {
	t.Helper()
	a, err := fmtda.Parse([]byte(s))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return a
}

// action builds an action fixture from its moving parts.
func action(name, method, url, body string, tm, defaults map[string]string, success, inSchema, outSchema string) *fmtda.Action {
	return &fmtda.Action{
		Name: name, IntegrationType: fmtda.IntegrationType, ActionType: "custom",
		Config: fmtda.Config{
			Request:  fmtda.Request{RequestURLTemplate: url, RequestType: method, Headers: map[string]string{}, RequestTemplate: body},
			Response: fmtda.Response{TranslationMap: tm, TranslationMapDefaults: defaults, SuccessTemplate: success},
		},
		Contract: fmtda.Contract{
			Input:  fmtda.ContractInput{InputSchema: json.RawMessage(inSchema)},
			Output: fmtda.ContractOutput{SuccessSchema: json.RawMessage(outSchema)},
		},
	}
}

const anyObject = `{"type": "object", "additionalProperties": true}`

// request is what the fake org saw.
type request struct {
	Method, Path, Body, ContentType, Auth, Correlation string
}

// fakeOrg is a minimal emulated org: an OAuth token endpoint and the API
// paths the fixtures call.
type fakeOrg struct {
	t         testing.TB
	srv       *httptest.Server
	mux       *http.ServeMux
	tokenHits atomic.Int32
	apiHits   atomic.Int32

	mu       sync.Mutex
	valid    map[string]bool
	requests []request
}

const (
	testClientID     = "client-123"
	testClientSecret = "s3cr3t-value-never-logged"
)

func newFakeOrg(t testing.TB) *fakeOrg {
	o := &fakeOrg{t: t, valid: map[string]bool{"static-token": true}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", o.token)
	mux.HandleFunc("/api/v2/", o.api)
	o.mux = mux
	o.srv = httptest.NewServer(mux)
	t.Cleanup(o.srv.Close)
	return o
}

func (o *fakeOrg) token(w http.ResponseWriter, r *http.Request) {
	n := o.tokenHits.Add(1)
	id, secret, ok := r.BasicAuth()
	_ = r.ParseForm()
	if !ok || id != testClientID || secret != testClientSecret || r.PostForm.Get("grant_type") != "client_credentials" ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"invalid_client","error_description":"client %s / %s rejected"}`, id, secret)
		return
	}
	tok := fmt.Sprintf("tok-%d", n)
	o.mu.Lock()
	o.valid[tok] = true
	o.mu.Unlock()
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":86399}`, tok)
}

// revokeAll makes every issued token invalid, as an org restart would.
func (o *fakeOrg) revokeAll() {
	o.mu.Lock()
	o.valid = map[string]bool{}
	o.mu.Unlock()
}

func (o *fakeOrg) seen() []request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]request(nil), o.requests...)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func (o *fakeOrg) api(w http.ResponseWriter, r *http.Request) {
	o.apiHits.Add(1)
	body, _ := io.ReadAll(r.Body)
	o.mu.Lock()
	o.requests = append(o.requests, request{r.Method, r.URL.RequestURI(), string(body), r.Header.Get("Content-Type"),
		r.Header.Get("Authorization"), r.Header.Get("inin-correlation-id")})
	ok := o.valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	o.mu.Unlock()
	if !ok {
		writeJSON(w, 401, `{"message":"Invalid login credentials.","code":"bad.credentials","status":401}`)
		return
	}
	switch {
	case r.Method == "POST" && r.URL.Path == "/api/v2/externalcontacts/identifierlookup":
		var q struct{ Type, Value string }
		if json.Unmarshal(body, &q) != nil {
			writeJSON(w, 400, `{"message":"bad body","code":"bad.request","status":400}`)
			return
		}
		if q.Type == "Email" && q.Value == "jane@example.com" {
			writeJSON(w, 200, `{"id":"c-42","firstName":"Jane","lastName":"Doe","workEmail":"jane@example.com","type":"Curated"}`)
			return
		}
		writeJSON(w, 404, `{"message":"Contact not found","code":"not.found","status":404,"contextId":"upstream-ctx","details":[],"errors":[]}`)
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/api/v2/conversations/"):
		switch strings.TrimPrefix(r.URL.Path, "/api/v2/conversations/") {
		case "conv-both":
			writeJSON(w, 200, `{"id":"conv-both","participants":[
				{"id":"p1","purpose":"customer","externalContactId":"E1"},
				{"id":"p2","purpose":"agent"},
				{"id":"p3","purpose":"external","externalContactId":"X9"}]}`)
		case "conv-customer":
			writeJSON(w, 200, `{"id":"conv-customer","participants":[
				{"id":"p1","purpose":"customer","externalContactId":"E1"},{"id":"p2","purpose":"agent"}]}`)
		case "conv-none":
			writeJSON(w, 200, `{"id":"conv-none","participants":[{"id":"p1","purpose":"customer"}]}`)
		default:
			writeJSON(w, 404, `{"message":"conversation not found","code":"not.found","status":404}`)
		}
	case r.URL.Path == "/api/v2/touch":
		w.WriteHeader(http.StatusNoContent)
	case r.URL.Path == "/api/v2/echo":
		// Returns the request body as the "received" JSON value.
		writeJSON(w, 200, `{"received":`+string(body)+`,"query":`+mustJSON(r.URL.RawQuery)+`}`)
	case r.URL.Path == "/api/v2/html":
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html>maintenance</html>")
	case r.URL.Path == "/api/v2/slow":
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		writeJSON(w, 200, `{}`)
	case r.URL.Path == "/api/v2/doc":
		writeJSON(w, 200, `{"id":"d1","n":null,"count":7,"address":{"city":"Paris","zip":"75001"},
			"tags":["a","b"],"entities":[{"id":"e1","name":"One"},{"id":"e2"}],"big":123456789012345678901234567890}`)
	default:
		writeJSON(w, 404, `{"message":"no route","code":"not.found","status":404}`)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func newRuntime(t testing.TB, o *fakeOrg, ts TokenSource, opts *Options) *Runtime {
	t.Helper()
	if opts == nil {
		opts = &Options{}
	}
	if opts.NewCorrelationID == nil {
		opts.NewCorrelationID = func() string { return "corr-1" }
	}
	r, err := New(o.srv.URL, ts, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
