package deploy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
)

// The root bundle uses the default credentials: create.
const createBundle = "../../.."

func roleID(t *testing.T, d *deploy.Deployment) string {
	t.Helper()
	r, ok := d.Object("role")
	if !ok {
		t.Fatal("no role object")
	}
	return r.OrgID
}

// With a user token the provider adds the new role to the user first, so the
// apply succeeds with no manual step, and the user then holds the role.
func TestCredentialsCreateAppliesWithAUserToken(t *testing.T) {
	o := org.New()
	u, err := o.CreateUser(org.User{Name: "release engineer"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := deploy.Apply(o, createBundle, &deploy.Options{Caller: deploy.Caller{UserID: u.ID}})
	if err != nil {
		t.Fatalf("apply as a user: %v", err)
	}
	defer d.Destroy()
	got, _ := o.User(u.ID)
	if !slices.Contains(got.Roles, roleID(t, d)) {
		t.Errorf("the user running Terraform was not given the data actions' role: %v", got.Roles)
	}
	c, _ := d.Object("oauth_client")
	cl, err := o.OAuthClient(c.OrgID)
	if err != nil || len(cl.RoleDivisions) != 1 || cl.RoleDivisions[0].RoleID != roleID(t, d) {
		t.Errorf("data actions' client roles: %+v, %v", cl.RoleDivisions, err)
	}
}

// With client credentials and no prior grant, the apply fails, naming the
// precondition, and leaves nothing behind.
func TestCredentialsCreateFailsForAClientThatDoesNotHoldTheRole(t *testing.T) {
	o := org.New()
	tf, err := o.CreateOAuthClient(org.OAuthClient{Name: "ci pipeline"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = deploy.Apply(o, createBundle, &deploy.Options{Caller: deploy.Caller{ClientID: tf.ID}})
	if err == nil {
		t.Fatal("apply succeeded although the Terraform client does not hold the role it grants")
	}
	for _, want := range []string{"oauth_client", "does not hold it", "Precondition not met", "terraform apply -target=genesyscloud_auth_role.data_actions", "Client-credentials pipelines"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// Rolled back: the role is gone again.
	d, err := deploy.Apply(o, createBundle, &deploy.Options{Caller: deploy.Caller{ClientID: tf.ID}, Targets: []string{"role"}})
	if err != nil {
		t.Fatalf("the role did not roll back (a second create conflicts?): %v", err)
	}
	d.Destroy()
}

// The documented client-credentials path: apply the role alone, an
// administrator who holds it grants it once to the Terraform client, apply
// again. A client cannot grant itself the role.
func TestCredentialsCreateClientCredentialsPath(t *testing.T) {
	o := org.New()
	tf, err := o.CreateOAuthClient(org.OAuthClient{Name: "ci pipeline"})
	if err != nil {
		t.Fatal(err)
	}
	caller := deploy.Caller{ClientID: tf.ID}
	first, err := deploy.Apply(o, createBundle, &deploy.Options{Caller: caller, Targets: []string{"role"}})
	if err != nil {
		t.Fatalf("first apply (-target role): %v", err)
	}
	if _, ok := first.Object("oauth_client"); ok {
		t.Fatal("a targeted apply created the OAuth client")
	}
	role := roleID(t, first)
	grant := []org.RoleDivision{{RoleID: role, DivisionID: org.AllDivisions}}
	// The Terraform client cannot give itself a role it does not hold.
	if err := o.SetOAuthClientRoles(org.Caller{ClientID: tf.ID}, tf.ID, grant); org.StatusOf(err) != 400 || !strings.Contains(err.Error(), "does not hold it") {
		t.Fatalf("self-grant: %v", err)
	}
	// An administrator who holds the role grants it.
	admin, err := o.CreateUser(org.User{Name: "org admin", Roles: []string{role}})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.SetOAuthClientRoles(org.Caller{UserID: admin.ID}, tf.ID, grant); err != nil {
		t.Fatalf("admin grant: %v", err)
	}
	second, err := deploy.Apply(o, createBundle, &deploy.Options{Caller: caller, State: first})
	if err != nil {
		t.Fatalf("second apply: %v", err)
	}
	if roleID(t, second) != role {
		t.Error("the second apply recreated the role")
	}
	if second.Outputs["inbound_flow_id"] == "" {
		t.Errorf("second apply is incomplete: %v", second.Outputs)
	}
	if err := second.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Role(role); !org.IsNotFound(err) {
		t.Errorf("role survives destroy: %v", err)
	}
}
