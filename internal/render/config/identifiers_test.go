package config_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/render/config"
)

// The schema's identifier type enum, which editors complete from and the
// loader checks first, is internal/contract's list, in its order: a type
// added or renamed in one place only fails here.
func TestSchemaIdentifierTypesAreTheContracts(t *testing.T) {
	var schema struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(config.SchemaJSON(), &schema); err != nil {
		t.Fatal(err)
	}
	var enums [][]string
	for _, d := range schema.Defs {
		if p, ok := d.Properties["type"]; ok && slices.Contains(p.Enum, contract.IdentifierEmail) {
			enums = append(enums, p.Enum)
		}
	}
	if len(enums) != 1 {
		t.Fatalf("found %d identifier type enums in the schema, want 1", len(enums))
	}
	if want := contract.IdentifierTypes(); !slices.Equal(enums[0], want) {
		t.Errorf("schema enum %v, contract %v", enums[0], want)
	}
	for _, typ := range contract.IdentifierTypes() {
		if _, ok := config.Info(typ); !ok {
			t.Errorf("config.Info(%q) knows nothing", typ)
		}
	}
}
