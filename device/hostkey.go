package device

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"hash/maphash"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownHostsMu serialises trust-on-first-use appends so that concurrent
// dials to new devices do not interleave lines in the same file.
var knownHostsMu sync.Mutex

// probeKey is a throwaway key used to ask knownhosts which keys it holds for
// a host (the KeyError of a mismatch lists them).
var probeKey = func() ssh.PublicKey {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil
	}
	return k
}()

// hostKeyPolicy builds the callback and the preferred host-key algorithms
// for addr. Preferring the algorithms already in known_hosts avoids a false
// "changed key" when a server offers several key types.
func hostKeyPolicy(t Target, addr string) (ssh.HostKeyCallback, []string, error) {
	file := expandHome(t.KnownHosts)
	if file == "" {
		return nil, nil, fmt.Errorf("no known_hosts file configured for %s: %w", addr, ErrInvalidInput)
	}
	cb, idx, err := loadKnownHostsIndexed(file)
	if err != nil {
		return nil, nil, err
	}
	var algos []string
	if idx != nil {
		algos = idx.algorithms(addr)
	} else {
		algos = knownAlgorithms(cb, addr)
	}
	check := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := cb(hostname, remote, key)
		if err == nil {
			return nil
		}
		var ke *knownhosts.KeyError
		if !errors.As(err, &ke) {
			return fmt.Errorf("known_hosts %s: %w", file, err)
		}
		got := ssh.FingerprintSHA256(key)
		if len(ke.Want) > 0 {
			want := make([]string, 0, len(ke.Want))
			for _, k := range ke.Want {
				want = append(want, ssh.FingerprintSHA256(k.Key))
			}
			return &HostKeyError{Host: hostname, Want: strings.Join(want, ","), Got: got, File: file}
		}
		if !t.AcceptNewHostKeys {
			return &HostKeyError{Host: hostname, Got: got, Unknown: true, File: file}
		}
		return appendKnownHost(file, hostname, remote, key)
	}
	return check, algos, nil
}

// loadKnownHosts reads file; a missing file is an empty database (created on
// the first accepted key when trust-on-first-use is on).
func loadKnownHosts(file string) (ssh.HostKeyCallback, error) {
	cb, _, err := loadKnownHostsIndexed(file)
	return cb, err
}

// loadKnownHostsIndexed is loadKnownHosts with the file's khIndex (nil
// when the file cannot be indexed).
func loadKnownHostsIndexed(file string) (ssh.HostKeyCallback, khIndex, error) {
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		// An empty database: every host is unknown, which is the strict
		// answer (or the trust-on-first-use starting point).
		return func(string, net.Addr, ssh.PublicKey) error { return &knownhosts.KeyError{} }, khIndex{}, nil
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
	cb    ssh.HostKeyCallback
	idx   khIndex
}

type khStamp struct {
	size, mtime int64
	ino         uint64
}

func stampOf(fi os.FileInfo) khStamp {
	st := khStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ino = sys.Ino
	}
	return st
}

func (c *khCache) load(file string) (ssh.HostKeyCallback, khIndex, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return nil, nil, fmt.Errorf("read known_hosts %s: %w", file, err)
	}
	st := stampOf(fi)
	c.mu.Lock()
	e, ok := c.m[file]
	c.mu.Unlock()
	if ok && e.stamp == st && time.Since(fi.ModTime()) > racyWindow {
		return e.cb, e.idx, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("read known_hosts %s: %w", file, err)
	}
	sum := maphash.Bytes(c.seed, b)
	if !ok || e.sum != sum {
		// Parsed from the file again: if it changed since ReadFile, the
		// next load sees a different sum and parses once more.
		if e.cb, err = knownhosts.New(file); err != nil {
			return nil, nil, fmt.Errorf("read known_hosts %s: %w", file, err)
		}
		// Indexed from the bytes hashed, which may be older than what
		// New read; the next load then sees a new sum and rebuilds both.
		e.idx = buildKHIndex(b)
	}
	e.stamp, e.sum = st, sum
	c.mu.Lock()
	c.m[file] = e
	c.mu.Unlock()
	return e.cb, e.idx, nil
}

// knownAlgorithms lists host-key algorithms matching the keys known for addr.
func knownAlgorithms(cb ssh.HostKeyCallback, addr string) []string {
	if probeKey == nil {
		return nil
	}
	err := cb(knownhosts.Normalize(addr), &net.TCPAddr{IP: net.IPv4zero}, probeKey)
	var ke *knownhosts.KeyError
	if !errors.As(err, &ke) || len(ke.Want) == 0 {
		return nil
	}
	types := make([]string, 0, len(ke.Want))
	for _, k := range ke.Want {
		types = append(types, k.Key.Type())
	}
	return algorithmsFor(types)
}

// appendKnownHost records a first-seen key. The file is re-read under the
// lock so that a key another dial just added is honoured, not duplicated.
func appendKnownHost(file, hostname string, remote net.Addr, key ssh.PublicKey) error {
	knownHostsMu.Lock()
	defer knownHostsMu.Unlock()
	if _, err := os.Stat(file); err == nil {
		cb, err := knownhosts.New(file)
		if err != nil {
			return fmt.Errorf("read known_hosts %s: %w", file, err)
		}
		err = cb(hostname, remote, key)
		var ke *knownhosts.KeyError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ke) && len(ke.Want) > 0:
			want := make([]string, 0, len(ke.Want))
			for _, k := range ke.Want {
				want = append(want, ssh.FingerprintSHA256(k.Key))
			}
			return &HostKeyError{Host: hostname, Want: strings.Join(want, ","), Got: ssh.FingerprintSHA256(key), File: file}
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
