// Package manifest holds the bundle manifest: a machine-readable list of every
// file bpgen owns and every object the bundle deploys, with its kind, name,
// file, Terraform address, id output and dependencies. Check mode uses it to
// find orphaned files; the emulator and the harness use it to load a bundle.
package manifest

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Path is where the manifest sits in a bundle.
const Path = "bpgen.manifest.json"

// Format identifies this manifest version.
const Format = "bpgen.manifest/v1"

// Manifest describes one rendered bundle.
type Manifest struct {
	Format          string       `json:"format"`
	ProviderVersion string       `json:"providerVersion"`
	Language        string       `json:"language"`
	Strategy        string       `json:"strategy"`
	Identifiers     []Identifier `json:"identifiers"`
	SecondFactor    *Identifier  `json:"secondFactor,omitempty"`
	Channels        Channels     `json:"channels"`
	// AgentData is what the flows write to participant data for the agent;
	// nil when they write nothing.
	AgentData *AgentData `json:"agentData,omitempty"`
	Objects   []Object   `json:"objects"`
	// Files lists every file bpgen owns in the bundle, manifest excluded.
	Files []string `json:"files"`
}

// Identifier is one configured identifier.
type Identifier struct {
	Type            string `json:"type"`
	ParticipantData string `json:"participantData,omitempty"`
	Slot            string `json:"slot,omitempty"`
	Pattern         string `json:"pattern,omitempty"`
	Normalize       string `json:"normalize,omitempty"`
	DefaultCountry  string `json:"defaultCountry,omitempty"`
	Field           string `json:"field,omitempty"`
}

// AgentData names the participant-data attributes the flows write.
type AgentData struct {
	Prefix string `json:"prefix"`
	// Attributes are the full attribute names, in the order written.
	Attributes []string `json:"attributes"`
	// IdentifierValue: the identifier value itself is written (opted in).
	IdentifierValue bool `json:"identifierValue"`
}

// Channels records which channels the bundle deploys.
type Channels struct {
	WebMessaging  *Channel `json:"webMessaging,omitempty"`
	OpenMessaging *Channel `json:"openMessaging,omitempty"`
}

// Channel is one deployed channel (Messenger or open messaging): both record
// the same thing, whether the platform resolves identities on it.
type Channel struct {
	ResolveIdentities bool `json:"resolveIdentities"`
}

// Object is one deployed object.
type Object struct {
	// ID is "<kind>" or "<kind>.<key>", unique in the bundle.
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Key  string `json:"key,omitempty"`
	// Name is the display name; empty when only the org knows it (the home division).
	Name     string `json:"name,omitempty"`
	Category string `json:"category,omitempty"`
	FlowType string `json:"flowType,omitempty"`
	File     string `json:"file,omitempty"`
	Address  string `json:"address"`
	Output   string `json:"output,omitempty"`
	// Managed is false for objects that already exist and are only looked up.
	Managed   bool                    `json:"managed"`
	DependsOn []string                `json:"dependsOn,omitempty"`
	Subs      map[string]Substitution `json:"substitutions,omitempty"`
}

// Substitution is one flow placeholder: what feeds it and, when bpgen knows
// it at render time, its value.
type Substitution struct {
	Ref   string  `json:"ref"`
	Value *string `json:"value,omitempty"`
}

// Object returns the object with the given id, or nil.
func (m *Manifest) Object(id string) *Object {
	for i := range m.Objects {
		if m.Objects[i].ID == id {
			return &m.Objects[i]
		}
	}
	return nil
}

// ByKind returns the objects of one kind, in manifest order.
func (m *Manifest) ByKind(kind string) []*Object {
	var out []*Object
	for i := range m.Objects {
		if m.Objects[i].Kind == kind {
			out = append(out, &m.Objects[i])
		}
	}
	return out
}

// Parse decodes a manifest.
func Parse(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// nextPlaceholder finds the first `{{key}}` at or after from, key holding no
// brace (the regexp \{\{([^{}]*)\}\}, leftmost match), and returns where it
// starts and ends, or -1, -1. A scan rather than a regexp: vet substitutes
// every flow of a bundle on each run.
func nextPlaceholder(text []byte, from int) (start, end int) {
	for {
		i := bytes.Index(text[from:], []byte("{{"))
		if i < 0 {
			return -1, -1
		}
		start = from + i
		j := start + 2
		for j < len(text) && text[j] != '{' && text[j] != '}' {
			j++
		}
		if j+1 < len(text) && text[j] == '}' && text[j+1] == '}' {
			return start, j + 2
		}
		from = start + 1
	}
}

// Substitute applies a flow's substitutions to its file text the way the
// provider does: plain text replacement of each `{{key}}` by the jsonencode()d
// value. Values only the org knows (the home division's name, an existing
// external source's id) come from unknown; placeholders with no substitution
// are left as they are, so a checker can report them.
func (o *Object) Substitute(text []byte, unknown func(ref string) string) []byte {
	if len(text) == 0 {
		return nil
	}
	out := make([]byte, 0, len(text)+len(text)/8)
	o.substitute(text, unknown, func(p []byte) { out = append(out, p...) })
	return out
}

// SubstituteString is Substitute giving a string, for a reader that wants
// the text as one (flowyaml.ParseString) without another copy of it.
func (o *Object) SubstituteString(text []byte, unknown func(ref string) string) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	o.substitute(text, unknown, func(p []byte) { b.Write(p) })
	return b.String()
}

// substitute hands write the substituted text, piece by piece.
func (o *Object) substitute(text []byte, unknown func(ref string) string, write func([]byte)) {
	last := 0
	for start, end := nextPlaceholder(text, 0); start >= 0; start, end = nextPlaceholder(text, end) {
		s, ok := o.Subs[string(text[start+2:end-2])]
		if !ok {
			continue
		}
		var v string
		if s.Value != nil {
			v = *s.Value
		} else {
			v = unknown(s.Ref)
		}
		j, _ := json.Marshal(v)
		write(text[last:start])
		write(j)
		last = end
	}
	write(text[last:])
}

// Placeholders lists the `{{key}}` placeholders in text, in first-use order.
func Placeholders(text []byte) []string {
	var out []string
	seen := map[string]bool{}
	for start, end := nextPlaceholder(text, 0); start >= 0; start, end = nextPlaceholder(text, end) {
		if k := string(text[start+2 : end-2]); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
