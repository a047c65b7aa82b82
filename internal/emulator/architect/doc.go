// Package architect runs the Architect flows of a rendered bpgen bundle
// against the emulated org (package org): the inbound message flow, the bot
// flow it calls, the ResolveContact common module and, through package
// dataaction, the data actions, all loaded from exactly the files
// `bpgen render` wrote.
//
// No local Architect runtime exists, so this package is one: it reads the
// Archy YAML (after applying each flow's `{{key}}` substitutions the way the
// Terraform provider does), compiles every flow into a tree of actions when
// the bundle is loaded, and interprets that tree per conversation.
//
// Three properties matter more than breadth:
//
//   - Nothing is skipped silently. A construct the runtime does not implement
//     is an [UnsupportedError] ("unsupported: <construct> at <file>:<line>")
//     when the bundle is loaded, before any conversation runs, so a green
//     simulation means every action on every path was understood.
//   - Everything observable is recorded. Each conversation keeps a [Trace]:
//     every flow step with its file and line, every data-action HTTP call with
//     method, path, status and latency, and every message each way.
//   - Conversations are independent. A [Runtime] runs each conversation in its
//     own goroutine with its own variables; the org is the only shared state,
//     and it is safe for concurrent use.
//
// Lifecycle: [Load] a bundle to check it, then deploy it (internal/emulator/deploy
// applies it as Terraform would, publishing the flows through Architect
// jobs) and [Start] a Runtime on that org with [LoadDeployed]: the flows as
// published, and [Options].DataActionsClient, the client behind the
// deployed integration's credential (internal/emulator/deploy's
// Deployment.StartRuntime does both). The runtime deploys nothing itself. It
// serves the org over loopback HTTP unless told where it already listens,
// and subscribes to the org's conversation events: the first customer
// message of a conversation runs the inbound message flow, later ones
// answer the bot. [Runtime.Wait]
// returns a conversation's [Result].
//
// An org populated over the API (`org serve --empty`, where the Terraform
// provider publishes flows through Architect jobs) runs with
// [StartPublished]: [Publisher] compiles each uploaded flow against the
// flows, data actions and queues the org already holds, publishes it, and
// swaps the runtime's flows ([LoadPublished], [Runtime.SetBundle]).
//
// Semantics that the reference material does not settle are marked
// "inferred:" where they are implemented.
package architect
