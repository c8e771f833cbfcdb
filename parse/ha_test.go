package parse

import (
	"os"
	"strings"
	"testing"
)

// The 7.4.8 layout is a real capture (oxidized spec data, FortiGate-3001F
// a-p cluster), with \r restored as FortiOS sends it.
func TestParseHAStatus748(t *testing.T) {
	b, err := os.ReadFile("testdata/ha_status_748.txt")
	if err != nil {
		t.Fatal(err)
	}
	raw := strings.ReplaceAll(string(b), "\n", "\r\n")
	st := ParseHAStatus(raw)
	if st.Mode != "HA A-P" || st.GroupName != "Firewall-1 Cluster" || st.GroupID != "50" {
		t.Fatalf("header: %+v", st)
	}
	want := []HAMember{
		{Hostname: "Firewall-1", Serial: "FG3K100000000000", Index: 0, Primary: true},
		{Hostname: "Firewall-1FO", Serial: "FG3K100000000001", Index: 1},
	}
	if len(st.Members) != len(want) {
		t.Fatalf("members: %+v", st.Members)
	}
	for i := range want {
		if st.Members[i] != want[i] {
			t.Errorf("member %d = %+v, want %+v", i, st.Members[i], want[i])
		}
	}
}

func TestParseHAStatusOlderLayouts(t *testing.T) {
	cases := map[string][]HAMember{
		// 6.x/7.0: role-prefixed member lines.
		"Mode: HA A-P\nGroup Name: c1\nMaster : FGT-A           , FGVM010000000001, HA cluster index = 0\n" +
			"Slave  : FGT-B           , FGVM010000000002, HA cluster index = 1\nnumber of vcluster: 1\n" +
			"Master: FGVM010000000001, HA operating index = 0\nSlave : FGVM010000000002, HA operating index = 1\n": {
			{Hostname: "FGT-A", Serial: "FGVM010000000001", Index: 0, Primary: true},
			{Hostname: "FGT-B", Serial: "FGVM010000000002", Index: 1},
		},
		// 5.x columns.
		"Master:200   FGT400-8           FGT4002801021111  1\nSlave :128   FGT400-3           FGT4002803032222  0\n": {
			{Hostname: "FGT400-8", Serial: "FGT4002801021111", Index: 1, Primary: true},
			{Hostname: "FGT400-3", Serial: "FGT4002803032222", Index: 0},
		},
	}
	for in, want := range cases {
		st := ParseHAStatus(in)
		if len(st.Members) != len(want) {
			t.Fatalf("%q: members %+v", in, st.Members)
		}
		for i := range want {
			if st.Members[i] != want[i] {
				t.Errorf("%q: member %d = %+v, want %+v", in[:20], i, st.Members[i], want[i])
			}
		}
	}
	if st := ParseHAStatus("HA Health Status: OK\nMode: standalone\n"); len(st.Members) != 0 || st.Mode != "standalone" {
		t.Errorf("standalone: %+v", st)
	}
}

func TestInHA(t *testing.T) {
	for mode, want := range map[string]bool{"standalone": false, "": false, "a-p, primary": true, "a-a, master": true, " Standalone ": false} {
		if InHA(mode) != want {
			t.Errorf("InHA(%q) != %v", mode, want)
		}
	}
}

func FuzzParseHAStatus(f *testing.F) {
	b, _ := os.ReadFile("testdata/ha_status_748.txt")
	f.Add(string(b))
	f.Add("Master:200 FGT400-8 FGT4002801021111 1\n")
	f.Fuzz(func(t *testing.T, s string) {
		st := ParseHAStatus(s)
		for _, m := range st.Members {
			if !unitSerialRe.MatchString(m.Serial) {
				t.Fatalf("member with invalid serial %q", m.Serial)
			}
		}
	})
}
