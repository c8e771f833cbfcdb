package inventory

import (
	"errors"
	"strings"
	"testing"
)

func names(ds []Device) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return strings.Join(out, ",")
}

// Repeated --tag selects devices with ANY of the tags; "a+b" needs ALL;
// a selection that matches nothing is ErrNoDevices (exit 2), never 0 devices.
func TestSelectTagsOrAndNone(t *testing.T) {
	inv := &Inventory{Path: "inv.yaml", Devices: []Device{
		{Name: "paris", Tags: []string{"branch", "prod"}},
		{Name: "lyon", Tags: []string{"branch"}},
		{Name: "lab", Tags: []string{"lab"}},
	}}
	cases := []struct {
		tags []string
		want string
	}{
		{[]string{"prod"}, "paris"},
		{[]string{"prod", "lab"}, "paris,lab"},
		{[]string{"branch+prod"}, "paris"},
		{[]string{"branch+prod", "lab"}, "paris,lab"},
		{[]string{"branch"}, "paris,lyon"},
	}
	for _, c := range cases {
		got, err := inv.Select(nil, c.tags)
		if err != nil || names(got) != c.want {
			t.Errorf("--tag %v = %s, %v; want %s", c.tags, names(got), err, c.want)
		}
	}
	if _, err := inv.Select(nil, []string{"nosuch"}); !errors.Is(err, ErrNoDevices) || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("--tag nosuch: %v", err)
	}
	if _, err := (&Inventory{Path: "empty.yaml"}).Select(nil, nil); !errors.Is(err, ErrNoDevices) {
		t.Errorf("empty inventory: %v", err)
	}
}

// A missing password source is one input error naming the cause, before
// anything connects.
func TestCheckAuth(t *testing.T) {
	t.Setenv("SSH_AUTH_SOCK", "")
	t.Setenv("FTKTUI_TEST_UNSET_PW", "")
	key := writeFile(t, "id_ed25519", "not really a key")
	inv := &Inventory{Path: "inv.yaml"}
	devs := []Device{
		{Name: "a", PasswordEnv: "FTKTUI_TEST_UNSET_PW"}, {Name: "b", PasswordEnv: "FTKTUI_TEST_UNSET_PW"},
		{Name: "c"}, {Name: "d", IdentityFiles: []string{"/nonexistent/id_rsa"}},
		{Name: "e", IdentityFiles: []string{key}}, {Name: "f", PasswordCommand: "echo x"},
	}
	err := inv.CheckAuth(devs)
	if !errors.Is(err, ErrNoPassword) {
		t.Fatalf("CheckAuth = %v", err)
	}
	msg := err.Error()
	for _, s := range []string{"password_env FTKTUI_TEST_UNSET_PW is not set (used by a, b)", "for c, d:", "nothing was contacted"} {
		if !strings.Contains(msg, s) {
			t.Errorf("message lacks %q: %s", s, msg)
		}
	}
	if strings.Contains(msg, "c, d, e") || strings.Contains(msg, "by a, b, f") {
		t.Errorf("devices with usable auth named: %s", msg)
	}
	t.Setenv("FTKTUI_TEST_UNSET_PW", "secret")
	if err := inv.CheckAuth(devs[:2]); err != nil {
		t.Errorf("set env: %v", err)
	}
	t.Setenv("SSH_AUTH_SOCK", "/tmp/agent.sock")
	if err := inv.CheckAuth(devs[2:4]); err != nil {
		t.Errorf("agent available: %v", err)
	}
}
