package pypi

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// TestMemo checks that a memo calls its function once per key, for
// concurrent and later callers alike, and again after a cancelled call.
func TestMemo(t *testing.T) {
	var m memo[int]
	var calls atomic.Int32
	fn := func() (int, error) { return int(calls.Add(1)), nil }
	ctx := context.Background()
	for range 3 {
		if v, err := m.do(ctx, "a", fn); v != 1 || err != nil {
			t.Fatalf("do = %d, %v; want 1, nil", v, err)
		}
	}
	if _, err := m.do(ctx, "b", func() (int, error) { return 0, context.Canceled }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: %v", err)
	}
	if v, _ := m.do(ctx, "b", fn); v != 2 {
		t.Errorf("after a cancelled call do = %d, want a new call (2)", v)
	}
}

// TestTransientMemo checks that a transient memo remembers nothing once a
// call has ended: each later caller calls again. (Callers that come while a
// call runs share it, as in any memo.)
func TestTransientMemo(t *testing.T) {
	m := memo[int]{transient: true}
	var calls atomic.Int32
	fn := func() (int, error) { return int(calls.Add(1)), nil }
	for want := 1; want <= 3; want++ {
		if v, err := m.do(context.Background(), "a", fn); v != want || err != nil {
			t.Fatalf("call %d: do = %d, %v", want, v, err)
		}
	}
	if len(m.calls) != 0 {
		t.Errorf("the memo holds %d calls after they ended", len(m.calls))
	}
}
