package hclparse_test

import (
	"testing"

	"github.com/apparentlymart/go-textseg/v15/textseg"

	"github.com/bpgen/bpgen/internal/format/hclparse"
)

// Every character the column count takes as a cluster of its own is one for
// the segmenter hclsyntax uses, next to ASCII and to each other (so the
// simple set must not hold an Extend, SpacingMark, ZWJ or Prepend
// character); and text outside the set is counted by the segmenter.
func TestSimpleRunes(t *testing.T) {
	var all []rune
	for r := rune(0x80); r <= 0x10FFFF; r++ {
		if hclparse.SimpleRune(r) {
			all = append(all, r)
		}
	}
	if len(all) < 500 {
		t.Fatalf("only %d simple runes", len(all))
	}
	for i, r := range all {
		next := all[(i+1)%len(all)]
		s := []byte("a" + string(r) + string(r) + string(next) + "-" + string(r) + "\t")
		if got, want := hclparse.Columns(s), segments(s); got != want {
			t.Errorf("%q: %d columns, the segmenter %d", s, got, want)
		}
	}
	for _, s := range []string{"e\u0301", "\u0915\u093F", "👩‍👩‍👧", "🇩🇪🇫🇷", "\u00ad", "a\u200db", "\u1100\u1161\u11a8", "é\u0301"} {
		if got, want := hclparse.Columns([]byte(s)), segments([]byte(s)); got != want {
			t.Errorf("%q: %d columns, the segmenter %d", s, got, want)
		}
	}
}

func segments(b []byte) int {
	n := 0
	for len(b) > 0 {
		adv, _, _ := textseg.ScanGraphemeClusters(b, true)
		b = b[adv:]
		n++
	}
	return n
}
