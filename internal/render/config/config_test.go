package config_test

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/templates"
	"github.com/bpgen/bpgen/internal/testutil"
)

func TestErrorsNameFileLineColumnAndField(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // each must appear in one diagnostic line
	}{
		{"unknown key with suggestion", "version: 1\nidentifiers:\n  - type: Email\n    asks: {}\n",
			[]string{`bpgen.yaml:4:5: identifiers[0].asks: unknown field "asks" (did you mean "ask"?) [BPG002`}},
		{"unknown identifier type", "version: 1\nidentifiers:\n  - type: Emial\n    ask: {}\n",
			[]string{`bpgen.yaml:3:11: identifiers[0].type: value must be one of`, `got "Emial"`}},
		{"wrong type", "version: 1\nidentifiers:\n  - type: Email\n    ask: {}\nbot:\n  retries: three\n",
			[]string{`bpgen.yaml:6:12: bot.retries: wrong type: got string, want integer`}},
		{"missing field", "version: 1\n",
			[]string{`bpgen.yaml:1:1: identifiers: missing required field "identifiers"`}},
		{"invalid regex", "version: 1\nidentifiers:\n  - type: Email\n    ask:\n      pattern: \"([a-z\"\n",
			[]string{`bpgen.yaml:5:16: identifiers[0].ask.pattern: invalid regular expression: missing closing ]`, "BPG010"}},
		{"duplicate identifier", "version: 1\nidentifiers:\n  - {type: Email, ask: {}}\n  - {type: Email, participantData: e}\n",
			[]string{`bpgen.yaml:4:12: identifiers[1].type: identifier type Email is already listed at identifiers[0] [BPG013`}},
		{"empty name", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nnames:\n  queue: \"\"\n",
			[]string{`bpgen.yaml:4:10: names.queue: minLength: got 0, want 1`}},
		{"duplicate names", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nnames:\n  botFlow: X\n  inboundFlow: x\n",
			[]string{`bpgen.yaml:5:16: names.inboundFlow: flow name "x" is already used by names.botFlow [BPG011`}},
		{"placeholder in name", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nnames:\n  queue: \"Q {{x}}\"\n",
			[]string{`bpgen.yaml:4:10: names.queue: "Q {{x}}" contains {{ or }}`, "BPG012"}},
		{"no source", "version: 1\nidentifiers:\n  - type: Phone\n",
			[]string{`bpgen.yaml:3:5: identifiers[0]: Phone has no source`}},
		{"bad country", "version: 1\nidentifiers:\n  - {type: Phone, ask: {}, defaultCountry: ZZ}\n",
			[]string{`identifiers[0].defaultCountry: "ZZ" is not a region with a phone numbering plan [BPG015`}},
		{"yaml syntax", "version: 1\nidentifiers: [\n",
			[]string{`bpgen.yaml:2:1: did not find expected node content [BPG001`}},
		{"cookie cannot be asked", "version: 1\nidentifiers:\n  - {type: Cookie, ask: {}}\n",
			[]string{`identifiers[0].ask: a customer cannot type their Cookie`}},
		{"external id needs a source", "version: 1\nidentifiers:\n  - {type: ExternalId, participantData: id}\n",
			[]string{`identifiers[0]: ExternalId needs externalSource.name`}},
		{"no channel", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nchannels:\n  webMessaging: {enabled: false}\n",
			[]string{`channels: no channel is enabled`, "BPG016"}},
		{"empty document", "", []string{"the config is empty"}},
		{"agent data key read as an identifier", "version: 1\nidentifiers:\n  - {type: Email, participantData: crm.outcome}\nagentData:\n  prefix: crm.\n",
			[]string{`bpgen.yaml:3:36: identifiers[0].participantData: participant data key "crm.outcome" is one the flows write for the agent`, "BPG017"}},
		{"stitch under merge", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nlink:\n  stitch: true\n",
			[]string{`bpgen.yaml:4:11: link.stitch: stitch applies to link.strategy associate`, "BPG017"}},
		{"confirm a platform link without one", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nmatching:\n  confirmPlatformLink: true\n",
			[]string{`bpgen.yaml:4:24: matching.confirmPlatformLink: the platform links a conversation to a known contact only with`, "BPG017"}},
		{"agent data prefix with a space", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nagentData:\n  prefix: \"my prefix\"\n",
			[]string{`bpgen.yaml:4:11: agentData.prefix: `, "BPG002"}},
		{"webhook with userinfo", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nchannels:\n  openMessaging:\n    enabled: true\n    webhookUrl: https://user:hunter2-pass@mw.example.com/hook\n",
			[]string{`bpgen.yaml:6:17: channels.openMessaging.webhookUrl: must not carry credentials (user:password@ before the host)`, "BPG301"}},
		{"webhook with a token query", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nchannels:\n  openMessaging:\n    enabled: true\n    webhookUrl: https://mw.example.com/hook?token=abc123secret&x=1&Signature=zz9\n",
			[]string{`bpgen.yaml:6:17: channels.openMessaging.webhookUrl: must not carry a credential in its query (parameter "Signature", "token")`}},
		{"secret pasted as a name", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nnames:\n  queue: \"Q {{ghp_0123456789abcdefghijklmnopqrstuv}}\"\n",
			[]string{`bpgen.yaml:4:10: names.queue: the value (42 characters, not shown) contains {{ or }}`}},
		// Schema (enum, pattern, format) errors follow the same rule as
		// bpgen's own checks: a token pasted into the wrong field is not
		// echoed, a short ordinary value is.
		{"secret in an enum field", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nlink:\n  strategy: ghp_0123456789abcdefghijklmnopqrstuv\n",
			[]string{`bpgen.yaml:4:13: link.strategy: value must be one of 'merge', 'associate': got the value (36 characters, not shown)`}},
		{"secret in a pattern field", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nlanguage: \"Bearer ghp_0123456789abcdefghijklmnopqrstuv\"\n",
			[]string{`bpgen.yaml:3:11: language: the value (43 characters, not shown) does not match the pattern`}},
		{"secret in a list item", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nqueue:\n  members: [ghp_0123456789abcdefghijklmnopqrstuv]\n",
			[]string{`bpgen.yaml:4:13: queue.members[0]: the value (36 characters, not shown) does not match the pattern`}},
		{"secret pasted as a key", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nghp_0123456789abcdefghijklmnopqrstuv: x\n",
			[]string{`bpgen.yaml:3:1: unknown field: the value (36 characters, not shown) [BPG002`}},
		{"secret pasted as a repeated key", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nghp_0123456789abcdefghijklmnopqrstuv: x\nghp_0123456789abcdefghijklmnopqrstuv: y\n",
			[]string{`bpgen.yaml:4:1: duplicate key the value (36 characters, not shown) (first at line 3)`}},
		{"short value in a pattern field is shown", "version: 1\nidentifiers: [{type: Email, ask: {}}]\nlanguage: EN_GB\n",
			[]string{`bpgen.yaml:3:11: language: "EN_GB" does not match the pattern`}},
		{"placeholder in a prompt", "version: 1\nidentifiers:\n  - type: Email\n    ask:\n      question: \"Hi {{name}}\"\n",
			[]string{`bpgen.yaml:5:17: identifiers[0].ask.question: the text contains {{ or }}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, _, ds := config.Parse("bpgen.yaml", []byte(c.text))
			if cfg != nil {
				t.Fatalf("config accepted; want errors %q", c.want)
			}
			got := ds.Error()
			for _, secret := range []string{"hunter2", "abc123secret", "zz9", "ghp_"} {
				if strings.Contains(got, secret) {
					t.Errorf("a rejected value that may be a secret is printed back:\n%s", got)
				}
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
		})
	}
}

func TestWarningsDoNotFail(t *testing.T) {
	cfg, _, ds := config.Parse("bpgen.yaml", []byte("version: 1\nidentifiers: [{type: Email, ask: {}}]\nprovider: {version: 1.90.0}\n"))
	if cfg == nil {
		t.Fatalf("rejected: %v", ds)
	}
	if len(ds) != 1 || !strings.Contains(ds[0].String(), "warning: provider.version") {
		t.Fatalf("want one provider-version warning, got %v", ds)
	}
}

// Every config in the repo (root, examples, the init template) loads and
// validates against the published schema.
func TestCommittedConfigsAreValid(t *testing.T) {
	paths := testutil.CommittedConfigs(t, "../../..")
	for _, p := range paths {
		if _, _, ds := config.Load(p); ds.HasErrors() {
			t.Errorf("%s: %v", p, ds)
		}
	}
	if _, _, ds := config.Parse("init", templates.StarterConfig()); ds.HasErrors() {
		t.Errorf("init template: %v", ds)
	}
	if len(paths) < 6 {
		t.Errorf("found %d configs; the examples are missing", len(paths))
	}
}

// The root bpgen.yaml is exactly what `bpgen init` writes, and the committed
// schema is exactly what `bpgen schema` prints.
func TestRootFilesMatchInitAndSchema(t *testing.T) {
	root, err := os.ReadFile("../../../bpgen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(root) != string(templates.StarterConfig()) {
		t.Error("bpgen.yaml differs from the `bpgen init` template (internal/render/templates/init/bpgen.yaml)")
	}
	schema, err := os.ReadFile("../../../bpgen.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(schema) != string(config.SchemaJSON()) {
		t.Error("bpgen.schema.json differs from internal/render/config/schema.json: run `bpgen schema > bpgen.schema.json`")
	}
}

// The schema and the Go types describe the same fields, so neither can drift.
func TestSchemaMatchesStructs(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(config.SchemaJSON(), &doc); err != nil {
		t.Fatal(err)
	}
	defs := doc["$defs"].(map[string]any)
	resolve := func(n map[string]any) map[string]any {
		if ref, ok := n["$ref"].(string); ok {
			return defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		}
		return n
	}
	var walk func(path string, typ reflect.Type, node map[string]any)
	walk = func(path string, typ reflect.Type, node map[string]any) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
			if items, ok := node["items"].(map[string]any); ok {
				node = resolve(items)
			}
		}
		if typ.Kind() != reflect.Struct {
			return
		}
		props, _ := node["properties"].(map[string]any)
		var fromStruct, fromSchema []string
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			fromStruct = append(fromStruct, tag)
			if p, ok := props[tag].(map[string]any); ok {
				walk(path+"."+tag, f.Type, resolve(p))
			}
		}
		for k := range props {
			fromSchema = append(fromSchema, k)
		}
		sort.Strings(fromStruct)
		sort.Strings(fromSchema)
		if !reflect.DeepEqual(fromStruct, fromSchema) {
			t.Errorf("%s: struct fields %v, schema properties %v", path, fromStruct, fromSchema)
		}
	}
	walk("config", reflect.TypeOf(config.Config{}), doc)
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("version: 1\nidentifiers: [{type: Email, ask: {}}]\n"))
	f.Add(templates.StarterConfig())
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("version: 1\nidentifiers:\n  - {type: Phone, ask: {pattern: '('}, defaultCountry: ZZ}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, _, ds := config.Parse("fuzz.yaml", data)
		if cfg == nil && !ds.HasErrors() {
			t.Fatal("rejected without an error")
		}
		for _, d := range ds {
			if d.Pos.File != "fuzz.yaml" || d.Message == "" {
				t.Fatalf("diagnostic without file or message: %+v", d)
			}
		}
	})
}
