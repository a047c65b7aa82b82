// Package parallel runs a render's independent steps concurrently. Unlike a
// bare sync.WaitGroup, a panic in any of them reaches the goroutine that
// waits, as if raised there: a caller that recovers sees every failure, and
// one that does not crashes with the step's own stack instead of taking the
// process down from a goroutine nobody can recover.
package parallel

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Group is a set of steps to wait for. The zero value is ready to use.
type Group struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	first *Panic
}

// Panic is what Wait raises when a step panicked: the step's value and
// stack.
type Panic struct {
	Value any
	Stack []byte
}

func (p *Panic) Error() string { return fmt.Sprintf("%v\n\n%s", p.Value, p.Stack) }

// Unwrap exposes a panicked error, so errors.Is and As see through.
func (p *Panic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// Go runs f on a goroutine of its own.
func (g *Group) Go(f func()) {
	g.wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				g.mu.Lock()
				if g.first == nil {
					g.first = &Panic{Value: r, Stack: debug.Stack()}
				}
				g.mu.Unlock()
			}
		}()
		f()
	})
}

// Wait waits for every step, then raises the first step's panic, if any.
func (g *Group) Wait() {
	g.wg.Wait()
	if g.first != nil {
		panic(g.first)
	}
}
