// Package verify checks a deployed bundle through the Platform API: every
// object exists with the expected name, type and wiring, flows are published,
// data actions carry exactly the rendered contracts and templates and pass
// their /test, Messenger is Active on the inbound flow (Deployment); a
// customer conversation through Messenger ends up linked to a contact seeded
// for the run (Conversation); and after a destroy, every managed object is
// gone (Destroyed). Run is Deployment then Conversation, as `bpgen verify`
// and the harness use them. The same code runs against a real org and
// against the emulated one (package internal/emulator/stack).
package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"strings"

	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
)

// Bundle is what verification reads from a rendered bundle.
type Bundle struct {
	Dir      string
	Manifest *manifest.Manifest
	// Actions are the exports, by manifest object id (data_action.<key>).
	Actions map[string]*fmtda.Action
}

// LoadBundle reads a bundle's manifest and exports.
func LoadBundle(dir string) (*Bundle, error) {
	fsys := manifest.Dir(dir)
	man, err := manifest.Load(fsys)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("not a rendered bundle: %w", err)
	}
	if err != nil {
		return nil, err
	}
	actions, err := man.Actions(fsys)
	if err != nil {
		return nil, err
	}
	return &Bundle{Dir: dir, Manifest: man, Actions: actions}, nil
}

// Check is one verified fact.
type Check struct {
	Object string `json:"object"`
	What   string `json:"what"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Report is the result of a verification.
type Report struct {
	Checks []Check `json:"checks"`
}

// Failed returns the failed checks.
func (r Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// Seed is a known contact for the data-action tests.
type Seed struct {
	ContactID       string
	IdentifierType  string
	IdentifierValue string
}

// Options tune a verification.
type Options struct {
	// Seed, when set, makes the lookup action's /test look it up.
	Seed *Seed
	// Progress receives one line per check as it completes.
	Progress io.Writer
}

type run struct {
	c   *api.Client
	b   *Bundle
	out map[string]string
	o   Options
	rep Report
}

func (r *run) add(obj, what string, err error, detail string) bool {
	c := Check{Object: obj, What: what, OK: err == nil, Detail: detail}
	if err != nil {
		c.Detail = err.Error()
	}
	r.rep.Checks = append(r.rep.Checks, c)
	if r.o.Progress != nil {
		mark := "ok  "
		if !c.OK {
			mark = "FAIL"
		}
		line := fmt.Sprintf("%s %-40s %s", mark, obj, what)
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintln(r.o.Progress, line)
	}
	return c.OK
}

func failf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// Deployment verifies every object of the bundle, given the Terraform outputs.
func Deployment(ctx context.Context, c *api.Client, b *Bundle, outputs map[string]string, o Options) Report {
	r := &run{c: c, b: b, out: outputs, o: o}
	for _, obj := range b.Manifest.Objects {
		id := outputs[obj.Output]
		if obj.Output != "" && id == "" {
			r.add(obj.ID, "has an id output", failf("output %q is missing or empty", obj.Output), "")
			continue
		}
		switch obj.Kind {
		case contract.KindFlow:
			r.flow(ctx, obj, id)
		case contract.KindDataAction:
			r.action(ctx, obj, id)
		case contract.KindIntegration:
			if obj.Managed {
				in, err := c.GetIntegration(ctx, id)
				if r.add(obj.ID, "exists", err, "") {
					r.add(obj.ID, "is enabled", want(strings.EqualFold(in.IntendedState, "ENABLED"), "intendedState is %q", in.IntendedState), "")
				}
			}
		case contract.KindQueue:
			q, err := c.GetQueue(ctx, id)
			if r.add(obj.ID, "exists", err, "") {
				r.add(obj.ID, "has the expected name", want(q.Name == obj.Name, "name is %q, want %q", q.Name, obj.Name), "")
			}
		case contract.KindMessengerDeployment:
			d, err := c.GetWebDeployment(ctx, id)
			if r.add(obj.ID, "exists", err, "") {
				r.add(obj.ID, "is Active", want(d.Status == "Active", "status is %q", d.Status), "")
				inbound := outputs[flowOutput(b.Manifest, contract.FlowInbound)]
				got := ""
				if d.Flow != nil {
					got = d.Flow.ID
				}
				r.add(obj.ID, "starts the inbound message flow", want(got != "" && got == inbound, "flow is %q, want %q", got, inbound), "")
			}
		case contract.KindOpenMessagingIntegration:
			_, err := c.GetOpenIntegration(ctx, id)
			r.add(obj.ID, "exists", err, "")
		case contract.KindOAuthClient:
			_, err := c.GetOAuthClient(ctx, id)
			r.add(obj.ID, "exists", err, "")
		case contract.KindRole:
			role, err := c.GetRole(ctx, id)
			if r.add(obj.ID, "exists", err, "") {
				for _, p := range requiredPermissions(b) {
					parts := strings.SplitN(p, ":", 3)
					r.add(obj.ID, "grants "+p, want(role.Allows(parts[0], parts[1], parts[2]), "not granted"), "")
				}
			}
		}
	}
	return r.rep
}

func want(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}

func flowOutput(m *manifest.Manifest, key string) string {
	if o := m.Object(contract.ObjectID(contract.KindFlow, key)); o != nil {
		return o.Output
	}
	return ""
}

// requiredPermissions are the grants the data actions' calls need.
func requiredPermissions(b *Bundle) []string {
	out := []string{"externalContacts:contact:view", "conversation:communication:view"}
	if b.Manifest.Object(contract.ObjectID(contract.KindDataAction, contract.ActionMerge)) != nil {
		out = append(out, "externalContacts:identity:merge")
	}
	if b.Manifest.Object(contract.ObjectID(contract.KindDataAction, contract.ActionAssociate)) != nil {
		out = append(out, "externalContacts:conversation:associate")
	}
	return out
}

func (r *run) flow(ctx context.Context, obj manifest.Object, id string) {
	f, err := r.c.GetFlow(ctx, id)
	if !r.add(obj.ID, "exists", err, "") {
		return
	}
	r.add(obj.ID, "has the expected name", want(f.Name == obj.Name, "name is %q, want %q", f.Name, obj.Name), "")
	r.add(obj.ID, "has type "+obj.FlowType, want(strings.EqualFold(f.Type, obj.FlowType), "type is %q", f.Type), "")
	r.add(obj.ID, "is published", want(f.PublishedVersion != nil, "no published version"), "")
}

func (r *run) action(ctx context.Context, obj manifest.Object, id string) {
	a, err := r.c.GetAction(ctx, id)
	if !r.add(obj.ID, "exists", err, "") {
		return
	}
	exp := r.b.Actions[obj.ID]
	r.add(obj.ID, "has the expected name and category", want(a.Name == obj.Name && a.Category == obj.Category,
		"name %q category %q, want %q %q", a.Name, a.Category, obj.Name, obj.Category), "")
	if exp != nil && a.Contract != nil {
		r.add(obj.ID, "carries the rendered contracts", want(sameJSON(a.Contract.Input.InputSchema, exp.Contract.Input.InputSchema) &&
			sameJSON(a.Contract.Output.SuccessSchema, exp.Contract.Output.SuccessSchema), "contracts differ from %s", obj.File), "")
	}
	if exp != nil && a.Config != nil {
		r.add(obj.ID, "carries the rendered templates", want(reflect.DeepEqual(a.Config.Request, exp.Config.Request) &&
			reflect.DeepEqual(a.Config.Response, exp.Config.Response), "request/response config differs from %s", obj.File), "")
	}
	if obj.Key == "lookup" && r.o.Seed != nil {
		input := map[string]string{"type": r.o.Seed.IdentifierType, "value": r.o.Seed.IdentifierValue}
		if r.o.Seed.IdentifierType == contract.IdentifierExternalID {
			// ExternalId values are scoped by their source (the lookup's contract).
			input["externalSourceId"] = r.out[contract.OutputSource]
		}
		res, err := r.c.TestAction(ctx, id, input)
		if err == nil && !res.Success {
			err = fmt.Errorf("test failed: %s", errText(res.Error))
		}
		if err == nil {
			var final struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(res.FinalResult, &final)
			err = want(final.ID == r.o.Seed.ContactID, "found %q, want the seeded contact %q", final.ID, r.o.Seed.ContactID)
		}
		r.add(obj.ID, "/test finds the seeded contact", err, "")
	}
}

func errText(e *api.ErrorBody) string {
	if e == nil {
		return "no error body"
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// getByKind reads one managed object by id, per kind Destroyed can check.
var getByKind = map[string]func(context.Context, *api.Client, string) error{
	contract.KindFlow:                     discard((*api.Client).GetFlow),
	contract.KindDataAction:               discard((*api.Client).GetAction),
	contract.KindIntegration:              discard((*api.Client).GetIntegration),
	contract.KindQueue:                    discard((*api.Client).GetQueue),
	contract.KindMessengerDeployment:      discard((*api.Client).GetWebDeployment),
	contract.KindOpenMessagingIntegration: discard((*api.Client).GetOpenIntegration),
	contract.KindOAuthClient:              discard((*api.Client).GetOAuthClient),
	contract.KindRole:                     discard((*api.Client).GetRole),
}

// discard keeps only a getter's error: Destroyed asks whether it exists.
func discard[T any](get func(*api.Client, context.Context, string) (T, error)) func(context.Context, *api.Client, string) error {
	return func(ctx context.Context, c *api.Client, id string) error {
		_, err := get(c, ctx, id)
		return err
	}
}

// Destroyed verifies that every managed object is gone (404).
func Destroyed(ctx context.Context, c *api.Client, b *Bundle, outputs map[string]string, o Options) Report {
	r := &run{c: c, b: b, out: outputs, o: o}
	for _, obj := range b.Manifest.Objects {
		id := outputs[obj.Output]
		if !obj.Managed || id == "" {
			continue
		}
		get, ok := getByKind[obj.Kind]
		if !ok {
			continue
		}
		err := get(ctx, c, id)
		switch {
		case err == nil:
			r.add(obj.ID, "is gone", failf("still exists (%s)", id), "")
		case api.IsNotFound(err):
			r.add(obj.ID, "is gone", nil, "")
		default:
			r.add(obj.ID, "is gone", fmt.Errorf("could not tell: %w", err), "")
		}
	}
	return r.rep
}
