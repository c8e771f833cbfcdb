package device

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/sim"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

func TestAuthMethods(t *testing.T) {
	signer, priv, pemKey := newKey(t)
	f, kh := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "a1", Hostname: "FGT-AUTH"}},
		AuthorizedKeys: []ssh.PublicKey{signer.PublicKey()}, Seed: 3})
	d := f.Devices()[0]
	base := targetFor(f, d, kh)

	keyFile := filepath.Join(t.TempDir(), "id_ed25519")
	if err := os.WriteFile(keyFile, pemKey, 0o600); err != nil {
		t.Fatal(err)
	}
	kr := agent.NewKeyring()
	if err := kr.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	serveAgent(t, kr)

	cases := map[string]func(Target) Target{
		"password": func(tg Target) Target { return tg },
		"keyboard-interactive": func(tg Target) Target {
			tg.noPasswordMethod = true
			return tg
		},
		"identity-file": func(tg Target) Target {
			tg.Password, tg.IdentityFiles = nil, []string{keyFile}
			return tg
		},
		"agent": func(tg Target) Target {
			tg.Password, tg.UseAgent = nil, true
			return tg
		},
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			_, s := open(t, mod(base))
			if s.Hostname() != "FGT-AUTH" {
				t.Fatalf("hostname %q", s.Hostname())
			}
			out, err := s.Run(context.Background(), "get system status")
			if err != nil || !strings.Contains(out, "Hostname: FGT-AUTH") {
				t.Fatalf("Run: %q %v", out, err)
			}
		})
	}

	t.Run("wrong-password", func(t *testing.T) {
		tg := base
		tg.Password = func(context.Context) (string, error) { return "not-it", nil }
		_, err := Dial(context.Background(), tg)
		if !errors.Is(err, ErrAuth) {
			t.Fatalf("err = %v, want ErrAuth", err)
		}
		if strings.Contains(err.Error(), "not-it") || !strings.Contains(err.Error(), "a1") {
			t.Fatalf("error leaks the password or lacks the device: %v", err)
		}
	})
	t.Run("no-method", func(t *testing.T) {
		tg := base
		tg.Password = nil
		tg.IdentityFiles = []string{filepath.Join(t.TempDir(), "missing")}
		if _, err := Dial(context.Background(), tg); !errors.Is(err, ErrAuth) {
			t.Fatalf("err = %v, want ErrAuth", err)
		}
	})
}

func TestAuthFailFault(t *testing.T) {
	_, _, tg := one(t, sim.FaultAuthFail)
	start := time.Now()
	_, err := Dial(context.Background(), tg)
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want ErrAuth", err)
	}
	if time.Since(start) > tg.DialTimeout {
		t.Fatalf("auth failure took %s", time.Since(start))
	}
}

func TestHostKeys(t *testing.T) {
	f, kh := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{
		{Name: "known", Hostname: "FGT-K"},
		{Name: "rotated", Hostname: "FGT-R", Scenarios: []sim.Scenario{sim.FaultHostKeyRotated}},
	}, Seed: 5})
	known, rotated := f.Device("known"), f.Device("rotated")

	t.Run("known", func(t *testing.T) {
		c, err := Dial(context.Background(), targetFor(f, known, kh))
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
	})

	t.Run("unknown-strict", func(t *testing.T) {
		empty := filepath.Join(t.TempDir(), "kh")
		_, err := Dial(context.Background(), targetFor(f, known, empty))
		var hk *HostKeyError
		if !errors.As(err, &hk) || !hk.Unknown || !strings.HasPrefix(hk.Got, "SHA256:") {
			t.Fatalf("err = %v, want unknown HostKeyError", err)
		}
		if _, statErr := os.Stat(empty); !errors.Is(statErr, os.ErrNotExist) {
			t.Fatal("strict mode wrote a known_hosts file")
		}
	})

	t.Run("accept-new", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "sub", "known_hosts")
		tg := targetFor(f, known, file)
		tg.AcceptNewHostKeys = true
		c, err := Dial(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
		fi, err := os.Stat(file)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("known_hosts not created 0600: %v %v", fi, err)
		}
		b, _ := os.ReadFile(file)
		if n := strings.Count(string(b), "\n"); n != 1 || !strings.Contains(string(b), "ssh-ed25519") {
			t.Fatalf("known_hosts = %q", b)
		}
		tg.AcceptNewHostKeys = false // now strictly known
		c, err = Dial(context.Background(), tg)
		if err != nil {
			t.Fatalf("strict dial after accept-new: %v", err)
		}
		_ = c.Close()
	})

	t.Run("changed-refused-even-with-accept-new", func(t *testing.T) {
		tg := targetFor(f, rotated, kh)
		tg.AcceptNewHostKeys = true
		before, _ := os.ReadFile(kh)
		_, err := Dial(context.Background(), tg)
		var hk *HostKeyError
		if !errors.As(err, &hk) || hk.Unknown {
			t.Fatalf("err = %v, want changed HostKeyError", err)
		}
		want := ssh.FingerprintSHA256(rotated.KnownHostKey())
		if hk.Want != want || hk.Got == want || !strings.HasPrefix(hk.Got, "SHA256:") {
			t.Fatalf("fingerprints want=%s got=%s (known %s)", hk.Want, hk.Got, want)
		}
		if !strings.Contains(err.Error(), hk.Want) || !strings.Contains(err.Error(), hk.Got) {
			t.Fatalf("message lacks both fingerprints: %v", err)
		}
		after, _ := os.ReadFile(kh)
		if string(before) != string(after) {
			t.Fatal("changed key was written to known_hosts")
		}
	})
}

func TestDialRefusedAndCancelled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	tg := Target{Name: "gone", Host: "127.0.0.1", Port: port, User: "admin", KnownHosts: filepath.Join(t.TempDir(), "kh"),
		Password: func(context.Context) (string, error) { return "x", nil }, DialTimeout: 2 * time.Second}
	_, err = Dial(context.Background(), tg)
	var de *DialError
	if !errors.As(err, &de) || de.Kind != "refused" {
		t.Fatalf("err = %v, want refused DialError", err)
	}

	// A listener that accepts but never speaks SSH: the dial timeout and a
	// cancelled ctx must both end the handshake.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	tg.Port = silent.Addr().(*net.TCPAddr).Port
	tg.DialTimeout = 300 * time.Millisecond
	_, err = Dial(context.Background(), tg)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("silent server: err = %v, want ErrTimeout", err)
	}
	tg.DialTimeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Dial(ctx, tg)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
		t.Fatalf("cancelled dial: err = %v after %s", err, time.Since(start))
	}
}

func TestJumpHost(t *testing.T) {
	f, d, tg := one(t)
	_ = f
	j := newJumpServer(t, "bastion-pw")
	jhost, jport, _ := net.SplitHostPort(j.ln.Addr().String())
	jp, _ := strconv.Atoi(jport)
	jkh := filepath.Join(t.TempDir(), "jump_known_hosts")
	tg.Jump = &Target{Name: "bastion", Host: jhost, Port: jp, User: "netops", KnownHosts: jkh, AcceptNewHostKeys: true,
		Password: func(context.Context) (string, error) { return "bastion-pw", nil }, DialTimeout: 5 * time.Second}
	_, s := open(t, tg)
	if _, err := s.Run(context.Background(), "get system status"); err != nil {
		t.Fatal(err)
	}
	j.mu.Lock()
	dialed := append([]string(nil), j.dialed...)
	j.mu.Unlock()
	if len(dialed) != 1 || dialed[0] != d.Addr() {
		t.Fatalf("bastion forwarded to %v, want %s", dialed, d.Addr())
	}
}

func TestKeepaliveDetectsDeadPeer(t *testing.T) {
	_, d, tg := one(t)
	p := newProxy(t, d.Addr())
	tg.Host, tg.Port = p.addr()
	kh, _ := os.ReadFile(tg.KnownHosts)
	// The proxy address is a different known_hosts name: accept it new.
	tg.KnownHosts = filepath.Join(t.TempDir(), "kh")
	_ = kh
	tg.AcceptNewHostKeys = true
	tg.Keepalive = 100 * time.Millisecond
	tg.CommandTimeout = 30 * time.Second
	_, s := open(t, tg)
	p.freeze()
	start := time.Now()
	_, err := s.Run(context.Background(), "get system status")
	if !errors.Is(err, ErrConnLost) {
		t.Fatalf("err = %v, want ErrConnLost", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Fatalf("dead peer noticed after %s, command timeout was %s", el, tg.CommandTimeout)
	}
}

func TestLegacyAlgorithmsStillNegotiate(t *testing.T) {
	kex, ciphers := legacyAlgorithms()
	joined := strings.Join(kex, ",")
	for _, want := range []string{"diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group-exchange-sha256"} {
		if !strings.Contains(joined, want) {
			t.Errorf("legacy kex lacks %s", want)
		}
	}
	if !strings.Contains(strings.Join(ciphers, ","), "aes128-cbc") {
		t.Errorf("legacy ciphers lack aes128-cbc: %v", ciphers)
	}
	_, _, tg := one(t)
	tg.LegacyAlgorithms = true
	_, s := open(t, tg)
	if s.Hostname() == "" {
		t.Fatal("no hostname")
	}
}

// legacyServer speaks only diffie-hellman-group14-sha1 and aes128-cbc, like
// an old FortiOS 5 unit; it authenticates and then holds the connection.
func legacyServer(t *testing.T, password string) (string, int, ssh.PublicKey) {
	t.Helper()
	signer, _, _ := newKey(t)
	cfg := &ssh.ServerConfig{PasswordCallback: func(c ssh.ConnMetadata, p []byte) (*ssh.Permissions, error) {
		if string(p) == password {
			return nil, nil
		}
		return nil, errors.New("denied")
	}}
	cfg.KeyExchanges = []string{ssh.InsecureKeyExchangeDH14SHA1}
	cfg.Ciphers = []string{ssh.InsecureCipherAES128CBC}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var held []net.Conn
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, nc)
			if sc, chans, reqs, err := ssh.NewServerConn(nc, cfg); err == nil {
				go ssh.DiscardRequests(reqs)
				go func() {
					for ch := range chans {
						_ = ch.Reject(ssh.Prohibited, "no")
					}
				}()
				_ = sc
			}
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); <-done })
	a := ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port, signer.PublicKey()
}

func TestLegacyOnlyDevice(t *testing.T) {
	host, port, _ := legacyServer(t, "old")
	tg := Target{Name: "fos5", Host: host, Port: port, User: "admin", KnownHosts: filepath.Join(t.TempDir(), "kh"),
		AcceptNewHostKeys: true, Password: func(context.Context) (string, error) { return "old", nil },
		DialTimeout: 3 * time.Second, Keepalive: -1}
	_, err := Dial(context.Background(), tg)
	if err == nil || !strings.Contains(err.Error(), "legacy_algorithms") {
		t.Fatalf("modern-only dial to a legacy device: %v (want a hint to legacy_algorithms)", err)
	}
	tg.LegacyAlgorithms = true
	c, err := Dial(context.Background(), tg)
	if err != nil {
		t.Fatalf("legacy dial: %v", err)
	}
	_ = c.Close()
}
