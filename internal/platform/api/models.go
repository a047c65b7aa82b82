package api

import "encoding/json"

// The Platform API's wire models (contacts, conversations, flows,
// integrations, queues, deployments, OAuth clients, roles) are declared once
// in internal/platform/apimodel, shared with the emulated org. Fields that
// hold secrets on the wire (an OAuth client's "secret", an open messaging
// integration's webhook signature token) are absent there, so they are
// dropped on decode and can never be printed.

// TestExecutionResult is POST /api/v2/integrations/actions/{id}/test (api.md §5.5).
// The endpoint answers 200 even when the action fails; check Success.
//
// It is not in apimodel: the data-action runtime's twin
// (emulator/dataaction.TestExecutionResult) holds results as the Go values it
// computes, always present, where the client keeps them as raw JSON for the
// caller to decode into its own types.
type TestExecutionResult struct {
	Operations  []TestOperation `json:"operations,omitempty"`
	Error       *ErrorBody      `json:"error,omitempty"`
	FinalResult json.RawMessage `json:"finalResult,omitempty"`
	Success     bool            `json:"success"`
}

// TestOperation is one step of an action test.
type TestOperation struct {
	Step    int             `json:"step"`
	Name    string          `json:"name,omitempty"`
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *ErrorBody      `json:"error,omitempty"`
}
