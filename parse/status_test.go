package parse

import (
	"errors"
	"testing"
)

func TestParseSystemStatus(t *testing.T) {
	cases := []struct {
		file                                  string
		host, model, ver, build, serial, vdom string
		ha, cur                               string
		multi                                 bool
	}{
		{"sysstatus_70.txt", "fw1", "FortiGate-60F", "v7.0.7", "0367", "FGT60FTK20000001", "disable", "standalone", "root", false},
		{"sysstatus_62_ha.txt", "DC-FW-A", "FortiGate-600E", "v6.2.6", "1175", "FG6H0E5819900001", "multiple", "a-p, master", "root", true},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, "get system status") {
			t.Run(c.file+"/"+v.name, func(t *testing.T) {
				st, err := ParseSystemStatus(v.text)
				if err != nil {
					t.Fatalf("err: %v", err)
				}
				got := []string{st.Hostname, st.Model, st.Version, st.Build, st.Serial, st.VDOMMode, st.HAMode, st.CurrentVDOM}
				want := []string{c.host, c.model, c.ver, c.build, c.serial, c.vdom, c.ha, c.cur}
				for i := range got {
					if got[i] != want[i] {
						t.Errorf("field %d = %q, want %q", i, got[i], want[i])
					}
				}
				if st.MultiVDOM() != c.multi {
					t.Errorf("MultiVDOM = %v", st.MultiVDOM())
				}
				if st.Fields["Operation Mode"] != "NAT" {
					t.Errorf("Fields[Operation Mode] = %q", st.Fields["Operation Mode"])
				}
			})
		}
	}
}

func TestParseSystemStatusTruncated(t *testing.T) {
	full := readSample(t, "sysstatus_70.txt")
	st, err := ParseSystemStatus(full[:200]) // cut before Hostname:
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if err == nil || !contains(err.Error(), "Hostname") {
		t.Errorf("error should name Hostname: %v", err)
	}
	if st.Model != "FortiGate-60F" {
		t.Errorf("partial fields lost: %+v", st)
	}
	if _, err := ParseSystemStatus(""); err == nil {
		t.Error("empty output accepted")
	}
}

func TestSplitVersion(t *testing.T) {
	cases := []struct{ in, model, ver, build string }{
		{"FortiGate-VM64 v7.4.8,build2795,250523 (GA.M)", "FortiGate-VM64", "v7.4.8", "2795"},
		{"v7.2.0,build1157", "", "v7.2.0", "1157"},
		{"garbled", "garbled", "", ""},
	}
	for _, c := range cases {
		m, v, b := splitVersion(c.in)
		if m != c.model || v != c.ver || b != c.build {
			t.Errorf("splitVersion(%q) = %q %q %q", c.in, m, v, b)
		}
	}
}

func TestParseCentralManagement(t *testing.T) {
	cases := []struct {
		file, typ, fmg, mode, serial string
	}{
		{"cm_fmg.txt", "fortimanager", "192.168.90.107", "normal", ""},
		{"cm_none.txt", "none", "", "normal", ""},
		{"cm_fortiguard.txt", "fortiguard", "", "normal", ""},
		{"cm_full.txt", "fortimanager", "fmg.example.com", "backup", "FMG-VM0000000001"},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, "show system central-management") {
			t.Run(c.file+"/"+v.name, func(t *testing.T) {
				cm, err := ParseCentralManagement(v.text)
				if err != nil {
					t.Fatalf("err: %v", err)
				}
				if cm.Type != c.typ || cm.FMG != c.fmg || cm.Mode != c.mode || cm.Serial != c.serial {
					t.Errorf("got %+v", cm)
				}
			})
		}
	}
}

func TestParseCentralManagementGetAndErrors(t *testing.T) {
	cm, err := ParseCentralManagement("mode                : normal\ntype                : fortimanager\nfmg                 : \"10.0.0.9\"\n")
	if err != nil || cm.Type != "fortimanager" || cm.FMG != "10.0.0.9" {
		t.Errorf("get form: %+v %v", cm, err)
	}
	if _, err := ParseCentralManagement("config system central-management\n    set type fortimanager\n"); !errors.Is(err, ErrTruncated) {
		t.Errorf("missing end: err = %v", err)
	}
	if _, err := ParseCentralManagement("Unknown action 0\n"); !errors.Is(err, ErrTruncated) {
		t.Errorf("no block: err = %v", err)
	}
}

func TestParsePing(t *testing.T) {
	cases := []struct {
		file, host, addr string
		resolved         bool
		sent, recv       int
		loss             float64
		min, avg, max    float64
		errText          string
		reachable        bool
	}{
		{"ping_ok.txt", "8.8.8.8", "8.8.8.8", true, 5, 5, 0, 25.8, 25.8, 25.9, "", true},
		{"ping_hostname.txt", "fds1.fortinet.com", "208.91.112.68", true, 5, 3, 40, 99.7, 100.4, 101.2, "", true},
		{"ping_timeout.txt", "8.87.8.8", "8.87.8.8", true, 5, 0, 100, 0, 0, 0, "", false},
		{"ping_sendto.txt", "10.10.10.10", "10.10.10.10", true, 10, 0, 100, 0, 0, 0, "sendto failed", false},
		{"ping_unresolved.txt", "", "", false, 0, 0, 0, 0, 0, 0, "Unable to resolve hostname.", false},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, "execute ping "+c.host) {
			t.Run(c.file+"/"+v.name, func(t *testing.T) {
				p, err := ParsePing(v.text)
				if err != nil {
					t.Fatalf("err: %v", err)
				}
				if p.Host != c.host || p.Addr != c.addr || p.Resolved != c.resolved || p.Sent != c.sent ||
					p.Received != c.recv || p.LossPct != c.loss || p.RTTMin != c.min || p.RTTAvg != c.avg ||
					p.RTTMax != c.max || p.Error != c.errText || p.Reachable() != c.reachable {
					t.Errorf("got %+v", p)
				}
			})
		}
	}
}

func TestParsePingTruncated(t *testing.T) {
	full := readSample(t, "ping_ok.txt")
	p, err := ParsePing(full[:120])
	if !errors.Is(err, ErrTruncated) || !contains(err.Error(), "statistics") {
		t.Fatalf("err = %v", err)
	}
	if p.Host != "8.8.8.8" || p.Received != 2 {
		t.Errorf("partial = %+v", p)
	}
	if _, err := ParsePing("Unknown action 0"); !errors.Is(err, ErrTruncated) {
		t.Errorf("garbage: %v", err)
	}
}
