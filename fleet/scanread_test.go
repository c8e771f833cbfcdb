package fleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// fakeKB is an in-memory KBReader: canned answers, an error per read
// (keyed by method name), and the reads in the order they were made.
type fakeKB struct {
	opened parse.SystemStatus // what Status() returns (read at open)
	status parse.SystemStatus
	ha     parse.HAStatus
	cm     parse.CentralManagement
	ping   map[string]parse.PingResult
	info   parse.TokenInfo
	cfgs   []parse.TokenConfig
	accts  []parse.Account
	email  parse.EmailServer
	debug  parse.DebugInfo
	errs   map[string]error
	calls  []string
}

var _ KBReader = (*fakeKB)(nil)

func (f *fakeKB) read(name string) error {
	f.calls = append(f.calls, name)
	return f.errs[name]
}

func (f *fakeKB) ReadOnly() bool             { return false }
func (f *fakeKB) Status() parse.SystemStatus { return f.opened }
func (f *fakeKB) SystemStatus(context.Context) (parse.SystemStatus, error) {
	return f.status, f.read("SystemStatus")
}
func (f *fakeKB) HAStatus(context.Context) (parse.HAStatus, error) { return f.ha, f.read("HAStatus") }
func (f *fakeKB) CentralManagement(context.Context) (parse.CentralManagement, error) {
	return f.cm, f.read("CentralManagement")
}
func (f *fakeKB) Ping(_ context.Context, host string) (parse.PingResult, error) {
	return f.ping[host], f.read("Ping " + host)
}
func (f *fakeKB) TokenInfo(context.Context, string) (parse.TokenInfo, error) {
	return f.info, f.read("TokenInfo")
}
func (f *fakeKB) CloudStatus(context.Context) ([]parse.KV, error) { return nil, f.read("CloudStatus") }
func (f *fakeKB) TokenConfig(context.Context) ([]parse.TokenConfig, error) {
	return f.cfgs, f.read("TokenConfig")
}
func (f *fakeKB) Accounts(context.Context) ([]parse.Account, error) {
	return f.accts, f.read("Accounts")
}
func (f *fakeKB) EmailServer(context.Context) (parse.EmailServer, error) {
	return f.email, f.read("EmailServer")
}
func (f *fakeKB) DebugInfo(context.Context) (parse.DebugInfo, error) {
	return f.debug, f.read("DebugInfo")
}

// healthyKB is a standalone unit with FortiGuard in reach, a hardware
// token waiting for activation and a provisioned mobile token.
func healthyKB() *fakeKB {
	up := parse.PingResult{Resolved: true, Sent: 5, Received: 5}
	return &fakeKB{
		opened: parse.SystemStatus{Hostname: "FGT-PARIS", Model: "FortiGate-60F", Version: "v7.4.4", Serial: "FGT60FTK0000001",
			VDOMMode: "disable", HAMode: "standalone"},
		cm:   parse.CentralManagement{Type: "fortiguard"},
		ping: map[string]parse.PingResult{"fds1.fortinet.com": up, "directregistration.fortinet.com": up},
		info: parse.TokenInfo{ServerStatus: "reachable", Tokens: []parse.TokenRow{{Serial: hwSN, Status: "new"}, {Serial: mobSN, Status: "provisioned"}}},
		cfgs: []parse.TokenConfig{{Serial: hwSN}, {Serial: mobSN, HasSeed: true}},
		accts: []parse.Account{{Name: "jdoe", Kind: "user", TwoFactor: "fortitoken", FortiToken: hwSN},
			{Name: "amy", Kind: "user", TwoFactor: "fortitoken", FortiToken: mobSN, EmailTo: "amy@example.com"}},
		email: parse.EmailServer{Server: "notification.fortinet.net", Port: 465, Security: "smtps"},
		debug: parse.DebugInfo{Levels: map[string]int{}},
	}
}

// readFake runs the planning-path read (pings on the main session) of kb
// for device d.
func readFake(t *testing.T, kb *fakeKB, d inventory.Device) (DeviceResult, Facts, error) {
	t.Helper()
	e := &Engine{Inv: &inventory.Inventory{Path: "inv.yaml", Devices: []inventory.Device{d}}}
	r := newResult(d)
	r.Reachable = true
	f, err := e.readDevice(context.Background(), kb, d, &r, nil)
	return r, f, err
}

func tokenCode(r DeviceResult, sn string) Code {
	for _, t := range r.Tokens {
		if t.Serial == sn {
			return t.Diagnosis
		}
	}
	return ""
}

// The whole KB read and diagnosis of a healthy unit, without SSH: every
// read happens once, in the KB's order, and the rules see the facts.
func TestReadDeviceFromFake(t *testing.T) {
	kb := healthyKB()
	r, f, err := readFake(t, kb, inventory.Device{Name: "paris-fw1", Host: "192.0.2.10", Port: 22})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CentralManagement", "Ping fds1.fortinet.com", "Ping directregistration.fortinet.com",
		"TokenInfo", "CloudStatus", "TokenConfig", "DebugInfo", "Accounts", "EmailServer"}
	if !slices.Equal(kb.calls, want) {
		t.Errorf("reads = %v\nwant    %v", kb.calls, want)
	}
	if r.Hostname != "FGT-PARIS" || r.Model != "FortiGate-60F" || r.VDOM != "" || r.HA != nil || r.CentralManagement.Type != "fortiguard" {
		t.Errorf("identity = %+v", r)
	}
	if len(r.FortiGuard) != 2 || !r.FortiGuard[0].Reachable || !r.FortiGuard[1].Reachable {
		t.Errorf("fortiguard = %+v", r.FortiGuard)
	}
	if r.EmailServer.Server != "notification.fortinet.net" || f.EmailUnknown || len(f.Accounts) != 2 {
		t.Errorf("email %+v unknown=%v accounts=%d", r.EmailServer, f.EmailUnknown, len(f.Accounts))
	}
	if c := tokenCode(r, hwSN); c != CodeNeedsActivation {
		t.Errorf("hardware token = %s, want NEEDS_ACTIVATION", c)
	}
	if c := tokenCode(r, mobSN); c != CodeOK && c != CodePending {
		t.Errorf("provisioned mobile token = %s", c)
	}
	if r.ScannedAt.IsZero() {
		t.Error("ScannedAt not set")
	}
}

// The device config, not a lookup by name, decides the VDOM read on a
// multi-VDOM unit; HA members come from `get system ha status`.
func TestReadDeviceVDOMAndHA(t *testing.T) {
	kb := healthyKB()
	kb.opened = parse.SystemStatus{} // not read at open: read it now
	kb.status = parse.SystemStatus{Hostname: "FGT-LYON", VDOMMode: "multiple", HAMode: "a-p, master"}
	kb.ha = parse.HAStatus{GroupName: "LYON-HA", GroupID: "7", Members: []parse.HAMember{{Serial: "FGT60FTK0000001"}, {Serial: "FGT60FTK0000002"}}}
	for _, c := range []struct{ vdom, want string }{{"customer-a", "customer-a"}, {"", parse.DefaultVDOM}} {
		r, _, err := readFake(t, kb, inventory.Device{Name: "lyon", VDOM: c.vdom})
		if err != nil {
			t.Fatal(err)
		}
		if r.VDOM != c.want {
			t.Errorf("inventory vdom %q: read %q, want %q", c.vdom, r.VDOM, c.want)
		}
		if r.HA == nil || r.HA.Group != "LYON-HA" || !slices.Equal(r.HA.Members, []string{"FGT60FTK0000001", "FGT60FTK0000002"}) {
			t.Errorf("ha = %+v", r.HA)
		}
	}
}

// Optional reads that fail leave a scan standing; what they hide is said
// (unknown central management, unknown email server, an unreachable ping).
func TestReadDeviceOptionalFailures(t *testing.T) {
	kb := healthyKB()
	kb.errs = map[string]error{
		"CentralManagement":      fmt.Errorf("show system central-management: %w", device.ErrPermission),
		"Ping fds1.fortinet.com": errors.New("ping: command refused"),
		"Accounts":               fmt.Errorf("config system admin: %w", device.ErrPermission),
		"EmailServer":            errors.New("email-server: command refused"),
		"DebugInfo":              errors.New("diagnose debug info: refused"),
		"CloudStatus":            errors.New("forticldd: no such command"),
		"SystemStatus":           errors.New("not reached: the status read at open is reused"),
	}
	r, f, err := readFake(t, kb, inventory.Device{Name: "paris-fw1"})
	if err != nil {
		t.Fatalf("optional failures stopped the scan: %v", err)
	}
	if r.CentralManagement.Type != "unknown" {
		t.Errorf("central management = %+v, want unknown", r.CentralManagement)
	}
	if r.FortiGuard[0].Reachable || !strings.Contains(r.FortiGuard[0].Error, "refused") || !r.FortiGuard[1].Reachable {
		t.Errorf("fortiguard = %+v", r.FortiGuard)
	}
	if !f.EmailUnknown || f.Debug != nil || len(f.Accounts) != 2 {
		t.Errorf("email unknown=%v debug=%v accounts=%d", f.EmailUnknown, f.Debug, len(f.Accounts))
	}
	if tokenCode(r, hwSN) == "" {
		t.Error("tokens not diagnosed")
	}
}

// An essential read that fails, or a lost session anywhere, ends the read
// with an error naming the command; nothing after it is sent.
func TestReadDeviceEssentialFailures(t *testing.T) {
	cases := []struct {
		method, want string
	}{
		{"TokenInfo", "diagnose fortitoken info"},
		{"TokenConfig", "show user fortitoken"},
		{"Accounts", "reading users and admins"},
		{"CentralManagement", "show system central-management"},
		{"Ping fds1.fortinet.com", "execute ping fds1.fortinet.com"},
		{"EmailServer", "show system email-server"},
		{"DebugInfo", "diagnose debug info"},
		{"CloudStatus", "diagnose test application forticldd 7"},
	}
	for _, c := range cases {
		kb := healthyKB()
		// A lost connection is fatal for every read; a plain error only for the essential ones.
		kb.errs = map[string]error{c.method: fmt.Errorf("%s: %w", c.method, device.ErrConnLost)}
		_, _, err := readFake(t, kb, inventory.Device{Name: "paris-fw1"})
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, device.ErrConnLost) {
			t.Errorf("%s lost: err = %v, want %q wrapping ErrConnLost", c.method, err, c.want)
		}
		if last := kb.calls[len(kb.calls)-1]; last != c.method {
			t.Errorf("%s lost: read %s after it", c.method, last)
		}
	}
	for _, m := range []string{"TokenInfo", "TokenConfig"} {
		kb := healthyKB()
		kb.errs = map[string]error{m: parse.ErrTruncated}
		if _, _, err := readFake(t, kb, inventory.Device{Name: "paris-fw1"}); !errors.Is(err, parse.ErrTruncated) {
			t.Errorf("%s unreadable: err = %v", m, err)
		}
	}
}
