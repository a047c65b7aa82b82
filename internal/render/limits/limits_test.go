package limits

import (
	"slices"
	"strings"
	"testing"
)

func TestEveryLimitCitesTheProviderSourceAndBoundsSomething(t *testing.T) {
	for key, l := range Table {
		if key != l.Resource+"."+l.Attribute {
			t.Errorf("%s: key does not match %s.%s", key, l.Resource, l.Attribute)
		}
		if !strings.Contains(l.Source, "v1.82.0") || !strings.Contains(l.Source, "genesyscloud/") {
			t.Errorf("%s: source %q does not cite the provider file at v1.82.0", key, l.Source)
		}
		if l.MaxLen == 0 && l.Max == 0 && l.Enum == nil {
			t.Errorf("%s bounds nothing", key)
		}
	}
}

func TestArchitectLanguages(t *testing.T) {
	if len(ArchitectLanguages) < 600 || !slices.IsSorted(ArchitectLanguages) {
		t.Fatalf("language list: %d entries, sorted=%v", len(ArchitectLanguages), slices.IsSorted(ArchitectLanguages))
	}
	l := Get(FlowLanguage)
	for _, ok := range []string{"en-us", "en-gb", "fr-ca", "es-us", "de"} {
		if msg := l.CheckString(ok); msg != "" {
			t.Errorf("%s refused: %s", ok, msg)
		}
	}
	msg := l.CheckString("en-uk")
	if !strings.Contains(msg, `did you mean "en-gb"?`) {
		t.Errorf("en-uk: %q", msg)
	}
	if msg := l.CheckString("klingon-xx"); msg == "" || strings.Contains(msg, "did you mean") {
		t.Errorf("far-off tag: %q", msg)
	}
}

// The provider's validation.StringLenBetween measures len(v), UTF-8 bytes.
func TestLengthsCountBytesAsTheProviderDoes(t *testing.T) {
	l := Get(MessengerConfigName)
	if msg := l.CheckString(strings.Repeat("é", 50)); msg != "" {
		t.Errorf("100 bytes refused: %s", msg)
	}
	if msg := l.CheckString(strings.Repeat("é", 51)); !strings.Contains(msg, "is 102 bytes") {
		t.Errorf("102 bytes: %q", msg)
	}
}
