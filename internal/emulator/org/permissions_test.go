package org

import (
	"slices"
	"testing"

	"github.com/bpgen/bpgen/internal/render/permissions"
)

// Every permission bpgen's table asks for is one the emulated org knows, so a
// role the bundle renders is never refused here for a name the table cites,
// and a name outside the org's list (a typo, or an invented permission such
// as integrations:credential:add) fails here before a real org refuses it.
func TestPermissionCatalogueCoversTable(t *testing.T) {
	known := knownPermissions()
	for _, set := range [][]permissions.Entry{permissions.Terraform, permissions.DataActions, permissions.Wire, permissions.Verify,
		{permissions.UserCallerRoleGrant, permissions.ClientRoleGrant}} {
		for _, e := range set {
			for _, p := range e.Permissions {
				if !slices.Contains(known, p) {
					t.Errorf("internal/render/permissions cites %s, which the emulated org does not know", p)
				}
			}
		}
	}
	if slices.Contains(known, "integrations:credential:add") {
		t.Error("the org knows integrations:credential:add, which is not a Genesys permission")
	}
}
