// Package guest is a Genesys Cloud Web Messaging guest (Messenger) client
// for tests: it opens a guest session on a web deployment, sends text and
// custom attributes the way Messenger does, and waits for the bot's replies.
//
// The server does not guarantee frame order (ovotech/genesys-web-messaging-tester
// reorders with a delay for this reason). Instead of delaying, a Session
// buffers every frame it receives and every wait looks at the buffer first,
// so a reply that arrived "early", before the wait that wants it, is still
// found. Each wait consumes the frame it returns, so two waits for the same
// prompt need two prompts.
//
// Wire types live in internal/platform/guest/protocol, shared with the emulated org.
package guest
