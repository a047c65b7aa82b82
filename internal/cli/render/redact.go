package render

import (
	"regexp"
	"strings"
)

// A diff goes to CI logs, so it must never carry a secret: a sensitive
// variable's value the user typed into dev.auto.tfvars (render drops it, so
// --check would show it as a removed line), or anything that looks like a
// secret in any file compared. Such lines keep their attribute name and say
// the value was redacted.

// Redacted replaces a value in a diff line.
const Redacted = "(value redacted by bpgen: it may be a secret)"

var (
	// attrLine is an HCL/JSON/YAML-ish `name = value` or `"name": value`.
	attrLine = regexp.MustCompile(`^(\s*"?)([A-Za-z_][A-Za-z0-9_.-]*)("?\s*[=:]\s*)(.*)$`)
	// secretName matches names that usually hold a secret.
	secretName = regexp.MustCompile(`(?i)(secret|passw|token|api_?key|apikey|private_?key|credential|signature|auth)`)
	// secretValue matches values that carry one whatever their name: URL
	// userinfo, a token-like query parameter, a PEM block.
	secretValue = regexp.MustCompile(`(?i)(://[^/\s"'@]+@|[?&](token|access_token|api_key|apikey|key|secret|sig|signature|password|pass|code|auth)=|-----BEGIN [A-Z ]*PRIVATE KEY)`)
)

// redactDiff rewrites a unified diff so that no secret-looking value and no
// value of a sensitive variable shows, on -, + or context lines. A value
// running over several lines (a heredoc, a list) is redacted to its end,
// i.e. until the next attribute or a comment.
func redactDiff(diff string, sensitive map[string]bool) string {
	lines := strings.SplitAfter(diff, "\n")
	// Whether the old (-) and new (+) side are inside a secret value;
	// context lines belong to both.
	in := map[string]bool{}
	set := func(mark string, v bool) {
		if mark == " " {
			in["-"], in["+"] = v, v
		} else {
			in[mark] = v
		}
	}
	for i, l := range lines {
		if l == "" || strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ ") || strings.HasPrefix(l, "@@") {
			in = map[string]bool{}
			continue
		}
		body := strings.TrimRight(l[1:], "\n")
		mark, nl := l[:1], l[1+len(body):]
		if mark == "\\" { // "\ No newline at end of file"
			continue
		}
		trimmed := strings.TrimSpace(body)
		comment := strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "//")
		if m := attrLine.FindStringSubmatch(body); m != nil && !comment {
			secret := sensitive[m[2]] || secretName.MatchString(m[2])
			set(mark, secret)
			if secret || secretValue.MatchString(m[4]) {
				lines[i] = mark + m[1] + m[2] + m[3] + Redacted + nl
			}
			continue
		}
		if comment {
			set(mark, false)
		}
		inSecret := in[mark] || (mark == " " && (in["-"] || in["+"]))
		if trimmed != "" && (inSecret || secretValue.MatchString(body)) {
			lines[i] = mark + "  " + Redacted + nl
		}
	}
	return strings.Join(lines, "")
}
