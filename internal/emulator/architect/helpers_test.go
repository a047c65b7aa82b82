package architect

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/testutil"
)

// bundles are the committed bundles: the repository root and every example.
func bundles(t testing.TB) []string {
	t.Helper()
	return testutil.CommittedBundles(t, "../../..")
}

// bundleFS copies a bundle's files into memory so a test can alter them.
func bundleFS(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, sub := range []string{"bpgen.manifest.json", "flows", "exports"} {
		err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// edit replaces old with new in one file of fsys; old must occur.
// edit replaces the first occurrence of old in a bundle file and returns the
// 1-based line where the replacement starts. In old and new, "⏎" stands for a
// newline and whatever indentation follows it, so edits survive changes in
// how deeply the generator nests the flow.
func edit(t testing.TB, fsys fstest.MapFS, file, old, new string) int {
	t.Helper()
	f := fsys[file]
	parts := strings.Split(old, "⏎")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	re := regexp.MustCompile(strings.Join(parts, `\n([ \t]*)`))
	loc := re.FindSubmatchIndex(f.Data)
	if loc == nil {
		t.Fatalf("%s does not contain %q", file, old)
	}
	indent := ""
	if len(loc) >= 4 && loc[2] >= 0 {
		indent = string(f.Data[loc[2]:loc[3]])
	}
	repl := strings.ReplaceAll(new, "⏎", "\n"+indent)
	line := 1 + strings.Count(string(f.Data[:loc[0]]), "\n")
	f.Data = append(append(append([]byte{}, f.Data[:loc[0]]...), repl...), f.Data[loc[1]:]...)
	return line
}

// customer scripts replies per conversation: the next reply is sent when the
// bot waits; an empty string is silence.
type customer struct {
	o       *org.Org
	mu      sync.Mutex
	replies map[string][]string // by conversation; "*" for any
	asked   []AwaitInput
}

func (c *customer) await(in AwaitInput) bool {
	c.mu.Lock()
	c.asked = append(c.asked, in)
	key := in.ConversationID
	if _, ok := c.replies[key]; !ok {
		key = "*"
	}
	rs := c.replies[key]
	if len(rs) == 0 {
		c.mu.Unlock()
		return false
	}
	next := rs[0]
	c.replies[key] = rs[1:]
	c.mu.Unlock()
	if next == "" {
		return false
	}
	_, err := c.o.SendCustomerMessage(in.ConversationID, next)
	return err == nil
}

type env struct {
	t    testing.TB
	org  *org.Org
	rt   *Runtime
	cust *customer
}

// start runs b in a fresh org with a scripted customer whose replies to
// every conversation are replies.
func start(t testing.TB, b *Bundle, opts Options, replies ...string) *env {
	t.Helper()
	o := org.New()
	c := &customer{o: o, replies: map[string][]string{"*": replies}}
	if opts.OnAwaitInput == nil {
		opts.OnAwaitInput = c.await
	}
	rt, _, err := startIn(o, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close() })
	return &env{t: t, org: o, rt: rt, cust: c}
}

func load(t testing.TB, dir string) *Bundle {
	t.Helper()
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadFS(t testing.TB, fsys fs.FS) *Bundle {
	t.Helper()
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// converse starts a web-messaging conversation and waits for its flow.
func (e *env) converse(opts org.StartConversationOptions) (*Result, org.Conversation) {
	e.t.Helper()
	if opts.Text == "" {
		opts.Text = "Hi"
	}
	c, err := e.org.StartConversation(opts)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := e.rt.Wait(ctx, c.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	c, _ = e.org.Conversation(c.ID)
	return res, c
}

// botLines returns what the customer saw.
func botLines(c org.Conversation) []string {
	var out []string
	for _, m := range c.Messages {
		if m.Direction == "outbound" {
			out = append(out, m.Text)
		}
	}
	return out
}

func (e *env) contact(c org.Contact) org.Contact {
	e.t.Helper()
	out, err := e.org.CreateContact(c)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) canonical(id string) string {
	e.t.Helper()
	c, err := e.org.CanonicalID(id)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// standIn is what a runtime unit test stands in the org for the runtime to
// run on (a real deployment is internal/emulator/deploy's, which imports this
// package): a data-actions client, the external source under the id Load
// substituted, and an open-messaging integration routed to the inbound flow.
type standIn struct {
	externalSourceID, openMessagingID string
}

// startIn is Start on o after standing in the deployment's objects.
func startIn(o *org.Org, b *Bundle, opts Options) (*Runtime, standIn, error) {
	var s standIn
	client := DataActionsClient{ID: "runtime-test-data-actions", Secret: "runtime-test-secret"}
	if err := o.RegisterClient(org.OAuthClient{ID: client.ID, Secret: client.Secret}); err != nil {
		return nil, s, err
	}
	if b.ExternalSourceID != "" {
		src := b.Manifest.ByKind(contract.KindExternalSource)[0]
		if _, err := o.CreateExternalSource(org.ExternalSource{ID: b.ExternalSourceID, Name: src.Name}); err != nil {
			return nil, s, err
		}
		s.externalSourceID = b.ExternalSourceID
	}
	if om := b.Manifest.Channels.OpenMessaging; om != nil {
		resolve := om.ResolveIdentities
		in := org.OpenIntegration{Name: "Open Messaging", FlowName: b.InboundFlowName(), ResolveIdentities: &resolve}
		if resolve {
			in.ExternalSourceID = s.externalSourceID
		}
		v, err := o.AddOpenIntegration(in)
		if err != nil {
			return nil, s, err
		}
		s.openMessagingID = v.ID
	}
	opts.DataActionsClient = &client
	rt, err := Start(o, b, opts)
	return rt, s, err
}
