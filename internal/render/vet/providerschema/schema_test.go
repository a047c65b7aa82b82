package providerschema

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"testing"

	"github.com/bpgen/bpgen/internal/render/diag"
	"github.com/bpgen/bpgen/internal/testutil"
)

const shared = "../../../../../shared/provider-schema/genesyscloud-1.82.0.json"

// The embedded copy is exactly the trimmed real schema, and reads back as
// the same schema as its JSON form.
func TestEmbeddedMatchesProviderDump(t *testing.T) {
	full, err := os.ReadFile(shared)
	if err != nil {
		t.Skipf("the full provider schema is not beside the repo (%v): cannot compare the embedded copy", err)
	}
	trimmed, err := Trim(full)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON Schema
	if err := json.Unmarshal(trimmed, &fromJSON); err != nil {
		t.Fatal(err)
	}
	want, err := encodeCompact(&fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	if *testutil.Update {
		if err := os.WriteFile("genesyscloud-1.82.0.schema", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(want, raw) {
		t.Fatal("genesyscloud-1.82.0.schema is stale: run `go test ./internal/render/vet/providerschema -update`")
	}
	// The compact form keeps every field: what Load reads is the JSON
	// decoding of the trimmed schema, types compacted.
	compactTypes(&fromJSON.Provider)
	for _, m := range []map[string]Block{fromJSON.Resources, fromJSON.DataSources} {
		for k, b := range m {
			compactTypes(&b)
			m[k] = b
		}
	}
	if !reflect.DeepEqual(Load(), &fromJSON) {
		t.Fatal("the embedded schema does not read back as the trimmed provider schema")
	}
	s := Load()
	if len(s.Resources) != len(Resources) || len(s.DataSources) != len(DataSources) {
		t.Fatal("embedded schema misses types")
	}
	for _, r := range Resources {
		if len(s.Resources[r].Attributes) == 0 {
			t.Errorf("resource %s has no attributes in the provider schema", r)
		}
	}
}

func compactTypes(b *Block) {
	for name, a := range b.Attributes {
		var c bytes.Buffer
		_ = json.Compact(&c, a.Type)
		a.Type = json.RawMessage(c.String())
		b.Attributes[name] = a
	}
	for name, nb := range b.Blocks {
		compactTypes(&nb.Block)
		b.Blocks[name] = nb
	}
}

// The compact form reads back as what was written, without the full schema
// beside the repo, and rejects what it cannot represent.
func TestCompactRoundTrip(t *testing.T) {
	again, err := encodeCompact(Load())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, raw) {
		t.Error("encoding the loaded schema does not give the embedded text back")
	}
	for _, bad := range []string{" attr x o \"string\"\n", "provider\n attr x\n", "provider\n attr x q \"string\"\n", "provider\n block b list 1\n",
		"provider\n block b list x 1\n", "provider\n  attr x o \"string\"\n", "resource\n", "output x\n", "provider\n frob x\n"} {
		if _, err := decodeCompact([]byte(bad)); err == nil {
			t.Errorf("decodeCompact(%q) accepted it", bad)
		}
	}
	if _, err := encodeCompact(&Schema{Provider: Block{Attributes: map[string]Attribute{"a b": {Type: json.RawMessage(`"string"`)}}}}); err == nil {
		t.Error("encodeCompact wrote a name with a space")
	}
}

func TestCheckFindsSchemaViolations(t *testing.T) {
	src := []byte(`
resource "genesyscloud_flow" "f" {
  file_content_hash = "x"
  update_trigger_hash = "y"
  bogus = 1
}
resource "genesyscloud_webdeployments_deployment" "d" {
  name = "x"
}
resource "genesyscloud_nope" "n" {}
data "genesyscloud_user" "u" {
  for_each = toset([])
  email = each.value
}
resource "genesyscloud_routing_queue" "q" {
  name = "q"
  dynamic "members" {
    for_each = []
    content {
      user_id = members.value
      colour = "red"
    }
  }
}
`)
	got := CheckFile("main.tf", src).Error()
	for _, want := range []string{
		"main.tf:3:3: genesyscloud_flow.f.file_content_hash: file_content_hash is computed by the provider and cannot be set [BPG204",
		"main.tf:2:34: genesyscloud_flow.f: required attribute filepath is not set [BPG203",
		"main.tf:5:3: genesyscloud_flow.f.bogus: the provider has no attribute bogus here [BPG202",
		"genesyscloud_webdeployments_deployment.d: block configuration needs at least 1 [BPG205",
		`main.tf:10:1: genesyscloud_nope.n: resource "genesyscloud_nope" is not in provider 1.82.0`,
		"genesyscloud_routing_queue.q.members.colour: the provider has no attribute colour here",
	} {
		if !bytes.Contains([]byte(got), []byte(want)) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if bytes.Contains([]byte(got), []byte("update_trigger_hash")) || bytes.Contains([]byte(got), []byte("for_each")) {
		t.Errorf("flagged a valid attribute:\n%s", got)
	}
}

// Missing required attributes, reported at the same position, come in name
// order on every run.
func TestMissingAttributesInNameOrder(t *testing.T) {
	src := []byte(`resource "genesyscloud_integration_action" "a" {}`)
	want := CheckFile("main.tf", src)
	var names []string
	for _, d := range want {
		if d.Rule == diag.MissingRequired {
			names = append(names, d.Message)
		}
	}
	if len(names) < 3 || !sort.StringsAreSorted(names) {
		t.Fatalf("want several missing attributes in name order, got %q", names)
	}
	for range 20 {
		if got := CheckFile("main.tf", src); !reflect.DeepEqual(got, want) {
			t.Fatalf("findings differ between runs:\n%s\n%s", got.Error(), want.Error())
		}
	}
}
