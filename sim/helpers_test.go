package sim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// startFleet starts a fleet that the test closes.
func startFleet(t *testing.T, o Options) *Fleet {
	t.Helper()
	if o.ActivationDelay == 0 {
		o.ActivationDelay = 100 * time.Millisecond
	}
	f, err := Start(context.Background(), o)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return f
}

func dial(t *testing.T, f *Fleet, d *Device) *ssh.Client {
	t.Helper()
	c, err := dialErr(f, d, f.Password())
	if err != nil {
		t.Fatalf("dial %s: %v", d.Name(), err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func dialErr(f *Fleet, d *Device, pw string) (*ssh.Client, error) {
	return ssh.Dial("tcp", d.Addr(), &ssh.ClientConfig{
		User:            f.User(),
		Auth:            []ssh.AuthMethod{ssh.Password(pw)},
		HostKeyCallback: ssh.FixedHostKey(d.KnownHostKey()),
		Timeout:         5 * time.Second,
	})
}

// term is a PTY shell driven like a person at a terminal.
type term struct {
	t      *testing.T
	in     io.WriteCloser
	buf    *syncBuf
	sess   *ssh.Session
	ended  chan struct{} // closed when the session is over
	endErr error         // Wait's result, valid after ended
}

type syncBuf struct {
	ch   chan []byte
	data []byte
}

func (b *syncBuf) Write(p []byte) (int, error) {
	c := append([]byte(nil), p...)
	b.ch <- c
	return len(p), nil
}

func openTerm(t *testing.T, c *ssh.Client, rows int) *term {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	if err := s.RequestPty("xterm", rows, 120, ssh.TerminalModes{ssh.ECHO: 0}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	in, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	b := &syncBuf{ch: make(chan []byte, 4096)}
	s.Stdout = b
	if err := s.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	m := &term{t: t, in: in, buf: b, sess: s, ended: make(chan struct{})}
	go func() {
		m.endErr = s.Wait()
		close(m.ended)
	}()
	t.Cleanup(func() {
		_ = s.Close()
		m.drainUntilEnded(10 * time.Second)
	})
	return m
}

// readUntil returns everything read up to and including suffix.
func (m *term) readUntil(suffix string, d time.Duration) string {
	m.t.Helper()
	got, err := m.waitFor(suffix, d)
	if err != nil {
		m.t.Fatalf("%v; got %q", err, got)
	}
	return got
}

func (m *term) waitFor(suffix string, d time.Duration) (string, error) {
	got, _, err := m.waitAny(d, suffix)
	return got, err
}

// waitAny reads until the earliest of several markers and says which.
func (m *term) waitAny(d time.Duration, markers ...string) (string, string, error) {
	deadline := time.After(d)
	suffix := strings.Join(markers, " or ")
loop:
	for {
		best, which := -1, ""
		for _, mk := range markers {
			if i := bytes.Index(m.buf.data, []byte(mk)); i >= 0 && (best < 0 || i < best) {
				best, which = i, mk
			}
		}
		if best >= 0 {
			got := string(m.buf.data[:best+len(which)])
			m.buf.data = m.buf.data[best+len(which):]
			return got, which, nil
		}
		select {
		case p := <-m.buf.ch:
			m.buf.data = append(m.buf.data, p...)
		case <-m.ended:
			for more := true; more; {
				select {
				case p := <-m.buf.ch:
					m.buf.data = append(m.buf.data, p...)
				default:
					more = false
				}
			}
			for _, mk := range markers {
				if bytes.Contains(m.buf.data, []byte(mk)) {
					continue loop
				}
			}
			return string(m.buf.data), "", fmt.Errorf("session ended waiting for %q", suffix)
		case <-deadline:
			return string(m.buf.data), "", fmt.Errorf("timeout waiting for %q", suffix)
		}
	}
}

func (m *term) send(s string) {
	m.t.Helper()
	if _, err := io.WriteString(m.in, s); err != nil {
		m.t.Fatalf("send: %v", err)
	}
}

// run sends a command and returns the raw bytes up to the next prompt.
func (m *term) run(cmd, prompt string) string {
	m.t.Helper()
	m.send(cmd + "\n")
	return m.readUntil(prompt, 5*time.Second)
}

// body strips echo and prompt from raw output and splits into lines.
func body(raw, cmd, prompt string) []string {
	raw = strings.TrimPrefix(raw, cmd+"\r\r\n")
	raw = strings.TrimSuffix(raw, prompt)
	raw = strings.TrimSuffix(raw, "\r\n")
	if raw == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n")
}

// drainUntilEnded discards output until the session is over, so that the
// client's copy goroutine never blocks; it reports whether it ended in time.
func (m *term) drainUntilEnded(d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case <-m.buf.ch:
		case <-m.ended:
			return true
		case <-deadline:
			return false
		}
	}
}
