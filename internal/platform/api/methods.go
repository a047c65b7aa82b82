package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// Typed calls. IDs are path-escaped; every call returns an *APIError for a
// non-2xx response (use IsNotFound for 404).

func esc(id string) string { return url.PathEscape(id) }

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func expandQuery(expand []string) url.Values {
	if len(expand) == 0 {
		return nil
	}
	return url.Values{"expand": {strings.Join(expand, ",")}}
}

func get[T any](ctx context.Context, c *Client, path string) (*T, error) {
	var out T
	if err := c.call(ctx, http.MethodGet, path, nil, &out, true); err != nil {
		return nil, err
	}
	return &out, nil
}

func send[T any](ctx context.Context, c *Client, method, path string, in any, readOnly bool) (*T, error) {
	var out T
	if err := c.call(ctx, method, path, in, &out, readOnly); err != nil {
		return nil, err
	}
	return &out, nil
}

// ---- External contacts (api.md §1.3) ----

// CreateExternalContact creates a contact (POST /api/v2/externalcontacts/contacts);
// the API returns it as type Curated.
func (c *Client) CreateExternalContact(ctx context.Context, contact apimodel.ExternalContact) (*apimodel.ExternalContact, error) {
	return send[apimodel.ExternalContact](ctx, c, http.MethodPost, "/api/v2/externalcontacts/contacts", contact, false)
}

// GetExternalContact fetches a contact. A merged-away id may resolve to the
// canonical contact; use GetUnresolvedExternalContact for the raw record.
func (c *Client) GetExternalContact(ctx context.Context, id string, expand ...string) (*apimodel.ExternalContact, error) {
	return get[apimodel.ExternalContact](ctx, c, withQuery("/api/v2/externalcontacts/contacts/"+esc(id), expandQuery(expand)))
}

// GetUnresolvedExternalContact fetches the raw contact record, without
// following merges (GET …/contacts/{id}/unresolved).
func (c *Client) GetUnresolvedExternalContact(ctx context.Context, id string, expand ...string) (*apimodel.ExternalContact, error) {
	return get[apimodel.ExternalContact](ctx, c, withQuery("/api/v2/externalcontacts/contacts/"+esc(id)+"/unresolved", expandQuery(expand)))
}

// DeleteExternalContact deletes a contact.
func (c *Client) DeleteExternalContact(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodDelete, "/api/v2/externalcontacts/contacts/"+esc(id), nil, nil, true)
}

// LookupContact returns the contact that owns an identifier
// (POST /api/v2/externalcontacts/identifierlookup/contacts, the current endpoint).
// No owner is a 404: check with IsNotFound.
func (c *Client) LookupContact(ctx context.Context, id apimodel.ContactIdentifier, expand ...string) (*apimodel.ExternalContact, error) {
	return send[apimodel.ExternalContact](ctx, c, http.MethodPost,
		withQuery("/api/v2/externalcontacts/identifierlookup/contacts", expandQuery(expand)), id, true)
}

// LookupContactLegacy is LookupContact on the deprecated
// POST /api/v2/externalcontacts/identifierlookup, which the blueprint's
// "Fetch External Contact by Identifier" data action still calls.
func (c *Client) LookupContactLegacy(ctx context.Context, id apimodel.ContactIdentifier, expand ...string) (*apimodel.ExternalContact, error) {
	return send[apimodel.ExternalContact](ctx, c, http.MethodPost,
		withQuery("/api/v2/externalcontacts/identifierlookup", expandQuery(expand)), id, true)
}

// ---- Conversations (api.md §2) ----

// GetConversation fetches a conversation with its participants.
func (c *Client) GetConversation(ctx context.Context, id string) (*apimodel.Conversation, error) {
	return get[apimodel.Conversation](ctx, c, "/api/v2/conversations/"+esc(id))
}

// ---- Architect flows ----

// GetFlow fetches a flow.
func (c *Client) GetFlow(ctx context.Context, id string) (*apimodel.Flow, error) {
	return get[apimodel.Flow](ctx, c, "/api/v2/flows/"+esc(id))
}

// FlowQuery filters GET /api/v2/flows. Zero fields are not sent.
type FlowQuery struct {
	Name       string // the API matches names loosely; FindFlow filters exactly
	Type       string // e.g. inboundshortmessage, commonmodule, bot, digitalbot
	PageSize   int
	PageNumber int
}

// ListFlows returns one page of flows.
func (c *Client) ListFlows(ctx context.Context, q FlowQuery) (*apimodel.EntityListing[apimodel.Flow], error) {
	v := url.Values{}
	if q.Name != "" {
		v.Set("name", q.Name)
	}
	if q.Type != "" {
		v.Set("type", q.Type)
	}
	if q.PageSize > 0 {
		v.Set("pageSize", fmt.Sprint(q.PageSize))
	}
	if q.PageNumber > 0 {
		v.Set("pageNumber", fmt.Sprint(q.PageNumber))
	}
	return get[apimodel.EntityListing[apimodel.Flow]](ctx, c, withQuery("/api/v2/flows", v))
}

// FindFlow returns the flow named exactly name (case-insensitively, as
// Architect treats flow names) of type flowType. Flow identity in Genesys
// Cloud is (name, type), so at most one matches. No match wraps ErrNotFound.
func (c *Client) FindFlow(ctx context.Context, name, flowType string) (*apimodel.Flow, error) {
	const pageSize = 100
	for page := 1; ; page++ {
		l, err := c.ListFlows(ctx, FlowQuery{Name: name, Type: flowType, PageSize: pageSize, PageNumber: page})
		if err != nil {
			return nil, err
		}
		for i := range l.Entities {
			f := &l.Entities[i]
			if strings.EqualFold(f.Name, name) && (flowType == "" || strings.EqualFold(f.Type, flowType)) {
				return f, nil
			}
		}
		if len(l.Entities) < pageSize || (l.PageCount > 0 && page >= l.PageCount) || page >= 50 {
			return nil, fmt.Errorf("flow %q of type %q: %w", name, flowType, ErrNotFound)
		}
	}
}

// ---- Integrations and data actions (api.md §5) ----

// GetIntegration fetches an integration, including IntendedState.
func (c *Client) GetIntegration(ctx context.Context, id string) (*apimodel.Integration, error) {
	return get[apimodel.Integration](ctx, c, "/api/v2/integrations/"+esc(id))
}

// GetAction fetches a data action with its request/response config.
func (c *Client) GetAction(ctx context.Context, id string) (*apimodel.Action, error) {
	return get[apimodel.Action](ctx, c, "/api/v2/integrations/actions/"+esc(id)+"?includeConfig=true&expand=contract")
}

// TestAction runs an action in test mode with input (a JSON-encodable
// object, e.g. map[string]string{"type": "Email", "value": "…"}). A failing
// action is not an error here: the API answers 200 with Success false.
func (c *Client) TestAction(ctx context.Context, id string, input any) (*TestExecutionResult, error) {
	return send[TestExecutionResult](ctx, c, http.MethodPost, "/api/v2/integrations/actions/"+esc(id)+"/test", input, true)
}

// ExecuteAction runs an action and decodes its success output into out.
// A failing action is an *APIError carrying the action's status and details.
func (c *Client) ExecuteAction(ctx context.Context, id string, input, out any) error {
	return c.call(ctx, http.MethodPost, "/api/v2/integrations/actions/"+esc(id)+"/execute", input, out, false)
}

// ---- Routing ----

// GetQueue fetches a routing queue.
func (c *Client) GetQueue(ctx context.Context, id string) (*apimodel.Queue, error) {
	return get[apimodel.Queue](ctx, c, "/api/v2/routing/queues/"+esc(id))
}

// GetMessageRecipient fetches a message recipient and the flow bound to it.
func (c *Client) GetMessageRecipient(ctx context.Context, id string) (*apimodel.Recipient, error) {
	return get[apimodel.Recipient](ctx, c, "/api/v2/routing/message/recipients/"+esc(id))
}

// SetMessageRecipientFlow binds an inbound message flow to a recipient
// (PUT /api/v2/routing/message/recipients/{id} with {"flow": {id, name}}).
func (c *Client) SetMessageRecipientFlow(ctx context.Context, id string, flow apimodel.Ref) (*apimodel.Recipient, error) {
	body := struct {
		Flow apimodel.Ref `json:"flow"`
	}{apimodel.Ref{ID: flow.ID, Name: flow.Name}}
	return send[apimodel.Recipient](ctx, c, http.MethodPut, "/api/v2/routing/message/recipients/"+esc(id), body, true)
}

// ---- Web messaging deployments (api.md §4.1) ----

// GetWebDeployment fetches a Messenger deployment (status, flow, configuration).
func (c *Client) GetWebDeployment(ctx context.Context, id string) (*apimodel.WebDeployment, error) {
	return get[apimodel.WebDeployment](ctx, c, "/api/v2/webdeployments/deployments/"+esc(id))
}

// GetWebDeploymentIdentityResolution reads a deployment's identity-resolution setting.
func (c *Client) GetWebDeploymentIdentityResolution(ctx context.Context, id string) (*apimodel.IdentityResolutionConfig, error) {
	return get[apimodel.IdentityResolutionConfig](ctx, c, "/api/v2/webdeployments/deployments/"+esc(id)+"/identityresolution")
}

// SetWebDeploymentIdentityResolution replaces a deployment's identity-resolution setting.
func (c *Client) SetWebDeploymentIdentityResolution(ctx context.Context, id string, cfg apimodel.IdentityResolutionConfig) (*apimodel.IdentityResolutionConfig, error) {
	return send[apimodel.IdentityResolutionConfig](ctx, c, http.MethodPut, "/api/v2/webdeployments/deployments/"+esc(id)+"/identityresolution", cfg, true)
}

// ---- Open messaging (api.md §3) ----

// GetOpenIntegration fetches an open messaging integration (incl. recipient, createStatus).
func (c *Client) GetOpenIntegration(ctx context.Context, id string) (*apimodel.OpenIntegration, error) {
	return get[apimodel.OpenIntegration](ctx, c, "/api/v2/conversations/messaging/integrations/open/"+esc(id))
}

// GetOpenIdentityResolution reads an open messaging integration's identity-resolution setting.
func (c *Client) GetOpenIdentityResolution(ctx context.Context, integrationID string) (*apimodel.IdentityResolutionConfig, error) {
	return get[apimodel.IdentityResolutionConfig](ctx, c, "/api/v2/conversations/messaging/identityresolution/integrations/open/"+esc(integrationID))
}

// SetOpenIdentityResolution replaces an open messaging integration's
// identity-resolution setting (Automerge is not part of it and must be nil).
func (c *Client) SetOpenIdentityResolution(ctx context.Context, integrationID string, cfg apimodel.IdentityResolutionConfig) (*apimodel.IdentityResolutionConfig, error) {
	if cfg.Automerge != nil {
		return nil, fmt.Errorf("api: open messaging identity resolution has no automerge setting")
	}
	return send[apimodel.IdentityResolutionConfig](ctx, c, http.MethodPut, "/api/v2/conversations/messaging/identityresolution/integrations/open/"+esc(integrationID), cfg, true)
}

// ---- OAuth clients and roles ----

// GetOAuthClient fetches an OAuth client. Its secret is never decoded.
func (c *Client) GetOAuthClient(ctx context.Context, id string) (*apimodel.OAuthClient, error) {
	return get[apimodel.OAuthClient](ctx, c, "/api/v2/oauth/clients/"+esc(id))
}

// GetRole fetches an authorization role with its permission policies.
func (c *Client) GetRole(ctx context.Context, id string) (*apimodel.Role, error) {
	return get[apimodel.Role](ctx, c, "/api/v2/authorization/roles/"+esc(id))
}
