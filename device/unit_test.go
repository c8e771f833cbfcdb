package device

import (
	"errors"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
)

func TestLearnPromptForms(t *testing.T) {
	warning := "\r\n******WARNING: This firmware failed signature validation.******\r\n" +
		"This firmware is not signed by Fortinet.\r\nProceed at your own risk.\r\n\r\n\r\n"
	cases := []struct {
		buf, host, scope, role string
		char                   byte
	}{
		{"\r\nFGT-PARIS # ", "FGT-PARIS", "", "", '#'},
		{"Welcome\r\n\r\nFGT_1.lab $ ", "FGT_1.lab", "", "", '$'},
		{"x\r\nFW-LAB-1500D-K03-2 (vdom) # ", "FW-LAB-1500D-K03-2", "vdom", "", '#'},
		{"\nfw1 (cust.a-b_c d) # ", "fw1", "cust.a-b_c d", "", '#'},
		{"fw1 # ", "fw1", "", "", '#'},
		{"\r\nFW-1(Primary) # ", "FW-1", "", "Primary", '#'},
		{"\r\n900G-1(Secondary) $ ", "900G-1", "", "Secondary", '$'},
		{"\r\nFW-1(Primary) (global) # ", "FW-1", "global", "Primary", '#'},
		{warning + "FGT_HA_Slave (Interim)# ", "FGT_HA_Slave", "", "", '#'},
		{warning + "FGT_HA_Slave (Interim) (global)# ", "FGT_HA_Slave", "global", "", '#'},
		{"\r\nFGT-A-VERY-LONG-HOSTN~ # ", "FGT-A-VERY-LONG-HOSTN~", "", "", '#'},
		{"\r\nFGT-A~ (cust-vdom-wi~) # ", "FGT-A~", "cust-vdom-wi~", "", '#'},
		{"\r\nl2t (l2t.TESTIF) # ", "l2t", "l2t.TESTIF", "", '#'},
	}
	for _, c := range cases {
		host, pr, ok := learnPrompt([]byte(c.buf))
		if !ok || host != c.host || pr.scope != c.scope || pr.char != c.char || pr.role != c.role {
			t.Errorf("learnPrompt(%q) = %q %+v %v; want %q %q %q %q", c.buf, host, pr, ok, c.host, c.scope, c.role, c.char)
		}
	}
	for _, bad := range []string{"(Press 'a' to accept):", "--More-- ", "fw1 # get system status", "no prompt here\r\n", "fw1(Pri mary) # ", "fw1  # "} {
		if _, _, ok := learnPrompt([]byte(bad)); ok {
			t.Errorf("learnPrompt(%q) matched", bad)
		}
	}
}

// TestPromptRoleChangesMidSession: a failover flips the role in the prompt;
// the learned matcher keeps matching and reports the new role.
func TestPromptRoleChangesMidSession(t *testing.T) {
	host, _, ok := learnPrompt([]byte("\r\nFW-1(Primary) # "))
	if !ok {
		t.Fatal("not learned")
	}
	pm := newPromptMatcher(host)
	for _, tail := range []string{"FW-1(Secondary) # ", "FW-1 # ", "FW-1(Primary) (global) # ", "FW-1(Secondary) (root) $ "} {
		pr, ok := pm.matchEnd([]byte("get system status\r\r\nout\r\n\r\n"+tail), 1)
		if !ok {
			t.Fatalf("%q not matched after a role change", tail)
		}
		if want := strings.Contains(tail, "Secondary"); want != (pr.role == "Secondary") {
			t.Fatalf("%q: role %q", tail, pr.role)
		}
	}
}

func TestPromptMatcherOnlyOwnHostAtEnd(t *testing.T) {
	pm := newPromptMatcher("FGT-A")
	pr, ok := pm.matchEnd([]byte("get system status\r\r\nHostname: FGT-A\r\n\r\nFGT-A (global) # "), 1)
	if !ok || pr.scope != "global" || pr.char != '#' {
		t.Fatalf("matchEnd = %+v %v", pr, ok)
	}
	if _, ok := pm.matchEnd([]byte("out\r\nFGT-B # "), 1); ok {
		t.Fatal("matched another host's prompt")
	}
	if _, ok := pm.matchEnd([]byte("FGT-A # "), 1); ok {
		t.Fatal("a bare prompt without an echo must not end a command")
	}
	if _, ok := pm.matchEnd([]byte("line\r\nFGT-A # more text"), 1); ok {
		t.Fatal("prompt not at the end matched")
	}
	buf := []byte("get a\r\r\nA\r\n\r\nFGT-A # get b\r\r\nB\r\n\r\nFGT-A # ")
	first, ok := pm.matchAny(buf, 0)
	if !ok || string(buf[:first.start]) != "get a\r\r\nA\r\n\r\n" {
		t.Fatalf("matchAny first = %+v %v", first, ok)
	}
}

// TestPagerAtPosition: a `--More--` waiting at the end is found with its
// stream offset; the same prompt followed by its erase (arriving in a
// packet of its own) has the same offset, so it is not answered twice.
func TestPagerAtPosition(t *testing.T) {
	at, ok := pagerAt([]byte("line\r\n--More-- "), 100)
	if !ok || at != 106 {
		t.Fatalf("pagerAt = %d %v, want 106", at, ok)
	}
	at2, ok := pagerAt([]byte("line\r\n--More-- \r         \r"), 100)
	if !ok || at2 != at {
		t.Fatalf("after the erase: %d %v, want the same offset %d", at2, ok, at)
	}
	if _, ok := pagerAt([]byte("--More-- \r         \rnext line\r\n"), 0); ok {
		t.Error("pager seen with a page after it")
	}
	if _, ok := pagerAt([]byte("set comment \"--More--"), 0); ok {
		t.Error("--More-- inside a line taken for the pager")
	}
	if !tailMatch(bannerRe, []byte("Authorised use only\r\n(Press 'a' to accept):")) {
		t.Error("banner not seen")
	}
	if tailMatch(bannerRe, []byte("(Press 'a' to accept):\r\n")) {
		t.Error("an answered banner (followed by a line end) must not be answered again")
	}
}

func TestCapLines(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	out := capLines("a\n" + long + "\nb")
	ls := strings.Split(out, "\n")
	if len(ls) != 3 || ls[0] != "a" || ls[2] != "b" || len(ls[1]) > MaxLine+40 || !strings.Contains(ls[1], "truncated") {
		t.Fatalf("capLines kept %d bytes in line 2", len(ls[1]))
	}
	if capLines("short") != "short" {
		t.Fatal("short text changed")
	}
}

func TestCleanOutputStripsEchoAndPager(t *testing.T) {
	raw := "show user fortitoken\r\r\nconfig user fortitoken\r\n--More-- \r          \r    edit \"FTK2000000000001\"\r\n    next\r\nend\r\n\r\n"
	got := cleanOutput(raw, "show user fortitoken")
	want := "config user fortitoken\n    edit \"FTK2000000000001\"\n    next\nend"
	if got != want {
		t.Fatalf("cleanOutput = %q, want %q", got, want)
	}
}

func TestCheckLineRefusesControlCharacters(t *testing.T) {
	for _, bad := range []string{"", "  ", "get system status\nexecute reboot", "show\r", "a\x1b[2J", strings.Repeat("a", 2000)} {
		if err := checkLine(bad); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("checkLine(%q) = %v", bad, err)
		}
	}
	if err := checkLine("diagnose fortitoken info"); err != nil {
		t.Error(err)
	}
}

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
	single := &Session{t: Target{}, status: parse.SystemStatus{VDOMMode: "disable"}}
	if got := single.Lines(sc); strings.Join(got, "|") != strings.Join(sc.Lines, "|") {
		t.Errorf("single-VDOM Lines = %q", got)
	}
	multi := &Session{t: Target{VDOM: "cust1"}, status: parse.SystemStatus{VDOMMode: "multiple"}}
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
	lead := newPromptMatcher("FGT")
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
