package device

import (
	"errors"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/device/channel"
	"github.com/ftktui/ftktui/parse"
)

func TestScriptsValidateIdentifiers(t *testing.T) {
	const sn = "FTK200ABCDEF0123"
	for name, f := range map[string]func(string) (Script, error){
		"activate": Activate, "delete": DeleteToken, "add": AddToken, "provision": Provision, "renew": Renew,
	} {
		for _, bad := range []string{"", "FTK200", "FTK200abcdef0123", "FTK200ABCDEF0123\nexecute reboot", "FTK200ABCDEF012;"} {
			if _, err := f(bad); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("%s(%q) err = %v", name, bad, err)
			}
		}
		sc, err := f(sn)
		if err != nil || sc.Scope != ScopeVDOM || !strings.Contains(strings.Join(sc.Lines, "\n"), sn) {
			t.Errorf("%s: %+v %v", name, sc, err)
		}
	}
	user := parse.Account{Name: "jdoe", Kind: parse.AccountUser}
	admin := parse.Account{Name: "netops", Kind: parse.AccountAdmin}
	b, err := Bind(user, sn)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"config user local", `edit "jdoe"`, "set two-factor fortitoken", "set fortitoken " + sn, "next", "end"}
	if strings.Join(b.Lines, "|") != strings.Join(want, "|") || b.Scope != ScopeVDOM {
		t.Errorf("Bind user = %+v", b)
	}
	b, err = Bind(admin, sn)
	if err != nil || b.Lines[0] != "config system admin" || b.Scope != ScopeGlobal {
		t.Errorf("Bind admin = %+v %v", b, err)
	}
	u, err := Unbind(user)
	if err != nil || u.Lines[2] != "set two-factor disable" {
		t.Errorf("Unbind = %+v %v", u, err)
	}
	for _, bad := range []parse.Account{{Name: `x" ; execute`, Kind: "user"}, {Name: "ok", Kind: "root"}, {Name: "", Kind: "user"}} {
		if _, err := Bind(bad, sn); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Bind(%+v) err = %v", bad, err)
		}
		if _, err := Unbind(bad); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Unbind(%+v) err = %v", bad, err)
		}
	}
	if err := validScript(Script{Name: "x", Lines: []string{"show | grep x"}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("hand-made script with a pipe accepted: %v", err)
	}
}

func TestLinesWrapByVDOMMode(t *testing.T) {
	sc, _ := Bind(parse.Account{Name: "jdoe", Kind: parse.AccountUser}, "FTK200ABCDEF0123")
	single := idleSession(t, Target{}, parse.SystemStatus{VDOMMode: "disable"})
	if got := single.Lines(sc); strings.Join(got, "|") != strings.Join(sc.Lines, "|") {
		t.Errorf("single-VDOM Lines = %q", got)
	}
	multi := idleSession(t, Target{VDOM: "cust1"}, parse.SystemStatus{VDOMMode: "multiple"})
	got := multi.Lines(sc)
	if got[0] != "config vdom" || got[1] != "edit cust1" || got[len(got)-1] != "end" || len(got) != len(sc.Lines)+3 {
		t.Errorf("multi-VDOM Lines = %q", got)
	}
	adm, _ := Unbind(parse.Account{Name: "netops", Kind: parse.AccountAdmin})
	got = multi.Lines(adm)
	if got[0] != "config global" || got[1] != "config system admin" || got[len(got)-1] != "end" {
		t.Errorf("multi-VDOM admin Lines = %q", got)
	}
}

func TestArmLines(t *testing.T) {
	got, err := armLines([]string{"fortitoken", "alertmail"})
	if err != nil {
		t.Fatal(err)
	}
	want := "diagnose debug console timestamp enable|diagnose fortitoken debug enable|diagnose debug application alertmail -1|diagnose debug enable"
	if strings.Join(got, "|") != want {
		t.Errorf("armLines = %q", got)
	}
	all, _ := armLines(nil)
	if !strings.Contains(strings.Join(all, "|"), "forticldd 255") || len(all) != 5 {
		t.Errorf("default arm = %q", all)
	}
	if _, err := armLines([]string{"sshd"}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unknown app accepted: %v", err)
	}
}

func TestDebugTextDropsPromptsAndEchoes(t *testing.T) {
	lead := channel.NewPromptMatcher("FGT")
	cases := map[string]string{
		"FGT (global) # diagnose debug enable":                                          "",
		"FGT # 2026-01-01 10:00:00 ftm_poll[1]:Poll token!\r":                           "2026-01-01 10:00:00 ftm_poll[1]:Poll token!",
		"FGT (Interim)# 2025-12-10 21:54:00 [3551] fds_handle_request: Received cmd 33": "2025-12-10 21:54:00 [3551] fds_handle_request: Received cmd 33",
		"FGT(Primary) (global) # 2025-12-10 21:54:00 [37] fds_queue_task: x":            "2025-12-10 21:54:00 [37] fds_queue_task: x",
		"FGT (global) #  \b \b":                                                         "",
		"2025-12-10 21:54:00 [37] fds  \b \bqueue_task: y \b":                           "2025-12-10 21:54:00 [37] fds queue_task: y",
		"2026-01-01 10:00:00 fds_https_start_server[1]:x  \r\r":                         "2026-01-01 10:00:00 fds_https_start_server[1]:x",
		"   ": "",
	}
	for in, want := range cases {
		got, ok := debugText(in, lead)
		if (want == "") == ok || got != want {
			t.Errorf("debugText(%q) = %q %v; want %q", in, got, ok, want)
		}
	}
}

func TestEmitDropsOldestWhenFull(t *testing.T) {
	d := &DebugStream{lines: make(chan parse.DebugLine, 3)}
	for i := 0; i < 10; i++ {
		d.emit(parse.DebugLine{Message: string(rune('a' + i))})
	}
	if d.Dropped() != 7 {
		t.Fatalf("dropped = %d", d.Dropped())
	}
	var got []string
	for i := 0; i < 3; i++ {
		got = append(got, (<-d.lines).Message)
	}
	if strings.Join(got, "") != "hij" {
		t.Fatalf("kept %q, want the newest hij", got)
	}
}

func TestErrorsWrapAndRedact(t *testing.T) {
	err := opErr("paris-fw1", "set passwd ENC abcdefSECRET", &parse.CLIError{Kind: parse.ErrCommandParse, Message: "x"})
	var ce *parse.CLIError
	if !errors.As(err, &ce) || strings.Contains(err.Error(), "abcdefSECRET") || !strings.Contains(err.Error(), "paris-fw1") {
		t.Fatalf("opErr = %v", err)
	}
	de := &DialError{Addr: "h:22", Kind: "timeout", Err: errors.New("i/o timeout")}
	if !errors.Is(opErr("d", "", de), ErrTimeout) {
		t.Fatal("dial timeout is not ErrTimeout")
	}
	hk := &HostKeyError{Host: "h:22", Want: "SHA256:aaa", Got: "SHA256:bbb"}
	if !strings.Contains(hk.Error(), "SHA256:aaa") || !strings.Contains(hk.Error(), "SHA256:bbb") {
		t.Fatal(hk.Error())
	}
}

func TestRedactBareActivationCode(t *testing.T) {
	in := "2026-11-30 00:35:24 alertmail_send_ftm_activation[812]:FortiToken Mobile activation code EWQ7TI36K3AWIBJY for FTKMOB931BB32D89"
	got := redact(in)
	if strings.Contains(got, "EWQ7TI36K3AWIBJY") || !strings.Contains(got, "FTKMOB931BB32D89") || !strings.Contains(got, parse.Redacted) {
		t.Fatalf("redact = %q", got)
	}
	if redact(got) != got {
		t.Fatal("redact not idempotent")
	}
	if s := "activation code expired for user"; redact(s) != s {
		t.Fatalf("over-redacted %q", redact(s))
	}
	if got := redact("set activation-code \"ABCDEFGH2345\""); strings.Contains(got, "ABCDEFGH2345") {
		t.Fatalf("config form not redacted: %q", got)
	}
}
