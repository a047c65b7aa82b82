package org

import (
	"slices"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// GrantClientCredentials is the only OAuth grant the emulated token endpoint
// implements, so the only one CreateOAuthClient accepts.
const GrantClientCredentials = "CLIENT-CREDENTIALS"

// Token lifetime bounds of an OAuth client (accessTokenValiditySeconds),
// from the Resource Center's "Create an OAuth client".
const (
	MinTokenLifetime = 300 * time.Second
	MaxTokenLifetime = 172800 * time.Second
)

// AllDivisions is the division id that grants a role in every division.
const AllDivisions = "*"

// RoleDivision grants a role in a division (or AllDivisions) to an OAuth
// client.
type RoleDivision = apimodel.RoleDivision

// PermissionPolicy grants actions on one entity of a permission domain,
// e.g. externalContacts / contact / [view].
type PermissionPolicy = apimodel.PermissionPolicy

// Role is an authorization role. The emulated org stores permissions but
// does not enforce them: every authenticated client may call every route.
type Role struct {
	ID                 string
	Name               string
	Description        string
	PermissionPolicies []PermissionPolicy
	stored
}

// Permissions lists the role's grants as domain:entity:action strings, the
// form of the API's "permissions" field.
func (r Role) Permissions() []string {
	var out []string
	for _, p := range r.PermissionPolicies {
		for _, a := range p.ActionSet {
			out = append(out, p.Domain+":"+p.EntityName+":"+a)
		}
	}
	return out
}

func (r Role) clone() Role {
	r.PermissionPolicies = slices.Clone(r.PermissionPolicies)
	for i := range r.PermissionPolicies {
		r.PermissionPolicies[i].ActionSet = slices.Clone(r.PermissionPolicies[i].ActionSet)
	}
	return r
}

// CreateRole adds a role. Names are unique, case-insensitively (409;
// inferred from the Admin UI); every policy needs a domain, an entity name
// and at least one action (400).
func (o *Org) CreateRole(in Role) (Role, error) {
	return createObject(o, in.Name, func(name string) (Role, error) {
		for i, p := range in.PermissionPolicies {
			if strings.TrimSpace(p.Domain) == "" || strings.TrimSpace(p.EntityName) == "" || len(p.ActionSet) == 0 {
				return Role{}, badRequest("permissionPolicies[%d] needs a domain, an entityName and a non-empty actionSet.", i)
			}
		}
		if r := findLocked(o.objects.roles, func(r *Role) bool { return strings.EqualFold(r.Name, name) }); r != nil {
			return Role{}, conflict("Role", r.ID, "A role named %s already exists.", quote(name))
		}
		in.ID, in.Name = newUUID(), name
		return insertLocked(o, o.objects.roles, in.ID, in, Role.clone), nil
	})
}

// Role returns one role.
func (o *Org) Role(id string) (Role, error) {
	return readObject(o, o.objects.roles, "Role", id, (*Role).clone)
}

// DeleteRole removes a role. Clients that were granted it keep the grant
// record (inferred: the emulator does not enforce permissions, so a dangling
// grant changes nothing).
func (o *Org) DeleteRole(id string) error {
	return deleteObject(o, o.objects.roles, "Role", id, nil)
}

// CreateOAuthClient creates a client-credentials OAuth client with a
// generated id and secret and registers it with the token endpoint, as
// POST /api/v2/oauth/clients does. It seeds an org as its administrator set
// it up beforehand: it does not apply the rule that a caller may only grant
// roles it holds; requests made on someone's behalf (every apply) go through
// CreateOAuthClientAs, which does. The returned value carries the secret
// (the only time it is readable; the REST view never shows it).
//
// Validation (400): a name; AuthorizedGrantType empty or
// CLIENT-CREDENTIALS; TokenLifetime 0 (default) or within
// MinTokenLifetime..MaxTokenLifetime; each role grant naming an existing
// role and an existing division or AllDivisions.
func (o *Org) CreateOAuthClient(in OAuthClient) (OAuthClient, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return OAuthClient{}, err
	}
	if in.AuthorizedGrantType == "" {
		in.AuthorizedGrantType = GrantClientCredentials
	}
	if in.AuthorizedGrantType != GrantClientCredentials {
		return OAuthClient{}, badRequest("authorizedGrantType %s is not supported by the emulated org; use %s.", in.AuthorizedGrantType, GrantClientCredentials)
	}
	if in.TokenLifetime != 0 && (in.TokenLifetime < MinTokenLifetime || in.TokenLifetime > MaxTokenLifetime) {
		return OAuthClient{}, badRequest("accessTokenValiditySeconds must be between %d and %d.", int(MinTokenLifetime/time.Second), int(MaxTokenLifetime/time.Second))
	}
	if err := o.checkRoleDivisions(in.RoleDivisions); err != nil {
		return OAuthClient{}, err
	}
	c := in
	c.ID, c.Name = newUUID(), name
	if c.Secret == "" {
		c.Secret = newToken()
	}
	c.State = OAuthStateActive
	c.DateCreated = o.now()
	if err := o.RegisterClient(c); err != nil {
		return OAuthClient{}, err
	}
	return o.OAuthClient(c.ID)
}

// checkRoleDivisions fails (400) unless every grant names an existing role
// and an existing division or AllDivisions.
func (o *Org) checkRoleDivisions(rds []RoleDivision) error {
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, rd := range rds {
		if _, err := referenceLocked(o.objects.roles, "roleDivisions.roleId", "Role", rd.RoleID); err != nil {
			return err
		}
		if _, ok := o.objects.divisions[rd.DivisionID]; !ok && rd.DivisionID != AllDivisions {
			return badReference("roleDivisions.divisionId", "Division", rd.DivisionID)
		}
	}
	return nil
}

// OAuthClient returns a registered client, secret included (Go callers
// only; see CreateOAuthClient).
func (o *Org) OAuthClient(id string) (OAuthClient, error) {
	o.auth.mu.RLock()
	defer o.auth.mu.RUnlock()
	c, ok := o.auth.clients[id]
	if !ok {
		return OAuthClient{}, notFound("OAuthClient", id)
	}
	c.RoleDivisions = slices.Clone(c.RoleDivisions)
	return c, nil
}

// DeleteOAuthClient removes a client and revokes every token issued to it:
// a deleted client's tokens stop working at once (inferred).
func (o *Org) DeleteOAuthClient(id string) error {
	o.auth.mu.Lock()
	defer o.auth.mu.Unlock()
	if _, ok := o.auth.clients[id]; !ok {
		return notFound("OAuthClient", id)
	}
	delete(o.auth.clients, id)
	for t, rec := range o.auth.tokens {
		if rec.clientID == id {
			delete(o.auth.tokens, t)
		}
	}
	return nil
}
