// Package providerschema holds the part of the real genesyscloud provider
// schema (`terraform providers schema -json` of v1.82.0) that bpgen can emit,
// and checks Terraform files against it: every resource, data source,
// attribute and block exists, every required one is set, none is computed-only.
package providerschema

import (
	_ "embed"
	"encoding/json"
	"sync"
)

// The schema in the compact form of compact.go, generated from the provider's
// `terraform providers schema -json` by `go test -update` (Trim, then
// encodeCompact).
//
//go:embed genesyscloud-1.82.0.schema
var raw []byte

// Types bpgen may emit; the embedded copy holds exactly these.
var (
	Resources = []string{
		"genesyscloud_auth_role", "genesyscloud_oauth_client", "genesyscloud_integration",
		"genesyscloud_integration_credential", "genesyscloud_integration_action", "genesyscloud_routing_queue",
		"genesyscloud_flow", "genesyscloud_webdeployments_configuration", "genesyscloud_webdeployments_deployment",
		"genesyscloud_conversations_messaging_integrations_open", "genesyscloud_externalcontacts_external_source",
	}
	DataSources = []string{
		"genesyscloud_auth_division_home", "genesyscloud_auth_division", "genesyscloud_user",
		"genesyscloud_routing_queue", "genesyscloud_externalcontacts_external_source",
	}
)

// Schema is the trimmed provider schema.
type Schema struct {
	Provider    Block            `json:"provider"`
	Resources   map[string]Block `json:"resources"`
	DataSources map[string]Block `json:"data_sources"`
}

// Block is a schema block.
type Block struct {
	Attributes map[string]Attribute `json:"attributes,omitempty"`
	Blocks     map[string]NestedBlk `json:"blocks,omitempty"`
}

// Attribute is one attribute's flags.
type Attribute struct {
	Type      json.RawMessage `json:"type"`
	Required  bool            `json:"required,omitempty"`
	Optional  bool            `json:"optional,omitempty"`
	Computed  bool            `json:"computed,omitempty"`
	Sensitive bool            `json:"sensitive,omitempty"`
}

// ComputedOnly reports whether configuration may not set it.
func (a Attribute) ComputedOnly() bool { return a.Computed && !a.Optional && !a.Required }

// NestedBlk is a nested block type.
type NestedBlk struct {
	Nesting  string `json:"nesting"`
	MinItems int    `json:"min_items,omitempty"`
	MaxItems int    `json:"max_items,omitempty"`
	Block    Block  `json:"block"`
}

var (
	once   sync.Once
	loaded *Schema
)

// Load returns the embedded schema.
func Load() *Schema {
	once.Do(func() {
		s, err := decodeCompact(raw)
		if err != nil {
			panic("providerschema: embedded schema: " + err.Error())
		}
		loaded = s
	})
	return loaded
}

// Trim extracts the types bpgen may emit from a full `terraform providers
// schema -json` document, as JSON.
func Trim(full []byte) ([]byte, error) {
	var doc struct {
		ProviderSchemas map[string]struct {
			Provider          struct{ Block fullBlock }            `json:"provider"`
			ResourceSchemas   map[string]struct{ Block fullBlock } `json:"resource_schemas"`
			DataSourceSchemas map[string]struct{ Block fullBlock } `json:"data_source_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal(full, &doc); err != nil {
		return nil, err
	}
	p := doc.ProviderSchemas["registry.terraform.io/mypurecloud/genesyscloud"]
	out := Schema{Provider: p.Provider.Block.trim(), Resources: map[string]Block{}, DataSources: map[string]Block{}}
	for _, r := range Resources {
		out.Resources[r] = p.ResourceSchemas[r].Block.trim()
	}
	for _, d := range DataSources {
		out.DataSources[d] = p.DataSourceSchemas[d].Block.trim()
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

type fullBlock struct {
	Attributes map[string]Attribute `json:"attributes"`
	BlockTypes map[string]struct {
		NestingMode string    `json:"nesting_mode"`
		MinItems    int       `json:"min_items"`
		MaxItems    int       `json:"max_items"`
		Block       fullBlock `json:"block"`
	} `json:"block_types"`
}

func (f fullBlock) trim() Block {
	b := Block{Attributes: f.Attributes}
	if len(f.BlockTypes) > 0 {
		b.Blocks = map[string]NestedBlk{}
		for name, bt := range f.BlockTypes {
			b.Blocks[name] = NestedBlk{Nesting: bt.NestingMode, MinItems: bt.MinItems, MaxItems: bt.MaxItems, Block: bt.Block.trim()}
		}
	}
	return b
}
