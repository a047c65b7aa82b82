// Package wire does, through the Platform API, what the Terraform provider
// cannot: after `terraform apply` it binds an open-messaging integration's
// message recipient to the bundle's inbound message flow, and turns on the
// platform's identity resolution for the open-messaging integration and the
// Messenger deployment when bpgen.yaml asks for it.
//
// It is idempotent in the Terraform sense: Plan reads every setting and
// compares it with what the bundle wants, Apply writes only the settings that
// differ, and a second run reports everything unchanged without writing.
// Which settings apply comes from the bundle's manifest (its channels and
// their resolveIdentities flags); which org objects they live on comes from
// the Terraform outputs each manifest object names.
//
// A setting the config does not ask for is never written: a bundle without
// resolveIdentities leaves identity resolution exactly as an admin set it,
// on or off, and Plan reports it as left alone.
package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// Setting names one thing wire manages. The values are stable: they appear
// in `bpgen wire --json`.
type Setting string

const (
	// OpenIdentityResolution is the open-messaging integration's
	// identity-resolution setting (resolveIdentities and its external source).
	OpenIdentityResolution Setting = "openMessaging.identityResolution"
	// OpenRecipientFlow is the inbound message flow bound to the
	// open-messaging integration's message recipient.
	OpenRecipientFlow Setting = "openMessaging.recipientFlow"
	// WebIdentityResolution is the Messenger deployment's identity-resolution switch.
	WebIdentityResolution Setting = "webMessaging.identityResolution"
)

// Status is what happened, or would happen, to a setting. The values are
// stable: they appear in `bpgen wire --json`.
type Status string

const (
	// Unchanged: the org already has what the bundle wants.
	Unchanged Status = "unchanged"
	// WouldChange: the setting differs; Apply will write it.
	WouldChange Status = "wouldChange"
	// Changed: Apply wrote the setting.
	Changed Status = "changed"
	// Failed: reading or writing the setting failed; Change.Err says why.
	Failed Status = "failed"
	// LeftAlone: the config does not ask for the setting, so it is neither
	// read nor written, whatever its value.
	LeftAlone Status = "leftAlone"
)

// Label is the status as a person reads it: "would change", "left alone".
func (s Status) Label() string {
	switch s {
	case WouldChange:
		return "would change"
	case LeftAlone:
		return "left alone"
	}
	return string(s)
}

// Change is one setting: where it lives, what it is, what the bundle wants.
type Change struct {
	Setting Setting `json:"setting"`
	// Object is the manifest object the setting belongs to, e.g.
	// "open_messaging_integration"; Name is its display name and ID its id
	// in the org (from the Terraform outputs).
	Object string `json:"object"`
	Name   string `json:"name,omitempty"`
	ID     string `json:"id,omitempty"`
	Status Status `json:"status"`
	// Before and After are the setting as a person reads it, e.g. "off" →
	// "on, external source \"Partner CRM\"". Unchanged settings have
	// After == Before; Before is empty when it could not be read.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Note explains a LeftAlone setting.
	Note string `json:"note,omitempty"`
	// Err is why a Failed setting failed.
	Err error `json:"-"`

	// write performs the change; set while Status is WouldChange.
	write func(ctx context.Context, c *api.Client) error
}

// MarshalJSON adds Err as "error".
func (ch Change) MarshalJSON() ([]byte, error) {
	type plain Change // no methods: no recursion
	out := struct {
		plain
		Error string `json:"error,omitempty"`
	}{plain: plain(ch)}
	if ch.Err != nil {
		out.Error = ch.Err.Error()
	}
	return json.Marshal(out)
}

// String is the change as one readable line, without its status:
//
//	open messaging "Support": recipient's inbound flow: none → "Identity Resolution Message Flow"
func (ch Change) String() string {
	var b strings.Builder
	b.WriteString(ch.what())
	switch {
	case ch.Status == LeftAlone:
		b.WriteString(": " + ch.Note)
	case ch.Before != "" && ch.After != "" && ch.Before != ch.After:
		b.WriteString(": " + ch.Before + " → " + ch.After)
	case ch.After != "":
		b.WriteString(": " + ch.After)
	case ch.Before != "":
		b.WriteString(": " + ch.Before)
	}
	if ch.Err != nil {
		b.WriteString(": " + ch.Err.Error())
	}
	return b.String()
}

// what names the setting and its object, e.g. `open messaging "X": identity resolution`.
func (ch Change) what() string {
	owner := map[string]string{
		objOpen:      "open messaging",
		objMessenger: "Messenger deployment",
	}[ch.Object]
	if owner == "" {
		owner = ch.Object
	}
	if ch.Name != "" {
		owner += " " + strconv.Quote(ch.Name)
	}
	what := map[Setting]string{
		OpenIdentityResolution: "identity resolution",
		OpenRecipientFlow:      "recipient's inbound flow",
		WebIdentityResolution:  "identity resolution",
	}[ch.Setting]
	return owner + ": " + what
}

// FailedChanges returns the changes whose read or write failed.
func FailedChanges(changes []Change) []Change {
	var out []Change
	for _, ch := range changes {
		if ch.Status == Failed {
			out = append(out, ch)
		}
	}
	return out
}

// Count returns how many changes have status s.
func Count(changes []Change, s Status) int {
	n := 0
	for _, ch := range changes {
		if ch.Status == s {
			n++
		}
	}
	return n
}

// Manifest object ids wire needs.
const (
	objOpen      = contract.KindOpenMessagingIntegration
	objInbound   = contract.KindFlow + "." + contract.FlowInbound // contract.ObjectID, as a constant
	objSource    = contract.KindExternalSource
	objMessenger = contract.KindMessengerDeployment
)

// RequiredOutputs lists the Terraform outputs Plan reads for this bundle, in
// a stable order. It is empty when the bundle asks wire to do nothing (a
// web-messaging bundle without resolveIdentities): then Plan needs neither
// outputs nor a client. The error says when the manifest is inconsistent
// (a channel without the objects that implement it).
func RequiredOutputs(m *manifest.Manifest) ([]string, error) {
	var ids []string
	if om := m.Channels.OpenMessaging; om != nil {
		ids = append(ids, objOpen, objInbound)
		if om.ResolveIdentities {
			ids = append(ids, objSource)
		}
	}
	if wm := m.Channels.WebMessaging; wm != nil && wm.ResolveIdentities {
		ids = append(ids, objMessenger)
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		o := m.Object(id)
		if o == nil || o.Output == "" {
			return nil, fmt.Errorf("%s: the bundle's channels need object %q with an id output, and it has none: re-render the bundle", manifest.Path, id)
		}
		out = append(out, o.Output)
	}
	return out, nil
}

// Plan reads every setting the bundle manages and compares it with what the
// bundle wants; it writes nothing. outputs are the Terraform outputs (output
// name → value, as `terraform output -json` prints them decoded).
//
// The returned error means Plan could not start: the manifest is
// inconsistent or an output it needs is missing or empty. A setting that
// could not be read is a Change with status Failed, and the others are
// still planned. When RequiredOutputs is empty, Plan makes no call and c
// may be nil.
func Plan(ctx context.Context, c *api.Client, m *manifest.Manifest, outputs map[string]string) ([]Change, error) {
	need, err := RequiredOutputs(m)
	if err != nil {
		return nil, err
	}
	if err := CheckOutputs(m, outputs); err != nil {
		return nil, err
	}
	if len(need) > 0 && c == nil {
		return nil, errors.New("wire: Plan needs a client for this bundle")
	}
	id := func(obj string) string { return strings.TrimSpace(outputs[m.Object(obj).Output]) }

	var changes []Change
	if om := m.Channels.OpenMessaging; om != nil {
		open := m.Object(objOpen)
		inbound := m.Object(objInbound)
		integ, ierr := c.GetOpenIntegration(ctx, id(objOpen))
		if ierr != nil {
			ierr = fmt.Errorf("reading the integration (output %s): %w", open.Output, ierr)
		}
		// Identity resolution first, so that by the time the recipient
		// routes conversations to the flow, the platform already resolves
		// the senders of those first conversations.
		ir := Change{Setting: OpenIdentityResolution, Object: objOpen, Name: open.Name, ID: id(objOpen)}
		switch {
		case !om.ResolveIdentities:
			ir.Status = LeftAlone
			ir.Note = "not asked for (channels.openMessaging.resolveIdentities is off), so the org's setting is kept as it is"
		case ierr != nil:
			ir.Status, ir.Err = Failed, ierr
		default:
			src := m.Object(objSource)
			planOpenResolution(ctx, c, &ir, id(objSource), src.Name)
		}
		changes = append(changes, ir)

		rf := Change{Setting: OpenRecipientFlow, Object: objOpen, Name: open.Name, ID: id(objOpen)}
		if ierr != nil {
			rf.Status, rf.Err = Failed, ierr
		} else {
			planRecipient(ctx, c, &rf, integ, id(objInbound), inbound.Name)
		}
		changes = append(changes, rf)
	}
	if wm := m.Channels.WebMessaging; wm != nil {
		dep := m.Object(objMessenger)
		ch := Change{Setting: WebIdentityResolution, Object: objMessenger}
		if dep != nil {
			ch.Name = dep.Name
		}
		if wm.ResolveIdentities {
			ch.ID = id(objMessenger)
			planWebResolution(ctx, c, &ch)
		} else {
			ch.Status = LeftAlone
			ch.Note = "not asked for (channels.webMessaging.resolveIdentities is off), so the org's setting is kept as it is"
		}
		changes = append(changes, ch)
	}
	return changes, nil
}

// Apply writes every change Plan found (status WouldChange) and returns the
// changes with their new status: Changed, or Failed with the error. A failed
// write does not stop the others, which are independent. The error joins
// every failure, planning failures included, so a nil error means the org
// now has everything the bundle asks for.
func Apply(ctx context.Context, c *api.Client, changes []Change) ([]Change, error) {
	out := make([]Change, len(changes))
	var errs []error
	for i, ch := range changes {
		if ch.Status == WouldChange {
			if err := ch.write(ctx, c); err != nil {
				ch.Status, ch.Err = Failed, err
			} else {
				ch.Status = Changed
			}
			ch.write = nil
		}
		if ch.Status == Failed {
			errs = append(errs, fmt.Errorf("%s: %w", ch.what(), ch.Err))
		}
		out[i] = ch
	}
	return out, errors.Join(errs...)
}

// CheckOutputs returns a *MissingOutputsError when outputs lack an id the
// bundle's wiring needs, so a caller can refuse them before signing in.
func CheckOutputs(m *manifest.Manifest, outputs map[string]string) error {
	need, err := RequiredOutputs(m)
	if err != nil {
		return err
	}
	var missing []string
	for _, name := range need {
		if strings.TrimSpace(outputs[name]) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return &MissingOutputsError{Names: missing}
	}
	return nil
}

// MissingOutputsError is Plan's error when the Terraform outputs lack an id
// it needs: usually `terraform apply` has not run, or ran on another bundle.
type MissingOutputsError struct {
	Names []string
}

func (e *MissingOutputsError) Error() string {
	return fmt.Sprintf("the Terraform outputs have no %s: has `terraform apply` run for this bundle?", strings.Join(e.Names, ", "))
}

// planRecipient compares the flow bound to the integration's recipient with
// the bundle's inbound message flow.
func planRecipient(ctx context.Context, c *api.Client, ch *Change, integ *apimodel.OpenIntegration, flowID, flowName string) {
	if integ.Recipient == nil || integ.Recipient.ID == "" {
		// The platform creates the integration (and its recipient)
		// asynchronously; createStatus says how far it got.
		ch.Status = Failed
		ch.Err = fmt.Errorf("the integration has no message recipient yet (createStatus %q): run bpgen wire again once it is created", integ.CreateStatus)
		if integ.CreateError != nil && integ.CreateError.Message != "" {
			ch.Err = fmt.Errorf("%w; creation failed: %s", ch.Err, integ.CreateError.Message)
		}
		return
	}
	recipientID := integ.Recipient.ID
	rec, err := c.GetMessageRecipient(ctx, recipientID)
	if err != nil {
		ch.Status, ch.Err = Failed, fmt.Errorf("reading the message recipient: %w", err)
		return
	}
	ch.Before = describeFlow(rec.Flow, flowID, flowName)
	ch.After = describeFlow(&apimodel.Ref{ID: flowID}, flowID, flowName)
	if rec.Flow != nil && rec.Flow.ID == flowID {
		ch.Status, ch.After = Unchanged, ch.Before
		return
	}
	ch.Status = WouldChange
	ch.write = func(ctx context.Context, c *api.Client) error {
		_, err := c.SetMessageRecipientFlow(ctx, recipientID, apimodel.Ref{ID: flowID, Name: flowName})
		return err
	}
}

func describeFlow(f *apimodel.Ref, wantID, wantName string) string {
	switch {
	case f == nil || f.ID == "":
		return "none"
	case f.ID == wantID && wantName != "":
		return strconv.Quote(wantName)
	case f.Name != "":
		return strconv.Quote(f.Name)
	}
	return "flow " + f.ID
}

// planOpenResolution compares the integration's identity-resolution setting
// with "on, keyed on the bundle's external source". The division the org
// holds is kept: the bundle has no opinion on it.
func planOpenResolution(ctx context.Context, c *api.Client, ch *Change, sourceID, sourceName string) {
	before, err := readResolution(ctx, ch.ID, c.GetOpenIdentityResolution)
	if err != nil {
		ch.Status, ch.Err = Failed, err
		return
	}
	want := apimodel.IdentityResolutionConfig{
		ResolveIdentities: true,
		ExternalSource:    &apimodel.ExternalSource{ID: sourceID},
		Division:          idOnly(before.Division),
	}
	ch.Before = describeOpen(before, sourceID, sourceName)
	ch.After = describeOpen(&want, sourceID, sourceName)
	if before.ResolveIdentities && before.ExternalSource != nil && before.ExternalSource.ID == sourceID {
		ch.Status = Unchanged
		return
	}
	ch.Status = WouldChange
	integrationID := ch.ID
	ch.write = func(ctx context.Context, c *api.Client) error {
		_, err := c.SetOpenIdentityResolution(ctx, integrationID, want)
		return err
	}
}

func describeOpen(cfg *apimodel.IdentityResolutionConfig, sourceID, sourceName string) string {
	s := onOff(cfg.ResolveIdentities)
	switch src := cfg.ExternalSource; {
	case src == nil || src.ID == "":
		return s + ", no external source"
	case src.ID == sourceID && sourceName != "":
		return s + ", external source " + strconv.Quote(sourceName)
	case src.Name != "":
		return s + ", external source " + strconv.Quote(src.Name)
	default:
		return s + ", external source " + src.ID
	}
}

// planWebResolution compares the deployment's identity-resolution switch
// with "on". Everything else in the setting (automerge, an external source,
// the division) is what an admin chose and is written back unchanged,
// because the PUT replaces the whole setting.
func planWebResolution(ctx context.Context, c *api.Client, ch *Change) {
	// Read the deployment first, so a stale output is reported as a
	// missing deployment rather than as a setting that was never saved.
	if _, err := c.GetWebDeployment(ctx, ch.ID); err != nil {
		ch.Status, ch.Err = Failed, fmt.Errorf("reading the deployment: %w", err)
		return
	}
	before, err := readResolution(ctx, ch.ID, c.GetWebDeploymentIdentityResolution)
	if err != nil {
		ch.Status, ch.Err = Failed, err
		return
	}
	ch.Before, ch.After = onOff(before.ResolveIdentities), onOff(true)
	if before.ResolveIdentities {
		ch.Status = Unchanged
		return
	}
	want := *before
	want.ResolveIdentities = true
	want.Division = idOnly(before.Division)
	want.ExternalSource = nil // like idOnly: the source's id alone, or none
	if src := before.ExternalSource; src != nil && src.ID != "" {
		want.ExternalSource = &apimodel.ExternalSource{ID: src.ID}
	}
	want.SelfURI = ""
	ch.Status = WouldChange
	deploymentID := ch.ID
	ch.write = func(ctx context.Context, c *api.Client) error {
		_, err := c.SetWebDeploymentIdentityResolution(ctx, deploymentID, want)
		return err
	}
}

// readResolution reads an identity-resolution setting. A 404 for an object
// that exists (the caller has read it) is taken as a setting never saved,
// which behaves as off. inferred: the API reference does not say whether
// an unconfigured setting reads as 404 or as resolveIdentities false.
func readResolution(ctx context.Context, id string, get func(context.Context, string) (*apimodel.IdentityResolutionConfig, error)) (*apimodel.IdentityResolutionConfig, error) {
	cfg, err := get(ctx, id)
	if api.IsNotFound(err) {
		return &apimodel.IdentityResolutionConfig{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the setting: %w", err)
	}
	return cfg, nil
}

func idOnly(r *apimodel.Ref) *apimodel.Ref {
	if r == nil || r.ID == "" {
		return nil
	}
	return &apimodel.Ref{ID: r.ID}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
