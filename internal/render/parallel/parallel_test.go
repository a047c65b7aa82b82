package parallel

import (
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
)

func TestWaitWaitsForEveryStep(t *testing.T) {
	var g Group
	var n atomic.Int32
	for range 50 {
		g.Go(func() { n.Add(1) })
	}
	g.Wait()
	if n.Load() != 50 {
		t.Fatalf("%d of 50 steps ran before Wait returned", n.Load())
	}
}

// A panic on a step's goroutine is raised by Wait on the waiter's, where a
// deferred recover sees it, with the step's stack; the other steps finish.
func TestAStepsPanicReachesTheWaiter(t *testing.T) {
	var g Group
	var done atomic.Int32
	g.Go(func() { panic(io.ErrUnexpectedEOF) })
	for range 10 {
		g.Go(func() { done.Add(1) })
	}
	got := func() (r any) {
		defer func() { r = recover() }()
		g.Wait()
		return nil
	}()
	p, ok := got.(*Panic)
	if !ok {
		t.Fatalf("Wait raised %#v, want a *Panic", got)
	}
	if !errors.Is(p, io.ErrUnexpectedEOF) || !strings.Contains(p.Error(), "TestAStepsPanicReachesTheWaiter") {
		t.Errorf("the panic lost its value or the step's stack: %v", p)
	}
	if done.Load() != 10 {
		t.Errorf("%d of 10 other steps finished", done.Load())
	}
}
