package config

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/format/yamldoc"
	"github.com/bpgen/bpgen/internal/testutil"
)

// instance is toJSON's value for config text, or nil when it has none.
func instance(t testing.TB, data []byte) (any, bool) {
	t.Helper()
	doc, err := yamldoc.Parse(data)
	if err != nil || doc == nil || len(doc.Content) == 0 {
		return nil, false
	}
	inst, err := toJSON(doc.Content[0], "", map[string]located{}, 0)
	return inst, err == nil
}

func committedInstances(t *testing.T) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, p := range testutil.CommittedConfigs(t, "../../..") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inst, ok := instance(t, b)
		if !ok {
			t.Fatalf("%s: no instance", p)
		}
		out[p] = inst
	}
	return out
}

// The fast reading knows every keyword of the shipped schema, and vouches
// for every committed config: else it would save nothing.
func TestFastSchemaAcceptsTheCommittedConfigs(t *testing.T) {
	if fastTable == nil {
		t.Fatal("the fast reading is off (see fastschema_table.go): the schema uses a keyword it does not know")
	}
	for p, inst := range committedInstances(t) {
		if !certainlyValid(inst) {
			t.Errorf("%s: the fast reading does not vouch for a committed config", p)
		}
	}
}

// Whatever the fast reading vouches for, the library accepts: every
// committed config with each value replaced by each of a set of odd values,
// each key dropped, and an unknown key added, at every depth.
func TestFastSchemaIsSound(t *testing.T) {
	sch, err := schema()
	if err != nil {
		t.Fatal(err)
	}
	odd := []any{"", "x", "x.@y", "a b", "1x", strings.Repeat("k", 101), "EN_GB", "en-gb", "+44 20", "Email",
		json.Number("0"), json.Number("-1"), json.Number("1"), json.Number("1.5"), json.Number("10"), json.Number("11"),
		json.Number("999"), json.Number("1000"), json.Number("600001"), json.Number("1000000000000000000000"),
		json.Number("NaN"), json.Number("+Inf"), json.Number("-Inf"), json.Number("-0"),
		true, false, nil, []any{}, []any{"a", "a"}, []any{"a@b", "c@d"}, []any{json.Number("1")}, map[string]any{}}
	vouched, refused := 0, 0
	check := func(name string, inst any) {
		if !certainlyValid(inst) {
			return
		}
		vouched++
		if err := sch.Validate(inst); err != nil {
			refused++
			b, _ := json.Marshal(inst)
			t.Errorf("%s: the fast reading vouched for what the library refuses: %v\n%s", name, err, b)
		}
	}
	for p, inst := range committedInstances(t) {
		mutate(inst, func(path string, m any) { check(p+" "+path, m) }, odd)
	}
	if vouched < 100 {
		t.Errorf("only %d mutants vouched for: the test is not looking", vouched)
	}
}

// mutate calls visit with copies of v, each changed in one place.
func mutate(v any, visit func(path string, m any), odd []any) {
	var walk func(cur any, path string, set func(any) any)
	walk = func(cur any, path string, set func(any) any) {
		for _, o := range odd {
			visit(path+"="+short(o), set(o))
		}
		switch c := cur.(type) {
		case map[string]any:
			keys := make([]string, 0, len(c))
			for k := range c {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			visit(path+"+unknown", set(with(c, "bogusKey", "x")))
			for _, k := range keys {
				visit(path+"-"+k, set(without(c, k)))
				walk(c[k], path+"/"+k, func(n any) any { return set(with(c, k, n)) })
			}
		case []any:
			for i := range c {
				walk(c[i], path+"/"+string(rune('0'+i%10)), func(n any) any {
					cp := append([]any(nil), c...)
					cp[i] = n
					return set(cp)
				})
			}
		}
	}
	walk(v, "", func(n any) any { return n })
}

func with(m map[string]any, k string, v any) map[string]any {
	cp := make(map[string]any, len(m)+1)
	for kk, vv := range m {
		cp[kk] = vv
	}
	cp[k] = v
	return cp
}

func without(m map[string]any, k string) map[string]any {
	cp := with(m, k, nil)
	delete(cp, k)
	return cp
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 20 {
		return string(b[:20]) + "…"
	}
	return string(b)
}

// FuzzFastSchemaIsSound: for any config text, what the fast reading vouches
// for the library accepts.
func FuzzFastSchemaIsSound(f *testing.F) {
	for _, p := range testutil.CommittedConfigs(f, "../../..") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("version: 1\nidentifiers: [{type: Email, ask: {}}]\nbot: {retries: 10}\n"))
	f.Add([]byte("version: 1\nidentifiers: [{type: Email, ask: {}}]\nbot: {retries: .nan, noInputTimeoutMs: .inf}\n"))
	sch, err := schema()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inst, ok := instance(t, data)
		if !ok || !certainlyValid(inst) {
			return
		}
		if err := sch.Validate(inst); err != nil {
			t.Fatalf("the fast reading vouched for what the library refuses: %v\n%s", err, data)
		}
	})
}
