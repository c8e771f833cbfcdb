package sim

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDebugGluedToPrompt: asynchronous debug output starts right after the
// prompt, on its line (GATEDEBUG "HOST # 2025-12-10 21:54:00 [3551] ...").
func TestDebugGluedToPrompt(t *testing.T) {
	_, d, m, p := healthyTerm(t, PendingActivation)
	armKB(t, m, p, "forticldd")
	m.send("execute fortitoken activate " + d.State().Tokens[0].Serial + "\n")
	m.readUntil(p, 5*time.Second)
	// The daemon's lines are asynchronous, as on a real unit: the first of
	// the activation's may print before the command's prompt (a loaded
	// machine) or after it. Whichever debug line comes first after the
	// prompt must start on the prompt's line, with no line end before it.
	got := m.readUntil("\r\n", 5*time.Second)
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[\d+\] [a-z_]+: .*\r\n$`).MatchString(got) {
		t.Errorf("first debug line not glued to the prompt: %q", got)
	}
}

// TestDebugProvisioningFormat: a FortiToken Mobile provisioning prints the
// real 7.4.10 trace: "func[line]:msg" lines, untimestamped HTTP headers
// ending "\r\r\n", blank lines, one-line JSON with the seed, the
// activation code and a QR code, and the address the code was sent to.
func TestDebugProvisioningFormat(t *testing.T) {
	_, d, m, p := healthyTerm(t, MobilePending)
	sn := d.State().Tokens[0].Serial
	armKB(t, m, p, "forticldd", "fortitoken")
	m.run("execute fortitoken-mobile provision "+sn, p)
	got := m.readUntil("to provisioning\r\n", 5*time.Second)
	got += m.readUntil("@example.com\r\n", 5*time.Second)
	ts, _ := d.State().Token(sn)
	code := ts.ActivationCode
	for _, re := range []string{
		`\d\d:\d\d:\d\d ftm_cfg_provision_token\[416\]:provision token: ` + sn + "\r\n",
		`\d\d:\d\d:\d\d ftm_fc_command\[634\]:\{ "d": \{ "__type": "SoftToken.ProvisionRequest".*"token": "` + sn + `", "seed": "[0-9A-F]{40}"`,
		"send packet success.\r\n\r\nPOST /SoftToken/Provisioning.asmx/Process HTTP/1.1\r\r\n",
		"\r\nHost: fortinet-ca2.fortinet.com\r\r\n",
		"\r\n\r\n\\{\"d\":\\{\"__type\":\"SoftToken.ProvisionResponse\".*\"token_activation_code\":\"" + code + "\",\"qr_code\":\"iVBORw0KGgo[A-Za-z0-9+/=]{1000,}\"",
		`\d\d:\d\d:\d\d ftm_cfg_update_token_provision\[720\]:Set token ` + sn + " to provisioning\r\n",
		`\d\d:\d\d:\d\d ftm_cfg_send_token_activation_code\[345\]:sent activation code: ` + code + ` to [a-z]+@example\.com` + "\r\n",
	} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("provisioning trace lacks %q in\n%q", re, got)
		}
	}
}

// TestDebugDuration: arming prints the minutes left in the global debug
// window (30 after a reset, fewer later, "unlimited time" only with
// duration 0); when the window runs out the device switches the output
// off, which State shows, and nothing more is printed.
func TestDebugDuration(t *testing.T) {
	f := startFleet(t, Options{DebugDuration: 1500 * time.Millisecond, Specs: []DeviceSpec{{Scenarios: []Scenario{MobilePending}}}})
	d := f.Devices()[0]
	m := openTerm(t, dial(t, f, d), 40)
	p := d.Hostname() + " # "
	m.readUntil(p, 5*time.Second)
	msg := func(cmd string) string {
		t.Helper()
		return strings.Join(body(m.run(cmd, p), cmd, p), "\n")
	}
	m.run("diagnose debug reset", p)
	if got := msg("diagnose debug application forticldd -1"); got != "Debug messages will be on for 30 minutes." {
		t.Errorf("arming forticldd: %q", got)
	}
	time.Sleep(200 * time.Millisecond) // 4 device minutes
	got := msg("diagnose fortitoken debug enable")
	n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(got, "Debug messages will be on for "), " minutes."))
	if n < 1 || n > 27 {
		t.Errorf("arming later: %q", got)
	}
	m.run("diagnose debug enable", p)
	if st := d.State(); st.DebugUntil.IsZero() || !st.DebugEnabled {
		t.Fatalf("window not running: %+v", st)
	}
	waitState(t, d, func(s State) bool { return s.DebugExpired })
	st := d.State()
	if st.DebugEnabled || st.DebugExpiries != 1 || !st.DebugUntil.IsZero() {
		t.Errorf("after the window: %+v", st)
	}
	// the daemons print nothing any more
	m.run("execute fortitoken-mobile provision "+st.Tokens[0].Serial, p)
	waitState(t, d, func(s State) bool { return s.PendingActions == 0 })
	if got, err := m.waitFor("ftm_", 300*time.Millisecond); err == nil {
		t.Errorf("debug printed after the window ran out: %q", got)
	}
	if got := msg("diagnose debug info"); !strings.Contains(got, "debug output:           disable") {
		t.Errorf("debug info after expiry: %q", got)
	}
	// duration 0: unlimited, and no expiry
	m.run("diagnose debug duration 0", p)
	if got := msg("diagnose debug application forticldd 255"); got != "Debug messages will be on for unlimited time." {
		t.Errorf("duration 0: %q", got)
	}
	if st := d.State(); st.DebugExpired || st.DebugDuration != 0 {
		t.Errorf("re-armed state %+v", st)
	}
}

// TestDebugTrickleOption: Options.DebugTrickle sets the background rate.
func TestDebugTrickleOption(t *testing.T) {
	f := startFleet(t, Options{DebugTrickle: 100 * time.Millisecond, Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy}}}})
	d := f.Devices()[0]
	m := openTerm(t, dial(t, f, d), 40)
	p := d.Hostname() + " # "
	m.readUntil(p, 5*time.Second)
	armKB(t, m, p, "forticldd")
	start := time.Now()
	for i := 0; i < 5; i++ {
		m.readUntil("fds_check_request: Image list was updated within 86400 secs.\r\n", 2*time.Second)
	}
	if el := time.Since(start); el > 1500*time.Millisecond || el < 300*time.Millisecond {
		t.Errorf("5 trickle lines in %v at 100ms", el)
	}
}

// TestIdleTimeout: the admin idle timeout counts input only; a session
// streaming debug output with no input prints "Timeout" and closes, one
// that types keeps going.
func TestIdleTimeout(t *testing.T) {
	f := startFleet(t, Options{IdleTimeout: 600 * time.Millisecond, Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy, FaultDebugFlood}}}})
	d := f.Devices()[0]
	p := d.Hostname() + " # "
	quiet := openTerm(t, dial(t, f, d), 40)
	busy := openTerm(t, dial(t, f, d), 40)
	quiet.readUntil(p, 5*time.Second)
	busy.readUntil(p, 5*time.Second)
	armKB(t, quiet, p, "forticldd")
	busy.run("diag debug enable", p)
	start := time.Now()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(150 * time.Millisecond):
				_, _ = busy.in.Write([]byte(" \b"))
			}
		}
	}()
	got, err := quiet.waitFor("Timeout\r\n", 5*time.Second)
	if err != nil {
		t.Fatalf("no Timeout: %v", err)
	}
	if el := time.Since(start); el < 500*time.Millisecond {
		t.Errorf("timed out after %v", el)
	}
	if !strings.Contains(got, "fds_queue_task") {
		t.Error("no debug output before the timeout")
	}
	select {
	case <-quiet.ended:
	case <-time.After(3 * time.Second):
		t.Fatal("session still open after Timeout")
	}
	time.Sleep(700 * time.Millisecond)
	select {
	case <-busy.ended:
		t.Error("a session with input timed out")
	default:
	}
	if st := d.State(); st.OpenSessions != 1 {
		t.Errorf("open sessions %d", st.OpenSessions)
	}
}
