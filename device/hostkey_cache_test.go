package device

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// TestKnownHostsCacheSeesEveryChange rewrites known_hosts with a different
// key of the same length at once (same size, likely the same mtime tick):
// the cached database must not answer with the old key.
func TestKnownHostsCacheSeesEveryChange(t *testing.T) {
	file := filepath.Join(t.TempDir(), "known_hosts")
	host := "[127.0.0.1]:2222"
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222}
	keys := make([]ssh.PublicKey, 3)
	for i := range keys {
		s, _, _ := newKey(t)
		keys[i] = s.PublicKey()
	}
	write := func(k ssh.PublicKey) {
		if err := os.WriteFile(file, []byte(knownhosts.Line([]string{host}, k)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	check := func(k ssh.PublicKey) error {
		cb, err := loadKnownHosts(file)
		if err != nil {
			t.Fatal(err)
		}
		return cb(host, remote, k)
	}
	write(keys[0])
	if err := check(keys[0]); err != nil {
		t.Fatalf("known key refused: %v", err)
	}
	write(keys[1])
	var ke *knownhosts.KeyError
	if err := check(keys[0]); !errors.As(err, &ke) || len(ke.Want) != 1 {
		t.Fatalf("old key still accepted after the file changed: %v", err)
	}
	if err := check(keys[1]); err != nil {
		t.Fatalf("new key refused: %v", err)
	}
	// Unchanged file: the same parsed database is reused, still correct.
	if err := check(keys[2]); !errors.As(err, &ke) {
		t.Fatalf("unknown key accepted: %v", err)
	}
}

// loadKnownHosts returns the host-key callback of file.
func loadKnownHosts(file string) (ssh.HostKeyCallback, error) {
	db, err := loadKnownHostsDB(file)
	if err != nil {
		return nil, err
	}
	return db.check, nil
}
