package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// AuditEntry is one line of the audit log (spec §4).
type AuditEntry struct {
	Time     time.Time `json:"time"`
	User     string    `json:"user"` // the local OS user running ftktui
	Device   string    `json:"device"`
	VDOM     string    `json:"vdom,omitempty"`
	Action   string    `json:"action,omitempty"` // scan, activate, readd, … ("" for plain reads)
	Token    string    `json:"token,omitempty"`
	Line     string    `json:"line,omitempty"` // the CLI line sent, redacted
	Outcome  string    `json:"outcome"`        // ok | error | refused | verified | failed | …
	Error    string    `json:"error,omitempty"`
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

// Secrets a FortiGate can echo: ENC blobs, activation codes, passwords.
var secretRes = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\bENC\s+\S+`),
	regexp.MustCompile(`(?i)(activation[-_ ]code["']?\s*[:=]?\s*)("[^"]*"|'[^']*'|\S+)`),
	regexp.MustCompile(`(?i)(\bset\s+(?:passwd|password|secondary-secret|passphrase|seed)\s+)(\S.*)`),
	regexp.MustCompile(`(?i)("?(?:password|passwd|activation_code|code)"?\s*[:=]\s*)("[^"]*"|\S+)`),
}

// redact is the defensive last pass before anything reaches a log or JSON.
func redact(s string) string {
	if s == "" {
		return s
	}
	if !mayHoldSecret(s) {
		return parseRedact(s)
	}
	s = secretRes[0].ReplaceAllString(s, "ENC «redacted»")
	for _, re := range secretRes[1:] {
		s = re.ReplaceAllString(s, "${1}«redacted»")
	}
	return parseRedact(s)
}

// secretWords are substrings (lower case) every secretRes match contains.
var secretWords = []string{"enc", "activation", "passw", "secret", "passphrase", "seed", "code"}

// mayHoldSecret is a cheap filter in front of secretRes: running the four
// regexps on every audited line was 5 % of a scan's client CPU. Non-ASCII
// text always goes to the regexps, whose case folding maps some non-ASCII
// runes (the Kelvin sign, long s) onto ASCII letters.
func mayHoldSecret(s string) bool {
	var low []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return true
		}
		if 'A' <= c && c <= 'Z' {
			if low == nil {
				low = []byte(s)
			}
			low[i] = c + 'a' - 'A'
		}
	}
	if low != nil {
		s = string(low)
	}
	for _, w := range secretWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
