package fleet

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/inventory"
)

// The jump host gets the device's password source; its errors name it.
func TestJumpHostUsesPasswordAndIsNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	jport := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	pw := func(context.Context) (string, error) { return "pw", nil }
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d := inventory.Device{Name: "paris-fw1", Host: "192.0.2.10", Port: 22, User: "admin", Jump: "netops@127.0.0.1:" + strconv.Itoa(jport),
		KnownHosts: kh}
	tg := DeviceTarget(d, TargetOptions{Password: pw})
	if tg.Jump == nil || tg.Jump.Password == nil {
		t.Fatalf("jump has no password source: %+v", tg.Jump)
	}
	if tg.Jump.Host != "127.0.0.1" || tg.Jump.Port != jport || tg.Jump.User != "netops" {
		t.Errorf("jump = %s@%s:%d", tg.Jump.User, tg.Jump.Host, tg.Jump.Port)
	}
	e := &Engine{Inv: &inventory.Inventory{Path: "inv.yaml", Devices: []inventory.Device{d}}, Password: pw}
	r := e.ScanDevice(context.Background(), d)
	want := "jump host 127.0.0.1:" + strconv.Itoa(jport)
	if r.Reachable || !strings.Contains(r.Error, want) || strings.Contains(r.Error, "paris-fw1 (jump)") {
		t.Errorf("error %q does not name the jump host %s", r.Error, want)
	}
}
