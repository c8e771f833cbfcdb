package faults

import (
	"testing"

	"go.uber.org/goleak"
)

// The matrix checks for leaks itself; this catches the other tests.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
