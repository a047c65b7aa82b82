package org

import (
	"cmp"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

func renderOAuthClient(c OAuthClient) apimodel.OAuthClient {
	return apimodel.OAuthClient{
		ID: c.ID,
		OAuthClientSettings: apimodel.OAuthClientSettings{
			Name:        cmp.Or(c.Name, c.ID), // clients registered by tests have no name
			Description: c.Description,
			// Registered clients may leave the grant and the state unset.
			AuthorizedGrantType:        cmp.Or(c.AuthorizedGrantType, GrantClientCredentials),
			State:                      cmp.Or(c.State, OAuthStateActive),
			AccessTokenValiditySeconds: int(c.TokenLifetime / time.Second),
			RoleDivisions:              orEmpty(c.RoleDivisions), Scope: []string{},
		},
		Stamps: apimodel.Stamps{DateCreated: tm(c.DateCreated), SelfURI: "/api/v2/oauth/clients/" + c.ID},
	}
}

func renderRole(r Role) apimodel.Role {
	return apimodel.Role{
		ID:           r.ID,
		RoleSettings: apimodel.RoleSettings{Name: r.Name, Description: r.Description, Permissions: orEmpty(r.Permissions()), PermissionPolicies: orEmpty(r.PermissionPolicies)},
		SelfURI:      "/api/v2/authorization/roles/" + r.ID,
	}
}
