package config

import (
	"strings"
	"testing"
)

// What ReadAhead hands out before the verdict never outlives it: Wait has
// the schema's word, and a document the schema refuses yields no config
// however far it decoded ahead.
func TestReadAheadDefersToTheSchema(t *testing.T) {
	valid := "version: 1\nidentifiers:\n  - {type: Email, ask: {}}\n"
	for _, c := range []struct {
		name, text string
		ahead      bool   // Config before the verdict
		ok         bool   // Config after it
		msg        string // in the diagnostics after it
	}{
		{"valid", valid, true, true, ""},
		// Decodes and passes Validate, but the schema refuses it.
		{"schema refuses what decodes", strings.Replace(valid, "version: 1", "version: 2", 1), true, false, "version"},
		{"wrong shape", "version: 1\nidentifiers: notalist\n", false, false, "identifiers"},
		{"semantic error", "version: 1\nidentifiers:\n  - {type: Email, ask: {}}\n  - {type: Email, participantData: e}\n", false, false, "already listed"},
		{"too large to read ahead", valid + "# " + strings.Repeat("x", aheadLimit) + "\n", false, true, ""},
	} {
		a := ReadAhead("bpgen.yaml", []byte(c.text))
		if got := a.Config() != nil; got != c.ahead {
			t.Errorf("%s: config ahead %v, want %v", c.name, got, c.ahead)
		}
		cfg, _, ds := a.Wait()
		if (cfg != nil) != c.ok {
			t.Errorf("%s: config %v, want %v: %v", c.name, cfg != nil, c.ok, ds)
		}
		if c.msg != "" && !strings.Contains(ds.Error(), c.msg) {
			t.Errorf("%s: diagnostics %q do not mention %q", c.name, ds.Error(), c.msg)
		}
		if c.ahead && c.ok && cfg != a.Config() {
			t.Errorf("%s: Wait decoded again what was read ahead", c.name)
		}
	}
}
