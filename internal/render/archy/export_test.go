package archy

// Hooks for the external tests, which render real flows (the flows package
// imports this one, so those tests cannot live in package archy).
var (
	EmitFast     = emitFast
	EncodeYAMLv3 = encodeYAMLv3
)
