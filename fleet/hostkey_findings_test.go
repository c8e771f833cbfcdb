package fleet

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/sim"
	"golang.org/x/crypto/ssh"
)

// Each host-key refusal is its own finding with its own advice, never
// UNREACHABLE with "retry" (issue 14 §3, issue 15 §7): scanned against the
// simulator with the device's known_hosts file rewritten.
func TestHostKeyFindings(t *testing.T) {
	f, e := simFleet(t, spec("dev", sim.Healthy))
	d := f.Device("dev")
	cfg, _ := e.Inv.Device("dev")
	key := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.KnownHostKey())))
	cases := []struct {
		name, file string
		code       Code
		msg        []string
		advice     []string
	}{
		{"unknown", "", CodeHostKeyUnknown, []string{"unknown", "SHA256:"}, []string{"--accept-new-host-keys", "ssh-keyscan"}},
		{"unknown-with-ca-line", "@cert-authority * " + key + "\n", CodeHostKeyUnknown, []string{"unknown"}, []string{"--accept-new-host-keys"}},
		{"revoked", fmt.Sprintf("[127.0.0.1]:%d %s\n@revoked * %s\n", d.Port(), key, key), CodeHostKeyMismatch, []string{"@revoked", ":2"}, []string{"revoked"}},
		{"unparsable", "this is not a known_hosts line\n", CodeHostKeyUnknown, []string{"line 1", "cannot check"}, []string{"known_hosts"}},
		{"wildcard-port-known", fmt.Sprintf("[127.0.0.1]:* %s\n", key), "", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(cfg.KnownHosts, []byte(c.file), 0o600); err != nil {
				t.Fatal(err)
			}
			r := e.ScanDevice(context.Background(), cfg)
			if c.code == "" {
				if !r.Reachable || r.Error != "" || len(r.Tokens) == 0 {
					t.Fatalf("refused: %s", r.Error)
				}
				return
			}
			if len(r.Findings) != 1 || r.Findings[0].Code != c.code {
				t.Fatalf("findings %+v, want one %s", r.Findings, c.code)
			}
			fd := r.Findings[0]
			for _, m := range c.msg {
				if !strings.Contains(fd.Message, m) {
					t.Errorf("message %q lacks %q", fd.Message, m)
				}
			}
			for _, a := range c.advice {
				if !strings.Contains(fd.Advice, a) {
					t.Errorf("advice %q lacks %q", fd.Advice, a)
				}
			}
			if strings.Contains(fd.Advice, "retry") || fd.Severity != SevError {
				t.Errorf("advice %q severity %s", fd.Advice, fd.Severity)
			}
			if got := len(d.State().Commands); got != 0 {
				t.Errorf("%d commands reached the device", got)
			}
		})
	}
}
