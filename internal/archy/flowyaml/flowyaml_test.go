package flowyaml

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const doc = `
botFlow:
  name: Bot
  defaults: &d {lit: never}
  bots:
    - bot:
        actions:
          - askForSlot: {slot: {name: Email}, confirmationMode: *d}
          - exitBotFlow: {name: Exit}
`

func TestLookupsAndWalk(t *testing.T) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		t.Fatal(err)
	}
	k, flow := Single(root.Content[0])
	if Scalar(k) != "botFlow" || Scalar(Get(flow, "name")) != "Bot" {
		t.Fatalf("root: %q %v", Scalar(k), flow)
	}
	var seen []string
	Walk(&root, func(n *yaml.Node, key string) {
		if key == "askForSlot" {
			seen = append(seen, Scalar(Get(Get(n, "slot"), "name")))
			// Aliases resolve, so a shared value reads like any other.
			seen = append(seen, Scalar(Get(Get(n, "confirmationMode"), "lit")))
		}
	})
	if strings.Join(seen, ",") != "Email,never" {
		t.Fatalf("walk saw %v", seen)
	}
	var keys []string
	for _, k := range Keys(flow) {
		keys = append(keys, k.Value)
	}
	if strings.Join(keys, ",") != "name,defaults,bots" {
		t.Fatalf("keys %v", keys)
	}
	if Get(nil, "x") != nil || Scalar(flow) != "" {
		t.Fatal("nil and non-scalar lookups must be empty")
	}
	if a, b := Single(flow); a != nil || b != nil {
		t.Fatal("Single of a three-key mapping must be nil")
	}
}
