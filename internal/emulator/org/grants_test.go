package org

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// An OAuth client may only be given roles the caller holds, for both caller
// kinds, through the Go API and PUT /api/v2/oauth/clients/{clientId}.
func TestOAuthClientRolesMustBeHeldByTheCaller(t *testing.T) {
	e := newEnv(t)
	o := e.org
	role, err := o.CreateRole(Role{Name: "Data actions", PermissionPolicies: []PermissionPolicy{{Domain: "externalContacts", EntityName: "contact", ActionSet: []string{"view"}}}})
	if err != nil {
		t.Fatal(err)
	}
	grant := []RoleDivision{{RoleID: role.ID, DivisionID: AllDivisions}}
	user, _ := o.CreateUser(User{Name: "dev"})

	// A user without the role: refused, naming the rule and the role.
	_, err = o.CreateOAuthClientAs(Caller{UserID: user.ID}, OAuthClient{Name: "c1", RoleDivisions: grant})
	if StatusOf(err) != http.StatusBadRequest || !strings.Contains(err.Error(), `"Data actions"`) || !strings.Contains(err.Error(), "only lets a caller assign roles it holds") {
		t.Fatalf("user without the role: %v", err)
	}
	// Once the user holds it (what the provider does for a user token): allowed.
	if err := o.SetUserRoles(user.ID, []string{role.ID}); err != nil {
		t.Fatal(err)
	}
	c1, err := o.CreateOAuthClientAs(Caller{UserID: user.ID}, OAuthClient{Name: "c1", RoleDivisions: grant})
	if err != nil {
		t.Fatalf("user holding the role: %v", err)
	}
	// A client without the role cannot grant it, not even to itself, over HTTP.
	checkError(t, e.call("PUT", "/api/v2/oauth/clients/"+testClientID, map[string]any{"name": testClientID, "authorizedGrantType": GrantClientCredentials, "roleDivisions": grant}), http.StatusBadRequest, "role.not.held")
	// A client holding it can pass it on.
	if err := o.SetOAuthClientRoles(Caller{UserID: user.ID}, testClientID, grant); err != nil {
		t.Fatal(err)
	}
	r := e.call("PUT", "/api/v2/oauth/clients/"+c1.ID, map[string]any{"name": "c1", "authorizedGrantType": GrantClientCredentials, "roleDivisions": grant}).must(t, http.StatusOK)
	var got apimodel.OAuthClient
	r.decode(t, &got)
	if len(got.RoleDivisions) != 1 || got.RoleDivisions[0].RoleID != role.ID {
		t.Errorf("roles after PUT: %+v", got.RoleDivisions)
	}
	held, _ := o.CallerRoles(Caller{ClientID: testClientID})
	if !slices.Contains(held, role.ID) {
		t.Errorf("the granted client holds %v", held)
	}
	if _, err := o.CallerRoles(Caller{UserID: "u", ClientID: "c"}); err == nil {
		t.Error("a caller that is both a user and a client was accepted")
	}
}
