// Package devlock is the per-device mutation lock every ftktui process on
// one machine honours: an flock(2) on one file per device address under
// $XDG_RUNTIME_DIR/ftktui/locks (else $XDG_STATE_HOME/ftktui/locks). The
// holder writes who it is into the file so a refused process can say so.
// It protects nothing across machines, and nothing against tools that do
// not take it (the GUI, another admin's SSH session).
package devlock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"
)

// Holder is what the lock file says about the process holding the lock.
type Holder struct {
	PID     int       `json:"pid"`
	User    string    `json:"user"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
	What    string    `json:"what"` // "activate FTK… on paris-fw1"
}

// String is "pid 123 (alice: ftktui activate …) since 14:02:03Z, doing …".
func (h Holder) String() string {
	if h.PID == 0 {
		return "another ftktui process (it has not written its name yet)"
	}
	s := fmt.Sprintf("pid %d (user %s, `%s`) since %s", h.PID, h.User, h.Command, h.Since.UTC().Format(time.RFC3339))
	if h.What != "" {
		s += ", doing " + h.What
	}
	return s
}

// BusyError is returned when another process held the lock for the whole wait.
type BusyError struct {
	Key    string
	Holder Holder
	Waited time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("device %s is locked by another ftktui: %s (waited %s)", e.Key, e.Holder, e.Waited.Round(time.Millisecond))
}

// ErrBusy matches every *BusyError with errors.Is.
var ErrBusy = errors.New("device locked by another ftktui process")

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Lock is a held device lock; Release it when the mutation is verified or
// given up.
type Lock struct {
	f    *os.File
	path string
}

// Dir is where lock files live: $XDG_RUNTIME_DIR/ftktui/locks (per user,
// tmpfs), else $XDG_STATE_HOME/ftktui/locks, else ~/.local/state/….
func Dir() (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "ftktui", "locks"), nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "ftktui", "locks"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("device lock directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "ftktui", "locks"), nil
}

// fileName keys the lock by address; the hash keeps odd hosts (IPv6,
// names that sanitise alike) apart.
func fileName(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 64 {
			break
		}
	}
	sum := sha256.Sum256([]byte(key))
	return b.String() + "-" + hex.EncodeToString(sum[:4]) + ".lock"
}

// pollEvery is how often a waiting process retries the lock.
const pollEvery = 50 * time.Millisecond

// Acquire takes the lock of key (host:port) in dir ("" = Dir()), waiting up
// to wait (or until ctx ends) while another process holds it. what names
// the mutation for whoever is refused.
func Acquire(ctx context.Context, dir, key, what string, wait time.Duration) (*Lock, error) {
	if dir == "" {
		var err error
		if dir, err = Dir(); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("device lock for %s: %w", key, err)
	}
	path := filepath.Join(dir, fileName(key))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("device lock for %s: %w", key, err)
	}
	start := time.Now()
	for {
		ok, err := tryLock(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("device lock for %s: %w", key, err)
		}
		if ok {
			break
		}
		if time.Since(start) >= wait || ctx.Err() != nil {
			h := readHolder(path)
			_ = f.Close()
			return nil, &BusyError{Key: key, Holder: h, Waited: time.Since(start)}
		}
		select {
		case <-ctx.Done():
		case <-time.After(pollEvery):
		}
	}
	l := &Lock{f: f, path: path}
	if err := l.writeHolder(what); err != nil {
		_ = l.Release()
		return nil, fmt.Errorf("device lock for %s: %w", key, err)
	}
	return l, nil
}

func (l *Lock) writeHolder(what string) error {
	h := Holder{PID: os.Getpid(), Command: strings.Join(os.Args, " "), Since: time.Now(), What: what}
	if len(h.Command) > 300 {
		h.Command = h.Command[:300] + "…"
	}
	if u, err := user.Current(); err == nil {
		h.User = u.Username
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	_, err = l.f.WriteAt(append(b, '\n'), 0)
	return err
}

func readHolder(path string) Holder {
	var h Holder
	b, err := os.ReadFile(path)
	if err == nil {
		_ = json.Unmarshal(b, &h)
	}
	return h
}

// Release clears the holder record and drops the lock. The file stays:
// removing a lock file races with a process about to lock it.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := unlock(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
