package org

import (
	"net/http"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// platformRoutes is the org's Platform API surface (and the emulator's own
// admin paths), one row a route, by resource. Each handler's comment says
// which SDK model and which caller it follows; the provider citations are
// to mypurecloud/genesyscloud v1.82.0.
func (o *Org) platformRoutes() []route {
	const (
		contacts     = "/api/v2/externalcontacts"
		divisions    = "/api/v2/authorization/divisions"
		roles        = "/api/v2/authorization/roles"
		oauthClients = "/api/v2/oauth/clients"
		integrations = "/api/v2/integrations"
		credentials  = integrations + "/credentials"
		actions      = integrations + "/actions"
		queues       = "/api/v2/routing/queues"
		flows        = "/api/v2/flows"
		webDeploy    = "/api/v2/webdeployments"
		openInt      = "/api/v2/conversations/messaging/integrations/open"
		openIR       = "/api/v2/conversations/messaging/identityresolution/integrations/open/{integrationId}"
		recipients   = "/api/v2/routing/message/recipients/{recipientId}"
	)
	return []route{
		// External contacts, identifiers, sources and merges.
		{"POST " + contacts + "/contacts", withBody(o.httpCreateContact)},
		{"GET " + contacts + "/contacts", o.httpSearchContacts},
		{"GET " + contacts + "/contacts/{contactId}", o.httpGetContact(true)},
		{"GET " + contacts + "/contacts/{contactId}/unresolved", o.httpGetContact(false)},
		{"PUT " + contacts + "/contacts/{contactId}", withBody(o.httpUpdateContact)},
		{"PATCH " + contacts + "/contacts/{contactId}", o.httpPatchContact},
		{"DELETE " + contacts + "/contacts/{contactId}", o.httpDeleteContact},
		{"POST " + contacts + "/contacts/{contactId}/promotion", o.httpPromoteContact},
		{"GET " + contacts + "/contacts/{contactId}/identifiers", o.httpListIdentifiers},
		{"PATCH " + contacts + "/contacts/{contactId}/identifiers", withBody(o.httpClaimIdentifier)},
		{"POST " + contacts + "/identifierlookup", withBody(o.httpLookup)},
		{"POST " + contacts + "/identifierlookup/contacts", withBody(o.httpLookup)},
		{"POST " + contacts + "/externalsources", withBody(o.httpCreateSource)},
		{"GET " + contacts + "/externalsources", o.httpListSources},
		{"GET " + contacts + "/externalsources/{sourceId}", getByID("sourceId", o.ExternalSource, asIs[ExternalSource])},
		{"DELETE " + contacts + "/externalsources/{sourceId}", deleteByID("sourceId", o.DeleteExternalSource)},
		{"POST " + contacts + "/merge/contacts", withBody(o.httpMergeLegacy)},
		{"POST " + contacts + "/contacts/merge", withBody(o.httpMergeContacts)},
		{"PUT " + contacts + "/conversations/{conversationId}", withBody(o.httpAssociate)},

		// Conversations and messages.
		{"GET /api/v2/conversations/{conversationId}", getByID("conversationId", o.Conversation, renderConversation)},
		{"GET /api/v2/conversations/messages/{conversationId}", getByID("conversationId", o.Conversation, renderMessageConversation)},
		{"PATCH /api/v2/conversations/{conversationId}/participants/{participantId}/attributes", o.httpPatchAttributes(false)},
		{"PATCH /api/v2/conversations/messages/{conversationId}/participants/{participantId}/attributes", o.httpPatchAttributes(true)},
		{"GET /api/v2/conversations/messages/{messageId}/details", o.httpMessageDetails},
		{"POST /api/v2/conversations/messages/{integrationId}/inbound/open/message", o.httpOpenInbound},
		// The analytics detail query a harness finds its conversation by (api.md 2.4).
		{"POST /api/v2/analytics/conversations/details/query", withBody(o.httpConversationDetails)},

		// Provider set-up (genesyscloud/provider/provider.go).
		{"GET /api/v2/organizations/me", o.httpOrganizationMe},
		{"GET /api/v2/authorization/products", o.httpAuthorizationProducts},
		{"GET /api/v2/tokens/me", o.httpTokensMe},
		{"GET /api/v2/authorization/permissions", o.httpPermissions},

		// Divisions, roles, OAuth clients, users.
		{"POST " + divisions, createFrom(decodeDivision, o.CreateDivision, asIs[Division])},
		{"GET " + divisions, o.httpListDivisions},
		{"GET " + divisions + "/home", func(_ http.ResponseWriter, _ *http.Request) (any, error) { return o.Division(homeDivision.ID) }},
		{"GET " + divisions + "/{divisionId}", getByID("divisionId", o.Division, asIs[Division])},
		{"PUT " + divisions + "/{divisionId}", decoded(decodeDivision, o.httpPutDivision)},
		{"DELETE " + divisions + "/{divisionId}", deleteByID("divisionId", o.DeleteDivision)},
		{"POST " + roles, docWrite(o, o.decodeRole, o.createRole, roleID, o.renderRoleDoc)},
		{"GET " + roles, o.httpListRoles},
		{"GET " + roles + "/{roleId}", getByID("roleId", o.Role, o.renderRoleDoc)},
		{"PUT " + roles + "/{roleId}", docWrite(o, o.decodeRole, o.putRole, roleID, o.renderRoleDoc)},
		{"DELETE " + roles + "/{roleId}", deleteByID("roleId", o.DeleteRole)},
		{"POST " + oauthClients, decoded(decodeOAuth, o.httpCreateOAuthClient)},
		{"GET " + oauthClients, o.httpListOAuthClients},
		{"GET " + oauthClients + "/{clientId}", getByID("clientId", o.OAuthClient, renderOAuthClient)},
		{"PUT " + oauthClients + "/{clientId}", decoded(decodeOAuth, o.handlePutOAuthClient)},
		{"DELETE " + oauthClients + "/{clientId}", deleteByID("clientId", o.DeleteOAuthClient)},
		{"GET /api/v2/users", o.httpListUsers},
		{"POST /api/v2/users/search", o.httpSearchUsers},

		// Integrations, credentials, data actions.
		{"POST " + integrations, o.httpCreateIntegration},
		{"GET " + integrations, o.httpListIntegrations},
		{"GET " + integrations + "/{integrationId}", getByIDAs("integrationId", o.Integration, o.integrationAsRequested)},
		{"PATCH " + integrations + "/{integrationId}", o.httpPatchIntegration},
		{"DELETE " + integrations + "/{integrationId}", deleteByID("integrationId", o.DeleteIntegration)},
		{"GET " + integrations + "/{integrationId}/config/current", getByID("integrationId", o.integrationConfig, asIs[apimodel.IntegrationConfiguration])},
		{"PUT " + integrations + "/{integrationId}/config/current", o.httpPutIntegrationConfig},
		{"POST " + credentials, createFrom(decodeCredential, o.CreateIntegrationCredential, renderCredential)},
		{"GET " + credentials, o.httpListCredentials},
		{"GET " + credentials + "/{credentialId}", getByID("credentialId", o.IntegrationCredential, renderCredential)},
		{"PUT " + credentials + "/{credentialId}", decoded(decodeCredential, o.httpPutCredential)},
		{"DELETE " + credentials + "/{credentialId}", deleteByID("credentialId", o.DeleteIntegrationCredential)},
		{"POST " + actions, createFrom(decodeAction, o.CreateDataAction, renderActionWithConfig)},
		{"GET " + actions, o.httpListActions},
		{"GET " + actions + "/{actionId}", getByIDAs("actionId", o.DataAction, actionAsRequested)},
		{"PATCH " + actions + "/{actionId}", o.httpPatchAction},
		{"DELETE " + actions + "/{actionId}", deleteByID("actionId", o.DeleteDataAction)},
		{"GET " + actions + "/{actionId}/templates/{fileName}", o.httpActionTemplate},
		{"POST " + actions + "/{actionId}/test", o.httpRunAction(true)},
		{"POST " + actions + "/{actionId}/execute", o.httpRunAction(false)},

		// Queues and their members.
		{"POST " + queues, docWrite(o, decodeQueue, o.createQueue, queueID, o.renderQueueDoc)},
		{"GET " + queues, o.httpListQueues},
		{"GET " + queues + "/{queueId}", getByID("queueId", o.Queue, o.renderQueueDoc)},
		{"PUT " + queues + "/{queueId}", docWrite(o, decodeQueue, o.putQueue, queueID, o.renderQueueDoc)},
		{"DELETE " + queues + "/{queueId}", deleteByID("queueId", o.DeleteQueue)},
		{"GET " + queues + "/{queueId}/wrapupcodes", o.httpQueueWrapupCodes},
		{"GET " + queues + "/{queueId}/members", o.httpQueueMembers},
		{"POST " + queues + "/{queueId}/members", o.httpQueueMembersChange},
		{"PATCH " + queues + "/{queueId}/members/{memberId}", o.httpPatchQueueMember},

		// Flows and the Architect jobs that publish them.
		{"GET " + flows, o.httpListFlows},
		{"GET " + flows + "/{flowId}", getByID("flowId", o.Flow, o.renderFlow)},
		{"DELETE " + flows + "/{flowId}", deleteByID("flowId", o.DeleteFlow)},
		{"POST " + flows + "/jobs", o.httpCreateFlowJob},
		{"GET " + flows + "/jobs/{jobId}", o.httpGetFlowJob},
		{"PUT " + UploadPath + "{jobId}", o.httpUploadFlow},

		// Messenger configurations and deployments.
		{"POST " + webDeploy + "/configurations", docWrite(o, decodeConfig, o.createConfiguration, configID, o.renderDraft)},
		{"GET " + webDeploy + "/configurations", o.httpListConfigurations},
		{"DELETE " + webDeploy + "/configurations/{configurationId}", deleteByID("configurationId", o.DeleteMessengerConfiguration)},
		{"GET " + webDeploy + "/configurations/{configurationId}/versions", o.httpListConfigurationVersions},
		{"GET " + webDeploy + "/configurations/{configurationId}/versions/{versionId}", o.httpGetConfigurationVersionDoc},
		{"PUT " + webDeploy + "/configurations/{configurationId}/versions/draft", docWrite(o, decodeConfig, o.putDraft, configID, o.renderDraft)},
		{"POST " + webDeploy + "/configurations/{configurationId}/versions/draft/publish", o.httpPublishDraft},
		{"POST " + webDeploy + "/deployments", createFrom(decodeDeployment, o.CreateWebDeployment, o.renderWebDeployment)},
		{"GET " + webDeploy + "/deployments", o.httpListDeployments},
		{"GET " + webDeploy + "/deployments/{deploymentId}", getByID("deploymentId", o.WebDeployment, o.renderWebDeployment)},
		{"PUT " + webDeploy + "/deployments/{deploymentId}", decoded(decodeDeployment, o.httpPutDeployment)},
		{"DELETE " + webDeploy + "/deployments/{deploymentId}", deleteByID("deploymentId", o.DeleteWebDeployment)},
		{"GET " + webDeploy + "/deployments/{deploymentId}/identityresolution", o.httpGetResolution(o.WebDeploymentIdentityResolution, webResolutionURI)},
		{"PUT " + webDeploy + "/deployments/{deploymentId}/identityresolution", o.httpPutResolution(o.SetWebDeploymentIdentityResolution, webResolutionURI)},
		// The public deployment config Messenger reads before connecting
		// lives on api-cdn.{domain} without authentication (api.md 4.1).
		{"GET /webdeployments/v1/deployments/{deploymentId}/config.json", getByIDAs("deploymentId", o.WebDeployment, o.publicConfig)},

		// Open messaging integrations, their identity resolution, recipients.
		{"POST " + openInt, o.httpCreateOpenIntegration},
		{"GET " + openInt + "/{integrationId}", getByID("integrationId", o.OpenIntegration, renderOpenIntegration)},
		{"DELETE " + openInt + "/{integrationId}", deleteByID("integrationId", o.DeleteOpenIntegration)},
		{"GET " + openIR, o.httpGetResolution(o.OpenIdentityResolution, openResolutionURI)},
		{"PUT " + openIR, o.httpPutResolution(o.SetOpenIdentityResolution, openResolutionURI)},
		{"GET " + recipients, getByID("recipientId", o.Recipient, o.renderRecipient)},
		{"PUT " + recipients, withBody(o.httpPutRecipient)},

		// The emulator's own admin paths (no token, no faults).
		{"POST " + AdminPrefix + "faults", withBody(o.httpAddFault)},
		{"GET " + AdminPrefix + "faults", o.httpListFaults},
		{"DELETE " + AdminPrefix + "faults", o.httpClearFaults},
		{"DELETE " + AdminPrefix + "faults/{id}", o.httpRemoveFault},
		{"PUT " + AdminPrefix + "oauth/clients/{clientId}/roles", withBody(o.httpGrantClientRoles)},
		{"POST " + AdminPrefix + "users", o.httpAdminCreateUser},
	}
}
