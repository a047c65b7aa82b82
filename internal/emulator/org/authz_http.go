package org

import (
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

func renderOAuthClient(c OAuthClient) apimodel.OAuthClient {
	out := apimodel.OAuthClient{
		ID: c.ID,
		OAuthClientSettings: apimodel.OAuthClientSettings{
			Name: c.Name, Description: c.Description,
			AuthorizedGrantType: c.AuthorizedGrantType, State: c.State,
			AccessTokenValiditySeconds: int(c.TokenLifetime / time.Second),
			RoleDivisions:              c.RoleDivisions, Scope: []string{},
		},
		Stamps: apimodel.Stamps{DateCreated: tm(c.DateCreated), SelfURI: "/api/v2/oauth/clients/" + c.ID},
	}
	if out.Name == "" {
		out.Name = c.ID // clients registered by tests have no name
	}
	if out.AuthorizedGrantType == "" {
		out.AuthorizedGrantType = GrantClientCredentials
	}
	if out.State == "" {
		out.State = OAuthStateActive
	}
	if out.RoleDivisions == nil {
		out.RoleDivisions = []RoleDivision{}
	}
	return out
}

func renderRole(r Role) apimodel.Role {
	out := apimodel.Role{
		ID:           r.ID,
		RoleSettings: apimodel.RoleSettings{Name: r.Name, Description: r.Description, Permissions: r.Permissions(), PermissionPolicies: r.PermissionPolicies},
		SelfURI:      "/api/v2/authorization/roles/" + r.ID,
	}
	if out.Permissions == nil {
		out.Permissions = []string{}
	}
	if out.PermissionPolicies == nil {
		out.PermissionPolicies = []PermissionPolicy{}
	}
	return out
}
