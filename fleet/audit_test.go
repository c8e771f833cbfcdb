package fleet

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestAuditLogConcurrentAndRedacted(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	if got := DefaultAuditPath(); got != filepath.Join(dir, "ftktui", "audit.jsonl") {
		t.Fatalf("default path %s", got)
	}
	a, err := OpenAudit("")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = a.Write(AuditEntry{Device: "fw", VDOM: "root", Line: "set seed ENC c2VjcmV0c2VlZA==", Outcome: "ok", Mutating: i%2 == 0})
		}()
	}
	wg.Wait()
	if err := a.Write(AuditEntry{Device: "fw", Line: `set activation-code "EEIOABCDEFGH2JKL"`, Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Write(AuditEntry{Device: "fw"}); err == nil {
		t.Error("write after close should fail")
	}
	fi, err := os.Stat(a.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit file mode: %v %v", fi, err)
	}
	f, _ := os.Open(a.Path())
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		var e AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d not JSON: %v", n, err)
		}
		if e.User == "" || e.Time.IsZero() || e.Device != "fw" {
			t.Errorf("line %d incomplete: %+v", n, e)
		}
		if strings.Contains(sc.Text(), "c2VjcmV0c2VlZA") || strings.Contains(sc.Text(), "EEIOABCDEFGH2JKL") {
			t.Errorf("secret in audit line: %s", sc.Text())
		}
	}
	if n != 51 {
		t.Errorf("%d lines, want 51", n)
	}
	var nilLog *AuditLog
	if err := nilLog.Write(AuditEntry{}); err != nil {
		t.Error("nil log must discard")
	}
}

// Redaction removes secrets, not the words around them: the resend result
// "new activation code set" must read as written.
func TestRedactKeepsProse(t *testing.T) {
	msg := "FTKMOB0A1B2C3D4E: new activation code set («redacted»), expires 2026-12-03T01:52:42Z"
	if got := redact(msg); got != msg {
		t.Errorf("redact(%q) = %q", msg, got)
	}
	if got := redact(`activation code: EEIOABCDEFGH2JKL`); strings.Contains(got, "EEIOABCDEFGH2JKL") {
		t.Errorf("code survived: %q", got)
	}
}
