package contract

// PlaceholderMarker starts every sentinel the flow writer puts in place of a
// `{{key}}` placeholder before YAML encoding; config validation refuses
// names that contain it.
const PlaceholderMarker = "BPGEN_SUBST_"

// Flow variables the inbound flow sets and the emulator's reports read.
const (
	// VarFlowOutcome holds ResolveContact's outcome (alreadyLinked, merged,
	// notFound, ...) when the inbound flow transfers to the queue.
	VarFlowOutcome = "Flow.Outcome"
)

// FailureOutputs are the fixed outputs of every data action's failure path
// (api.md 5.4), in the order the flows write them and the runtime fills them.
var FailureOutputs = []string{
	"errorCode", "status", "correlationId", "entityId", "entityName", "userMessage", "userParamsMessage",
	"userParams.key", "userParams.value", "details.errorCode", "details.fieldName", "details.entityId", "details.entityName",
}
