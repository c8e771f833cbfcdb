package sim

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func execOut(t *testing.T, c *ssh.Client, cmd string) string {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out, err := s.Output(cmd)
	if err != nil {
		t.Fatalf("exec %q: %v", cmd, err)
	}
	return string(out)
}

// execBoth runs an exec and returns stdout, stderr and the exit status.
func execBoth(t *testing.T, c *ssh.Client, cmd string) (string, string, int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var o, e strings.Builder
	s.Stdout, s.Stderr = &o, &e
	err = s.Run(cmd)
	code := 0
	var ee *ssh.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitStatus()
	} else if err != nil {
		t.Fatalf("exec %q: %v", cmd, err)
	}
	return o.String(), e.String(), code
}

// TestExec: the exec channel as FortiOS answers it (fortios-wire.md §2.2):
// the prompt first, no echo, the output, a line end and the prompt again
// after each command; errors on stderr with exit status 0; never paged.
func TestExec(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: []Scenario{MultiVDOM, Paged}}}})
	d := f.Devices()[0]
	c := dial(t, f, d)
	p := d.Hostname() + " # "
	out := execOut(t, c, "get system status")
	if !strings.HasPrefix(out, p+"Version: FortiGate-") || !strings.HasSuffix(out, "Last reboot reason: warm reboot\n\n"+p) ||
		strings.Contains(out, "\r") || strings.Contains(out, "get system status") {
		t.Errorf("exec output: %q", out)
	}
	out = execOut(t, c, "config vdom\nedit root\ndiagnose fortitoken info\nend")
	want := p + "\n" + d.Hostname() + " (vdom) # current vf=root:0\n\n" + d.Hostname() + " (root) # FORTITOKEN        DRIFT  STATUS\n"
	if !strings.HasPrefix(out, want) || !strings.HasSuffix(out, "Token server status: reachable\n\n"+d.Hostname()+" (root) # \n"+p) {
		t.Errorf("multi-line exec: %q", out)
	}
	if strings.Contains(out, "--More--") || strings.Count(out, "FTK") != 60 {
		t.Errorf("exec paged or incomplete: %d tokens", strings.Count(out, "FTK"))
	}
	got := d.State().Commands
	if len(got) != 5 || got[1] != "config vdom" || got[4] != "end" {
		t.Errorf("commands = %q", got)
	}
	// errors: stderr, exit status 0 (ansible/ansible#45437)
	o, e, code := execBoth(t, c, "echo ~admin")
	if o != p+"\n"+p || e != "Unknown action 0\nCommand fail. Return code -1\n" || code != 0 {
		t.Errorf("exec error: stdout %q stderr %q status %d", o, e, code)
	}
	o, e, code = execBoth(t, c, "show system consolex")
	if o != p+"\n"+p || !strings.HasPrefix(e, "command parse error before 'consolex'\n") || code != 0 {
		t.Errorf("exec parse error: stdout %q stderr %q status %d", o, e, code)
	}
	if st := waitState(t, d, func(s State) bool { return s.OpenSessions == 0 }); st.OpenConns != 1 {
		t.Errorf("conns %d", st.OpenConns)
	}
}

// TestExecBlockedByBanner: with a post-login banner, exec gets the key
// prompt and nothing else; sending 'a' does not help (paramiko#2034).
func TestExecBlockedByBanner(t *testing.T) {
	f := startFleet(t, Options{IdleTimeout: 700 * time.Millisecond, Specs: []DeviceSpec{{Scenarios: []Scenario{Banner}}}})
	d := f.Devices()[0]
	c := dial(t, f, d)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in, _ := s.StdinPipe()
	var o syncBuf
	o.ch = make(chan []byte, 64)
	s.Stdout = &o
	if err := s.Start("get system status"); err != nil {
		t.Fatal(err)
	}
	_, _ = in.Write([]byte("a\r\n"))
	done := make(chan error, 1)
	go func() { done <- s.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("exec on a banner device never ended (idle timeout)")
	}
	var got []byte
	for more := true; more; {
		select {
		case b := <-o.ch:
			got = append(got, b...)
		default:
			more = false
		}
	}
	// nothing but the key prompt, then the idle timeout's logout
	if string(got) != "(Press 'a' to accept):Timeout\n" {
		t.Errorf("exec with banner printed %q", got)
	}
	if cmds := d.State().Commands; len(cmds) != 0 {
		t.Errorf("banner-blocked exec ran %q", cmds)
	}
}

func TestAuthMethods(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	spub, _ := ssh.NewPublicKey(pub)
	signer, _ := ssh.NewSignerFromKey(priv)
	f := startFleet(t, Options{Devices: 1, Scenarios: []Scenario{Healthy}, AuthorizedKeys: []ssh.PublicKey{spub}, Password: "s3cret"})
	d := f.Devices()[0]
	try := func(a ssh.AuthMethod, user string) error {
		c, err := ssh.Dial("tcp", d.Addr(), &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{a},
			HostKeyCallback: ssh.FixedHostKey(d.KnownHostKey()), Timeout: 5 * time.Second})
		if err == nil {
			c.Close()
		}
		return err
	}
	kbd := ssh.KeyboardInteractive(func(_, _ string, q []string, _ []bool) ([]string, error) {
		return []string{"s3cret"}, nil
	})
	for name, err := range map[string]error{
		"password": try(ssh.Password("s3cret"), "admin"), "keyboard-interactive": try(kbd, "admin"),
		"publickey": try(ssh.PublicKeys(signer), "admin")} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if try(ssh.Password("wrong"), "admin") == nil || try(ssh.Password("s3cret"), "root") == nil {
		t.Error("bad credentials accepted")
	}
}

func TestFaultsAtTransport(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{
		{Scenarios: []Scenario{FaultAuthFail}}, {Scenarios: []Scenario{FaultHostKeyRotated}}, {Scenarios: []Scenario{FaultRefused}}}})
	ds := f.Devices()
	if _, err := dialErr(f, ds[0], f.Password()); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("auth-fail: %v", err)
	}
	if _, err := dialErr(f, ds[1], f.Password()); err == nil || !strings.Contains(err.Error(), "host key mismatch") {
		t.Errorf("hostkey-rotated with known key: %v", err)
	}
	var served ssh.PublicKey
	c, err := ssh.Dial("tcp", ds[1].Addr(), &ssh.ClientConfig{User: f.User(), Auth: []ssh.AuthMethod{ssh.Password(f.Password())},
		HostKeyCallback: func(_ string, _ net.Addr, k ssh.PublicKey) error { served = k; return nil }, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("hostkey-rotated otherwise works: %v", err)
	}
	c.Close()
	if string(served.Marshal()) == string(ds[1].KnownHostKey().Marshal()) {
		t.Error("rotated device serves its known key")
	}
	_, err = net.DialTimeout("tcp", ds[2].Addr(), 2*time.Second)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("refused: %v", err)
	}
	if err := ds[0].SetFault(FaultAuthFail, false); err != nil {
		t.Fatal(err)
	}
	if c, err := dialErr(f, ds[0], f.Password()); err != nil {
		t.Errorf("auth after clearing fault: %v", err)
	} else {
		c.Close()
	}
	if err := ds[0].SetFault(FaultRefused, true); !errors.Is(err, ErrNotFault) {
		t.Errorf("SetFault(refused) = %v", err)
	}
}

func TestFaultsInSession(t *testing.T) {
	f := startFleet(t, Options{SlowLatency: 300 * time.Millisecond, Specs: []DeviceSpec{
		{Scenarios: []Scenario{FaultSlow}}, {Scenarios: []Scenario{FaultDrop}}, {Scenarios: []Scenario{FaultHang}},
		{Scenarios: []Scenario{FaultGarbage}}}})
	ds := f.Devices()
	prompt := func(d *Device) string { return d.Hostname() + " # " }

	t.Run("slow", func(t *testing.T) {
		m := openTerm(t, dial(t, f, ds[0]), 24)
		m.readUntil(prompt(ds[0]), 5*time.Second)
		start := time.Now()
		m.run("get system status", prompt(ds[0]))
		if el := time.Since(start); el < 300*time.Millisecond {
			t.Errorf("slow device answered in %v", el)
		}
	})
	t.Run("drop", func(t *testing.T) {
		m := openTerm(t, dial(t, f, ds[1]), 24)
		p := prompt(ds[1])
		m.readUntil(p, 5*time.Second)
		m.run("get system status", p) // not a token command: fine
		m.send("diagnose fortitoken info\n")
		got, err := m.waitFor(p, 3*time.Second)
		if err == nil || !strings.Contains(got, "FORTITOKEN") || strings.Contains(got, "Token server status") {
			t.Errorf("drop: err=%v out=%q", err, got)
		}
		<-m.ended
		if m.endErr == nil {
			t.Error("session ended cleanly after a drop")
		}
	})
	t.Run("hang", func(t *testing.T) {
		c := dial(t, f, ds[2])
		m := openTerm(t, c, 24)
		m.send("get system status\n")
		if got, err := m.waitFor("#", 700*time.Millisecond); err == nil {
			t.Errorf("hung device answered %q", got)
		}
		if st := ds[2].State(); len(st.Commands) != 0 || st.OpenSessions != 1 {
			t.Errorf("hang state %+v", st)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		m := openTerm(t, dial(t, f, ds[3]), 24)
		p := prompt(ds[3])
		m.readUntil(p, 5*time.Second)
		raw := m.run("get system status", p)
		if strings.Contains(raw, "Version:") || !strings.HasPrefix(raw, "get system status\r\r\n") {
			t.Errorf("garbage output looks real: %q", raw)
		}
		if err := ds[3].SetFault(FaultGarbage, false); err != nil {
			t.Fatal(err)
		}
		if raw := m.run("get system status", p); !strings.Contains(raw, "Version:") {
			t.Errorf("garbage after clearing: %q", raw)
		}
		ds[3].DropNext()
		m.send("get system status\n")
		if _, err := m.waitFor(p, 2*time.Second); err == nil {
			t.Error("DropNext did not drop")
		}
	})
}
