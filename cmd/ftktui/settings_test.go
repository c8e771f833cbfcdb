package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCaptured runs the CLI with stdout and stderr captured.
func runCaptured(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	capture := func(f **os.File) (func() string, error) {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		old := *f
		*f = w
		done := make(chan string)
		go func() { b, _ := io.ReadAll(r); done <- string(b) }()
		return func() string { *f = old; _ = w.Close(); return <-done }, nil
	}
	out, err := capture(&os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	errOut, err := capture(&os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	code = run(args)
	return out(), errOut(), code
}

// settingsDir makes $XDG_CONFIG_HOME with ftktui/config.yaml = body.
func settingsDir(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "ftktui"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "ftktui", "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("FTKTUI_INVENTORY", "")
	os.Unsetenv("FTKTUI_INVENTORY")
	return p
}

func row(out, key string) string {
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == key {
			return strings.Join(f[1:], " ")
		}
	}
	return ""
}

// `ftktui config` says where each value came from: flag beats env beats
// the settings file beats the built-in default.
func TestConfigCommandSources(t *testing.T) {
	p := settingsDir(t, "inventory: fleet.csv\nconcurrency: 8\nread_only: true\ndefaults:\n  password_env: FW_PASS\n")
	out, errOut, code := runCaptured(t, "config")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dir := filepath.Dir(p)
	for key, want := range map[string]string{
		"inventory":             filepath.Join(dir, "fleet.csv") + " " + p + ":1",
		"concurrency":           "8 " + p + ":2",
		"timeout":               "2m0s default",
		"read_only":             "true " + p + ":3",
		"defaults.password_env": "FW_PASS " + p + ":4",
	} {
		if got := row(out, key); got != want {
			t.Errorf("%s = %q, want %q\n%s", key, got, want, out)
		}
	}
	t.Setenv("FTKTUI_INVENTORY", "from-env.yaml")
	out, _, _ = runCaptured(t, "config")
	if got := row(out, "inventory"); got != "from-env.yaml env FTKTUI_INVENTORY" {
		t.Errorf("inventory = %q", got)
	}
	out, _, _ = runCaptured(t, "config", "-i", "flag.yaml", "--audit-log=/tmp/a.jsonl")
	if got := row(out, "inventory"); got != "flag.yaml flag --inventory" {
		t.Errorf("inventory = %q", got)
	}
	if got := row(out, "audit_log"); got != "/tmp/a.jsonl flag --audit-log" {
		t.Errorf("audit_log = %q", got)
	}
}

// A mistake in the settings file stops every command with FILE:LINE, exit 2.
func TestBadSettingsFileIsExit2(t *testing.T) {
	p := settingsDir(t, "concurrency: 4\ncolour: dark\n")
	_, errOut, code := runCaptured(t, "inventory", "-i", "whatever.yaml")
	if code != exitUsage || !strings.Contains(errOut, p+`:2: unknown key "colour"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// `ftktui inventory` on an Ansible inventory with the settings file's
// defaults: the password source comes from the settings file, tags from
// the groups, and nothing connects (the hosts are documentation addresses).
func TestInventoryCommand(t *testing.T) {
	settingsDir(t, "defaults:\n  password_env: FTKTUI_PASSWORD\n")
	ini := filepath.Join("..", "..", "inventory", "testdata", "inventory", "ansible_hosts.ini")
	out, errOut, code := runCaptured(t, "inventory", "-i", ini, "--json", "--tag", "emea_branches")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep inventoryReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Format != "ansible-ini" || len(rep.Devices) != 3 || rep.Devices[0].Name != "lyon-br01.example.net" ||
		rep.Devices[0].PasswordSource != "env FTKTUI_PASSWORD" || rep.Devices[0].User != "netops" || rep.Devices[0].VDOM != "branch" {
		t.Errorf("report = %+v", rep)
	}
	if !strings.Contains(errOut, "ansible_password (line 11) never read") || strings.Contains(out+errOut, "NeverReadThis") {
		t.Errorf("stderr = %q", errOut)
	}
	out, _, code = runCaptured(t, "inventory", "-i", ini)
	if code != 0 || !strings.Contains(out, "tokyo-fw1") || !strings.Contains(out, "7 device(s)") {
		t.Errorf("table (exit %d):\n%s", code, out)
	}
	_, errOut, code = runCaptured(t, "inventory", "-i", ini, "--tag", "nope")
	if code != exitUsage {
		t.Errorf("--tag nope: exit %d, %s", code, errOut)
	}
}

// Every inventory format's mistakes reach the user as FILE:LINE, exit 2.
func TestInventoryErrorsExit2EveryFormat(t *testing.T) {
	settingsDir(t, "")
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		body string
		line string
	}{
		"a.yaml":     {"devices:\n  - name: a\n    hots: x\n", ":3:"},
		"hosts.ini":  {"[emea]\nfw1 ansible_port=http\n", ":2:"},
		"hosts.yml":  {"all:\n  hosts:\n    fw1:\n      ansible_port: http\n", ":4:"},
		"d.csv":      {"name,host,port\nfw1,h,http\n", ":2:"},
		"ssh_config": {"Host fw1\n  Port http\n", ":1:"}, // ssh_config keeps lines per Host entry
	} {
		body := tc.body
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := runCaptured(t, "inventory", "-i", p)
		if code != exitUsage || !strings.Contains(errOut, p+tc.line) {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut)
		}
	}
}
