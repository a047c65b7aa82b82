package bundle

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/bpgen/bpgen/format/manifest"
	"github.com/bpgen/bpgen/generator/fileset"
	"github.com/bpgen/bpgen/generator/flows"
	"github.com/bpgen/bpgen/generator/model"
	"github.com/bpgen/bpgen/generator/permissions"
	"github.com/bpgen/bpgen/generator/terraform"
	"github.com/bpgen/bpgen/internal/contract"
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
	// The one-time grant of the client-credentials path, from the permissions table.
	UserGrantPermissions, ClientGrantPermissions string
}

func readmeData(m *model.Model, fl []*flows.Flow, man *manifest.Manifest, files fileset.Set) readme {
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
	r.TerraformPermissions = terraformPermissions(m, files)
	r.UserGrantPermissions = codeList(permissions.UserCallerRoleGrant.Permissions[1:])
	r.ClientGrantPermissions = codeList(permissions.ClientRoleGrant.Permissions)
	wire := func(key string) {
		for _, e := range permissions.Wire {
			if e.Key == key {
				r.WirePermissions = append(r.WirePermissions, e.Markdown())
			}
		}
	}
	if m.OpenMessaging != nil {
		r.ManualSteps = append(r.ManualSteps, "route the open-messaging integration's recipient to the inbound message flow")
		wire("GET /api/v2/conversations/messaging/integrations/open/{integrationId}")
		wire("PUT /api/v2/routing/message/recipients/{recipientId}")
		if m.OpenMessaging.ResolveIdentities {
			r.ManualSteps = append(r.ManualSteps, "turn on identity resolution for the open-messaging integration, keyed on the external source")
			wire("PUT /api/v2/conversations/messaging/identityresolution/integrations/open/{integrationId}")
		}
	}
	if m.WebMessaging != nil && m.WebMessaging.ResolveIdentities {
		r.ManualSteps = append(r.ManualSteps, "turn on the Messenger deployment's identity-resolution setting")
		wire("PUT /api/v2/webdeployments/deployments/{deploymentId}")
	}
	return r
}

// ResourceTypes lists the resource and data-source types the rendered
// Terraform declares ("data." prefixed for data sources), in file order.
func ResourceTypes(files fileset.Set) []string {
	var out []string
	paths := make([]string, 0, len(files))
	for p := range files {
		if strings.HasPrefix(p, contract.TerraformDir+"/") && strings.HasSuffix(p, ".tf") {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, mt := range blockType.FindAllSubmatch(files[p], -1) {
			t := string(mt[2])
			if string(mt[1]) == "data" {
				t = "data." + t
			}
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

var blockType = regexp.MustCompile(`(?m)^(resource|data) "([a-z0-9_]+)"`)

// terraformPermissions is what the client that runs Terraform needs: the
// permissions table's entry of every resource type the bundle declares.
func terraformPermissions(m *model.Model, files fileset.Set) []string {
	var out []string
	for _, t := range ResourceTypes(files) {
		e, ok := permissions.ForResource(t)
		if !ok {
			panic("bpgen: no permissions entry for " + t) // TestEveryRenderedResourceHasPermissions guards this
		}
		out = append(out, e.Markdown())
	}
	if m.Credentials == "create" {
		out = append(out,
			permissions.UserCallerRoleGrant.Markdown()+", when Terraform runs with a user's token",
			"every permission the data actions' role grants (Genesys Cloud only lets a caller give an OAuth client roles it holds; see below)")
	}
	return out
}

func codeList(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = "`" + p + "`"
	}
	return strings.Join(q, ", ")
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
