// Package expr parses and evaluates the Genesys Cloud Architect expression
// language: the strings that appear under `exp:` in Archy YAML flows, such as
//
//	If(IsSet(Common.externalId), Common.externalId, Common.customerId)
//	Trim(Append("Hello ", ToDisplayString(State.CustomerEmail), "!"))
//	Common.identifiedContactId == Common.externalId OR Flow.x == "y"
//
// It serves three clients inside bpgen:
//
//   - the offline emulator, which evaluates expressions against flow
//     variables ([Parse], [Expr.Eval], [Env], [MapEnv]);
//   - the linter, which needs the variables and functions an expression
//     refers to, and unknown functions, arity and type problems, without
//     running anything ([Expr.Vars], [Expr.Funcs], [Check], [Walk]);
//   - the generator, which must embed arbitrary text as a string literal
//     ([Quote]).
//
// # Syntax
//
// Operator precedence, highest first (help.mypurecloud.com
// "operator-precedence-expressions"):
//
//	[] .            indexing (0-based), property access
//	- ! ~           unary (also the keyword "not", unverified)
//	^
//	* / %
//	+ -
//	< <= > >=
//	== !=
//	&
//	|
//	and             case-insensitive keyword
//	or              case-insensitive keyword
//
// All binary operators are left-associative. Function names and the keywords
// and/or/not/true/false/NOT_SET are case-insensitive; variable names are passed
// to the [Env] exactly as written. String literals use double quotes with the
// escapes \" \\ \n \t \r.
//
// # Functions
//
// The function table is exactly Architect's own catalogue (catalogue.tsv,
// transcribed from the npm package purecloud-flow-scripting-api-sdk-javascript
// via ../shared/reference/architect-functions.json, and kept identical to it
// by TestCatalogueMatchesReference): names, overloads, parameter and return
// types, which parameters accept NOT_SET and what NOT_SET means there. Added
// to it are only the functions published Genesys flows call that this old
// build of the catalogue lacks (MakeCommunication, ToCommunication,
// ResolveSlot, ToDisplayString, JsonParse, GetJsonObjectProperty, AddItem and
// a few look-ups), each citing the flow ([FuncInfo.Source]). Any other name,
// ToLower or StartsWith included, is "unknown function" for [Check] and
// [Expr.Eval]. Functions of the table the emulator does not run (dates,
// currencies, org look-ups, audio) fail at evaluation with "not implemented
// by the emulator".
//
// A call is resolved to an overload by its argument types, as Architect
// does: at check time from what the text tells (literals, operators, results
// of other calls) and, with [Expr.CheckTypes], the flow's variable
// declarations; at evaluation from the values. There are no implicit
// conversions (inferred: an Integer is not a Decimal, a Communication is not a
// String). A NOT_SET argument where the chosen overload forbids NOT_SET is an
// error at evaluation (and at check time for a NOT_SET literal). If evaluates
// only the branch it takes, and a NOT_SET condition counts as false, both as
// the catalogue documents.
//
// # Semantics
//
// Architect's runtime is not available offline, so evaluation follows the
// catalogue's documented behaviour (quoted in builtins.go where it decides)
// and otherwise picks the strict reading, so that the emulator fails where a
// real flow would likely take its error path. Such choices are marked
// "inferred:" in the source and summarised here:
//
//   - NOT_SET == NOT_SET is true, NOT_SET == anything else is false; every
//     other operator applied to NOT_SET is a runtime error (documented).
//   - Property access on NOT_SET yields NOT_SET, so Flow.contact.email is safe
//     to test with IsNotSetOrEmpty even when Flow.contact is unset.
//   - String comparison (==, <) is case-sensitive and ordinal.
//   - Operands of different types (String == Integer) are an error, except that
//     Integer and Decimal compare numerically.
//   - A negative count or index (Left, Right, Substring) is an error.
//   - The operators & | ^ ~ parse but evaluate to an "unsupported operator"
//     error: their Architect semantics are not documented.
//
// # Limits
//
// The syntax tree may be at most 1000 levels deep (the deepest expression
// bpgen renders is about 20), whatever the text looks like; the canonical
// form [Expr.String] of an accepted expression is therefore always accepted
// too.
package expr
