package orgserve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/cli/clienv"
	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

// A bundle with web messaging disabled has no Messenger deployment, so the
// emulator refuses web-messaging conversations as the platform would.
func TestNoWebMessagingWithoutMessenger(t *testing.T) {
	e, _, _ := orgfixture.Start(t, "../../../examples/open-messaging-external-id", nil)
	if e.Outputs["messenger_deployment_id"] != "" {
		t.Fatal("the open-messaging example deploys Messenger; pick another bundle")
	}
	srv := httptest.NewServer(handler(e.Org, e.Runtime, func() bool { return false }))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/emulator/conversations", "application/json", strings.NewReader(`{"text":"Hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
	if n := len(e.Org.Conversations()); n != 0 {
		t.Errorf("%d conversations started", n)
	}
}

// The outputs file in the temporary directory goes when serve does, the
// printed verify command carries no secret, and --outputs writes a file
// that stays.
func TestServeCleansUpAndPrintsNoSecret(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var out, errb bytes.Buffer
	code := serve(&out, &errb, "--dry-run", "--addr", "127.0.0.1:0", "--bundle", "../../..")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), filepath.Join(tmp, "bpgen-org-outputs-")) {
		t.Fatalf("outputs not in $TMPDIR:\n%s", out.String())
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "bpgen-org-outputs-*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	secret := regexp.MustCompile(`(?m)^  client secret: (\S+)$`).FindStringSubmatch(out.String())
	if secret == nil {
		t.Fatalf("no client secret printed:\n%s", out.String())
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "bpgen verify") && (strings.Contains(l, secret[1]) || strings.Contains(l, "--client-secret")) {
			t.Errorf("a command line carries the secret: %s", l)
		}
	}
	kept := filepath.Join(t.TempDir(), "outputs.json")
	code = serve(&out, &errb, "--dry-run", "--addr", "127.0.0.1:0", "--bundle", "../../..", "--outputs", kept)
	if _, err := os.Stat(kept); code != 0 || err != nil {
		t.Errorf("--outputs: exit %d, %v", code, err)
	}
}

// serve runs `bpgen org serve args…` in process (package cli imports this
// one, so its Run is out of reach here).
func serve(stdout, stderr *bytes.Buffer, args ...string) int {
	cmd := Command(&clienv.Env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr})
	cmd.SetArgs(append([]string{"serve"}, args...))
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		stderr.WriteString(err.Error())
		return clienv.CodeOf(err)
	}
	return 0
}

// --empty applies nothing and prints what a Terraform user needs: the client
// and the gateway block naming the address it listens on; with --bundle it
// is refused.
func TestServeEmptyPrintsGatewayBlock(t *testing.T) {
	var out, errb bytes.Buffer
	if code := serve(&out, &errb, "--dry-run", "--empty", "--addr", "127.0.0.1:0"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	got := out.String()
	addr := regexp.MustCompile(`at http://127\.0\.0\.1:(\d+) with nothing applied`).FindStringSubmatch(got)
	if addr == nil || !strings.Contains(got, `port     = "`+addr[1]+`"`) || !strings.Contains(got, "client id:     bpgen-terraform") ||
		!strings.Contains(got, "GENESYSCLOUD_REGION") {
		t.Errorf("--empty output:\n%s", got)
	}
	out.Reset()
	if code := serve(&out, &errb, "--dry-run", "--empty", "--bundle", "../../.."); code != clienv.ExitInput {
		t.Errorf("--empty with --bundle: exit %d", code)
	}
}

// org serve keeps the last --keep-conversations settled conversations: a
// conversation the flow handed to the queue counts, older ones are gone
// (404), and the org's size stays put however many conversations run.
func TestServeKeepsBoundedConversations(t *testing.T) {
	const keep, runs = 5, 60
	e, _, _ := orgfixture.Start(t, "../../..", &stack.Options{KeepTraces: 2, KeepConversations: keep})
	srv := httptest.NewServer(handler(e.Org, e.Runtime, func() bool { return true }))
	defer srv.Close()
	var ids []string
	for i := range runs {
		// The first message is the bot's input: an email in it needs no
		// question, so each flow runs to the queue at once.
		resp, err := http.Post(srv.URL+"/emulator/conversations", "application/json", strings.NewReader(fmt.Sprintf(`{"text":"it's c%d@example.com"}`, i)))
		if err != nil {
			t.Fatal(err)
		}
		var out struct{ ConversationID string }
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("conversation %d: %d %v", i, resp.StatusCode, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		res, err := e.Runtime.Wait(ctx, out.ConversationID)
		cancel()
		if err != nil || res.Ended != "transferred" {
			t.Fatalf("conversation %d: %v %+v", i, err, res)
		}
		ids = append(ids, out.ConversationID)
	}
	if n := e.Org.RetainedConversations(); n != keep {
		t.Errorf("the org holds %d conversations after %d, want %d", n, runs, keep)
	}
	for i, id := range []string{ids[0], ids[runs-1]} {
		resp, err := http.Get(srv.URL + "/emulator/conversations/" + id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := []int{http.StatusNotFound, http.StatusOK}[i]; resp.StatusCode != want {
			t.Errorf("GET conversation %s: %d, want %d", id, resp.StatusCode, want)
		}
	}
	var out, errb bytes.Buffer
	if code := serve(&out, &errb, "--dry-run", "--addr", "127.0.0.1:0", "--bundle", "../../..", "--keep-conversations", "0"); code != clienv.ExitInput {
		t.Errorf("--keep-conversations 0: exit %d, want %d", code, clienv.ExitInput)
	}
}
