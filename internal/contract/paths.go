package contract

// Bundle-relative paths of the files the generator writes and the checkers,
// the emulator and the harness read.
const (
	TerraformDir       = "terraform"
	FlowsDir           = "flows"
	ExportsDir         = "exports"
	TerraformVersions  = "terraform/versions.tf"
	TerraformVariables = "terraform/variables.tf"
	TerraformMain      = "terraform/main.tf"
	TerraformActions   = "terraform/data_actions.tf"
	TerraformFlows     = "terraform/flows.tf"
	TerraformOutputs   = "terraform/outputs.tf"
	TerraformMessenger = "terraform/messenger.tf"
	TerraformOpenMsg   = "terraform/open_messaging.tf"
	TerraformTfvars    = "terraform/dev.auto.tfvars"
	TerraformGitignore = "terraform/.gitignore"
	TerraformReadme    = "terraform/README.md"
	BotFlowFile        = "flows/bot_flow.yaml"
	ModuleFlowFile     = "flows/resolve_contact.yaml"
	InboundFlowFile    = "flows/inbound_message_flow.yaml"
)

// ExportPath is the UI-import JSON of a data action.
func ExportPath(key string) string { return ExportsDir + "/" + key + ".json" }
