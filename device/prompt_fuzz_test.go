package device

import (
	"strings"
	"testing"

	"github.com/ftktui/ftktui/device/channel"
)

// FuzzDebugText feeds arbitrary device output to the debug line cleaner
// (the prompt grammar itself is fuzzed in package channel): never a panic,
// never a line end, an over-long line or a blank line delivered.
func FuzzDebugText(f *testing.F) {
	f.Add([]byte("FGT-1 # "), "FGT-1")
	f.Add([]byte("banner\r\nFGT-1 (global) $ "), "FGT-1")
	f.Add([]byte("FGT-1 # 2024-01-01 00:00:00 [forticldd] x\r--More-- \r        \r"), "FGT-1")
	f.Add([]byte(strings.Repeat("x", 2000)+"\nH # "), "H")
	f.Add([]byte("x\r\nFGT-1(Secondary) (global) $ 2025-12-10 21:54:00 [3551] fds"), "FGT-1")
	f.Add([]byte("FGT-VERYLONG~ (cust-a~) # "), "FGT-VERYLONG~")
	f.Add([]byte(" 2025-12-10 21:54:00 [37] fds  \b \bqueue_task: y \b"), "FGT")
	f.Fuzz(func(t *testing.T, buf []byte, host string) {
		pm := channel.NewPromptMatcher(host)
		for _, raw := range strings.Split(string(buf), "\n") {
			l, ok := debugText(raw, pm)
			if ok && (len(l) > maxDebugLine || strings.Contains(l, "\n") || strings.TrimSpace(l) == "") {
				t.Fatalf("debug text %q from %q", l, raw)
			}
		}
	})
}
