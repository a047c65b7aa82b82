package architect

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/emulator/org"
)

// Flows published over the API. `bpgen org serve --empty` is populated by
// the real Terraform provider: genesyscloud_flow uploads each flow's YAML
// (substitutions applied) through an Architect job, and the org hands the
// upload to the Publisher below. It compiles the flow with the same
// compiler Load uses, against what the org holds (its published flows, data
// actions and queues: Architect resolves a flow's references by name at
// publish time), publishes it, and gives the runtime the new set of flows.
// So conversations run exactly what Terraform deployed, and a flow Archy
// would reject fails the job with the same file:line messages Load reports.

// publishedFile names a published flow in messages and traces.
func publishedFile(name string) string { return "published flow " + strconv.Quote(name) }

// uploadedFile names the flow of an Architect job being checked.
const uploadedFile = "uploaded flow"

// LoadPublished compiles every flow published in o (their stored
// definitions) with o's data actions and queues. Unlike Load it accepts an
// org without an inbound message flow (conversations then end "aborted").
// When several inbound message flows are published, the latest one answers
// conversations (inferred: the runtime runs one inbound flow per org).
func LoadPublished(o *org.Org) (*Bundle, error) {
	b, _, err := loadPublished(o, nil)
	return b, err
}

func loadPublished(o *org.Org, pending []byte) (*Bundle, *flowDef, error) {
	b := &Bundle{published: true}
	for _, a := range o.DataActions() {
		b.actions = append(b.actions, &bundleAction{key: a.ID, name: a.Name, category: a.Category, file: "data action " + strconv.Quote(a.Name), def: a.Definition()})
	}
	for _, q := range o.Queues() {
		b.queues = append(b.queues, q.Name)
	}
	var links []func() error
	var newest *flowDef
	var newestAt int64
	compile := func(text []byte, file string) (*flowDef, error) {
		c := &compiler{b: b, file: file}
		f, err := c.compile(text, "", "")
		if err != nil {
			return nil, err
		}
		links = append(links, c.links...)
		return f, nil
	}
	var up *flowDef
	if pending != nil {
		var err error
		if up, err = compile(pending, uploadedFile); err != nil {
			return nil, nil, err
		}
	}
	for _, pf := range o.Flows() {
		if len(pf.Definition) == 0 {
			continue // published by the Go API without a definition (tests)
		}
		if up != nil && strings.EqualFold(pf.Name, up.name) && strings.EqualFold(pf.Type, up.typ) {
			continue // the upload replaces this version
		}
		f, err := compile(pf.Definition, publishedFile(pf.Name))
		if err != nil {
			return nil, nil, fmt.Errorf("architect: the published flow %q no longer compiles: %w", pf.Name, err)
		}
		b.flows = append(b.flows, f)
		if f.typ == "inboundshortmessage" && (newest == nil || pf.DatePublished.UnixNano() >= newestAt) {
			newest, newestAt = f, pf.DatePublished.UnixNano()
		}
	}
	if up != nil {
		b.flows = append(b.flows, up)
		if up.typ == "inboundshortmessage" {
			newest = up
		}
	}
	for _, link := range links {
		if err := link(); err != nil {
			return nil, nil, err
		}
	}
	b.inbound = newest
	return b, up, nil
}

// flowHeader reads what PublishFlow needs beyond the compiled flow: the
// division (by name, as Archy YAML gives it) and the description.
func flowHeader(def []byte) (division, description string) {
	var doc map[string]map[string]any
	if yaml.Unmarshal(def, &doc) != nil {
		return "", ""
	}
	for _, root := range doc {
		division, _ = root["division"].(string)
		description, _ = root["description"].(string)
	}
	return division, description
}

// Publisher returns the org.FlowPublisher for o: it checks an uploaded flow
// as above, publishes it (a new version when a flow of that name and type
// exists) and passes the org's new set of flows to onPublish.
func Publisher(o *org.Org, onPublish func(*Bundle)) org.FlowPublisher {
	var mu sync.Mutex // one publish at a time, so each sees the last
	return func(def []byte) (org.Flow, error) {
		mu.Lock()
		defer mu.Unlock()
		_, f, err := loadPublished(o, def)
		if err != nil {
			return org.Flow{}, err
		}
		divName, desc := flowHeader(def)
		in := org.Flow{Name: f.name, Type: strings.ToUpper(f.typ), Definition: def, Description: desc}
		if divName != "" {
			d, err := o.DivisionByName(divName)
			if err != nil {
				return org.Flow{}, fmt.Errorf("%s:%d: division %q does not exist in the org", uploadedFile, f.line, divName)
			}
			in.DivisionID = d.ID
		}
		pub, err := o.PublishFlow(in)
		if err != nil {
			return org.Flow{}, err
		}
		if onPublish == nil {
			return pub, nil // no runtime to hand the new set to
		}
		b, err := LoadPublished(o)
		if err != nil {
			return org.Flow{}, err
		}
		onPublish(b)
		return pub, nil
	}
}

// StartPublished starts a runtime on o that runs the flows published in o
// over the API, as `org serve --empty` does: it registers an OAuth client
// for the data actions (the runtime's own: nothing in an empty org names
// one), attaches Publisher to the org's Architect jobs, and swaps in each
// newly published set of flows. opts.DataActionsClient must be nil.
func StartPublished(o *org.Org, opts Options) (*Runtime, error) {
	if opts.DataActionsClient != nil {
		return nil, errors.New("architect: StartPublished registers its own data-actions client; Options.DataActionsClient must be nil")
	}
	b, err := LoadPublished(o)
	if err != nil {
		return nil, err
	}
	secret, id := make([]byte, 24), make([]byte, 8)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	dac := DataActionsClient{ID: "bpgen-data-actions-" + hex.EncodeToString(id), Secret: hex.EncodeToString(secret)}
	if err := o.RegisterClient(org.OAuthClient{ID: dac.ID, Secret: dac.Secret, Name: "bpgen flow runtime"}); err != nil {
		return nil, err
	}
	opts.DataActionsClient = &dac
	rt, err := Start(o, b, opts)
	if err != nil {
		return nil, err
	}
	o.SetFlowPublisher(Publisher(o, rt.SetBundle))
	return rt, nil
}
