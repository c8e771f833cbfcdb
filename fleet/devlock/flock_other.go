//go:build !unix

package devlock

import (
	"errors"
	"os"
)

// tryLock: no flock here; refusing is safer than pretending to lock.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("per-device locks need flock(2) (unix only)")
}

func unlock(*os.File) error { return nil }
