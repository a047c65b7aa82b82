package bundle

import (
	"fmt"
	"strings"

	"github.com/bpgen/bpgen/format/manifest"
	"github.com/bpgen/bpgen/generator/flows"
	"github.com/bpgen/bpgen/generator/model"
	"github.com/bpgen/bpgen/generator/terraform"
)

type readme struct {
	Names                model.Names
	Model                *model.Model
	Objects              []manifest.Object
	Diagram              string
	Secrets              []terraform.Variable
	Variables            []terraform.Variable
	Permissions          []string
	TerraformPermissions []string
	WirePermissions      []string
	ManualSteps          []string
}

func readmeData(m *model.Model, fl []*flows.Flow, man *manifest.Manifest) readme {
	r := readme{Names: m.Names, Model: m, Objects: man.Objects, Diagram: diagram(m)}
	for _, v := range terraform.Variables(m) {
		r.Variables = append(r.Variables, v)
		if v.Sensitive {
			r.Secrets = append(r.Secrets, v)
		}
	}
	for _, p := range m.Permissions() {
		r.Permissions = append(r.Permissions, p.String())
	}
	r.TerraformPermissions = terraformPermissions(m)
	if m.OpenMessaging != nil {
		r.ManualSteps = append(r.ManualSteps, "route the open-messaging integration's recipient to the inbound message flow")
		r.WirePermissions = append(r.WirePermissions, "`messaging:integration:view`, `routing:message:manage` (recipient routing)")
		if m.OpenMessaging.ResolveIdentities {
			r.ManualSteps = append(r.ManualSteps, "turn on identity resolution for the open-messaging integration, keyed on the external source")
			r.WirePermissions = append(r.WirePermissions, "`messaging:integration:edit`, `messaging:identityResolutionOpen:edit` (open-messaging identity resolution)")
		}
	}
	if m.WebMessaging != nil && m.WebMessaging.ResolveIdentities {
		r.ManualSteps = append(r.ManualSteps, "turn on the Messenger deployment's identity-resolution setting")
		r.WirePermissions = append(r.WirePermissions, "`webDeployments:deployment:view`, `webDeployments:deployment:edit` (Messenger identity resolution)")
	}
	return r
}

// terraformPermissions is the guidance for the OAuth client that runs Terraform,
// by object type (from the provider's documented permission lists).
func terraformPermissions(m *model.Model) []string {
	out := []string{
		"`architect:flow:add`, `architect:flow:edit`, `architect:flow:delete`, `architect:flow:view`, `architect:flow:publish`, `architect:jobExport:*`, `architect:ui:view` (flows)",
		"`authorization:division:view` (division lookup)",
		"`integrations:integration:*`, `integrations:action:*`, `bridge:actions:view` (data actions)",
	}
	if m.Credentials == "create" {
		out = append(out,
			"`authorization:role:add`, `authorization:role:edit`, `authorization:role:delete`, `authorization:role:view`, `authorization:grant:add` (the data actions' role)",
			"`oauth:client:add`, `oauth:client:edit`, `oauth:client:delete`, `oauth:client:view` (the data actions' OAuth client)",
			"every permission the data actions' role grants (Genesys Cloud only lets you grant what you hold)")
	}
	if m.Credentials != "existingIntegration" {
		out = append(out, "`integrations:credential:*` (the integration credential)")
	}
	if m.Queue.Existing {
		out = append(out, "`routing:queue:view` (queue lookup)")
	} else {
		out = append(out, "`routing:queue:add`, `routing:queue:edit`, `routing:queue:delete`, `routing:queue:view`, `routing:queueMember:manage`, `directory:user:view` (queue and members)")
	}
	if m.WebMessaging != nil {
		out = append(out, "`webDeployments:configuration:*`, `webDeployments:deployment:*` (Messenger)")
	}
	if m.OpenMessaging != nil {
		out = append(out, "`messaging:integration:*` (open messaging)")
	}
	if m.ExternalSource != nil {
		out = append(out, "`externalContacts:externalSource:view`"+map[bool]string{true: ", `externalContacts:externalSource:add`, `externalContacts:externalSource:edit`, `externalContacts:externalSource:delete`", false: ""}[m.ExternalSource.Create]+" (external source)")
	}
	return out
}

func q(s string) string {
	return `"` + strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ").Replace(s) + `"`
}

// diagram draws the three flows as a Mermaid flowchart.
func diagram(m *model.Model) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("flowchart TD")
	w("  subgraph inbound[%s]", q("Inbound message flow: "+m.Names.InboundFlow))
	w("    start([Conversation starts]) --> pd[Get participant data]")
	prev := "pd"
	for i, id := range m.Identifiers {
		n := fmt.Sprintf("i%d", i)
		w("    %s --> %s{%s}", prev, n, q(id.Type+" known?"))
		if id.Ask != nil {
			w("    %s -- no --> %sask[[%s]]", n, n, q("Bot asks "+id.Ask.Slot))
			w("    %sask --> %sres", n, n)
		} else {
			w("    %s -- no --> %snext((skip))", n, n)
		}
		w("    %s -- yes --> %sres[[%s]]", n, n, q("ResolveContact("+id.Type+")"))
		w("    %sres -- linked --> queue", n)
		prev = n + "res"
		if id.Ask == nil {
			w("    %snext --> %sgo(( ))", n, n)
			prev = n + "go"
			w("    %sres -- not linked --> %sgo", n, n)
		}
	}
	if m.Bot.StatusEnabled {
		w("    %s -- not linked --> status[Status line] --> queue", prev)
	} else {
		w("    %s -- not linked --> queue", prev)
	}
	w("    queue[/%s/]", q("Transfer to ACD: "+m.Names.Queue))
	w("  end")
	w("  subgraph module[%s]", q("Common module: "+m.Names.CommonModule))
	w("    norm[Normalise identifier] --> lookup[%s]", q("Data action: "+m.Action("lookup").Name))
	next := "conv"
	if m.SecondFactor != nil {
		w("    lookup -- found --> sf{%s}", q(m.SecondFactor.Field+" matches?"))
		w("    sf -- no --> nolink")
		w("    sf -- yes --> conv")
	} else {
		w("    lookup -- found --> conv")
	}
	w("    %s[%s] --> same{Same contact?}", next, q("Data action: "+m.Action("conversation").Name))
	w("    same -- yes --> linked([linked])")
	link := m.Action("merge")
	if link == nil {
		link = m.Action("associate")
		w("    same -- no --> link[%s] --> linked", q("Data action: "+link.Name))
	} else {
		// Only an anonymous contact is merged; another customer's is left alone.
		w("    same -- no --> kind[%s] --> anon{Ephemeral or Identified?}", q("Data action: "+m.Action("contact").Name))
		w("    anon -- yes --> link[%s] --> linked", q("Data action: "+link.Name))
		w("    anon -- no --> nolink")
		w("    kind -- already in the merge set --> linked")
		w("    kind -- error or timeout --> nolink")
	}
	w("    lookup -- 404, error or timeout --> nolink([not linked])")
	w("    conv -- error or timeout --> nolink")
	w("    link -- error or timeout --> nolink")
	w("  end")
	if m.HasBot() {
		w("  subgraph bot[%s]", q("Bot flow: "+m.Names.BotFlow))
		w("    ask[Ask for the requested slot] --> valid{Matches its pattern?}")
		w("    valid -- yes --> exit([Return the value])")
		w("    valid -- %s --> giveup([Return nothing])", q(fmt.Sprintf("no, %d times", m.Bot.Retries)))
		w("  end")
	}
	return b.String()
}
