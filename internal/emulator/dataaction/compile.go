package dataaction

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ohler55/ojg/jp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/bpgen/bpgen/internal/emulator/dataaction/velocity"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
)

// compiled is an action with its templates, JSONPaths and schemas prepared.
// It is immutable and shared by concurrent executions.
type compiled struct {
	err error // the action cannot run; reported as a processing failure

	method        string
	timeout       time.Duration // 0: the runtime default
	inputSchema   *jsonschema.Schema
	successSchema *jsonschema.Schema
	dottedInputs  map[string]bool // top-level input properties whose names contain "."
	url           *velocity.Template
	headers       []header
	body          *velocity.Template // nil for GET
	paths         []pathVar
	defaults      map[string]string
	success       *velocity.Template
	outputs       []outputKey
}

type header struct {
	name string
	tmpl *velocity.Template
}

// pathVar is one translationMap entry.
type pathVar struct {
	name     string
	path     string
	expr     jp.Expr
	definite bool
}

// MaxTimeout is the platform's cap on timeoutSeconds.
const MaxTimeout = 60 * time.Second

// DefaultTimeout applies when an action sets no timeoutSeconds and the
// runtime was given no other default.
// inferred: the platform default is undocumented (api.md 8); 20 s is the
// value the platform's own example action uses, well under the 60 s cap.
const DefaultTimeout = 20 * time.Second

// defaultSuccessTemplate is what the platform UI puts in an action with no
// success template.
// inferred: an empty successTemplate behaves like the UI default.
const defaultSuccessTemplate = "${rawResult}"

type cacheEntry struct {
	once sync.Once
	c    *compiled
}

// compiledFor returns the prepared form of a, compiling it once per distinct
// content. Keying by content rather than pointer keeps a mutated or
// re-parsed action from running stale templates.
func (r *Runtime) compiledFor(a *fmtda.Action) *compiled {
	key := fingerprint(a)
	v, _ := r.cache.LoadOrStore(key, &cacheEntry{})
	e := v.(*cacheEntry)
	e.once.Do(func() { e.c = compile(a) })
	return e.c
}

func compile(a *fmtda.Action) *compiled {
	c := &compiled{}
	if err := c.build(a); err != nil {
		return &compiled{err: err}
	}
	return c
}

func (c *compiled) build(a *fmtda.Action) error {
	req, resp := a.Config.Request, a.Config.Response
	c.method = strings.ToUpper(strings.TrimSpace(req.RequestType))
	switch c.method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return fmt.Errorf("requestType %q is not GET, POST, PUT, PATCH or DELETE", req.RequestType)
	}
	if ts := a.Config.TimeoutSeconds; ts > 0 {
		c.timeout = min(time.Duration(ts)*time.Second, MaxTimeout)
	}

	var err error
	var inputDoc any
	if c.inputSchema, inputDoc, err = compileSchema("inputSchema", a.Contract.Input.InputSchema); err != nil {
		return err
	}
	inputObj, _ := inputDoc.(map[string]any)
	if props, ok := inputObj["properties"].(map[string]any); ok {
		for name := range props {
			if strings.Contains(name, ".") {
				if c.dottedInputs == nil {
					c.dottedInputs = map[string]bool{}
				}
				c.dottedInputs[name] = true
			}
		}
	}
	var successDoc any
	if c.successSchema, successDoc, err = compileSchema("successSchema", a.Contract.Output.SuccessSchema); err != nil {
		return err
	}
	c.outputs = schemaOutputs(successDoc)

	if strings.TrimSpace(req.RequestURLTemplate) == "" {
		return fmt.Errorf("requestUrlTemplate is empty")
	}
	if c.url, err = velocity.Parse("requestUrlTemplate", req.RequestURLTemplate); err != nil {
		return err
	}
	names := make([]string, 0, len(req.Headers))
	for n := range req.Headers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t, err := velocity.Parse("headers["+n+"]", req.Headers[n])
		if err != nil {
			return err
		}
		c.headers = append(c.headers, header{name: n, tmpl: t})
	}
	// GET requests do not use the request template (api.md 5.2), so a broken
	// one must not fail them either.
	if c.method != http.MethodGet {
		if c.body, err = velocity.Parse("requestTemplate", req.RequestTemplate); err != nil {
			return err
		}
	}

	for name, path := range resp.TranslationMap {
		x, err := jp.ParseString(path)
		if err != nil {
			return fmt.Errorf("translationMap[%s]: JSONPath %q: %v", name, path, err)
		}
		c.paths = append(c.paths, pathVar{name: name, path: path, expr: x, definite: definite(x)})
	}
	sort.Slice(c.paths, func(i, j int) bool { return c.paths[i].name < c.paths[j].name })
	c.defaults = resp.TranslationMapDefaults

	st := resp.SuccessTemplate
	if strings.TrimSpace(st) == "" {
		st = defaultSuccessTemplate
	}
	if c.success, err = velocity.Parse("successTemplate", st); err != nil {
		return err
	}
	return nil
}

// definite reports whether a JSONPath can match at most one value (Jayway's
// "definite path"): only names and single indexes. Filters, wildcards, deep
// scans, slices and multi-member unions are indefinite and always yield an
// array.
func definite(x jp.Expr) bool {
	for _, f := range x {
		switch f := f.(type) {
		case jp.Root, jp.At, jp.Child, jp.Nth, jp.Bracket:
		case jp.Union:
			if len(f) != 1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// compileSchema compiles a contract schema, draft-04 unless it says
// otherwise. An absent schema validates nothing.
func compileSchema(name string, raw json.RawMessage) (*jsonschema.Schema, any, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil, nil, nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(trimmed))
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not JSON: %v", name, err)
	}
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft4)
	loc := "mem:///" + name + ".json"
	if err := comp.AddResource(loc, doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	s, err := comp.Compile(loc)
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not a valid JSON Schema: %v", name, err)
	}
	return s, doc, nil
}

// fingerprint hashes every field of an action directly (length-prefixed, maps
// in key order). It keys the compile cache by content, so an edited action is
// recompiled, without the cost of encoding the action as JSON on every call.
func fingerprint(a *fmtda.Action) [32]byte {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	putMap := func(m map[string]string) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		put(strconv.Itoa(len(keys)))
		for _, k := range keys {
			put(k)
			put(m[k])
		}
	}
	req, resp := a.Config.Request, a.Config.Response
	put(a.Name)
	put(a.IntegrationType)
	put(a.ActionType)
	put(strconv.FormatBool(a.Secure))
	put(strconv.Itoa(a.Config.TimeoutSeconds))
	put(req.RequestURLTemplate)
	put(req.RequestType)
	put(req.RequestTemplate)
	putMap(req.Headers)
	putMap(resp.TranslationMap)
	putMap(resp.TranslationMapDefaults)
	put(resp.SuccessTemplate)
	put(string(a.Contract.Input.InputSchema))
	put(string(a.Contract.Output.SuccessSchema))
	var out [32]byte
	h.Sum(out[:0])
	return out
}
