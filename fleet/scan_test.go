package fleet

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
)

// jsonDevice is what a script sees in `scan --json`: decoded by field name.
type jsonDevice struct {
	Name      string `json:"name"`
	Reachable bool   `json:"reachable"`
	Error     string `json:"error"`
	VDOMMode  string `json:"vdom_mode"`
	ReadOnly  bool   `json:"read_only"`
	Tokens    []struct {
		Serial    string   `json:"serial"`
		Kind      string   `json:"kind"`
		Status    string   `json:"status"`
		Seed      bool     `json:"seed"`
		Users     []string `json:"users"`
		Diagnosis string   `json:"diagnosis"`
		Advice    string   `json:"advice"`
	} `json:"tokens"`
	Findings []struct {
		Code     string `json:"code"`
		Severity string `json:"severity"`
		Token    string `json:"token"`
	} `json:"findings"`
}

func (d jsonDevice) deviceCodes() []string {
	var out []string
	for _, f := range d.Findings {
		if f.Token == "" {
			out = append(out, f.Code+"/"+f.Severity)
		}
	}
	slices.Sort(out)
	return out
}

func (d jsonDevice) tokenCodes() []string {
	var out []string
	for _, t := range d.Tokens {
		out = append(out, t.Diagnosis)
	}
	slices.Sort(out)
	return out
}

// A fleet holding every scenario: each device's JSON carries the expected
// diagnoses, and the faulty devices never stop the others being scanned.
func TestScanEveryScenario(t *testing.T) {
	f, e := simFleet(t,
		spec("healthy", sim.Healthy), spec("fmg", sim.FMGManaged), spec("migrated", sim.MigratedSeed),
		spec("fgd-down", sim.FortiGuardDown), spec("pending", sim.PendingActivation), spec("mobile", sim.MobilePending),
		spec("email", sim.EmailUnset), spec("multi", sim.MultiVDOM), spec("readonly", sim.ReadonlyAdmin),
		spec("banner", sim.Banner), spec("paged", sim.Paged), spec("multi-paged", sim.MultiVDOM, sim.Paged),
		spec("authfail", sim.FaultAuthFail), spec("hostkey", sim.FaultHostKeyRotated), spec("refused", sim.FaultRefused),
		spec("hang", sim.FaultHang), spec("drop", sim.FaultDrop), spec("slow", sim.FaultSlow),
		spec("garbage", sim.FaultGarbage), spec("flood", sim.FaultDebugFlood),
	)
	var mu sync.Mutex
	started, finished := map[string]bool{}, 0
	lastDone := 0
	results := e.Scan(context.Background(), e.Inv.Devices, func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Kind {
		case EventStarted:
			started[ev.Device] = true
		case EventFinished:
			finished++
			if ev.Result == nil || ev.Done != lastDone+1 || ev.Total != len(e.Inv.Devices) {
				t.Errorf("finished event %+v after done=%d", ev, lastDone)
			}
			lastDone = ev.Done
		}
	})
	if finished != len(e.Inv.Devices) || len(started) != len(e.Inv.Devices) {
		t.Errorf("events: %d started, %d finished", len(started), finished)
	}
	b, err := json.Marshal(Report{Devices: results})
	if err != nil {
		t.Fatal(err)
	}
	var rep struct{ Devices []jsonDevice }
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	byName := map[string]jsonDevice{}
	for _, d := range rep.Devices {
		byName[d.Name] = d
	}
	healthyTokens := []string{"OK", "OK"}
	want := map[string]struct{ dev, tok []string }{
		"healthy":  {nil, healthyTokens},
		"fmg":      {[]string{"FMG_MANAGED/warn"}, []string{"NEEDS_ACTIVATION"}},
		"migrated": {nil, []string{"ACTIVATED_ELSEWHERE", "DELETE_READD"}},
		"fgd-down": {[]string{"FORTIGUARD_UNREACHABLE/error", "TOKEN_SERVER_UNREACHABLE/error"}, []string{"NEEDS_ACTIVATION"}},
		"pending":  {nil, []string{"NEEDS_ACTIVATION", "NEEDS_ACTIVATION"}},
		"mobile":   {nil, []string{"PENDING", "PROVISION_TIMEOUT"}},
		"email":    {[]string{"EMAIL_SERVER_UNSET/error"}, []string{"PENDING"}},
		"multi":    {nil, []string{"NEEDS_ACTIVATION", "OK", "OK"}},
		"readonly": {nil, healthyTokens},
		"banner":   {nil, healthyTokens},
		"authfail": {[]string{"AUTH_FAILED/error"}, nil},
		"hostkey":  {[]string{"HOST_KEY_MISMATCH/error"}, nil},
		"refused":  {[]string{"UNREACHABLE/error"}, nil},
		"hang":     {[]string{"UNREACHABLE/error"}, nil},
		"drop":     {[]string{"UNREACHABLE/error"}, nil},
		"slow":     {nil, healthyTokens},
	}
	for name, w := range want {
		d, ok := byName[name]
		if !ok {
			t.Errorf("%s missing from the report", name)
			continue
		}
		if got := d.deviceCodes(); !slices.Equal(got, w.dev) {
			t.Errorf("%s: device findings %v, want %v (error %q)", name, got, w.dev, d.Error)
		}
		if got := d.tokenCodes(); !slices.Equal(got, w.tok) {
			t.Errorf("%s: token diagnoses %v, want %v", name, got, w.tok)
		}
		failed := len(w.dev) > 0 && (w.dev[0] == "AUTH_FAILED/error" || w.dev[0] == "HOST_KEY_MISMATCH/error" || w.dev[0] == "UNREACHABLE/error")
		if failed == d.Reachable || failed == (d.Error == "") {
			t.Errorf("%s: reachable=%v error=%q", name, d.Reachable, d.Error)
		}
	}
	for _, r := range results {
		if r.ScannedAt.IsZero() || (r.Reachable && r.DurationMS <= 0) {
			t.Errorf("%s: scanned_at %v duration %dms", r.Name, r.ScannedAt, r.DurationMS)
		}
	}
	if !byName["readonly"].ReadOnly {
		t.Error("readonly-admin should be reported read_only")
	}
	if byName["multi"].VDOMMode != "multiple" {
		t.Errorf("multi vdom_mode = %q", byName["multi"].VDOMMode)
	}
	// Every token of a paged device is returned, also inside a VDOM.
	for _, name := range []string{"paged", "multi-paged"} {
		d := byName[name]
		st := f.Device(name).State()
		if len(d.Tokens) != len(st.Tokens) || len(d.Tokens) < 60 {
			t.Errorf("%s: %d tokens scanned, device has %d", name, len(d.Tokens), len(st.Tokens))
		}
	}
	// migrated-seed: the seeded token is bound to a user and an admin.
	for _, tk := range byName["migrated"].Tokens {
		if tk.Diagnosis == "DELETE_READD" && (len(tk.Users) != 2 || !slices.Contains(tk.Users, "admin:netadmin")) {
			t.Errorf("DELETE_READD users = %v", tk.Users)
		}
		if tk.Diagnosis == "ACTIVATED_ELSEWHERE" && !strings.Contains(tk.Advice, "contact Fortinet support") {
			t.Errorf("ACTIVATED_ELSEWHERE advice = %q", tk.Advice)
		}
	}
	for _, d := range []string{"garbage", "flood"} {
		if _, ok := byName[d]; !ok {
			t.Errorf("%s missing from the report", d)
		}
	}
	if !slices.ContainsFunc(results, DeviceResult.Failed) {
		t.Error("fleet with errors must exit 1")
	}
	for _, sd := range f.Devices() {
		if st := sd.State(); !st.DebugClean() && sd.Name() != "flood" {
			t.Errorf("%s: scan left debug state behind", sd.Name())
		}
	}
	if !strings.Contains(readAudit(t, e), `"line":"diagnose fortitoken info"`) {
		t.Error("scan lines are not in the audit log")
	}
	if strings.Contains(string(b), "ENC ") {
		t.Error("JSON holds an ENC value")
	}
}

// Cancelling the run ends every device scan promptly, hung ones included.
func TestScanCancel(t *testing.T) {
	_, e := simFleet(t, spec("hang1", sim.FaultHang), spec("hang2", sim.FaultHang), spec("ok", sim.Healthy))
	e.DeviceTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(1500*time.Millisecond, cancel)
	res := e.Scan(ctx, e.Inv.Devices, nil)
	for _, r := range res[:2] {
		if r.Reachable || r.Error == "" {
			t.Errorf("%s: %+v", r.Name, r)
		}
	}
	if ctx.Err() == nil {
		t.Error("scan returned before cancel: the hang fault did not hang")
	}
}

// The worker pool never scans more devices at once than Concurrency, and
// a failing --ask-pass is reported as AUTH_FAILED on every device.
func TestScanBoundedAndAskPass(t *testing.T) {
	_, e := simFleet(t, spec("a"), spec("b"), spec("c"), spec("d"), spec("e"))
	e.Concurrency = 2
	var mu sync.Mutex
	inFlight, peak := 0, 0
	res := e.Scan(context.Background(), e.Inv.Devices, func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Kind {
		case EventStarted:
			inFlight++
			peak = max(peak, inFlight)
		case EventFinished:
			inFlight--
		}
	})
	if peak > 2 {
		t.Errorf("%d devices scanned at once with Concurrency 2", peak)
	}
	for _, r := range res {
		if !r.Reachable || len(r.Tokens) != 2 {
			t.Errorf("%s: %+v", r.Name, r)
		}
	}
	inv, err := inventory.Load(e.Inv.Path, inventory.LoadOptions{AskPass: func() (string, error) { return "", errTest("no terminal") }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range inv.Devices {
		inv.Devices[i].PasswordEnv = ""
	}
	e2 := &Engine{Inv: inv}
	for _, r := range e2.Scan(context.Background(), inv.Devices, nil) {
		if len(r.Findings) != 1 || r.Findings[0].Code != CodeAuthFailed || !strings.Contains(r.Error, "no terminal") {
			t.Errorf("%s: %+v", r.Name, r.Findings)
		}
	}
	// A password_env that is not set is AUTH_FAILED naming the variable,
	// not a lost connection.
	for i := range inv.Devices {
		inv.Devices[i].PasswordEnv = "FTK_TEST_UNSET_VAR"
	}
	for _, r := range e2.Scan(context.Background(), inv.Devices, nil) {
		if len(r.Findings) != 1 || r.Findings[0].Code != CodeAuthFailed || !strings.Contains(r.Error, "FTK_TEST_UNSET_VAR is not set") {
			t.Errorf("%s: %+v", r.Name, r.Findings)
		}
	}
}
