package orgserve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/e2e"
)

// A bundle with web messaging disabled has no Messenger deployment, so the
// emulator refuses web-messaging conversations as the platform would.
func TestNoWebMessagingWithoutMessenger(t *testing.T) {
	e, err := e2e.Start("../../../examples/open-messaging-external-id", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Outputs["messenger_deployment_id"] != "" {
		t.Fatal("the open-messaging example deploys Messenger; pick another bundle")
	}
	srv := httptest.NewServer(handler(e.Org, e.Runtime, false))
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
