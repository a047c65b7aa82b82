package bundle

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/render/permissions"
	"github.com/bpgen/bpgen/internal/render/terraform"
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
	// AgentData documents the participant data the flows write; nil when off.
	AgentData []agentAttr
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
	r.AgentData = agentAttrs(m)
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
		for rest := files[p]; len(rest) > 0; {
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			if t, ok := blockType(line); ok && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// blockType reads a line that opens a block, `resource "<type>"` or `data
// "<type>"` with the type in [a-z0-9_]+, as its type ("data." prefixed for a
// data source). A scan rather than a regexp: it runs over every .tf file of
// each render.
func blockType(line []byte) (string, bool) {
	prefix := ""
	rest, ok := bytes.CutPrefix(line, []byte(`resource "`))
	if !ok {
		if rest, ok = bytes.CutPrefix(line, []byte(`data "`)); !ok {
			return "", false
		}
		prefix = "data."
	}
	n := 0
	for n < len(rest) && ('a' <= rest[n] && rest[n] <= 'z' || '0' <= rest[n] && rest[n] <= '9' || rest[n] == '_') {
		n++
	}
	if n == 0 || n == len(rest) || rest[n] != '"' {
		return "", false
	}
	return prefix + string(rest[:n]), true
}

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

func q(s string) string { return `"` + mermaidEscapes.Replace(s) + `"` }

// mermaidEscapes is built once: a Replacer compiles its table on first use.
var mermaidEscapes = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ")

// diagram draws the three flows as a Mermaid flowchart.
func diagram(m *model.Model) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	// secondFactor draws the second-factor check reached from the edge from,
	// as node, and its edges out (yes or no, then where to).
	secondFactor := func(from, node string, edges ...string) {
		w("    %s --> %s{%s}", from, node, q(m.SecondFactor.Field+" matches?"))
		for _, e := range edges {
			w("    %s -- %s", node, e)
		}
	}
	w("flowchart TD")
	w("  subgraph inbound[%s]", q("Inbound message flow: "+m.Names.InboundFlow))
	w("    start([Conversation starts]) --> pd[Get participant data]")
	prev := "pd"
	if m.CheckBeforeAsking {
		w("    pd -- nothing given --> pre[%s]", q("Data actions: "+m.Action(contract.ActionConversation).Name+", "+m.Action(contract.ActionContact).Name))
		if m.SecondFactor != nil {
			secondFactor("pre -- Curated head", "presf", "yes --> queue", "no --> pdone(( ))")
		} else {
			w("    pre -- Curated head --> queue")
			w("    pre -- anonymous, error or timeout --> pdone(( ))")
		}
		w("    pd -- given --> pdone")
		prev = "pdone"
	}
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
	w("    norm[Normalise identifier] --> lookup[%s]", q("Data action: "+m.Action(contract.ActionLookup).Name))
	next := "conv"
	if m.SecondFactor != nil {
		secondFactor("lookup -- found", "sf", "no --> nolink", "yes --> conv")
	} else {
		w("    lookup -- found --> conv")
	}
	w("    %s[%s] --> same{Same contact or in its merge set?}", next, q("Data action: "+m.Action(contract.ActionConversation).Name))
	w("    same -- yes --> linked([linked])")
	link := m.Action(contract.ActionMerge)
	switch {
	case link == nil:
		link = m.Action(contract.ActionAssociate)
		w("    same -- no --> link[%s] --> linked", q("Data action: "+link.Name))
		if m.Stitch {
			w("    linked -. %s .-> claim[%s]", q("by another identifier: the inbound flow claims the sender's id"), q("Data action: "+m.Action(contract.ActionClaim).Name))
		}
	case m.NeedsContactType():
		// Only an anonymous contact is merged; another customer's is left alone.
		w("    same -- no --> kind[%s] --> anon{Ephemeral or Identified?}", q("Data action: "+m.Action(contract.ActionContact).Name))
		w("    anon -- yes --> link[%s] --> linked", q("Data action: "+link.Name))
		w("    anon -- no --> nolink")
		w("    kind -- error or timeout --> nolink")
	default:
		// The deprecated endpoint refuses a curated source itself.
		w("    same -- no --> link[%s] --> linked", q("Data action: "+link.Name+" (refuses a curated source)"))
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

type agentAttr struct{ Name, Values string }

// agentAttrs describes each attribute the flows write, from the same names
// and values the flows use.
func agentAttrs(m *model.Model) []agentAttr {
	a := m.AgentData
	if a == nil {
		return nil
	}
	ticks := func(vs ...string) string {
		for i, v := range vs {
			vs[i] = "`" + v + "`"
		}
		return strings.Join(vs, ", ")
	}
	desc := map[string]string{
		config.AgentOutcome: ticks(flows.OutcomeAlreadyLinked, flows.OutcomeMerged, flows.OutcomeAssociated, flows.OutcomeNotFound,
			flows.OutcomeMismatch, flows.OutcomeConflict, flows.OutcomeNoValue, flows.OutcomeError) + ": what resolution did last",
		config.AgentIdentifierType: "the identifier type that decided it (" + ticks(m.IdentifierTypes()...) + "), or `" + flows.NoneValue + "` (a platform link, or nothing given)",
		config.AgentSource: ticks(flows.SourcePlatformLink, flows.SourceParticipant, flows.SourceFirstMessage, flows.SourceBotAnswer, flows.NoneValue) +
			": where the value came from (the platform's own link, participant data the website or partner set, the customer's first message, an answer to the bot)",
		config.AgentSecondFactor: ticks(flows.SecondFactorNone, flows.SecondFactorNotDone, flows.SecondFactorAgreed, flows.SecondFactorDisagree) +
			": the latest comparison of the second factor with a contact",
		config.AgentClaimed:         "`true` when the conversation is linked on a value only the customer's own words gave (first message or bot answer) and no second factor agreed; else `false`",
		config.AgentIdentifierValue: "the identifier value as given",
	}
	var out []agentAttr
	for _, k := range a.Attributes() {
		out = append(out, agentAttr{Name: a.Prefix + k, Values: desc[k]})
	}
	return out
}
