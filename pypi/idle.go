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
// It also gives up on a body that trickles (slowloris): once it has been
// coming for d, it must average minRate. A large download may take long; a
// silent or crawling one may not.
type idleBody struct {
	rc      io.ReadCloser
	d       time.Duration
	timer   *time.Timer
	stalled atomic.Bool
	done    func()
	once    sync.Once
	start   time.Time
	got     int64
}

// newIdleBody wraps rc; done ends the request rc belongs to (cancelling its
// context) and is called once, when the body is closed.
func newIdleBody(rc io.ReadCloser, d time.Duration, done func()) *idleBody {
	b := &idleBody{rc: rc, d: d, done: done, start: time.Now()}
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
	b.got += int64(n)
	if elapsed := time.Since(b.start); elapsed > b.d && float64(b.got) < minRate*elapsed.Seconds() && err == nil {
		b.close()
		return n, &slowError{got: b.got, elapsed: elapsed}
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
