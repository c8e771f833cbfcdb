package device

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/sim"
	"golang.org/x/crypto/ssh"
)

// TestHostKeysAsOpenSSH dials the simulator with known_hosts files that
// x/crypto's knownhosts reads differently from OpenSSH (issue 15 §7); the
// answer must be OpenSSH's.
func TestHostKeysAsOpenSSH(t *testing.T) {
	f, _ := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "dev", Hostname: "FGT-K"}}, Seed: 9})
	d := f.Device("dev")
	key := d.KnownHostKey()
	typ, blob := key.Type(), strings.Fields(string(ssh.MarshalAuthorizedKey(key)))[1]
	port := d.Port()
	other, _, _ := newKey(t)
	otherBlob := strings.Fields(string(ssh.MarshalAuthorizedKey(other.PublicKey())))[1]
	entry := func(hosts string) string { return fmt.Sprintf("%s %s %s\n", hosts, typ, blob) }

	dial := func(t *testing.T, body string) error {
		t.Helper()
		kh := filepath.Join(t.TempDir(), "known_hosts")
		if err := os.WriteFile(kh, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Dial(context.Background(), targetFor(f, d, kh))
		if err == nil {
			_ = c.Close()
		}
		return err
	}
	hostKeyErr := func(t *testing.T, err error) *HostKeyError {
		t.Helper()
		var hk *HostKeyError
		if !errors.As(err, &hk) {
			t.Fatalf("err = %v, want a HostKeyError", err)
		}
		return hk
	}

	// Wildcard ports and host globs match as OpenSSH's match_pattern does.
	for _, hosts := range []string{"[127.0.0.1]:*", "*", "[127.0.0.?]:*", "other,[127.0.0.1]:*", "[127.0.0.1]:" + fmt.Sprint(port)} {
		t.Run("match "+hosts, func(t *testing.T) {
			if err := dial(t, entry(hosts)); err != nil {
				t.Fatalf("%s does not match: %v", hosts, err)
			}
		})
	}
	for _, hosts := range []string{"127.0.0.1", "127.0.0.*", "[127.0.0.1]:*,![127.0.0.1]:" + fmt.Sprint(port), "[127.0.0.2]:*"} {
		t.Run("no match "+hosts, func(t *testing.T) {
			if hk := hostKeyErr(t, dial(t, entry(hosts))); !hk.Unknown {
				t.Fatalf("%s: %v, want unknown", hosts, hk)
			}
		})
	}

	t.Run("cert-authority is not a host key", func(t *testing.T) {
		hk := hostKeyErr(t, dial(t, "@cert-authority "+entry("[127.0.0.1]:*")))
		if !hk.Unknown || hk.Want != "" {
			t.Fatalf("a CA key was taken as the host key: %v", hk)
		}
	})

	t.Run("revoked", func(t *testing.T) {
		err := dial(t, entry("[127.0.0.1]:*")+"# withdrawn\n@revoked * "+typ+" "+blob+"\n")
		hk := hostKeyErr(t, err)
		if !hk.Revoked || hk.Line != 3 || !strings.Contains(err.Error(), "@revoked") || strings.Contains(err.Error(), "retry") {
			t.Fatalf("revoked key: %v (%+v)", err, hk)
		}
	})

	t.Run("revoked other key does not matter", func(t *testing.T) {
		if err := dial(t, entry("[127.0.0.1]:*")+"@revoked * "+typ+" "+otherBlob+"\n"); err != nil {
			t.Fatalf("%v", err)
		}
	})

	t.Run("unparsable file", func(t *testing.T) {
		err := dial(t, "# mine\nthis is not a known_hosts file\n[127.0.0.1]:* ssh-ed25519 !!!notbase64\n")
		hk := hostKeyErr(t, err)
		if hk.Unreadable == "" || !strings.Contains(err.Error(), "line 2") {
			t.Fatalf("unparsable known_hosts: %v", err)
		}
	})

	t.Run("unknown names the skipped lines", func(t *testing.T) {
		err := dial(t, "garbage line\n"+entry("[10.9.9.9]:22"))
		hk := hostKeyErr(t, err)
		if !hk.Unknown || !strings.Contains(err.Error(), "line 1") {
			t.Fatalf("%v", err)
		}
	})
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pat, s string
		want   bool
	}{
		{"*", "", true}, {"a*", "a", true}, {"*a", "ba", true}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"[h]:*", "[h]:2222", true}, {"[h]:*", "h", false}, {"*.example.com", "fw1.example.com", true},
		{"*x*y*", "axbxcy", true}, {"*x*y*", "axbxc", false}, {"abc", "abcd", false},
	}
	for _, c := range cases {
		if got := globMatch(c.pat, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v", c.pat, c.s, got)
		}
	}
}
