package hostile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// evil are identifiers an attacker (or a typo, or a poisoned inventory or
// ticket) might hand ftktui: newlines, quotes, `;`, pipes, escapes,
// Unicode look-alikes, over-long values.
var evil = []string{
	"FTK0000000000001\nexecute factoryreset",
	"FTK0000000000001\rexecute factoryreset",
	"FTK0000000000001;execute factoryreset",
	"FTK000000000001;",
	`FTK000000000000"`,
	"FTK0000000000001 | grep x",
	"FTK0000000000001\x00",
	"ftk0000000000001",
	"FTK00000000000Ö1",
	"FΤK0000000000001", // Greek capital tau
	"FTK" + strings.Repeat("0", 5000),
	"FTK\u202e1000000000000",
	"\x1b[2JFTK0000000000001",
	"",
	" FTK0000000000001",
}

var evilNames = []string{
	"root\nexecute factoryreset", "root;end", `ro"ot`, "root end", "-root", "röot", "root\x1b[A",
	strings.Repeat("a", 65), "", "us'er", "user|grep", `us\er`, "user\u200b",
}

// A malicious serial never reaches a device: Plan refuses it before
// dialling, Run refuses a forged plan carrying it, and the device receives
// not one byte (no new command, no connection).
func TestMaliciousSerialNeverSent(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "target", Scenarios: []sim.Scenario{sim.MultiVDOM}}}, Seed: 21})
	e := testkit.StartEngine(t, f, 3*time.Second, 10*time.Second)
	d := f.Device("target")
	before := len(d.State().Commands)
	ctx := context.Background()
	for _, sn := range evil {
		for _, a := range []fleet.Action{fleet.ActionActivate, fleet.ActionReadd, fleet.ActionResend, fleet.ActionRenew} {
			req := fleet.ActionRequest{Action: a, Device: "target", Token: sn, Force: true}
			p, err := e.Plan(ctx, req)
			if err == nil && (p == nil || p.Refused == "") {
				t.Errorf("%s %q: planned %q", a, sn, p.Lines)
			}
			if err != nil && !errors.Is(err, device.ErrInvalidInput) {
				t.Errorf("%s %q: refused with an untyped error %v", a, sn, err)
			}
			forged := &fleet.Plan{Request: req, Lines: []string{"execute fortitoken activate " + sn}}
			if res := e.Run(ctx, forged, nil); res.Outcome != fleet.OutcomeRefused {
				t.Errorf("%s %q: forged plan ran: %+v", a, sn, res)
			}
		}
	}
	st := d.State()
	if len(st.Commands) != before || st.OpenConns != 0 {
		t.Fatalf("the device received %d commands (%v) for refused input", len(st.Commands)-before, st.Commands[before:])
	}
}

// Script constructors refuse malicious serials and account names.
func TestMaliciousScriptsRefused(t *testing.T) {
	good := "FTK2000000000001"
	for _, sn := range evil {
		for name, mk := range map[string]func(string) (device.Script, error){
			"activate": device.Activate, "delete": device.DeleteToken, "add": device.AddToken,
			"provision": device.Provision, "renew": device.Renew,
		} {
			if sc, err := mk(sn); !errors.Is(err, device.ErrInvalidInput) {
				t.Errorf("%s(%q) = %q, %v", name, sn, sc.Lines, err)
			}
		}
		if sc, err := device.Bind(parse.Account{Name: "jdoe", Kind: parse.AccountUser}, sn); !errors.Is(err, device.ErrInvalidInput) {
			t.Errorf("Bind(jdoe, %q) = %q, %v", sn, sc.Lines, err)
		}
	}
	for _, n := range evilNames {
		for _, kind := range []string{parse.AccountUser, parse.AccountAdmin} {
			a := parse.Account{Name: n, Kind: kind}
			if sc, err := device.Bind(a, good); !errors.Is(err, device.ErrInvalidInput) {
				t.Errorf("Bind(%q) = %q, %v", n, sc.Lines, err)
			}
			if sc, err := device.Unbind(a); !errors.Is(err, device.ErrInvalidInput) {
				t.Errorf("Unbind(%q) = %q, %v", n, sc.Lines, err)
			}
		}
	}
}

// A malicious VDOM in the inventory is refused at load or before any byte
// is sent: the device sees no command and no login.
func TestMaliciousVDOMNeverSent(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "mv", Scenarios: []sim.Scenario{sim.MultiVDOM}}}, Seed: 22})
	d := f.Device("mv")
	kh := filepath.Join(f.Dir, "known_hosts")
	for i, v := range evilNames {
		if v == "" {
			continue // empty means the default VDOM
		}
		inv := filepath.Join(t.TempDir(), fmt.Sprintf("inv%d.yaml", i))
		body := fmt.Sprintf("defaults:\n  user: admin\n  password_env: FTKTUI_PASSWORD\n  known_hosts: %q\n  vdom: %q\ndevices:\n  - name: mv\n    host: 127.0.0.1\n    port: %d\n",
			kh, v, d.Port())
		testkit.WriteFileT(t, inv, []byte(body))
		before := len(d.State().Commands)
		loaded, err := inventory.Load(inv, inventory.LoadOptions{})
		if err != nil {
			var ie *inventory.InventoryError
			if !errors.As(err, &ie) {
				t.Errorf("vdom %q: untyped inventory error %v", v, err)
			}
			continue
		}
		e := &fleet.Engine{Inv: loaded, DeviceTimeout: 5 * time.Second}
		r := e.ScanDevice(context.Background(), loaded.Devices[0])
		if r.Error == "" {
			t.Errorf("vdom %q: scan succeeded", v)
		}
		if got := d.State().Commands[before:]; len(got) != 0 {
			t.Errorf("vdom %q reached the device: %q", v, got)
		}
	}
}

// FuzzLoadInventory writes arbitrary bytes as an inventory file: loading
// never panics; a failure is an *InventoryError in FILE:LINE form; a
// success yields devices that are safe to dial.
func FuzzLoadInventory(f *testing.F) {
	f.Add([]byte("defaults:\n  user: admin\n  port: 22\n  timeout: 20s\ngroups:\n  emea: { user: netops }\ndevices:\n  - name: a\n    host: 192.0.2.1\n    groups: [emea]\n    tags: [x]\n"))
	f.Add([]byte("devices:\n  - name: a\n    host: h\n  - name: a\n    host: h\n"))
	f.Add([]byte("devices:\n  - name: a\n    host: h\n    vdom: \"root\\nend\"\n    timeout: -1s\n    port: 99999\n"))
	f.Add([]byte("Host fgt-*\n  HostName 192.0.2.9\n  User admin\n  Port 2222\n  ProxyJump a@b:22\n"))
	f.Add([]byte("devices: [{name: \"x;y\", host: \"\\u0000\"}]\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<20 {
			return
		}
		path := filepath.Join(t.TempDir(), "inventory.yaml")
		if err := os.WriteFile(path, in, 0o600); err != nil {
			t.Fatal(err)
		}
		inv, err := inventory.Load(path, inventory.LoadOptions{})
		if err != nil {
			var ie *inventory.InventoryError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("error is not an *InventoryError with problems: %v", err)
			}
			for _, p := range ie.Problems {
				if p.File != path || !strings.HasPrefix(p.String(), path) {
					t.Fatalf("problem %q does not name the file", p.String())
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, d := range inv.Devices {
			if d.Name == "" || d.Host == "" || seen[d.Name] {
				t.Fatalf("device accepted without a unique name and a host: %+v", d)
			}
			seen[d.Name] = true
			if d.Port < 0 || d.Port > 65535 || d.Timeout < 0 {
				t.Fatalf("device %q accepted with port %d timeout %s", d.Name, d.Port, d.Timeout)
			}
			if d.VDOM != "" && !parse.ValidName(d.VDOM) {
				// Accepted by the loader: the dialler must refuse it
				// before connecting.
				_, err := device.Dial(context.Background(), device.Target{Host: "", VDOM: d.VDOM})
				if !errors.Is(err, device.ErrInvalidInput) {
					t.Fatalf("unsafe VDOM %q not refused: %v", d.VDOM, err)
				}
			}
		}
	})
}

var (
	serialRe = regexp.MustCompile(`^FTK[0-9A-Z]{13}$`)
	safeLine = regexp.MustCompile(`^[A-Za-z0-9 ._@"-]+$`)
)

// FuzzScripts feeds arbitrary serials and account names to every script
// constructor: whatever is accepted is a valid serial / safe name, and every
// line it would send is plain printable ASCII without separators.
func FuzzScripts(f *testing.F) {
	for i, s := range evil {
		f.Add(s, evilNames[i%len(evilNames)])
	}
	f.Add("FTK2000000000001", "jdoe")
	f.Add("FTKMOB0000000001", "admin@corp")
	f.Fuzz(func(t *testing.T, sn, name string) {
		check := func(what string, sc device.Script, err error) {
			if err != nil {
				if !errors.Is(err, device.ErrInvalidInput) {
					t.Fatalf("%s: untyped refusal %v", what, err)
				}
				return
			}
			for _, l := range sc.Lines {
				if !safeLine.MatchString(l) || strings.Count(l, `"`)%2 != 0 {
					t.Fatalf("%s: unsafe line %q", what, l)
				}
			}
		}
		for what, mk := range map[string]func(string) (device.Script, error){
			"activate": device.Activate, "delete": device.DeleteToken, "add": device.AddToken,
			"provision": device.Provision, "renew": device.Renew,
		} {
			sc, err := mk(sn)
			if err == nil && !serialRe.MatchString(sn) {
				t.Fatalf("%s accepted serial %q", what, sn)
			}
			check(what, sc, err)
		}
		a := parse.Account{Name: name, Kind: parse.AccountUser}
		sc, err := device.Bind(a, sn)
		if err == nil && (!serialRe.MatchString(sn) || !parse.ValidName(name)) {
			t.Fatalf("Bind accepted %q / %q", name, sn)
		}
		check("bind", sc, err)
		sc, err = device.Unbind(a)
		if err == nil && !parse.ValidName(name) {
			t.Fatalf("Unbind accepted %q", name)
		}
		check("unbind", sc, err)
	})
}

// A hostile or odd device may hold accounts whose names ftktui must never
// echo onto a command line (FortiOS accepts `#`, `$`, `(`, a leading `-`
// …; ftktui's name rule does not). Such a device's token is still scanned,
// but a delete-and-re-add that would have to unbind and rebind that
// account is refused before anything is changed.
func TestHostileAccountNameNeverEchoed(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "odd", Scenarios: []sim.Scenario{sim.MigratedSeed}}}, Seed: 23})
	d := f.Device("odd")
	var sn string
	for _, tk := range d.State().Tokens {
		if tk.Seed {
			sn = tk.Serial
		}
	}
	const odd = "ops$(id)#1"
	simExec(t, f, d, "config user local\nedit \""+odd+"\"\nset type password\nset two-factor fortitoken\nset fortitoken "+sn+"\nnext\nend")
	tk, _ := d.State().Token(sn)
	if !slices.Contains(tk.Users, odd) {
		t.Fatalf("could not plant the odd account on the simulator: token users %v", tk.Users)
	}
	e := testkit.StartEngine(t, f, 3*time.Second, 15*time.Second)
	before := len(d.State().Commands)
	p, err := e.Plan(context.Background(), fleet.ActionRequest{Action: fleet.ActionReadd, Device: "odd", Token: sn})
	if err == nil && p.Refused == "" {
		t.Fatalf("readd planned with an unsafe account name: %q", p.Lines)
	}
	if err != nil && !errors.Is(err, device.ErrInvalidInput) {
		t.Errorf("refused with an untyped error: %v", err)
	}
	for _, c := range d.State().Commands[before:] {
		if strings.Contains(c, odd) || strings.HasPrefix(c, "set ") || strings.HasPrefix(c, "delete") || strings.HasPrefix(c, "edit ") {
			t.Errorf("planning sent %q", c)
		}
	}
	if tk, _ := d.State().Token(sn); !slices.Contains(tk.Users, odd) || len(tk.Users) != 3 {
		t.Errorf("bindings changed: %v", tk.Users)
	}
}

// Refused identifiers are quoted as a bounded prefix: a megabyte serial or
// account name does not come back whole in the error.
func TestRefusedInputQuotedBounded(t *testing.T) {
	huge := "FTK" + strings.Repeat("0", 1<<20)
	errs := []error{}
	_, err := device.Activate(huge)
	errs = append(errs, err)
	_, err = device.Bind(parse.Account{Name: huge, Kind: parse.AccountUser}, "FTK2000000000001")
	errs = append(errs, err)
	_, err = device.Dial(context.Background(), device.Target{Host: "127.0.0.1", VDOM: huge})
	errs = append(errs, err)
	for _, err := range errs {
		if !errors.Is(err, device.ErrInvalidInput) || len(err.Error()) > 512 {
			t.Errorf("%d-byte error: %.200v", len(fmt.Sprint(err)), err)
		}
	}
}
