package org

import (
	"net/http"
	"strings"
)

// The create, read, update, find and delete shapes every stored object shares
// (deployed objects, open-messaging integrations, external sources): take
// Org.mu, look the id up in its map, answer the 404 that names the entity,
// and hand out a copy, never a pointer into org state. The maps are fixed at
// New, so reading the map field before taking the lock is safe; every access
// to their contents happens under it.

// createObject is the shape of every Create: the name is required and
// trimmed (400, see requireName), then build runs under the write lock to
// check the rest against the org and store the new object (insertLocked).
func createObject[T any](o *Org, name string, build func(name string) (T, error)) (T, error) {
	name, err := requireName("name", name)
	if err != nil {
		var zero T
		return zero, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return build(name)
}

// stored is embedded in every object type of objectStore: the object's
// place in creation order, which insertLocked gives it and listings sort by.
type stored struct{ seq uint64 }

func (s *stored) record() *stored { return s }

// storable is a pointer to an object type that embeds stored.
type storable[T any] interface {
	*T
	record() *stored
}

// insertLocked stores a copy of v, a new object, in m under id, last in
// creation order, and returns another copy, so neither the caller's value
// nor the one returned shares state with the org; call with Org.mu held.
func insertLocked[T any, P storable[T]](o *Org, m map[string]*T, id string, v T, clone func(T) T) T {
	c := clone(v)
	P(&c).record().seq = o.objects.next()
	m[id] = &c
	return clone(c)
}

// referenceLocked returns m[id] for a body field that names an object, or
// the 400 badReference; call with Org.mu held.
func referenceLocked[T any](m map[string]*T, field, entity, id string) (*T, error) {
	v, ok := m[id]
	if !ok {
		return nil, badReference(field, entity, id)
	}
	return v, nil
}

// readObject renders m[id] under the read lock, or answers the 404 for
// entity.
func readObject[T, V any](o *Org, m map[string]*T, entity, id string, render func(*T) V) (V, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	v, ok := m[id]
	if !ok {
		var zero V
		return zero, notFound(entity, id)
	}
	return render(v), nil
}

// updateObject applies change to m[id] under the write lock and renders the
// result. change validates before it writes: an error must leave the object
// as it was.
func updateObject[T, V any](o *Org, m map[string]*T, entity, id string, change func(*T) error, render func(*T) V) (V, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var zero V
	v, ok := m[id]
	if !ok {
		return zero, notFound(entity, id)
	}
	if err := change(v); err != nil {
		return zero, err
	}
	return render(v), nil
}

// deleteObject removes m[id] under the write lock. before, when set, runs
// first under the same lock: an error (an object still in use, 409) keeps
// the object; otherwise it may remove what depends on the object.
func deleteObject[T any](o *Org, m map[string]*T, entity, id string, before func(*T) error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	v, ok := m[id]
	if !ok {
		return notFound(entity, id)
	}
	if before != nil {
		if err := before(v); err != nil {
			return err
		}
	}
	delete(m, id)
	return nil
}

// deleteObjectThen removes m[id] and, once the lock is released, runs after
// with the id: what holds its own lock (the action runtimes' token cache,
// guest sessions) lets go of the object outside Org.mu.
func deleteObjectThen[T any](o *Org, m map[string]*T, entity, id string, after func(id string)) error {
	if err := deleteObject(o, m, entity, id, nil); err != nil {
		return err
	}
	after(id)
	return nil
}

// findLocked returns an object match accepts, or nil; call with Org.mu
// held. Map order: callers match on something unique (a name), or use
// sortedBySeq when the oldest match must win.
func findLocked[T any](m map[string]*T, match func(*T) bool) *T {
	for _, v := range m {
		if match(v) {
			return v
		}
	}
	return nil
}

// findObject renders the object match accepts under the read lock, or
// answers a 404 for entity saying what was looked for (there is no id to
// name).
func findObject[T, V any](o *Org, m map[string]*T, entity, missing string, match func(*T) bool, render func(*T) V) (V, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if v := findLocked(m, match); v != nil {
		return render(v), nil
	}
	var zero V
	return zero, notFoundMatching(entity, missing)
}

// findByName renders the object of m whose name (nameOf) is name, trimmed
// and compared case-insensitively, as the provider's data sources look
// objects up; otherwise the 404 says no noun has that name.
func findByName[T, V any](o *Org, m map[string]*T, entity, noun, name string, nameOf func(*T) string, render func(*T) V) (V, error) {
	want := strings.TrimSpace(name)
	return findObject(o, m, entity, "No "+noun+" named "+quote(name)+".",
		func(v *T) bool { return strings.EqualFold(nameOf(v), want) }, render)
}

// notFoundMatching is the 404 of a lookup by name rather than id.
func notFoundMatching(entity, message string) *Error {
	e := newError(http.StatusNotFound, message)
	e.EntityName = entity
	return e
}

// listObjects renders every object of m in creation order, under the read
// lock. The result is never nil, so it encodes as [].
func listObjects[T, V any, P storable[T]](o *Org, m map[string]*T, render func(*T) V) []V {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]V, 0, len(m))
	for _, v := range sortedBySeq[T, P](m) {
		out = append(out, render(v))
	}
	return out
}
