package hostile

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/report"
	"github.com/ftktui/ftktui/tests/testkit"
	"golang.org/x/crypto/ssh"
)

// terminalControls are what a hostile device prints to take over the
// admin's terminal: BEL, clear screen, a title change, C1 CSI (UTF-8 and
// the raw byte), DEL, a bidi override and isolate, a carriage return.
const terminalControls = "\a\x1b[2J\x1b]0;pwned\a\u009b31m\x9b1m\x7f\u202e\u2066\r"

// unsafeFor names the first byte or rune in s a terminal would act on
// (tab and newline aside), or "".
func unsafeFor(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case unicode.IsControl(r), r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			return fmt.Sprintf("%U", r)
		}
	}
	return ""
}

// hostileAnswer answers the scan's commands in their real shapes, with the
// controls inside the values a scan shows (token status, model, users).
func hostileAnswer(cmd string) string {
	switch {
	case strings.HasPrefix(cmd, "diagnose fortitoken info"):
		return "FORTITOKEN        DRIFT  STATUS\r\n" +
			"FTK2000000000001  0      new" + terminalControls + "\r\n" +
			"FTKMOB0000000001  0      provisioning" + terminalControls + "\r\n" +
			"\r\nTotal activated token: 0\r\n\r\nToken server status: reachable" + terminalControls + "\r\n"
	case strings.HasPrefix(cmd, "show user fortitoken"):
		return "config user fortitoken\r\n    edit \"FTK2000000000001\"\r\n        set comments \"x" + terminalControls + "\"\r\n    next\r\nend\r\n"
	case strings.HasPrefix(cmd, "show user local"):
		return "config user local\r\n    edit \"jdoe" + terminalControls + "\"\r\n        set type password\r\n        set two-factor fortitoken\r\n        set fortitoken \"FTK2000000000001\"\r\n    next\r\nend\r\n"
	case strings.HasPrefix(cmd, "execute ping"):
		return "PING fds1.fortinet.com (1.2.3.4): 56 data bytes" + terminalControls + "\r\n\r\n--- fds1.fortinet.com ping statistics ---\r\n5 packets transmitted, 0 packets received, 100% packet loss\r\n"
	case strings.HasPrefix(cmd, "show system admin"):
		return "config system admin\r\n    edit \"admin\"\r\n        set accprofile \"super_admin\"\r\n    next\r\nend\r\n"
	case strings.HasPrefix(cmd, "show system central-management"):
		return "config system central-management\r\n    set type none\r\nend\r\n"
	}
	return ""
}

// Hostile controls in a device's answers never reach the scan table, the
// JSON report or any finding: scanned through the real session layer.
func TestHostileControlsNeverReachScanOutput(t *testing.T) {
	s := testkit.StartHostile(t, t.TempDir(), scripted(true, func(w ssh.Channel, cmd string) bool {
		_, err := w.Write([]byte(cmd + "\r\n" + hostileAnswer(cmd) + prompt))
		return err == nil
	}))
	t.Setenv("FTKTUI_HOSTILE_PW", testkit.HostilePassword)
	inv := filepath.Join(t.TempDir(), "inv.yaml")
	testkit.WriteFileT(t, inv, []byte(fmt.Sprintf("defaults:\n  password_env: FTKTUI_HOSTILE_PW\n  known_hosts: %q\n  timeout: 5s\ndevices:\n  - name: evil\n    host: 127.0.0.1\n    port: %d\n", s.KnownHosts, s.Port())))
	loaded, err := inventory.Load(inv, inventory.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := &fleet.Engine{Inv: loaded, DeviceTimeout: 10 * time.Second}
	r := e.ScanDevice(context.Background(), loaded.Devices[0])
	if len(r.Tokens) == 0 {
		t.Fatalf("the hostile answers were not read as tokens (error %q): the test would prove nothing", r.Error)
	}
	var table bytes.Buffer
	if err := report.WriteTable(&table, []fleet.DeviceResult{r}, false); err != nil {
		t.Fatal(err)
	}
	if bad := unsafeFor(table.String()); bad != "" {
		t.Errorf("scan table carries %s:\n%q", bad, table.String())
	}
	if !strings.Contains(table.String(), `\x07`) && !strings.Contains(table.String(), `\u202e`) {
		t.Errorf("the hostile status is not shown escaped in the table:\n%s", table.String())
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	// Every string of the decoded report, as a consumer would print it.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if bad := unsafeFor(x); bad != "" {
				t.Errorf("JSON string carries %s: %q", bad, x)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		case map[string]any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(back)
}

// Debug lines from a hostile device reach the stream (the source of the
// debug pane, `ftktui debug`, --debug-log and ctrl+s) escaped.
func TestHostileControlsNeverReachDebugLines(t *testing.T) {
	var wmu sync.Mutex
	s := testkit.StartHostile(t, t.TempDir(), scripted(true, func(w ssh.Channel, cmd string) bool {
		wmu.Lock()
		defer wmu.Unlock()
		out := cmd + "\r\n" + prompt
		if cmd == "diagnose debug enable" {
			out += "2025-12-10 21:54:14 ftm_fc_command[634]:hello" + terminalControls + "\r\n" +
				"\x1b[31m2025-12-10 21:54:15 [37] fds_queue_task: \u202eevil\u2069 \x9b2J done\r\n"
		}
		_, err := w.Write([]byte(out))
		return err == nil
	}))
	ds, err := device.StartDebug(context.Background(), hostileTarget(s, "admin", 3*time.Second), device.DebugOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ds.Close() }()
	got := 0
	deadline := time.After(5 * time.Second)
	for got < 2 {
		select {
		case l := <-ds.Lines():
			for _, f := range []string{l.Raw, l.Message, l.Func} {
				if bad := unsafeFor(f); bad != "" {
					t.Errorf("debug line carries %s: %q", bad, f)
				}
			}
			if strings.Contains(l.Raw, "hello") || strings.Contains(l.Raw, "evil") {
				got++
			}
		case <-deadline:
			t.Fatalf("only %d of the 2 hostile debug lines arrived", got)
		}
	}
}

// The real binary against the hostile device: `ftktui scan` (table on a
// pipe) and `ftktui debug` stdout print no control the device sent.
func TestHostileControlsNeverReachCLIOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := testkit.BuildBinary(t, dir)
	var wmu sync.Mutex
	s := testkit.StartHostile(t, dir, scripted(true, func(w ssh.Channel, cmd string) bool {
		wmu.Lock()
		defer wmu.Unlock()
		out := cmd + "\r\n" + hostileAnswer(cmd) + prompt
		if cmd == "diagnose debug enable" {
			out = cmd + "\r\n" + prompt + "2025-12-10 21:54:14 ftm_fc_command[634]:hello" + terminalControls + " to jane.doe@example.org\r\n"
		}
		_, err := w.Write([]byte(out))
		return err == nil
	}))
	inv := filepath.Join(dir, "inv.yaml")
	testkit.WriteFileT(t, inv, []byte(fmt.Sprintf("defaults:\n  password_env: FTKTUI_HOSTILE_PW\n  known_hosts: %q\n  timeout: 5s\ndevices:\n  - name: evil\n    host: 127.0.0.1\n    port: %d\n", s.KnownHosts, s.Port())))
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(args, "--audit-log", filepath.Join(dir, "audit.jsonl"))...)
		cmd.Env = append(os.Environ(), "FTKTUI_HOSTILE_PW="+testkit.HostilePassword)
		out, err := cmd.Output()
		if ctx.Err() != nil {
			t.Fatalf("%v hung: %v", args, err)
		}
		return string(out)
	}
	table := run("scan", "-i", inv)
	if !strings.Contains(table, "FTK2000000000001") {
		t.Fatalf("scan printed no token:\n%s", table)
	}
	if bad := unsafeFor(table); bad != "" {
		t.Errorf("ftktui scan printed %s:\n%q", bad, table)
	}
	tail := run("debug", "-i", inv, "--device", "evil", "--for", "2s")
	if !strings.Contains(tail, "hello") {
		t.Fatalf("ftktui debug printed no debug line:\n%q", tail)
	}
	if bad := unsafeFor(tail); bad != "" {
		t.Errorf("ftktui debug printed %s:\n%q", bad, tail)
	}
	if strings.Contains(tail, "jane.doe@example.org") || !strings.Contains(tail, "<email>") {
		t.Errorf("ftktui debug printed the e-mail address:\n%q", tail)
	}
}
