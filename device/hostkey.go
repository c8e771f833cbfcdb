package device

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownHostsMu serialises trust-on-first-use appends so that concurrent
// dials to new devices do not interleave lines in the same file.
var knownHostsMu sync.Mutex

// hostKeyPolicy builds the callback and the preferred host-key algorithms
// for addr. Preferring the algorithms already in known_hosts avoids a false
// "changed key" when a server offers several key types.
func hostKeyPolicy(t Target, addr string) (ssh.HostKeyCallback, []string, error) {
	file := expandHome(t.KnownHosts)
	if file == "" {
		return nil, nil, fmt.Errorf("no known_hosts file configured for %s: %w", addr, ErrInvalidInput)
	}
	db, err := loadKnownHostsDB(file)
	if err != nil {
		// Nothing could be checked against this file: refuse before
		// connecting, with the reason, never as a network problem.
		return nil, nil, &HostKeyError{Host: addr, File: file, Unreadable: err.Error()}
	}
	algos := db.algorithms(addr)
	check := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := db.check(hostname, remote, key)
		if err == nil {
			return nil
		}
		got := ssh.FingerprintSHA256(key)
		var re *knownhosts.RevokedError
		if errors.As(err, &re) {
			return &HostKeyError{Host: hostname, Got: got, File: file, Revoked: true, Line: re.Revoked.Line}
		}
		var ke *knownhosts.KeyError
		if !errors.As(err, &ke) {
			return fmt.Errorf("known_hosts %s: %w", file, err)
		}
		if len(ke.Want) > 0 {
			return &HostKeyError{Host: hostname, Want: fingerprints(ke.Want), Got: got, File: file}
		}
		if !t.AcceptNewHostKeys {
			return &HostKeyError{Host: hostname, Got: got, Unknown: true, File: file, Note: db.skippedNote()}
		}
		return appendKnownHost(file, hostname, remote, key)
	}
	return check, algos, nil
}

func fingerprints(keys []knownhosts.KnownKey) string {
	want := make([]string, 0, len(keys))
	for _, k := range keys {
		want = append(want, ssh.FingerprintSHA256(k.Key))
	}
	return strings.Join(want, ",")
}

// loadKnownHostsDB reads file; a missing file is an empty database (created
// on the first accepted key when trust-on-first-use is on). A file that
// cannot be read, or has lines and not one valid entry, is an error.
func loadKnownHostsDB(file string) (*khDB, error) {
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		// An empty database: every host is unknown, which is the strict
		// answer (or the trust-on-first-use starting point).
		return parseKnownHostsDB(file, nil), nil
	}
	return knownHostsCache.load(file)
}

// knownHostsCache keeps each parsed known_hosts file while it is unchanged:
// parsing a 1,000-line file on every dial was a third of a fleet scan's CPU
// (BENCHMARKS.md). A file whose size, mtime and inode are unchanged and whose
// mtime is older than racyWindow is taken as unchanged; otherwise its bytes
// are hashed and compared, so an edit within one mtime tick is still seen
// (trust-on-first-use appends, tests rewriting the file).
var knownHostsCache = &khCache{m: map[string]khEntry{}, seed: maphash.MakeSeed()}

const racyWindow = 2 * time.Second

type khCache struct {
	mu   sync.Mutex
	m    map[string]khEntry
	seed maphash.Seed
}

type khEntry struct {
	stamp khStamp
	sum   uint64
	db    *khDB
}

type khStamp struct {
	size, mtime int64
	ino         uint64
}

func stampOf(fi os.FileInfo) khStamp {
	st := khStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	st.ino = inode(fi)
	return st
}

func (c *khCache) load(file string) (*khDB, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("read known_hosts %s: %w", file, err)
	}
	st := stampOf(fi)
	c.mu.Lock()
	e, ok := c.m[file]
	c.mu.Unlock()
	if ok && e.stamp == st && time.Since(fi.ModTime()) > racyWindow {
		return e.db, nil
	}
	b, err := readKnownHosts(file)
	if err != nil {
		return nil, err
	}
	sum := maphash.Bytes(c.seed, b)
	if !ok || e.sum != sum {
		e.db = parseKnownHostsDB(file, b)
	}
	if err := e.db.unusable(); err != nil {
		return nil, fmt.Errorf("known_hosts %s: %w", file, err)
	}
	e.stamp, e.sum = st, sum
	c.mu.Lock()
	c.m[file] = e
	c.mu.Unlock()
	return e.db, nil
}

// readKnownHosts reads file, refusing one over maxKnownHostsBytes.
func readKnownHosts(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("read known_hosts %s: %w", file, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKnownHostsBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read known_hosts %s: %w", file, err)
	}
	if len(b) > maxKnownHostsBytes {
		return nil, fmt.Errorf("known_hosts %s is larger than %d MiB", file, maxKnownHostsBytes>>20)
	}
	return b, nil
}

// appendKnownHost records a first-seen key. The file is re-read under the
// lock so that a key another dial just added is honoured, not duplicated.
func appendKnownHost(file, hostname string, remote net.Addr, key ssh.PublicKey) error {
	knownHostsMu.Lock()
	defer knownHostsMu.Unlock()
	if _, err := os.Stat(file); err == nil {
		b, err := readKnownHosts(file)
		if err != nil {
			return err
		}
		err = parseKnownHostsDB(file, b).check(hostname, remote, key)
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &re):
			return &HostKeyError{Host: hostname, Got: ssh.FingerprintSHA256(key), File: file, Revoked: true, Line: re.Revoked.Line}
		case errors.As(err, &ke) && len(ke.Want) > 0:
			return &HostKeyError{Host: hostname, Want: fingerprints(ke.Want), Got: ssh.FingerprintSHA256(key), File: file}
		}
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return fmt.Errorf("create known_hosts dir: %w", err)
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open known_hosts %s: %w", file, err)
	}
	line := knownhosts.Line([]string{knownhosts.Normalize(hostname)}, key) + "\n"
	if _, err := f.WriteString(line); err != nil {
		_ = f.Close()
		return fmt.Errorf("append known_hosts %s: %w", file, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close known_hosts %s: %w", file, err)
	}
	return nil
}

// expandHome expands a leading "~/" (inventories and ssh_config use it).
func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
