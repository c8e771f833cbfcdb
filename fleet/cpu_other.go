//go:build !unix

package fleet

import "time"

// processCPU is unknown here: the adaptive pool then grows by slow start
// alone, without its CPU bound.
func processCPU() time.Duration { return 0 }
