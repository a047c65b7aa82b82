package config_test

import (
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/render/config"
)

// Composed names and bounded values past the pinned provider's limits fail at
// the config field that produced them, as `terraform validate` would fail later.
func TestProviderLimitsAtConfigPosition(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	base := "version: 1\nidentifiers: [{type: Email, ask: {}}]\n"
	cases := []struct {
		name, text string
		want       []string
	}{
		{"action name too long through its own name and the affixes",
			base + "names:\n  prefix: " + long(40) + "\n  suffix: " + long(40) + "\n  actions:\n    lookup: " + long(190) + "\n",
			[]string{`bpgen.yaml:7:13: names.actions.lookup: composed name`, "is 270 bytes (UTF-8); genesyscloud_integration_action.name must be 1 to 256", "validation.StringLenBetween(1, 256)", "[BPG019 provider-limit]"}},
		{"category (the integration's name) too long",
			base + "names:\n  integration: " + long(200) + "\n  suffix: " + long(50) + "\n  prefix: " + long(10) + "\n",
			[]string{`bpgen.yaml:4:16: names.integration: composed name`, "genesyscloud_integration_action.category must be 1 to 256"}},
		{"messenger name too long with a default name: reported at the prefix",
			base + "names:\n  prefix: " + long(50) + "\n  suffix: " + long(30) + "\n",
			[]string{`bpgen.yaml:4:11: names.prefix: composed name`, "is 109 bytes (UTF-8); genesyscloud_webdeployments_configuration.name must be 1 to 100"}},
		{"unknown language with a did-you-mean",
			base + "language: en-uk\n",
			[]string{`bpgen.yaml:3:11: language: "en-uk" is not a language tag genesyscloud_flow.defaultLanguage accepts (did you mean "en-gb"?)`, "architectlanguages"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _, ds := config.Parse("bpgen.yaml", []byte(tc.text))
			if cfg != nil {
				t.Fatalf("config accepted; want a provider-limit error")
			}
			got := ds.Error()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
		})
	}
}

// Values at the limits pass.
func TestProviderLimitsAcceptBoundaryValues(t *testing.T) {
	text := "version: 1\nidentifiers: [{type: Email, ask: {}}]\nlanguage: en-gb\nnames:\n  actions:\n    lookup: " +
		strings.Repeat("x", 200) + "\n  suffix: " + strings.Repeat("y", 50) + "\n  prefix: \"123456\"\n  messenger: M\n"
	if _, _, ds := config.Parse("bpgen.yaml", []byte(text)); ds.HasErrors() {
		t.Fatalf("want no error at exactly 256 characters, got:\n%s", ds.Error())
	}
}
