package verify

import (
	"context"
	"fmt"
	"io"

	"github.com/bpgen/bpgen/internal/platform/api"
)

// RunOptions tune Run.
type RunOptions struct {
	// RunID identifies the run (default NewRunID()).
	RunID string
	// NoConversation skips the conversation end to end.
	NoConversation bool
	// Conversation tunes the conversation; its RunID and Progress default
	// to the run's.
	Conversation ConversationOptions
	// Progress receives one line per check as it completes.
	Progress io.Writer
}

// Result is a whole verification.
type Result struct {
	// Report holds every check: the deployment's, then the conversation's.
	Report
	// Conversation is nil with NoConversation.
	Conversation *ConversationResult `json:"conversation,omitempty"`
}

// Run verifies a deployed bundle the way `bpgen verify` and the harness do:
// every object (Deployment), with a contact seeded for the lookup action's
// /test and deleted before the conversation (two contacts owning one value
// would make the conversation's lookup ambiguous), then the conversation end
// to end (Conversation).
func Run(ctx context.Context, c *api.Client, b *Bundle, outputs map[string]string, o RunOptions) Result {
	if o.RunID == "" {
		o.RunID = NewRunID()
	}
	r := &run{c: c, b: b, out: outputs, o: Options{Progress: o.Progress}}
	const seedObject = "seed"
	var seeded *SeededContact
	var seed *Seed
	if len(b.Manifest.Identifiers) > 0 {
		first := b.Manifest.Identifiers[0].Type
		sc, err := SeedContact(ctx, c, b, outputs, o.RunID+"-lookup")
		detail := ""
		if err == nil {
			seeded, seed = sc, sc.Seed(first)
			detail = fmt.Sprintf("%s %s", first, sc.Values[first])
		}
		r.add(seedObject, "seeds a contact for the lookup action's /test", err, detail)
	}
	dep := Deployment(ctx, c, b, outputs, Options{Seed: seed, Progress: o.Progress})
	r.rep.Checks = append(r.rep.Checks, dep.Checks...)
	if seeded != nil {
		r.add(seedObject, "deletes the contact", seeded.Delete(context.WithoutCancel(ctx), c), "")
	}
	res := Result{Report: r.rep}
	if !o.NoConversation {
		co := o.Conversation
		if co.RunID == "" {
			co.RunID = o.RunID
		}
		if co.Progress == nil {
			co.Progress = o.Progress
		}
		res.Conversation = Conversation(ctx, c, b, outputs, co)
		res.Checks = append(res.Checks, res.Conversation.Checks...)
	}
	return res
}
