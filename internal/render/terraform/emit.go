package terraform

import (
	"sort"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/render/parallel"
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
	files := e.files()
	// Each file is built from the model alone, so they are built concurrently;
	// the output does not depend on scheduling.
	out := make(map[string][]byte, len(files))
	var mu sync.Mutex
	var wg parallel.Group
	for path, build := range files {
		wg.Go(func() {
			b := build().bytes()
			mu.Lock()
			out[path] = b
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// files maps each path Emit writes to the function building its tree.
func (e *emitter) files() map[string]func() *file {
	files := map[string]func() *file{
		contract.TerraformVersions:  e.versions,
		contract.TerraformVariables: e.variables,
		contract.TerraformMain:      e.main,
		contract.TerraformActions:   e.dataActions,
		contract.TerraformFlows:     e.flowsFile,
		contract.TerraformOutputs:   e.outputs,
	}
	if e.m.WebMessaging != nil {
		files[contract.TerraformMessenger] = e.messenger
	}
	if e.m.OpenMessaging != nil {
		files[contract.TerraformOpenMsg] = e.openMessaging
	}
	return files
}

type emitter struct {
	m     *model.Model
	flows []*flows.Flow
}

func split(addr string) []string { return strings.Split(addr, ".") }

func attr(addr, name string) Expr { return ref(append(split(addr), name)...) }

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
func (e *emitter) refTokens(r flows.Ref) Expr {
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

func (e *emitter) versions() *file {
	f := newFile()
	tf := f.topBlock("terraform")
	tf.attr("required_version", str(">= 1.5.0"))
	rp := tf.block("required_providers")
	rp.attr("genesyscloud", object([]string{"source", "version"}, map[string]Expr{
		"source":  str("mypurecloud/genesyscloud"),
		"version": str(e.m.ProviderVersion),
	}))
	f.blank()
	f.comment("Credentials and region come from the environment, never from a file:",
		contract.EnvClientID+", "+contract.EnvClientSecret+" and "+contract.EnvRegion+".")
	f.block("provider", "genesyscloud")
	return f
}

func (e *emitter) variables() *file {
	f := newFile()
	for _, v := range Variables(e.m) {
		b := f.topBlock("variable", v.Name)
		b.attr("type", expr(v.Type))
		b.attr("description", str(v.Description))
		if v.Default != cty.NilVal {
			b.attr("default", value(v.Default))
		}
		if v.Sensitive {
			b.attr("sensitive", boolean(true))
		}
		for _, vd := range v.Validations {
			vb := b.block("validation")
			vb.attr("condition", expr(vd.Condition))
			vb.attr("error_message", str(vd.Message))
		}
	}
	return f
}

func (e *emitter) main() *file {
	m := e.m
	f := newFile()
	if m.DivisionName == "" {
		f.topBlock("data", "genesyscloud_auth_division_home", "home")
	} else {
		d := f.topBlock("data", "genesyscloud_auth_division", "selected")
		d.attr("name", ref("var", contract.VarDivisionName))
	}
	div := "data.genesyscloud_auth_division_home.home"
	if m.DivisionName != "" {
		div = "data.genesyscloud_auth_division.selected"
	}
	l := f.topBlock("locals")
	l.attr("division_id", attr(div, "id"))
	l.attr("division_name", attr(div, "name"))

	if m.Queue.Existing {
		q := f.topBlock("data", "genesyscloud_routing_queue", "queue")
		q.attr("name", str(m.Names.Queue))
	} else {
		u := f.topBlock("data", "genesyscloud_user", "queue_members")
		u.attr("for_each", expr("toset(var."+contract.VarQueueMemberEmails+")"))
		u.attr("email", expr("each.value"))
		q := f.topBlock("resource", "genesyscloud_routing_queue", "queue")
		q.attr("name", str(m.Names.Queue))
		q.attr("description", str("Conversations after identity resolution (bpgen)."))
		q.attr("division_id", ref("local", "division_id"))
		d := q.block("dynamic", "members")
		d.attr("for_each", ref("data", "genesyscloud_user", "queue_members"))
		d.block("content").attr("user_id", ref("members", "value", "id"))
	}
	if s := m.ExternalSource; s != nil {
		if s.Create {
			r := f.topBlock("resource", "genesyscloud_externalcontacts_external_source", "identity")
			r.attr("name", str(s.Name))
			r.attr("active", boolean(true))
		} else {
			r := f.topBlock("data", "genesyscloud_externalcontacts_external_source", "identity")
			r.attr("name", str(s.Name))
		}
	}
	return f
}

// schemaValue is a contract schema as jsonencode() input: an object whose
// keys are written in sorted order, as cty orders an object's attributes.
func schemaValue(s *model.Schema) Expr {
	var out Expr
	out.kind = kObject
	add := func(k string, v Expr) {
		out.keys = append(out.keys, k)
		out.elems = append(out.elems, v)
	}
	// In sort.Strings order.
	if s.AdditionalProperties != nil {
		add("additionalProperties", boolean(*s.AdditionalProperties))
	}
	if s.Description != "" {
		add("description", str(s.Description))
	}
	if len(s.Enum) > 0 {
		add("enum", strTuple(s.Enum))
	}
	if s.Properties != nil {
		props := make(map[string]Expr, len(s.Properties))
		for _, p := range s.Properties {
			props[p.Name] = schemaValue(p.Schema)
		}
		add("properties", mapObject(props))
	}
	if len(s.Required) > 0 {
		add("required", strTuple(s.Required))
	}
	if s.Type != "" {
		add("type", str(s.Type))
	}
	return out
}

func (e *emitter) dataActions() *file {
	m := e.m
	f := newFile("The data-action integration, its credentials, and the data actions the common module calls.")
	var integrationID Expr
	switch m.Credentials {
	case "create":
		r := f.topBlock("resource", "genesyscloud_auth_role", "data_actions")
		r.attr("name", str(m.Names.Role))
		r.attr("description", str("Least privilege for the identity-resolution data actions (bpgen): "+permList(m)+"."))
		for _, p := range m.Permissions() {
			pp := r.block("permission_policies")
			pp.attr("domain", str(p.Domain))
			pp.attr("entity_name", str(p.Entity))
			pp.attr("action_set", strTuple([]string{p.Action})) // a set of one string
		}
		c := f.topBlock("resource", "genesyscloud_oauth_client", "data_actions")
		c.attr("name", str(m.Names.OAuthClient))
		c.attr("description", str("Calls the Platform API for the identity-resolution data actions (bpgen)."))
		c.attr("authorized_grant_type", str("CLIENT-CREDENTIALS"))
		c.attr("access_token_validity_seconds", number(DataActionsTokenSeconds))
		// The provider creates the integration credential itself, so the client
		// secret is never exposed to Terraform state or outputs.
		c.attr("integration_credential_name", str(m.Names.OAuthClient))
		rb := c.block("roles")
		rb.attr("role_id", attr(RoleAddr, "id"))
		if m.AllDivisions {
			rb.attr("division_id", str("*"))
		} else {
			rb.attr("division_id", ref("local", "division_id"))
		}
		e.integration(f, attr(OAuthClientAddr, "integration_credential_id"))
		integrationID = attr(IntegrationAddr, "id")
	case "existingClient":
		c := f.topBlock("resource", "genesyscloud_integration_credential", "data_actions")
		c.attr("name", str(m.Names.Integration))
		c.attr("credential_type_name", str(contract.CredentialTypeOAuthClient))
		c.attr("fields", object([]string{"clientId", "clientSecret"}, map[string]Expr{
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
		r := f.topBlock("resource", "genesyscloud_integration_action", a.Key)
		r.attr("name", str(a.Name))
		r.attr("category", str(m.Category))
		r.attr("integration_id", integrationID)
		r.attr("secure", boolean(d.Secure))
		r.attr("config_timeout_seconds", number(int64(d.Config.TimeoutSeconds)))
		r.attr("contract_input", call("jsonencode", schemaValue(a.Input)))
		r.attr("contract_output", call("jsonencode", schemaValue(a.Output)))
		rq := r.block("config_request")
		rq.attr("request_url_template", str(d.Config.Request.RequestURLTemplate))
		rq.attr("request_type", str(d.Config.Request.RequestType))
		rq.attr("request_template", str(d.Config.Request.RequestTemplate))
		rq.attr("headers", strMap(d.Config.Request.Headers))
		rs := r.block("config_response")
		rs.attr("translation_map", strMap(d.Config.Response.TranslationMap))
		rs.attr("translation_map_defaults", strMap(d.Config.Response.TranslationMapDefaults))
		rs.attr("success_template", str(d.Config.Response.SuccessTemplate))
	}
	return f
}

func permList(m *model.Model) string {
	var ps []string
	for _, p := range m.Permissions() {
		ps = append(ps, p.String())
	}
	return strings.Join(ps, ", ")
}

func (e *emitter) integration(f *file, credential Expr) {
	r := f.topBlock("resource", "genesyscloud_integration", "data_actions")
	r.attr("integration_type", str(fmtda.IntegrationType))
	r.attr("intended_state", str("ENABLED"))
	c := r.block("config")
	c.attr("name", str(e.m.Names.Integration))
	c.attr("notes", str("Identity-resolution data actions (bpgen)."))
	c.attr("credentials", object([]string{contract.CredentialTypeOAuthClient}, map[string]Expr{contract.CredentialTypeOAuthClient: credential}))
}

func (e *emitter) flowsFile() *file {
	f := newFile(
		"Names reach the flows through substitutions fed by resource attributes, so Terraform",
		"publishes callees before callers. Each value is jsonencode()d: a JSON string is a valid",
		"YAML scalar, so any name is safe. update_trigger_hash republishes a flow when an object",
		"it calls is recreated with a new id (e.g. a data action whose contract changed).",
	)
	for _, fl := range e.flows {
		r := f.topBlock("resource", "genesyscloud_flow", fl.Key)
		r.attr("filepath", template([]string{"path", "module"}, "/../"+fl.File))
		keys := make([]string, 0, len(fl.Subs))
		vals := map[string]Expr{}
		for _, s := range fl.Subs {
			keys = append(keys, s.Key)
			vals[s.Key] = call("jsonencode", e.refTokens(s.Ref))
		}
		sort.Strings(keys)
		r.attr("substitutions", object(keys, vals))
		var ids []Expr
		for _, u := range fl.Uses {
			ids = append(ids, e.refTokens(u))
		}
		r.attr("update_trigger_hash", call("sha256", call("join", str(","), tuple(ids))))
	}
	return f
}

func (e *emitter) messenger() *file {
	m := e.m
	f := newFile("Messenger: the web-messaging configuration and the deployment that starts the inbound message flow.")
	c := f.topBlock("resource", "genesyscloud_webdeployments_configuration", "messenger")
	c.attr("name", str(m.Names.MessengerConfiguration))
	c.attr("description", str("Messenger for identity resolution (bpgen)."))
	c.attr("languages", strTuple([]string{m.Language}))
	c.attr("default_language", str(m.Language))
	ms := c.block("messenger")
	ms.attr("enabled", boolean(true))
	ms.block("launcher_button").attr("visibility", str("On"))
	ms.block("apps").block("conversations").attr("enabled", boolean(true))
	c.block("journey_events").attr("enabled", boolean(false))

	d := f.topBlock("resource", "genesyscloud_webdeployments_deployment", "messenger")
	d.attr("name", str(m.Names.MessengerDep))
	d.attr("description", str("Messenger for identity resolution (bpgen)."))
	d.attr("flow_id", attr(FlowAddr(flows.InboundKey), "id"))
	d.attr("status", str("Active"))
	d.attr("allow_all_domains", expr("length(var."+contract.VarMessengerAllowedDomains+") == 0"))
	d.attr("allowed_domains", ref("var", contract.VarMessengerAllowedDomains))
	cb := d.block("configuration")
	cb.attr("id", attr(MessengerConfAddr, "id"))
	cb.attr("version", attr(MessengerConfAddr, "version"))
	return f
}

func (e *emitter) openMessaging() *file {
	f := newFile(
		"Open messaging. The provider cannot route the integration's recipient to the inbound",
		"message flow: run `bpgen wire` after apply (see README.md).",
	)
	r := f.topBlock("resource", "genesyscloud_conversations_messaging_integrations_open", "open_messaging")
	r.attr("name", str(e.m.Names.OpenMessaging))
	r.attr("outbound_notification_webhook_url", ref("var", contract.VarOpenMessagingWebhookURL))
	r.attr("outbound_notification_webhook_signature_secret_token", ref("var", contract.VarOpenMessagingWebhookSecret))
	return f
}

// Output is one output of the bundle.
type Output struct {
	Name, Description string
	Value             Expr
}

// Outputs lists the bundle's outputs: the id of every object.
func (e *emitter) outputList() []Output {
	m := e.m
	var out []Output
	add := func(name, desc string, v Expr) {
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

func (e *emitter) outputs() *file {
	f := newFile()
	for _, o := range e.outputList() {
		b := f.topBlock("output", o.Name)
		b.attr("description", str(o.Description))
		b.attr("value", o.Value)
	}
	return f
}

// DataActionsTokenSeconds is the data actions' OAuth client token lifetime
// (one day); internal/render/limits bounds it (limits.OAuthTokenValidity).
const DataActionsTokenSeconds = 86400
