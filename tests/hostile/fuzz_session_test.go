package hostile

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/tests/testkit"
	"golang.org/x/crypto/ssh"
)

// fuzzPayloads hands each connection its fuzzed answer, keyed by the login
// name the iteration dials with.
var fuzzPayloads sync.Map

// fuzzShell answers as the mode byte says: the payload at login (instead of
// a prompt) or after a proper login as the answer to every command, with or
// without a prompt after it, or with the connection dropped after it.
func fuzzShell(user string, ch ssh.Channel) {
	v, ok := fuzzPayloads.Load(user)
	if !ok {
		return
	}
	in := v.([]byte)
	mode, payload := in[0], in[1:]
	if mode&1 == 0 { // garbage instead of a login prompt
		_, _ = ch.Write(payload)
		if mode&2 != 0 {
			_, _ = ch.Write([]byte("\r\n" + prompt))
		}
	}
	scripted(mode&4 != 0, func(w ssh.Channel, cmd string) bool {
		if _, err := w.Write(payload); err != nil {
			return false
		}
		if mode&8 != 0 {
			return false // drop mid-output
		}
		if mode&16 != 0 {
			_, err := w.Write([]byte("\r\n" + prompt))
			return err == nil
		}
		return true // no prompt: the client must time out
	})(user, ch)
}

var (
	fuzzOnce   sync.Once
	fuzzServer *testkit.HostileServer
	fuzzSeq    atomic.Int64
)

// FuzzSessionOutput drives device.Dial/Open/Run and the typed readers
// against a server that answers with fuzzed bytes: never a panic, never a
// hang past the timeouts.
func FuzzSessionOutput(f *testing.F) {
	for _, s := range []string{
		"\x1dFORTITOKEN DRIFT STATUS\r\nFTK2000000000001 0 new\r\n",
		"\x15--More-- \r        \rX",
		"\x1c\x00\xff\xfe\r\r\r\n\n# # $ (",
		"\x14(Press 'a' to accept):",
		"\x1dconfig user fortitoken\r\n    edit \"FTK2000000000001\"\r\n        set seed ENC abc\r\n",
		"\x1dCommand fail. Return code -61\r\n",
		"\x04FGT-HOSTILE (global) # FGT-HOSTILE $ ",
	} {
		f.Add([]byte(s))
	}
	fuzzOnce.Do(func() { fuzzServer = testkit.StartHostile(f, f.TempDir(), fuzzShell) })
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > 64<<10 {
			return
		}
		user := fmt.Sprintf("fuzz%d", fuzzSeq.Add(1))
		fuzzPayloads.Store(user, in)
		defer fuzzPayloads.Delete(user)
		done := make(chan struct{})
		go func() {
			defer close(done)
			exercise(user)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("session layer hung on input %q", in)
		}
	})
}

// exercise runs one session against the fuzz server; errors are expected,
// panics and hangs are not.
func exercise(user string) {
	ctx := context.Background()
	cl, err := device.Dial(ctx, hostileTarget(fuzzServer, user, 300*time.Millisecond))
	if err != nil {
		return
	}
	defer cl.Close()
	s, err := cl.Open(ctx)
	if err != nil {
		return
	}
	defer s.Close()
	_, _ = s.Run(ctx, "diagnose fortitoken info")
	_, _ = s.TokenInfo(ctx, "")
	_, _ = s.TokenConfig(ctx)
	_, _ = s.Accounts(ctx)
	_, _ = s.DebugInfo(ctx)
}
