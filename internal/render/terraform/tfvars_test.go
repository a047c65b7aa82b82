package terraform

import (
	"bytes"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// The direct writer's dev.auto.tfvars is what the hclwrite merge writes from
// nothing, and merging it again changes nothing and says nothing: so a file
// nobody edited may skip the merge (Tfvars' fast path) with the very result.
func TestFreshTfvarsMatchesTheMerge(t *testing.T) {
	for name, e := range models(t) {
		vars := Variables(e.m)
		fresh, notes, err := Tfvars(e.m, nil)
		if err != nil || len(notes) > 0 {
			t.Fatalf("%s: %v %v", name, err, notes)
		}
		f := hclwrite.NewEmptyFile()
		buildTfvars(vars, nil, nil, hclSink{f.Body()})
		if want := f.Bytes(); !bytes.Equal(fresh, want) {
			t.Errorf("%s: the direct writer differs from hclwrite:\n%s", name, diff(want, fresh))
		}
		again, notes, err := mergeTfvars(vars, fresh)
		if err != nil || len(notes) > 0 || !bytes.Equal(again, fresh) {
			t.Errorf("%s: merging render's own file gave notes %v, error %v, and:\n%s", name, notes, err, diff(fresh, again))
		}
	}
}
