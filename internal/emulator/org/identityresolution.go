package org

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
type Automerge struct {
	AuthenticatedWebMessaging bool `json:"authenticatedWebMessaging"`
	WebTracking               bool `json:"webTracking"`
}

// checkResolutionLocked validates the references of a setting (400).
func (o *Org) checkResolutionLocked(cfg IdentityResolution) error {
	if cfg.ExternalSourceID != "" {
		if _, ok := o.sources[cfg.ExternalSourceID]; !ok {
			return badReference("externalSource.id", "ExternalSource", cfg.ExternalSourceID)
		}
	}
	if cfg.DivisionID != "" {
		if _, ok := o.objects.divisions[cfg.DivisionID]; !ok {
			return badReference("division.id", "Division", cfg.DivisionID)
		}
	}
	return nil
}

// OpenIdentityResolution returns an open-messaging integration's setting.
func (o *Org) OpenIdentityResolution(integrationID string) (IdentityResolution, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	in, ok := o.integrations[integrationID]
	if !ok {
		return IdentityResolution{}, notFound("OpenIntegration", integrationID)
	}
	return IdentityResolution{ResolveIdentities: in.resolves(), ExternalSourceID: in.ExternalSourceID, DivisionID: in.resolutionDivisionID}, nil
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
	o.mu.Lock()
	in, ok := o.integrations[integrationID]
	if !ok {
		o.mu.Unlock()
		return IdentityResolution{}, notFound("OpenIntegration", integrationID)
	}
	if err := o.checkResolutionLocked(cfg); err != nil {
		o.mu.Unlock()
		return IdentityResolution{}, err
	}
	on := cfg.ResolveIdentities
	in.ResolveIdentities = &on
	in.ExternalSourceID, in.resolutionDivisionID = cfg.ExternalSourceID, cfg.DivisionID
	in.DateModified = o.stamp()
	o.mu.Unlock()
	return o.OpenIdentityResolution(integrationID)
}

// WebDeploymentIdentityResolution returns a Messenger deployment's setting.
// A deployment starts with resolution off and no automerge (inferred).
func (o *Org) WebDeploymentIdentityResolution(deploymentID string) (IdentityResolution, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	d, ok := o.objects.webDeps[deploymentID]
	if !ok {
		return IdentityResolution{}, notFound("WebDeployment", deploymentID)
	}
	cfg := d.resolution
	cfg.Automerge = clonePtr(cfg.Automerge)
	if cfg.Automerge == nil {
		cfg.Automerge = &Automerge{}
	}
	return cfg, nil
}

// SetWebDeploymentIdentityResolution replaces a Messenger deployment's
// setting. The emulator stores it: anonymous guests carry no identifier, so
// web messaging conversations always start with a fresh Ephemeral contact
// (api.md 1.4), and authenticated messaging and web tracking, which
// automerge is about, are not emulated.
func (o *Org) SetWebDeploymentIdentityResolution(deploymentID string, cfg IdentityResolution) (IdentityResolution, error) {
	o.mu.Lock()
	d, ok := o.objects.webDeps[deploymentID]
	if !ok {
		o.mu.Unlock()
		return IdentityResolution{}, notFound("WebDeployment", deploymentID)
	}
	if err := o.checkResolutionLocked(cfg); err != nil {
		o.mu.Unlock()
		return IdentityResolution{}, err
	}
	cfg.Automerge = clonePtr(cfg.Automerge)
	d.resolution = cfg
	d.DateModified = o.stamp()
	o.mu.Unlock()
	return o.WebDeploymentIdentityResolution(deploymentID)
}
