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

func TestTreeLookupsAndWalk(t *testing.T) {
	doc, err := ParseTree(strings.ReplaceAll(strings.ReplaceAll(doc, "&d ", ""), "*d", "{lit: never}"))
	if err != nil {
		t.Fatal(err)
	}
	k, flow := doc.Content[0].Single()
	if k.Value != "botFlow" || flow.Get("name").Value != "Bot" || flow.Get("name").Line != 3 || flow.Get("name").Column != 9 {
		t.Fatalf("root: %q %+v", k.Value, flow.Get("name"))
	}
	var seen []string
	doc.Walk(func(n *Node, key string) {
		if key == "askForSlot" {
			seen = append(seen, n.Get("slot").Get("name").Value, n.Get("confirmationMode").Get("lit").Value)
		}
	})
	if strings.Join(seen, ",") != "Email,never" {
		t.Fatalf("walk saw %v", seen)
	}
	var keys []string
	for k := range flow.Keys() {
		keys = append(keys, k.Value)
		if k.Value == "defaults" {
			break // a stop ends the iteration
		}
	}
	if strings.Join(keys, ",") != "name,defaults" {
		t.Fatalf("keys %v", keys)
	}
	var none *Node
	if none.Get("x") != nil || flow.Get("missing") != nil || flow.Get("name").Get("x") != nil {
		t.Fatal("nil, missing and non-mapping lookups must be nil")
	}
	if a, b := flow.Single(); a != nil || b != nil {
		t.Fatal("Single of a three-key mapping must be nil")
	}
	for range none.Keys() {
		t.Fatal("a nil node has no keys")
	}
	none.Walk(func(*Node, string) { t.Fatal("a nil node has nothing to walk") })
}

// Aliases are refused, not expanded: nested ones multiply, and bpgen
// writes none.
func TestTreeRefusesAliases(t *testing.T) {
	_, err := ParseTree(doc)
	if err == nil || !strings.Contains(err.Error(), "line 8: the alias *d") {
		t.Fatalf("got %v", err)
	}
}
