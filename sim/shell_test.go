package sim

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func healthyTerm(t *testing.T, sc ...Scenario) (*Fleet, *Device, *term, string) {
	t.Helper()
	if len(sc) == 0 {
		sc = []Scenario{Healthy}
	}
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: sc}}, Seed: 7})
	d := f.Devices()[0]
	m := openTerm(t, dial(t, f, d), 24)
	p := d.Hostname() + " # "
	if has(sc, ReadonlyAdmin) {
		p = d.Hostname() + " $ "
	}
	if !has(sc, Banner) {
		if got := m.readUntil(p, 5*time.Second); got != p {
			t.Fatalf("login prompt = %q, want %q", got, p)
		}
	}
	return f, d, m, p
}

func TestShellFormat(t *testing.T) {
	_, d, m, p := healthyTerm(t)
	raw := m.run("get system status", p)
	if !strings.HasPrefix(raw, "get system status\r\r\nVersion: FortiGate-") {
		t.Fatalf("echo/first line wrong: %q", raw[:60])
	}
	if !strings.HasSuffix(raw, "Last reboot reason: warm reboot\r\n\r\n"+p) {
		t.Fatalf("no blank line before prompt: %q", raw[len(raw)-60:])
	}
	if strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
		t.Fatalf("bare LF in output: %q", raw)
	}
	lines := body(raw, "get system status", p)
	want := map[string]bool{"Hostname: " + d.Hostname(): false, "Serial-Number: " + d.Serial(): false,
		"Virtual domain configuration: disable": false}
	for _, l := range lines {
		if _, ok := want[l]; ok {
			want[l] = true
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("status lacks %q", k)
		}
	}
	// an empty line just gives a new prompt
	m.send("\r")
	if got := m.readUntil(p, 2*time.Second); got != "\r\n"+p {
		t.Errorf("empty line = %q", got)
	}
	// typing with a backspace, sent byte by byte
	m.send("get sys")
	m.send("x\x7f stat\r")
	raw = m.readUntil(p, 5*time.Second)
	if !strings.HasPrefix(raw, "get sysx\b \b stat\r\r\nVersion:") {
		t.Errorf("backspace handling: %q", raw[:40])
	}
	st := d.State()
	if got := st.Commands; len(got) != 2 || got[1] != "get sys stat" {
		t.Errorf("commands = %q", got)
	}
	if st.OpenSessions != 1 || st.OpenConns != 1 {
		t.Errorf("sessions=%d conns=%d", st.OpenSessions, st.OpenConns)
	}
}

func TestAbbreviationsAndErrors(t *testing.T) {
	_, _, m, p := healthyTerm(t)
	cases := []struct {
		cmd  string
		want []string // substrings of the body, in order
	}{
		{"diag fortitoken info", []string{"FORTITOKEN        DRIFT  STATUS", "Token server status: reachable"}},
		{"diagnose debug info", []string{"debug output:           disable", "CLI debug level:        3"}},
		{"sh system central-management", []string{"config system central-management", "end"}},
		{"show full-configuration system central-management", []string{"set type none", `set fmg ''`}},
		{"get system console", []string{"output              : more"}},
		{"get sys email", []string{"server              : notification.fortinet.net", "security            : smtps"}},
		{"exec ping fds1.fortinet.com", []string{"PING fds1.fortinet.com (96.45.33.89): 56 data bytes", "5 packets transmitted, 5 packets received, 0% packet loss"}},
		{"diag test app forticldd 7", []string{"Server status: connected"}},
		{"diagnse fortitoken info", []string{"Unknown action 0"}},
		{"e fortitoken", []string{"Unknown action 0"}},
		{"show system consolex", []string{"command parse error before 'consolex'", "Command fail. Return code -61"}},
		{"exec ping", []string{"incomplete command in the end", "Command fail. Return code -160"}},
		{"config global", []string{"command parse error before 'global'"}},
	}
	for _, c := range cases {
		lines := body(m.run(c.cmd, p), c.cmd, p)
		joined := strings.Join(lines, "\n")
		pos := 0
		for _, w := range c.want {
			i := strings.Index(joined[pos:], w)
			if i < 0 {
				t.Errorf("%q: missing %q in\n%s", c.cmd, w, joined)
				break
			}
			pos += i + len(w)
		}
	}
}

func TestConfigEditAndDeleteRules(t *testing.T) {
	_, d, m, p := healthyTerm(t, PendingActivation)
	st := d.State()
	sn := st.Tokens[0].Serial
	host := d.Hostname()
	steps := []struct{ cmd, prompt string }{
		{"config user fortitoken", host + " (fortitoken) # "},
		{"delete " + sn, host + " (fortitoken) # "},
		{"end", p},
		{"config user local", host + " (local) # "},
		{"edit " + st.Tokens[0].Users[0], host + " (" + st.Tokens[0].Users[0] + ") # "},
		{"get", host + " (" + st.Tokens[0].Users[0] + ") # "},
		{"set two-factor disable", host + " (" + st.Tokens[0].Users[0] + ") # "},
		{"next", host + " (local) # "},
		{"end", p},
	}
	var outs []string
	for _, s := range steps {
		outs = append(outs, strings.Join(body(m.run(s.cmd, s.prompt), s.cmd, s.prompt), "\n"))
	}
	if outs[1] != "The entry is used by other 1 entries\nCommand fail. Return code -23" {
		t.Errorf("delete of bound token: %q", outs[1])
	}
	if !strings.Contains(outs[5], "fortitoken          : "+sn) {
		t.Errorf("get in edit: %q", outs[5])
	}
	if got := d.State().Accounts; got[1].FortiToken != "" || got[1].TwoFactor != "disable" {
		t.Errorf("unbind not applied: %+v", got[1])
	}
	// now delete works and re-adding starts activation by itself (KB 5a)
	for _, c := range []struct{ cmd, prompt string }{
		{"config user fortitoken", host + " (fortitoken) # "},
		{"delete " + sn, host + " (fortitoken) # "},
		{"edit " + sn, host + " (" + sn + ") # "},
		{"next", host + " (fortitoken) # "},
		{"end", p},
	} {
		if b := body(m.run(c.cmd, c.prompt), c.cmd, c.prompt); len(b) != 0 {
			t.Errorf("%s: unexpected output %q", c.cmd, b)
		}
	}
	waitState(t, d, func(s State) bool { ts, _ := s.Token(sn); return ts.Status == "active" && ts.Seed })
	if n := d.State().ActivationAttempts[sn]; n != 1 {
		t.Errorf("activation attempts = %d", n)
	}
	// binding an unknown token is refused with the datasource error
	for _, c := range []struct{ cmd, prompt string }{
		{"config user local", host + " (local) # "},
		{"edit jdoe", host + " (jdoe) # "},
		{"set fortitoken FTK200ZZZZZZZZZZ", host + " (jdoe) # "},
		{"set two-factor fortitoken", host + " (jdoe) # "},
		{"set fortitoken FTK200ZZZZZZZZZZ", host + " (jdoe) # "},
		{"abort", p},
	} {
		outs = append(outs, strings.Join(body(m.run(c.cmd, c.prompt), c.cmd, c.prompt), "\n"))
	}
	if got := outs[len(outs)-4]; got != "command parse error before 'fortitoken'\nCommand fail. Return code -61" {
		t.Errorf("set fortitoken with 2FA disabled: %q", got)
	}
	if got := outs[len(outs)-2]; !strings.HasPrefix(got, "entry not found in datasource\nvalue parse error before 'FTK200ZZZZZZZZZZ'") {
		t.Errorf("set unknown token: %q", got)
	}
}

func waitState(t *testing.T, d *Device, ok func(State) bool) State {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := d.State()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("state never reached; last %+v", s.Tokens)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestGrepOptions(t *testing.T) {
	_, d, m, p := healthyTerm(t, MigratedSeed)
	st := d.State()
	withSeed := st.Tokens[0].Serial
	lines := body(m.run("show full-configuration | grep -f "+withSeed, p), "show full-configuration | grep -f "+withSeed, p)
	joined := strings.Join(lines, "\n")
	for _, w := range []string{"config user fortitoken\n    edit \"" + withSeed + "\"   <---\n        set status active\n        set seed ENC ",
		"config system admin\n    edit \"netadmin\"", "set fortitoken \"" + withSeed + "\"   <---", "config user local\n    edit \"jdoe\""} {
		if !strings.Contains(joined, w) {
			t.Errorf("grep -f lacks %q:\n%s", w, joined)
		}
	}
	if strings.Contains(joined, st.Tokens[1].Serial) || strings.Contains(joined, "\"admin\"") {
		t.Errorf("grep -f shows unrelated entries:\n%s", joined)
	}
	lines = body(m.run("diag fortitoken info | grep -v active", p), "diag fortitoken info | grep -v active", p)
	if len(lines) != 8 || !strings.Contains(lines[1], "token already activated") || !strings.Contains(lines[2], "token already activated") {
		t.Errorf("grep -v: %q", lines)
	}
	lines = body(m.run("get system status | grep -i HOSTNAME", p), "get system status | grep -i HOSTNAME", p)
	if len(lines) != 1 || lines[0] != "Hostname: "+d.Hostname() {
		t.Errorf("grep -i: %q", lines)
	}
}

func TestShowReSaltsENC(t *testing.T) {
	_, _, m, p := healthyTerm(t)
	re := regexp.MustCompile(`set seed (ENC \S+)`)
	a := re.FindStringSubmatch(m.run("show user fortitoken", p))
	b := re.FindStringSubmatch(m.run("show user fortitoken", p))
	if a == nil || b == nil || a[1] == b[1] {
		t.Fatalf("ENC values not present or not re-salted: %v %v", a, b)
	}
}
