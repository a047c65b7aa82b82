package org

import (
	"cmp"
	"time"
)

// apiOAuthClient is the OAuthClient wire shape. It has no secret field: the
// platform shows a secret once, at creation, and the emulator never does.
type apiOAuthClient struct {
	ID string `json:"id"`
	oauthClientSettings
	DateCreated Time   `json:"dateCreated,omitzero"`
	SelfURI     string `json:"selfUri"`
}

// oauthClientSettings are the fields an OAuthClient shares with the
// OAuthClientRequest that writes it, in the order the client renders them.
type oauthClientSettings struct {
	Name                       string         `json:"name"`
	Description                string         `json:"description,omitempty"`
	AuthorizedGrantType        string         `json:"authorizedGrantType"`
	State                      string         `json:"state"`
	AccessTokenValiditySeconds int            `json:"accessTokenValiditySeconds"`
	RoleDivisions              []RoleDivision `json:"roleDivisions"`
	Scope                      []string       `json:"scope"`
}

func renderOAuthClient(c OAuthClient) apiOAuthClient {
	return apiOAuthClient{
		ID: c.ID,
		oauthClientSettings: oauthClientSettings{
			Name:        cmp.Or(c.Name, c.ID), // clients registered by tests have no name
			Description: c.Description,
			// Registered clients may leave the grant and the state unset.
			AuthorizedGrantType:        cmp.Or(c.AuthorizedGrantType, GrantClientCredentials),
			State:                      cmp.Or(c.State, OAuthStateActive),
			AccessTokenValiditySeconds: int(c.TokenLifetime / time.Second),
			RoleDivisions:              orEmpty(c.RoleDivisions), Scope: []string{},
		},
		DateCreated: Time{c.DateCreated}, SelfURI: "/api/v2/oauth/clients/" + c.ID,
	}
}

// apiRole is the DomainOrganizationRole wire shape.
type apiRole struct {
	ID string `json:"id"`
	roleSettings
	UserCount int    `json:"userCount"`
	Base      bool   `json:"base"`
	Default   bool   `json:"default"`
	SelfURI   string `json:"selfUri"`
}

// roleSettings are the fields a DomainOrganizationRole shares with the
// DomainOrganizationRoleCreate that writes it.
type roleSettings struct {
	Name               string             `json:"name"`
	Description        string             `json:"description,omitempty"`
	Permissions        []string           `json:"permissions"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies"`
}

func renderRole(r Role) apiRole {
	return apiRole{
		ID:           r.ID,
		roleSettings: roleSettings{Name: r.Name, Description: r.Description, Permissions: orEmpty(r.Permissions()), PermissionPolicies: orEmpty(r.PermissionPolicies)},
		SelfURI:      "/api/v2/authorization/roles/" + r.ID,
	}
}
