package vet_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/vet"
	"github.com/bpgen/bpgen/internal/testutil"
)

func renderDir(t *testing.T, dir string) *bundle.Result {
	t.Helper()
	cfg, _, ds := config.Load(filepath.Join(dir, "bpgen.yaml"))
	if cfg == nil {
		t.Fatal(ds)
	}
	res, err := bundle.Render(cfg, bundle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRenderedBundlesAreClean(t *testing.T) {
	for _, dir := range testutil.CommittedBundles(t, "../../..") {
		if ds := vet.Check(renderDir(t, dir)); len(ds) > 0 {
			t.Errorf("%s:\n%s", dir, ds.Error())
		}
	}
}

// Each mutation is a plausible hand edit or generator bug; vet must name it.
func TestFindsBrokenBundles(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"unknown data-action input", "flows/resolve_contact.yaml", "value:⏎exp: Common.value", "valu:⏎exp: Common.value",
			`"valu" is not an input of data action "Lookup External Contact by Identifier" (inputs: type, value) [BPG102`},
		{"unknown success output", "flows/resolve_contact.yaml", "customerContactId:", "customerContactID:",
			`"customerContactID" is not a success output of data action "Get Conversation Customer Contact" (outputs: communicationId, customerContactId) [BPG103`},
		{"data action renamed in the flow only", "flows/resolve_contact.yaml", "{{merge_action_name}}", `"Merge Contacts v2"`,
			`no rendered data action is named "Merge Contacts v2" [BPG101`},
		{"undeclared variable", "flows/inbound_message_flow.yaml", "exp: IsNotSetOrEmpty(Flow.Email)", "exp: IsNotSetOrEmpty(Flow.Emial)",
			`expression uses Flow.Emial, which is not declared [BPG107`},
		{"argument type (declared Boolean)", "flows/inbound_message_flow.yaml", "exp: IsNotSetOrEmpty(Flow.Email)", "exp: IsNotSetOrEmpty(Lower(Flow.Linked))",
			`no overload of Lower takes (Boolean); it takes Lower(String) -> String`},
		{"NOT_SET literal where forbidden", "flows/inbound_message_flow.yaml", "exp: IsNotSetOrEmpty(Flow.Email)", "exp: IsNotSetOrEmpty(Trim(NOT_SET))",
			`Trim: argument 1 (stringToTrim) is NOT_SET, which Trim does not allow`},
		{"expression syntax", "flows/inbound_message_flow.yaml", "exp: IsNotSetOrEmpty(Flow.Email)", "exp: IsNotSetOrEmpty(Flow.Email",
			`expression does not parse`},
		{"bad startUpRef", "flows/bot_flow.yaml", "bot[Identify Customer_10]", "bot[Identify Customer_11]",
			`names no refId in this flow [BPG106`},
		{"module input not declared", "flows/inbound_message_flow.yaml", "Common.identifierValue:", "Common.identifierVal:",
			`"Common.identifierVal" is not an input of "Resolve Contact" [BPG104`},
		{"bot output not declared", "flows/inbound_message_flow.yaml", "Slot.Email:⏎var: Flow.Email", "Slot.Mail:⏎var: Flow.Email",
			`"Slot.Mail" is not an output of "Identity Resolution Bot" [BPG105`},
		{"substitution removed", "terraform/flows.tf", "    queue_name         = jsonencode(genesyscloud_routing_queue.queue.name)\n", "",
			`placeholder {{queue_name}} has no substitution in genesyscloud_flow.inbound (Archy would fail the publish) [BPG108`},
		{"template edited in Terraform only", "terraform/data_actions.tf", `request_template     = "$${input.rawRequest}"`, `request_template     = "${input.rawRequest}"`,
			`config_request (after Terraform unescapes $${) differs from exports/lookup.json [BPG109`},
		{"computed-only attribute", "terraform/flows.tf", "  update_trigger_hash = sha256(join(\",\", [local.division_id]))", "  file_content_hash = filesha256(\"x\")",
			`file_content_hash is computed by the provider and cannot be set [BPG204`},
		{"unknown attribute", "terraform/versions.tf", "provider \"genesyscloud\" {\n", "provider \"genesyscloud\" {\n  sdk_debugg = true\n",
			`provider.genesyscloud.sdk_debugg: the provider has no attribute sdk_debugg here [BPG202`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := renderDir(t, "../../..")
			res.Files[c.file] = edit(t, res.Files[c.file], c.file, c.old, c.new)
			got := vet.Check(res).Error()
			if !strings.Contains(got, c.want) {
				t.Errorf("want %q in:\n%s", c.want, got)
			}
		})
	}
}

// edit replaces the first occurrence of old; in old and new, "⏎" stands for a
// newline and whatever indentation follows it, so a mutation does not depend
// on how deeply the generator nests the flow.
func edit(t *testing.T, data []byte, file, old, new string) []byte {
	t.Helper()
	parts := strings.Split(old, "⏎")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	re := regexp.MustCompile(strings.Join(parts, `\n([ \t]*)`))
	loc := re.FindSubmatchIndex(data)
	if loc == nil {
		t.Fatalf("%s does not contain %q: the test needs updating", file, old)
	}
	indent := ""
	if len(loc) >= 4 && loc[2] >= 0 {
		indent = string(data[loc[2]:loc[3]])
	}
	out := append([]byte{}, data[:loc[0]]...)
	out = append(out, strings.ReplaceAll(new, "⏎", "\n"+indent)...)
	return append(out, data[loc[1]:]...)
}

// TestCommittedBundlesAreClean vets the bundles as committed (the files on
// disk, listed by their manifests), not a fresh render: what a user applies.
func TestCommittedBundlesAreClean(t *testing.T) {
	dirs, _ := filepath.Glob("../../../examples/*")
	for _, dir := range append(dirs, "../../..") {
		data, err := os.ReadFile(filepath.Join(dir, "bpgen.manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		man, err := manifest.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		files := fileset.Set{}
		for _, p := range man.Files {
			if files[p], err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
		if ds := vet.Files(files, man); len(ds) > 0 {
			t.Errorf("%s:\n%s", dir, ds.Error())
		}
	}
}

// TestUnknownFunctionInFlow: a function outside Architect's table (here
// ToLower, which other languages have and Architect does not: it has Lower)
// fails vet with the flow file and the line of the expression.
func TestUnknownFunctionInFlow(t *testing.T) {
	const file = "flows/resolve_contact.yaml"
	res := renderDir(t, "../../..")
	res.Files[file] = edit(t, res.Files[file], file, "Lower(Trim(", "ToLower(Trim(")
	at := strings.Index(string(res.Files[file]), "ToLower(")
	line := 1 + strings.Count(string(res.Files[file][:at]), "\n")
	col := at - strings.LastIndexByte(string(res.Files[file][:at]), '\n')
	ds := vet.Check(res)
	var found bool
	for _, d := range ds {
		if strings.Contains(d.Message, "unknown function ToLower") {
			found = true
			if d.Pos.File != file || d.Pos.Line != line || d.Pos.Col != col {
				t.Errorf("reported at %s:%d:%d, want %s:%d:%d (the call itself)", d.Pos.File, d.Pos.Line, d.Pos.Col, file, line, col)
			}
		}
	}
	if !found {
		t.Errorf("no unknown-function diagnostic for ToLower in:\n%s", ds.Error())
	}
	if want := file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": "; !strings.Contains(ds.Error(), want) {
		t.Errorf("want %q in:\n%s", want, ds.Error())
	}
}

// TestExpressionsCheckedPerFlow: vet checks each expression text once per
// flow, so the same text in two flows must still be checked against each
// flow's own declarations (whichever flow is checked first), and the same
// text twice in one flow is reported at both places.
func TestExpressionsCheckedPerFlow(t *testing.T) {
	const inbound, module = "flows/inbound_message_flow.yaml", "flows/resolve_contact.yaml"
	res := renderDir(t, "../../..")
	if !strings.Contains(string(res.Files[module]), "exp: IsNotSetOrEmpty(Common.value)\n") || !strings.Contains(string(res.Files[inbound]), "exp: Flow.Email\n") {
		t.Fatal("the flows no longer have the expressions this test shares between them: the test needs updating")
	}
	// The module's text, where the inbound flow has no Common.value.
	res.Files[inbound] = edit(t, res.Files[inbound], inbound, "exp: IsNotSetOrEmpty(Flow.Email)", "exp: IsNotSetOrEmpty(Common.value)")
	// The inbound flow's text, twice, where the module has no Flow.Email.
	res.Files[module] = edit(t, res.Files[module], module, "exp: Common.conversationId", "exp: Flow.Email")
	res.Files[module] = edit(t, res.Files[module], module, "exp: Common.foundContactId", "exp: Flow.Email")
	lines := map[string][]int{}
	for _, d := range vet.Check(res) {
		if strings.HasPrefix(d.Message, "expression uses ") {
			lines[d.Pos.File+": "+d.Message] = append(lines[d.Pos.File+": "+d.Message], d.Pos.Line)
		}
	}
	want := map[string]int{
		inbound + ": expression uses Common.value, which is not declared": 1,
		module + ": expression uses Flow.Email, which is not declared":    2,
	}
	for k, n := range want {
		if len(lines[k]) != n {
			t.Errorf("%s: reported at lines %v, want %d places", k, lines[k], n)
		}
	}
	for k := range lines {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %s at lines %v", k, lines[k])
		}
	}
	if l := lines[module+": expression uses Flow.Email, which is not declared"]; len(l) == 2 && l[0] == l[1] {
		t.Errorf("both uses reported at line %d", l[0])
	}
}

// Findings that share a position come in a fixed order (by name), not in
// map order, so the output of a run is the same every time.
func TestFindingsAtOnePositionAreOrdered(t *testing.T) {
	const inbound = "flows/inbound_message_flow.yaml"
	res := renderDir(t, "../../..")
	// The bot call passes neither of the bot flow's two inputs.
	res.Files[inbound] = edit(t, res.Files[inbound], inbound, "inputs:⏎Flow.AskFor:⏎lit: Email⏎Slot.Email:⏎noValue: true⏎outputs:", "outputs:")
	want := ""
	for i := range 20 {
		got := vet.Check(res).Error()
		if i == 0 {
			want = got
			a, b := strings.Index(got, `input "Flow.AskFor" of`), strings.Index(got, `input "Slot.Email" of`)
			if a < 0 || b < a {
				t.Fatalf("want both inputs reported, Flow.AskFor first, in:\n%s", got)
			}
		} else if got != want {
			t.Fatalf("run %d differs:\n%s\nfirst run:\n%s", i, got, want)
		}
	}
}
