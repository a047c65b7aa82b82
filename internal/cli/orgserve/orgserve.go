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
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpgen/bpgen/emulator/architect"
	"github.com/bpgen/bpgen/emulator/org"
	"github.com/bpgen/bpgen/internal/cli/clienv"
)

// Command builds `bpgen org` with its `serve` subcommand.
func Command(env *clienv.Env) *cobra.Command {
	parent := &cobra.Command{
		Use:   "org",
		Short: "The emulated Genesys Cloud org",
	}
	var bundleDir, addr string
	var dryRun bool
	serve := &cobra.Command{
		Use:   "serve --bundle dir [--addr 127.0.0.1:8080]",
		Short: "Serve the emulated org with a bundle's flows attached",
		Long: `Serve starts the emulated org on --addr with the bundle deployed into it: an
OAuth client for the data actions, the external source and the open-messaging
integration, and the flows answering every conversation. It prints the
client credentials to use, then serves until interrupted.

Besides the Platform API paths (/oauth/token, /api/v2/...), a few /emulator/
paths (no token needed) drive conversations by hand:

  POST /emulator/conversations            {"text": "Hi", "customAttributes": {...}}
  POST /emulator/conversations/{id}/messages   {"text": "jane@example.com"}
  GET  /emulator/conversations/{id}       transcript, contact and flow trace

With --dry-run the org is set up and described, then the command exits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return run(cmd.Context(), env, bundleDir, addr, dryRun)
		},
	}
	serve.Flags().StringVar(&bundleDir, "bundle", ".", "bundle directory (where bpgen.manifest.json is)")
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	serve.Flags().BoolVar(&dryRun, "dry-run", false, "set the org up, print what serve would, and exit")
	parent.AddCommand(serve)
	return parent
}

func run(ctx context.Context, env *clienv.Env, bundleDir, addr string, dryRun bool) error {
	b, err := architect.Load(bundleDir)
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "bundle %s: %s", bundleDir, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "listen on %s: %s", addr, err)
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()

	o := org.New()
	var out sync.Mutex // conversation reports come from many goroutines
	rt, err := architect.Start(o, b, architect.Options{BaseURL: base, OnDone: func(r *architect.Result) {
		out.Lock()
		defer out.Unlock()
		fmt.Fprintf(env.Stdout, "conversation %s: %s", r.ConversationID, r.Ended)
		if r.Queue != "" {
			fmt.Fprintf(env.Stdout, " to queue %q", r.Queue)
		}
		fmt.Fprintln(env.Stdout)
		_ = r.Trace.Write(env.Stdout, "  ")
	}})
	if err != nil {
		return clienv.Exit(clienv.ExitInput, "%s", err)
	}
	defer rt.Close()
	describe(env.Stdout, b, rt, base, bundleDir)
	if dryRun {
		return nil
	}

	srv := &http.Server{Handler: handler(o, rt), ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintln(env.Stdout, "Serving; press Ctrl+C to stop.")
	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			return clienv.Exit(clienv.ExitInput, "serve: %s", err)
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	fmt.Fprintln(env.Stdout, "stopped")
	return nil
}

func describe(w io.Writer, b *architect.Bundle, rt *architect.Runtime, base, dir string) {
	d := rt.Deployment()
	fmt.Fprintf(w, "Emulated org for bundle %s at %s\n", dir, base)
	fmt.Fprintf(w, "OAuth client (POST %s/oauth/token, grant_type=client_credentials):\n", base)
	fmt.Fprintf(w, "  client id:     %s\n", d.ClientID)
	fmt.Fprintf(w, "  client secret: %s\n", d.ClientSecret)
	if d.OpenMessagingIntegrationID != "" {
		fmt.Fprintf(w, "Open messaging inbound: POST %s/api/v2/conversations/messages/%s/inbound/open/message\n", base, d.OpenMessagingIntegrationID)
	}
	if d.ExternalSourceID != "" {
		fmt.Fprintf(w, "External source: %s\n", d.ExternalSourceID)
	}
	fmt.Fprintf(w, "Queue: %s\n", b.Queue())
	for _, f := range b.Flows() {
		fmt.Fprintf(w, "Flow %s: %s (%s)\n", f.Type, f.Name, f.File)
	}
	fmt.Fprintf(w, "Start a web-messaging conversation: POST %s/emulator/conversations {\"text\": \"Hi\"}\n", base)
}

// handler serves the org's Platform API and the /emulator/ helper paths.
func handler(o *org.Org, rt *architect.Runtime) http.Handler {
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
