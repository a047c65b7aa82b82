package terraform

import (
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
)

// Resource labels and the Terraform addresses they form.
const (
	IntegrationAddr    = "genesyscloud_integration.data_actions"
	RoleAddr           = "genesyscloud_auth_role.data_actions"
	OAuthClientAddr    = "genesyscloud_oauth_client.data_actions"
	CredentialAddr     = "genesyscloud_integration_credential.data_actions"
	MessengerConfAddr  = "genesyscloud_webdeployments_configuration.messenger"
	MessengerDeplAddr  = "genesyscloud_webdeployments_deployment.messenger"
	OpenMessagingAddr  = "genesyscloud_conversations_messaging_integrations_open.open_messaging"
	QueueResourceAddr  = "genesyscloud_routing_queue.queue"
	QueueDataAddr      = "data.genesyscloud_routing_queue.queue"
	SourceResourceAddr = "genesyscloud_externalcontacts_external_source.identity"
	SourceDataAddr     = "data.genesyscloud_externalcontacts_external_source.identity"
)

// ActionAddr is the address of a data action.
func ActionAddr(key string) string { return "genesyscloud_integration_action." + key }

// FlowAddr is the address of a flow.
func FlowAddr(key string) string { return "genesyscloud_flow." + key }

// Emit returns every file of terraform/ except dev.auto.tfvars, keyed by path.
func Emit(m *model.Model, fl []*flows.Flow) map[string][]byte {
	e := emitter{m: m, flows: fl}
	files := map[string]func() []byte{
		contract.TerraformVersions:  e.versions,
		contract.TerraformVariables: e.variables,
		contract.TerraformMain:      e.main,
		contract.TerraformActions:   e.dataActions,
		contract.TerraformFlows:     e.flowsFile,
		contract.TerraformOutputs:   e.outputs,
	}
	if m.WebMessaging != nil {
		files[contract.TerraformMessenger] = e.messenger
	}
	if m.OpenMessaging != nil {
		files[contract.TerraformOpenMsg] = e.openMessaging
	}
	// Each file is built from the model alone, so they are built concurrently;
	// the output does not depend on scheduling.
	out := make(map[string][]byte, len(files))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for path, build := range files {
		wg.Go(func() {
			b := build()
			mu.Lock()
			out[path] = b
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

type emitter struct {
	m     *model.Model
	flows []*flows.Flow
}

func split(addr string) []string { return strings.Split(addr, ".") }

func attr(addr, name string) hclwrite.Tokens { return ref(append(split(addr), name)...) }

func (e *emitter) queueAddr() string {
	if e.m.Queue.Existing {
		return QueueDataAddr
	}
	return QueueResourceAddr
}

func (e *emitter) sourceAddr() string {
	if e.m.ExternalSource != nil && e.m.ExternalSource.Create {
		return SourceResourceAddr
	}
	return SourceDataAddr
}

// refTokens maps a flow reference to the Terraform expression that supplies it.
func (e *emitter) refTokens(r flows.Ref) hclwrite.Tokens {
	switch r.Kind {
	case contract.KindDivision:
		return ref("local", "division_"+r.Attr)
	case contract.KindQueue:
		return attr(e.queueAddr(), r.Attr)
	case contract.KindFlow:
		return attr(FlowAddr(r.Key), r.Attr)
	case contract.KindDataAction:
		return attr(ActionAddr(r.Key), r.Attr)
	case contract.KindExternalSource:
		return attr(e.sourceAddr(), r.Attr)
	}
	panic("terraform: unknown reference kind " + r.Kind)
}

func (e *emitter) versions() []byte {
	f := newFile()
	tf := f.block("terraform")
	tf.SetAttributeValue("required_version", cty.StringVal(">= 1.5.0"))
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeRaw("genesyscloud", object([]string{"source", "version"}, map[string]hclwrite.Tokens{
		"source":  str("mypurecloud/genesyscloud"),
		"version": str(e.m.ProviderVersion),
	}))
	f.body.AppendNewline()
	f.comment("Credentials and region come from the environment, never from a file:",
		contract.EnvClientID+", "+contract.EnvClientSecret+" and "+contract.EnvRegion+".")
	f.body.AppendNewBlock("provider", []string{"genesyscloud"})
	return f.bytes()
}

func (e *emitter) variables() []byte {
	f := newFile()
	for _, v := range Variables(e.m) {
		b := f.block("variable", v.Name)
		b.SetAttributeRaw("type", expr(v.Type))
		b.SetAttributeValue("description", cty.StringVal(v.Description))
		if v.Default != cty.NilVal {
			b.SetAttributeValue("default", v.Default)
		}
		if v.Sensitive {
			b.SetAttributeValue("sensitive", cty.True)
		}
		for _, vd := range v.Validations {
			vb := b.AppendNewBlock("validation", nil).Body()
			vb.SetAttributeRaw("condition", expr(vd.Condition))
			vb.SetAttributeValue("error_message", cty.StringVal(vd.Message))
		}
	}
	return f.bytes()
}

func (e *emitter) main() []byte {
	m := e.m
	f := newFile()
	if m.DivisionName == "" {
		f.block("data", "genesyscloud_auth_division_home", "home")
	} else {
		d := f.block("data", "genesyscloud_auth_division", "selected")
		d.SetAttributeRaw("name", ref("var", contract.VarDivisionName))
	}
	div := "data.genesyscloud_auth_division_home.home"
	if m.DivisionName != "" {
		div = "data.genesyscloud_auth_division.selected"
	}
	l := f.block("locals")
	l.SetAttributeRaw("division_id", attr(div, "id"))
	l.SetAttributeRaw("division_name", attr(div, "name"))

	if m.Queue.Existing {
		q := f.block("data", "genesyscloud_routing_queue", "queue")
		q.SetAttributeValue("name", cty.StringVal(m.Names.Queue))
	} else {
		u := f.block("data", "genesyscloud_user", "queue_members")
		u.SetAttributeRaw("for_each", expr("toset(var."+contract.VarQueueMemberEmails+")"))
		u.SetAttributeRaw("email", expr("each.value"))
		q := f.block("resource", "genesyscloud_routing_queue", "queue")
		q.SetAttributeValue("name", cty.StringVal(m.Names.Queue))
		q.SetAttributeValue("description", cty.StringVal("Conversations after identity resolution (bpgen)."))
		q.SetAttributeRaw("division_id", ref("local", "division_id"))
		d := q.AppendNewBlock("dynamic", []string{"members"}).Body()
		d.SetAttributeRaw("for_each", ref("data", "genesyscloud_user", "queue_members"))
		d.AppendNewBlock("content", nil).Body().SetAttributeRaw("user_id", ref("members", "value", "id"))
	}
	if s := m.ExternalSource; s != nil {
		if s.Create {
			r := f.block("resource", "genesyscloud_externalcontacts_external_source", "identity")
			r.SetAttributeValue("name", cty.StringVal(s.Name))
			r.SetAttributeValue("active", cty.True)
		} else {
			r := f.block("data", "genesyscloud_externalcontacts_external_source", "identity")
			r.SetAttributeValue("name", cty.StringVal(s.Name))
		}
	}
	return f.bytes()
}

func schemaValue(s *model.Schema) cty.Value {
	attrs := map[string]cty.Value{}
	if s.Type != "" {
		attrs["type"] = cty.StringVal(s.Type)
	}
	if s.Description != "" {
		attrs["description"] = cty.StringVal(s.Description)
	}
	if len(s.Enum) > 0 {
		attrs["enum"] = strTuple(s.Enum)
	}
	if len(s.Required) > 0 {
		attrs["required"] = strTuple(s.Required)
	}
	if s.Properties != nil {
		props := map[string]cty.Value{}
		for _, p := range s.Properties {
			props[p.Name] = schemaValue(p.Schema)
		}
		attrs["properties"] = cty.ObjectVal(props)
	}
	if s.AdditionalProperties != nil {
		attrs["additionalProperties"] = cty.BoolVal(*s.AdditionalProperties)
	}
	return cty.ObjectVal(attrs)
}

func strTuple(items []string) cty.Value {
	vals := make([]cty.Value, len(items))
	for i, s := range items {
		vals[i] = cty.StringVal(s)
	}
	return cty.TupleVal(vals)
}

func (e *emitter) dataActions() []byte {
	m := e.m
	f := newFile("The data-action integration, its credentials, and the data actions the common module calls.")
	var integrationID hclwrite.Tokens
	switch m.Credentials {
	case "create":
		r := f.block("resource", "genesyscloud_auth_role", "data_actions")
		r.SetAttributeValue("name", cty.StringVal(m.Names.Role))
		r.SetAttributeValue("description", cty.StringVal("Least privilege for the identity-resolution data actions (bpgen): "+permList(m)+"."))
		for _, p := range m.Permissions() {
			pp := r.AppendNewBlock("permission_policies", nil).Body()
			pp.SetAttributeValue("domain", cty.StringVal(p.Domain))
			pp.SetAttributeValue("entity_name", cty.StringVal(p.Entity))
			pp.SetAttributeValue("action_set", cty.SetVal([]cty.Value{cty.StringVal(p.Action)}))
		}
		c := f.block("resource", "genesyscloud_oauth_client", "data_actions")
		c.SetAttributeValue("name", cty.StringVal(m.Names.OAuthClient))
		c.SetAttributeValue("description", cty.StringVal("Calls the Platform API for the identity-resolution data actions (bpgen)."))
		c.SetAttributeValue("authorized_grant_type", cty.StringVal("CLIENT-CREDENTIALS"))
		c.SetAttributeValue("access_token_validity_seconds", cty.NumberIntVal(DataActionsTokenSeconds))
		// The provider creates the integration credential itself, so the client
		// secret is never exposed to Terraform state or outputs.
		c.SetAttributeValue("integration_credential_name", cty.StringVal(m.Names.OAuthClient))
		rb := c.AppendNewBlock("roles", nil).Body()
		rb.SetAttributeRaw("role_id", attr(RoleAddr, "id"))
		if m.AllDivisions {
			rb.SetAttributeValue("division_id", cty.StringVal("*"))
		} else {
			rb.SetAttributeRaw("division_id", ref("local", "division_id"))
		}
		e.integration(f, attr(OAuthClientAddr, "integration_credential_id"))
		integrationID = attr(IntegrationAddr, "id")
	case "existingClient":
		c := f.block("resource", "genesyscloud_integration_credential", "data_actions")
		c.SetAttributeValue("name", cty.StringVal(m.Names.Integration))
		c.SetAttributeValue("credential_type_name", cty.StringVal(contract.CredentialTypeOAuthClient))
		c.SetAttributeRaw("fields", object([]string{"clientId", "clientSecret"}, map[string]hclwrite.Tokens{
			"clientId":     ref("var", contract.VarDataActionsClientID),
			"clientSecret": ref("var", contract.VarDataActionsClientSecret),
		}))
		e.integration(f, attr(CredentialAddr, "id"))
		integrationID = attr(IntegrationAddr, "id")
	case "existingIntegration":
		integrationID = ref("var", contract.VarDataActionsIntegrationID)
	}
	for _, a := range m.Actions {
		d := a.Def
		r := f.block("resource", "genesyscloud_integration_action", a.Key)
		r.SetAttributeValue("name", cty.StringVal(a.Name))
		r.SetAttributeValue("category", cty.StringVal(m.Category))
		r.SetAttributeRaw("integration_id", integrationID)
		r.SetAttributeValue("secure", cty.BoolVal(d.Secure))
		r.SetAttributeValue("config_timeout_seconds", cty.NumberIntVal(int64(d.Config.TimeoutSeconds)))
		r.SetAttributeRaw("contract_input", call("jsonencode", val(schemaValue(a.Input))))
		r.SetAttributeRaw("contract_output", call("jsonencode", val(schemaValue(a.Output))))
		rq := r.AppendNewBlock("config_request", nil).Body()
		rq.SetAttributeValue("request_url_template", cty.StringVal(d.Config.Request.RequestURLTemplate))
		rq.SetAttributeValue("request_type", cty.StringVal(d.Config.Request.RequestType))
		rq.SetAttributeValue("request_template", cty.StringVal(d.Config.Request.RequestTemplate))
		rq.SetAttributeValue("headers", strMap(d.Config.Request.Headers))
		rs := r.AppendNewBlock("config_response", nil).Body()
		rs.SetAttributeValue("translation_map", strMap(d.Config.Response.TranslationMap))
		rs.SetAttributeValue("translation_map_defaults", strMap(d.Config.Response.TranslationMapDefaults))
		rs.SetAttributeValue("success_template", cty.StringVal(d.Config.Response.SuccessTemplate))
	}
	return f.bytes()
}

func permList(m *model.Model) string {
	var ps []string
	for _, p := range m.Permissions() {
		ps = append(ps, p.String())
	}
	return strings.Join(ps, ", ")
}

func (e *emitter) integration(f *file, credential hclwrite.Tokens) {
	r := f.block("resource", "genesyscloud_integration", "data_actions")
	r.SetAttributeValue("integration_type", cty.StringVal(fmtda.IntegrationType))
	r.SetAttributeValue("intended_state", cty.StringVal("ENABLED"))
	c := r.AppendNewBlock("config", nil).Body()
	c.SetAttributeValue("name", cty.StringVal(e.m.Names.Integration))
	c.SetAttributeValue("notes", cty.StringVal("Identity-resolution data actions (bpgen)."))
	c.SetAttributeRaw("credentials", object([]string{contract.CredentialTypeOAuthClient}, map[string]hclwrite.Tokens{contract.CredentialTypeOAuthClient: credential}))
}

func (e *emitter) flowsFile() []byte {
	f := newFile(
		"Names reach the flows through substitutions fed by resource attributes, so Terraform",
		"publishes callees before callers. Each value is jsonencode()d: a JSON string is a valid",
		"YAML scalar, so any name is safe. update_trigger_hash republishes a flow when an object",
		"it calls is recreated with a new id (e.g. a data action whose contract changed).",
	)
	for _, fl := range e.flows {
		r := f.block("resource", "genesyscloud_flow", fl.Key)
		r.SetAttributeRaw("filepath", template([]string{"path", "module"}, "/../"+fl.File))
		keys := make([]string, 0, len(fl.Subs))
		vals := map[string]hclwrite.Tokens{}
		for _, s := range fl.Subs {
			keys = append(keys, s.Key)
			vals[s.Key] = call("jsonencode", e.refTokens(s.Ref))
		}
		sort.Strings(keys)
		r.SetAttributeRaw("substitutions", object(keys, vals))
		var ids []hclwrite.Tokens
		for _, u := range fl.Uses {
			ids = append(ids, e.refTokens(u))
		}
		r.SetAttributeRaw("update_trigger_hash", call("sha256", call("join", str(","), hclwrite.TokensForTuple(ids))))
	}
	return f.bytes()
}

func (e *emitter) messenger() []byte {
	m := e.m
	f := newFile("Messenger: the web-messaging configuration and the deployment that starts the inbound message flow.")
	c := f.block("resource", "genesyscloud_webdeployments_configuration", "messenger")
	c.SetAttributeValue("name", cty.StringVal(m.Names.MessengerConfiguration))
	c.SetAttributeValue("description", cty.StringVal("Messenger for identity resolution (bpgen)."))
	c.SetAttributeValue("languages", cty.ListVal([]cty.Value{cty.StringVal(m.Language)}))
	c.SetAttributeValue("default_language", cty.StringVal(m.Language))
	ms := c.AppendNewBlock("messenger", nil).Body()
	ms.SetAttributeValue("enabled", cty.True)
	ms.AppendNewBlock("launcher_button", nil).Body().SetAttributeValue("visibility", cty.StringVal("On"))
	ms.AppendNewBlock("apps", nil).Body().AppendNewBlock("conversations", nil).Body().SetAttributeValue("enabled", cty.True)
	c.AppendNewBlock("journey_events", nil).Body().SetAttributeValue("enabled", cty.False)

	d := f.block("resource", "genesyscloud_webdeployments_deployment", "messenger")
	d.SetAttributeValue("name", cty.StringVal(m.Names.MessengerDep))
	d.SetAttributeValue("description", cty.StringVal("Messenger for identity resolution (bpgen)."))
	d.SetAttributeRaw("flow_id", attr(FlowAddr(flows.InboundKey), "id"))
	d.SetAttributeValue("status", cty.StringVal("Active"))
	d.SetAttributeRaw("allow_all_domains", expr("length(var."+contract.VarMessengerAllowedDomains+") == 0"))
	d.SetAttributeRaw("allowed_domains", ref("var", contract.VarMessengerAllowedDomains))
	cb := d.AppendNewBlock("configuration", nil).Body()
	cb.SetAttributeRaw("id", attr(MessengerConfAddr, "id"))
	cb.SetAttributeRaw("version", attr(MessengerConfAddr, "version"))
	return f.bytes()
}

func (e *emitter) openMessaging() []byte {
	f := newFile(
		"Open messaging. The provider cannot route the integration's recipient to the inbound",
		"message flow: run `bpgen wire` after apply (see README.md).",
	)
	r := f.block("resource", "genesyscloud_conversations_messaging_integrations_open", "open_messaging")
	r.SetAttributeValue("name", cty.StringVal(e.m.Names.OpenMessaging))
	r.SetAttributeRaw("outbound_notification_webhook_url", ref("var", contract.VarOpenMessagingWebhookURL))
	r.SetAttributeRaw("outbound_notification_webhook_signature_secret_token", ref("var", contract.VarOpenMessagingWebhookSecret))
	return f.bytes()
}

// Output is one output of the bundle.
type Output struct {
	Name, Description string
	Value             hclwrite.Tokens
}

// Outputs lists the bundle's outputs: the id of every object.
func (e *emitter) outputList() []Output {
	m := e.m
	var out []Output
	add := func(name, desc string, v hclwrite.Tokens) {
		out = append(out, Output{name, desc, v})
	}
	add(contract.OutputDivision, "Division of every object.", ref("local", "division_id"))
	switch m.Credentials {
	case "create":
		add(contract.OutputRole, "Role of the data actions' OAuth client.", attr(RoleAddr, "id"))
		add(contract.OutputOAuthClient, "OAuth client the data actions call the API with.", attr(OAuthClientAddr, "id"))
		add(contract.OutputIntegration, "Data-action integration.", attr(IntegrationAddr, "id"))
	case "existingClient":
		add(contract.OutputIntegration, "Data-action integration.", attr(IntegrationAddr, "id"))
	case "existingIntegration":
		add(contract.OutputIntegration, "Data-action integration.", ref("var", contract.VarDataActionsIntegrationID))
	}
	for _, a := range m.Actions {
		add(contract.ActionOutput(a.Key), "Data action \""+a.Name+"\".", attr(ActionAddr(a.Key), "id"))
	}
	add(contract.OutputQueue, "Queue every conversation ends in.", attr(e.queueAddr(), "id"))
	if m.ExternalSource != nil {
		add(contract.OutputSource, "External source of ExternalId identifiers.", attr(e.sourceAddr(), "id"))
	}
	for _, fl := range e.flows {
		add(contract.FlowOutput(fl.Key), "Flow \""+fl.Name+"\".", attr(FlowAddr(fl.Key), "id"))
	}
	if m.WebMessaging != nil {
		add(contract.OutputMessengerConf, "Messenger configuration.", attr(MessengerConfAddr, "id"))
		add(contract.OutputMessengerDepl, "Messenger deployment: the deploymentId your web page's snippet uses.", attr(MessengerDeplAddr, "id"))
	}
	if m.OpenMessaging != nil {
		add(contract.OutputOpenMessaging, "Open-messaging integration.", attr(OpenMessagingAddr, "id"))
	}
	return out
}

// OutputNames lists output names in order, for the manifest.
func OutputNames(m *model.Model, fl []*flows.Flow) []string {
	e := emitter{m: m, flows: fl}
	var names []string
	for _, o := range e.outputList() {
		names = append(names, o.Name)
	}
	return names
}

func (e *emitter) outputs() []byte {
	f := newFile()
	for _, o := range e.outputList() {
		b := f.block("output", o.Name)
		b.SetAttributeValue("description", cty.StringVal(o.Description))
		b.SetAttributeRaw("value", o.Value)
	}
	return f.bytes()
}

// DataActionsTokenSeconds is the data actions' OAuth client token lifetime
// (one day); internal/render/limits bounds it (limits.OAuthTokenValidity).
const DataActionsTokenSeconds = 86400
