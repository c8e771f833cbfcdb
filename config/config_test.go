package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, body string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ftktui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadEveryKey(t *testing.T) {
	p := write(t, `# shared jump host: look, do not touch
inventory: fleets/emea.ini
concurrency: 64
timeout: 90s
audit_log: ~/audit/ftktui.jsonl
theme: light
read_only: true
defaults:
  user: netops
  password_env: FTKTUI_PASSWORD
  known_hosts: known_hosts
  identity_file: [~/.ssh/id_ed25519]
  vdom: root
  timeout: 30s
  jump: netops@bastion.example.net
  legacy_algorithms: false
  port: 22
`)
	s, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	dir := filepath.Dir(p)
	if s.Inventory != filepath.Join(dir, "fleets/emea.ini") || s.Concurrency != 64 || s.Timeout != 90*time.Second ||
		s.AuditLog != filepath.Join(home, "audit/ftktui.jsonl") || s.Theme != "light" || !s.ReadOnly {
		t.Errorf("settings = %+v", s)
	}
	if s.Lines["read_only"] != 7 || s.Lines["defaults"] != 8 {
		t.Errorf("lines = %v", s.Lines)
	}
	got := map[string]string{}
	for _, kv := range s.Defaults.Settings() {
		got[kv.Key] = kv.Value
	}
	if got["user"] != "netops" || got["known_hosts"] != filepath.Join(dir, "known_hosts") || got["identity_file"] != filepath.Join(home, ".ssh/id_ed25519") ||
		got["timeout"] != "30s" || got["port"] != "22" || len(got) != 9 {
		t.Errorf("defaults = %v", got)
	}
}

func TestLoadMissingOrEmpty(t *testing.T) {
	s, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err != nil || s.Path != "" || s.Has("inventory") {
		t.Errorf("missing file: %+v, %v", s, err)
	}
	s, err = Load(write(t, "# nothing yet\n"))
	if err != nil || s.Has("theme") {
		t.Errorf("empty file: %+v, %v", s, err)
	}
}

func TestLoadMistakesHaveFileLine(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"inventory: a.yaml\nconcurency: 8\n", `:2: unknown key "concurency"`},
		{"theme: solarized\n", `:1: theme must be auto, dark or light`},
		{"concurrency: 0\n", `:1: concurrency must be a whole number`},
		{"timeout: soon\n", `:1: bad duration "soon"`},
		{"read_only: yes please\n", `:1: read_only must be true or false`},
		{"defaults:\n  user: netops\n  passwrd_env: X\n", `:3: defaults: unknown key "passwrd_env"`},
		{"defaults:\n  port: 70000\n", `:2: defaults: bad port "70000"`},
		{"theme: dark\ntheme: light\n", `:2: YAML syntax: mapping key "theme" already defined`},
		{"inventory: [a, b]\n", `:1: inventory must be a single value`},
		{"- a\n- b\n", `:1: settings must be a mapping`},
		{"theme: \"dark\n", `YAML syntax`},
	} {
		p := write(t, tc.body)
		_, err := Load(p)
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) || (tc.want[0] == ':' && !strings.Contains(err.Error(), p+tc.want)) {
			t.Errorf("%q: err = %v, want %s%s", tc.body, err, p, tc.want)
		}
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/etc/xdg-test")
	if got := DefaultPath(); got != "/etc/xdg-test/ftktui/config.yaml" {
		t.Errorf("DefaultPath = %q", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/ignored")
	home, _ := os.UserHomeDir()
	if got := DefaultPath(); got != filepath.Join(home, ".config/ftktui/config.yaml") {
		t.Errorf("DefaultPath = %q", got)
	}
}
