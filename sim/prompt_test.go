package sim

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestHAMemberPrompt: a 7.6.7+ HA member shows its role glued to the
// hostname, scopes after it, `$` for a read-only admin, and a failover
// (the test hook, or on its own after FailoverEvery commands) changes the
// prompt mid session; `get system status` / `get system ha status` report
// the cluster.
func TestHAMemberPrompt(t *testing.T) {
	f := startFleet(t, Options{FailoverEvery: 5, Specs: []DeviceSpec{
		{Scenarios: []Scenario{HAMember, MultiVDOM}}, {Scenarios: []Scenario{HAMember, ReadonlyAdmin}}, {Scenarios: []Scenario{Healthy}}}})
	ds := f.Devices()
	d := ds[0]
	h := d.Hostname()
	m := openTerm(t, dial(t, f, d), 40)
	pri, sec := h+"(Primary) # ", h+"(Secondary) # "
	if got := m.readUntil(" # ", 5*time.Second); got != pri {
		t.Fatalf("login prompt %q", got)
	}
	status := strings.Join(body(m.run("get system status", pri), "get system status", pri), "\n")
	if !strings.Contains(status, "Current HA mode: a-p, primary") {
		t.Errorf("status: %s", status)
	}
	m.run("config global", h+"(Primary) (global) # ")
	ha := strings.Join(body(m.run("get system ha status", h+"(Primary) (global) # "), "get system ha status", h+"(Primary) (global) # "), "\n")
	for _, w := range []string{"Mode: HA A-P", "Group Name: FGT-CLUSTER-", "Cluster virtual serial number: ", "Primary     : " + h, d.Serial()} {
		if !strings.Contains(ha, w) {
			t.Errorf("ha status lacks %q:\n%s", w, ha)
		}
	}
	if err := d.Failover(); err != nil {
		t.Fatal(err)
	}
	m.run("end", sec)
	if st := d.State(); st.HARole != "Secondary" || st.Failovers != 1 {
		t.Errorf("after Failover: %q %d", st.HARole, st.Failovers)
	}
	// the 5th command fails over by itself
	raw := m.run("get system status", pri)
	if !strings.Contains(raw, "Current HA mode: a-p, primary") {
		t.Errorf("automatic failover: %q", raw[len(raw)-40:])
	}
	ro := openTerm(t, dial(t, f, ds[1]), 40)
	if got := ro.readUntil(" $ ", 5*time.Second); got != ds[1].Hostname()+"(Primary) $ " {
		t.Errorf("read-only HA prompt %q", got)
	}
	if err := ds[2].Failover(); !errors.Is(err, ErrNotHA) {
		t.Errorf("Failover on a standalone unit: %v", err)
	}
	if st := ds[2].State(); st.HARole != "" {
		t.Errorf("standalone role %q", st.HARole)
	}
}

// TestInterimAndTruncatedPrompts: an interim build prints the signature
// warning at login and "HOST (Interim)# " (no space before '#'); a long
// hostname is cut with '~' before the terminator.
func TestInterimAndTruncatedPrompts(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{
		{Hostname: "FGT_HA_Slave", Interim: true, Scenarios: []Scenario{MultiVDOM}},
		{Hostname: "FortiGate-Branch-Office-Paris-01", PromptHostMax: 20}}})
	ds := f.Devices()
	m := openTerm(t, dial(t, f, ds[0]), 40)
	got := m.readUntil("# ", 5*time.Second)
	if !strings.HasPrefix(got, "******WARNING: This firmware failed signature validation.******\r\n") ||
		strings.Count(got, "\r\n") != 6 || !strings.HasSuffix(got, "\r\n\r\nFGT_HA_Slave (Interim)# ") {
		t.Errorf("interim login: %q", got)
	}
	if raw := m.run("get system status", "FGT_HA_Slave (Interim)# "); !strings.Contains(raw, ",build0367,221005 (interim)\r\n") {
		t.Errorf("interim status: %q", raw[:120])
	}
	m.run("config global", "FGT_HA_Slave (Interim) (global)# ")
	m2 := openTerm(t, dial(t, f, ds[1]), 40)
	if got := m2.readUntil(" # ", 5*time.Second); got != "FortiGate-Branch-Off~ # " {
		t.Errorf("truncated prompt %q", got)
	}
}

// TestForcedPasswordChange: the first login asks for a new password twice
// before the prompt; a client that does not answer gets no prompt.
func TestForcedPasswordChange(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{{ForcePasswordChange: true}}})
	d := f.Devices()[0]
	if out := execOut(t, dial(t, f, d), "get system status"); out != "You are forced to change your password, please input a new password.\nNew Password:" {
		t.Errorf("exec before the change: %q", out)
	}
	m := openTerm(t, dial(t, f, d), 40)
	got := m.readUntil("New Password:", 5*time.Second)
	if got != "You are forced to change your password, please input a new password.\r\nNew Password:" {
		t.Errorf("forced change: %q", got)
	}
	if got, err := m.waitFor(" # ", 300*time.Millisecond); err == nil {
		t.Fatalf("prompt before the password was changed: %q", got)
	}
	m.send("N3w-secret\r")
	m.readUntil("Confirm Password:", 5*time.Second)
	m.send("N3w-secret\r")
	if got := m.readUntil(" # ", 5*time.Second); got != "\r\nWelcome !\r\n\r\n"+d.Hostname()+" # " {
		t.Errorf("after the change: %q", got)
	}
}

// TestMaxSessions: beyond the admin session limit a shell or exec gets
// "Reached maximum number of logged in administrators." and closes.
func TestMaxSessions(t *testing.T) {
	f := startFleet(t, Options{MaxSessions: 1, Specs: []DeviceSpec{{}, {MaxSessions: 2}}})
	d := f.Devices()[0]
	p := d.Hostname() + " # "
	m := openTerm(t, dial(t, f, d), 40)
	m.readUntil(p, 5*time.Second)
	m2 := openTerm(t, dial(t, f, d), 40)
	if got, err := m2.waitFor("administrators.\r\n", 5*time.Second); err != nil || got != "Reached maximum number of logged in administrators.\r\n" {
		t.Errorf("second shell: %q %v", got, err)
	}
	<-m2.ended
	if out := execOut(t, dial(t, f, d), "get system status"); out != "Reached maximum number of logged in administrators.\n" {
		t.Errorf("exec over the limit: %q", out)
	}
	if st := d.State(); st.RefusedSessions != 2 || st.OpenSessions != 1 {
		t.Errorf("state %+v", st)
	}
	// DeviceSpec.MaxSessions overrides
	d2 := f.Devices()[1]
	a := openTerm(t, dial(t, f, d2), 40)
	b := openTerm(t, dial(t, f, d2), 40)
	a.readUntil(d2.Hostname()+" # ", 5*time.Second)
	b.readUntil(d2.Hostname()+" # ", 5*time.Second)
}

// TestCtrlCAndHelp: Ctrl-C in a config scope clears the line, at a bare
// prompt it closes the CLI; '?' prints help at once without Enter and the
// typed line stays on the input without the '?'.
func TestCtrlCAndHelp(t *testing.T) {
	_, d, m, p := healthyTerm(t)
	h := d.Hostname()
	m.send("ge?")
	got := m.readUntil(p+"ge", 3*time.Second)
	if got != "ge\r\nget         Get dynamic and system information.\r\n"+p+"ge" {
		t.Errorf("help: %q", got)
	}
	m.send("t system status | grep -i bran?ch\r")
	raw := m.readUntil("branch\r\r\n", 3*time.Second)
	raw += m.readUntil(p, 3*time.Second)
	if !strings.Contains(raw, "<Enter>\r\n"+p+"get system status | grep -i branch\r\r\nBranch point") {
		t.Errorf("help inside a line: %q", raw)
	}
	if c := d.State().Commands; len(c) != 1 || c[0] != "get system status | grep -i branch" {
		t.Errorf("commands %q", c)
	}
	m.run("config system console", h+" (console) # ")
	m.send("set out\x03")
	if got := m.readUntil(h+" (console) # ", 3*time.Second); got != "set out\r\n"+h+" (console) # " {
		t.Errorf("Ctrl-C in config: %q", got)
	}
	m.run("end", p)
	m.send("\x03")
	select {
	case <-m.ended:
	case <-time.After(3 * time.Second):
		t.Fatal("Ctrl-C at the prompt did not close the CLI")
	}
	if st := waitState(t, d, func(s State) bool { return s.OpenSessions == 0 }); st.OpenConns != 1 {
		t.Errorf("conns %d", st.OpenConns)
	}
}
