// Package dataaction holds the Genesys Cloud data-action definition in its UI
// import/export JSON format. It is the one type shared by the generator (which
// writes exports/*.json) and the emulator (which executes those files), so the
// two can never disagree on field names.
package dataaction

import "encoding/json"

// IntegrationType is the data-action integration that calls the org's own API.
const IntegrationType = "purecloud-data-actions"

// Action is one data action as the Architect UI imports and exports it.
type Action struct {
	Name            string   `json:"name"`
	IntegrationType string   `json:"integrationType"`
	ActionType      string   `json:"actionType"`
	Config          Config   `json:"config"`
	Contract        Contract `json:"contract"`
	Secure          bool     `json:"secure"`
}

// Config is the request and response configuration of an action.
type Config struct {
	// TimeoutSeconds is the optional 1-60 s execution timeout; 0 means unset.
	TimeoutSeconds int      `json:"timeoutSeconds,omitempty"`
	Request        Request  `json:"request"`
	Response       Response `json:"response"`
}

// Request describes the HTTP call; every string is an Apache Velocity template.
type Request struct {
	RequestURLTemplate string            `json:"requestUrlTemplate"`
	RequestType        string            `json:"requestType"`
	Headers            map[string]string `json:"headers"`
	RequestTemplate    string            `json:"requestTemplate"`
}

// Response maps the upstream JSON body to the action's output.
type Response struct {
	// TranslationMap maps a variable name to a JSONPath evaluated on the raw result.
	TranslationMap map[string]string `json:"translationMap"`
	// TranslationMapDefaults maps a variable name to JSON text used when its path resolves nothing.
	TranslationMapDefaults map[string]string `json:"translationMapDefaults"`
	// SuccessTemplate is a Velocity template whose output must be JSON matching the success schema.
	SuccessTemplate string `json:"successTemplate"`
}

// Contract holds the input and success-output JSON Schemas (draft-04 style).
type Contract struct {
	Input  ContractInput  `json:"input"`
	Output ContractOutput `json:"output"`
}

// ContractInput wraps the input schema.
type ContractInput struct {
	InputSchema json.RawMessage `json:"inputSchema"`
}

// ContractOutput wraps the success schema.
type ContractOutput struct {
	SuccessSchema json.RawMessage `json:"successSchema"`
}

// Parse decodes one action file.
func Parse(data []byte) (*Action, error) {
	var a Action
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
