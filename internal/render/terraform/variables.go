package terraform

import (
	"strconv"

	"github.com/zclconf/go-cty/cty"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/render/model"
)

// Variable is one input variable of the bundle.
type Variable struct {
	Name        string
	Type        string // HCL type expression
	Description string
	// Default is cty.NilVal when the variable has none.
	Default     cty.Value
	Sensitive   bool
	Validations []Validation
	// Example is shown (commented out) in dev.auto.tfvars for values with no default.
	Example string
}

// Validation is a validation block.
type Validation struct {
	Condition string
	Message   string
}

// InTfvars reports whether the variable belongs in dev.auto.tfvars: secrets never do.
func (v Variable) InTfvars() bool { return !v.Sensitive }

// Variables returns the bundle's variables in declaration order.
func Variables(m *model.Model) []Variable {
	var out []Variable
	if m.DivisionName != "" {
		out = append(out, Variable{
			Name:        contract.VarDivisionName,
			Type:        "string",
			Description: "Division of every object. Looked up by name at plan time, so a typo fails before anything is created.",
			Default:     cty.StringVal(m.DivisionName),
			Validations: []Validation{{"length(trimspace(var.division_name)) > 0", "division_name must not be empty; remove `division` from bpgen.yaml to use the home division."}},
		})
	}
	if !m.Queue.Existing {
		out = append(out, stringList(contract.VarQueueMemberEmails, "Emails of the users to add to the queue (each must be an existing user).",
			m.Queue.Members, "e", `^[^@\s]+@[^@\s]+$`, "an email address"))
	}
	if m.WebMessaging != nil {
		out = append(out, stringList(contract.VarMessengerAllowedDomains, "Domains allowed to load Messenger. Empty allows every domain.",
			m.WebMessaging.AllowedDomains, "d", `^[A-Za-z0-9*]([A-Za-z0-9.*-]*[A-Za-z0-9])?$`, "a bare domain such as www.example.com (no scheme, no path)"))
	}
	if m.OpenMessaging != nil {
		out = append(out,
			Variable{
				Name:        contract.VarOpenMessagingWebhookURL,
				Type:        "string",
				Description: "Where Genesys Cloud posts outbound open messages (your middleware).",
				Default:     cty.StringVal(m.OpenMessaging.WebhookURL),
				Validations: []Validation{{`can(regex("^https://\\S+$", var.open_messaging_webhook_url))`, "open_messaging_webhook_url must be an https:// URL."}},
			},
			Variable{
				Name:        contract.VarOpenMessagingWebhookSecret,
				Type:        "string",
				Description: "Signature secret for outbound webhooks (X-Hub-Signature-256). Pass it as TF_VAR_open_messaging_webhook_secret; never write it in a file.",
				Default:     cty.NilVal,
				Sensitive:   true,
				Validations: []Validation{{"length(var.open_messaging_webhook_secret) > 15", "open_messaging_webhook_secret must be longer than 15 characters."}},
			})
	}
	switch m.Credentials {
	case "existingClient":
		out = append(out,
			Variable{
				Name:        contract.VarDataActionsClientID,
				Type:        "string",
				Description: "Client id of the existing client-credentials OAuth client the data actions call the API with. Pass it as TF_VAR_data_actions_client_id.",
				Sensitive:   true,
				Default:     cty.NilVal,
				Validations: []Validation{{"length(trimspace(var.data_actions_client_id)) > 0", "data_actions_client_id must not be empty."}},
			},
			Variable{
				Name:        contract.VarDataActionsClientSecret,
				Type:        "string",
				Description: "Secret of that OAuth client. Pass it as TF_VAR_data_actions_client_secret; never write it in a file.",
				Sensitive:   true,
				Default:     cty.NilVal,
				Validations: []Validation{{"length(trimspace(var.data_actions_client_secret)) > 0", "data_actions_client_secret must not be empty."}},
			})
	case "existingIntegration":
		out = append(out, Variable{
			Name:        contract.VarDataActionsIntegrationID,
			Type:        "string",
			Description: "Id of the existing Genesys Cloud data-action integration (Admin > Integrations) the data actions are added to.",
			Default:     cty.NilVal,
			Example:     "00000000-0000-0000-0000-000000000000",
			Validations: []Validation{{`can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.data_actions_integration_id))`, "data_actions_integration_id must be an integration id (a UUID)."}},
		})
	}
	return out
}

// stringList is a list(string) variable whose every entry (named as in the
// validation's for expression) must match the regular expression re; what
// says what an entry must be.
func stringList(name, desc string, def []string, as, re, what string) Variable {
	return Variable{
		Name:        name,
		Type:        "list(string)",
		Description: desc,
		Default:     strList(def),
		Validations: []Validation{{"alltrue([for " + as + " in var." + name + " : can(regex(" + strconv.Quote(re) + ", " + as + "))])",
			"Every " + name + " entry must be " + what + "."}},
	}
}
