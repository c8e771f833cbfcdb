package fleet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
)

// An OpenSSH client config drives a real scan: Host entries picked by
// pattern, HostName/Port/User/UserKnownHostsFile used; an unknown host key
// is refused unless --accept-new-host-keys, which then trusts it.
func TestSSHConfigInventoryScan(t *testing.T) {
	f, e := simFleet(t, spec("fgt-a", sim.Healthy), spec("fgt-b", sim.PendingActivation))
	dir := t.TempDir()
	kh := filepath.Join(dir, "known_hosts")
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "Host *\n    User %s\n    UserKnownHostsFile %s\n\n", f.User(), kh)
	for _, d := range f.Devices() {
		fmt.Fprintf(&cfg, "Host %s\n    HostName 127.0.0.1\n    Port %d\n\n", d.Name(), d.Port())
	}
	cfg.WriteString("Host bastion\n    HostName 192.0.2.1\n")
	path := filepath.Join(dir, "config")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	inv, err := inventory.Load(path, inventory.LoadOptions{Hosts: "fgt-*"})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Devices) != 2 {
		t.Fatalf("devices %+v", inv.Devices)
	}
	pw := f.Password()
	e2 := &Engine{Inv: inv, Audit: e.Audit, DeviceTimeout: e.DeviceTimeout,
		Password: func(context.Context) (string, error) { return pw, nil }}
	for _, r := range e2.Scan(context.Background(), inv.Devices, nil) {
		if len(r.Findings) != 1 || r.Findings[0].Code != CodeHostKeyUnknown || !strings.Contains(r.Error, "unknown") {
			t.Errorf("%s with an empty known_hosts: %+v", r.Name, r.Findings)
		}
	}
	e2.AcceptNewHostKeys = true
	res := e2.Scan(context.Background(), inv.Devices, nil)
	if !res[0].Reachable || len(res[0].Tokens) != 2 || res[1].Tokens[0].Diagnosis != CodeNeedsActivation {
		t.Errorf("trust on first use: %+v", res)
	}
	b, err := os.ReadFile(kh)
	if err != nil || strings.Count(string(b), "\n") != 2 {
		t.Errorf("known_hosts after TOFU: %q %v", b, err)
	}
}
