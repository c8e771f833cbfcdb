package device

import (
	"errors"
	"testing"
)

func TestOpErrorNamesDeviceOnce(t *testing.T) {
	inner := opErr("fw1", "get system status", errors.New("no Hostname: line"))
	err := opErr("fw1", "open shell", inner)
	if got, want := err.Error(), `fw1: "open shell": "get system status": no Hostname: line`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	other := opErr("jump", "dial", opErr("fw1", "x", errors.New("boom")))
	if got := other.Error(); got != `jump: "dial": fw1: "x": boom` {
		t.Errorf("different devices must both be named: %q", got)
	}
}
