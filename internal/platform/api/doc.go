// Package api is a small typed client for the parts of the Genesys Cloud
// Platform API that bpgen's verifier and test harness need.
//
// It authenticates with OAuth client credentials, caches the token until
// shortly before it expires, retries 429 (honouring Retry-After) and
// 502/503/504 with a bounded number of attempts, and turns every non-2xx
// response into an *APIError. The request and response models are those of
// internal/platform/apimodel, which the emulated org answers with too.
//
// The same client talks to a real org (Endpoints from RegionEndpoints) or to
// the local emulated org (Endpoints from LocalEndpoints, where one base URL
// serves both /oauth/token and /api/v2/...).
//
// The client secret and access tokens never appear in errors, logs, or the
// fmt output of any type in this package.
package api
