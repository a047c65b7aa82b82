package contract

// Terraform output names: one per object id, read by wire, verify, internal/emulator/stack and
// `org serve` from `terraform output -json`.
const (
	OutputIntegration   = "integration_id"
	OutputRole          = "auth_role_id"
	OutputOAuthClient   = "oauth_client_id"
	OutputQueue         = "queue_id"
	OutputDivision      = "division_id"
	OutputMessengerConf = "messenger_configuration_id"
	OutputMessengerDepl = "messenger_deployment_id"
	OutputOpenMessaging = "open_messaging_integration_id"
	OutputSource        = "external_source_id"
)

// ActionOutput is the output holding a data action's id.
func ActionOutput(key string) string { return key + "_action_id" }

// FlowOutput is the output holding a flow's id.
func FlowOutput(key string) string { return key + "_flow_id" }

// Terraform variable names: declared by the generator, set by the emulated
// deployer and by the harness.
const (
	VarDivisionName               = "division_name"
	VarQueueMemberEmails          = "queue_member_emails"
	VarMessengerAllowedDomains    = "messenger_allowed_domains"
	VarOpenMessagingWebhookURL    = "open_messaging_webhook_url"
	VarOpenMessagingWebhookSecret = "open_messaging_webhook_secret"
	VarDataActionsClientID        = "data_actions_client_id"
	VarDataActionsClientSecret    = "data_actions_client_secret"
	VarDataActionsIntegrationID   = "data_actions_integration_id"
)
