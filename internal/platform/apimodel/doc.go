// Package apimodel declares the wire models of the Genesys Cloud Platform
// API (/api/v2/...) in one place: the API client in internal/platform/api
// decodes responses and encodes requests with these types, and the emulated
// org in internal/emulator/org encodes its responses (and stores contacts)
// with the same types, so the two cannot drift apart (as
// internal/platform/guest/protocol does for the guest WebSocket frames).
// Request bodies the org must check for missing fields keep their own
// decode shapes there.
//
// Field names and types follow the official SDK models
// (MyPureCloud/platform-client-sdk-go platformclientv2/*.go) and api.md
// (cited by section). A model carries the fields either side uses, not the
// SDK's full set. Tags are those of the emulated org's answers: a field it
// always sends has no omitempty (so false, 0, [] and null appear as they
// do); a field only the client reads, which the org never sets, is
// omitempty, so the org's answers do not change.
// Dates are Time, which encodes the platform's ISO-8601 UTC with
// milliseconds (api.md §0).
//
// The package has no dependencies beyond encoding/json, time and the shared
// format packages.
package apimodel
