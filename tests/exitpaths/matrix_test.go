package exitpaths

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

type surface string

// The surfaces of issue 15's matrix; the headless ones are also the
// binary's subcommand names.
const (
	sfDebug         surface = "debug"
	sfPane          surface = "console-pane"
	sfActivate      surface = "activate"
	sfReadd         surface = "readd"
	sfResend        surface = "resend"
	sfRenew         surface = "renew"
	sfConsoleAction surface = "console-action"
)

type fault string

const (
	fSIGINT     fault = "SIGINT"
	fSIGTERM    fault = "SIGTERM"
	fSIGHUP     fault = "SIGHUP"
	fSIGPIPE    fault = "SIGPIPE"
	fTermClosed fault = "terminal-closed"
	fDeadline   fault = "ctx-deadline"
	fCut        fault = "connection-cut"
	fHang       fault = "device-hangs"
)

var (
	surfaces = []surface{sfDebug, sfPane, sfActivate, sfReadd, sfResend, sfRenew, sfConsoleAction}
	faults   = []fault{fSIGINT, fSIGTERM, fSIGHUP, fSIGPIPE, fTermClosed, fDeadline, fCut, fHang}
)

type cell struct {
	s surface
	f fault
	p phase
}

func (c cell) String() string { return fmt.Sprintf("%s/%s/%s", c.s, c.f, c.p) }

func isConsole(s surface) bool { return s == sfPane || s == sfConsoleAction }
func isDebug(s surface) bool   { return s == sfDebug || s == sfPane }

// spec is what a surface needs from the simulator.
func spec(s surface) (sim.Scenario, fleet.Action, []string, string) {
	switch s {
	case sfActivate, sfConsoleAction:
		return sim.PendingActivation, fleet.ActionActivate, []string{"forticldd", "fortitoken"}, "execute fortitoken activate"
	case sfReadd:
		return sim.MigratedSeed, fleet.ActionReadd, []string{"forticldd", "fortitoken"}, "delete FTK"
	case sfResend:
		return sim.MobilePending, fleet.ActionResend, []string{"alertmail", "fortitoken"}, "execute fortitoken-mobile provision"
	case sfRenew:
		return sim.MobilePending, fleet.ActionRenew, []string{"alertmail", "fortitoken"}, "execute fortitoken-mobile renew"
	}
	return sim.PendingActivation, "", nil, "" // debug surfaces arm all three
}

// phases lists the moments of s: connecting, each arm line, then the
// mutation and its verification (actions) or the tail (debug), disarming.
func phases(s surface) []phase {
	_, _, apps, _ := spec(s)
	arm, _ := device.DebugArmLines(apps)
	out := []phase{phConnecting}
	for i := range arm {
		out = append(out, armPhase(i))
	}
	if isDebug(s) {
		out = append(out, phStreaming)
	} else {
		out = append(out, phMutation, phVerify)
	}
	return append(out, phDisarming)
}

// allCells is the whole matrix; the console has no stdout to close, so
// console × SIGPIPE is counted as not applicable.
func allCells() (cells []cell, na int) {
	for _, s := range surfaces {
		for _, f := range faults {
			for _, p := range phases(s) {
				if isConsole(s) && f == fSIGPIPE {
					na++
					continue
				}
				cells = append(cells, cell{s, f, p})
			}
		}
	}
	return cells, na
}

// Verdicts.
const (
	vDisarmed = "disarmed"
	vReported = "left on, reported + DEBUG_LEFT_ON"
	vNotHit   = "phase not reached"
)

// runCell plays one cell and returns its verdict; a violation fails t.
func runCell(t *testing.T, c cell, seed int64) string {
	scen, action, apps, mutation := spec(c.s)
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "fw", Scenarios: []sim.Scenario{scen}}},
		Seed: seed, Latency: 40 * time.Millisecond, ActivationDelay: 800 * time.Millisecond})
	d := f.Device("fw")
	v := &env{t: t, f: f, d: d, audit: filepath.Join(f.Dir, "audit.jsonl")}
	v.p = proxied(t, f, d)
	v.e = testkit.StartEngine(t, f, cellCmdTimeout, 20*time.Second)
	v.e.VerifyTimeout, v.e.PollInterval = 5*time.Second, 150*time.Millisecond
	if action != "" && !isConsole(c.s) {
		v.token = tokenFor(t, v.e, "fw", d, action)
	}
	if isDebug(c.s) {
		apps = nil
	}
	arm, _ := device.DebugArmLines(apps)
	w := newWatch(d, c.p, arm, mutation)
	var report string
	switch {
	case isConsole(c.s):
		report = v.runConsole(c, w)
	case isSignal(c.f):
		report = v.runBinary(c, w)
	default:
		report = v.runEngine(c, w)
	}
	v.p.Thaw()
	_ = d.SetFault(sim.FaultDebugFlood, false)
	if strings.HasPrefix(report, "TIMEOUT") || strings.HasPrefix(report, "PLAN") || strings.HasPrefix(report, "NO ") {
		t.Errorf("%s: %s", c, report)
		return "error"
	}
	// §1/§3 on every action cell: nothing sent twice; once sent, the result
	// is verified or unknown, never failed.
	if mutation != "" {
		per := map[string]int{}
		for _, cmd := range d.State().Commands {
			if strings.HasPrefix(cmd, mutation) {
				per[cmd]++
			}
		}
		for line, n := range per {
			if n > 1 {
				t.Errorf("%s: %q reached the device %d times", c, line, n)
			}
		}
		sent := map[string]bool{} // serials whose one-shot line reached the device
		for line := range per {
			if f := strings.Fields(line); len(f) > 0 {
				sent[f[len(f)-1]] = true
			}
		}
		if len(per) > 0 {
			for _, ent := range readAudit(v.audit) {
				if sent[ent.Token] && ent.Action == string(action) && ent.Line == "" && ent.Outcome != "start" &&
					ent.Outcome != fleet.OutcomeVerified && ent.Outcome != fleet.OutcomeUnknown && ent.Outcome != fleet.OutcomeRefused {
					t.Errorf("%s: mutation sent but audited %q: %s", c, ent.Outcome, ent.Error)
				}
			}
		}
	}
	if clean(d, 8*time.Second) {
		if !w.didFire() {
			return vNotHit
		}
		return vDisarmed
	}
	// Left on: acceptable only when ftktui said so and the next scan (a
	// fresh engine, straight to the device) reports it.
	e2 := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	r := e2.ScanDevice(context.Background(), e2.Inv.Devices[0])
	found := false
	for _, fd := range r.Findings {
		found = found || fd.Code == fleet.CodeDebugLeftOn
	}
	said := strings.Contains(report, "disarm") || strings.Contains(report, "cleanup") || strings.Contains(report, "DEBUG_LEFT_ON")
	if found && said {
		return vReported
	}
	t.Errorf("%s: DEBUG LEFT ARMED (%s); reported=%v scan found=%v\n%s\ndevice received: %q", c, debugState(d.State()), said, found, report, d.State().Commands)
	return "LEFT ARMED"
}

// readAudit reads the cell's audit log (missing file = no entries).
func readAudit(path string) []fleet.AuditEntry {
	out, _ := parseAudit(path)
	return out
}

// TestExitPathMatrix is issue 15's matrix: {surfaces} × {faults} ×
// {phases}, each cell checked on the simulator's state. CI runs a seeded
// sample (seed printed; FTKTUI_MATRIX_SEED replays it); FTKTUI_FULL_MATRIX=1
// runs every cell; FTKTUI_MATRIX_SURFACES=a,b keeps those surfaces only.
// The summary line is what SECURITY.md quotes.
func TestExitPathMatrix(t *testing.T) {
	cells, na := allCells()
	full := os.Getenv("FTKTUI_FULL_MATRIX") == "1"
	seed := time.Now().UnixNano() % 1_000_000
	if s, err := strconv.ParseInt(os.Getenv("FTKTUI_MATRIX_SEED"), 10, 64); err == nil {
		seed = s
	}
	n := 8
	if s, err := strconv.Atoi(os.Getenv("FTKTUI_MATRIX_CELLS")); err == nil && s > 0 {
		n = s
	}
	pick := cells
	if only := os.Getenv("FTKTUI_MATRIX_SURFACES"); only != "" {
		pick = nil
		for _, c := range cells {
			if slices.Contains(strings.Split(only, ","), string(c.s)) {
				pick = append(pick, c)
			}
		}
	}
	if only := os.Getenv("FTKTUI_MATRIX_ONLY"); only != "" {
		pick = nil
		for _, c := range cells {
			for _, o := range strings.Split(only, ",") {
				if c.String() == o {
					pick = append(pick, c)
				}
			}
		}
	} else if !full {
		r := rand.New(rand.NewPCG(uint64(seed), 15))
		r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
		pick = pick[:min(n, len(pick))]
	}
	t.Logf("exit-path matrix: %d cells (+%d not applicable), running %d, seed %d (FTKTUI_MATRIX_SEED=%d replays it)",
		len(cells), na, len(pick), seed, seed)
	binary(t)
	// A signal meant for the console under test must never kill the test
	// process when it lands a moment after the console stopped listening.
	absorb := make(chan os.Signal, 64)
	signal.Notify(absorb, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(absorb)

	var mu sync.Mutex
	tally := map[string]int{}
	bySurface := map[surface]map[string]int{}
	t.Run("cells", func(t *testing.T) {
		for i, c := range pick {
			t.Run(strings.ReplaceAll(c.String(), "/", "_"), func(t *testing.T) {
				// Serial: the fleet's password is in this process's
				// environment, and console cells signal this process.
				verdict := runCell(t, c, seed+int64(i))
				mu.Lock()
				tally[verdict]++
				if bySurface[c.s] == nil {
					bySurface[c.s] = map[string]int{}
				}
				bySurface[c.s][verdict]++
				mu.Unlock()
				t.Logf("%s: %s", c, verdict)
			})
		}
	})
	var keys []string
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, tally[k]))
	}
	summary := fmt.Sprintf("MATRIX seed=%d full=%v cells=%d ran=%d n/a=%d: %s", seed, full, len(cells), len(pick), na, strings.Join(parts, ", "))
	for _, s := range surfaces {
		if m := bySurface[s]; m != nil {
			summary += fmt.Sprintf("\n  %-15s disarmed %d, reported %d, phase-not-reached %d, other %d", s, m[vDisarmed], m[vReported], m[vNotHit],
				sumOther(m))
		}
	}
	t.Log(summary)
	fmt.Println(summary)
}

func sumOther(m map[string]int) int {
	n := 0
	for k, v := range m {
		if k != vDisarmed && k != vReported && k != vNotHit {
			n += v
		}
	}
	return n
}
