package parse

import "testing"

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain\ntext", "plain\ntext"},
		{"a\r\nb\r\r\nc\r", "a\nb\nc"},
		{"line1\r\n--More-- \r          \r    set x 1\r\n", "line1\n    set x 1\n"},
		{"half--More-- \r        \rway\r\n", "halfway\n"},
		{"a\n--More-- ", "a\n"},
		{"a\n--More--\nb", "a\n\nb"},
		{"--More-- b", "b"},
		{"ab\bc\x00d", "acd"},
		{"\n\b", "\n"},
		{"x\x1b[2Ky\x1b[0m\x1bcz\x1b[", "xyz"},
		{"a\r   \rb", "ab"},
		{"a\r   b", "a   b"},
	}
	for _, c := range cases {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStripEcho(t *testing.T) {
	cases := []struct{ out, cmd, want string }{
		{"diagnose fortitoken info\nFORTITOKEN", "diagnose fortitoken info", "FORTITOKEN"},
		{"\n  exec ping   fds1.fortinet.com\nPING", "exec ping fds1.fortinet.com", "PING"},
		{"FGT-1 (root) # show user local\nconfig", "show user local", "config"},
		{"FGT $ get system status\nVersion: x", "get system status", "Version: x"},
		{"show user local", "show user local", ""},
		{"config user local\nend", "show user local", "config user local\nend"},
		{"xshow user local\nend", "show user local", "xshow user local\nend"},
		{"", "x", ""},
		{"a", "", "a"},
	}
	for _, c := range cases {
		if got := StripEcho(c.out, c.cmd); got != c.want {
			t.Errorf("StripEcho(%q, %q) = %q, want %q", c.out, c.cmd, got, c.want)
		}
	}
}

func TestIsPrompt(t *testing.T) {
	yes := []string{"FGT # ", "FGT #", "FGT $ ", "FGT-1 (root) # ", "fw.a (my vdom) # ", "FGT (FTKMOB99C7D0000F) #"}
	no := []string{"", "#", "FGT#", "Total: 0", "a b # ", "(x) # ", "FGT (x # ", "FGT foo) # "}
	for _, s := range yes {
		if !isPrompt(s) {
			t.Errorf("%q not a prompt", s)
		}
	}
	for _, s := range no {
		if isPrompt(s) {
			t.Errorf("%q taken for a prompt", s)
		}
	}
}

func TestValid(t *testing.T) {
	for _, s := range []string{"FTK200A1B2C3D4E5", "FTKMOB4B94972FBA", "FTK2110000000000"} {
		if !ValidSerial(s) {
			t.Errorf("ValidSerial(%q) = false", s)
		}
	}
	for _, s := range []string{"", "FTK200A1B2C3D4E", "FTK200A1B2C3D4E56", "ftk200A1B2C3D4E5", "FTK200a1b2c3d4e5", "FTK200A1B2C3D4E;", "XYZ200A1B2C3D4E5", "FTK200A1B2C3D4\n5"} {
		if ValidSerial(s) {
			t.Errorf("ValidSerial(%q) = true", s)
		}
	}
	for _, s := range []string{"root", "jdoe", "hw.user@corp", "a-b_c", "x", "A123456789012345678901234567890123456789012345678901234567890123"} {
		if !ValidName(s) {
			t.Errorf("ValidName(%q) = false", s)
		}
	}
	bad := []string{"", "-x", "a b", `a"b`, "a'b", "a;b", "a|b", `a\b`, "a\nb", "a\x00", "é", "a#b", "a`b", "a$b",
		"A1234567890123456789012345678901234567890123456789012345678901234"}
	for _, s := range bad {
		if ValidName(s) {
			t.Errorf("ValidName(%q) = true", s)
		}
	}
}
