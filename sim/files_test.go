package sim

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh/knownhosts"
)

func TestWriteFiles(t *testing.T) {
	f := startFleet(t, Options{Devices: 3})
	dir := t.TempDir()
	if err := f.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	inv, err := os.ReadFile(filepath.Join(dir, "inventory.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"defaults:\n  user: admin\n  password_env: FTKTUI_PASSWORD\n  known_hosts: " + filepath.Join(dir, "known_hosts") + "\n"} {
		if !strings.Contains(string(inv), w) {
			t.Errorf("inventory lacks %q:\n%s", w, inv)
		}
	}
	hosts, _ := os.ReadFile(filepath.Join(dir, "hosts.txt"))
	hl := strings.Split(strings.TrimSpace(string(hosts)), "\n")
	if len(hl) != 3 {
		t.Fatalf("hosts.txt: %q", hosts)
	}
	cb, err := knownhosts.New(filepath.Join(dir, "known_hosts"))
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range f.Devices() {
		want := fmt.Sprintf("  - name: %s\n    host: 127.0.0.1\n    port: %d\n    tags: [%s]\n", d.Name(), d.Port(), joinScen(d.Scenarios()))
		if !strings.Contains(string(inv), want) {
			t.Errorf("inventory lacks %q", want)
		}
		if hl[i] != d.Addr() {
			t.Errorf("hosts.txt line %d = %q", i, hl[i])
		}
		if err := cb(d.Addr(), &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: d.Port()}, d.KnownHostKey()); err != nil {
			t.Errorf("known_hosts does not hold %s: %v", d.Name(), err)
		}
	}
}

func joinScen(s []Scenario) string {
	var n []string
	for _, x := range s {
		n = append(n, string(x))
	}
	return strings.Join(n, ", ")
}

// TestOpenSSHClient drives the system ssh client against WriteFiles output.
func TestOpenSSHClient(t *testing.T) {
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		t.Fatalf("OpenSSH client needed for this test: %v", err)
	}
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy}}}})
	d := f.Devices()[0]
	dir := t.TempDir()
	if err := f.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	askpass := filepath.Join(dir, "askpass.sh")
	if err := os.WriteFile(askpass, []byte("#!/bin/sh\nprintf '%s\\n' \"$SIM_TEST_PW\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		base := []string{"-F", "/dev/null", "-p", fmt.Sprint(d.Port()),
			"-o", "UserKnownHostsFile=" + filepath.Join(dir, "known_hosts"), "-o", "StrictHostKeyChecking=yes",
			"-o", "BatchMode=no", "-o", "PubkeyAuthentication=no", "-o", "GlobalKnownHostsFile=/dev/null",
			"-o", "PreferredAuthentications=keyboard-interactive,password", "-o", "NumberOfPasswordPrompts=1",
			"-o", "ConnectTimeout=10"}
		cmd := exec.CommandContext(ctx, sshBin, append(append(base, args...), f.User()+"@127.0.0.1")...)
		if last := args[len(args)-1]; !strings.HasPrefix(last, "-") {
			cmd = exec.CommandContext(ctx, sshBin, append(append(base, args[:len(args)-1]...), f.User()+"@127.0.0.1", last)...)
		}
		cmd.Env = append(os.Environ(), "SSH_ASKPASS="+askpass, "SSH_ASKPASS_REQUIRE=force", "SIM_TEST_PW="+f.Password(), "DISPLAY=:0")
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ssh %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	out := run("", "-T", "diagnose fortitoken info")
	tokens := d.State().Tokens
	if !strings.HasPrefix(out, d.Hostname()+" # FORTITOKEN        DRIFT  STATUS\n") || !strings.Contains(out, tokens[0].Serial+"  0      active\n") ||
		!strings.Contains(out, "Token server status: reachable") {
		t.Errorf("exec over OpenSSH:\n%s", out)
	}
	out = run("diagnose fortitoken info\nexit\n", "-tt")
	// "exit" was sent with the command: typed ahead, echoed raw at once
	// and again after the prompt.
	if !strings.Contains(out, d.Hostname()+" # diagnose fortitoken info\r\r\n") ||
		!strings.Contains(out, "FORTITOKEN        DRIFT  STATUS\r\n"+tokens[0].Serial+"  0      active\r\n") ||
		!strings.Contains(out, d.Hostname()+" # exit\r\r\n") {
		t.Errorf("interactive over OpenSSH -tt:\n%q", out)
	}
}
