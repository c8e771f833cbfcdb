package parse

import "testing"

func TestFindCLIError(t *testing.T) {
	cases := []struct {
		name, out string
		kind      CLIErrorKind
		code      int
		token     string
		refs      int
		msg       string
	}{
		{"unknown", "Unknown action 0\n", ErrUnknownAction, 0, "", 0, "Unknown action 0"},
		{"cmd parse", "command parse error before 'console'\nCommand fail. Return code -61\n", ErrCommandParse, -61, "console", 0,
			"command parse error before 'console'; Command fail. Return code -61"},
		{"incomplete", "incomplete command in the end\nCommand fail. Return code -160\n", ErrIncomplete, -160, "", 0, ""},
		{"value parse", "value parse error before '1.1'\nCommand fail. Return code -8\n", ErrValueParse, -8, "1.1", 0, ""},
		{"not found", "entry not found in datasource\n\nvalue parse error before '201.1.1.1'\nCommand fail. Return code -3\n", ErrEntryNotFound, -3, "201.1.1.1", 0, ""},
		{"in use", "The entry is used by other 2 entries\nCommand fail. Return code -23\n", ErrEntryInUse, -23, "", 2, ""},
		{"fail alone", "Command fail. Return code -4 (reached the maximum number of entries)\n", ErrCommandFail, -4, "", 0, ""},
		{"permission", "Command fail. Return code -37\n", ErrPermission, -37, "", 0, ""},
		{"permission text", "Permission denied\n", ErrPermission, 0, "", 0, ""},
		{"permission wins", "command parse error before 'fortitoken'\nCommand fail. Return code -37\n", ErrPermission, -37, "fortitoken", 0, ""},
		{"other", "node_check_object fail! for two-factor xyz\n", ErrOther, 0, "", 0, ""},
		{"other invalid", "invalid ip address\n", ErrOther, 0, "", 0, ""},
		{"other end", "please use 'end' to return to root shell\n", ErrOther, 0, "", 0, ""},
		{"prompted", "FGT # exec fortitoken activate FTK1\r\r\ncommand parse error before 'FTK1'\r\nCommand fail. Return code -61\r\n\r\nFGT # ", ErrCommandParse, -61, "FTK1", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := FindCLIError(c.out)
			if e == nil {
				t.Fatal("nil error")
			}
			if e.Kind != c.kind || e.Code != c.code || e.Token != c.token || e.Refs != c.refs {
				t.Errorf("got %+v", e)
			}
			if c.msg != "" && e.Message != c.msg {
				t.Errorf("message %q", e.Message)
			}
			if e.Error() == "" {
				t.Error("empty Error()")
			}
		})
	}
}

func TestFindCLIErrorNone(t *testing.T) {
	for _, f := range []string{"ftkinfo_mixed.txt", "ftkcfg_full.txt", "userlocal.txt", "sysstatus_70.txt", "ping_sendto.txt", "debuginfo.txt"} {
		if e := FindCLIError(readSample(t, f)); e != nil {
			t.Errorf("%s: false error %+v", f, e)
		}
	}
	if FindCLIError("") != nil {
		t.Error("empty output")
	}
}

func TestFindCLIErrorRedactsMessage(t *testing.T) {
	e := FindCLIError("value parse error before 'ENC c2VjcmV0LWJsb2I='\nCommand fail. Return code -8")
	if e == nil || contains(e.Message, "c2VjcmV0") || contains(e.Token, "c2VjcmV0") || !contains(e.Message, Redacted) {
		t.Errorf("secret leaked: %+v", e)
	}
	e = FindCLIError("Command fail. Return code -61")
	if e.Error() != "Command fail. Return code -61" { // the code is said once
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestCLIErrorNamesCodeWhenMessageDoesNot(t *testing.T) {
	e := &CLIError{Kind: ErrEntryInUse, Code: -23, Message: "The entry is used by other 1 entries"}
	if got := e.Error(); got != "The entry is used by other 1 entries (return code -23)" {
		t.Errorf("Error() = %q", got)
	}
}
