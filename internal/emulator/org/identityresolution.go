package org

import "github.com/bpgen/bpgen/internal/platform/apimodel"

// IdentityResolution is the identity-resolution setting of an open-messaging
// integration or a Messenger deployment (api.md 1.4). Automerge exists for
// web deployments only.
type IdentityResolution struct {
	ResolveIdentities bool
	ExternalSourceID  string // "" = none
	DivisionID        string // "" = none given
	Automerge         *Automerge
}

// Automerge says which web channels merge contacts automatically.
type Automerge = apimodel.Automerge

// checkResolutionLocked validates the references of a setting (400).
func (o *Org) checkResolutionLocked(cfg IdentityResolution) error {
	if cfg.ExternalSourceID != "" {
		if _, err := referenceLocked(o.sources, "externalSource.id", "ExternalSource", cfg.ExternalSourceID); err != nil {
			return err
		}
	}
	if cfg.DivisionID != "" {
		if _, err := referenceLocked(o.objects.divisions, "division.id", "Division", cfg.DivisionID); err != nil {
			return err
		}
	}
	return nil
}

// OpenIdentityResolution returns an open-messaging integration's setting.
func (o *Org) OpenIdentityResolution(integrationID string) (IdentityResolution, error) {
	return readObject(o, o.integrations, "OpenIntegration", integrationID, (*OpenIntegration).identityResolution)
}

func (in *OpenIntegration) identityResolution() IdentityResolution {
	return IdentityResolution{ResolveIdentities: in.resolves(), ExternalSourceID: in.ExternalSourceID, DivisionID: in.resolutionDivisionID}
}

// SetOpenIdentityResolution replaces an open-messaging integration's
// setting; it governs conversations that start afterwards (see
// StartConversation). With ResolveIdentities false, every new sender gets a
// fresh Ephemeral contact and nothing is looked up (inferred: "resolution
// needs resolveIdentities: true"). Automerge is a 400: it is not part of
// the open-messaging setting.
func (o *Org) SetOpenIdentityResolution(integrationID string, cfg IdentityResolution) (IdentityResolution, error) {
	if cfg.Automerge != nil {
		return IdentityResolution{}, badRequest("automerge is not part of the open messaging identity resolution setting.")
	}
	return updateObject(o, o.integrations, "OpenIntegration", integrationID, func(in *OpenIntegration) error {
		if err := o.checkResolutionLocked(cfg); err != nil {
			return err
		}
		on := cfg.ResolveIdentities
		in.ResolveIdentities = &on
		in.ExternalSourceID, in.resolutionDivisionID = cfg.ExternalSourceID, cfg.DivisionID
		in.DateModified = o.stamp()
		return nil
	}, (*OpenIntegration).identityResolution)
}

// WebDeploymentIdentityResolution returns a Messenger deployment's setting.
// A deployment starts with resolution off and no automerge (inferred).
func (o *Org) WebDeploymentIdentityResolution(deploymentID string) (IdentityResolution, error) {
	return readObject(o, o.objects.webDeps, "WebDeployment", deploymentID, (*WebDeployment).identityResolution)
}

func (d *WebDeployment) identityResolution() IdentityResolution {
	cfg := d.resolution
	cfg.Automerge = clonePtr(cfg.Automerge)
	if cfg.Automerge == nil {
		cfg.Automerge = &Automerge{}
	}
	return cfg
}

// SetWebDeploymentIdentityResolution replaces a Messenger deployment's
// setting. The emulator stores it: anonymous guests carry no identifier, so
// web messaging conversations always start with a fresh Ephemeral contact
// (api.md 1.4), and authenticated messaging and web tracking, which
// automerge is about, are not emulated.
func (o *Org) SetWebDeploymentIdentityResolution(deploymentID string, cfg IdentityResolution) (IdentityResolution, error) {
	return updateObject(o, o.objects.webDeps, "WebDeployment", deploymentID, func(d *WebDeployment) error {
		if err := o.checkResolutionLocked(cfg); err != nil {
			return err
		}
		cfg.Automerge = clonePtr(cfg.Automerge)
		d.resolution = cfg
		d.DateModified = o.stamp()
		return nil
	}, (*WebDeployment).identityResolution)
}
