package org

import (
	"maps"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
)

// Integration types and credential types the emulator knows.
const (
	// IntegrationTypeDataActions is the "Genesys Cloud Data Actions"
	// integration, whose actions call this org's own API.
	IntegrationTypeDataActions = fmtda.IntegrationType
	// CredentialTypeOAuthClient holds the clientId and clientSecret a
	// data-actions integration calls the API with.
	CredentialTypeOAuthClient = contract.CredentialTypeOAuthClient
)

// Intended states of an integration.
const (
	IntegrationEnabled  = "ENABLED"
	IntegrationDisabled = "DISABLED"
)

// IntegrationCredential is a stored credential (Admin > Integrations >
// Credentials). For CredentialTypeOAuthClient, Fields holds "clientId" and
// "clientSecret".
type IntegrationCredential struct {
	ID     string
	Name   string
	Type   string
	Fields map[string]string
	stored
}

func (c IntegrationCredential) clone() IntegrationCredential {
	c.Fields = maps.Clone(c.Fields)
	return c
}

// Integration is an installed integration such as the data-actions one.
// Credentials maps a credential slot (for data actions,
// CredentialTypeOAuthClient) to an IntegrationCredential id.
type Integration struct {
	ID              string
	Name            string
	Notes           string
	IntegrationType string // "" = IntegrationTypeDataActions
	IntendedState   string // ENABLED | DISABLED; "" = DISABLED, the provider's default
	Credentials     map[string]string
	DateModified    time.Time
	stored
}

func (in Integration) clone() Integration {
	in.Credentials = maps.Clone(in.Credentials)
	return in
}

// CreateIntegrationCredential stores a credential. Type defaults to
// CredentialTypeOAuthClient, which needs non-empty clientId and
// clientSecret fields (400). The org does not check that the client
// exists: a wrong one fails when an action first runs, as on the platform.
func (o *Org) CreateIntegrationCredential(in IntegrationCredential) (IntegrationCredential, error) {
	return createObject(o, in.Name, func(name string) (IntegrationCredential, error) {
		if in.Type == "" {
			in.Type = CredentialTypeOAuthClient
		}
		if in.Type == CredentialTypeOAuthClient && (strings.TrimSpace(in.Fields["clientId"]) == "" || in.Fields["clientSecret"] == "") {
			return IntegrationCredential{}, badRequest("A %s credential needs the clientId and clientSecret fields.", CredentialTypeOAuthClient)
		}
		in.ID, in.Name = newUUID(), name
		return insertLocked(o, o.objects.credentials, in.ID, in, IntegrationCredential.clone), nil
	})
}

// IntegrationCredential returns a credential, secret fields included (Go
// callers only; the REST view omits the fields).
func (o *Org) IntegrationCredential(id string) (IntegrationCredential, error) {
	return readObject(o, o.objects.credentials, "Credential", id, (*IntegrationCredential).clone)
}

// DeleteIntegrationCredential removes a credential. Integrations that use it
// keep the reference, and their actions fail authentication from then on
// (inferred).
func (o *Org) DeleteIntegrationCredential(id string) error {
	return deleteObjectThen(o, o.objects.credentials, "Credential", id, o.exec.forget)
}

func validIntendedState(s string) bool { return s == IntegrationEnabled || s == IntegrationDisabled }

// CreateIntegration installs an integration. Validation (400): a name; an
// intended state of ENABLED or DISABLED; credentials naming existing
// credentials. Enabling takes effect at once: the reported state is ACTIVE
// immediately (inferred; the platform activates asynchronously).
func (o *Org) CreateIntegration(in Integration) (Integration, error) {
	return createObject(o, in.Name, func(name string) (Integration, error) {
		if in.IntegrationType == "" {
			in.IntegrationType = IntegrationTypeDataActions
		}
		if in.IntendedState == "" {
			in.IntendedState = IntegrationDisabled
		}
		if !validIntendedState(in.IntendedState) {
			return Integration{}, badRequest("intendedState must be %s or %s.", IntegrationEnabled, IntegrationDisabled)
		}
		for slot, id := range in.Credentials {
			if _, err := referenceLocked(o.objects.credentials, "config.credentials."+slot, "Credential", id); err != nil {
				return Integration{}, err
			}
		}
		in.ID, in.Name, in.DateModified = newUUID(), name, o.stamp()
		return insertLocked(o, o.objects.dataInts, in.ID, in, Integration.clone), nil
	})
}

// Integration returns one integration.
func (o *Org) Integration(id string) (Integration, error) {
	return readObject(o, o.objects.dataInts, "Integration", id, (*Integration).clone)
}

// SetIntegrationState enables or disables an integration. Actions of a
// disabled integration cannot run.
func (o *Org) SetIntegrationState(id, state string) (Integration, error) {
	if !validIntendedState(state) {
		return Integration{}, badRequest("intendedState must be %s or %s.", IntegrationEnabled, IntegrationDisabled)
	}
	return updateObject(o, o.objects.dataInts, "Integration", id, func(in *Integration) error {
		in.IntendedState, in.DateModified = state, o.stamp()
		return nil
	}, (*Integration).clone)
}

// DeleteIntegration removes an integration and its data actions.
// inferred: the platform deletes an integration's actions with it.
func (o *Org) DeleteIntegration(id string) error {
	return deleteObject(o, o.objects.dataInts, "Integration", id, func(*Integration) error {
		maps.DeleteFunc(o.objects.actions, func(_ string, a *DataAction) bool { return a.IntegrationID == id })
		return nil
	})
}
