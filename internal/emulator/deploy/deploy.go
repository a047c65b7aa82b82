// Package deploy applies a rendered bpgen bundle to an emulated org
// (internal/emulator/org) the way `terraform apply` applies it to a real one, and
// destroys it again, so the harness's verification and conversation code
// runs offline against exactly what a real apply would have produced.
//
// Apply reads the bundle directory: bpgen.manifest.json says which objects
// exist and how they are wired, exports/*.json are the data actions,
// flows/*.yaml the Archy flows (their {{placeholders}} substituted as the
// provider does), and terraform/ supplies input variables (declared
// defaults, *.auto.tfvars, then Options.Vars like TF_VAR_*) and each
// resource's literal settings (the role's permission policies, the OAuth
// client's token lifetime, Messenger's allowed domains, …). It creates the
// objects in dependency order and returns the Terraform outputs a real
// apply prints: one per manifest object with an Output name, e.g.
// inbound_flow_id, messenger_deployment_id, lookup_action_id.
//
// Like Terraform, Apply only looks up what the bundle declares as existing
// (a named division, an existing queue or external source, an existing
// OAuth client or integration). An emulated org starts empty, so by
// default Apply creates such objects as fixtures standing in for what the
// real org would already have; Options.Strict makes their absence an error,
// as Terraform's data sources would. Fixtures are never destroyed.
//
// Objects the bundle creates are created through the org's own HTTP
// handlers (in process, no socket) with the requests the provider v1.82.0
// makes: roles, the client-credentials caller's OAuth client, integration
// credentials, the integration and its config, data actions, queues,
// external sources, flows (Architect jobs: the substituted YAML is uploaded
// and compiled by the runtime that will run it, so an invalid flow fails
// the apply with Architect-style messages), Messenger configurations
// (published), deployments and open-messaging integrations. Destroy calls
// the provider's deletes (an OAuth client set inactive first). Only
// fixtures and look-ups (objects Terraform does not create) and a user
// caller's OAuth client (the emulated org issues tokens to clients only)
// use the org's Go API. Deployment.StartRuntime then runs the flows as
// published; `bpgen simulate`, `bpgen org serve --bundle`, internal/emulator/stack
// and the harness all deploy this way.
//
// What Terraform cannot do is not done here either: an open-messaging
// integration's recipient is not bound to the inbound flow and identity
// resolution stays off until `bpgen wire` sets them.
package deploy

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/org"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/manifest"
)

// Options tune Apply. The zero value is the usual choice.
type Options struct {
	// Vars sets input variables, as TF_VAR_<name> does: string variables
	// take the value literally, others parse it as HCL (`["a.example.com"]`).
	Vars map[string]string
	// Strict fails when an object the bundle expects to exist is missing
	// (or a required variable has no value), instead of creating a fixture.
	Strict bool
	// Caller is who runs Terraform. The zero value is a user token: Apply
	// creates a user holding no roles to stand for the person running it.
	Caller Caller
	// Targets limits the apply to these manifest object ids and what they
	// depend on, as `terraform apply -target=...` does.
	Targets []string
	// State is a previous Apply of the same bundle in the same org, as
	// Terraform state: its objects are kept, not created again, and the
	// returned Deployment owns them. State must not be destroyed separately.
	State *Deployment
}

// Caller is the identity Terraform runs as. The provider behaves differently
// for the two (updateTerraformUserWithRole in resource_genesyscloud_oauth_client.go
// at v1.82.0): with a user token it adds the new OAuth client's roles to
// that user first; with a client-credentials grant it does not, so the
// Terraform client must already hold them.
type Caller struct {
	// ClientID is the OAuth client whose client-credentials token Terraform
	// uses; it must exist in the org.
	ClientID string
	// UserID is the user whose token Terraform uses, issued through a
	// Genesys built-in client (the provider only adds roles to the user when
	// GET /api/v2/tokens/me reports organization purecloud-builtin; a user
	// token of an org-owned client behaves as ClientID). Empty (with no
	// ClientID) makes Apply create one.
	UserID string
}

// Object is one object Apply created or looked up.
type Object struct {
	ID      string // manifest object id, e.g. "flow.inbound"; "" for objects the manifest does not list
	Kind    string // manifest kind, e.g. "flow", "data_action"
	Name    string // the name in the org
	OrgID   string // the id in the org, what the Terraform output holds
	Managed bool   // created by Apply; Destroy deletes it
	Fixture bool   // created by Apply in place of an object the org should already have; never destroyed
}

// Deployment is an applied bundle.
type Deployment struct {
	Dir      string
	Manifest *manifest.Manifest
	// Outputs are the Terraform outputs: manifest Output name → org id.
	Outputs map[string]string
	// Objects are the manifest's objects in manifest order.
	Objects []Object
	// Fixtures are objects Apply created because the bundle expects them to
	// exist already (see the package doc), including ones no manifest
	// object names, such as the OAuth client behind an existing-client
	// credential.
	Fixtures []Object

	org       *org.Org
	caller    Caller   // who ran Terraform; Destroy runs as them too
	fsys      fs.FS    // the bundle's files
	created   []Object // creation order; Destroy walks it backwards
	destroyed bool
	// credentials maps an oauth_client object to the integration credential
	// the provider created with it.
	credentials map[string]string
}

// Object returns the object with a manifest id.
func (d *Deployment) Object(id string) (Object, bool) {
	for _, o := range d.Objects {
		if o.ID == id {
			return o, true
		}
	}
	return Object{}, false
}

// Kinds Apply knows, in the order it creates them (each kind only needs
// earlier ones).
var kindOrder = []string{
	"division", "role", "oauth_client", "integration_credential", "integration", "data_action",
	"queue", "external_source", "flow", "messenger_configuration", "messenger_deployment",
	"open_messaging_integration",
}

// Apply creates the bundle in dir in o. On failure, everything it created
// is deleted again and the error says which object failed.
func Apply(o *org.Org, dir string, opts *Options) (*Deployment, error) {
	return apply(o, manifest.Dir(dir), dir, opts)
}

// ApplyFS is Apply for a bundle whose files are in fsys (its root holds
// bpgen.manifest.json), e.g. one rendered in memory; Deployment.Dir is "".
func ApplyFS(o *org.Org, fsys fs.FS, opts *Options) (*Deployment, error) {
	return apply(o, fsys, "", opts)
}

func apply(o *org.Org, fsys fs.FS, dir string, opts *Options) (*Deployment, error) {
	if opts == nil {
		opts = &Options{}
	}
	man, err := manifest.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("deploy: %w", err)
	}
	for _, obj := range man.Objects {
		if !slices.Contains(kindOrder, obj.Kind) {
			return nil, fmt.Errorf("deploy: object %s: unsupported kind %q", obj.ID, obj.Kind)
		}
	}
	mod, err := loadModule(fsys, dir, opts.Vars)
	if err != nil {
		return nil, fmt.Errorf("deploy: %w", err)
	}
	a := &applier{
		o: o, fsys: fsys, man: man, mod: mod, strict: opts.Strict, caller: opts.Caller,
		d:    &Deployment{Dir: dir, Manifest: man, Outputs: map[string]string{}, org: o, fsys: fsys, credentials: map[string]string{}},
		objs: map[string]*Object{}, state: map[string]Object{}, configVersions: map[string]string{},
	}
	a.credentials = a.d.credentials
	if err := a.target(opts.Targets); err != nil {
		return nil, fmt.Errorf("deploy: %w", err)
	}
	if st := opts.State; st != nil {
		if st.org != o || st.Dir != dir || st.destroyed {
			return nil, errors.New("deploy: State is not a live apply of this bundle in this org")
		}
		for _, obj := range st.Objects {
			a.state[obj.ID] = obj
		}
		maps.Copy(a.credentials, st.credentials)
	}
	if a.caller == (Caller{}) {
		u, err := o.CreateUser(org.User{Name: "bpgen fixture: the user running Terraform"})
		if err != nil {
			return nil, fmt.Errorf("deploy: %w", err)
		}
		a.caller.UserID = u.ID
	}
	api, done, err := callerAPI(o, a.caller)
	if err != nil {
		return nil, fmt.Errorf("deploy: the identity running Terraform: %w", err)
	}
	defer done()
	a.api, a.d.caller = api, a.caller
	if !o.HasFlowPublisher() {
		// Flows are published as Terraform publishes them (Architect jobs);
		// an org no flow runtime serves yet gets the publisher that checks
		// a flow as Architect does.
		o.SetFlowPublisher(architect.Publisher(o, nil))
	}
	if err := a.apply(); err != nil {
		// As Terraform, a failed apply keeps what an earlier apply (State) made.
		if st := opts.State; st != nil {
			a.d.created = slices.DeleteFunc(a.d.created, func(obj Object) bool { return slices.Contains(st.created, obj) })
		}
		if derr := a.d.Destroy(); derr != nil {
			err = fmt.Errorf("%w (and rolling back: %v)", err, derr)
		}
		return nil, fmt.Errorf("deploy: %w", err)
	}
	return a.d, nil
}

// StartRuntime starts the flow runtime on the deployment: the flows as the
// apply published them (architect.LoadDeployed), the data actions calling
// the org with the client behind the deployed integration's credential, as
// the platform runs them. The runtime creates nothing of its own.
func (d *Deployment) StartRuntime(opts architect.Options) (*architect.Runtime, error) {
	b, err := architect.LoadDeployed(d.org, d.fsys)
	if err != nil {
		return nil, err
	}
	in, err := d.org.Integration(d.Outputs[contract.OutputIntegration])
	if err != nil {
		return nil, fmt.Errorf("deploy: the deployed data-actions integration: %w", err)
	}
	cred, err := d.org.IntegrationCredential(in.Credentials[org.CredentialTypeOAuthClient])
	if err != nil {
		return nil, fmt.Errorf("deploy: the integration's credential: %w", err)
	}
	opts.DataActionsClient = &architect.DataActionsClient{ID: cred.Fields["clientId"], Secret: cred.Fields["clientSecret"]}
	rt, err := architect.Start(d.org, b, opts)
	if err != nil {
		return nil, err
	}
	// A flow of the bundle published again over the API (a later terraform
	// apply against `org serve --bundle`) is what new conversations run.
	d.org.SetFlowPublisher(architect.Publisher(d.org, func(*architect.Bundle) {
		if nb, err := architect.LoadDeployed(d.org, d.fsys); err == nil {
			rt.SetBundle(nb)
		}
	}))
	return rt, nil
}

// callerAPI returns the org's API as caller calls it, and what to call when
// done. A user's token is issued through a Genesys built-in client; the
// emulated org authenticates clients only, so one stands in for it while
// the caller runs (gone afterwards, as the user's session would be).
func callerAPI(o *org.Org, caller Caller) (*providerAPI, func(), error) {
	if caller.ClientID != "" {
		api, err := newProviderAPI(o, caller.ClientID)
		return api, func() {}, err
	}
	// The token carries the user's roles (inferred: in every division).
	roles, err := o.CallerRoles(org.Caller{UserID: caller.UserID})
	if err != nil {
		return nil, nil, err
	}
	var rds []org.RoleDivision
	for _, r := range roles {
		rds = append(rds, org.RoleDivision{RoleID: r, DivisionID: org.AllDivisions})
	}
	id := "bpgen-deploy-" + randomHex(8)
	if err := o.RegisterClient(org.OAuthClient{ID: id, Secret: randomHex(24), Name: "bpgen deploy (the user running Terraform)", RoleDivisions: rds}); err != nil {
		return nil, nil, err
	}
	done := func() { _ = o.DeleteOAuthClient(id) }
	api, err := newProviderAPI(o, id)
	if err != nil {
		done()
		return nil, nil, err
	}
	return api, done, nil
}

// Destroy deletes every object Apply created, in reverse creation order, as
// `terraform destroy` does; looked-up objects and fixtures stay. Objects
// already gone are skipped, so Destroy is idempotent.
func (d *Deployment) Destroy() error {
	if d.destroyed {
		return nil
	}
	api, done, err := callerAPI(d.org, d.caller)
	if err != nil {
		return fmt.Errorf("deploy: the identity running Terraform: %w", err)
	}
	defer done()
	var errs []error
	for i := len(d.created) - 1; i >= 0; i-- {
		obj := d.created[i]
		if err := deleteObject(api, obj); err != nil && statusOf(err) != http.StatusNotFound {
			errs = append(errs, fmt.Errorf("destroying %s %s (%s): %w", obj.Kind, obj.Name, obj.OrgID, err))
		}
	}
	d.destroyed = len(errs) == 0
	return errors.Join(errs...)
}

func deleteObject(api *providerAPI, obj Object) error {
	p := kinds[obj.Kind].deletePath
	if p == "" {
		return fmt.Errorf("deploy: cannot delete a %s", obj.Kind)
	}
	if obj.Kind == contract.KindOAuthClient {
		// genesyscloud_oauth_client's delete sets the client inactive first
		// (PUT with state inactive), as the platform refuses deleting an
		// active client.
		var c struct {
			Name                       string           `json:"name"`
			Description                string           `json:"description"`
			AccessTokenValiditySeconds int              `json:"accessTokenValiditySeconds"`
			AuthorizedGrantType        string           `json:"authorizedGrantType"`
			RoleDivisions              []map[string]any `json:"roleDivisions"`
		}
		if err := api.call(http.MethodGet, p+obj.OrgID, nil, &c, http.StatusOK); err != nil {
			return err
		}
		body := map[string]any{"name": c.Name, "description": c.Description, "accessTokenValiditySeconds": c.AccessTokenValiditySeconds,
			"authorizedGrantType": c.AuthorizedGrantType, "state": org.OAuthStateInactive, "roleDivisions": c.RoleDivisions}
		if err := api.call(http.MethodPut, p+obj.OrgID, body, nil, http.StatusOK); err != nil {
			return err
		}
	}
	return api.call(http.MethodDelete, p+obj.OrgID, nil, nil, http.StatusNoContent)
}

type applier struct {
	o      *org.Org
	fsys   fs.FS
	man    *manifest.Manifest
	mod    *module
	strict bool
	d      *Deployment
	objs   map[string]*Object // by manifest id
	// credentials is d.credentials.
	credentials map[string]string

	fixtureClient *org.OAuthClient // the stand-in for an existing OAuth client
	api           *providerAPI     // the org's API, called as the provider calls it
	// configVersions are the published versions of the Messenger
	// configurations applied, by org id.
	configVersions map[string]string

	caller  Caller
	targets map[string]bool   // nil: every object
	state   map[string]Object // objects a previous apply made, by manifest id
}

// target resolves -target ids to the set of objects to apply: each target
// and, transitively, what it depends on.
func (a *applier) target(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	a.targets = map[string]bool{}
	var add func(id string) error
	add = func(id string) error {
		if a.targets[id] {
			return nil
		}
		mo := a.man.Object(id)
		if mo == nil {
			return fmt.Errorf("target %q is not an object of the bundle", id)
		}
		a.targets[id] = true
		for _, dep := range mo.DependsOn {
			if a.man.Object(dep) != nil {
				if err := add(dep); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, id := range ids {
		if err := add(id); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier) apply() error {
	if err := a.supplyVariables(); err != nil {
		return err
	}
	for _, kind := range kindOrder {
		objs := a.man.ByKind(kind)
		if kind == "flow" {
			var err error
			if objs, err = flowOrder(objs); err != nil {
				return err
			}
		}
		for _, mo := range objs {
			if a.targets != nil && !a.targets[mo.ID] {
				continue
			}
			if prev, ok := a.state[mo.ID]; ok {
				// In state: kept as it is (the bundle did not change between applies).
				a.objs[mo.ID] = &prev
				if prev.Managed {
					a.d.created = append(a.d.created, prev)
				}
				continue
			}
			obj, err := a.applyObject(mo)
			if err != nil {
				return fmt.Errorf("%s %q: %w", mo.ID, mo.Name, err)
			}
			obj.ID, obj.Kind = mo.ID, mo.Kind
			a.objs[mo.ID] = &obj
		}
	}
	for _, mo := range a.man.Objects {
		obj, ok := a.objs[mo.ID]
		if !ok {
			continue // not targeted
		}
		a.d.Objects = append(a.d.Objects, *obj)
		if mo.Output != "" {
			a.d.Outputs[mo.Output] = obj.OrgID
		}
	}
	return nil
}

// fixtureVars are the variables non-strict mode can make up.
var fixtureVars = []string{contract.VarOpenMessagingWebhookSecret, contract.VarDataActionsClientID, contract.VarDataActionsClientSecret, contract.VarDataActionsIntegrationID}

// supplyVariables checks, as Terraform's plan does, that every variable has
// a value that passes its validation blocks. In non-strict mode what a user
// would pass as TF_VAR_* or fill in dev.auto.tfvars for their org is made
// up instead: a webhook secret, and an existing OAuth client or integration
// created as fixtures.
func (a *applier) supplyVariables() error {
	missing := a.mod.missing()
	for _, name := range slices.Sorted(maps.Keys(a.mod.declared)) {
		msg := a.mod.invalid(name)
		if msg == "" {
			continue
		}
		if a.strict || !slices.Contains(fixtureVars, name) {
			return fmt.Errorf("variable %s: %s", name, msg)
		}
		missing = append(missing, name) // e.g. the "" placeholder dev.auto.tfvars ships with
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	if a.strict {
		return fmt.Errorf("no value for required variable(s) %s (set Options.Vars)", strings.Join(missing, ", "))
	}
	for _, name := range missing {
		switch name {
		case contract.VarOpenMessagingWebhookSecret:
			a.mod.setVar(name, randomHex(24))
		case contract.VarDataActionsClientID, contract.VarDataActionsClientSecret:
			c, err := a.ensureFixtureClient()
			if err != nil {
				return err
			}
			if name == contract.VarDataActionsClientID {
				a.mod.setVar(name, c.ID)
			} else {
				a.mod.setVar(name, c.Secret)
			}
		case contract.VarDataActionsIntegrationID:
			in, err := a.fixtureIntegration()
			if err != nil {
				return err
			}
			a.mod.setVar(name, in)
		default:
			return fmt.Errorf("no value for required variable %s (set Options.Vars)", name)
		}
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (a *applier) ensureFixtureClient() (org.OAuthClient, error) {
	if a.fixtureClient != nil {
		return *a.fixtureClient, nil
	}
	c, err := a.o.CreateOAuthClient(org.OAuthClient{Name: "bpgen fixture: existing data-actions client", Description: "Stands in for the OAuth client the bundle is configured with."})
	if err != nil {
		return org.OAuthClient{}, fmt.Errorf("fixture OAuth client: %w", err)
	}
	a.fixtureClient = &c
	a.d.Fixtures = append(a.d.Fixtures, Object{Kind: contract.KindOAuthClient, Name: c.Name, OrgID: c.ID, Fixture: true})
	return c, nil
}

// fixtureIntegration stands in for the existing data-actions integration of
// an existingIntegration bundle: enabled, with a working credential.
func (a *applier) fixtureIntegration() (string, error) {
	c, err := a.ensureFixtureClient()
	if err != nil {
		return "", err
	}
	cred, err := a.o.CreateIntegrationCredential(org.IntegrationCredential{
		Name: "bpgen fixture: existing integration credential", Type: org.CredentialTypeOAuthClient,
		Fields: map[string]string{"clientId": c.ID, "clientSecret": c.Secret},
	})
	if err != nil {
		return "", fmt.Errorf("fixture credential: %w", err)
	}
	in, err := a.o.CreateIntegration(org.Integration{
		Name: "bpgen fixture: existing data-actions integration", IntendedState: org.IntegrationEnabled,
		Credentials: map[string]string{org.CredentialTypeOAuthClient: cred.ID},
	})
	if err != nil {
		return "", fmt.Errorf("fixture integration: %w", err)
	}
	a.d.Fixtures = append(a.d.Fixtures,
		Object{Kind: contract.KindIntegrationCredential, Name: cred.Name, OrgID: cred.ID, Fixture: true},
		Object{Kind: contract.KindIntegration, Name: in.Name, OrgID: in.ID, Fixture: true})
	return in.ID, nil
}

// record notes an object Apply just created: managed objects for Destroy
// (in creation order), fixtures for the caller. It returns obj.
func (a *applier) record(mo *manifest.Object, obj Object) Object {
	if obj.Kind == "" {
		obj.ID, obj.Kind = mo.ID, mo.Kind
	}
	if obj.Managed {
		a.d.created = append(a.d.created, obj)
	}
	if obj.Fixture {
		a.d.Fixtures = append(a.d.Fixtures, obj)
	}
	return obj
}

// flowOrder sorts flows so that each comes after the flows it depends on
// (callees first, as Terraform's references order them).
func flowOrder(flows []*manifest.Object) ([]*manifest.Object, error) {
	var out []*manifest.Object
	done := map[string]bool{}
	for len(out) < len(flows) {
		progress := false
		for _, f := range flows {
			if done[f.ID] {
				continue
			}
			ready := true
			for _, dep := range f.DependsOn {
				if strings.HasPrefix(dep, "flow.") && !done[dep] && slices.ContainsFunc(flows, func(g *manifest.Object) bool { return g.ID == dep }) {
					ready = false
				}
			}
			if ready {
				out = append(out, f)
				done[f.ID] = true
				progress = true
			}
		}
		if !progress {
			return nil, errors.New("flows depend on each other in a cycle")
		}
	}
	return out, nil
}

// dependency returns the applied object of a kind among mo's dependsOn, or
// the only applied object of that kind.
func (a *applier) dependency(mo *manifest.Object, kind string) (*Object, error) {
	for _, dep := range mo.DependsOn {
		if obj, ok := a.objs[dep]; ok && obj.Kind == kind {
			return obj, nil
		}
	}
	var found []*Object
	for _, o := range a.man.ByKind(kind) {
		if obj, ok := a.objs[o.ID]; ok {
			found = append(found, obj)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return nil, fmt.Errorf("cannot tell which %s it uses", kind)
}

// division returns the bundle's division (every bundle has one object of
// kind division, applied first).
func (a *applier) division() *Object {
	for _, o := range a.man.ByKind(contract.KindDivision) {
		return a.objs[o.ID]
	}
	return nil
}

// kindOps is what deploy does with one kind of object: apply applies a
// manifest object of the kind, given its Terraform resource body (nil for a
// data source or variable); deletePath is the collection whose DELETE /{id}
// the resource's delete calls (the provider's resource_genesyscloud_*.go
// delete functions at v1.82.0), "" when destroy cannot delete one.
type kindOps struct {
	apply      func(a *applier, mo *manifest.Object, res bodyRef) (Object, error)
	deletePath string
}

// kinds are the kinds of object the emulator deploys.
var kinds = map[string]kindOps{
	contract.KindDivision:                 {apply: (*applier).applyDivision},
	contract.KindRole:                     {(*applier).applyRole, "/api/v2/authorization/roles/"},
	contract.KindOAuthClient:              {(*applier).applyOAuthClient, "/api/v2/oauth/clients/"},
	contract.KindIntegrationCredential:    {(*applier).applyCredential, "/api/v2/integrations/credentials/"},
	contract.KindIntegration:              {(*applier).applyIntegration, "/api/v2/integrations/"},
	contract.KindDataAction:               {(*applier).applyAction, "/api/v2/integrations/actions/"},
	contract.KindQueue:                    {(*applier).applyQueue, "/api/v2/routing/queues/"},
	contract.KindExternalSource:           {(*applier).applySource, "/api/v2/externalcontacts/externalsources/"},
	contract.KindFlow:                     {(*applier).applyFlow, "/api/v2/flows/"},
	contract.KindMessengerConfiguration:   {(*applier).applyMessengerConfiguration, "/api/v2/webdeployments/configurations/"},
	contract.KindMessengerDeployment:      {(*applier).applyWebDeployment, "/api/v2/webdeployments/deployments/"},
	contract.KindOpenMessagingIntegration: {(*applier).applyOpenIntegration, "/api/v2/conversations/messaging/integrations/open/"},
}

func (a *applier) applyObject(mo *manifest.Object) (Object, error) {
	k, ok := kinds[mo.Kind]
	if !ok {
		return Object{}, fmt.Errorf("unsupported kind %q", mo.Kind)
	}
	return k.apply(a, mo, a.mod.resource(addressOf(mo)))
}

// addressOf returns the resource address ("type.name") of a managed object.
func addressOf(mo *manifest.Object) string {
	if strings.HasPrefix(mo.Address, "data.") || strings.HasPrefix(mo.Address, "var.") {
		return ""
	}
	return mo.Address
}

func (a *applier) applyDivision(mo *manifest.Object, _ bodyRef) (Object, error) {
	if mo.Name == "" {
		home := org.HomeDivision()
		return Object{Name: home.Name, OrgID: home.ID}, nil
	}
	name := mo.Name
	if v := a.mod.varString(contract.VarDivisionName); v != "" {
		name = v // data "genesyscloud_auth_division" looks up var.division_name
	}
	if d, err := a.o.DivisionByName(name); err == nil {
		return Object{Name: d.Name, OrgID: d.ID}, nil
	}
	if a.strict {
		return Object{}, fmt.Errorf("no division named %q in the org", name)
	}
	d, err := a.o.CreateDivision(org.Division{Name: name, Description: "bpgen fixture: stands in for an existing division."})
	if err != nil {
		return Object{}, err
	}
	return a.record(mo, Object{Name: d.Name, OrgID: d.ID, Fixture: true}), nil
}

// applyRole is genesyscloud_auth_role's create (auth_role/resource_genesyscloud_auth_role.go
// at v1.82.0): each policy's domain checked with GET
// /api/v2/authorization/permissions?queryType=domain (validatePermissionPolicy,
// reading permissionMap), then POST /api/v2/authorization/roles with
// permissions [] and the policies.
func (a *applier) applyRole(mo *manifest.Object, res bodyRef) (Object, error) {
	desc, _ := a.mod.str(res, "description")
	policies := []map[string]any{}
	for _, p := range blocks(res, "permission_policies") {
		domain, _ := a.mod.str(p, "domain")
		entity, _ := a.mod.str(p, "entity_name")
		actions, _ := a.mod.strList(p, "action_set")
		var perms struct {
			Entities []struct {
				PermissionMap map[string]any `json:"permissionMap"`
			} `json:"entities"`
		}
		if err := a.api.call(http.MethodGet, "/api/v2/authorization/permissions?pageSize=100&pageNumber=1&queryType=domain&query="+url.QueryEscape(domain), nil, &perms, http.StatusOK); err != nil {
			return Object{}, err
		}
		if _, ok := firstPermissionMap(perms.Entities)[entity]; !ok && entity != "*" {
			return Object{}, fmt.Errorf("permission policy %s:%s: the org has no such permission", domain, entity)
		}
		policies = append(policies, map[string]any{"domain": domain, "entityName": entity, "actionSet": actions})
	}
	body := map[string]any{"name": mo.Name, "description": desc, "permissions": []string{}, "permissionPolicies": policies}
	return a.create(mo, "/api/v2/authorization/roles", body)
}

// create makes a managed object as the provider's create does: it POSTs
// body to path and records the object the org answers with.
func (a *applier) create(mo *manifest.Object, path string, body map[string]any) (Object, error) {
	var made struct{ ID, Name string }
	if err := a.api.call(http.MethodPost, path, body, &made, http.StatusOK); err != nil {
		return Object{}, err
	}
	return a.record(mo, Object{Name: made.Name, OrgID: made.ID, Managed: true}), nil
}

// firstPermissionMap is the permissionMap of a domain query's answer.
func firstPermissionMap(ents []struct {
	PermissionMap map[string]any `json:"permissionMap"`
}) map[string]any {
	if len(ents) == 0 {
		return nil
	}
	return ents[0].PermissionMap
}

// applyOAuthClient creates the client and, as the provider does for
// integration_credential_name, the integration credential holding its
// secret (recorded for Destroy; the manifest has no object for it).
func (a *applier) applyOAuthClient(mo *manifest.Object, res bodyRef) (Object, error) {
	in := org.OAuthClient{Name: mo.Name}
	in.Description, _ = a.mod.str(res, "description")
	if g, ok := a.mod.str(res, "authorized_grant_type"); ok {
		in.AuthorizedGrantType = g
	}
	if secs, ok := a.mod.integer(res, "access_token_validity_seconds"); ok {
		in.TokenLifetime = time.Duration(secs) * time.Second
	}
	for _, rb := range blocks(res, "roles") {
		rd := org.RoleDivision{}
		if role, err := a.dependency(mo, contract.KindRole); err == nil {
			rd.RoleID = role.OrgID
		}
		if div, ok := a.mod.str(rb, "division_id"); ok {
			rd.DivisionID = div // "*"
		} else if d := a.division(); d != nil {
			rd.DivisionID = d.OrgID // local.division_id
		}
		in.RoleDivisions = append(in.RoleDivisions, rd)
	}
	c, err := a.createOAuthClient(in)
	if err != nil {
		return Object{}, err
	}
	obj := a.record(mo, Object{Name: c.Name, OrgID: c.ID, Managed: true})
	credName, ok := a.mod.str(res, "integration_credential_name")
	if !ok {
		return obj, nil
	}
	cred, err := a.createCredential(credName, c.ID, c.Secret)
	if err != nil {
		return Object{}, fmt.Errorf("its integration credential: %w", err)
	}
	a.credentials[mo.ID] = a.record(mo, Object{Kind: contract.KindIntegrationCredential, Name: cred.Name, OrgID: cred.ID, Managed: true}).OrgID
	return obj, nil
}

// createOAuthClient does what the provider's createOAuthClient does before
// POST /api/v2/oauth/clients (updateTerraformUserWithRole at v1.82.0): for a
// user caller it reads the user's roles and sets them plus the new client's
// roles (PUT /api/v2/users/{id}/roles); for a client-credentials caller it
// changes nothing, so the org's rule that a caller may only grant roles it
// holds decides.
func (a *applier) createOAuthClient(in org.OAuthClient) (org.OAuthClient, error) {
	caller := org.Caller{UserID: a.caller.UserID, ClientID: a.caller.ClientID}
	if caller.ClientID == "" && len(in.RoleDivisions) > 0 {
		held, err := a.o.CallerRoles(caller)
		if err != nil {
			return org.OAuthClient{}, fmt.Errorf("the user running Terraform: %w", err)
		}
		for _, rd := range in.RoleDivisions {
			held = append(held, rd.RoleID)
		}
		if err := a.o.SetUserRoles(caller.UserID, held); err != nil {
			return org.OAuthClient{}, fmt.Errorf("adding its roles to the user running Terraform: %w", err)
		}
	}
	if caller.ClientID == "" {
		// The emulated org issues tokens to clients only, so a user caller's
		// create runs through the Go API as that user.
		return a.o.CreateOAuthClientAs(caller, in)
	}
	// As the provider: GET /api/v2/tokens/me (an org-owned client, not
	// purecloud-builtin: no roles are added), then POST /api/v2/oauth/clients,
	// whose answer carries the secret once.
	var me struct {
		OAuthClient struct {
			Organization struct{ ID string } `json:"organization"`
		} `json:"OAuthClient"`
	}
	if err := a.api.call(http.MethodGet, "/api/v2/tokens/me", nil, &me, http.StatusOK); err != nil {
		return org.OAuthClient{}, err
	}
	rds := []map[string]any{}
	for _, rd := range in.RoleDivisions {
		rds = append(rds, map[string]any{"roleId": rd.RoleID, "divisionId": rd.DivisionID})
	}
	body := map[string]any{"name": in.Name, "description": in.Description, "authorizedGrantType": in.AuthorizedGrantType,
		"state": org.OAuthStateActive, "roleDivisions": rds}
	if in.TokenLifetime > 0 {
		body["accessTokenValiditySeconds"] = int(in.TokenLifetime / time.Second)
	}
	var c org.OAuthClient
	var out struct{ ID, Name, Secret string }
	err := a.api.call(http.MethodPost, "/api/v2/oauth/clients", body, &out, http.StatusOK)
	c.ID, c.Name, c.Secret = out.ID, out.Name, out.Secret
	if err != nil && statusOf(err) == 400 {
		return org.OAuthClient{}, fmt.Errorf("%w\nPrecondition not met: with a client-credentials grant the OAuth client running Terraform (%s) must already hold the role it gives the data actions' client. "+
			"Apply the role alone first (terraform apply -target=genesyscloud_auth_role.data_actions), grant it to that client once (terraform/README.md, \"Client-credentials pipelines\"), then run terraform apply again", err, caller.ClientID)
	}
	return c, err
}

// applyCredential is an existing-client bundle's credential: the client id
// and secret come from the sensitive variables.
func (a *applier) applyCredential(mo *manifest.Object, _ bodyRef) (Object, error) {
	id, secret := a.mod.varString(contract.VarDataActionsClientID), a.mod.varString(contract.VarDataActionsClientSecret)
	cred, err := a.createCredential(mo.Name, id, secret)
	if err != nil {
		return Object{}, err
	}
	return a.record(mo, Object{Name: cred.Name, OrgID: cred.ID, Managed: true}), nil
}

// createCredential is what genesyscloud_integration_credential and
// genesyscloud_oauth_client's integration_credential_name create
// (integration_credential/resource_genesyscloud_integration_credential.go at
// v1.82.0): POST /api/v2/integrations/credentials with the OAuth client's
// id and secret as credentialFields.
func (a *applier) createCredential(name, clientID, secret string) (struct{ ID, Name string }, error) {
	var cred struct{ ID, Name string }
	body := map[string]any{"name": name, "type": map[string]any{"name": org.CredentialTypeOAuthClient},
		"credentialFields": map[string]any{"clientId": clientID, "clientSecret": secret}}
	err := a.api.call(http.MethodPost, "/api/v2/integrations/credentials", body, &cred, http.StatusOK)
	return cred, err
}

func (a *applier) applyIntegration(mo *manifest.Object, res bodyRef) (Object, error) {
	if !mo.Managed {
		id := a.mod.varString(contract.VarDataActionsIntegrationID)
		in, err := a.o.Integration(id)
		if err != nil {
			return Object{}, fmt.Errorf("existing integration %q: %w", id, err)
		}
		return Object{Name: in.Name, OrgID: in.ID}, nil
	}
	// genesyscloud_integration (integration/resource_genesyscloud_integration.go
	// at v1.82.0): POST with the type, GET then PUT config/current (name,
	// notes, the credential, with the current version), PATCH the intended state.
	typ, state := org.IntegrationTypeDataActions, org.IntegrationEnabled
	if s, ok := a.mod.str(res, "intended_state"); ok {
		state = s
	}
	if t, ok := a.mod.str(res, "integration_type"); ok {
		typ = t
	}
	var notes string
	if cfg := blocks(res, "config"); len(cfg) > 0 {
		notes, _ = a.mod.str(cfg[0], "notes")
	}
	var credID string
	for _, dep := range mo.DependsOn {
		switch dep := a.objs[dep]; {
		case dep == nil:
		case dep.Kind == contract.KindIntegrationCredential:
			credID = dep.OrgID
		case dep.Kind == contract.KindOAuthClient:
			credID = a.credentials[dep.ID]
		}
	}
	var v struct{ ID string }
	if err := a.api.call(http.MethodPost, "/api/v2/integrations", map[string]any{"integrationType": map[string]any{"id": typ}}, &v, http.StatusOK); err != nil {
		return Object{}, err
	}
	// Recorded from the POST on, so a failure below rolls it back.
	obj := a.record(mo, Object{Name: mo.Name, OrgID: v.ID, Managed: true})
	cfgPath := "/api/v2/integrations/" + v.ID + "/config/current"
	var cur map[string]any
	if err := a.api.call(http.MethodGet, cfgPath, nil, &cur, http.StatusOK); err != nil {
		return Object{}, err
	}
	cfg := map[string]any{"name": mo.Name, "notes": notes, "version": cur["version"], "properties": cur["properties"], "advanced": cur["advanced"],
		"credentials": map[string]any{}}
	if credID != "" {
		cfg["credentials"] = map[string]any{org.CredentialTypeOAuthClient: map[string]any{"id": credID}}
	}
	if err := a.api.call(http.MethodPut, cfgPath, cfg, nil, http.StatusOK); err != nil {
		return Object{}, err
	}
	if err := a.api.call(http.MethodPatch, "/api/v2/integrations/"+v.ID, map[string]any{"intendedState": state}, nil, http.StatusOK); err != nil {
		return Object{}, err
	}
	return obj, nil
}

func (a *applier) applyAction(mo *manifest.Object, _ bodyRef) (Object, error) {
	raw, err := fs.ReadFile(a.fsys, mo.File)
	if err != nil {
		return Object{}, err
	}
	def, err := fmtda.Parse(raw)
	if err != nil {
		return Object{}, fmt.Errorf("%s: %w", mo.File, err)
	}
	integ, err := a.dependency(mo, contract.KindIntegration)
	if err != nil {
		return Object{}, err
	}
	// genesyscloud_integration_action (integration_action/resource_genesyscloud_integration_action.go
	// at v1.82.0): POST /api/v2/integrations/actions with the whole action.
	body := map[string]any{"name": mo.Name, "category": mo.Category, "integrationId": integ.OrgID, "secure": def.Secure,
		"config": def.Config, "contract": def.Contract}
	return a.create(mo, "/api/v2/integrations/actions", body)
}

func (a *applier) applyQueue(mo *manifest.Object, res bodyRef) (Object, error) {
	if !mo.Managed {
		if q, err := a.o.QueueByName(mo.Name); err == nil {
			return Object{Name: q.Name, OrgID: q.ID}, nil
		}
		if a.strict {
			return Object{}, fmt.Errorf("no queue named %q in the org", mo.Name)
		}
	}
	if mo.Managed {
		return a.createQueue(mo, res)
	}
	in := org.Queue{Name: mo.Name, Description: "bpgen fixture: stands in for an existing queue."}
	if d := a.division(); d != nil {
		in.DivisionID = d.OrgID
	}
	q, err := a.o.CreateQueue(in)
	if err != nil {
		return Object{}, err
	}
	// Members (var.queue_member_emails) are users, which the emulated org
	// does not have; the queue is created without them.
	return a.record(mo, Object{Name: q.Name, OrgID: q.ID, Managed: mo.Managed, Fixture: !mo.Managed}), nil
}

// createQueue is genesyscloud_routing_queue's create (routing_queue/resource_genesyscloud_routing_queue.go
// at v1.82.0, getRoutingQueueFromResourceData): POST /api/v2/routing/queues
// with the schema's defaults and empty strings for what is unset.
func (a *applier) createQueue(mo *manifest.Object, res bodyRef) (Object, error) {
	desc, _ := a.mod.str(res, "description")
	body := map[string]any{"name": mo.Name, "description": desc,
		"acwSettings": map[string]any{"wrapupPrompt": "MANDATORY_TIMEOUT"}, "skillEvaluationMethod": "ALL", "scoringMethod": "TimestampAndPriority",
		"autoAnswerOnly": true, "enableTranscription": false, "suppressInQueueCallRecording": true, "enableManualAssignment": false,
		"enableAudioMonitoring": false, "callingPartyName": "", "callingPartyNumber": "", "peerId": "", "lastAgentRoutingMode": "",
		"memberGroups":  []any{},
		"mediaSettings": map[string]any{"message": map[string]any{"alertingTimeoutSeconds": 30, "serviceLevel": map[string]any{"percentage": 0.8, "durationMs": 20000}}}}
	if d := a.division(); d != nil {
		body["division"] = map[string]any{"id": d.OrgID}
	}
	// Members (var.queue_member_emails) are users, which the emulated org
	// does not have; the queue is created without them.
	return a.create(mo, "/api/v2/routing/queues", body)
}

func (a *applier) applySource(mo *manifest.Object, res bodyRef) (Object, error) {
	if !mo.Managed {
		for _, s := range a.o.ExternalSources() {
			if s.Name == mo.Name {
				return Object{Name: s.Name, OrgID: s.ID}, nil
			}
		}
		if a.strict {
			return Object{}, fmt.Errorf("no external source named %q in the org", mo.Name)
		}
	}
	if !mo.Managed {
		s, err := a.o.CreateExternalSource(org.ExternalSource{Name: mo.Name})
		if err != nil {
			return Object{}, err
		}
		return a.record(mo, Object{Name: s.Name, OrgID: s.ID, Fixture: true}), nil
	}
	// genesyscloud_externalcontacts_external_source (external_contacts_external_source/
	// resource_genesyscloud_externalcontacts_external_source.go at v1.82.0):
	// POST /api/v2/externalcontacts/externalsources with name and active.
	body := map[string]any{"name": mo.Name}
	if active, ok := a.mod.boolean(res, "active"); ok {
		body["active"] = active
	}
	return a.create(mo, "/api/v2/externalcontacts/externalsources", body)
}

// applyFlow publishes the flow file with its substitutions applied as the
// provider does ({{key}} replaced by the JSON-encoded value of the resource
// attribute it references).
func (a *applier) applyFlow(mo *manifest.Object, _ bodyRef) (Object, error) {
	text, err := fs.ReadFile(a.fsys, mo.File)
	if err != nil {
		return Object{}, err
	}
	var refErr error
	out := mo.Substitute(text, func(ref string) string {
		v, err := a.resolve(ref)
		if err != nil && refErr == nil {
			refErr = err
		}
		return v
	})
	if refErr != nil {
		return Object{}, refErr
	}
	if left := manifest.Placeholders(out); len(left) > 0 {
		return Object{}, fmt.Errorf("%s: placeholders without a substitution: %s", mo.File, strings.Join(left, ", "))
	}
	// As genesyscloud_flow does: through an Architect job, whose publisher
	// compiles the YAML (division by name, data actions, queues and flows
	// it calls) with the runtime that will run it.
	id, err := a.api.publishFlow(out)
	if err != nil {
		return Object{}, fmt.Errorf("%s: %w", mo.File, err)
	}
	pub, err := a.o.Flow(id)
	if err != nil {
		return Object{}, err
	}
	return a.record(mo, Object{Name: pub.Name, OrgID: pub.ID, Managed: true}), nil
}

// resolve returns the value of a substitution ref such as "division.name",
// "action.lookup.category", "flow.bot.name" or "external_source.id", from
// the objects applied so far.
func (a *applier) resolve(ref string) (string, error) {
	i := strings.LastIndex(ref, ".")
	if i < 0 {
		return "", fmt.Errorf("substitution ref %q names no attribute", ref)
	}
	id, attr := ref[:i], ref[i+1:]
	if rest, ok := strings.CutPrefix(id, "action."); ok {
		id = "data_action." + rest // refs call data actions "action"
	}
	obj, ok := a.objs[id]
	if !ok {
		return "", fmt.Errorf("substitution ref %q: object %s is not applied", ref, id)
	}
	switch attr {
	case "id":
		return obj.OrgID, nil
	case "name":
		return obj.Name, nil
	case "category":
		if mo := a.man.Object(id); mo != nil && mo.Category != "" {
			return mo.Category, nil
		}
	}
	return "", fmt.Errorf("substitution ref %q: unknown attribute %q", ref, attr)
}

// applyMessengerConfiguration is genesyscloud_webdeployments_configuration's
// create (webdeployments_configuration/resource_genesyscloud_webdeployments_configuration.go
// at v1.82.0): POST /api/v2/webdeployments/configurations, GET its draft
// (reading status), POST …/versions/draft/publish.
func (a *applier) applyMessengerConfiguration(mo *manifest.Object, res bodyRef) (Object, error) {
	desc, _ := a.mod.str(res, "description")
	langs, _ := a.mod.strList(res, "languages")
	def, _ := a.mod.str(res, "default_language")
	if len(langs) == 0 && a.man.Language != "" {
		langs = []string{a.man.Language}
	}
	body := map[string]any{"name": mo.Name, "description": desc, "languages": langs}
	if def != "" {
		body["defaultLanguage"] = def
	}
	var c struct{ ID, Name string }
	if err := a.api.call(http.MethodPost, "/api/v2/webdeployments/configurations", body, &c, http.StatusOK); err != nil {
		return Object{}, err
	}
	obj := a.record(mo, Object{Name: c.Name, OrgID: c.ID, Managed: true})
	var draft struct{ Status string }
	if err := a.api.call(http.MethodGet, "/api/v2/webdeployments/configurations/"+c.ID+"/versions/draft", nil, &draft, http.StatusOK); err != nil {
		return Object{}, err
	}
	var pub struct{ Version string }
	if err := a.api.call(http.MethodPost, "/api/v2/webdeployments/configurations/"+c.ID+"/versions/draft/publish", nil, &pub, http.StatusOK); err != nil {
		return Object{}, err
	}
	a.configVersions[c.ID] = pub.Version
	return obj, nil
}

// applyWebDeployment is genesyscloud_webdeployments_deployment's create
// (webdeployments_deployment/resource_genesyscloud_webdeployments_deployment.go
// at v1.82.0): POST /api/v2/webdeployments/deployments with the flow and the
// configuration's published version.
func (a *applier) applyWebDeployment(mo *manifest.Object, res bodyRef) (Object, error) {
	cfg, err := a.dependency(mo, contract.KindMessengerConfiguration)
	if err != nil {
		return Object{}, err
	}
	flow, err := a.dependency(mo, contract.KindFlow)
	if err != nil {
		return Object{}, err
	}
	desc, _ := a.mod.str(res, "description")
	status, _ := a.mod.str(res, "status")
	domains, _ := a.mod.strList(res, "allowed_domains")
	all, ok := a.mod.boolean(res, "allow_all_domains")
	if !ok {
		all = len(domains) == 0
	}
	if domains == nil {
		domains = []string{}
	}
	body := map[string]any{"name": mo.Name, "description": desc, "allowAllDomains": all, "allowedDomains": domains,
		"flow": map[string]any{"id": flow.OrgID}, "configuration": map[string]any{"id": cfg.OrgID, "version": a.configVersions[cfg.OrgID]}}
	if status != "" {
		body["status"] = status
	}
	return a.create(mo, "/api/v2/webdeployments/deployments", body)
}

// applyOpenIntegration is genesyscloud_conversations_messaging_integrations_open's
// create (conversations_messaging_integrations_open/resource_genesyscloud_conversations_messaging_integrations_open.go
// at v1.82.0): POST /api/v2/conversations/messaging/integrations/open with
// the name and the outbound webhook. The provider sets no flow and no
// identity resolution; `bpgen wire` does (the org answers it off until then).
func (a *applier) applyOpenIntegration(mo *manifest.Object, res bodyRef) (Object, error) {
	body := map[string]any{"name": mo.Name}
	if u, ok := a.mod.str(res, "outbound_notification_webhook_url"); ok {
		body["outboundNotificationWebhookUrl"] = u
	}
	if tok, ok := a.mod.str(res, "outbound_notification_webhook_signature_secret_token"); ok {
		body["outboundNotificationWebhookSignatureSecretToken"] = tok
	}
	return a.create(mo, "/api/v2/conversations/messaging/integrations/open", body)
}
