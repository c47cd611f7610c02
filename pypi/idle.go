package pypi

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// stallError reports a response body that stopped coming: no byte arrived
// for the client's timeout.
type stallError struct{ d time.Duration }

// Error implements error.
func (e *stallError) Error() string { return fmt.Sprintf("timeout: no data received for %v", e.d) }

// Timeout reports that the error is a time-out, as net.Error does.
func (e *stallError) Timeout() bool { return true }

// idleBody is a response body that gives up when no data arrives for d: a
// timer, pushed back by every read that returns data, cancels the request.
// A large download may take long; a silent one may not.
type idleBody struct {
	rc      io.ReadCloser
	d       time.Duration
	timer   *time.Timer
	stalled atomic.Bool
	done    func()
	once    sync.Once
}

// newIdleBody wraps rc; done ends the request rc belongs to (cancelling its
// context) and is called once, when the body is closed.
func newIdleBody(rc io.ReadCloser, d time.Duration, done func()) *idleBody {
	b := &idleBody{rc: rc, d: d, done: done}
	b.timer = time.AfterFunc(d, func() {
		b.stalled.Store(true)
		b.close()
	})
	return b
}

// Read implements io.Reader.
func (b *idleBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if b.stalled.Load() {
		return n, &stallError{b.d}
	}
	if n > 0 {
		b.timer.Reset(b.d)
	}
	return n, err
}

// Close implements io.Closer; it also ends the request.
func (b *idleBody) Close() error {
	b.timer.Stop()
	err := b.rc.Close()
	b.close()
	return err
}

// close ends the request once.
func (b *idleBody) close() { b.once.Do(b.done) }
