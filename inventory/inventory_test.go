package inventory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadInventoryPrecedence(t *testing.T) {
	home, _ := os.UserHomeDir()
	p := writeFile(t, "inventory.yaml", `
defaults:
  user: admin
  port: 22
  password_env: FTKTUI_PASSWORD
  known_hosts: ~/.ssh/known_hosts
  vdom: root
  timeout: 20s
groups:
  emea: { user: netops, port: 2222 }
  lab:
    port: 2200
    password_command: "echo lab"
    legacy_algorithms: true
devices:
  - name: paris-fw1
    host: 192.0.2.10
    groups: [emea]
    tags: [branch, prod]
  - name: lab-fw
    host: lab.example.net
    groups: [emea, lab]
    identity_file: ~/.ssh/id_ed25519
    jump: netops@bastion.example.net:2022
  - name: direct
    host: 192.0.2.30
    known_hosts: keys/known_hosts
    port: 8022
    groups: [lab]
    user: root
    password_env: OTHER
    vdom: customer-a
    timeout: 1m
`)
	inv, err := Load(p, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Devices) != 3 {
		t.Fatalf("devices = %d", len(inv.Devices))
	}
	paris, lab, direct := inv.Devices[0], inv.Devices[1], inv.Devices[2]
	if paris.User != "netops" || paris.Port != 2222 || paris.PasswordEnv != "FTKTUI_PASSWORD" || paris.Timeout != 20*time.Second {
		t.Errorf("paris = %+v", paris)
	}
	if paris.KnownHosts != filepath.Join(home, ".ssh/known_hosts") || paris.Line != 16 || !paris.HasTag("prod") {
		t.Errorf("paris known_hosts/line/tags = %q %d %v", paris.KnownHosts, paris.Line, paris.Tags)
	}
	// groups apply in listed order: lab's port wins over emea's; lab's
	// password_command replaces the defaults' password_env.
	if lab.Port != 2200 || lab.User != "netops" || lab.PasswordCommand != "echo lab" || lab.PasswordEnv != "" || !lab.LegacyAlgorithms {
		t.Errorf("lab = %+v", lab)
	}
	if len(lab.IdentityFiles) != 1 || lab.IdentityFiles[0] != filepath.Join(home, ".ssh/id_ed25519") {
		t.Errorf("lab identity = %v", lab.IdentityFiles)
	}
	if j, err := ParseJump(lab.Jump); err != nil || j.Host != "bastion.example.net" || j.Port != 2022 || j.User != "netops" {
		t.Errorf("lab jump = %+v, %v", j, err)
	}
	// the device overrides everything and switches back to password_env.
	if direct.Port != 8022 || direct.User != "root" || direct.PasswordEnv != "OTHER" || direct.PasswordCommand != "" ||
		direct.VDOM != "customer-a" || direct.Timeout != time.Minute {
		t.Errorf("direct = %+v", direct)
	}
	if direct.KnownHosts != filepath.Join(filepath.Dir(p), "keys/known_hosts") {
		t.Errorf("a relative known_hosts is relative to the inventory: %s", direct.KnownHosts)
	}
	sel, err := inv.Select(nil, []string{"prod"})
	if err != nil || len(sel) != 1 || sel[0].Name != "paris-fw1" {
		t.Errorf("Select tag prod = %v %v", sel, err)
	}
	if _, err := inv.Select([]string{"nope"}, nil); err == nil {
		t.Error("Select of an unknown device should fail")
	}
}

// Every kind of mistake is reported with its line, all in one error.
func TestLoadInventoryMistakes(t *testing.T) {
	p := writeFile(t, "bad.yaml", `defaults:
  user: admin
  colour: blue
  timeout: 20 seconds
groups:
  emea: { port: 70000 }
devices:
  - name: a
    host: 192.0.2.1
  - name: a
    host: 192.0.2.2
  - name: nohost
  - name: b
    host: 192.0.2.3
    groups: [apac]
  - name: c
    host: 192.0.2.4
    password_env: X
    password_command: "pass show x"
  - name: d
    host: 192.0.2.5
    vdom: "bad vdom;"
  - name: e
    host: 192.0.2.6
    port: twenty
extra: 1
`)
	_, err := Load(p, LoadOptions{})
	var ie *InventoryError
	if !errors.As(err, &ie) {
		t.Fatalf("want *InventoryError, got %v", err)
	}
	want := []string{
		":3: defaults: unknown key \"colour\"",
		":4: defaults: bad duration \"20 seconds\"",
		":6: group \"emea\": bad port \"70000\"",
		":10: duplicate device name \"a\" (first at line 8)",
		":12: device \"nohost\": missing host",
		":15: device \"b\": unknown group \"apac\"",
		":19: device \"c\": password_env and password_command are both set",
		":22: device \"d\": bad vdom name \"bad vdom;\"",
		":25: device \"e\": bad port \"twenty\"",
		":26: unknown key \"extra\"",
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, p+w) {
			t.Errorf("missing %q in:\n%s", w, msg)
		}
	}
	if len(ie.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(ie.Problems), len(want), msg)
	}
}

func TestLoadInventorySyntaxError(t *testing.T) {
	p := writeFile(t, "syntax.yaml", "devices:\n  - name: a\n    host: [unclosed\n")
	_, err := Load(p, LoadOptions{})
	var ie *InventoryError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line == 0 {
		t.Fatalf("want one problem with a line, got %v", err)
	}
}

func TestLoadSSHConfig(t *testing.T) {
	home, _ := os.UserHomeDir()
	p := writeFile(t, "config", `Host *
    User netops
    IdentityFile ~/.ssh/fgt_ed25519

Host fgt-paris fgt-lyon
    HostName 192.0.2.10
    Port 2222

Host fgt-berlin
    HostName fw.berlin.example.net
    ProxyJump jump@bastion:2200
    User admin

Host bastion other-box
    HostName 192.0.2.99

Host fgt-*
    Port 22
`)
	inv, err := Load(p, LoadOptions{Hosts: "fgt-*"})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Format != "ssh_config" || len(inv.Devices) != 3 {
		t.Fatalf("format %s devices %+v", inv.Format, inv.Devices)
	}
	paris, berlin := inv.Devices[0], inv.Devices[2]
	if paris.Name != "fgt-paris" || paris.Host != "192.0.2.10" || paris.Port != 2222 || paris.User != "netops" || paris.Line != 5 {
		t.Errorf("paris = %+v", paris)
	}
	if len(paris.IdentityFiles) != 1 || paris.IdentityFiles[0] != filepath.Join(home, ".ssh/fgt_ed25519") {
		t.Errorf("identity = %v", paris.IdentityFiles)
	}
	if berlin.Host != "fw.berlin.example.net" || berlin.User != "netops" || berlin.Jump != "jump@bastion:2200" || berlin.Line != 9 {
		t.Errorf("berlin = %+v (first value wins, as in ssh)", berlin)
	}
	if _, err := Load(p, LoadOptions{Hosts: "nomatch-*"}); err == nil {
		t.Error("a pattern matching nothing should be an error")
	}
	bad := writeFile(t, "config", "Host fgt-x\n    Port 99999\n")
	_, err = Load(bad, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), ":1: Host fgt-x: bad Port") {
		t.Errorf("bad port: %v", err)
	}
}

func TestPasswordSources(t *testing.T) {
	p := writeFile(t, "inventory.yaml", `
devices:
  - { name: env, host: h1, password_env: FTK_TEST_PW }
  - { name: cmd, host: h2, password_command: "echo '  s3cret  '; echo warn >&2" }
  - { name: fail, host: h3, password_command: "echo boom >&2; exit 3" }
  - { name: ask1, host: h4 }
  - { name: ask2, host: h5 }
`)
	asked := 0
	inv, err := Load(p, LoadOptions{AskPass: func() (string, error) { asked++; return "typed", nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("FTK_TEST_PW", "from-env")
	ctx := context.Background()
	get := func(name string) (string, error) {
		d, _ := inv.Device(name)
		return inv.PasswordFunc(d, nil)(ctx)
	}
	if v, err := get("env"); v != "from-env" || err != nil {
		t.Errorf("env: %q %v", v, err)
	}
	if v, err := get("cmd"); v != "s3cret" || err != nil {
		t.Errorf("cmd: %q %v", v, err)
	}
	if _, err := get("fail"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing command should carry its stderr: %v", err)
	}
	if asked != 0 {
		t.Fatal("AskPass must be lazy")
	}
	if err := inv.Prepare(inv.Devices); err != nil {
		t.Fatal(err)
	}
	a1, _ := get("ask1")
	a2, _ := get("ask2")
	if a1 != "typed" || a2 != "typed" || asked != 1 {
		t.Errorf("ask-pass: %q %q asked %d times", a1, a2, asked)
	}
	for _, d := range inv.Devices {
		if strings.Contains(d.String(), "s3cret") || strings.Contains(d.String(), "typed") {
			t.Errorf("String() leaks a password: %s", d)
		}
	}
}
