package hostile

import (
	"testing"

	"go.uber.org/goleak"
)

// Every session, stream and server these tests open must be gone when
// they end: hostile output may not strand a goroutine.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
