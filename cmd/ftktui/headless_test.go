package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
)

// runCLI runs the command line with stdout/stderr captured.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	oldOut, oldErr := os.Stdout, os.Stderr
	ro, wo, _ := os.Pipe()
	re, we, _ := os.Pipe()
	os.Stdout, os.Stderr = wo, we
	var bo, be bytes.Buffer
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(&bo, ro); done <- struct{}{} }()
	go func() { _, _ = io.Copy(&be, re); done <- struct{}{} }()
	type exited struct{ code int }
	func() {
		defer func() {
			if r := recover(); r != nil {
				e, ok := r.(exited)
				if !ok {
					panic(r)
				}
				code = e.code
			}
		}()
		exitNow = func(c int) { panic(exited{c}) }
		defer func() { exitNow = os.Exit }()
		code = run(args)
	}()
	os.Stdout, os.Stderr = oldOut, oldErr
	wo.Close()
	we.Close()
	<-done
	<-done
	return code, bo.String(), be.String()
}

// simFleet starts simulated devices with the given scenarios and writes
// their inventory; FTKTUI_PASSWORD is set for the test.
func simFleet(t *testing.T, scen ...sim.Scenario) (*sim.Fleet, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f, err := sim.Start(ctx, sim.Options{Devices: len(scen), Scenarios: scen, Listen: "127.0.0.1:0", Seed: 7,
		ActivationDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); f.Close() })
	dir := t.TempDir()
	if err := f.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FTKTUI_PASSWORD", f.Password())
	t.Setenv("SSH_AUTH_SOCK", "")
	return f, filepath.Join(dir, "inventory.yaml")
}

func TestScanZeroDevicesIsInputError(t *testing.T) {
	_, inv := simFleet(t, sim.Healthy)
	code, _, stderr := runCLI(t, "scan", "-i", inv, "--tag", "nosuch", "--audit-log", filepath.Join(t.TempDir(), "a.jsonl"))
	if code != exitUsage || !strings.Contains(stderr, "no device in") || !strings.Contains(stderr, "nosuch") {
		t.Fatalf("scan --tag nosuch: code %d, stderr %q", code, stderr)
	}
	// Repeated --tag is OR: healthy OR email-unset selects both devices.
	_, inv2 := simFleet(t, sim.Healthy, sim.PendingActivation)
	code, out, _ := runCLI(t, "scan", "-i", inv2, "--tag", "healthy", "--tag", "pending-activation", "--json",
		"--audit-log", filepath.Join(t.TempDir(), "a.jsonl"))
	var rep struct{ Devices []json.RawMessage }
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Devices) != 2 {
		t.Fatalf("--tag a --tag b: code %d, %d devices, %v", code, len(rep.Devices), err)
	}
}

func TestMissingPasswordSaidOnceBeforeConnecting(t *testing.T) {
	f, inv := simFleet(t, sim.Healthy, sim.Healthy, sim.Healthy)
	t.Setenv("FTKTUI_PASSWORD", "")
	code, stdout, stderr := runCLI(t, "scan", "-i", inv, "--audit-log", filepath.Join(t.TempDir(), "a.jsonl"))
	if code != exitUsage || strings.Count(stderr, "password_env FTKTUI_PASSWORD is not set") != 1 || strings.Contains(stdout, "AUTH_FAILED") {
		t.Fatalf("code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, d := range f.Devices() {
		if n := len(d.State().Commands); n != 0 {
			t.Errorf("%s was contacted (%d commands)", d.Name(), n)
		}
	}
}

// JSON: step is a string everywhere; findings list problems only; advice
// commands are shell-quoted.
func TestScanJSONStepAndFindings(t *testing.T) {
	_, inv := simFleet(t, sim.Healthy, sim.PendingActivation)
	_, out, _ := runCLI(t, "scan", "-i", inv, "--json", "--audit-log", filepath.Join(t.TempDir(), "a.jsonl"))
	var rep struct {
		Devices []struct {
			Tokens []struct {
				Diagnosis, Command string
				Step               any
			}
			Findings []struct {
				Code string
				Step any
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	commands := 0
	for _, d := range rep.Devices {
		for _, f := range d.Findings {
			if _, ok := f.Step.(string); !ok {
				t.Errorf("finding %s step %T %v, want a string", f.Code, f.Step, f.Step)
			}
			if f.Code == "OK" {
				t.Errorf("an OK token is listed as a finding")
			}
		}
		for _, tk := range d.Tokens {
			if tk.Command != "" {
				commands++
				if !strings.Contains(tk.Command, "-i '"+inv+"' --device '") {
					t.Errorf("command not quoted: %s", tk.Command)
				}
			}
		}
	}
	if commands == 0 {
		t.Error("no token of the pending-activation unit carries a command")
	}
}

// --debug-log: the capture goes to the file, not to stderr; the audit log
// keeps the success text out of "error".
func TestActionDebugLogNotOnStderr(t *testing.T) {
	f, inv := simFleet(t, sim.PendingActivation)
	dev := f.Devices()[0]
	sn := ""
	for _, tk := range dev.State().Tokens {
		if parse.TokenKind(tk.Serial) == "hardware" && tk.Status == "new" && !tk.Seed {
			sn = tk.Serial
		}
	}
	if sn == "" {
		t.Fatal("no token to activate")
	}
	dir := t.TempDir()
	logf, audit := filepath.Join(dir, "debug.log"), filepath.Join(dir, "audit.jsonl")
	code, stdout, stderr := runCLI(t, "activate", "-i", inv, "--device", dev.Name(), "--token", sn, "--yes", "--debug-log", logf, "--audit-log", audit)
	if code != exitOK {
		t.Fatalf("activate: code %d\n%s\n%s", code, stdout, stderr)
	}
	b, _ := os.ReadFile(logf)
	if len(bytes.TrimSpace(b)) == 0 {
		t.Fatal("--debug-log is empty")
	}
	if n := strings.Count(stderr, "\n"); n > 2 {
		t.Errorf("stderr has %d lines: the capture belongs in --debug-log only:\n%s", n, stderr)
	}
	ab, _ := os.ReadFile(audit)
	for _, l := range strings.Split(strings.TrimSpace(string(ab)), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(l), &e) == nil && e["outcome"] == "verified" && e["action"] == "activate" {
			if _, bad := e["error"]; bad || e["message"] == nil {
				t.Errorf("verified entry keeps its text under error: %s", l)
			}
			return
		}
	}
	t.Errorf("no verified activate entry in the audit log:\n%s", ab)
}

func TestVersionFlagAndHelp(t *testing.T) {
	code, out, _ := runCLI(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "ftktui ") || !strings.Contains(out, "commit ") {
		t.Fatalf("--version: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "sim", "--help")
	if code != 0 || strings.Contains(out, "--hosts") || strings.Contains(out, "--ask-pass") || !strings.Contains(out, "mobile-pending") {
		t.Fatalf("sim --help: %d\n%s", code, out)
	}
	_, out, _ = runCLI(t, "demo", "--help")
	if strings.Contains(out, "--hosts") || strings.Contains(out, "--ask-pass") || !strings.Contains(out, "--read-only") {
		t.Fatalf("demo --help:\n%s", out)
	}
	_, out, _ = runCLI(t, "scan", "--help")
	if !strings.Contains(out, "Exit codes:") || !strings.Contains(out, "--tag a+b") {
		t.Fatalf("scan --help:\n%s", out)
	}
}

func TestDemoWithoutTerminal(t *testing.T) {
	code, _, stderr := runCLI(t, "demo")
	if code != exitUsage || !strings.Contains(stderr, "needs a terminal") || strings.Contains(stderr, "could not open TTY") {
		t.Fatalf("demo without a terminal: %d %q", code, stderr)
	}
}
