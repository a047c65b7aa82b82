package bundle_test

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/limits"
	"github.com/bpgen/bpgen/internal/render/permissions"
	"github.com/bpgen/bpgen/internal/render/terraform"
)

// Every resource and data source a committed bundle declares has its entry in
// the permissions table, and the bundle README lists that entry, so a
// least-privilege Terraform client built from the README can apply it.
func TestEveryRenderedResourceHasPermissions(t *testing.T) {
	seen := map[string]bool{}
	for _, dir := range goldenCases(t) {
		res := render(t, dir)
		readme := string(res.Files["terraform/README.md"])
		types := bundle.ResourceTypes(res.Files)
		if len(types) < 5 {
			t.Fatalf("%s: only %d resource types found: %v", dir, len(types), types)
		}
		for _, typ := range types {
			seen[typ] = true
			e, ok := permissions.ForResource(typ)
			if !ok {
				t.Errorf("%s: %s has no permissions entry", dir, typ)
				continue
			}
			if !strings.Contains(readme, e.Markdown()) {
				t.Errorf("%s: README does not list %s's permissions %q", dir, typ, e.Markdown())
			}
		}
		// Flow publishing runs as an Architect job (flow.md at v1.82.0).
		for _, p := range []string{"`architect:job:create`", "`architect:job:view`"} {
			if !strings.Contains(readme, p) {
				t.Errorf("%s: README lacks %s", dir, p)
			}
		}
		if strings.Contains(readme, "integrations:credential") {
			t.Errorf("%s: README lists integrations:credential:*, which is not a Genesys permission", dir)
		}
		for _, a := range res.Model.Actions {
			if len(a.Permissions) == 0 {
				t.Errorf("%s: data action %s grants nothing", dir, a.Key)
			}
		}
	}
	for _, typ := range []string{"genesyscloud_flow", "genesyscloud_integration_action", "genesyscloud_oauth_client", "genesyscloud_routing_queue"} {
		if !seen[typ] {
			t.Errorf("no committed bundle renders %s; the test covers less than it claims", typ)
		}
	}
}

// Values bpgen sets itself (not from the config) are inside the provider's limits too.
func TestFixedValuesWithinProviderLimits(t *testing.T) {
	if msg := limits.Get(limits.OAuthTokenValidity).CheckInt(terraform.DataActionsTokenSeconds); msg != "" {
		t.Error(msg)
	}
	for _, dir := range goldenCases(t) {
		res := render(t, dir)
		if msg := limits.Get(limits.ActionTimeout).CheckInt(res.Model.TimeoutSeconds); msg != "" {
			t.Errorf("%s: %s", dir, msg)
		}
		if msg := limits.Get(limits.FlowLanguage).CheckString(res.Model.Language); msg != "" {
			t.Errorf("%s: %s", dir, msg)
		}
	}
}

// ResourceTypes scans for what the pattern (?m)^(resource|data) "([a-z0-9_]+)"
// finds: on the rendered bundles and on lines at the pattern's edges.
func TestResourceTypesMatchesPattern(t *testing.T) {
	pattern := regexp.MustCompile(`(?m)^(resource|data) "([a-z0-9_]+)"`)
	reference := func(files fileset.Set) []string {
		var out []string
		for _, p := range slices.Sorted(maps.Keys(files)) {
			if !strings.HasPrefix(p, "terraform/") || !strings.HasSuffix(p, ".tf") {
				continue
			}
			for _, m := range pattern.FindAllSubmatch(files[p], -1) {
				t := string(m[2])
				if string(m[1]) == "data" {
					t = "data." + t
				}
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
		return out
	}
	edges := fileset.Set{
		"terraform/a.tf": []byte("resource \"x_1\" \"a\" {}\n  resource \"indented\" {}\nresource \"\" {}\nresource \"Upper\" {}\nresource \"open\ndata \"d\"\r\n" +
			"resource  \"two_spaces\" {}\nresourcex \"r\" {}\n# resource \"comment\"\ndata \"x_1\" \"b\" {}\nresource \"x_1\" \"c\" {}\nresource \"last\""),
		"terraform/b.tf":  []byte("data \"z\" \"q\" {}"),
		"terraform/c.txt": []byte("resource \"not_tf\" {}\n"),
		"other/d.tf":      []byte("resource \"not_terraform_dir\" {}\n"),
	}
	cases := map[string]fileset.Set{"edges": edges}
	for _, dir := range goldenCases(t) {
		cases[dir] = render(t, dir).Files
	}
	for name, files := range cases {
		if got, want := bundle.ResourceTypes(files), reference(files); !slices.Equal(got, want) {
			t.Errorf("%s: ResourceTypes = %q, the pattern finds %q", name, got, want)
		}
	}
}
