package architect

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/bpgen/bpgen/emulator/org"
	"github.com/bpgen/bpgen/internal/contract"
)

// Deployment is what Deploy created in the org: what `terraform apply`
// would have created for the bundle, reduced to what the flows need.
type Deployment struct {
	// ClientID and ClientSecret are the client-credentials OAuth client the
	// data actions call the org with (the bundle's oauth_client, or the
	// existing client it is configured with).
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	// ExternalSourceID is the external source created for ExternalId
	// identifiers and open-messaging identity resolution; "" when none.
	ExternalSourceID string `json:"externalSourceId,omitempty"`
	// OpenMessagingIntegrationID is the registered open-messaging
	// integration; "" when the bundle has no open-messaging channel.
	OpenMessagingIntegrationID string `json:"openMessagingIntegrationId,omitempty"`
}

// Deploy makes o ready to run b: it registers an OAuth client for the data
// actions, creates the bundle's external source under the id the flows were
// substituted with, and registers the open-messaging integration routed to
// the inbound flow (with the external source for identity resolution when
// the bundle turns it on). Queues, flows and data actions need no org
// objects: the runtime executes them itself. Deploying the same bundle twice
// into one org reuses the external source and integration.
func Deploy(o *org.Org, b *Bundle) (Deployment, error) {
	var d Deployment
	secret := make([]byte, 24)
	id := make([]byte, 8)
	if _, err := rand.Read(secret); err != nil {
		return d, err
	}
	if _, err := rand.Read(id); err != nil {
		return d, err
	}
	d.ClientID = "bpgen-data-actions-" + hex.EncodeToString(id)
	d.ClientSecret = hex.EncodeToString(secret)
	if err := o.RegisterClient(org.OAuthClient{ID: d.ClientID, Secret: d.ClientSecret}); err != nil {
		return d, fmt.Errorf("deploy: OAuth client: %w", err)
	}

	if b.ExternalSourceID != "" {
		src := b.Manifest.ByKind(contract.KindExternalSource)[0]
		if _, err := o.ExternalSource(b.ExternalSourceID); err != nil {
			if _, err := o.CreateExternalSource(org.ExternalSource{ID: b.ExternalSourceID, Name: src.Name}); err != nil {
				return d, fmt.Errorf("deploy: external source %q: %w", src.Name, err)
			}
		}
		d.ExternalSourceID = b.ExternalSourceID
	}

	if om := b.Manifest.Channels.OpenMessaging; om != nil {
		name := "Open Messaging"
		if objs := b.Manifest.ByKind(contract.KindOpenMessagingIntegration); len(objs) > 0 && objs[0].Name != "" {
			name = objs[0].Name
		}
		resolve := om.ResolveIdentities
		in := org.OpenIntegration{ID: stableID("open messaging " + name), Name: name, FlowName: b.inbound.name, ResolveIdentities: &resolve}
		if resolve {
			in.ExternalSourceID = d.ExternalSourceID
		}
		if _, err := o.OpenIntegration(in.ID); err != nil {
			if _, err := o.AddOpenIntegration(in); err != nil {
				return d, fmt.Errorf("deploy: open messaging integration: %w", err)
			}
		}
		d.OpenMessagingIntegrationID = in.ID
	}
	return d, nil
}

// fits reports why an existing deployment cannot run b, if it cannot.
func (d Deployment) fits(b *Bundle) error {
	if d.ClientID == "" || d.ClientSecret == "" {
		return errors.New("architect: the deployment has no OAuth client for the data actions")
	}
	if d.ExternalSourceID != b.ExternalSourceID {
		return fmt.Errorf("architect: the deployment's external source is %q but the bundle was loaded for %q (load it with LoadWith)", d.ExternalSourceID, b.ExternalSourceID)
	}
	return nil
}
