package contract

// Environment variables: the Terraform provider's credentials (the rendered
// versions.tf and README name them; the provider schema of v1.82.0 documents
// them: "Can be set with the `GENESYSCLOUD_OAUTHCLIENT_ID` environment
// variable"), which the harness, `bpgen verify` and `bpgen wire` read too, so one set of exports serves them all; and the
// terraform binary the harness and the commands run.
const (
	EnvClientID     = "GENESYSCLOUD_OAUTHCLIENT_ID"
	EnvClientSecret = "GENESYSCLOUD_OAUTHCLIENT_SECRET"
	EnvRegion       = "GENESYSCLOUD_REGION"
	// EnvAccessToken is the provider's user-token variable; terraform reads
	// it from the environment the harness passes on.
	EnvAccessToken = "GENESYSCLOUD_ACCESS_TOKEN"
	EnvTerraform   = "BPGEN_TERRAFORM"
)
