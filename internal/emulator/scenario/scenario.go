// Package scenario runs scenario files against a rendered bundle: it seeds
// an emulated org (package org) with contacts and faults, runs conversations
// through the bundle's flows (package architect) with a scripted customer,
// and checks what the customer saw, which contact each conversation ended
// linked to, the merge sets, the queue, the outcome and the data-action
// calls.
//
// A scenario file is YAML, read by the shared reader (internal/format/yamldoc) and
// decoded strictly: an unknown key or a wrong value is an error with its
// file:line:col and the field's path, as config errors are. Scenarios are written to be portable across bundles:
// the customer answers by identifier type ("Email", "Phone"), which the
// runner maps to the bundle's slots; participant data is given by
// identifier type too and lands under the attribute name the bundle reads;
// faults name a data action ("lookup", "merge") rather than a URL; and
// `requires` says which bundles a scenario applies to, so one suite runs
// against every bundle it makes sense for.
//
//	name: known contact is linked
//	requires: {asks: [Email], channel: webMessaging}
//	contacts:
//	  jane: {firstName: Jane, lastName: Doe, workEmail: jane.doe@example.com}
//	conversations:
//	  - name: jane
//	    answers: {Email: jane.doe@example.com}
//	    expect: {linkedTo: jane, queue: true, outcome: [merged, associated]}
package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/yamldoc"
)

// Scenario is one scenario file.
type Scenario struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// KnownDefect, when set, says the scenario states the behaviour the
	// bundle should have but does not yet: what is wrong and where. The run
	// still fails; the suite reports the failure as known and fails instead
	// when the scenario starts passing, so the note is removed with the fix.
	KnownDefect string `yaml:"knownDefect"`
	// Requires restricts the bundles the scenario applies to.
	Requires Requires `yaml:"requires"`
	// TimeScale multiplies every duration of the run: data-action and flow
	// timeouts, the bot's no-input timeout and fault latencies, so timeout
	// paths run in milliseconds (0.01: a 10 s timeout takes 100 ms).
	// Default 1.
	TimeScale float64 `yaml:"timeScale"`
	// Timeout bounds the whole run (default 2m).
	Timeout Duration `yaml:"timeout"`
	// MergeSetLimit overrides the org's merge-set size limit (default 52).
	MergeSetLimit int `yaml:"mergeSetLimit"`
	// Contacts are seeded before the conversations, by alias.
	Contacts map[string]Contact `yaml:"contacts"`
	// Faults are injected into the org's HTTP layer before the conversations.
	Faults        []Fault        `yaml:"faults"`
	Conversations []Conversation `yaml:"conversations"`
	// Expect holds expectations over all conversations.
	Expect Totals `yaml:"expect"`

	file string
	root *yaml.Node
}

// File returns the path the scenario was read from.
func (s *Scenario) File() string { return s.file }

// Requires says what a bundle must have for the scenario to apply. Every
// field is optional; all given ones must hold.
type Requires struct {
	Strategy string `yaml:"strategy"` // merge | associate
	Channel  string `yaml:"channel"`  // webMessaging | openMessaging
	// Identifiers must all be configured, in any way.
	Identifiers []string `yaml:"identifiers"`
	// Asks: identifier types the bot asks for.
	Asks []string `yaml:"asks"`
	// ParticipantData: identifier types read from participant data.
	ParticipantData []string `yaml:"participantData"`
	// First is the identifier type tried first.
	First string `yaml:"first"`
	// DefaultCountry maps an identifier type to its phone default country.
	DefaultCountry map[string]string `yaml:"defaultCountry"`
	// SecondFactor lists acceptable second-factor set-ups: none, asked,
	// participantData (asked and read from participant data both match
	// "asked" and "participantData").
	SecondFactor []string `yaml:"secondFactor"`
	// MinRetries is the least noMatchesMax the bot may have.
	MinRetries int `yaml:"minRetries"`
	// ResolvesIdentities requires (true) or excludes (false) platform
	// identity resolution on the required channel.
	ResolvesIdentities *bool `yaml:"resolvesIdentities"`
	// AgentData: what the bundle writes for the agent: none, written
	// (without the identifier value) or withValue.
	AgentData string `yaml:"agentData"`
}

// Contact is a seeded external contact. Phones are written as a person
// would (the org normalises them); ExternalIDs are values in the bundle's
// external source.
type Contact struct {
	Type          string   `yaml:"type"` // Curated (default), Identified or Ephemeral
	FirstName     string   `yaml:"firstName"`
	LastName      string   `yaml:"lastName"`
	WorkEmail     string   `yaml:"workEmail"`
	PersonalEmail string   `yaml:"personalEmail"`
	OtherEmail    string   `yaml:"otherEmail"`
	CellPhone     string   `yaml:"cellPhone"`
	HomePhone     string   `yaml:"homePhone"`
	WorkPhone     string   `yaml:"workPhone"`
	OtherPhone    string   `yaml:"otherPhone"`
	WhatsApp      string   `yaml:"whatsApp"`
	ExternalIDs   []string `yaml:"externalIds"`
	// Identifiers are claimed after creation (e.g. {type: Cookie, value: c-1}).
	Identifiers []Identifier `yaml:"identifiers"`
	// MergedWith merges the contact with other seeded contacts (by alias)
	// before the conversations start.
	MergedWith []string `yaml:"mergedWith"`
}

// Identifier is an identifier to claim for a seeded contact.
type Identifier struct {
	Type  string `yaml:"type"`
	Value string `yaml:"value"`
}

// DataActionKeys are the manifest keys of every data action a bundle can
// have (internal/render/model/actions.go), the values a fault's action may take.
var DataActionKeys = contract.ActionKeys

// A scenario's run is bounded, so a typo of a few zeros cannot take the
// machine's memory: each conversation's repeat, and all conversations of
// a scenario with their repeats.
const (
	MaxRepeat        = 1000
	MaxConversations = 10000
)

// Fault is injected into the org's HTTP layer (org.Fault).
type Fault struct {
	// Action names a data action of the bundle by manifest key ("lookup",
	// "conversation", "merge", "associate"): the fault applies to its
	// endpoint. Alternatively Endpoint gives "[METHOD ]PATH" directly.
	Action     string   `yaml:"action"`
	Endpoint   string   `yaml:"endpoint"`
	Status     int      `yaml:"status"`
	Message    string   `yaml:"message"`
	RetryAfter Duration `yaml:"retryAfter"`
	Latency    Duration `yaml:"latency"`
	// Timeout holds the request until the caller gives up.
	Timeout bool `yaml:"timeout"`
	// Times limits the fault to the first N matching requests (0: always).
	Times int `yaml:"times"`
}

// Conversation is a customer's conversation, run Repeat times.
type Conversation struct {
	Name    string `yaml:"name"`
	Channel string `yaml:"channel"` // webMessaging (default) or openMessaging
	// Text is the customer's first message (default "Hello").
	Text string `yaml:"text"`
	// CustomAttributes become participant data as given.
	CustomAttributes map[string]string `yaml:"customAttributes"`
	// ParticipantData is given by identifier type (or "secondFactor") and
	// set under the attribute name the bundle reads it from; entries the
	// bundle does not read from participant data are left out.
	ParticipantData map[string]string `yaml:"participantData"`
	// From is the open-messaging sender.
	From *From `yaml:"from"`
	// Replies are the customer's replies in order, whatever the bot asks;
	// null is a reply the customer does not send.
	Replies Replies `yaml:"replies"`
	// Answers are replies by what the bot asks: an identifier type, a slot
	// name or "secondFactor"; a list answers successive re-prompts. Answers
	// are used before Replies.
	Answers map[string]Replies `yaml:"answers"`
	// Repeat runs the conversation N times (default 1), one after the
	// other, or all at once with Concurrent.
	Repeat     int    `yaml:"repeat"`
	Concurrent bool   `yaml:"concurrent"`
	Expect     Expect `yaml:"expect"`
}

// From is an open-messaging sender (org.OpenFrom).
type From struct {
	ID        string `yaml:"id"`
	IDType    string `yaml:"idType"` // Opaque (default), Email or Phone
	FirstName string `yaml:"firstName"`
	LastName  string `yaml:"lastName"`
	Email     string `yaml:"email"`
}

// Expect holds expectations checked for every run of a conversation.
type Expect struct {
	// Sees: each text appears in some message the customer received.
	Sees []string `yaml:"sees"`
	// NotSees: no received message contains any of these.
	NotSees []string `yaml:"notSees"`
	// LinkedTo is the seeded contact (alias) whose merge tree the
	// conversation's contact ends in, or "none".
	LinkedTo string `yaml:"linkedTo"`
	// MergeSetSize is the size of that contact's merge set.
	MergeSetSize *int `yaml:"mergeSetSize"`
	// Queue: true (any queue), false (none) or a queue name.
	Queue *QueueExpect `yaml:"queue"`
	// Outcome is Flow.Outcome, what the ResolveContact module reported
	// last; a list accepts any of its values.
	Outcome Strings `yaml:"outcome"`
	// Ended is how the conversation left the flow (transferred,
	// disconnected, flowEnded).
	Ended string `yaml:"ended"`
	// MaxDataActionCalls bounds the number of data-action executions.
	MaxDataActionCalls *int `yaml:"maxDataActionCalls"`
	// Calls are exact numbers of executions per data action key.
	Calls map[string]int `yaml:"calls"`
	// Prompts are exact numbers of bot messages per kind: question,
	// noMatch, noInput, handover, error, response.
	Prompts map[string]int `yaml:"prompts"`
	// PromptsAtLeast are lower bounds on the same counts.
	PromptsAtLeast map[string]int `yaml:"promptsAtLeast"`
	// Inputs: some execution of the action had these inputs.
	Inputs []InputExpect `yaml:"inputs"`
	// Variables are the inbound flow's Flow.* values at the end (display
	// text; "" is NOT_SET).
	Variables map[string]string `yaml:"variables"`
	// Error: true when the flow's error handling must have run, false when
	// it must not.
	Error *bool `yaml:"error"`
	// AgentData are the participant-data attributes the flows write for the
	// agent, by name after the bundle's prefix (outcome, source, ...); null
	// means the attribute must be absent. Only on bundles that write them.
	AgentData map[string]*string `yaml:"agentData"`
	// NotInParticipantData: no participant-data value contains any of these
	// (an identifier value that must not be written).
	NotInParticipantData []string `yaml:"notInParticipantData"`
}

// InputExpect is an expected data-action input.
type InputExpect struct {
	Action string            `yaml:"action"`
	With   map[string]string `yaml:"with"`
}

// Totals are expectations over all conversations of the scenario.
type Totals struct {
	// MergeSetSize is the merge-set size of seeded contacts at the end.
	MergeSetSize map[string]int `yaml:"mergeSetSize"`
	// Linked counts conversations ending linked to each alias ("none":
	// linked to no seeded contact).
	Linked map[string]int `yaml:"linked"`
	// ReachedQueue counts conversations that reached a queue.
	ReachedQueue *int `yaml:"reachedQueue"`
	// TraceContains: each text appears in some conversation's trace.
	TraceContains []string `yaml:"traceContains"`
}

// ---------------------------------------------------------------- scalar types

// Duration is a Go duration string ("2s", "150ms").
type Duration time.Duration

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return errNode(n, "%q is not a duration such as 2s or 150ms", n.Value)
	}
	*d = Duration(v)
	return nil
}

// Reply is one customer reply; Silent means no reply.
type Reply struct {
	Text   string
	Silent bool
}

// Replies is a reply or a list of replies.
type Replies []Reply

// UnmarshalYAML accepts a string, null, or a list of those.
func (r *Replies) UnmarshalYAML(n *yaml.Node) error {
	one := func(x *yaml.Node) (Reply, error) {
		if x.Kind != yaml.ScalarNode {
			return Reply{}, errNode(x, "a reply must be a string or null")
		}
		if x.Tag == "!!null" {
			return Reply{Silent: true}, nil
		}
		return Reply{Text: x.Value}, nil
	}
	if n.Kind == yaml.SequenceNode {
		for _, x := range n.Content {
			rep, err := one(x)
			if err != nil {
				return err
			}
			*r = append(*r, rep)
		}
		return nil
	}
	rep, err := one(n)
	if err != nil {
		return err
	}
	*r = Replies{rep}
	return nil
}

// Strings is a string or a list of strings.
type Strings []string

// UnmarshalYAML accepts a string or a list.
func (s *Strings) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = Strings{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*s = list
	return nil
}

// QueueExpect is `queue: true|false|<name>`.
type QueueExpect struct {
	Any  bool   // true: any queue
	None bool   // false: no queue
	Name string // a specific queue
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (q *QueueExpect) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errNode(n, "queue must be true, false or a queue name")
	}
	switch {
	case n.Tag == "!!bool" && n.Value == "true":
		q.Any = true
	case n.Tag == "!!bool":
		q.None = true
	default:
		q.Name = n.Value
	}
	return nil
}

func (q QueueExpect) String() string {
	switch {
	case q.Any:
		return "a queue"
	case q.None:
		return "no queue"
	}
	return strconv.Quote(q.Name)
}

// ---------------------------------------------------------------- loading

// InputError is a problem with a scenario file, with its position.
type InputError struct {
	File  string
	Line  int
	Col   int    // 0 when unknown
	Field string // the field's path (conversations[0].repeat), when known
	Msg   string
}

func (e *InputError) Error() string {
	msg := e.Msg
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Line > 0 && e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, msg)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return e.File + ": " + msg
}

// Load reads and validates a scenario file.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &InputError{File: path, Msg: "cannot read: " + strings.TrimPrefix(err.Error(), "open "+path+": ")}
	}
	return Parse(path, data)
}

// Parse decodes a scenario; file names it in errors.
func Parse(file string, data []byte) (*Scenario, error) {
	s := &Scenario{file: file}
	// The shared reader first (one document, alias budget, positioned
	// syntax errors), so a hostile file is refused before anything expands
	// it; its tree then locates decode errors.
	root, err := yamldoc.Parse(data)
	if err != nil {
		var ye *yamldoc.Error
		if errors.As(err, &ye) {
			return nil, &InputError{File: file, Line: ye.Line, Col: ye.Col, Msg: ye.Msg}
		}
		return nil, &InputError{File: file, Msg: err.Error()}
	}
	if root == nil || len(root.Content) == 1 && root.Content[0].ShortTag() == "!!null" {
		// Empty (or only "---", or null): positions start at 1:1, not at
		// where yaml.v3 puts an implicit null.
		root = &yaml.Node{Kind: yaml.DocumentNode}
	}
	s.root = root
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil && !errors.Is(err, io.EOF) {
		return nil, s.decodeError(err)
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// nodeError is a decode error of one of the scalar types above, at the node
// it refused.
type nodeError struct {
	line, col int
	msg       string
}

func (e *nodeError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func errNode(n *yaml.Node, format string, args ...any) error {
	return &nodeError{line: n.Line, col: n.Column, msg: fmt.Sprintf(format, args...)}
}

var (
	unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type scenario\.(\w+)$`)
	typeMismatch = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+)(?: `([^`]*)`)? into (.+)$")
	duplicateKey = regexp.MustCompile(`^line (\d+): mapping key "(.*)" already defined at line (\d+)$`)
	lineMsg      = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// sections names the Go types in yaml.v3 errors as the user knows them.
var sections = map[string]string{
	"Scenario": "the scenario", "Requires": "requires", "Contact": "a contact", "Identifier": "an identifier",
	"Fault": "a fault", "Conversation": "a conversation", "From": "from", "Expect": "expect",
	"InputExpect": "an inputs entry", "Totals": "the scenario's expect",
}

// yamlKinds and goKinds say a YAML node's tag and a Go target type in
// words, for "wrong type" errors.
var yamlKinds = map[string]string{"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
	"null": "null", "seq": "a list", "map": "a mapping", "timestamp": "a date"}

func goKind(t string) string {
	t = strings.TrimPrefix(t, "*")
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "scenario."):
		if w := sections[strings.TrimPrefix(t, "scenario.")]; w != "" {
			return "a mapping (" + w + ")"
		}
		return "a mapping"
	}
	return t
}

// decodeError turns a yaml.v3 decode error into file:line:col and the
// field's path, like a config error. yaml.v3 reports lines only, so the
// node is found in the document tree by its line and what the message
// names (the key, or the value's tag and text). The first error is
// reported; the rest usually follow from it.
func (s *Scenario) decodeError(err error) error {
	var ne *nodeError
	if errors.As(err, &ne) {
		return s.located(ne.line, ne.msg, func(_, v *yaml.Node) (*yaml.Node, bool) {
			return v, v.Line == ne.line && v.Column == ne.col
		})
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	line := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		where := sections[m[3]]
		if where == "" {
			where = m[3]
		}
		return s.located(line(m[1]), fmt.Sprintf("unknown field %q in %s", m[2], where), func(k, _ *yaml.Node) (*yaml.Node, bool) {
			return k, k != nil && k.Line == line(m[1]) && k.Value == m[2]
		})
	}
	if m := duplicateKey.FindStringSubmatch(msg); m != nil {
		return s.located(line(m[1]), fmt.Sprintf("duplicate key %q (first at line %s)", m[2], m[3]), func(k, _ *yaml.Node) (*yaml.Node, bool) {
			return k, k != nil && k.Line == line(m[1]) && k.Value == m[2]
		})
	}
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		tag, value, named := "!!"+m[2], m[3], strings.Contains(msg, "`")
		got := yamlKinds[m[2]]
		if got == "" {
			got = tag
		}
		if named && len(value) <= 40 {
			// "the string "many"": the value itself, when it is short.
			got = "the " + strings.TrimPrefix(strings.TrimPrefix(got, "an "), "a ") + " " + strconv.Quote(value)
		}
		return s.located(line(m[1]), fmt.Sprintf("wrong type: got %s, want %s", got, goKind(m[4])), func(_, v *yaml.Node) (*yaml.Node, bool) {
			return v, v.Line == line(m[1]) && v.ShortTag() == tag && (!named || v.Value == value)
		})
	}
	if m := lineMsg.FindStringSubmatch(msg); m != nil {
		return s.located(line(m[1]), m[2], func(_, v *yaml.Node) (*yaml.Node, bool) {
			return v, v.Line == line(m[1])
		})
	}
	return &InputError{File: s.file, Msg: msg}
}

// located is an InputError at the deepest node match picks (see locate),
// or at line when none does.
func (s *Scenario) located(line int, msg string, match func(k, v *yaml.Node) (*yaml.Node, bool)) error {
	field, l, col := locate(s.root, match)
	if field == "" {
		return &InputError{File: s.file, Line: line, Msg: msg}
	}
	return &InputError{File: s.file, Line: l, Col: col, Field: field, Msg: msg}
}

// locate walks the document and returns the field path (e.g.
// "conversations[0].expect.queue"), line and column of the deepest node
// that match picks (the first of equally deep ones), given each mapping
// entry's key and value and each sequence item (as the value, with a nil
// key). Deepest, because a message about a node also matches the
// collections around it that start on the same line.
func locate(doc *yaml.Node, match func(k, v *yaml.Node) (*yaml.Node, bool)) (string, int, int) {
	var best *yaml.Node
	bestPath, bestDepth := "", -1
	consider := func(k, v *yaml.Node, path string, depth int) {
		if at, ok := match(k, v); ok && depth > bestDepth {
			best, bestPath, bestDepth = at, path, depth
		}
	}
	var walk func(n *yaml.Node, path string, depth int)
	walk = func(n *yaml.Node, path string, depth int) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, depth)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				consider(k, v, p, depth+1)
				walk(v, p, depth+1)
			}
		case yaml.SequenceNode:
			for i, v := range n.Content {
				p := fmt.Sprintf("%s[%d]", path, i)
				consider(nil, v, p, depth+1)
				walk(v, p, depth+1)
			}
		}
	}
	walk(doc, "", 0)
	if best == nil {
		return "", 0, 0
	}
	return bestPath, best.Line, best.Column
}

// at returns the line of the node at path (keys and indexes) in the file,
// or the closest existing ancestor's.
func (s *Scenario) at(path ...any) int {
	line, _ := s.pos(path...)
	return line
}

// pos is the line and column of the node at path (the key, for a mapping
// entry), or of the deepest node on the way that exists.
func (s *Scenario) pos(path ...any) (line, col int) {
	n := s.root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line, col = 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	for _, p := range path {
		if n == nil {
			break
		}
		var next *yaml.Node
		switch p := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == p {
						line, col = n.Content[i].Line, n.Content[i].Column
						next = n.Content[i+1]
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && p < len(n.Content) {
				next = n.Content[p]
				line, col = next.Line, next.Column
			}
		}
		n = next
	}
	return line, col
}

func (s *Scenario) errAt(msg string, path ...any) error {
	line, col := s.pos(path...)
	return &InputError{File: s.file, Line: line, Col: col, Msg: msg}
}

var (
	identifierTypes = contract.IdentifierTypes()
	promptKinds     = []string{"question", "noMatch", "noInput", "handover", "error", "response"}
)

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// validate checks what the YAML types cannot: values from fixed sets,
// references between sections, numbers in range.
func (s *Scenario) validate() error {
	if strings.TrimSpace(s.Name) == "" {
		return s.errAt("name is required")
	}
	r := s.Requires
	if r.Strategy != "" && !oneOf(r.Strategy, contract.StrategyMerge, contract.StrategyAssociate) {
		return s.errAt("requires.strategy must be merge or associate", "requires", "strategy")
	}
	if r.Channel != "" && !oneOf(r.Channel, "webMessaging", "openMessaging") {
		return s.errAt("requires.channel must be webMessaging or openMessaging", "requires", "channel")
	}
	for key, list := range map[string][]string{"identifiers": r.Identifiers, "asks": r.Asks, "participantData": r.ParticipantData} {
		for i, t := range list {
			if !oneOf(t, identifierTypes...) {
				return s.errAt(fmt.Sprintf("requires.%s: unknown identifier type %q", key, t), "requires", key, i)
			}
		}
	}
	for i, sf := range r.SecondFactor {
		if !oneOf(sf, "none", "asked", "participantData") {
			return s.errAt(fmt.Sprintf("requires.secondFactor: %q must be none, asked or participantData", sf), "requires", "secondFactor", i)
		}
	}
	if r.AgentData != "" && !oneOf(r.AgentData, "none", "written", "withValue") {
		return s.errAt(fmt.Sprintf("requires.agentData: %q must be none, written or withValue", r.AgentData), "requires", "agentData")
	}
	if r.ResolvesIdentities != nil && r.Channel == "" {
		return s.errAt("requires.resolvesIdentities needs requires.channel", "requires", "resolvesIdentities")
	}
	if s.TimeScale < 0 {
		return s.errAt("timeScale must be positive", "timeScale")
	}
	for alias, c := range s.Contacts {
		if c.Type != "" && !oneOf(c.Type, contract.ContactTypes...) {
			return s.errAt("contact type must be Curated, Identified or Ephemeral", "contacts", alias, "type")
		}
		if alias == "none" {
			return s.errAt(`"none" cannot be a contact alias: it means "linked to no seeded contact"`, "contacts", alias)
		}
		for i, m := range c.MergedWith {
			if _, ok := s.Contacts[m]; !ok || m == alias {
				return s.errAt(fmt.Sprintf("mergedWith: %q is not another seeded contact", m), "contacts", alias, "mergedWith", i)
			}
		}
		for i, id := range c.Identifiers {
			if !oneOf(id.Type, identifierTypes...) || id.Value == "" {
				return s.errAt("an identifier needs a known type and a value", "contacts", alias, "identifiers", i)
			}
		}
	}
	for i, f := range s.Faults {
		if (f.Action == "") == (f.Endpoint == "") {
			return s.errAt("a fault needs exactly one of action and endpoint", "faults", i)
		}
		// A misspelt action would otherwise read as "the bundle has no
		// such action" and skip the scenario: a silent pass.
		if f.Action != "" && !slices.Contains(DataActionKeys, f.Action) {
			return s.errAt("fault action must be one of "+strings.Join(DataActionKeys, ", "), "faults", i, "action")
		}
		if f.Status == 0 && f.Latency == 0 && !f.Timeout {
			return s.errAt("a fault needs a status, a latency or timeout: true", "faults", i)
		}
		if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
			return s.errAt("fault status must be an HTTP status", "faults", i, "status")
		}
		if f.Times < 0 {
			return s.errAt("fault times must not be negative", "faults", i, "times")
		}
	}
	if len(s.Conversations) == 0 {
		return s.errAt("at least one conversation is required", "conversations")
	}
	names := map[string]bool{}
	total := 0
	checkAlias := func(alias string, path ...any) error {
		if alias == "" || alias == "none" {
			return nil
		}
		if _, ok := s.Contacts[alias]; !ok {
			return s.errAt(fmt.Sprintf("%q is not a seeded contact", alias), path...)
		}
		return nil
	}
	for i, c := range s.Conversations {
		if c.Name == "" {
			s.Conversations[i].Name = fmt.Sprintf("conversation %d", i+1)
			c.Name = s.Conversations[i].Name
		}
		if names[c.Name] {
			return s.errAt(fmt.Sprintf("conversation name %q is used twice", c.Name), "conversations", i, "name")
		}
		names[c.Name] = true
		if c.Channel != "" && !oneOf(c.Channel, "webMessaging", "openMessaging") {
			return s.errAt("channel must be webMessaging or openMessaging", "conversations", i, "channel")
		}
		if c.Channel == "openMessaging" && (c.From == nil || c.From.ID == "") {
			return s.errAt("an openMessaging conversation needs from.id", "conversations", i, "channel")
		}
		if c.From != nil && c.From.IDType != "" && !oneOf(c.From.IDType, "Opaque", "Email", "Phone") {
			return s.errAt("from.idType must be Opaque, Email or Phone", "conversations", i, "from", "idType")
		}
		if c.Repeat < 0 {
			return s.errAt("repeat must not be negative", "conversations", i, "repeat")
		}
		if c.Repeat > MaxRepeat {
			return s.errAt(fmt.Sprintf("repeat must be at most %d", MaxRepeat), "conversations", i, "repeat")
		}
		total += max(c.Repeat, 1)
		if total > MaxConversations {
			return s.errAt(fmt.Sprintf("the scenario runs more than %d conversations in all (repeats included)", MaxConversations), "conversations", i, "repeat")
		}
		e := c.Expect
		if err := checkAlias(e.LinkedTo, "conversations", i, "expect", "linkedTo"); err != nil {
			return err
		}
		for key, m := range map[string]map[string]int{"prompts": e.Prompts, "promptsAtLeast": e.PromptsAtLeast} {
			for k := range m {
				if !oneOf(k, promptKinds...) {
					return s.errAt(fmt.Sprintf("%s: %q must be one of %s", key, k, strings.Join(promptKinds, ", ")), "conversations", i, "expect", key, k)
				}
			}
		}
		if e.Ended != "" && !oneOf(e.Ended, "transferred", "disconnected", "flowEnded") {
			return s.errAt("ended must be transferred, disconnected or flowEnded", "conversations", i, "expect", "ended")
		}
		for j, in := range e.Inputs {
			if in.Action == "" || len(in.With) == 0 {
				return s.errAt("an inputs entry needs action and with", "conversations", i, "expect", "inputs", j)
			}
		}
	}
	for alias := range s.Expect.MergeSetSize {
		if err := checkAlias(alias, "expect", "mergeSetSize", alias); err != nil {
			return err
		}
	}
	for alias := range s.Expect.Linked {
		if err := checkAlias(alias, "expect", "linked", alias); err != nil {
			return err
		}
	}
	return nil
}
