// Package org is an in-memory emulation of the parts of a Genesys Cloud
// organisation that identity resolution on messaging touches: OAuth client
// credentials, External Contacts (identifier index, lookups, claims, merges,
// merge sets), conversation association, message conversations with
// participant data, and Open Messaging inbound.
//
// An [Org] is safe for concurrent use. It has two faces that share one
// implementation:
//
//   - a Go API (CreateContact, MergeContacts, StartConversation, Contact,
//     Conversation, Subscribe, AddFault, Calls, ...) used by tests and by the
//     flow runtime, and
//   - an [http.Handler] (Org.Handler) speaking the Platform API paths
//     (/oauth/token and /api/v2/...) with the standard Genesys error body.
//
// State lives behind one lock so that a merge, which rewrites the head of
// every member of a merge set and the identifier index together, is atomic;
// the HTTP layer only decodes, validates shape, and calls the same methods as
// Go callers. Fault injection and the call log wrap the HTTP layer only: they
// model the network, not the org.
//
// Behaviour the reference documents as inferred is marked "inferred:" at the
// place it is implemented; the README-style summary of such decisions is in
// the comments of the exported methods.
package org
