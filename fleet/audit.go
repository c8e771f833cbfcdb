package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ftktui/ftktui/parse"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"time"
)

// AuditEntry is one line of the audit log (docs/spec.md §4).
type AuditEntry struct {
	Time     time.Time `json:"time"`
	User     string    `json:"user"` // the local OS user running ftktui
	Device   string    `json:"device"`
	VDOM     string    `json:"vdom,omitempty"`
	Action   string    `json:"action,omitempty"` // scan, activate, readd, … ("" for plain reads)
	Token    string    `json:"token,omitempty"`
	Line     string    `json:"line,omitempty"`    // the CLI line sent, redacted
	Outcome  string    `json:"outcome"`           // ok | error | refused | verified | failed | …
	Error    string    `json:"error,omitempty"`   // why it failed or was refused
	Message  string    `json:"message,omitempty"` // what a successful step reports (never under "error")
	Mutating bool      `json:"mutating,omitempty"`
}

// AuditLog appends JSON lines to a file; safe for concurrent use. A nil
// *AuditLog discards everything, so callers never need to check.
type AuditLog struct {
	mu   sync.Mutex
	f    *os.File
	path string
	user string
	now  func() time.Time
}

// DefaultAuditPath is $XDG_STATE_HOME/ftktui/audit.jsonl, else
// ~/.local/state/ftktui/audit.jsonl.
func DefaultAuditPath() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "ftktui", "audit.jsonl")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		home = os.TempDir()
	}
	return filepath.Join(home, ".local", "state", "ftktui", "audit.jsonl")
}

// OpenAudit opens (creating as needed, mode 0600) the audit log at path;
// "" means DefaultAuditPath().
func OpenAudit(path string) (*AuditLog, error) {
	if path == "" {
		path = DefaultAuditPath()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	return &AuditLog{f: f, path: path, user: localUser(), now: time.Now}, nil
}

// Path is where the log is written.
func (a *AuditLog) Path() string {
	if a == nil {
		return ""
	}
	return a.path
}

func localUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return fmt.Sprintf("uid:%d", os.Getuid())
}

// Write appends e. Line and Error are redacted again here: transcripts are
// already redacted by the device layer, but the log must never hold a secret
// even if a caller forgets. Mutating entries are fsynced before returning.
func (a *AuditLog) Write(e AuditEntry) error {
	if a == nil {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = a.now()
	}
	e.Time = e.Time.UTC()
	e.User = a.user
	e.Line = redact(e.Line)
	e.Error = redact(e.Error)
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit entry: %w", err)
	}
	b = append(b, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return errors.New("audit log is closed")
	}
	if _, err := a.f.Write(b); err != nil {
		return fmt.Errorf("audit log %s: %w", a.path, err)
	}
	if e.Mutating {
		if err := a.f.Sync(); err != nil {
			return fmt.Errorf("audit log %s: sync: %w", a.path, err)
		}
	}
	return nil
}

// Sync flushes the log to disk.
func (a *AuditLog) Sync() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	return a.f.Sync()
}

// Close syncs and closes the log; later writes fail.
func (a *AuditLog) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Sync()
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	a.f = nil
	return err
}

// redact is the last pass before anything reaches a log or JSON. parse.Redact
// is the one definition of what a FortiGate secret looks like; a second,
// looser set of patterns here only redacted innocent words ("activation code
// set") and drifted from it.
func redact(s string) string { return parse.Redact(s) }
