package tui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// fakeBackend is a deterministic Backend: a fixed fleet covering the docs/spec.md §7
// scenarios, recorded calls, and switches for hanging and flooding.
type fakeBackend struct {
	mu       sync.Mutex
	devs     []Device
	results  map[string]fleet.DeviceResult
	hangScan map[string]bool // Scan blocks (until ctx ends) when it includes one of these
	blockAll bool            // every blocking method waits for ctx
	plans    []fleet.ActionRequest
	runs     []fleet.ActionRequest
	streams  map[string]*fakeStream
	failRun  map[string]string // token → failure message
	opened   chan string       // device names as debug streams open
	flood    bool              // streams emit lines continuously
	scans    [][]string        // names of every Scan call
}

type fakeStream struct {
	ch        chan parse.DebugLine
	closeOnce sync.Once
	mu        sync.Mutex
	closed    bool
	stop      chan struct{}
}

func (s *fakeStream) Lines() <-chan parse.DebugLine { return s.ch }
func (s *fakeStream) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
	})
	return nil
}
func (s *fakeStream) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// send delivers a line unless the stream was closed.
func (s *fakeStream) send(l parse.DebugLine) bool {
	select {
	case s.ch <- l:
		return true
	case <-s.stop:
		return false
	}
}

func tok(sn, kind, status string, seed bool, users []string, diag fleet.Code, sev fleet.Severity) fleet.TokenResult {
	return fleet.TokenResult{Serial: sn, Kind: kind, Status: status, Seed: seed, Users: users, Diagnosis: diag, Severity: sev, Advice: "advice for " + string(diag)}
}

func newFake() *fakeBackend {
	fb := &fakeBackend{results: map[string]fleet.DeviceResult{}, hangScan: map[string]bool{}, streams: map[string]*fakeStream{},
		failRun: map[string]string{}, opened: make(chan string, 16)}
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	ok := func(name string, toks []fleet.TokenResult, findings ...fleet.Finding) fleet.DeviceResult {
		return fleet.DeviceResult{Name: name, Host: "127.0.0.1", Port: 22, Reachable: true, Hostname: "FGT-" + strings.ToUpper(name[:3]),
			Model: "FortiGate-60F", Version: "v7.0.7", CentralManagement: fleet.CentralMgmtResult{Type: "none"},
			FortiGuard:  []fleet.PingCheck{{Host: "fds1.fortinet.com", Reachable: true}},
			TokenServer: "reachable", EmailServer: fleet.EmailResult{Server: "notification.fortinet.net", Port: 465},
			Tokens: toks, Findings: findings, ScannedAt: at}
	}
	add := func(r fleet.DeviceResult) {
		fb.devs = append(fb.devs, Device{Name: r.Name, Host: "127.0.0.1", Port: 2200 + len(fb.devs)})
		fb.results[r.Name] = r
	}
	add(ok("paris-fw1", []fleet.TokenResult{
		tok("FTK2000000000001", "hardware", "active", true, []string{"jdoe"}, fleet.CodeOK, ""),
		tok("FTKMOB0000000001", "mobile", "provisioned", true, []string{"asmith"}, fleet.CodeOK, "")}))
	fmg := ok("lyon-fw1", []fleet.TokenResult{tok("FTK2000000000002", "hardware", "new", false, []string{"bob"}, fleet.CodeNeedsActivation, fleet.SevWarn)},
		fleet.Finding{Code: fleet.CodeFMGManaged, Severity: fleet.SevWarn, Step: "1"})
	fmg.CentralManagement = fleet.CentralMgmtResult{Type: "fortimanager", FMG: "192.0.2.50"}
	add(fmg)
	add(ok("berlin-fw1", []fleet.TokenResult{
		tok("FTK2000000000003", "hardware", "new", false, []string{"carl"}, fleet.CodeNeedsActivation, fleet.SevWarn),
		tok("FTK2000000000004", "hardware", "new", false, []string{"dora"}, fleet.CodeNeedsActivation, fleet.SevWarn)}))
	add(ok("rome-fw1", []fleet.TokenResult{
		tok("FTK2000000000005", "hardware", parse.StatusAlreadyActivated, true, []string{"eve", "admin:root2"}, fleet.CodeDeleteReadd, fleet.SevError),
		tok("FTK2000000000006", "hardware", parse.StatusAlreadyActivated, false, []string{"fred"}, fleet.CodeActivatedElsewhere, fleet.SevError)}))
	add(ok("oslo-fw1", []fleet.TokenResult{
		tok("FTKMOB0000000002", "mobile", "provisioning", false, []string{"gina"}, fleet.CodePending, fleet.SevWarn),
		tok("FTKMOB0000000003", "mobile", "provision timeout", false, []string{"hal"}, fleet.CodeProvisionTimeout, fleet.SevWarn)}))
	em := ok("madrid-fw1", []fleet.TokenResult{tok("FTKMOB0000000004", "mobile", "provisioning", false, []string{"ivy"}, fleet.CodePending, fleet.SevWarn)},
		fleet.Finding{Code: fleet.CodeEmailServerUnset, Severity: fleet.SevError, Step: "email"})
	em.EmailServer = fleet.EmailResult{}
	add(em)
	kyiv := ok("kyiv-fw1", []fleet.TokenResult{tok("FTK2000000000007", "hardware", "new", false, []string{"jan"}, fleet.CodeNeedsActivation, fleet.SevWarn)},
		fleet.Finding{Code: fleet.CodeFortiGuardUnreachable, Severity: fleet.SevError, Step: "1"})
	kyiv.FortiGuard = []fleet.PingCheck{{Host: "fds1.fortinet.com", Error: "Unable to resolve hostname."}}
	kyiv.TokenServer = "unreachable"
	add(kyiv)
	add(fleet.DeviceResult{Name: "dead-fw1", Host: "127.0.0.1", Error: "dial tcp 127.0.0.1:1: connection refused", ScannedAt: at,
		Findings: []fleet.Finding{{Code: fleet.CodeUnreachable, Severity: fleet.SevError}}})
	return fb
}

func (f *fakeBackend) Devices() []Device { return f.devs }

func (f *fakeBackend) Scan(ctx context.Context, names []string, progress func(fleet.Event)) []fleet.DeviceResult {
	f.mu.Lock()
	f.scans = append(f.scans, append([]string(nil), names...))
	hang := f.blockAll
	for _, n := range names {
		hang = hang || f.hangScan[n]
	}
	f.mu.Unlock()
	var out []fleet.DeviceResult
	for i, n := range names {
		progress(fleet.Event{Kind: fleet.EventStarted, Device: n, Done: i, Total: len(names)})
		progress(fleet.Event{Kind: fleet.EventStep, Device: n, Step: "step 1: FortiGuard", Done: i, Total: len(names)})
		if hang {
			<-ctx.Done()
			return out
		}
		f.mu.Lock()
		r := f.results[n]
		f.mu.Unlock()
		out = append(out, r)
		progress(fleet.Event{Kind: fleet.EventFinished, Device: n, Result: &r, Done: i + 1, Total: len(names)})
	}
	return out
}

func (f *fakeBackend) Plan(ctx context.Context, req fleet.ActionRequest) (*fleet.Plan, error) {
	f.mu.Lock()
	f.plans = append(f.plans, req)
	block := f.blockAll
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	p := &fleet.Plan{Request: req}
	switch req.Action {
	case "activate":
		p.Lines = []string{"config user fortitoken", "end", "execute fortitoken activate " + req.Token}
		p.Warnings = []string{"FortiToken-200 can be activated once only: debug is armed first"}
	case "readd":
		p.Lines = []string{"config user local", "edit eve", "set two-factor disable", "next", "end", "config user fortitoken", "delete " + req.Token, "edit " + req.Token, "next", "end"}
	case "resend":
		p.Lines = []string{"execute fortitoken-mobile provision " + req.Token}
	case "renew":
		p.Lines = []string{"execute fortitoken-mobile renew " + req.Token}
	}
	return p, nil
}

func (f *fakeBackend) Run(ctx context.Context, p *fleet.Plan, debug func(parse.DebugLine)) fleet.ActionResult {
	f.mu.Lock()
	f.runs = append(f.runs, p.Request)
	block := f.blockAll
	fail := f.failRun[p.Request.Token]
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return fleet.ActionResult{Request: p.Request, Outcome: "failed", Message: ctx.Err().Error()}
	}
	debug(parse.DebugLine{Source: parse.SourceForticldd, Raw: "[forticldd] ftm_activate: sending " + p.Request.Token})
	debug(parse.DebugLine{Source: parse.SourceFortitoken, Raw: "fortitoken: activation-code: 8812734 for " + p.Request.Token})
	if fail != "" {
		debug(parse.DebugLine{Source: parse.SourceForticldd, Raw: "ftm_activate: " + fail, IsError: true})
		return fleet.ActionResult{Request: p.Request, Outcome: "failed", Message: fail}
	}
	return fleet.ActionResult{Request: p.Request, Verified: true, Outcome: "verified", Message: "status new → active"}
}

func (f *fakeBackend) Debug(ctx context.Context, device string, apps []string) (DebugStream, error) {
	f.mu.Lock()
	block := f.blockAll
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	s := &fakeStream{ch: make(chan parse.DebugLine, 1024), stop: make(chan struct{})}
	f.mu.Lock()
	f.streams[device] = s
	flood := f.flood
	f.mu.Unlock()
	if flood {
		go func() {
			for i := 0; ; i++ {
				if !s.send(parse.DebugLine{Source: parse.SourceForticldd, Raw: fmt.Sprintf("flood line %d", i)}) {
					return
				}
			}
		}()
	}
	select {
	case f.opened <- device:
	default:
	}
	return s, nil
}

func (f *fakeBackend) stream(device string) *fakeStream {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streams[device]
}

func (f *fakeBackend) counts() (plans, runs int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.plans), len(f.runs)
}

// harness drives a Model through Update the way the program does, running
// commands synchronously (with a deadline) and ignoring ticks, which tests
// send explicitly.
type harness struct {
	t  *testing.T
	m  *Model
	fb *fakeBackend
}

func newHarness(t *testing.T, fb *fakeBackend, o Options) *harness {
	t.Helper()
	o.Backend = fb
	o.NoColor = true
	o.NoInitialScan = true
	o.Tick = time.Millisecond
	if o.SaveDir == "" {
		o.SaveDir = t.TempDir()
	}
	h := &harness{t: t, m: New(o), fb: fb}
	t.Cleanup(func() { _ = h.m.Close() })
	h.m.Update(tea.WindowSizeMsg{Width: 160, Height: 44})
	return h
}

// scanAll loads every device's result through a real scan command.
func (h *harness) scanAll() {
	h.run(h.m.scanCmd(h.m.allNames()))
	h.tick()
}

func (h *harness) tick() { h.run(func() tea.Msg { return tickMsg{} }) }

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	msgc := make(chan tea.Msg, 1)
	go func() { msgc <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-msgc:
	case <-time.After(5 * time.Second):
		h.t.Fatalf("command did not finish")
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case tickMsg:
		_, _ = h.m.Update(tickMsg{}) // drain once, do not reschedule
	default:
		_, c := h.m.Update(msg)
		h.run(c)
	}
}

// key presses keys by their String() names ("j", "enter", "space", "ctrl+s").
func (h *harness) key(names ...string) {
	h.t.Helper()
	for _, n := range names {
		_, c := h.m.Update(keyMsg(n))
		h.run(c)
	}
}

func keyMsg(n string) tea.KeyPressMsg {
	switch n {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+a":
		return tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl}
	}
	r := []rune(n)
	return tea.KeyPressMsg{Code: r[0], Text: n}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.key(string(r))
	}
}

func (h *harness) view() string { return ansi.Strip(h.m.render()) }

// selectDevice moves the fleet cursor to the named device.
func (h *harness) selectDevice(name string) {
	h.t.Helper()
	h.m.focus = paneFleet
	for i := 0; i < len(h.m.devs)+1; i++ {
		if h.m.table.device == name {
			return
		}
		h.key("j")
	}
	h.key("g")
	for i := 0; i < len(h.m.devs)+1; i++ {
		if h.m.table.device == name {
			return
		}
		h.key("j")
	}
	h.t.Fatalf("device %s not reachable in the list (order %v)", name, h.m.list.order)
}

// confirmActivate scans the fake fleet, opens device's tokens and presses
// `a`: the activation's confirmation dialog must be up.
func (h *harness) confirmActivate(device string) {
	h.t.Helper()
	h.scanAll()
	h.selectDevice(device)
	h.key("enter", "a")
	if h.m.dialog == nil || h.m.dialog.phase != phaseConfirm {
		h.t.Fatalf("a should open a confirm dialog, got %+v", h.m.dialog)
	}
}
