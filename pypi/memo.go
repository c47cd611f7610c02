package pypi

import (
	"context"
	"errors"
	"sync"
)

// memo remembers the result of a function per key for the life of a Client.
// Concurrent callers for the same key wait for one call. Results cancelled by
// a context are forgotten, so a later caller tries again.
type memo[V any] struct {
	mu    sync.Mutex
	calls map[string]*memoCall[V]
	// transient makes the memo remember nothing once a call has ended: it
	// only shares the call among the callers that came while it ran.
	transient bool
}

type memoCall[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// do returns fn's result for key, calling fn at most once at a time per key
// and never again after it succeeded or failed for a reason other than a
// cancelled context.
func (m *memo[V]) do(ctx context.Context, key string, fn func() (V, error)) (V, error) {
	m.mu.Lock()
	if m.calls == nil {
		m.calls = make(map[string]*memoCall[V])
	}
	call, ok := m.calls[key]
	if !ok {
		call = &memoCall[V]{done: make(chan struct{})}
		m.calls[key] = call
		m.mu.Unlock()
		call.v, call.err = fn()
		if m.transient || errors.Is(call.err, context.Canceled) || errors.Is(call.err, context.DeadlineExceeded) {
			m.mu.Lock()
			delete(m.calls, key)
			m.mu.Unlock()
		}
		close(call.done)
		return call.v, call.err
	}
	m.mu.Unlock()
	select {
	case <-call.done:
		return call.v, call.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}
