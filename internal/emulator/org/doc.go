// Package org is an in-memory emulation of the parts of a Genesys Cloud
// organisation that identity resolution on messaging touches: OAuth client
// credentials, External Contacts (identifier index, lookups, claims, merges,
// merge sets), conversation association, message conversations with
// participant data, the analytics conversation detail query a harness
// finds its conversation with, and Open Messaging inbound; plus the objects
// a bpgen bundle deploys (divisions, roles, OAuth clients, integrations and
// their credentials, data actions that really execute, queues, published flows,
// Messenger configurations and deployments, open-messaging integrations
// with their message recipients and identity-resolution settings) and the
// Web Messaging guest WebSocket that Messenger clients speak.
//
// An [Org] is safe for concurrent use. It has two faces that share one
// implementation:
//
//   - a Go API (CreateContact, MergeContacts, StartConversation, Contact,
//     Conversation, Subscribe, AddFault, Calls, PublishFlow,
//     CreateDataAction, ExecuteDataAction, CreateWebDeployment, ...) used by
//     tests, by the flow runtime and by internal/emulator/deploy, and
//   - an [http.Handler] (Org.Handler) speaking the Platform API paths
//     (/oauth/token and /api/v2/...) with the standard Genesys error body,
//     the public Messenger config (/webdeployments/v1/...), and the guest
//     WebSocket at /v1 (internal/platform/guest/protocol).
//
// The HTTP face answers with the Platform API models of
// internal/platform/apimodel, the types the API client decodes, as the
// guest WebSocket speaks protocol's frames; contacts are stored in that
// model too (Contact).
//
// State lives behind one lock so that a merge, which rewrites the head of
// every member of a merge set and the identifier index together, is atomic;
// the HTTP layer only decodes, validates shape, and calls the same methods as
// Go callers. Fault injection and the call log wrap the HTTP layer only: they
// model the network, not the org. Data actions call the org back over HTTP
// (SetBaseURL, or the address the triggering request came in on, or in
// process), so their calls pass through faults and the log too.
//
// The guest WebSocket only translates: guest frames become org calls, and
// the org's events for the session's conversation become frames. Whatever
// answers the customer (the flow runtime, or a test) calls
// SendOutboundMessage; it never touches the socket.
//
// The HTTP face also serves what the real Terraform provider
// (mypurecloud/genesyscloud v1.82.0) and the official SDKs call to populate
// an org (provider*.go, flowjobs.go: creates, updates and list reads with
// the SDK models' shapes, unknown fields and parameters refused), so that
// `bpgen org serve --empty` is an org Terraform applies to; Architect jobs
// hand uploaded flows to a FlowPublisher (internal/emulator/architect provides one).
// Admin paths under /emulator/ (admin.go) steer a running org: faults, the
// administrator's one-time role grant, users. They need no token and are
// never faulted.
//
// By default the org keeps every conversation; WithConversationLimit bounds
// a long-running org (bpgen org serve) to the last N settled conversations,
// evicting older ones with their per-conversation state (retention.go).
//
// The org stores roles and permissions but does not enforce them: every
// authenticated client may call every route.
//
// Behaviour the reference documents as inferred is marked "inferred:" at the
// place it is implemented; the README-style summary of such decisions is in
// the comments of the exported methods.
package org
