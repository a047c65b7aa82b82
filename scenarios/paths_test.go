package scenarios

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/scenario"
	"github.com/bpgen/bpgen/internal/testutil"
)

// A path is one way a conversation goes through resolution, measured by the
// scenario that drives it (issue 10 part 3).
type path struct {
	name, file string
	// strategy limits the path to bundles with that link strategy.
	strategy string
	// questions is the most bot questions the path may ask, -1 for no limit.
	questions int
}

var paths = []path{
	{name: "merge", file: "known-contact-linked.yaml", strategy: "merge", questions: -1},
	{name: "merge", file: "merge-open-messaging.yaml", strategy: "merge", questions: -1},
	{name: "associate", file: "known-contact-linked.yaml", strategy: "associate", questions: -1},
	{name: "already linked", file: "already-linked-open-messaging-email.yaml", questions: -1},
	{name: "already linked", file: "already-linked-open-messaging-external-id.yaml", questions: -1},
	{name: "platform-identified", file: "platform-identified.yaml", questions: 0},
	{name: "platform-identified", file: "platform-identified-second-factor.yaml", questions: 1},
	{name: "unknown", file: "unknown-identifier.yaml", questions: -1},
	{name: "unknown", file: "unknown-open-messaging.yaml", questions: -1},
	{name: "failure", file: "fault-lookup-500.yaml", questions: -1},
}

// measurement is one path on one bundle: the most calls and questions over
// the scenario's conversations.
type measurement struct {
	calls, questions int
}

func measure(t *testing.T, s *scenario.Scenario, tg target) (measurement, bool) {
	rep, err := scenario.Run(context.Background(), s, tg.bundle, scenario.Options{BundleName: tg.name})
	if err != nil {
		t.Fatalf("%s on %s: %v", s.File(), tg.name, err)
	}
	if rep.Skipped != "" {
		return measurement{}, false
	}
	if !rep.Passed {
		var sb strings.Builder
		_ = rep.WriteText(&sb, true)
		t.Errorf("%s on %s failed:\n%s", s.File(), tg.name, sb.String())
	}
	var m measurement
	for _, cr := range rep.Conversations {
		q := 0
		for _, st := range cr.Result.Trace {
			if st.Kind == architect.StepSay && st.Prompt == "question" {
				q++
			}
		}
		m.calls = max(m.calls, cr.Result.DataActionCalls)
		m.questions = max(m.questions, q)
	}
	return m, true
}

const (
	pathsStart = "<!-- bpgen:calls-per-path (measured by go test ./scenarios -run TestCallsPerPath -update) -->\n"
	pathsEnd   = "<!-- /bpgen:calls-per-path -->"
)

// TestCallsPerPath runs each path's scenario on every bundle it applies to,
// holds each path to its budget of data-action calls and questions, and
// keeps the root README's table of the measured figures current.
func TestCallsPerPath(t *testing.T) {
	tgs := targets(t)
	var b strings.Builder
	b.WriteString("| path | scenario |")
	for _, tg := range tgs {
		b.WriteString(" " + tg.name + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(tgs)) + "\n")
	for _, p := range paths {
		s, err := scenario.Load(p.file)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "| %s | `%s` |", p.name, p.file)
		for _, tg := range tgs {
			if p.strategy != "" && tg.bundle.Manifest.Strategy != p.strategy {
				b.WriteString(" – |")
				continue
			}
			m, ok := measure(t, s, tg)
			if !ok {
				b.WriteString(" – |")
				continue
			}
			fmt.Fprintf(&b, " %d / %d |", m.calls, m.questions)
			if budget := budgetFor(p.name, tg.bundle); m.calls > budget {
				t.Errorf("%s on %s: %d data-action calls, budget %d", p.name, tg.name, m.calls, budget)
			}
			if p.questions >= 0 && m.questions > p.questions {
				t.Errorf("%s on %s: %d questions, at most %d", p.name, tg.name, m.questions, p.questions)
			}
		}
		b.WriteString("\n")
	}
	testutil.GeneratedBlock(t, "../README.md", pathsStart, pathsEnd, b.String(), "go test ./scenarios -run TestCallsPerPath -update")
}

// budgetFor is the most data-action calls a path may cost on a bundle: the
// blueprint's three for a merge (lookup, conversation, merge), one more where
// the N-way merge needs the conversation contact's type read first, two for a
// link already in place, one lookup per identifier tried when none is known;
// the check before asking (open messaging with identity resolution) adds its
// two reads and saves the module's.
func budgetFor(path string, b *architect.Bundle) int {
	m := b.Manifest
	pre := m.Channels.OpenMessaging != nil && m.Channels.OpenMessaging.ResolveIdentities
	// The contact action exists for the type read (and for the check before asking).
	_, _, typeRead := b.Endpoint("contact")
	asked := 0
	for _, id := range m.Identifiers {
		if id.Slot != "" {
			asked++
		}
	}
	extra := 0
	if pre {
		extra = 2
	}
	switch path {
	case "merge":
		if pre {
			return 2 + 2 // the checks' two reads, the lookup, the merge: the type is known
		}
		if typeRead {
			return 4
		}
		return 3
	case "associate":
		if pre {
			return 4 // conversation and type read before asking, lookup, association
		}
		return 3
	case "already linked", "platform-identified":
		return 2
	}
	return asked + extra // unknown, failure
}
