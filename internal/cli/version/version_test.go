package version

import (
	"runtime/debug"
	"testing"
)

// A plain build says which module version or revision it is, never just
// "dev" when the toolchain recorded one.
func TestFromBuildInfo(t *testing.T) {
	for _, c := range []struct {
		bi   debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		{debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261202130000-0123456789ab+dirty"}}, "v0.0.0-20261202130000-0123456789ab+dirty"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-02T13:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			"devel 0123456789ab 2026-12-02T13:00:00Z (modified)"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, noVCS},
	} {
		if got := fromBuildInfo(&c.bi); got != c.want {
			t.Errorf("%+v: %q, want %q", c.bi, got, c.want)
		}
	}
}
