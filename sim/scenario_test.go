package sim

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

var serialRE = regexp.MustCompile(`^FTK[0-9A-Z]{13}$`)

// tokenStatuses reads `diagnose fortitoken info` over a shell.
func tokenStatuses(t *testing.T, m *term, p string) (map[string]string, string) {
	t.Helper()
	lines := body(m.run("diagnose fortitoken info", p), "diagnose fortitoken info", p)
	res := map[string]string{}
	server := ""
	for _, l := range lines[1:] {
		if f := strings.Fields(l); len(f) >= 3 && serialRE.MatchString(f[0]) {
			res[f[0]] = strings.Join(f[2:], " ")
		}
		if v, ok := strings.CutPrefix(l, "Token server status: "); ok {
			server = v
		}
	}
	return res, server
}

func TestScenarioStates(t *testing.T) {
	type tok struct {
		status string
		seed   bool
		bound  bool
		mobile bool
	}
	cases := []struct {
		sc     Scenario
		tokens []tok
		server string
	}{
		{Healthy, []tok{{"active", true, true, false}, {"provisioned", true, true, true}}, "reachable"},
		{FMGManaged, []tok{{"new", false, true, false}}, "reachable"},
		{MigratedSeed, []tok{{"token already activated, and seed won't be returned", true, true, false},
			{"token already activated, and seed won't be returned", false, true, false}}, "reachable"},
		{FortiGuardDown, []tok{{"new", false, true, false}}, "unreachable"},
		{PendingActivation, []tok{{"new", false, true, false}, {"new", false, true, false}}, "reachable"},
		{MobilePending, []tok{{"provisioning", false, true, true}, {"provision timeout", false, true, true}}, "reachable"},
		{EmailUnset, []tok{{"provisioning", false, true, true}}, "reachable"},
	}
	for _, c := range cases {
		t.Run(string(c.sc), func(t *testing.T) {
			_, d, m, p := healthyTerm(t, c.sc)
			st := d.State()
			if len(st.Tokens) != len(c.tokens) {
				t.Fatalf("tokens = %+v", st.Tokens)
			}
			diag, server := tokenStatuses(t, m, p)
			if server != c.server {
				t.Errorf("server status %q", server)
			}
			cfg := m.run("show user fortitoken", p)
			for i, want := range c.tokens {
				ts := st.Tokens[i]
				if !serialRE.MatchString(ts.Serial) || (want.mobile != strings.HasPrefix(ts.Serial, "FTKMOB")) {
					t.Errorf("serial %q", ts.Serial)
				}
				if diag[ts.Serial] != want.status || ts.Status != want.status {
					t.Errorf("%s status diag=%q state=%q want %q", ts.Serial, diag[ts.Serial], ts.Status, want.status)
				}
				entry := cfg[strings.Index(cfg, `edit "`+ts.Serial+`"`):]
				entry = entry[:strings.Index(entry, "next")]
				if strings.Contains(entry, "set seed ENC ") != want.seed || ts.Seed != want.seed {
					t.Errorf("%s seed in config = %v, want %v", ts.Serial, !want.seed, want.seed)
				}
				if (len(ts.Users) > 0) != want.bound {
					t.Errorf("%s users %v", ts.Serial, ts.Users)
				}
				if want.status == "provisioning" && (ts.ActivationCode == "" || ts.ActivationExpire < time.Now().Unix() ||
					!strings.Contains(entry, "set activation-code \""+ts.ActivationCode+"\"")) {
					t.Errorf("%s provisioning without code/expire: %+v", ts.Serial, ts)
				}
			}
			cm := strings.Join(body(m.run("show system central-management", p), "show system central-management", p), "\n")
			if (c.sc == FMGManaged) != strings.Contains(cm, "set type fortimanager\n    set fmg \"192.0.2.50\"") {
				t.Errorf("central management:\n%s", cm)
			}
			email := strings.Join(body(m.run("get system email-server", p), "get system email-server", p), "\n")
			if (c.sc == EmailUnset) != strings.Contains(email, "server              : \n") {
				t.Errorf("email server:\n%s", email)
			}
			ping := strings.Join(body(m.run("execute ping directregistration.fortinet.com", p), "execute ping directregistration.fortinet.com", p), "\n")
			if (c.sc == FortiGuardDown) != (ping == "Unable to resolve hostname.") {
				t.Errorf("ping:\n%s", ping)
			}
		})
	}
}

func TestMigratedSeedAdminBinding(t *testing.T) {
	_, d, _, _ := healthyTerm(t, MigratedSeed)
	st := d.State()
	sn := st.Tokens[0].Serial
	var admin, user bool
	for _, a := range st.Accounts {
		if a.FortiToken == sn && a.Kind == "admin" {
			admin = true
		}
		if a.FortiToken == sn && a.Kind == "user" {
			user = true
		}
	}
	if !admin || !user {
		t.Fatalf("seeded migrated token must be bound to a user and an admin: %+v", st.Accounts)
	}
}

func TestActivationOutcomes(t *testing.T) {
	cases := []struct {
		sc   Scenario
		idx  int
		want string
		seed bool
	}{
		{PendingActivation, 0, "active", true},
		{FortiGuardDown, 0, "activation error (token not exist in FortiGuard)", false},
		{MigratedSeed, 1, "token already activated, and seed won't be returned", false},
		{MigratedSeed, 0, "token already activated, and seed won't be returned", true},
		{Healthy, 0, "token already activated, and seed won't be returned", true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%d", c.sc, c.idx), func(t *testing.T) {
			_, d, m, p := healthyTerm(t, c.sc)
			sn := d.State().Tokens[c.idx].Serial
			if b := body(m.run("exec fortitoken activate "+sn, p), "exec fortitoken activate "+sn, p); len(b) != 0 {
				t.Fatalf("activate printed %q", b)
			}
			if s := d.State(); s.ActivationAttempts[sn] != 1 || s.PendingActions != 1 {
				t.Errorf("attempts=%v pending=%d", s.ActivationAttempts, s.PendingActions)
			}
			waitState(t, d, func(s State) bool { return s.PendingActions == 0 })
			diag, _ := tokenStatuses(t, m, p)
			ts, _ := d.State().Token(sn)
			if diag[sn] != c.want || ts.Seed != c.seed {
				t.Errorf("after activation: %q seed=%v", diag[sn], ts.Seed)
			}
		})
	}
}

func TestMobileProvisionAndRenew(t *testing.T) {
	_, d, m, p := healthyTerm(t, MobilePending)
	st := d.State()
	for _, verb := range []string{"provision", "renew"} {
		tk := st.Tokens[0]
		if verb == "renew" {
			tk = st.Tokens[1]
		}
		cmd := "execute fortitoken-mobile " + verb + " " + tk.Serial
		if b := body(m.run(cmd, p), cmd, p); len(b) != 0 {
			t.Fatalf("%s printed %q", cmd, b)
		}
		s := waitState(t, d, func(s State) bool { return s.PendingActions == 0 })
		now, _ := s.Token(tk.Serial)
		if now.Status != "provisioning" || now.ActivationCode == "" || now.ActivationCode == tk.ActivationCode ||
			now.ActivationExpire <= time.Now().Unix() {
			t.Errorf("%s: %+v (was %+v)", verb, now, tk)
		}
	}
	if b := body(m.run("execute fortitoken-mobile provision FTK200AAAAAAAAAA", p), "execute fortitoken-mobile provision FTK200AAAAAAAAAA", p); len(b) == 0 || !strings.HasPrefix(b[0], "value parse error") {
		t.Errorf("provision of a hardware serial: %q", b)
	}
}

func TestMultiVDOM(t *testing.T) {
	_, d, m, p := healthyTerm(t, MultiVDOM)
	h := d.Hostname()
	if !strings.Contains(m.run("get system status", p), "Virtual domain configuration: multiple") {
		t.Fatal("status does not say multiple")
	}
	must := func(cmd, prompt, want string) {
		t.Helper()
		got := strings.Join(body(m.run(cmd, prompt), cmd, prompt), "\n")
		if !strings.Contains(got, want) {
			t.Errorf("%q = %q, want %q", cmd, got, want)
		}
	}
	must("show system central-management", p, "command parse error before 'central-management'")
	must("get system console", p, "command parse error before 'console'")
	must("config global", h+" (global) # ", "")
	must("show system email-server", h+" (global) # ", `set server "notification.fortinet.net"`)
	must("show user fortitoken", h+" (global) # ", "command parse error before 'fortitoken'")
	must("end", p, "")
	must("config vdom", h+" (vdom) # ", "")
	must("edit root", h+" (root) # ", "current vf=root:0")
	must("show user fortitoken", h+" (root) # ", "config user fortitoken")
	must("diagnose fortitoken info | grep new", h+" (root) # ", " new")
	must("config user fortitoken", h+" (fortitoken) # ", "")
	must("end", h+" (root) # ", "")
	must("end", p, "")
	must("execute fortitoken activate FTK200AAAAAAAAAA", p, "command parse error before 'fortitoken'")
	must("config vdom", h+" (vdom) # ", "")
	must("edit dmz", h+" (dmz) # ", "current vf=dmz:1")
	must("show user fortitoken", h+" (dmz) # ", "config user fortitoken\nend")
	must("end", p, "")
}

func TestReadonlyAdmin(t *testing.T) {
	_, d, m, p := healthyTerm(t, ReadonlyAdmin)
	for _, cmd := range []string{"config user fortitoken", "config system console", "execute fortitoken activate " + d.State().Tokens[0].Serial} {
		if got := body(m.run(cmd, p), cmd, p); len(got) != 1 || got[0] != "Command fail. Return code -37" {
			t.Errorf("%q = %q", cmd, got)
		}
	}
	if got := m.run("diagnose fortitoken info", p); !strings.Contains(got, "Token server status") {
		t.Errorf("read-only admin cannot read: %q", got)
	}
}

func TestBanner(t *testing.T) {
	_, d, m, p := healthyTerm(t, Banner)
	m.readUntil("(Press 'a' to accept):", 5*time.Second)
	if d.State().Commands != nil {
		t.Fatal("commands before accepting the banner")
	}
	m.send("a")
	if got := m.readUntil(p, 5*time.Second); got != "\r\n"+p {
		t.Errorf("after accepting: %q", got)
	}
}

func TestDefaultMixAndDeterminism(t *testing.T) {
	f := startFleet(t, Options{Devices: 12, Seed: 42})
	seen := map[Scenario]bool{}
	for _, d := range f.Devices() {
		for _, s := range d.Scenarios() {
			seen[s] = true
		}
	}
	for _, s := range AllScenarios() {
		if !seen[s] {
			t.Errorf("scenario %s missing from the default 12", s)
		}
	}
	g := startFleet(t, Options{Devices: 12, Seed: 42})
	h := startFleet(t, Options{Devices: 12, Seed: 43})
	for i, d := range f.Devices() {
		a, b := d.State(), g.Devices()[i].State()
		if d.Name() != g.Devices()[i].Name() || a.Hostname != b.Hostname || len(a.Tokens) != len(b.Tokens) ||
			string(d.KnownHostKey().Marshal()) != string(g.Devices()[i].KnownHostKey().Marshal()) {
			t.Fatalf("device %d differs with the same seed", i)
		}
		for j := range a.Tokens {
			if a.Tokens[j].Serial != b.Tokens[j].Serial {
				t.Fatalf("serials differ with the same seed")
			}
		}
	}
	if f.Devices()[0].State().Tokens[0].Serial == h.Devices()[0].State().Tokens[0].Serial {
		t.Errorf("different seeds gave the same serial")
	}
}

func TestVDOMAdmin(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: []Scenario{VDOMAdmin}}}})
	d := f.Devices()[0]
	h := d.Hostname()
	p := h + " (root) # "
	m := openTerm(t, dial(t, f, d), 24)
	if got := m.readUntil(p, 5*time.Second); got != p {
		t.Fatalf("login prompt %q", got)
	}
	must := func(cmd, want string) {
		t.Helper()
		got := strings.Join(body(m.run(cmd, p), cmd, p), "\n")
		if !strings.Contains(got, want) {
			t.Errorf("%q = %q, want %q", cmd, got, want)
		}
	}
	must("get system status", "Virtual domain configuration: multiple")
	must("config global", "command parse error before 'global'\nCommand fail. Return code -61")
	must("config vdom", "command parse error before 'vdom'")
	must("show system email-server", "command parse error before 'email-server'")
	must("end", "")
	must("diagnose fortitoken info", "Token server status: reachable")
	must("show user fortitoken", `edit "`+d.State().Tokens[0].Serial+`"`)
	c := dial(t, f, d)
	out, errOut, _ := execBoth(t, c, "config global\ndiagnose fortitoken info")
	if !strings.HasPrefix(out, p+"\n"+p+"FORTITOKEN") || !strings.Contains(out, d.State().Tokens[0].Serial) ||
		!strings.HasPrefix(errOut, "command parse error before 'global'\n") {
		t.Errorf("exec as VDOM admin: %q / %q", out, errOut)
	}
}
