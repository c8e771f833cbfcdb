package devlock

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSecondAcquireWaitsThenRefusesNamingTheHolder(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	l, err := Acquire(ctx, dir, "10.0.0.1:22", "activate FTK2000000000001 on fw1", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Acquire(ctx, dir, "10.0.0.1:22", "activate FTK2000000000001 on fw1", 300*time.Millisecond)
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) {
		t.Fatalf("second Acquire = %v, want a BusyError", err)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond || waited > 3*time.Second {
		t.Errorf("waited %s, want about 300ms", waited)
	}
	msg := err.Error()
	for _, want := range []string{"pid " + strconv.Itoa(os.Getpid()), "activate FTK2000000000001 on fw1", "since "} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal %q does not name %q", msg, want)
		}
	}
	// Another device is independent.
	o, err := Acquire(ctx, dir, "10.0.0.2:22", "x", 0)
	if err != nil {
		t.Fatalf("other device: %v", err)
	}
	_ = o.Release()
	// A waiter gets the lock once it is released.
	go func() { time.Sleep(200 * time.Millisecond); _ = l.Release() }()
	l2, err := Acquire(ctx, dir, "10.0.0.1:22", "y", 5*time.Second)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	_ = l2.Release()
}

func TestFileNamesStayApart(t *testing.T) {
	a, b := fileName("[::1]:22"), fileName("__1__22")
	if a == b || strings.ContainsAny(a, "/:[]") {
		t.Errorf("fileName: %q vs %q", a, b)
	}
}
