package harness_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/postapply/verify"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

// TestOfflinePathClientCredentials takes the README's client-credentials path
// for `dataActions.credentials: create` (the root bundle): Terraform runs as
// an OAuth client, the role is applied alone, granted to that client once,
// and the second apply deploys a bundle that verifies end to end. Without the
// grant the apply fails, naming the missing precondition. The user-token
// caller is TestOfflinePath's default.
func TestOfflinePathClientCredentials(t *testing.T) {
	t.Run("without the one-time grant", func(t *testing.T) {
		_, err := stack.Start("../..", &stack.Options{ClientCredentials: true, SkipOneTimeGrant: true})
		if err == nil {
			t.Fatal("apply succeeded although the Terraform client does not hold the role it grants")
		}
		for _, want := range []string{"Precondition not met", "client-credentials grant", "-target=genesyscloud_auth_role.data_actions"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
	})
	t.Run("role, grant, apply", func(t *testing.T) {
		e, c, b := orgfixture.Start(t, "../..", &stack.Options{ClientCredentials: true})
		ctx := context.Background()
		res := verify.Run(ctx, c, b, e.Outputs, verify.RunOptions{Progress: progress(t), Conversation: offlineConversation(e)})
		for _, f := range res.Failed() {
			t.Errorf("FAIL %s %s: %s", f.Object, f.What, f.Detail)
		}
		checkConversation(t, e, b, res.Conversation)
		if err := e.Destroy(); err != nil {
			t.Fatal(err)
		}
	})
}
