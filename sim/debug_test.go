package sim

import (
	"github.com/ftktui/ftktui/parse"
	"regexp"
	"strings"
	"testing"
	"time"
)

var tsLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [a-z_]+\[\d+\]:`)

// armKB sends the KB step 4 sequence and returns the outputs.
func armKB(t *testing.T, m *term, p string, apps ...string) {
	t.Helper()
	cmds := []string{"diag debug disable", "diag debug reset", "diag debug console time en"}
	for _, a := range apps {
		switch a {
		case "fortitoken":
			cmds = append(cmds, "diag fortitoken debug enable")
		case "alertmail":
			cmds = append(cmds, "diag debug app alertmail -1")
		default:
			cmds = append(cmds, "diag debug app "+a+" 255")
		}
	}
	cmds = append(cmds, "diag debug enable")
	for _, c := range cmds {
		m.run(c, p)
	}
}

func TestDebugDuringActivation(t *testing.T) {
	_, d, m, p := healthyTerm(t, PendingActivation)
	sn := d.State().Tokens[0].Serial
	armKB(t, m, p, "forticldd", "fortitoken")
	st := d.State()
	if !st.DebugEnabled || st.DebugLevels["forticldd"] != 255 || !st.FortitokenDebug || !st.ConsoleTimestamp || st.ResetCount != 1 {
		t.Fatalf("armed state %+v", st)
	}
	info := strings.Join(body(m.run("diagnose debug info", p), "diagnose debug info", p), "\n")
	for _, w := range []string{"debug output:           enable", "console timestamp:      enable", "forticldd debug level:  255 (0xff)"} {
		if !strings.Contains(info, w) {
			t.Errorf("debug info lacks %q:\n%s", w, info)
		}
	}
	// burst lines may land before or after the prompt: keep both parts
	got := m.run("execute fortitoken activate "+sn, p)
	rest, err := m.waitFor("activated, seed received", 5*time.Second)
	if err != nil {
		t.Fatalf("no activation debug: %v %q", err, got+rest)
	}
	got += rest
	// a debug line may follow a prompt on the same terminal line
	dbg := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (?:[a-z_]+\[\d+\]:|\[\d+\] [a-z_]+: )[^\r\n]*`).FindAllString(got, -1)
	joined := strings.Join(dbg, "\n")
	for _, w := range []string{"ftk_activate_tokens[", "] fds_https_start_server: server: ", sn} {
		if !strings.Contains(joined, w) {
			t.Errorf("debug lines lack %q:\n%s", w, got)
		}
	}
	// disable stops printing; levels stay until reset
	m.run("diag debug disable", p)
	if st := d.State(); st.DebugEnabled || st.DebugClean() {
		t.Errorf("after disable: %+v", st)
	}
	m.run("diag debug reset", p)
	if st := d.State(); !st.DebugClean() || st.ResetCount != 2 {
		t.Errorf("after reset: %+v", st)
	}
}

func TestDebugOnlyWhenArmedAndEnabled(t *testing.T) {
	f, d, m, p := healthyTerm(t, MobilePending)
	sn := d.State().Tokens[0].Serial
	// levels set but output off in this session: nothing is printed
	m.run("diag debug app alertmail -1", p)
	m.run("execute fortitoken-mobile provision "+sn, p)
	waitState(t, d, func(s State) bool { return s.PendingActions == 0 })
	if got, err := m.waitFor("alertmail_", 300*time.Millisecond); err == nil {
		t.Fatalf("debug printed while disabled: %q", got)
	}
	// a second session enables output; the first session's action shows there
	m2 := openTerm(t, dial(t, f, d), 24)
	m2.readUntil(p, 5*time.Second)
	m2.run("diag debug enable", p)
	m.run("execute fortitoken-mobile provision "+sn, p)
	got, err := m2.waitFor("message sent", 5*time.Second)
	if err != nil {
		t.Fatalf("no alertmail in the debug session: %v %q", err, got)
	}
	code := ""
	if ts, _ := d.State().Token(sn); ts.ActivationCode != "" {
		code = ts.ActivationCode
	}
	if code == "" || !strings.Contains(got, "alertmail_send_ftm_activation[812]:token "+sn+", activation code: "+code+", to ") {
		t.Errorf("alertmail lines must carry the activation code %q:\n%s", code, got)
	}
	if strings.Contains(parse.Redact(got), code) {
		t.Errorf("alertmail lines not in a redactable form:\n%s", got)
	}
	if tsLine.MatchString(strings.TrimLeft(got, "\r\n")) {
		t.Errorf("timestamp without console timestamp enable: %q", got)
	}
	if !d.State().DebugEnabled {
		t.Error("DebugEnabled false with a session enabled")
	}
	// closing the debug session ends its `debug enable` but not the levels
	m2.send("exit\n")
	<-m2.ended
	st := waitState(t, d, func(s State) bool { return s.OpenSessions == 1 })
	if st.DebugEnabled || st.DebugLevels["alertmail"] != -1 {
		t.Errorf("after session end: %+v", st)
	}
}

func TestDebugTrickleAndFlood(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy}}, {Scenarios: []Scenario{FaultDebugFlood}}}})
	for i, d := range f.Devices() {
		m := openTerm(t, dial(t, f, d), 24)
		p := d.Hostname() + " # "
		m.readUntil(p, 5*time.Second)
		armKB(t, m, p, "fortitoken")
		if i == 0 {
			got := m.readUntil("Poll token status!", 5*time.Second)
			if !regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ftm_cfg_poll_token_states\[405\]:Poll token status!$`).MatchString(got) {
				t.Errorf("trickle line format: %q", got)
			}
			continue
		}
		time.Sleep(time.Second)
		m.send("diag debug disable\n")
		got := m.readUntil(p, 10*time.Second)
		if n := strings.Count(got, "] fds_queue_task: "); n < 1000 {
			t.Errorf("debug-flood gave %d lines in ~1s", n)
		}
	}
}
