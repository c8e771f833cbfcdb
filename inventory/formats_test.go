package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml/parser"
)

// configDefaults parses a settings-file defaults block the way the config
// package does, so the tests cover the "defaults under every format" path.
func configDefaults(t *testing.T, body string) Defaults {
	t.Helper()
	p := writeFile(t, "config.yaml", body)
	b, _ := os.ReadFile(p)
	f, err := parser.ParseBytes(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	mvs, _ := (&yamlLoader{file: p}).pairs(f.Docs[0].Body, "config")
	d, probs := ParseDefaults(p, mvs[0].Value)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return d
}

type devSummary struct {
	Name, Host, User, PasswordEnv, VDOM, Jump string
	Port                                      int
	Tags                                      string
}

func summarize(devs []Device) []devSummary {
	out := make([]devSummary, len(devs))
	for i, d := range devs {
		out[i] = devSummary{d.Name, d.Host, d.User, d.PasswordEnv, d.VDOM, d.Jump, d.Port, strings.Join(d.Tags, ",")}
	}
	return out
}

func checkDevices(t *testing.T, got []Device, want []devSummary) {
	t.Helper()
	g := summarize(got)
	if len(g) != len(want) {
		t.Fatalf("got %d devices, want %d:\n%+v", len(g), len(want), g)
	}
	for i := range want {
		if !reflect.DeepEqual(g[i], want[i]) {
			t.Errorf("device %d:\n got  %+v\n want %+v", i, g[i], want[i])
		}
	}
}

// Both Ansible flavours of the same estate resolve to the same devices:
// nested groups become tags, deeper group vars beat shallower ones, host
// vars beat groups, httpapi's ansible_port (HTTPS) is not taken as SSH's,
// a non-FortiOS host is skipped with a note, the password is never read.
func TestLoadAnsibleInventories(t *testing.T) {
	base := configDefaults(t, "defaults:\n  password_env: FTKTUI_PASSWORD\n  known_hosts: keys/known_hosts\n  timeout: 45s\n")
	emea, branch, apac := "emea,fortigates", "emea,emea_branches,fortigates", "apac,fortigates"
	for _, tc := range []struct {
		file, format, labUser, labJump string
		labPort                        int
	}{
		{"ansible_hosts.ini", FormatAnsibleINI, "ansible", "jump@bastion.example.net:2022", 8022},
		{"ansible_hosts.yml", FormatAnsibleYAML, "admin", "", 8022},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "inventory", tc.file)
			inv, err := Load(path, LoadOptions{Defaults: base})
			if err != nil {
				t.Fatal(err)
			}
			if inv.Format != tc.format {
				t.Errorf("format = %q, want %q", inv.Format, tc.format)
			}
			user := "ansible"
			if tc.format == FormatAnsibleYAML {
				user = "admin" // the YAML file sets no ansible_user in all:
			}
			checkDevices(t, inv.Devices, []devSummary{
				{"paris-fw1", "192.0.2.10", user, "FTKTUI_PASSWORD", "root", "", 22, emea},
				{"london-fw1", "192.0.2.20", user, "FTKTUI_PASSWORD", "root", "", 2222, emea},
				{"lyon-br01.example.net", "lyon-br01.example.net", "netops", "FTKTUI_PASSWORD", "branch", "", 22, branch},
				{"lyon-br02.example.net", "lyon-br02.example.net", "netops", "FTKTUI_PASSWORD", "branch", "", 22, branch},
				{"lyon-br03.example.net", "lyon-br03.example.net", "netops", "FTKTUI_PASSWORD", "branch", "", 22, branch},
				{"tokyo-fw1", "198.51.100.7", "tokyo-ops", "TOKYO_PASSWORD", "root", "", 22, apac},
				{"lab-fw", "lab-fw", tc.labUser, "FTKTUI_PASSWORD", "root", tc.labJump, tc.labPort, "lab"},
			})
			d := inv.Devices[0]
			if d.Timeout != 45*time.Second || !strings.HasSuffix(d.KnownHosts, "/keys/known_hosts") || strings.Contains(d.KnownHosts, "testdata") {
				t.Errorf("settings-file defaults not applied (relative to the config file): %v %q", d.Timeout, d.KnownHosts)
			}
			if !reflect.DeepEqual(inv.Devices[2].Groups, []string{"emea_branches"}) {
				t.Errorf("lyon groups = %v", inv.Devices[2].Groups)
			}
			notes := strings.Join(inv.Notes, "\n")
			if !strings.Contains(notes, "ansible_password") || !strings.Contains(notes, "never read") || !strings.Contains(notes, "--ask-pass") {
				t.Errorf("no note about ansible_password: %q", notes)
			}
			if strings.Contains(notes, "NeverReadThis") || strings.Contains(notes, "vault_fortigate_password") {
				t.Errorf("the note quotes the password value: %q", notes)
			}
			if !strings.Contains(notes, "core-sw1 (cisco.ios.ios") {
				t.Errorf("no note about the skipped switch: %q", notes)
			}
			if tc.format == FormatAnsibleYAML {
				lab := inv.Devices[6]
				want := filepath.Join("testdata", "inventory", "keys", "lab_ed25519")
				if len(lab.IdentityFiles) != 1 || lab.IdentityFiles[0] != want {
					t.Errorf("lab identity = %v, want %s", lab.IdentityFiles, want)
				}
			}
		})
	}
}

func TestLoadCSVInventory(t *testing.T) {
	base := configDefaults(t, "defaults:\n  password_env: FTKTUI_PASSWORD\n  user: netops\n")
	inv, err := Load(filepath.Join("testdata", "inventory", "devices.csv"), LoadOptions{Defaults: base})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Format != FormatCSV {
		t.Errorf("format = %q", inv.Format)
	}
	checkDevices(t, inv.Devices, []devSummary{
		{"paris-fw1", "192.0.2.10", "netops", "FTKTUI_PASSWORD", "root", "", 22, "emea,prod"},
		{"london-fw1", "192.0.2.20", "netops", "FTKTUI_PASSWORD", "root", "", 2222, "emea,prod,dmz"},
		{"tokyo-fw1", "198.51.100.7", "tokyo-ops", "TOKYO_PASSWORD", "customer-a", "jump@bastion.example.net:2022", 22, "apac"},
		{"lab-fw", "lab.example.net", "netops", "FTKTUI_PASSWORD", "root", "", 8022, "lab"},
	})
	if inv.Devices[3].Line != 8 {
		t.Errorf("lab-fw line = %d, want 8 (after a quoted two-line cell and a comment)", inv.Devices[3].Line)
	}
	if len(inv.Notes) != 1 || !strings.Contains(inv.Notes[0], "notes, site") {
		t.Errorf("notes = %q", inv.Notes)
	}
}

// Content decides the format, not the file name.
func TestDetectFormatByContent(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"inventory", "defaults:\n  user: a\ndevices: []\n", FormatYAML},
		{"hosts", "[fortigates]\nfw1 ansible_host=192.0.2.1\n", FormatAnsibleINI},
		{"hosts", "fw1 ansible_host=192.0.2.1\n", FormatAnsibleINI},
		{"hosts.yaml", "all:\n  hosts:\n    fw1:\n", FormatAnsibleYAML},
		{"inventory.yaml", "fortigates:\n  hosts:\n    fw1:\n", FormatAnsibleYAML},
		{"export.txt", "\xef\xbb\xbfname,host\nfw1,192.0.2.1\n", FormatCSV},
		{"fleet", "# from NetBox\nhost,port,name\n192.0.2.1,22,fw1\n", FormatCSV},
		{"config", "Host fw1\n  HostName 192.0.2.1\n", FormatSSHConfig},
	} {
		if got := DetectFormat(tc.name, []byte(tc.body)); got != tc.want {
			t.Errorf("DetectFormat(%q, %q) = %q, want %q", tc.name, tc.body, got, tc.want)
		}
	}
}

// Every format reports its mistakes as FILE:LINE.
func TestInventoryFormatErrors(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"hosts.ini", "[emea]\nfw1 ansible_host=192.0.2.1\nfw2 ansible_port=99999\n", ":3: ansible_port: bad port \"99999\""},
		{"hosts.ini", "[emea\nfw1\n", ":1: bad section header"},
		{"hosts.ini", "[emea:kids]\nfw1\n", ":1: section [emea:kids]: unknown suffix"},
		{"hosts.ini", "[emea]\nfw1 ansible_host=\"192.0.2.1\n", ":2: unterminated \" quote"},
		{"hosts.ini", "[emea]\nfw1 ftktui_vdomm=root\n", ":2: unknown variable \"ftktui_vdomm\""},
		{"hosts.ini", "[a:children]\nb\n[b:children]\na\n[a]\nfw1\n", "children cycle"},
		{"hosts.ini", "[emea]\nfw1 ansible_user=\"{{ lookup('env','U') }}\"\n", ":2: ansible_user: Jinja templates are not evaluated"},
		{"hosts.yml", "all:\n  hosts:\n    fw1:\n      ansible_host: [a, b]\n", ":4: ansible_host must be a single value"},
		{"hosts.yml", "all:\n  hostz:\n    fw1:\n", ":2: group all: unknown key \"hostz\""},
		{"hosts.yml", "all:\n  hosts:\n    fw1:\n    fw1:\n", ":4: YAML syntax: mapping key \"fw1\" already defined"},
		{"hosts.yml", "all:\n  hosts:\n    bad/name:\n", ":3: device name \"bad/name\""},
		{"d.csv", "name,host,port\nfw1,192.0.2.1,22\nfw2,192.0.2.2,http\n", ":3: device \"fw2\": column 3 (port): bad port"},
		{"d.csv", "name,host\nfw1,192.0.2.1\nfw1,192.0.2.2\n", ":3: duplicate device name \"fw1\" (first at line 2)"},
		{"d.csv", "name,host\nfw1,\"192.0.2.1\nfw2,192.0.2.2\n", ":2: CSV: "},
		{"d.csv", "name,host\nfw1,192.0.2.1,extra\n", ":2: CSV: wrong number of fields"},
		{"d.csv", "name,address\nfw1,192.0.2.1\n", ":1: CSV header: no \"host\" column"},
		{"d.csv", "name,host,password_env,password_command\nfw1,h,P,pass x\n", ":2: device \"fw1\": password_env and password_command are both set"},
	} {
		p := writeFile(t, tc.name, tc.body)
		_, err := Load(p, LoadOptions{})
		var ie *InventoryError
		if !errors.As(err, &ie) {
			t.Errorf("%s %q: err = %v, want an InventoryError", tc.name, tc.body, err)
			continue
		}
		if !strings.Contains(err.Error(), p+tc.want) && !(tc.want[0] != ':' && strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s %q:\n got  %v\n want %s%s", tc.name, tc.body, err, p, tc.want)
		}
	}
}

func TestExpandHostPattern(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"fw[01:03].x", []string{"fw01.x", "fw02.x", "fw03.x"}},
		{"fw[1:5:2]", []string{"fw1", "fw3", "fw5"}},
		{"db-[a:c]", []string{"db-a", "db-b", "db-c"}},
		{"r[1:2]-[a:b]", []string{"r1-a", "r1-b", "r2-a", "r2-b"}},
		{"plain", []string{"plain"}},
	} {
		got, err := expandHostPattern(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("expand(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"fw[3:1]", "fw[a:zz]", "fw[1:", "fw[1:2:0]", "fw[0:9999][0:9999]", "fw[x]-[1:2]"} {
		if _, err := expandHostPattern(bad); err == nil {
			t.Errorf("expand(%q): no error", bad)
		}
	}
}

// The settings file's defaults lie under the YAML inventory's own defaults
// and under an ssh_config's values.
func TestConfigDefaultsPrecedence(t *testing.T) {
	base := configDefaults(t, "defaults:\n  user: cfguser\n  vdom: cfgvdom\n  password_env: CFG_PW\n")
	p := writeFile(t, "inventory.yaml", "defaults:\n  user: invuser\ngroups:\n  g: { vdom: grpvdom }\ndevices:\n  - { name: a, host: h1, groups: [g] }\n  - { name: b, host: h2, password_command: echo x }\n")
	inv, err := Load(p, LoadOptions{Defaults: base})
	if err != nil {
		t.Fatal(err)
	}
	a, b := inv.Devices[0], inv.Devices[1]
	if a.User != "invuser" || a.VDOM != "grpvdom" || a.PasswordEnv != "CFG_PW" || b.VDOM != "cfgvdom" || b.PasswordEnv != "" || b.PasswordCommand != "echo x" {
		t.Errorf("a=%+v\nb=%+v", a, b)
	}
	p = writeFile(t, "ssh_config", "Host fw1\n  HostName 192.0.2.1\nHost fw2\n  User sshuser\n")
	inv, err = Load(p, LoadOptions{Defaults: base})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Devices[0].User != "cfguser" || inv.Devices[1].User != "sshuser" || inv.Devices[0].PasswordEnv != "CFG_PW" {
		t.Errorf("ssh_config devices = %+v", inv.Devices)
	}
}

// group_vars/ and host_vars/ next to the inventory are read the way Ansible
// reads them (files beat the inventory's own vars; a directory's files all
// count); vault-encrypted files and values are never decrypted.
func TestAnsibleVarsDirectories(t *testing.T) {
	inv, err := Load(filepath.Join("testdata", "inventory", "ansible_vars", "hosts.yml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkDevices(t, inv.Devices, []devSummary{
		{"fw1", "192.0.2.11", "fgadmin", "", "emea", "", 2022, "emea,fortigates"},
		{"fw2", "192.0.2.12", "fw2-admin", "", "emea", "", 2022, "emea,fortigates"},
		{"fw3", "192.0.2.13", "fw3-admin", "", "root", "", 22, "fortigates,lab"},
	})
	notes := strings.Join(inv.Notes, "\n")
	for _, want := range []string{"group_vars/all/vault.yml: encrypted with ansible-vault, not read",
		"ansible_password (testdata/inventory/ansible_vars/host_vars/fw2.yml:2)", "rtr1 (vyos.vyos.vyos, testdata/inventory/ansible_vars/group_vars/routers.yaml:1)"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "6231336539") {
		t.Errorf("a note quotes vault ciphertext:\n%s", notes)
	}

	dir := t.TempDir()
	p := filepath.Join(dir, "hosts.ini")
	if err := os.WriteFile(p, []byte("[emea]\nfw1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "host_vars"), 0o755); err != nil {
		t.Fatal(err)
	}
	hv := filepath.Join(dir, "host_vars", "fw1.yml")
	if err := os.WriteFile(hv, []byte("ansible_host: 192.0.2.1\nansible_user: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6231\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(p, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), hv+":2: ansible_user is encrypted with ansible-vault") {
		t.Errorf("err = %v", err)
	}
}
