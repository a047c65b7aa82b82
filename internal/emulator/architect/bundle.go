package architect

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/manifest"

	"github.com/bpgen/bpgen/internal/emulator/org"
)

// Bundle is a rendered bundle loaded for execution: its manifest, its flows
// compiled, its data actions parsed. A Bundle is immutable and may be used by
// several runtimes at once.
type Bundle struct {
	// Manifest is the bundle's bpgen.manifest.json.
	Manifest *manifest.Manifest
	// ExternalSourceID is the id the flows look identifiers up in: the
	// external source's id in the org (LoadDeployed), or for Load an id
	// derived from its name (Load only checks a bundle; runtime unit tests
	// create the source under it); "" when the bundle has no external source.
	ExternalSourceID string

	fsys fs.FS // the bundle's files

	flows   []*flowDef
	inbound *flowDef
	// published: compiled from the org (LoadPublished), not from files.
	published bool
	actions   []*bundleAction
	queues    []string
}

type bundleAction struct {
	key, name, category, file string
	def                       *fmtda.Action
}

// HomeDivision is the division name flows are substituted with: the emulated
// org's one division, the home division (org.HomeDivision).
var HomeDivision = org.HomeDivision().Name

// Load loads the bundle in dir (the directory holding bpgen.manifest.json).
func Load(dir string) (*Bundle, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, &LoadError{Msg: "cannot read the bundle directory " + dir + ": " + pathErr(err)}
	}
	return loadBundle(os.DirFS(dir), nil)
}

// FS returns the bundle's files (nil for LoadPublished), for an apply.
func (b *Bundle) FS() fs.FS { return b.fsys }

// LoadDeployed loads the bundle in fsys as it was deployed into o (by
// internal/emulator/deploy, which publishes flows as Terraform does): the manifest
// and data actions from fsys, each flow's text as the org published it
// (substitutions applied by the apply, so the external source id is the
// one the apply created or looked up), compiled under the bundle's file
// names so traces and errors point at the bundle's files.
func LoadDeployed(o *org.Org, fsys fs.FS) (*Bundle, error) {
	return loadBundle(fsys, o)
}

// asLoadError keeps the manifest loader's file and message as a *LoadError.
func asLoadError(err error) error {
	if le, ok := errors.AsType[*manifest.LoadError](err); ok {
		return &LoadError{File: le.File, Msg: le.Msg}
	}
	return err
}

func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// LoadFS loads a bundle from fsys, whose root holds bpgen.manifest.json. It
// substitutes and compiles every flow and parses every data action the
// manifest lists; any construct the runtime cannot execute is an
// *UnsupportedError, any other problem a *LoadError.
func LoadFS(fsys fs.FS) (*Bundle, error) { return loadBundle(fsys, nil) }

// loadBundle loads the bundle in fsys; with deployed, its flows are the
// ones deployed publishes (see LoadDeployed).
func loadBundle(fsys fs.FS, deployed *org.Org) (*Bundle, error) {
	m, err := manifest.Load(fsys)
	if err != nil {
		return nil, asLoadError(err)
	}
	defs, err := m.Actions(fsys)
	if err != nil {
		return nil, asLoadError(err)
	}
	b := &Bundle{Manifest: m, fsys: fsys}
	for _, q := range m.ByKind(contract.KindQueue) {
		if q.Name != "" {
			b.queues = append(b.queues, q.Name)
		}
	}
	if srcs := m.ByKind(contract.KindExternalSource); len(srcs) > 0 {
		b.ExternalSourceID = stableID("external source " + srcs[0].Name)
		if deployed != nil {
			b.ExternalSourceID = ""
			for _, s := range deployed.ExternalSources() {
				if s.Name == srcs[0].Name {
					b.ExternalSourceID = s.ID
				}
			}
		}
	}
	for _, o := range m.ByKind(contract.KindDataAction) {
		b.actions = append(b.actions, &bundleAction{key: o.Key, name: o.Name, category: o.Category, file: o.File, def: defs[o.ID]})
	}

	var links []func() error
	for _, o := range m.ByKind(contract.KindFlow) {
		text, err := fs.ReadFile(fsys, o.File)
		if err != nil {
			return nil, &LoadError{File: o.File, Msg: "cannot read flow: " + pathErr(err)}
		}
		if deployed != nil {
			if text = publishedDefinition(deployed, o); text == nil {
				return nil, &LoadError{File: o.File, Msg: "flow " + strconv.Quote(o.Name) + " is not published in the org"}
			}
		}
		var missing []string
		text = o.Substitute(text, func(ref string) string {
			switch ref {
			case contract.RefDivisionName.String():
				return HomeDivision
			case contract.RefExternalSourceID.String():
				if b.ExternalSourceID != "" {
					return b.ExternalSourceID
				}
			}
			missing = append(missing, ref)
			return ""
		})
		if len(missing) > 0 {
			return nil, &LoadError{File: o.File, Msg: "no value for substitution " + strings.Join(missing, ", ")}
		}
		if left := manifest.Placeholders(text); len(left) > 0 {
			// The provider would upload these and Archy would reject the flow.
			return nil, &LoadError{File: o.File, Msg: "placeholder {{" + left[0] + "}} has no substitution"}
		}
		c := &compiler{b: b, file: o.File}
		f, err := c.compile(text, o.Name, o.FlowType)
		if err != nil {
			return nil, err
		}
		b.flows = append(b.flows, f)
		links = append(links, c.links...)
		if f.typ == "inboundshortmessage" {
			if b.inbound != nil {
				return nil, &LoadError{File: o.File, Msg: "the bundle has two inbound message flows"}
			}
			b.inbound = f
		}
	}
	for _, link := range links {
		if err := link(); err != nil {
			return nil, err
		}
	}
	if b.inbound == nil {
		return nil, &LoadError{File: manifest.Path, Msg: "the bundle has no inbound message flow"}
	}
	return b, nil
}

// publishedDefinition is the definition o published last for the
// manifest flow mo (by name and type, as Architect keys flows); nil when
// none.
func publishedDefinition(o *org.Org, mo *manifest.Object) []byte {
	var def []byte
	var at int64
	for _, f := range o.Flows() {
		if strings.EqualFold(f.Name, mo.Name) && strings.EqualFold(f.Type, mo.FlowType) && len(f.Definition) > 0 && (def == nil || f.DatePublished.UnixNano() >= at) {
			def, at = f.Definition, f.DatePublished.UnixNano()
		}
	}
	return def
}

// stableID derives a UUID-shaped id from text, so the same bundle gets the
// same external source id on every load and traces stay comparable.
func stableID(text string) string {
	h := sha1.Sum([]byte("bpgen/" + text))
	h[6] = h[6]&0x0f | 0x50 // version 5 layout
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// where names what references resolve against, for messages.
func (b *Bundle) where() string {
	if b.published {
		return "org"
	}
	return "bundle"
}

func (b *Bundle) flowByName(name, typ string) *flowDef {
	for _, f := range b.flows {
		if f.name == name && f.typ == typ {
			return f
		}
	}
	return nil
}

func (b *Bundle) actionByName(category, name string) *bundleAction {
	for _, a := range b.actions {
		if a.category == category && a.name == name {
			return a
		}
	}
	return nil
}

func (b *Bundle) hasQueue(name string) bool {
	for _, q := range b.queues {
		if q == name {
			return true
		}
	}
	return false
}

// Queue returns the name of the queue the bundle routes to.
func (b *Bundle) Queue() string {
	if len(b.queues) == 0 {
		return ""
	}
	return b.queues[0]
}

// InboundFlowName returns the name of the inbound message flow.
// "" when none is published (LoadPublished).
func (b *Bundle) InboundFlowName() string {
	if b.inbound == nil {
		return ""
	}
	return b.inbound.name
}

// Flows lists the bundle's flows as file, type and name, in manifest order.
func (b *Bundle) Flows() []FlowInfo {
	out := make([]FlowInfo, len(b.flows))
	for i, f := range b.flows {
		out[i] = FlowInfo{File: f.file, Type: f.typ, Name: f.name}
	}
	return out
}

// FlowInfo describes one loaded flow.
type FlowInfo struct {
	File, Type, Name string
}

// Endpoint returns the HTTP method and a path pattern (org.Fault syntax,
// one `*` per templated segment) of the data action with the given manifest
// key ("lookup", "merge", ...), so tests can inject faults by action rather
// than by URL.
func (b *Bundle) Endpoint(key string) (method, pattern string, ok bool) {
	for _, a := range b.actions {
		if a.key != key {
			continue
		}
		p := strings.TrimSpace(a.def.Config.Request.RequestURLTemplate)
		if i := strings.IndexByte(p, '?'); i >= 0 {
			p = p[:i]
		}
		segs := strings.Split(p, "/")
		for i, s := range segs {
			if strings.Contains(s, "$") {
				segs[i] = "*"
			}
		}
		return strings.ToUpper(a.def.Config.Request.RequestType), path.Clean(strings.Join(segs, "/")), true
	}
	return "", "", false
}

// ActionKeys lists the manifest keys of the bundle's data actions, sorted.
func (b *Bundle) ActionKeys() []string {
	var out []string
	for _, a := range b.actions {
		out = append(out, a.key)
	}
	sort.Strings(out)
	return out
}

// BotSettings describes how the bundle's bot handles input, for callers that
// need to know how many attempts a customer gets. ok is false when the
// bundle has no bot flow.
func (b *Bundle) BotSettings() (s BotSettings, ok bool) {
	for _, f := range b.flows {
		if f.bot != nil {
			return BotSettings{NoMatchesMax: f.bot.noMatchesMax, NoInputsMax: f.bot.noInputsMax, NoInputTimeout: f.bot.noInputTimeout}, true
		}
	}
	return BotSettings{}, false
}

// BotSettings is the user-input part of a bot flow's settings.
type BotSettings struct {
	NoMatchesMax, NoInputsMax int
	NoInputTimeout            time.Duration
}
