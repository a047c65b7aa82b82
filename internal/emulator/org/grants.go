package org

import (
	"fmt"
	"slices"
	"strings"
)

// The OAuth-role rule: Genesys Cloud only lets a caller give an OAuth client
// roles the caller itself holds. Sources: the provider's
// docs/resources/oauth_client.md at v1.82.0 ("The roles must also already be
// assigned to the OAuth Client used by Terraform") and
// updateTerraformUserWithRole in resource_genesyscloud_oauth_client.go, which
// for a user token adds the roles to the user first and for a
// client-credentials grant only logs "You might get an error".

// User is a person in the org, with the roles they hold (by role id). The
// emulator models users only as callers that hold roles.
type User struct {
	ID    string
	Name  string
	Email string
	Roles []string
}

func (u User) clone() User {
	u.Roles = slices.Clone(u.Roles)
	return u
}

// Caller is who makes a request: a user (a user token, e.g. an
// authorization-code or implicit grant) or an OAuth client (client
// credentials). Exactly one of UserID and ClientID is set.
type Caller struct {
	UserID   string
	ClientID string
}

func (c Caller) String() string {
	if c.UserID != "" {
		return "user " + quote(c.UserID)
	}
	return "OAuth client " + quote(c.ClientID)
}

// CreateUser adds a user holding the given roles (each must exist).
func (o *Org) CreateUser(in User) (User, error) {
	return createObject(o, in.Name, func(name string) (User, error) {
		if err := o.checkRolesLocked(in.Roles); err != nil {
			return User{}, err
		}
		u := in.clone()
		u.ID, u.Name = newUUID(), name
		o.objects.users[u.ID] = &u
		return u.clone(), nil
	})
}

// checkRolesLocked fails (400) unless every id names an existing role.
func (o *Org) checkRolesLocked(roleIDs []string) error {
	for _, r := range roleIDs {
		if _, err := referenceLocked(o.objects.roles, "roles", "Role", r); err != nil {
			return err
		}
	}
	return nil
}

// User returns a user.
func (o *Org) User(id string) (User, error) {
	return readObject(o, o.objects.users, "User", id, (*User).clone)
}

// SetUserRoles replaces a user's roles, as PUT /api/v2/users/{subjectId}/roles
// does (the provider's UpdateTerraformUserRoles; permission
// authorization:grant:add, which the emulator does not check). Every role
// must exist.
func (o *Org) SetUserRoles(userID string, roleIDs []string) error {
	_, err := updateObject(o, o.objects.users, "User", userID, func(u *User) error {
		if err := o.checkRolesLocked(roleIDs); err != nil {
			return err
		}
		u.Roles = slices.Compact(slices.Sorted(slices.Values(roleIDs)))
		return nil
	}, (*User).clone)
	return err
}

// CallerRoles lists the role ids a caller holds.
func (o *Org) CallerRoles(c Caller) ([]string, error) {
	switch {
	case c.UserID != "" && c.ClientID != "":
		return nil, fmt.Errorf("org: a caller is a user or an OAuth client, not both")
	case c.UserID != "":
		u, err := o.User(c.UserID)
		return u.Roles, err
	case c.ClientID != "":
		cl, err := o.OAuthClient(c.ClientID)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, rd := range cl.RoleDivisions {
			out = append(out, rd.RoleID)
		}
		return out, nil
	}
	return nil, fmt.Errorf("org: no caller")
}

// checkGrantable fails unless the caller holds every role in rds.
// inferred: the platform's status and wording are not documented; 400 with
// the rule spelled out is the strict reading.
func (o *Org) checkGrantable(c Caller, rds []RoleDivision) error {
	held, err := o.CallerRoles(c)
	if err != nil {
		return err
	}
	var missing []string
	for _, rd := range rds {
		if !slices.Contains(held, rd.RoleID) && !slices.Contains(missing, rd.RoleID) {
			name := rd.RoleID
			if r, err := o.Role(rd.RoleID); err == nil {
				name = quote(r.Name) + " (" + r.ID + ")"
			}
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		e := badRequest("The %s cannot give an OAuth client role %s: it does not hold it. Genesys Cloud only lets a caller assign roles it holds.", c, strings.Join(missing, ", "))
		e.Code = "role.not.held"
		return e
	}
	return nil
}

// CreateOAuthClientAs is POST /api/v2/oauth/clients made by caller: the
// client may only be given roles the caller holds.
func (o *Org) CreateOAuthClientAs(c Caller, in OAuthClient) (OAuthClient, error) {
	if err := o.checkGrantable(c, in.RoleDivisions); err != nil {
		return OAuthClient{}, err
	}
	return o.CreateOAuthClient(in)
}

// SetOAuthClientRoles replaces a client's role grants, as
// PUT /api/v2/oauth/clients/{clientId} with roleDivisions does, under the
// same rule: the caller must hold every role it grants. A client cannot grant
// itself a role it lacks.
func (o *Org) SetOAuthClientRoles(c Caller, clientID string, rds []RoleDivision) error {
	if err := o.checkGrantable(c, rds); err != nil {
		return err
	}
	if err := o.checkRoleDivisions(rds); err != nil {
		return err
	}
	o.auth.mu.Lock()
	defer o.auth.mu.Unlock()
	cl, ok := o.auth.clients[clientID]
	if !ok {
		return notFound("OAuthClient", clientID)
	}
	cl.RoleDivisions = slices.Clone(rds)
	o.auth.clients[clientID] = cl
	return nil
}
