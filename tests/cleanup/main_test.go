// Package cleanup proves docs/spec.md §4's promise that whatever ends a debug
// capture — normal quit, Ctrl-C, SIGTERM, SIGHUP (terminal closed), pane
// closed, connection dropped mid-stream, a failed action, a panic in a
// handler — the device is left with `diagnose debug disable` and
// `diagnose debug reset` sent. The simulator's state is the witness.
package cleanup

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// binDir holds the ftktui binary the process-level tests build once.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ftktui-cleanup-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	if code == 0 {
		// The in-process tests must not leave streams or sessions running.
		if err := goleak.Find(); err != nil {
			os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}
