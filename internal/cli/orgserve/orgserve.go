// Package orgserve is `bpgen org serve`: the emulated org on a port, with a
// bundle loaded and its flows answering every conversation, for poking at by
// hand with curl or a client under test.
package orgserve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/cli/orgaccess"
	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/format/tfoutputs"
)

// Command builds `bpgen org` with its `serve` subcommand.
func Command(env *clienv.Env) *cobra.Command {
	parent := &cobra.Command{
		Use:   "org",
		Short: "The emulated Genesys Cloud org",
	}
	var bundleDir, addr, outputsPath string
	var dryRun, quiet, empty bool
	var keepTraces, keepConversations int
	serve := &cobra.Command{
		Use:   "serve (--bundle dir | --empty) [--addr 127.0.0.1:8080]",
		Short: "Serve the emulated org with a bundle's flows attached",
		Long: `Serve starts the emulated org on --addr with the bundle applied to it as
terraform apply would (every object, the same outputs) and the flows answering
every conversation. It prints the client credentials to use, writes the
outputs in terraform output -json form for bpgen verify and bpgen wire (to
--outputs, kept; by default a temporary file removed on exit), and serves
until interrupted. The printed verify command carries no secret: it reads the
client from BPGEN_ORG_CLIENT_ID and BPGEN_ORG_CLIENT_SECRET. Each finished
conversation prints one line and its flow trace; -q prints the line only.
Memory stays bounded: the org keeps the last --keep-conversations settled
conversations (ended, or handed to the queue, which no agent answers here)
with their messages and Ephemeral contacts, and forgets older ones.

Besides the Platform API paths (/oauth/token, /api/v2/...), a few /emulator/
paths (no token needed) drive conversations by hand:

  POST /emulator/conversations            {"text": "Hi", "customAttributes": {...}}
  POST /emulator/conversations/{id}/messages   {"text": "jane@example.com"}
  GET  /emulator/conversations/{id}       transcript, contact and flow trace

With --empty nothing is applied: the org has its home division and settings
only, and a real client populates it over the API, for example the Terraform
provider with its gateway block pointed at --addr (see the README, "A local
org for Terraform"). Flows it publishes through Architect jobs are compiled
and answer conversations as bundle flows do. Admin paths for a running org:

  POST   /emulator/faults   {"endpoint": "GET /api/v2/flows/**", "status": 429, "retryAfterMs": 2000, "times": 1}
  GET    /emulator/faults   DELETE /emulator/faults[/{id}]
  PUT    /emulator/oauth/clients/{clientId}/roles   [{"roleId": "...", "divisionId": "*"}]
         (the one-time grant an administrator makes to a client-credentials client)
  POST   /emulator/users    {"name": "Agent One", "email": "agent.one@example.com"}
         (a person, for data.genesyscloud_user and queue members)

With --dry-run the org is set up and described, then the command exits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if empty && cmd.Flags().Changed("bundle") {
				return clienv.Exit(clienv.ExitInput, "--empty and --bundle exclude each other: --empty applies no bundle")
			}
			so := serveOptions{bundleDir, addr, outputsPath, dryRun, quiet, empty, keepTraces, keepConversations}
			if empty {
				return runEmpty(cmd.Context(), env, so)
			}
			return run(cmd.Context(), env, so)
		},
	}
	serve.Flags().StringVar(&bundleDir, "bundle", ".", "bundle directory (where bpgen.manifest.json is)")
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	serve.Flags().BoolVar(&empty, "empty", false, "apply no bundle: serve an org with only its home division, for a real client (the Terraform provider) to populate")
	serve.Flags().BoolVar(&dryRun, "dry-run", false, "set the org up, print what serve would, and exit")
	serve.Flags().StringVar(&outputsPath, "outputs", "", "`file` to write the Terraform outputs to, kept on exit (default: a temporary file removed on exit)")
	serve.Flags().BoolVarP(&quiet, "quiet", "q", false, "one line per finished conversation, no flow trace")
	serve.Flags().IntVar(&keepTraces, "keep-traces", 200, "finished conversations whose flow traces GET /emulator/conversations/{id} keeps (older ones keep how they ended); bounds memory")
	serve.Flags().IntVar(&keepConversations, "keep-conversations", 1000, "settled conversations (ended, or handed to a queue) the org keeps with their messages, participant data and Ephemeral contact; older ones are forgotten (404); bounds memory")
	parent.AddCommand(serve)
	return parent
}

type serveOptions struct {
	bundleDir, addr, outputs string
	dryRun, quiet, empty     bool
	keepTraces               int
	keepConversations        int
}

func run(ctx context.Context, env *clienv.Env, so serveOptions) error {
	bundleDir := so.bundleDir
	if so.keepTraces < 1 {
		return clienv.Exit(clienv.ExitInput, "--keep-traces must be at least 1")
	}
	if so.keepConversations < 1 {
		return clienv.Exit(clienv.ExitInput, "--keep-conversations must be at least 1")
	}
	onDone := reporter(env, so.quiet)
	// The bundle is applied as `terraform apply` would (same objects, same
	// outputs) and its flows attached, so bpgen verify and bpgen wire work
	// against this org exactly as against a real one.
	e, err := stack.Start(bundleDir, &stack.Options{Addr: so.addr, OnDone: onDone, KeepTraces: so.keepTraces, KeepConversations: so.keepConversations})
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	defer e.Close()
	hasMessenger := e.Outputs[contract.OutputMessengerDepl] != ""
	e.SetHandler(handler(e.Org, e.Runtime, func() bool { return hasMessenger }))
	outputs, err := writeOutputs(e, so.outputs)
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	if so.outputs == "" {
		// A temporary file is this run's alone: it goes when the run does.
		defer os.Remove(outputs)
	}
	describe(env.Stdout, e, bundleDir, outputs)
	return serveUntilStopped(ctx, env, so.dryRun)
}

// writeOutputs saves the deployment's outputs in `terraform output -json`
// form, for bpgen verify --outputs and bpgen wire --outputs: to path, or
// to a new temporary file when path is "".
func writeOutputs(e *stack.Org, path string) (string, error) {
	b, err := tfoutputs.Marshal(e.Outputs)
	if err != nil {
		return "", err
	}
	var f *os.File
	if path != "" {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	} else {
		f, err = os.CreateTemp("", "bpgen-org-outputs-*.json")
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		return "", err
	}
	return f.Name(), nil
}

func describe(w io.Writer, e *stack.Org, dir, outputs string) {
	b := e.Runtime.Bundle()
	fmt.Fprintf(w, "Emulated org for bundle %s at %s (bundle applied as terraform apply would)\n", dir, e.URL)
	// A throw-away client of this local emulator, not a credential of any real org.
	fmt.Fprintf(w, "OAuth client (POST %s/oauth/token, grant_type=client_credentials):\n", e.URL)
	fmt.Fprintf(w, "  client id:     %s\n", e.ClientID)
	fmt.Fprintf(w, "  client secret: %s\n", e.ClientSecret.Reveal())
	fmt.Fprintf(w, "Terraform outputs: %s\n", outputs)
	if id := e.Outputs[contract.OutputOpenMessaging]; id != "" {
		fmt.Fprintf(w, "Open messaging inbound: POST %s/api/v2/conversations/messages/%s/inbound/open/message\n", e.URL, id)
	}
	if id := e.Outputs[contract.OutputMessengerDepl]; id != "" {
		fmt.Fprintf(w, "Messenger deployment: %s (guest WebSocket ws%s/v1?deploymentId=%s)\n", id, strings.TrimPrefix(e.URL, "http"), id)
	}
	fmt.Fprintf(w, "Queue: %s\n", b.Queue())
	for _, f := range b.Flows() {
		fmt.Fprintf(w, "Flow %s: %s (%s)\n", f.Type, f.Name, f.File)
	}
	fmt.Fprintf(w, "Start a web-messaging conversation: POST %s/emulator/conversations {\"text\": \"Hi\"}\n", e.URL)
	// No secret on a command line (shell history, process list): the
	// command reads the client from bpgen's --org-url variables.
	fmt.Fprintf(w, "Verify it, with %s and %s set to the client above:\n", orgaccess.EnvOrgClientID, orgaccess.EnvOrgClientSecret)
	fmt.Fprintf(w, "  bpgen verify --bundle %s --org-url %s --outputs %s\n", dir, e.URL, outputs)
}

// reporter prints one line per finished conversation and, unless quiet,
// its flow trace.
func reporter(env *clienv.Env, quiet bool) func(*architect.Result) {
	var out sync.Mutex // conversation reports come from many goroutines
	return func(r *architect.Result) {
		out.Lock()
		defer out.Unlock()
		fmt.Fprintf(env.Stdout, "conversation %s: %s", r.ConversationID, r.Ended)
		if r.Queue != "" {
			fmt.Fprintf(env.Stdout, " to queue %q", r.Queue)
		}
		fmt.Fprintln(env.Stdout)
		if !quiet {
			_ = r.Trace.Write(env.Stdout, "  ")
		}
	}
}

// hostPort splits a base URL for the provider's gateway block.
func hostPort(base string) (host, port string) {
	u, err := url.Parse(base)
	if err != nil {
		return base, ""
	}
	return u.Hostname(), u.Port()
}

func handler(o *org.Org, rt *architect.Runtime, hasMessenger func() bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", o.Handler())
	mux.HandleFunc("POST /emulator/conversations", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Text             string            `json:"text"`
			CustomAttributes map[string]string `json:"customAttributes"`
		}
		if !decode(w, r, &in) {
			return
		}
		if strings.TrimSpace(in.Text) == "" {
			in.Text = "Hello"
		}
		// As on the platform, a web-messaging conversation needs a
		// Messenger deployment: a bundle with web messaging disabled has
		// none, and guests cannot connect.
		if !hasMessenger() {
			reply(w, http.StatusBadRequest, map[string]string{"error": "the bundle deploys no Messenger deployment (web messaging is disabled), so no web-messaging conversation can start; use the open-messaging inbound endpoint"})
			return
		}
		c, err := o.StartConversation(org.StartConversationOptions{Channel: org.ChannelWebMessaging, Text: in.Text,
			CustomAttributes: in.CustomAttributes, FlowName: rt.Bundle().InboundFlowName()})
		if err != nil {
			reply(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		reply(w, http.StatusCreated, map[string]string{"conversationId": c.ID, "contactId": c.Customer.ExternalContactID})
	})
	mux.HandleFunc("POST /emulator/conversations/{id}/messages", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Text string `json:"text"`
		}
		if !decode(w, r, &in) {
			return
		}
		m, err := o.SendCustomerMessage(r.PathValue("id"), in.Text)
		if err != nil {
			reply(w, org.StatusOf(err), map[string]string{"error": err.Error()})
			return
		}
		reply(w, http.StatusCreated, map[string]string{"messageId": m.ID})
	})
	mux.HandleFunc("GET /emulator/conversations/{id}", func(w http.ResponseWriter, r *http.Request) {
		c, err := o.Conversation(r.PathValue("id"))
		if err != nil {
			reply(w, org.StatusOf(err), map[string]string{"error": err.Error()})
			return
		}
		type line struct {
			From string `json:"from"`
			Text string `json:"text"`
		}
		var transcript []line
		for _, m := range c.Messages {
			from := "customer"
			if m.Direction == "outbound" {
				from = "bot"
			}
			transcript = append(transcript, line{from, m.Text})
		}
		res, _ := rt.Result(c.ID)
		reply(w, http.StatusOK, map[string]any{
			"conversationId": c.ID, "state": c.State, "contactId": c.Customer.ExternalContactID,
			"canonicalContactId": c.CanonicalContactID, "transcript": transcript, "result": res,
		})
	})
	return mux
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil && !errors.Is(err, io.EOF) {
		reply(w, http.StatusBadRequest, map[string]string{"error": "invalid JSON body: " + err.Error()})
		return false
	}
	return true
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveUntilStopped blocks until an interrupt (SIGINT or SIGTERM) unless
// dryRun; the org keeps serving meanwhile.
func serveUntilStopped(ctx context.Context, env *clienv.Env, dryRun bool) error {
	if dryRun {
		return nil
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintln(env.Stdout, "Serving; press Ctrl+C to stop.")
	<-ctx.Done()
	fmt.Fprintln(env.Stdout, "stopped")
	return nil
}
