package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/contract"
)

// Prompt is what the bot says when it asks for one slot, as the customer
// sees it.
type Prompt struct {
	Slot     string
	Question string
	NoMatch  string // after an answer that does not match the slot's pattern
	NoInput  string // after silence
}

// BotPrompts reads the bot's questions from the bundle's bot flow, the file
// that was deployed, so a conversation recognises what it is asked exactly
// as the customer sees it. A bundle without a bot flow has none.
func BotPrompts(b *Bundle) ([]Prompt, error) {
	obj := b.Manifest.Object(contract.ObjectID(contract.KindFlow, contract.FlowBot))
	if obj == nil {
		return nil, nil
	}
	raw, err := os.ReadFile(filepath.Join(b.Dir, filepath.FromSlash(obj.File)))
	if err != nil {
		return nil, err
	}
	// Placeholders ({{division}}) are not YAML until substituted; the values
	// do not matter here, only that the file parses.
	raw = obj.Substitute(raw, func(string) string { return "" })
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", obj.File, err)
	}
	var out []Prompt
	var walkErr error
	flowyaml.Walk(&root, func(v *yaml.Node, key string) {
		if key != "askForSlot" || v.Kind != yaml.MappingNode || walkErr != nil {
			return
		}
		p := Prompt{Slot: flowyaml.Scalar(flowyaml.Get(flowyaml.Get(v, "slot"), "name"))}
		for _, t := range []struct {
			name string
			dst  *string
		}{{"question", &p.Question}, {"noMatch", &p.NoMatch}, {"noInput", &p.NoInput}} {
			text, err := communication(flowyaml.Get(v, t.name))
			if err != nil {
				walkErr = fmt.Errorf("%s: askForSlot %s %s: %w", obj.File, p.Slot, t.name, err)
				return
			}
			*t.dst = text
		}
		out = append(out, p)
	})
	return out, walkErr
}

// communication evaluates a `lit:` or `exp:` communication that needs no
// variables, such as MakeCommunication("Please type your email address.").
func communication(n *yaml.Node) (string, error) {
	if n == nil {
		return "", nil
	}
	if lit := flowyaml.Get(n, "lit"); lit != nil {
		return flowyaml.Scalar(lit), nil
	}
	src := flowyaml.Scalar(flowyaml.Get(n, "exp"))
	if src == "" {
		return "", nil
	}
	v, err := expr.Eval(src, expr.MapEnv{})
	if err != nil {
		return "", fmt.Errorf("not a constant text: %w", err)
	}
	return expr.Display(v), nil
}

// Asked says which slot a bot message asks for, and how: "question",
// "noMatch" (the last answer was rejected) or "noInput".
type Asked struct {
	Slot string
	Kind string
}

// Recognise finds the prompt a bot message carries. The runtime may put an
// apology in front of a re-prompt ("Sorry. That doesn't look like…"), so a
// message matches a prompt it contains; the longest prompt wins, so one
// prompt that is part of another cannot be mistaken for it.
func Recognise(prompts []Prompt, text string) (Asked, bool) {
	type cand struct {
		a    Asked
		text string
	}
	var cands []cand
	for _, p := range prompts {
		for _, c := range []cand{{Asked{p.Slot, "question"}, p.Question}, {Asked{p.Slot, "noMatch"}, p.NoMatch}, {Asked{p.Slot, "noInput"}, p.NoInput}} {
			if norm(c.text) != "" {
				cands = append(cands, c)
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].text) > len(cands[j].text) })
	msg := norm(text)
	for _, c := range cands {
		if strings.Contains(msg, norm(c.text)) {
			return c.a, true
		}
	}
	return Asked{}, false
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }
