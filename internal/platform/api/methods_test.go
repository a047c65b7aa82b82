package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// TestTypedMethods checks each typed call sends the documented request and
// decodes the fields the harness asserts on.
func TestTypedMethods(t *testing.T) {
	type result = any
	tests := []struct {
		name       string
		call       func(ctx context.Context, c *Client) (result, error)
		method     string
		uri        string // path and query as received
		body       string // expected JSON body, "" for none
		response   string
		check      func(t *testing.T, r result)
		noResponse bool
	}{
		{
			name: "create contact",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.CreateExternalContact(ctx, apimodel.ExternalContact{FirstName: "Jane", LastName: "Doe", WorkEmail: "jane@example.com"})
			},
			method:   "POST",
			uri:      "/api/v2/externalcontacts/contacts",
			body:     `{"firstName":"Jane","lastName":"Doe","workEmail":"jane@example.com"}`,
			response: `{"id":"c1","firstName":"Jane","workEmail":"jane@example.com","type":"Curated","createDate":"2025-01-10T12:00:00.000Z"}`,
			check: func(t *testing.T, r result) {
				c := r.(*apimodel.ExternalContact)
				if c.ID != "c1" || c.Type != contract.ContactCurated || c.CreateDate.Year() != 2025 {
					t.Errorf("contact = %+v", c)
				}
			},
		},
		{
			name: "get contact with expand",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.GetExternalContact(ctx, "c 1", "identifiers", "division")
			},
			method:   "GET",
			uri:      "/api/v2/externalcontacts/contacts/c%201?expand=identifiers%2Cdivision",
			response: `{"id":"c1","mergeSet":[{"id":"e1"},{"id":"c1"}],"canonicalContact":{"id":"c1"},"identifiers":[{"type":"Email","value":"jane@example.com"}]}`,
			check: func(t *testing.T, r result) {
				c := r.(*apimodel.ExternalContact)
				if !c.InMergeSet("e1") || c.InMergeSet("zz") || c.CanonicalContact.ID != "c1" || c.Identifiers[0].Type != contract.IdentifierEmail {
					t.Errorf("contact = %+v", c)
				}
			},
		},
		{
			name:     "get unresolved contact",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetUnresolvedExternalContact(ctx, "e1") },
			method:   "GET",
			uri:      "/api/v2/externalcontacts/contacts/e1/unresolved",
			response: `{"id":"e1","type":"Ephemeral","mergedTo":{"id":"c1"}}`,
			check: func(t *testing.T, r result) {
				if c := r.(*apimodel.ExternalContact); c.MergedTo == nil || c.MergedTo.ID != "c1" {
					t.Errorf("contact = %+v", c)
				}
			},
		},
		{
			name:       "delete contact",
			call:       func(ctx context.Context, c *Client) (result, error) { return nil, c.DeleteExternalContact(ctx, "c1") },
			method:     "DELETE",
			uri:        "/api/v2/externalcontacts/contacts/c1",
			noResponse: true,
		},
		{
			name: "identifier lookup (current endpoint)",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.LookupContact(ctx, apimodel.ContactIdentifier{Type: contract.IdentifierEmail, Value: "jane@example.com"})
			},
			method:   "POST",
			uri:      "/api/v2/externalcontacts/identifierlookup/contacts",
			body:     `{"type":"Email","value":"jane@example.com"}`,
			response: `{"id":"c1"}`,
		},
		{
			name: "identifier lookup (deprecated endpoint the blueprint uses)",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.LookupContactLegacy(ctx, apimodel.ContactIdentifier{Type: contract.IdentifierExternalID, Value: "x", ExternalSource: &apimodel.ExternalSource{ID: "src"}})
			},
			method:   "POST",
			uri:      "/api/v2/externalcontacts/identifierlookup",
			body:     `{"type":"ExternalId","value":"x","externalSource":{"id":"src"}}`,
			response: `{"id":"c1"}`,
		},
		{
			name:   "get conversation",
			call:   func(ctx context.Context, c *Client) (result, error) { return c.GetConversation(ctx, "conv1") },
			method: "GET",
			uri:    "/api/v2/conversations/conv1",
			response: `{"id":"conv1","participants":[
				{"id":"p0","purpose":"workflow","attributes":{}},
				{"id":"p1","purpose":"customer","externalContactId":"e1","attributes":{"testRunId":"run-1"},
				 "messages":[{"id":"m1","state":"connected","direction":"inbound","type":"webmessaging"}]}]}`,
			check: func(t *testing.T, r result) {
				conv := r.(*apimodel.Conversation)
				cust := conv.Customer()
				if cust == nil || cust.ExternalContactID != "e1" || cust.Attributes["testRunId"] != "run-1" || cust.Messages[0].Type != "webmessaging" {
					t.Errorf("customer = %+v", cust)
				}
				if n := len(conv.ParticipantsByPurpose(apimodel.PurposeWorkflow)); n != 1 {
					t.Errorf("%d workflow participants", n)
				}
			},
		},
		{
			name:     "get flow",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetFlow(ctx, "f1") },
			method:   "GET",
			uri:      "/api/v2/flows/f1",
			response: `{"id":"f1","name":"IR Flow","type":"INBOUNDSHORTMESSAGE","publishedVersion":{"id":"3.0","datePublished":"2026-01-08T10:00:00.000Z"},"lockedClient":{"id":"oc1"}}`,
			check: func(t *testing.T, r result) {
				f := r.(*apimodel.Flow)
				if !f.Published() || f.PublishedVersion.ID != "3.0" || !f.Locked() {
					t.Errorf("flow = %+v", f)
				}
			},
		},
		{
			name: "list flows",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.ListFlows(ctx, FlowQuery{Name: "IR Flow", Type: "inboundshortmessage"})
			},
			method:   "GET",
			uri:      "/api/v2/flows?name=IR+Flow&type=inboundshortmessage",
			response: `{"entities":[{"id":"f1","name":"IR Flow","type":"INBOUNDSHORTMESSAGE"}],"total":1}`,
			check: func(t *testing.T, r result) {
				if l := r.(*apimodel.EntityListing[apimodel.Flow]); len(l.Entities) != 1 || l.Entities[0].Published() {
					t.Errorf("listing = %+v", l)
				}
			},
		},
		{
			name:     "get integration",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetIntegration(ctx, "i1") },
			method:   "GET",
			uri:      "/api/v2/integrations/i1",
			response: `{"id":"i1","name":"GC Data Actions","integrationType":{"id":"purecloud-data-actions"},"intendedState":"ENABLED","reportedState":{"code":"ACTIVE"},"config":{"current":{"credentials":{"basicAuth":{"id":"cred1"}}}}}`,
			check: func(t *testing.T, r result) {
				i := r.(*apimodel.Integration)
				if i.IntendedState != "ENABLED" || i.ReportedState.Code != "ACTIVE" || i.IntegrationType.ID != "purecloud-data-actions" || i.Config.Current.Credentials["basicAuth"].ID != "cred1" {
					t.Errorf("integration = %+v", i)
				}
			},
		},
		{
			name:   "get action",
			call:   func(ctx context.Context, c *Client) (result, error) { return c.GetAction(ctx, "custom_-_abc") },
			method: "GET",
			uri:    "/api/v2/integrations/actions/custom_-_abc?includeConfig=true&expand=contract",
			response: `{"id":"custom_-_abc","name":"Fetch External Contact by Identifier","integrationId":"i1","version":2,
				"config":{"request":{"requestUrlTemplate":"/api/v2/externalcontacts/identifierlookup","requestType":"POST","requestTemplate":"${input.rawRequest}"},
				          "response":{"successTemplate":"${rawResult}"}},
				"contract":{"input":{"inputSchema":{"type":"object"}},"output":{"successSchema":{"type":"object"}}}}`,
			check: func(t *testing.T, r result) {
				a := r.(*apimodel.Action)
				if a.Config.Request.RequestURLTemplate != "/api/v2/externalcontacts/identifierlookup" || a.Config.Response.SuccessTemplate != "${rawResult}" || string(a.Contract.Input.InputSchema) != `{"type":"object"}` {
					t.Errorf("action = %+v", a)
				}
			},
		},
		{
			name: "test action",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.TestAction(ctx, "a1", map[string]string{"type": "Email", "value": "nobody@example.com"})
			},
			method:   "POST",
			uri:      "/api/v2/integrations/actions/a1/test",
			body:     `{"type":"Email","value":"nobody@example.com"}`,
			response: `{"operations":[{"step":1,"name":"Execute","success":false,"error":{"status":404,"code":"not.found"}}],"error":{"status":404,"code":"not.found","message":"no contact"},"success":false}`,
			check: func(t *testing.T, r result) {
				res := r.(*TestExecutionResult)
				if res.Success || res.Error.Status != 404 || res.Operations[0].Error.Code != "not.found" {
					t.Errorf("result = %+v", res)
				}
			},
		},
		{
			name:     "get queue",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetQueue(ctx, "q1") },
			method:   "GET",
			uri:      "/api/v2/routing/queues/q1",
			response: `{"id":"q1","name":"IR Queue","division":{"id":"d1","name":"Home"}}`,
		},
		{
			name:     "get web deployment",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetWebDeployment(ctx, "wd1") },
			method:   "GET",
			uri:      "/api/v2/webdeployments/deployments/wd1",
			response: `{"id":"wd1","status":"Active","flow":{"id":"f1","name":"IR Flow"},"configuration":{"id":"cfg1","version":"4"},"allowAllDomains":true}`,
			check: func(t *testing.T, r result) {
				d := r.(*apimodel.WebDeployment)
				if d.Status != "Active" || d.Flow.ID != "f1" || d.Configuration.Version != "4" || !d.AllowAllDomains {
					t.Errorf("deployment = %+v", d)
				}
			},
		},
		{
			name: "get web deployment identity resolution",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.GetWebDeploymentIdentityResolution(ctx, "wd1")
			},
			method:   "GET",
			uri:      "/api/v2/webdeployments/deployments/wd1/identityresolution",
			response: `{"resolveIdentities":true,"automerge":{"authenticatedWebMessaging":true,"webTracking":false}}`,
			check: func(t *testing.T, r result) {
				if c := r.(*apimodel.IdentityResolutionConfig); !c.ResolveIdentities || !c.Automerge.AuthenticatedWebMessaging {
					t.Errorf("config = %+v", c)
				}
			},
		},
		{
			name: "set web deployment identity resolution",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.SetWebDeploymentIdentityResolution(ctx, "wd1", apimodel.IdentityResolutionConfig{ResolveIdentities: false, Automerge: &apimodel.Automerge{}})
			},
			method:   "PUT",
			uri:      "/api/v2/webdeployments/deployments/wd1/identityresolution",
			body:     `{"resolveIdentities":false,"automerge":{"authenticatedWebMessaging":false,"webTracking":false}}`,
			response: `{"resolveIdentities":false}`,
		},
		{
			name:     "get open integration",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetOpenIntegration(ctx, "om1") },
			method:   "GET",
			uri:      "/api/v2/conversations/messaging/integrations/open/om1",
			response: `{"id":"om1","createStatus":"Completed","recipient":{"id":"om1"},"outboundNotificationWebhookSignatureSecretToken":"webhook-secret-xyz"}`,
			check: func(t *testing.T, r result) {
				o := r.(*apimodel.OpenIntegration)
				if o.CreateStatus != "Completed" || o.Recipient.ID != "om1" {
					t.Errorf("integration = %+v", o)
				}
				if b, _ := json.Marshal(o); strings.Contains(string(b), "webhook-secret-xyz") {
					t.Errorf("webhook secret kept in the model: %s", b)
				}
			},
		},
		{
			name: "set open identity resolution",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.SetOpenIdentityResolution(ctx, "om1", apimodel.IdentityResolutionConfig{ResolveIdentities: true, ExternalSource: &apimodel.ExternalSource{ID: "src1"}})
			},
			method:   "PUT",
			uri:      "/api/v2/conversations/messaging/identityresolution/integrations/open/om1",
			body:     `{"resolveIdentities":true,"externalSource":{"id":"src1"}}`,
			response: `{"resolveIdentities":true,"externalSource":{"id":"src1"}}`,
		},
		{
			name:     "get open identity resolution",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetOpenIdentityResolution(ctx, "om1") },
			method:   "GET",
			uri:      "/api/v2/conversations/messaging/identityresolution/integrations/open/om1",
			response: `{"resolveIdentities":true}`,
		},
		{
			name:     "get message recipient",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetMessageRecipient(ctx, "om1") },
			method:   "GET",
			uri:      "/api/v2/routing/message/recipients/om1",
			response: `{"id":"om1","name":"IR test integration","flow":{"id":"f1","name":"IR Flow"},"messengerType":"open"}`,
			check: func(t *testing.T, r result) {
				if rc := r.(*apimodel.Recipient); rc.Flow.ID != "f1" || rc.MessengerType != "open" {
					t.Errorf("recipient = %+v", rc)
				}
			},
		},
		{
			name: "bind flow to message recipient",
			call: func(ctx context.Context, c *Client) (result, error) {
				return c.SetMessageRecipientFlow(ctx, "om1", apimodel.Ref{ID: "f1", Name: "IR Flow", SelfURI: "/x"})
			},
			method:   "PUT",
			uri:      "/api/v2/routing/message/recipients/om1",
			body:     `{"flow":{"id":"f1","name":"IR Flow"}}`,
			response: `{"id":"om1","flow":{"id":"f1","name":"IR Flow"}}`,
		},
		{
			name:     "get oauth client",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetOAuthClient(ctx, "oc1") },
			method:   "GET",
			uri:      "/api/v2/oauth/clients/oc1",
			response: `{"id":"oc1","authorizedGrantType":"CLIENT-CREDENTIALS","secret":"oauth-client-secret-xyz","roleDivisions":[{"roleId":"r1","divisionId":"d1"}]}`,
			check: func(t *testing.T, r result) {
				oc := r.(*apimodel.OAuthClient)
				if oc.RoleDivisions[0].RoleID != "r1" {
					t.Errorf("client = %+v", oc)
				}
				if b, _ := json.Marshal(oc); strings.Contains(string(b), "oauth-client-secret-xyz") {
					t.Errorf("client secret kept in the model: %s", b)
				}
			},
		},
		{
			name:     "get role",
			call:     func(ctx context.Context, c *Client) (result, error) { return c.GetRole(ctx, "r1") },
			method:   "GET",
			uri:      "/api/v2/authorization/roles/r1",
			response: `{"id":"r1","permissionPolicies":[{"domain":"externalContacts","entityName":"contact","actionSet":["view","add"]},{"domain":"integrations","entityName":"*","actionSet":["*"]}]}`,
			check: func(t *testing.T, r result) {
				role := r.(*apimodel.Role)
				if !role.Allows("externalContacts", "contact", "add") || role.Allows("externalContacts", "contact", "delete") || !role.Allows("integrations", "action", "execute") {
					t.Errorf("role = %+v", role)
				}
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen atomic.Bool
			o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
				seen.Store(true)
				if r.Method != tt.method || r.URL.RequestURI() != tt.uri {
					t.Errorf("request = %s %s, want %s %s", r.Method, r.URL.RequestURI(), tt.method, tt.uri)
				}
				b, _ := io.ReadAll(r.Body)
				if !jsonEqual(string(b), tt.body) {
					t.Errorf("body = %s, want %s", b, tt.body)
				}
				if tt.noResponse {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, tt.response)
			})
			c, _ := newTestClient(t, o, nil)
			r, err := tt.call(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			if !seen.Load() {
				t.Fatal("no request reached the server")
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func jsonEqual(a, b string) bool {
	if strings.TrimSpace(a) == "" || strings.TrimSpace(b) == "" {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func TestFindFlowExactMatch(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		// The API's name filter is loose: it returns near misses too.
		io.WriteString(w, `{"entities":[{"id":"f0","name":"IR Flow v2","type":"INBOUNDSHORTMESSAGE"},{"id":"f1","name":"ir flow","type":"INBOUNDSHORTMESSAGE"}],"pageCount":1}`)
	})
	c, _ := newTestClient(t, o, nil)
	f, err := c.FindFlow(t.Context(), "IR Flow", "inboundshortmessage")
	if err != nil || f.ID != "f1" {
		t.Fatalf("FindFlow = %+v, %v; want f1", f, err)
	}
	_, err = c.FindFlow(t.Context(), "Missing", "inboundshortmessage")
	if !IsNotFound(err) || !errors.Is(err, ErrNotFound) {
		t.Errorf("FindFlow(missing) = %v, want ErrNotFound", err)
	}
}

func TestExecuteActionFailureCarriesActionError(t *testing.T) {
	o := newFakeOrg(t, func(w http.ResponseWriter, r *http.Request) {
		// Older data-action error shape (api.md §5.4).
		writeJSON(w, 404, map[string]any{
			"status": 404, "errorCode": "NOT_FOUND", "userMessage": "Request to backend service failed.",
			"correlationId": "fbb8bb72", "details": []any{map[string]any{"errorCode": "ACTION.REMOTE_ENDPOINT"}},
		})
	})
	c, _ := newTestClient(t, o, nil)
	var out map[string]any
	err := c.ExecuteAction(t.Context(), "a1", map[string]string{"type": "Email", "value": "x@example.com"}, &out)
	e, ok := errors.AsType[*APIError](err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if e.Code != "NOT_FOUND" || e.ContextID != "fbb8bb72" || len(e.Details) != 1 || e.Details[0].ErrorCode != "ACTION.REMOTE_ENDPOINT" {
		t.Errorf("APIError = %+v", e)
	}
	if want := "POST /api/v2/integrations/actions/a1/execute: 404 NOT_FOUND: Request to backend service failed. [correlation fbb8bb72]"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}
