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
//     refers to and arity problems without running anything ([Expr.Vars],
//     [Expr.Funcs], [Check], [Walk]);
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
// # Semantics
//
// Architect's runtime is not available offline, so evaluation follows the
// documented behaviour where there is documentation and otherwise picks the
// strict reading, so that the emulator fails where a real flow would likely
// take its error path. Such choices are marked "inferred:" in the source and
// summarised here:
//
//   - NOT_SET == NOT_SET is true, NOT_SET == anything else is false; every
//     other operator applied to NOT_SET is a runtime error (documented).
//   - Conversion functions (ToString, ToInt, ToDecimal, ToBool, ToPhoneNumber,
//     ToCommunication, JsonParse) return NOT_SET for NOT_SET (documented for
//     ToString; inferred for the rest from ToScheduleGroup(NOT_SET) and
//     ToCommunication(NOT_SET) in published flows).
//   - ToDisplayString, Append and MakeCommunication treat NOT_SET as "".
//   - Other string functions reject NOT_SET with a runtime error.
//   - Property access on NOT_SET yields NOT_SET, so Flow.contact.email is safe
//     to test with IsNotSetOrEmpty even when Flow.contact is unset.
//   - String comparison (==, <, Contains, StartsWith, ...) is case-sensitive.
//   - Operands of different types (String == Integer) are an error, except that
//     Integer and Decimal compare numerically.
//   - The operators & | ^ ~ parse but evaluate to an "unsupported operator"
//     error: their Architect semantics are not documented.
package expr
