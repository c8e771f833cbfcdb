package secrets

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
	"golang.org/x/crypto/ssh"
)

type scanJSON struct {
	Devices []struct {
		Name      string `json:"name"`
		Reachable bool   `json:"reachable"`
		Error     string `json:"error"`
		Findings  []struct {
			Code string `json:"code"`
		} `json:"findings"`
	} `json:"devices"`
}

// scanWith runs `ftktui scan --json` with an inventory and extra flags.
func scanWith(t *testing.T, f *testkit.Fleet, inv string, extra ...string) (scanJSON, int) {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"scan", "-i", inv, "--json", "--timeout", "10s",
		"--audit-log", filepath.Join(f.Dir, "audit.jsonl")}, extra...)...)
	cmd.Env = append(os.Environ(), "FTKTUI_PASSWORD="+f.Password())
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var r scanJSON
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("scan --json: %v\n%s", err, out)
	}
	return r, code
}

// inventoryWith writes an inventory for the fleet's devices that uses the
// given known_hosts file.
func inventoryWith(t *testing.T, f *testkit.Fleet, kh string, extra string) string {
	t.Helper()
	b, err := os.ReadFile(f.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(f.Dir, "known_hosts")
	s := strings.Replace(string(b), old, kh, 1)
	s = strings.Replace(s, "defaults:\n", "defaults:\n"+extra, 1)
	p := filepath.Join(t.TempDir(), "inventory.yaml")
	testkit.WriteFileT(t, p, []byte(s))
	return p
}

func hasCode(r scanJSON, name, code string) (bool, string) {
	for _, d := range r.Devices {
		if d.Name == name {
			for _, fd := range d.Findings {
				if fd.Code == code {
					return true, d.Error
				}
			}
			return false, d.Error
		}
	}
	return false, "device missing"
}

// Strict by default: an unknown host key is refused (and known_hosts left
// alone) unless --accept-new-host-keys; a changed key is refused even then,
// with both fingerprints in the message.
func TestHostKeysStrict(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{
		{Name: "fresh", Scenarios: []sim.Scenario{sim.Healthy}},
		{Name: "rotated", Scenarios: []sim.Scenario{sim.FaultHostKeyRotated}},
	}, Seed: 31})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	// Only the rotated device is known (with its old key).
	testkit.WriteFileT(t, kh, []byte(knownHostsLine(f.Device("rotated"))+"\n"))
	inv := inventoryWith(t, f, kh, "")

	r, code := scanWith(t, f, inv)
	if ok, msg := hasCode(r, "fresh", "HOST_KEY_UNKNOWN"); !ok || !strings.Contains(msg, "unknown") {
		t.Errorf("unknown key not refused by default: %q", msg)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if b, _ := os.ReadFile(kh); strings.Count(string(b), "\n") != 1 {
		t.Errorf("known_hosts changed without --accept-new-host-keys:\n%s", b)
	}

	r, _ = scanWith(t, f, inv, "--accept-new-host-keys")
	if ok, msg := hasCode(r, "fresh", "HOST_KEY_UNKNOWN"); ok {
		t.Errorf("--accept-new-host-keys did not trust a new key: %q", msg)
	}
	ok, msg := hasCode(r, "rotated", "HOST_KEY_MISMATCH")
	if !ok || strings.Count(msg, "SHA256:") < 2 {
		t.Errorf("changed key not refused with both fingerprints under --accept-new-host-keys: %q", msg)
	}
	b, _ := os.ReadFile(kh)
	if !strings.Contains(string(b), knownHostsLine(f.Device("rotated"))) || strings.Count(string(b), "\n") != 2 {
		t.Errorf("known_hosts after TOFU should hold the old rotated key and one new line:\n%s", b)
	}
}

// No option turns verification off: the help of every command names
// none, and inventory keys that would (in the manner of OpenSSH's
// StrictHostKeyChecking) are refused as unknown.
func TestNoOptionDisablesHostKeyChecks(t *testing.T) {
	bin := binary(t)
	for _, sub := range []string{"--help", "scan --help", "debug --help", "activate --help", "demo --help", "sim --help"} {
		out, _ := exec.Command(bin, strings.Fields(sub)...).CombinedOutput()
		low := strings.ToLower(string(out))
		for _, bad := range []string{"insecure", "no-host-key", "strict-host", "skip-host", "ignore-host", "hostkey-check"} {
			if strings.Contains(low, bad) {
				t.Errorf("`ftktui %s` offers %q", sub, bad)
			}
		}
	}
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "r", Scenarios: []sim.Scenario{sim.FaultHostKeyRotated}}}, Seed: 32})
	for _, extra := range []string{"  strict_host_key_checking: no\n", "  insecure: true\n", "  host_key_check: false\n"} {
		inv := inventoryWith(t, f, filepath.Join(f.Dir, "known_hosts"), extra)
		cmd := exec.Command(bin, "scan", "-i", inv, "--json")
		cmd.Env = append(os.Environ(), "FTKTUI_PASSWORD="+f.Password())
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 {
			t.Errorf("inventory key %q accepted (%v): %s", strings.TrimSpace(extra), err, out)
		}
	}
	// An OpenSSH config that disables checking is not obeyed either.
	d := f.Device("r")
	cfg := filepath.Join(t.TempDir(), "ssh_config")
	// A usable key: without any auth the scan is refused before connecting.
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(t.TempDir(), "id_ed25519")
	testkit.WriteFileT(t, key, pem.EncodeToMemory(pb))
	testkit.WriteFileT(t, cfg, []byte("Host fw\n  HostName 127.0.0.1\n  Port "+strconv.Itoa(d.Port())+"\n  User admin\n  IdentityFile "+key+"\n"+
		"  StrictHostKeyChecking no\n  UserKnownHostsFile "+filepath.Join(f.Dir, "known_hosts")+"\n"))
	r, _ := scanWith(t, f, cfg, "--hosts", "fw")
	if len(r.Devices) != 1 {
		t.Fatalf("ssh_config inventory: %d devices", len(r.Devices))
	}
	if r.Devices[0].Reachable {
		t.Errorf("StrictHostKeyChecking no was obeyed for a rotated key: %+v", r.Devices[0])
	}
}

// known_hosts as OpenSSH writes it on hardened hosts: hashed host names
// (HashKnownHosts yes) are matched; a key marked @revoked is refused even
// with --accept-new-host-keys.
func TestKnownHostsHashedAndRevoked(t *testing.T) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Fatal("ssh-keygen (openssh-client) is required")
	}
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{
		{Name: "hashed", Scenarios: []sim.Scenario{sim.Healthy}},
		{Name: "revoked", Scenarios: []sim.Scenario{sim.Healthy}},
	}, Seed: 33})
	dir := t.TempDir()
	kh := filepath.Join(dir, "known_hosts")
	testkit.WriteFileT(t, kh, []byte(knownHostsLine(f.Device("hashed"))+"\n"))
	if out, err := exec.Command("ssh-keygen", "-H", "-f", kh).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -H: %v %s", err, out)
	}
	b, _ := os.ReadFile(kh)
	if !strings.HasPrefix(string(b), "|1|") {
		t.Fatalf("known_hosts not hashed: %s", b)
	}
	rev := f.Device("revoked")
	fh, err := os.OpenFile(kh, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fh.WriteString("@revoked " + knownHostsLine(rev) + "\n")
	_ = fh.Close()
	inv := inventoryWith(t, f, kh, "")
	r, _ := scanWith(t, f, inv, "--accept-new-host-keys")
	for _, d := range r.Devices {
		switch d.Name {
		case "hashed":
			if !d.Reachable || d.Error != "" {
				t.Errorf("hashed known_hosts entry not matched: %q", d.Error)
			}
		case "revoked":
			if d.Reachable {
				t.Errorf("a revoked host key was accepted")
			}
		}
	}
	after, _ := os.ReadFile(kh)
	if strings.Count(string(after), "\n") != 2 {
		t.Errorf("known_hosts changed for a revoked key:\n%s", after)
	}
}
