// Package exitpaths proves issue 15's safety promises on the simulated
// device's own state: one per-device lock across ftktui processes, the
// token re-read before a one-shot line, debug disarmed on every exit path
// (the matrix), and an interrupted mutation reported as "sent, outcome
// unknown" — never "failed".
package exitpaths

import (
	"os"
	"testing"
)

var binDir, lockDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ftktui-exitpaths-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	// Every process and engine of this package shares one private lock
	// directory, as the processes of one admin do.
	lockDir = dir + "/run"
	if err := os.MkdirAll(lockDir, 0o700); err != nil {
		panic(err)
	}
	os.Setenv("XDG_RUNTIME_DIR", lockDir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
