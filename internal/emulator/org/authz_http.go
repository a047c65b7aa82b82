package org

import "time"

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
	out := apiOAuthClient{
		ID: c.ID,
		oauthClientSettings: oauthClientSettings{
			Name: c.Name, Description: c.Description,
			AuthorizedGrantType: c.AuthorizedGrantType, State: c.State,
			AccessTokenValiditySeconds: int(c.TokenLifetime / time.Second),
			RoleDivisions:              c.RoleDivisions, Scope: []string{},
		},
		DateCreated: Time{c.DateCreated}, SelfURI: "/api/v2/oauth/clients/" + c.ID,
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
	out := apiRole{
		ID:           r.ID,
		roleSettings: roleSettings{Name: r.Name, Description: r.Description, Permissions: r.Permissions(), PermissionPolicies: r.PermissionPolicies},
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
