package org

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// knownPermissions are the permission names the emulated org knows, as the
// Platform API's permission catalogue (GET /api/v2/authorization/permissions)
// spells them. inferred: a real org knows hundreds; this is the subset the
// provider's resources at v1.82.0 and the bundles' data actions need, each
// cited per use in internal/render/permissions. The list is the emulator's own
// (the emulator does not import the render side); a test keeps it a
// superset of that table.
func knownPermissions() []string {
	return []string{
		"analytics:conversationDetail:view",
		"architect:flow:delete",
		"architect:flow:view",
		"architect:job:create",
		"architect:job:view",
		"authorization:division:view",
		"authorization:grant:add",
		"authorization:grant:view",
		"authorization:role:add",
		"authorization:role:delete",
		"authorization:role:edit",
		"authorization:role:view",
		"bridge:actions:view",
		"conversation:communication:view",
		"directory:user:view",
		"externalContacts:contact:add",
		"externalContacts:contact:delete",
		"externalContacts:contact:edit",
		"externalContacts:contact:view",
		"externalContacts:conversation:associate",
		"externalContacts:externalSource:add",
		"externalContacts:externalSource:delete",
		"externalContacts:externalSource:edit",
		"externalContacts:externalSource:view",
		"externalContacts:identity:merge",
		"integrations:action:add",
		"integrations:action:delete",
		"integrations:action:edit",
		"integrations:action:execute",
		"integrations:action:view",
		"integrations:integration:add",
		"integrations:integration:delete",
		"integrations:integration:edit",
		"integrations:integration:view",
		"messaging:identityResolutionOpen:edit",
		"messaging:integration:add",
		"messaging:integration:delete",
		"messaging:integration:edit",
		"messaging:integration:view",
		"oauth:client:add",
		"oauth:client:delete",
		"oauth:client:edit",
		"oauth:client:view",
		"routing:message:manage",
		"routing:queue:add",
		"routing:queue:delete",
		"routing:queue:edit",
		"routing:queue:view",
		"routing:queueMember:manage",
		"webDeployments:configuration:add",
		"webDeployments:configuration:delete",
		"webDeployments:configuration:edit",
		"webDeployments:configuration:view",
		"webDeployments:deployment:add",
		"webDeployments:deployment:delete",
		"webDeployments:deployment:edit",
		"webDeployments:deployment:view",
	}
}

// Request-model field lists (platformclientv2/<model>.go, SDK 188.0.0).
var (
	fieldsRole = []string{"id", "name", "description", "defaultRoleId", "permissions", "unusedPermissions", "permissionPolicies",
		"userCount", "roleNeedsUpdate", "baseLicense", "addonLicenses", "dateLicenseLastUpdated", "base", "default", "selfUri"}
	fieldsOAuthRequest = []string{"name", "accessTokenValiditySeconds", "description", "registeredRedirectUri", "roleIds",
		"authorizedGrantType", "scope", "roleDivisions", "state", "dateToDelete"}
	fieldsCredential  = []string{"id", "name", "type", "credentialFields", "selfUri"}
	fieldsIntegration = []string{"id", "name", "integrationType", "notes", "intendedState", "config", "reportedState", "attributes", "selfUri"}
	fieldsIntConfig   = []string{"id", "name", "version", "properties", "advanced", "notes", "credentials", "selfUri"}
	fieldsPostAction  = []string{"category", "name", "integrationId", "config", "contract", "secure"}
	fieldsQueue       = []string{"id", "name", "division", "description", "dateCreated", "dateModified", "modifiedBy", "createdBy",
		"memberCount", "userMemberCount", "joinedMemberCount", "mediaSettings", "routingRules", "conditionalGroupRouting",
		"conditionalGroupActivation", "bullseye", "scoringMethod", "lastAgentRoutingMode", "acwSettings", "skillEvaluationMethod",
		"memberGroups", "queueFlow", "emailInQueueFlow", "messageInQueueFlow", "whisperPrompt", "onHoldPrompt", "autoAnswerOnly",
		"cannedResponseLibraries", "enableTranscription", "enableAudioMonitoring", "enableManualAssignment", "agentOwnedRouting",
		"directRouting", "callingPartyName", "callingPartyNumber", "defaultScripts", "outboundMessagingAddresses",
		"outboundEmailAddress", "peerId", "suppressInQueueCallRecording", "sourceQueueId", "selfUri"}
	fieldsDivision = []string{"id", "name", "description", "homeDivision", "objectCounts", "selfUri"}
)

// OAuth client states (Oauthclientrequest.state enum: active, disabled,
// inactive); the provider's schema default is "active" and it sets
// "inactive" before a delete.
const (
	OAuthStateActive   = "active"
	OAuthStateDisabled = "disabled"
	OAuthStateInactive = "inactive"
)

// roles -------------------------------------------------------------------

func (o *Org) decodeRole(w http.ResponseWriter, r *http.Request) (Role, map[string]any, error) {
	in, _, err := modelBody[apimodel.RoleSettings](w, r, "DomainOrganizationRoleCreate", fieldsRole)
	if err != nil {
		return Role{}, nil, err
	}
	for i, p := range in.PermissionPolicies {
		if err := checkPolicy(i, p); err != nil {
			return Role{}, nil, err
		}
	}
	for _, p := range in.Permissions {
		parts := strings.Split(p, ":")
		if len(parts) != 3 || checkPolicy(0, PermissionPolicy{Domain: parts[0], EntityName: parts[1], ActionSet: []string{parts[2]}}) != nil {
			return Role{}, nil, badRequest("permissions: %s is not a permission of this org.", quote(p))
		}
	}
	// The stored document keeps what the caller sent; permissions are not
	// derived from policies (the platform answers the two apart).
	doc := map[string]any{"permissions": orEmpty(in.Permissions)}
	return Role{Name: in.Name, Description: in.Description, PermissionPolicies: in.PermissionPolicies}, doc, nil
}

func roleID(r Role) string { return r.ID }

func (o *Org) createRole(_ *http.Request, in Role) (Role, error) { return o.CreateRole(in) }

func (o *Org) putRole(r *http.Request, in Role) (Role, error) {
	return o.UpdateRole(r.PathValue("roleId"), in)
}

// UpdateRole replaces a role's name, description and policies.
func (o *Org) UpdateRole(id string, in Role) (Role, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return Role{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.objects.roles[id]
	if !ok {
		return Role{}, notFound("Role", id)
	}
	for _, x := range o.objects.roles {
		if x.ID != id && strings.EqualFold(x.Name, name) {
			return Role{}, conflict("Role", x.ID, "A role named %s already exists.", quote(name))
		}
	}
	v := in.clone()
	r.Name, r.Description, r.PermissionPolicies = name, v.Description, v.PermissionPolicies
	return r.clone(), nil
}

// renderRoleDoc is DomainOrganizationRole with permissions as sent.
func (o *Org) renderRoleDoc(r Role) apimodel.Role {
	out := renderRole(r)
	out.Permissions = []string{}
	if p, ok := o.prov.doc(r.ID)["permissions"].([]any); ok {
		for _, v := range p {
			if s, ok := v.(string); ok {
				out.Permissions = append(out.Permissions, s)
			}
		}
	}
	return out
}

// httpListRoles is GET /api/v2/authorization/roles (the provider's role data
// source and export): name filters exactly; paged, by name.
func (o *Org) httpListRoles(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"name", "sortBy", "sortOrder", "id"},
		[]string{"permission", "defaultRoleId", "userCount", "expand", "nextPage", "previousPage"}); err != nil {
		return nil, err
	}
	name, ids := r.URL.Query().Get("name"), values(r, "id")
	o.mu.RLock()
	var out []apimodel.Role
	var roles []Role
	for _, x := range o.objects.roles {
		if (name == "" || strings.EqualFold(x.Name, name)) && (len(ids) == 0 || slices.Contains(ids, x.ID)) {
			roles = append(roles, x.clone())
		}
	}
	o.mu.RUnlock()
	for _, x := range sortedByName(roles, func(r Role) string { return r.Name }, roleID) {
		out = append(out, o.renderRoleDoc(x))
	}
	return page(r, out, 500, "/api/v2/authorization/roles")
}

// OAuth clients -----------------------------------------------------------

// oauthRequest is what the emulator reads of an OAuthClientRequest: the
// client's settings and its redirect URIs.
type oauthRequest struct {
	apimodel.OAuthClientSettings
	RegisteredRedirectURI []string `json:"registeredRedirectUri"`
}

func decodeOAuth(w http.ResponseWriter, r *http.Request) (oauthRequest, error) {
	in, _, err := modelBody[oauthRequest](w, r, "OAuthClientRequest", fieldsOAuthRequest)
	if err != nil {
		return in, err
	}
	if in.AuthorizedGrantType == "" {
		return in, badRequest("authorizedGrantType is required.")
	}
	if err := oneOf("authorizedGrantType", in.AuthorizedGrantType, "CODE", "TOKEN", "SAML2BEARER", "PASSWORD", GrantClientCredentials); err != nil {
		return in, err
	}
	if in.State == "" {
		in.State = OAuthStateActive
	}
	if err := oneOf("state", in.State, OAuthStateActive, OAuthStateDisabled, OAuthStateInactive); err != nil {
		return in, err
	}
	if len(in.Scope) > 0 && in.AuthorizedGrantType == GrantClientCredentials {
		// Scopes belong to the user grants (provider docs/resources/oauth_client.md).
		return in, badRequest("scope is not allowed for %s clients.", GrantClientCredentials)
	}
	return in, nil
}

func (o *Org) httpCreateOAuthClient(r *http.Request, in oauthRequest) (any, error) {
	ci := callInfoFrom(r)
	c, err := o.CreateOAuthClientAs(Caller{ClientID: ci.clientID}, OAuthClient{
		Name: in.Name, Description: in.Description, AuthorizedGrantType: in.AuthorizedGrantType,
		TokenLifetime: time.Duration(in.AccessTokenValiditySeconds) * time.Second, RoleDivisions: in.RoleDivisions,
	})
	if err != nil {
		return nil, err
	}
	if in.State != OAuthStateActive {
		_ = o.setOAuthState(c.ID, in.State)
		c.State = in.State
	}
	// OAuthClient (platformclientv2/oauthclient.go): the secret is shown
	// this once, at creation (the provider's createCredential reads it).
	out := map[string]any{}
	b, _ := json.Marshal(renderOAuthClient(c))
	_ = json.Unmarshal(b, &out)
	out["secret"] = c.Secret
	out["registeredRedirectUri"] = orEmpty(in.RegisteredRedirectURI)
	return out, nil
}

// updateOAuthClient changes the stored client id under the auth lock (OAuth
// clients live there, not under Org.mu: the token endpoint reads them).
func (o *Org) updateOAuthClient(id string, change func(*OAuthClient)) (OAuthClient, error) {
	o.auth.mu.Lock()
	defer o.auth.mu.Unlock()
	c, ok := o.auth.clients[id]
	if !ok {
		return OAuthClient{}, notFound("OAuthClient", id)
	}
	change(&c)
	o.auth.clients[id] = c
	return c, nil
}

func (o *Org) setOAuthState(id, state string) error {
	_, err := o.updateOAuthClient(id, func(c *OAuthClient) { c.State = state })
	return err
}

// handlePutOAuthClient is PUT /api/v2/oauth/clients/{clientId}
// (OAuthClientRequest, as the provider's cascadeUpdateOAuthClient sends it,
// also with state "inactive" before a delete). roleDivisions are applied
// under the role rule (grants.go); name, description, token lifetime and
// state replace the stored ones. The caller is the authenticated client.
func (o *Org) handlePutOAuthClient(r *http.Request, in oauthRequest) (any, error) {
	ci := callInfoFrom(r)
	if ci == nil || ci.clientID == "" {
		return nil, newError(http.StatusUnauthorized, "Invalid login credentials.")
	}
	id := r.PathValue("clientId")
	if err := o.SetOAuthClientRoles(Caller{ClientID: ci.clientID}, id, in.RoleDivisions); err != nil {
		return nil, err
	}
	name, err := requireName("name", in.Name)
	if err != nil {
		return nil, err
	}
	lifetime := time.Duration(in.AccessTokenValiditySeconds) * time.Second
	if lifetime != 0 && (lifetime < MinTokenLifetime || lifetime > MaxTokenLifetime) {
		return nil, badRequest("accessTokenValiditySeconds must be between %d and %d.", int(MinTokenLifetime/time.Second), int(MaxTokenLifetime/time.Second))
	}
	c, err := o.updateOAuthClient(id, func(c *OAuthClient) {
		c.Name, c.Description, c.State = name, in.Description, in.State
		if lifetime != 0 {
			c.TokenLifetime = lifetime
		}
	})
	if err != nil {
		return nil, err
	}
	return renderOAuthClient(c), nil
}

// httpListOAuthClients is GET /api/v2/oauth/clients (OAuthClientEntityListing;
// the SDK documents no query parameters, so any is refused).
func (o *Org) httpListOAuthClients(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, nil, nil); err != nil {
		return nil, err
	}
	o.auth.mu.RLock()
	var cs []OAuthClient
	for _, c := range o.auth.clients {
		cs = append(cs, c)
	}
	o.auth.mu.RUnlock()
	var out []apimodel.OAuthClient
	for _, c := range sortedByName(cs, func(c OAuthClient) string { return c.Name }, func(c OAuthClient) string { return c.ID }) {
		out = append(out, renderOAuthClient(c))
	}
	return page(r, out, 500, "/api/v2/oauth/clients")
}

// integration credentials -------------------------------------------------

// credentialRequest is what the emulator reads of a Credential body.
type credentialRequest struct {
	Name string `json:"name"`
	Type struct {
		Name string `json:"name"`
	} `json:"type"`
	CredentialFields map[string]string `json:"credentialFields"`
}

func decodeCredential(w http.ResponseWriter, r *http.Request) (IntegrationCredential, error) {
	in, _, err := modelBody[credentialRequest](w, r, "Credential", fieldsCredential)
	if err != nil {
		return IntegrationCredential{}, err
	}
	if in.Type.Name == "" {
		return IntegrationCredential{}, badRequest("type.name is required.")
	}
	return IntegrationCredential{Name: in.Name, Type: in.Type.Name, Fields: in.CredentialFields}, nil
}

func (o *Org) httpPutCredential(r *http.Request, in IntegrationCredential) (any, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return nil, err
	}
	id := r.PathValue("credentialId")
	out, err := updateObject(o, o.objects.credentials, "Credential", id, func(c *IntegrationCredential) error {
		c.Name, c.Type, c.Fields = name, in.Type, maps.Clone(in.Fields)
		return nil
	}, (*IntegrationCredential).clone)
	if err != nil {
		return nil, err
	}
	o.exec.forget(id) // the next action run authenticates with the new fields
	return renderCredential(out), nil
}

// httpListCredentials is GET /api/v2/integrations/credentials
// (CredentialInfoListing).
func (o *Org) httpListCredentials(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, nil, nil); err != nil {
		return nil, err
	}
	out := listObjects(o, o.objects.credentials, (*IntegrationCredential).clone)
	return page(r, mapSlice(out, renderCredential), 100, "/api/v2/integrations/credentials")
}

// divisions ---------------------------------------------------------------

func decodeDivision(w http.ResponseWriter, r *http.Request) (Division, error) {
	in, _, err := modelBody[Division](w, r, "AuthzDivision", fieldsDivision)
	return in, err
}

func (o *Org) httpPutDivision(r *http.Request, in Division) (any, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return nil, err
	}
	return updateObject(o, o.objects.divisions, "Division", r.PathValue("divisionId"), func(d *Division) error {
		d.Name, d.Description = name, in.Description
		return nil
	}, (*Division).render)
}

// data-action definitions ---------------------------------------------------

// actionRequest is a PostActionInput.
type actionRequest struct {
	apimodel.ActionSettings
	Config   fmtda.Config   `json:"config"`
	Contract fmtda.Contract `json:"contract"`
}

// decodeAction reads a PostActionInput as a DataAction.
func decodeAction(w http.ResponseWriter, r *http.Request) (DataAction, error) {
	in, _, err := modelBody[actionRequest](w, r, "PostActionInput", fieldsPostAction)
	if err != nil {
		return DataAction{}, err
	}
	if in.IntegrationID == "" {
		return DataAction{}, badRequest("integrationId is required.")
	}
	return DataAction{Name: in.Name, Category: in.Category, IntegrationID: in.IntegrationID, Secure: in.Secure, Config: in.Config, Contract: in.Contract}, nil
}
