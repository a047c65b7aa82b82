// Package permissions is the one table of the Genesys Cloud permissions the
// bundle needs: for the client that runs Terraform (by resource type, from the
// provider's docs/resources/*.md "API Usage" and "Permissions and Scopes" at
// v1.82.0), for the data actions' role (by the API call each data action
// makes) and for `bpgen verify` and `bpgen wire` (by API call). Every entry
// cites where it comes from; the READMEs are rendered from it.
package permissions

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Entry is what one resource or one API call needs.
type Entry struct {
	// Key is a Terraform resource type ("genesyscloud_flow"), a data source
	// ("data.genesyscloud_user") or an API call ("GET /api/v2/flows/{flowId}").
	Key string
	// Calls are the API calls the resource makes (resources only).
	Calls []string
	// Permissions are domain:entity:action strings. All of them are needed
	// unless AnyOf is set.
	Permissions []string
	// Purpose is the README's label.
	Purpose string
	// Source is the document the entry comes from.
	Source string
}

const (
	provDocs = "terraform-provider-genesyscloud v1.82.0 docs/"
	sdkDocs  = "Genesys Platform API reference, as the platform-client-sdk docs/*Api.md state it: "
)

func crud(domain, entity string) []string {
	return []string{domain + ":" + entity + ":add", domain + ":" + entity + ":delete", domain + ":" + entity + ":edit", domain + ":" + entity + ":view"}
}

// Terraform is what the client that runs Terraform needs, by resource type.
var Terraform = []Entry{
	{Key: "data.genesyscloud_auth_division_home", Calls: []string{"GET /api/v2/authorization/divisions/home"}, Permissions: nil,
		Purpose: "home division", Source: sdkDocs + "getAuthorizationDivisionsHome \"Requires NO permissions\""},
	// inferred: the data source's doc lists no permissions; GET /api/v2/authorization/divisions is the call it makes.
	{Key: "data.genesyscloud_auth_division", Calls: []string{"GET /api/v2/authorization/divisions"}, Permissions: []string{"authorization:division:view"},
		Purpose: "division lookup", Source: "inferred: " + sdkDocs + "getAuthorizationDivisions"},
	{Key: "genesyscloud_auth_role", Calls: []string{"POST /api/v2/authorization/roles", "GET /api/v2/authorization/roles/{roleId}", "PUT /api/v2/authorization/roles/{roleId}", "DELETE /api/v2/authorization/roles/{roleId}"},
		Permissions: crud("authorization", "role"), Purpose: "the data actions' role", Source: provDocs + "resources/auth_role.md"},
	{Key: "genesyscloud_oauth_client", Calls: []string{"POST /api/v2/oauth/clients", "GET /api/v2/oauth/clients/{clientId}", "PUT /api/v2/oauth/clients/{clientId}", "DELETE /api/v2/oauth/clients/{clientId}", "POST /api/v2/integrations/credentials", "DELETE /api/v2/integrations/credentials/{credentialId}"},
		// integration_credential_name makes the provider create the credential too, which integration_credential.md governs.
		Permissions: append(crud("oauth", "client"), crud("integrations", "integration")...), Purpose: "the data actions' OAuth client and its integration credential",
		Source: provDocs + "resources/oauth_client.md; resources/integration_credential.md (credentials are governed by integrations:integration:*)"},
	{Key: "genesyscloud_integration_credential", Calls: []string{"POST /api/v2/integrations/credentials", "GET /api/v2/integrations/credentials/{credentialId}", "PUT /api/v2/integrations/credentials/{credentialId}", "DELETE /api/v2/integrations/credentials/{credentialId}"},
		Permissions: crud("integrations", "integration"), Purpose: "the integration credential", Source: provDocs + "resources/integration_credential.md"},
	{Key: "genesyscloud_integration", Calls: []string{"POST /api/v2/integrations", "GET /api/v2/integrations/{integrationId}", "PATCH /api/v2/integrations/{integrationId}", "PUT /api/v2/integrations/{integrationId}/config/current", "DELETE /api/v2/integrations/{integrationId}"},
		Permissions: crud("integrations", "integration"), Purpose: "the data-action integration", Source: provDocs + "resources/integration.md"},
	// integrations:actionFunction:* are only for function data actions, which bpgen never renders.
	{Key: "genesyscloud_integration_action", Calls: []string{"POST /api/v2/integrations/actions", "GET /api/v2/integrations/actions/{actionId}", "PATCH /api/v2/integrations/actions/{actionId}", "DELETE /api/v2/integrations/actions/{actionId}"},
		Permissions: append(crud("integrations", "action"), "bridge:actions:view"), Purpose: "data actions", Source: provDocs + "resources/integration_action.md"},
	{Key: "genesyscloud_routing_queue", Calls: []string{"POST /api/v2/routing/queues", "GET /api/v2/routing/queues/{queueId}", "PUT /api/v2/routing/queues/{queueId}", "DELETE /api/v2/routing/queues/{queueId}", "POST /api/v2/routing/queues/{queueId}/members"},
		Permissions: append(crud("routing", "queue"), "routing:queueMember:manage"), Purpose: "the queue and its members", Source: provDocs + "resources/routing_queue.md"},
	// inferred: the data source's doc lists no permissions; it reads queues as the resource does.
	{Key: "data.genesyscloud_routing_queue", Calls: []string{"GET /api/v2/routing/queues"}, Permissions: []string{"routing:queue:view"},
		Purpose: "queue lookup", Source: "inferred: " + provDocs + "resources/routing_queue.md (routing:queue:view)"},
	{Key: "data.genesyscloud_user", Calls: []string{"POST /api/v2/users/search"}, Permissions: []string{"directory:user:view"},
		Purpose: "queue members by email", Source: sdkDocs + "getUsersSearch/postUsersSearch \"Requires ANY permissions: directory:user:view\""},
	{Key: "genesyscloud_flow", Calls: []string{"POST /api/v2/flows/jobs", "GET /api/v2/flows/jobs/{jobId}", "GET /api/v2/flows/{flowId}", "DELETE /api/v2/flows/{flowId}"},
		Permissions: []string{"architect:flow:delete", "architect:flow:view", "architect:job:create", "architect:job:view"}, Purpose: "flows, published through Architect jobs", Source: provDocs + "resources/flow.md"},
	{Key: "genesyscloud_webdeployments_configuration", Calls: []string{"POST /api/v2/webdeployments/configurations", "PUT /api/v2/webdeployments/configurations/{configurationId}/versions/draft", "POST /api/v2/webdeployments/configurations/{configurationId}/versions/draft/publish", "DELETE /api/v2/webdeployments/configurations/{configurationId}"},
		Permissions: crud("webDeployments", "configuration"), Purpose: "Messenger configuration", Source: provDocs + "resources/webdeployments_configuration.md"},
	{Key: "genesyscloud_webdeployments_deployment", Calls: []string{"POST /api/v2/webdeployments/deployments", "GET /api/v2/webdeployments/deployments/{deploymentId}", "PUT /api/v2/webdeployments/deployments/{deploymentId}", "DELETE /api/v2/webdeployments/deployments/{deploymentId}"},
		Permissions: crud("webDeployments", "deployment"), Purpose: "Messenger deployment", Source: provDocs + "resources/webdeployments_deployment.md"},
	{Key: "genesyscloud_conversations_messaging_integrations_open", Calls: []string{"POST /api/v2/conversations/messaging/integrations/open", "GET /api/v2/conversations/messaging/integrations/open/{integrationId}", "PATCH /api/v2/conversations/messaging/integrations/open/{integrationId}", "DELETE /api/v2/conversations/messaging/integrations/open/{integrationId}"},
		Permissions: crud("messaging", "integration"), Purpose: "open-messaging integration", Source: provDocs + "resources/conversations_messaging_integrations_open.md"},
	{Key: "genesyscloud_externalcontacts_external_source", Calls: []string{"POST /api/v2/externalcontacts/externalsources", "GET /api/v2/externalcontacts/externalsources/{externalSourceId}", "PUT /api/v2/externalcontacts/externalsources/{externalSourceId}", "DELETE /api/v2/externalcontacts/externalsources/{externalSourceId}"},
		Permissions: crud("externalContacts", "externalSource"), Purpose: "external source", Source: provDocs + "resources/externalcontacts_external_source.md"},
	// inferred: the data source's doc lists no permissions; it reads external sources as the resource does.
	{Key: "data.genesyscloud_externalcontacts_external_source", Calls: []string{"GET /api/v2/externalcontacts/externalsources"}, Permissions: []string{"externalContacts:externalSource:view"},
		Purpose: "external source lookup", Source: "inferred: " + provDocs + "resources/externalcontacts_external_source.md"},
}

// UserCallerRoleGrant is what the provider's genesyscloud_oauth_client needs
// on top of its own permissions when Terraform runs with a user's token: it
// reads the user's roles and adds the new client's roles to the user first
// (updateTerraformUserWithRole in resource_genesyscloud_oauth_client.go at v1.82.0).
var UserCallerRoleGrant = Entry{Key: "genesyscloud_oauth_client (user token)",
	Calls:       []string{"GET /api/v2/tokens/me", "GET /api/v2/users/me", "GET /api/v2/users/{subjectId}/roles", "PUT /api/v2/users/{subjectId}/roles"},
	Permissions: []string{"authorization:grant:view", "authorization:grant:add"},
	Purpose:     "adding the data actions' role to the Terraform user",
	Source:      sdkDocs + "getUserRoles (authorization:grant:view), putUserRoles (authorization:grant:add)"}

// ClientRoleGrant is what the one-time grant of the client-credentials path
// needs: updating the Terraform OAuth client's roleDivisions.
var ClientRoleGrant = Entry{Key: "PUT /api/v2/oauth/clients/{clientId}", Permissions: []string{"oauth:client:edit", "oauth:client:view"},
	Purpose: "granting the data actions' role to the Terraform OAuth client", Source: provDocs + "resources/oauth_client.md"}

// DataActions is what the data actions' role grants, by the API call a data action makes.
var DataActions = []Entry{
	{Key: "POST /api/v2/externalcontacts/identifierlookup/contacts", Permissions: []string{"externalContacts:contact:view"}, Source: sdkDocs + "ExternalContactsApi postExternalcontactsIdentifierlookupContacts"},
	{Key: "POST /api/v2/externalcontacts/identifierlookup", Permissions: []string{"externalContacts:contact:view"}, Source: sdkDocs + "ExternalContactsApi postExternalcontactsIdentifierlookup"},
	{Key: "GET /api/v2/conversations/{conversationId}", Permissions: []string{"conversation:communication:view"}, Source: sdkDocs + "ConversationsApi getConversation"},
	{Key: "GET /api/v2/externalcontacts/contacts/{contactId}", Permissions: []string{"externalContacts:contact:view"}, Source: sdkDocs + "ExternalContactsApi getExternalcontactsContact"},
	{Key: "POST /api/v2/externalcontacts/contacts/merge", Permissions: []string{"externalContacts:identity:merge"}, Source: sdkDocs + "ExternalContactsApi postExternalcontactsContactsMerge"},
	{Key: "POST /api/v2/externalcontacts/merge/contacts", Permissions: []string{"externalContacts:identity:merge"}, Source: sdkDocs + "ExternalContactsApi postExternalcontactsMergeContacts"},
	{Key: "PUT /api/v2/externalcontacts/conversations/{conversationId}", Permissions: []string{"externalContacts:conversation:associate"}, Source: sdkDocs + "ExternalContactsApi putExternalcontactsConversation"},
	{Key: "PATCH /api/v2/externalcontacts/contacts/{contactId}/identifiers", Permissions: []string{"externalContacts:contact:edit"}, Source: sdkDocs + "ExternalContactsApi patchExternalcontactsContactIdentifiers"},
}

// Wire is what `bpgen wire` needs, by API call.
var Wire = []Entry{
	{Key: "PUT /api/v2/routing/message/recipients/{recipientId}", Permissions: []string{"routing:message:manage"}, Purpose: "recipient routing", Source: sdkDocs + "RoutingApi putRoutingMessageRecipient"},
	{Key: "GET /api/v2/conversations/messaging/integrations/open/{integrationId}", Permissions: []string{"messaging:integration:view"}, Purpose: "recipient routing", Source: provDocs + "resources/conversations_messaging_integrations_open.md"},
	{Key: "PUT /api/v2/conversations/messaging/identityresolution/integrations/open/{integrationId}", Permissions: []string{"messaging:integration:edit", "messaging:identityResolutionOpen:edit"}, Purpose: "open-messaging identity resolution", Source: sdkDocs + "ConversationsApi putConversationsMessagingIdentityresolutionIntegrationsOpenIntegrationId"},
	{Key: "PUT /api/v2/webdeployments/deployments/{deploymentId}", Permissions: []string{"webDeployments:deployment:view", "webDeployments:deployment:edit"}, Purpose: "Messenger identity resolution", Source: provDocs + "resources/webdeployments_deployment.md"},
}

// Verify is what `bpgen verify` needs, by purpose (the root README's list).
var Verify = []Entry{
	{Key: "objects", Permissions: []string{"architect:flow:view", "integrations:integration:view", "integrations:action:view", "routing:queue:view", "webDeployments:deployment:view", "messaging:integration:view", "oauth:client:view", "authorization:role:view"},
		Purpose: "the objects", Source: provDocs + "resources/*.md (the view permission of each resource)"},
	{Key: "POST /api/v2/integrations/actions/{actionId}/test", Permissions: []string{"integrations:action:execute"}, Purpose: "the lookup action's `/test`", Source: sdkDocs + "IntegrationsApi postIntegrationsActionTest"},
	{Key: "externalcontacts/contacts", Permissions: []string{"externalContacts:contact:add", "externalContacts:contact:view", "externalContacts:contact:edit", "externalContacts:contact:delete"},
		Purpose: "the seeded contacts and their clean-up; `:edit` claims identifier types that are not contact fields", Source: sdkDocs + "ExternalContactsApi (contacts, identifiers)"},
	{Key: "conversation lookup", Permissions: []string{"conversation:communication:view", "analytics:conversationDetail:view"},
		Purpose: "finding the conversation", Source: sdkDocs + "ConversationsApi getConversation; AnalyticsApi postAnalyticsConversationsDetailsQuery"},
}

// ForResource returns the entry of a resource type (data sources as "data.<type>").
func ForResource(key string) (Entry, bool) {
	i := slices.IndexFunc(Terraform, func(e Entry) bool { return e.Key == key })
	if i < 0 {
		return Entry{}, false
	}
	return Terraform[i], true
}

var inputRef = regexp.MustCompile(`\$\{input\.([A-Za-z0-9_]+)\}`)

// ForDataAction returns what the data actions' role must grant for a data
// action's request (its request_type and request_url_template).
func ForDataAction(method, urlTemplate string) ([]string, error) {
	key := method + " " + inputRef.ReplaceAllString(urlTemplate, "{$1}")
	for _, e := range DataActions {
		if e.Key == key {
			return slices.Clone(e.Permissions), nil
		}
	}
	return nil, fmt.Errorf("permissions: no entry for the data-action call %s", key)
}

// Markdown renders an entry as a README bullet: `a`, `b` (purpose).
func (e Entry) Markdown() string {
	if len(e.Permissions) == 0 {
		return e.Purpose + ": no permission"
	}
	q := make([]string, len(e.Permissions))
	for i, p := range e.Permissions {
		q[i] = "`" + p + "`"
	}
	return strings.Join(q, ", ") + " (" + e.Purpose + ")"
}
