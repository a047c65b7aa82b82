package flows

import (
	"testing"

	"github.com/bpgen/bpgen/internal/archy/expr"
)

// TestParticipantDataChecks runs the rendered statements with the emulator's
// evaluator: usable values come out trimmed, unusable ones blank.
func TestParticipantDataChecks(t *testing.T) {
	cases := []struct{ kind, in, want string }{
		{"email", " jane.doe@example.com ", "jane.doe@example.com"},
		{"email", "{{customer.email}}", ""},
		{"email", "undefined", ""},
		{"email", "Null", ""},
		{"email", " \t ", ""},
		{"email", "jane.doe.example.com", ""},
		{"email", "jane@example", ""},
		{"email", "@example.com", ""},
		{"email", "jane@", ""},
		{"email", "jane@@example.com", ""},
		{"email", "jane doe@example.com", ""},
		{"phone", "+44 (0)20 7946 0958", "+44 (0)20 7946 0958"},
		{"phone", "(317) 555-0123", "(317) 555-0123"},
		{"phone", "919876543210", "919876543210"},
		{"phone", "{{customer.phone}}", ""},
		{"phone", "call me", ""},
		{"phone", "12345", ""},
		{"phone", "1234567890123456", ""},
		{"phone", "+", ""},
		{"trim", " CUST-42 ", "CUST-42"},
		{"trim", "CUST 42", ""},
		{"trim", "null", ""},
		{"", "Doe", "Doe"},
		{"", "van der Berg", "van der Berg"},
		{"", "undefined", ""},
	}
	for _, c := range cases {
		env := expr.MapEnv{"Flow.X": expr.String(c.in), CheckVariable: expr.NotSet{}}
		run(t, env, c.kind)
		if got := expr.Display(env["Flow.X"]); got != c.want {
			t.Errorf("%s %q: got %q, want %q", c.kind, c.in, got, c.want)
		}
	}
	// NOT_SET (the attribute is absent) comes out blank, without an error.
	env := expr.MapEnv{"Flow.X": expr.NotSet{}, CheckVariable: expr.NotSet{}}
	run(t, env, "email")
	if got := expr.Display(env["Flow.X"]); got != "" {
		t.Errorf("NOT_SET: got %q", got)
	}
}

// run evaluates the check statements in order, as updateData runs them.
func run(t *testing.T, env expr.MapEnv, kind string) {
	t.Helper()
	st, _ := new(build).participantDataChecks("Flow.X", kind)
	for _, s := range st {
		body := s.Content[1] // {variable: NAME, value: {exp: EXPR}}
		name, val := body.Content[1].Value, body.Content[3].Content[1].Value
		v, err := expr.Eval(val, env)
		if err != nil {
			t.Fatalf("%s %v: %s: %v", kind, env["Flow.X"], val, err)
		}
		env[name] = v
	}
}
