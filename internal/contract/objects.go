package contract

// Object kinds of the bundle manifest (internal/format/manifest Object.Kind).
const (
	KindDivision                 = "division"
	KindRole                     = "role"
	KindOAuthClient              = "oauth_client"
	KindIntegrationCredential    = "integration_credential"
	KindIntegration              = "integration"
	KindDataAction               = "data_action"
	KindQueue                    = "queue"
	KindExternalSource           = "external_source"
	KindFlow                     = "flow"
	KindMessengerConfiguration   = "messenger_configuration"
	KindMessengerDeployment      = "messenger_deployment"
	KindOpenMessagingIntegration = "open_messaging_integration"
)

// Flow keys: the manifest key of each flow, also its Terraform resource name.
const (
	FlowBot     = "bot"
	FlowModule  = "resolve_contact"
	FlowInbound = "inbound"
)

// Data-action keys: the manifest key of each action, also its Terraform
// resource name and the name scenario faults use.
const (
	ActionLookup       = "lookup"
	ActionConversation = "conversation"
	ActionContact      = "contact"
	ActionMerge        = "merge"
	ActionAssociate    = "associate"
	// ActionClaim adds the channel's identifier to a known contact (stitching).
	ActionClaim = "claim"
)

// ObjectID is a manifest object's id: "<kind>" for a singleton, else
// "<kind>.<key>".
func ObjectID(kind, key string) string {
	if key == "" {
		return kind
	}
	return kind + "." + key
}

// Attributes a substitution ref can name.
const (
	AttrID       = "id"
	AttrName     = "name"
	AttrCategory = "category"
)

// Ref names an attribute of an object in the deployment: what feeds a flow
// substitution or an update_trigger_hash entry.
type Ref struct {
	Kind string // an object kind: KindDivision, KindQueue, KindFlow, ...
	Key  string // the object's key within its kind ("" for singletons)
	Attr string // AttrID, AttrName, AttrCategory
}

// String is the ref as the manifest records it (Substitution.Ref):
// "<kind>.<attr>" or "<kind>.<key>.<attr>".
func (r Ref) String() string { return ObjectID(r.Kind, r.Key) + "." + r.Attr }

// Refs only the org can resolve at apply time: the generator leaves their
// manifest value empty, and a deployer supplies them.
var (
	RefDivisionName     = Ref{Kind: KindDivision, Attr: AttrName}
	RefExternalSourceID = Ref{Kind: KindExternalSource, Attr: AttrID}
)

// CredentialTypeOAuthClient is the integration credential type that holds
// the clientId and clientSecret a data-actions integration calls the API
// with (the provider's genesyscloud_integration_credential
// credential_type_name; the integration's config.credentials key).
const CredentialTypeOAuthClient = "pureCloudOAuthClient"

// ActionKeys lists every data-action key, in the order scenario errors name them.
var ActionKeys = []string{ActionLookup, ActionConversation, ActionContact, ActionMerge, ActionAssociate, ActionClaim}

// Link strategies (manifest Strategy): merge the conversation's contact into
// the known one, or associate the conversation with it.
const (
	StrategyMerge     = "merge"
	StrategyAssociate = "associate"
)
